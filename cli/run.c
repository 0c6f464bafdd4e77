/* run.c: the pipeline of check and fix.
 *
 * The main thread walks the paths and hands out work in batches; with --jobs above one a thread
 * pool does it; the main thread then reports and writes the results in the order of the inputs,
 * so the output is the same bytes whatever the number of jobs. At most a few batches per job are
 * in flight, so memory stays bounded on any input size.
 *
 * Reading is part of the work, so that it runs on every core too (check; a regular file):
 * - small files (a Maildir's) go in batches of paths, each opened and read by the thread that
 *   lints it;
 * - a large file goes in segments of SEGMENT_SIZE octets. The thread of a segment reads the
 *   messages whose From_ lines start in it (emlint_read_mbox_segment()), from the first From_
 *   line after its start. A message's index and line in the file depend on every segment before,
 *   so each segment passes on a SegmentLink: where the next message starts, its index and its
 *   line. A thread splits its segment first (a memchr pass), then waits for the link of the
 *   segment before (by then split too, as segments are taken in order), checks that its first
 *   message starts where that link says (else, as a Content-Length can make it, it splits again
 *   from there), passes its own link on, and then lints and formats with the numbers of the
 *   file;
 * - everything else (standard input, a large .gz, a fifo, fix) is read by the main thread as a
 *   stream, and only linted or fixed in the pool. */
#include "run.h"

#include "diff.h"
#include "escape.h"
#include "html.h"
#include "output.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Messages go to the threads in batches, so that handing one over costs little beside linting
 * it; a few batches per thread in flight keep both cores busy and memory bounded. */
#define BATCH_BYTES (256 * 1024)
#define BATCH_ITEMS 256
#define FILES_PER_BATCH 64
#define IN_FLIGHT_PER_JOB 4
/* A file larger than this is read in segments of this size. Small enough that a few segments
 * per job in flight stay within the memory budget, large enough that reading one has a negligible
 * start-up cost (an open, a look for the first From_ line). */
#define SEGMENT_SIZE (1024 * 1024)
/* Files being fixed at once (each holds descriptors, and in place maybe an mbox's locks). */
#define TARGETS_IN_FLIGHT 64

typedef struct {
  const EmlintSettings *settings;
  const EmlintLinter *linter; /* = settings->linter */
  char *path;                 /* as walked: what is opened */
  char *display;              /* as reported */
  char *relative;       /* relative to the configuration file's folder, for per-path ignores */
  EmlintTarget *target; /* fix: the input and where its repaired copy goes */
  gboolean changed;     /* fix: some message changed */
  GString *fixed_lines; /* fix: the "fixed" lines, shown once the copy is written */
  guint64 n_fixed;
  gboolean failed; /* an error was reported for this file */
  gint64 diff_delta; /* --diff: lines added minus removed so far */
  gboolean diff_started;
  int refs;           /* jobs that point here (main thread only) */
  GError *read_error; /* a segment of the file could not be read (main thread) */
  int fd;             /* read by the threads: the file open (a walk's), or -1 (by path) */
} FileState;

/* The largest message of @file read (its configuration's --max-message-size). */
static guint64
max_size (const FileState *file)
{
  return emlint_linter_max_message_size (file->linter);
}

/* One message to lint or fix, or the end of a file. */
typedef struct {
  FileState *file;
  EmlintRawMessage raw; /* bytes NULL: the end of the file */
  GError *error;        /* end of file: why reading failed; message: why fixing failed */
  GString *report;      /* check: the findings, formatted by the thread that linted them */
  guint n_findings;
  guint *hits;          /* findings per rule (registry index) */
  EmlintRecord *record; /* for the tally, when the run keeps one */
  gboolean fails;       /* a finding at or above fail-on */
  EmlintResult *fix;    /* fix: libemlint's result */
  GPtrArray *fixed;     /* fix: of EmlintCliFinding*, the findings repaired */
  GPtrArray *remaining; /* fix: of EmlintCliFinding*, those left */
} Job;

/* Where the messages after a segment go on (see the top of the file). */
typedef struct {
  gboolean known; /* set under the run's lock, once */
  guint64 offset; /* where the next message starts; G_MAXUINT64: the file has no more */
  guint index;    /* its index in the file */
  guint64 line;   /* its first line in the file */
} SegmentLink;

typedef enum {
  BATCH_MESSAGES, /* read by the main thread */
  BATCH_FILES,    /* small files, read whole by the thread that takes the batch */
  BATCH_SEGMENT,  /* a segment of a large file, read by the thread that takes it */
} BatchKind;

typedef struct {
  BatchKind kind;
  GPtrArray *jobs; /* of Job*, in read order (FILES, SEGMENT: added by the thread) */
  gsize bytes;
  gboolean done;       /* every job processed (set under the run's lock) */
  GPtrArray *files;    /* FILES: of FileState*, a reference each */
  FileState *file;     /* SEGMENT: the file (a reference) */
  guint64 from, limit; /* SEGMENT: its From_ lines start in [from, limit) */
  SegmentLink *in;     /* SEGMENT: from the segment before (an rc box reference) */
  SegmentLink *out;    /* SEGMENT: to the segment after */
  GError *error;       /* SEGMENT: why reading failed */
} Batch;

typedef struct {
  guint64 findings;
  guint64 messages;
} RuleStats;

typedef struct {
  const EmlintRunOptions *opt;
  EmlintReporter *reporter;
  FILE *report_out;
  int status;
  /* statistics */
  guint64 files, messages, bytes, fixed, remaining, held_back;
  RuleStats *rule_stats;
  gint64 started;
  gboolean progress;       /* stderr is a terminal and --quiet was not given */
  gboolean progress_shown; /* the progress line is on the terminal now */
  guint64 failures;        /* errors named on stderr */
  EmlintTally *tally;      /* totals for the summary, statistics, html, baseline; or NULL */
  EmlintRecordFlags record_flags;
  EmlintTarget *baseline_out; /* --write-baseline */
  gint64 progress_at;         /* when the progress line was last drawn */
  guint64 total_bytes;        /* of the named regular files, for the ETA; 0 when unknown */
  /* the pipeline */
  GThreadPool *pool;
  GMutex lock;
  GCond cond;         /* a batch is done */
  GCond linked;       /* a segment link is known */
  GQueue pending;     /* of Batch*, in read order */
  Batch *filling;     /* the batch the reader adds to */
  FileState *reading; /* the file being read */
  const char *top;    /* the path named on the command line that is being walked */
  guint targets;      /* files with an open target */
  gboolean stdout_failed, report_failed; /* a write error was reported */
  const EmlintSettings *settings;        /* the configuration of the input being walked */
  /* inputs that yield no mail */
  guint64 found;                          /* files the walks gave */
  guint64 skipped[EMLINT_SKIP_N_REASONS]; /* entries the walks left out, by reason */
  GPtrArray *barren;                      /* the first few named paths that gave no file */
  guint64 n_barren;
} Run;

#define BARREN_SHOWN 8 /* named paths listed when the run finds no mail */

/* The progress line is erased before anything else reaches the terminal, so that a finding
 * never starts in its middle. */
static void
clear_progress (Run *run)
{
  if (!run->progress_shown)
    return;
  fputs ("\r\033[K", stderr);
  run->progress_shown = FALSE;
}

/* ---- errors and status ------------------------------------------------------------------- */

/* Errors quote names and GLib's texts quote paths: both are escaped for the terminal. */
static void
fail (Run *run, const char *path, const char *what)
{
  clear_progress (run);
  emlint_print_error (path, what);
  run->status = 2;
  run->failures++;
}

/* A report or diff that cannot be written to @out (stdout or --output-file: a full disk, EIO,
 * EFBIG) is an error, named once. Called right after each write, while errno still tells why. */
static void
check_written (Run *run, FILE *out)
{
  gboolean *failed = out == stdout ? &run->stdout_failed : &run->report_failed;
  g_autofree char *what = NULL;

  if (out == stderr || *failed || !ferror (out))
    return;
  *failed = TRUE;
  if (errno == EPIPE)
    return; /* the reader has read enough (| head): no error */
  what = g_strdup_printf ("write failed: %s", g_strerror (errno));
  fail (run, out == stdout ? "standard output" : run->opt->output_file, what);
}

/* Findings per rule, and whether one is at or above fail-on. Returns a new array. */
static guint *
tally (const EmlintLinter *linter, const GPtrArray *diagnostics, gboolean *fails)
{
  guint *hits = g_new0 (guint, emlint_rule_count ());
  EmlintSeverity fail_on = emlint_linter_fail_on (linter);

  *fails = FALSE;
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const EmlintCliFinding *diag = g_ptr_array_index (diagnostics, i);
      hits[diag->rule->index]++;
      *fails |= diag->severity >= fail_on;
    }
  return hits;
}

/* The progress line on a terminal: messages, megabytes, rate and, when the inputs' size is
 * known, the time left. Redrawn at most four times a second. */
static void
show_progress (Run *run, gboolean done)
{
  gint64 now = g_get_monotonic_time ();
  double seconds = (double) (now - run->started) / G_USEC_PER_SEC;
  double mb = (double) run->bytes / 1e6, rate = seconds > 0 ? mb / seconds : 0;

  if (!run->progress || (!done && now - run->progress_at < G_USEC_PER_SEC / 4))
    return;
  run->progress_at = now;
  if (done)
    {
      clear_progress (run);
      return;
    }
  fprintf (stderr, "\r\033[Kemlint: %" G_GUINT64_FORMAT " message%s, %.0f MB, %.0f MB/s",
           run->messages, run->messages == 1 ? "" : "s", mb, rate);
  run->progress_shown = TRUE;
  if (run->total_bytes > run->bytes && rate > 0)
    fprintf (stderr, ", %.0f s left", ((double) (run->total_bytes - run->bytes) / 1e6) / rate);
}

static void
count (Run *run, const EmlintRawMessage *raw, const guint *hits, gboolean fails)
{
  guint n = (guint) emlint_rule_count ();

  run->messages++;
  run->bytes += g_bytes_get_size (raw->bytes) + g_bytes_get_size (raw->envelope);
  for (guint r = 0; r < n; r++)
    {
      run->rule_stats[r].findings += hits[r];
      run->rule_stats[r].messages += hits[r] > 0;
    }
  if (fails && run->status < 1)
    run->status = 1;
}

/* ---- the work, on any thread -------------------------------------------------------------- */

/* The message of @job as reports name it, its octets @data. */
static EmlintMail
mail_of (const Job *job, const char *data, gsize len)
{
  return (EmlintMail){
    job->file->display, job->raw.index, job->raw.in_mbox, job->raw.first_line, data, len,
  };
}

/* Fixes the message of @job (on any thread): the result and its findings go to the main thread,
 * which writes the repaired copy. */
static void
process_fix (Job *job)
{
  const FileState *file = job->file;
  char *message = NULL;

  job->fix = emlint_linter_fix (file->linter, g_bytes_get_data (job->raw.bytes, NULL),
                                g_bytes_get_size (job->raw.bytes), &message);
  if (job->fix == NULL)
    {
      job->error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "message %u: %s", job->raw.index,
                                message);
      emlint_free (message);
      return;
    }
  job->fixed = emlint_cli_findings (job->fix, TRUE, job->raw.first_line);
  job->remaining = emlint_cli_findings (job->fix, FALSE, job->raw.first_line);
  emlint_settings_drop_path_ignored (file->settings, file->display, file->relative, job->remaining);
}

/* Lints the message of @job (on any thread) and formats its findings. */
static void
process_check (Job *job, const Run *run)
{
  const FileState *file = job->file;
  gsize len;
  const char *data = g_bytes_get_data (job->raw.bytes, &len);
  EmlintMail msg = mail_of (job, data, len);
  /* The octets are linted where they are, not copied. */
  EmlintResult *result = emlint_linter_check (file->linter, data, len);
  g_autoptr (GPtrArray) diagnostics = emlint_cli_findings (result, FALSE, msg.first_line);

  emlint_settings_drop_path_ignored (file->settings, file->display, file->relative, diagnostics);
  emlint_baseline_filter (run->opt->baseline, &msg, diagnostics);
  if (run->tally != NULL)
    job->record = emlint_record_new (&msg, result, diagnostics, run->record_flags,
                                     run->opt->report.unsafe_fixes);
  job->n_findings = diagnostics->len;
  job->hits = tally (file->linter, diagnostics, &job->fails);
  job->report = g_string_new (NULL);
  emlint_reporter_format_consume (run->reporter, &msg, diagnostics, job->report);
  emlint_result_free (result);
}

static void
process (Job *job, const Run *run)
{
  if (job->raw.bytes == NULL || job->error != NULL)
    return;
  /* Everything this thread allocates for a message it checks it also formats and frees: the
   * main thread only writes the text out. */
  if (run->opt->fix)
    process_fix (job);
  else
    process_check (job, run);
}

typedef struct {
  GPtrArray *jobs;
  FileState *file;
} Collector;

/* A job for a message of @file (free with job_free()). */
static Job *
job_new (FileState *file, const EmlintRawMessage *raw)
{
  Job *job = g_new0 (Job, 1);

  job->file = file;
  job->raw = *raw;
  job->raw.error = NULL; /* borrowed: a message not read (too large) keeps a copy */
  job->error = raw->error != NULL ? g_error_copy (raw->error) : NULL;
  g_bytes_ref (raw->bytes);
  g_bytes_ref (raw->envelope);
  return job;
}

/* Keeps a message read by a worker as a job of its batch. */
static gboolean
collect (const EmlintRawMessage *raw, gpointer user_data)
{
  Collector *c = user_data;

  g_ptr_array_add (c->jobs, job_new (c->file, raw));
  return TRUE;
}

static void
job_free (Job *job)
{
  g_clear_pointer (&job->raw.bytes, g_bytes_unref);
  g_clear_pointer (&job->raw.envelope, g_bytes_unref);
  g_clear_error (&job->error);
  g_free (job);
}

/* BATCH_FILES: each file read whole, then its end. */
static void
read_files (Batch *batch)
{
  for (guint i = 0; i < batch->files->len; i++)
    {
      Collector c = { batch->jobs, g_ptr_array_index (batch->files, i) };
      Job *end = g_new0 (Job, 1);
      EmlintSegment whole;

      /* As one segment: its messages are slices of one buffer, not copies. */
      if (emlint_path_is_gzip (c.file->path))
        emlint_read_messages (c.file->path, c.file->fd, max_size (c.file), collect, &c,
                              &end->error);
      else
        emlint_read_mbox_segment (c.file->path, c.file->fd, max_size (c.file), 0, TRUE, G_MAXUINT64,
                                  collect, &c, &whole, &end->error);
      end->file = c.file;
      g_ptr_array_add (batch->jobs, end);
    }
}

/* Reads a segment's messages from @from (see emlint_read_mbox_segment()). */
static void
split_segment (Batch *batch, guint64 from, gboolean exact, EmlintSegment *seg)
{
  Collector c = { batch->jobs, batch->file };

  for (guint i = 0; i < batch->jobs->len; i++)
    job_free (g_ptr_array_index (batch->jobs, i)); /* a first try that started elsewhere */
  g_ptr_array_set_size (batch->jobs, 0);
  g_clear_error (&batch->error);
  seg->first = G_MAXUINT64;
  if (from < batch->limit)
    emlint_read_mbox_segment (batch->file->path, batch->file->fd, max_size (batch->file), from,
                              exact, batch->limit, collect, &c, seg, &batch->error);
}

/* BATCH_SEGMENT: split, wait for the link of the segment before, check, pass the link on, then
 * number the messages as the file does. */
static void
read_segment (Batch *batch, Run *run)
{
  SegmentLink in;
  EmlintSegment seg;
  gboolean exact;

  g_mutex_lock (&run->lock);
  exact = batch->in->known;
  in = *batch->in;
  g_mutex_unlock (&run->lock);
  split_segment (batch, exact ? in.offset : batch->from, exact, &seg);
  if (!exact)
    {
      g_mutex_lock (&run->lock);
      while (!batch->in->known)
        g_cond_wait (&run->linked, &run->lock);
      in = *batch->in;
      g_mutex_unlock (&run->lock);
      if (seg.first != in.offset)
        split_segment (batch, in.offset, TRUE, &seg);
    }
  g_mutex_lock (&run->lock);
  *batch->out = in;
  if (seg.first != G_MAXUINT64)
    *batch->out = (SegmentLink){ TRUE, seg.next, in.index + seg.messages, in.line + seg.newlines };
  if (batch->error != NULL)
    batch->out->offset = G_MAXUINT64; /* the file is read no further */
  batch->out->known = TRUE;
  g_cond_broadcast (&run->linked);
  g_mutex_unlock (&run->lock);
  for (guint i = 0; i < batch->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (batch->jobs, i);
      job->raw.index += in.index;
      job->raw.first_line += in.line - 1;
      if (g_error_matches (job->error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          /* Its text names the message: by its index in the file. */
          g_error_free (job->error);
          job->error = emlint_too_large_error (job->raw.index, max_size (batch->file),
                                               job->raw.in_mbox);
        }
    }
}

static void
worker (gpointer data, gpointer user_data)
{
  Batch *batch = data;
  Run *run = user_data;

  if (batch->kind == BATCH_FILES)
    read_files (batch);
  else if (batch->kind == BATCH_SEGMENT)
    read_segment (batch, run);
  for (guint i = 0; i < batch->jobs->len; i++)
    process (g_ptr_array_index (batch->jobs, i), run);
  g_mutex_lock (&run->lock);
  batch->done = TRUE;
  g_cond_signal (&run->cond);
  g_mutex_unlock (&run->lock);
}

/* ---- fix destinations -------------------------------------------------------------------- */

static void
write_part (Run *run, FileState *file, GBytes *bytes)
{
  g_autoptr (GError) error = NULL;
  gsize len;
  const void *data = g_bytes_get_data (bytes, &len);

  if (file->failed || len == 0)
    return;
  if (!emlint_target_write (file->target, data, len, &error))
    {
      fail (run, file->display, error->message);
      file->failed = TRUE;
    }
}

static guint
count_newlines (const char *data, gsize len)
{
  guint n = 0;

  for (const char *p = data; (p = memchr (p, '\n', len - (gsize) (p - data))) != NULL; p++)
    n++;
  return n;
}

static void
print_escaped_lines (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_autoptr (GString) shown = g_string_new (NULL);
      emlint_escape_display (shown, lines[i], -1);
      printf ("%s\n", shown->str);
    }
}

static void
write_diff (FileState *file, const Job *job)
{
  g_autoptr (GString) out = g_string_new (NULL);
  gsize a_len;
  const char *a = g_bytes_get_data (job->raw.bytes, &a_len);
  gsize b_len;
  const char *b = emlint_result_data (job->fix, &b_len);

  emlint_diff_append (out, a, a_len, b, b_len, job->raw.first_line,
                      (guint64) ((gint64) job->raw.first_line + file->diff_delta));
  if (out->len == 0)
    return;
  if (isatty (STDOUT_FILENO))
    {
      /* A terminal sees no raw octet of a message or a name. */
      g_autoptr (GString) name = g_string_new (NULL);

      emlint_escape_display (name, file->display, -1);
      if (!file->diff_started)
        printf ("--- %s\n+++ %s\n", name->str, name->str);
      print_escaped_lines (out->str);
    }
  else
    {
      /* A file or pipe gets a diff that patch applies; no name can break its lines. */
      g_autoptr (GString) name = g_string_new (NULL);

      emlint_quote_diff_name (name, file->display);
      if (!file->diff_started)
        printf ("--- %s\n+++ %s\n", name->str, name->str);
      fputs (out->str, stdout);
    }
  file->diff_started = TRUE;
  /* The later messages of an mbox shift by the lines this one gained or lost. */
  file->diff_delta += (gint64) count_newlines (b, b_len) - (gint64) count_newlines (a, a_len);
}

/* ---- emitting, in read order, on the main thread ----------------------------------------- */

/* The "fixed" lines of a message: printed now for --diff, else kept in @file until its copy
 * is written (nothing is reported fixed that was not). */
static void
print_fixed (Run *run, FileState *file, const EmlintMail *msg, const GPtrArray *fixed)
{
  g_autoptr (GString) lines = g_string_new (NULL);

  for (guint i = 0; i < fixed->len && !run->opt->quiet; i++)
    {
      const EmlintCliFinding *diag = g_ptr_array_index (fixed, i);

      emlint_escape_display (lines, msg->path, -1);
      /* --diff writes nothing: what it shows would be fixed. */
      g_string_append_printf (lines, ":%" G_GUINT64_FORMAT ":%u: %s: ", diag->line, diag->column,
                              run->opt->destination == EMLINT_DEST_DIFF ? "would fix" : "fixed");
      emlint_escape_display (lines, diag->message, -1);
      if (msg->in_mbox)
        g_string_append_printf (lines, " (message %u)", msg->index);
      g_string_append_printf (lines, " [%s]\n", diag->rule->id);
    }
  if (file->target == NULL)
    {
      fputs (lines->str, stderr);
      run->fixed += fixed->len;
      return;
    }
  if (file->fixed_lines == NULL)
    file->fixed_lines = g_string_new (NULL);
  g_string_append_len (file->fixed_lines, lines->str, (gssize) lines->len);
  file->n_fixed += fixed->len;
}

/* A remaining finding whose fix was held back says why, and what applies it. */
static void
explain_held_back (Run *run, GPtrArray *remaining)
{
  gboolean unsafe_fixes = run->opt->report.unsafe_fixes;

  for (guint i = 0; i < remaining->len; i++)
    {
      EmlintCliFinding *diag = g_ptr_array_index (remaining, i);
      char *message;

      /* A fix that needs an option not given (--msgid-domain) says which. */
      if (!diag->has_fix && diag->fix_needs != NULL)
        message = g_strdup_printf ("%s (no fix: it needs %s%s)", diag->message,
                                   unsafe_fixes ? "" : "--unsafe-fixes and ", diag->fix_needs);
      else if (!diag->has_fix || diag->unsafe_reason == NULL || unsafe_fixes)
        continue;
      else
        {
          message = g_strdup_printf ("%s (fix held back: %s; --unsafe-fixes applies it)",
                                     diag->message, diag->unsafe_reason);
          run->held_back++;
        }
      emlint_cli_finding_set_message (diag, message);
    }
}

static void
emit_fix (Run *run, Job *job)
{
  FileState *file = job->file;
  gsize len;
  const char *data = emlint_result_data (job->fix, &len);
  EmlintMail msg = mail_of (job, data, len);

  if (job->fixed->len > 0)
    file->changed = TRUE;
  clear_progress (run);
  if (run->opt->destination == EMLINT_DEST_DIFF)
    {
      write_diff (file, job);
      check_written (run, stdout);
    }
  else if (!file->failed && file->target != NULL)
    {
      /* The repaired octets are the result's: written from there, not copied. */
      g_autoptr (GBytes) repaired = g_bytes_new_static (data, len);
      write_part (run, file, job->raw.envelope);
      write_part (run, file, repaired);
    }
  print_fixed (run, file, &msg, job->fixed);
  explain_held_back (run, job->remaining);
  run->remaining += job->remaining->len;
  job->hits = tally (file->linter, job->remaining, &job->fails);
  count (run, &job->raw, job->hits, job->fails);
  emlint_baseline_filter (run->opt->baseline, &msg, job->remaining);
  if (run->tally != NULL)
    job->record = emlint_record_new (&msg, job->fix, job->remaining, run->record_flags,
                                     run->opt->report.unsafe_fixes);
  emlint_reporter_add (run->reporter, &msg, job->remaining);
  check_written (run, run->report_out);
}

/* The record of a message joins the tally, and its baseline lines the baseline file. */
static void
add_record (Run *run, Job *job)
{
  g_autoptr (GError) error = NULL;
  EmlintRecord *record = g_steal_pointer (&job->record);

  if (record == NULL)
    return;
  if (run->baseline_out != NULL && record->baseline != NULL
      && !emlint_target_write (run->baseline_out, record->baseline->str, record->baseline->len,
                               &error))
    {
      fail (run, run->opt->write_baseline, error->message);
      emlint_target_discard (g_steal_pointer (&run->baseline_out));
    }
  emlint_tally_add (run->tally, record);
}

/* The end of a file: commit or drop its repaired copy. */
static void
finish_file (Run *run, FileState *file, const GError *read_error)
{
  g_autoptr (GError) error = NULL;
  gboolean keep;

  run->files++;
  if (read_error != NULL)
    {
      fail (run, file->display, read_error->message);
      file->failed = TRUE;
    }
  if (file->target == NULL)
    return;
  /* In place, a file that needed no fix is left untouched (its mtime too). */
  keep = !file->failed && (file->changed || run->opt->destination != EMLINT_DEST_IN_PLACE);
  if (!keep)
    emlint_target_discard (file->target);
  else if (!emlint_target_commit (file->target, &error))
    fail (run, file->display, error->message);
  else if (file->fixed_lines != NULL)
    {
      clear_progress (run);
      fputs (file->fixed_lines->str, stderr);
      run->fixed += file->n_fixed;
    }
  file->target = NULL;
  run->targets--;
}

static void
file_unref (FileState *file)
{
  if (--file->refs > 0)
    return;
  g_free (file->path);
  g_free (file->display);
  g_free (file->relative);
  g_clear_error (&file->read_error);
  if (file->fd >= 0)
    close (file->fd);
  if (file->fixed_lines != NULL)
    g_string_free (file->fixed_lines, TRUE);
  g_free (file);
}

static void
emit (Run *run, Job *job)
{
  if (job->raw.bytes == NULL)
    finish_file (run, job->file, job->error != NULL ? job->error : job->file->read_error);
  else if (job->error != NULL)
    {
      /* A message not read (too large) or not fixed: its file is left untouched. */
      fail (run, job->file->display, job->error->message);
      job->file->failed = TRUE;
    }
  else if (run->opt->fix)
    emit_fix (run, job);
  else
    {
      count (run, &job->raw, job->hits, job->fails);
      if (job->n_findings > 0)
        clear_progress (run);
      emlint_reporter_write (run->reporter, job->report, job->n_findings);
      check_written (run, run->report_out);
    }
  add_record (run, job);
  if (job->raw.bytes != NULL)
    show_progress (run, FALSE);
  if (job->report != NULL)
    g_string_free (job->report, TRUE);
  g_free (job->hits);
  emlint_record_free (job->record);
  emlint_result_free (job->fix);
  if (job->fixed != NULL)
    g_ptr_array_unref (job->fixed);
  if (job->remaining != NULL)
    g_ptr_array_unref (job->remaining);
  file_unref (job->file);
  job_free (job);
}

static void
batch_free (Batch *batch)
{
  if (batch->files != NULL)
    for (guint i = 0; i < batch->files->len; i++)
      file_unref (g_ptr_array_index (batch->files, i));
  g_clear_pointer (&batch->files, g_ptr_array_unref);
  if (batch->file != NULL)
    {
      if (batch->error != NULL && batch->file->read_error == NULL)
        batch->file->read_error = g_steal_pointer (&batch->error);
      file_unref (batch->file);
    }
  g_clear_error (&batch->error);
  g_clear_pointer (&batch->in, g_rc_box_release);
  g_clear_pointer (&batch->out, g_rc_box_release);
  g_ptr_array_unref (batch->jobs);
  g_free (batch);
}

/* Emits a finished batch's jobs. The threads that read messages could not count the references
 * to the file they took (the main thread's alone): they are counted here. */
static void
emit_batch (Run *run, Batch *batch)
{
  for (guint i = 0; i < batch->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (batch->jobs, i);

      if (batch->kind != BATCH_MESSAGES)
        job->file->refs++;
      emit (run, job);
    }
  batch_free (batch);
}

/* Emits the finished batches at the head of the queue; with @all, waits for every batch. */
static void
drain (Run *run, gboolean all)
{
  guint limit = all ? 0 : run->opt->jobs * IN_FLIGHT_PER_JOB;

  for (;;)
    {
      Batch *head;

      g_mutex_lock (&run->lock);
      head = g_queue_peek_head (&run->pending);
      while (head != NULL && !head->done && run->pending.length > limit)
        g_cond_wait (&run->cond, &run->lock);
      if (head == NULL || !head->done)
        {
          g_mutex_unlock (&run->lock);
          return;
        }
      g_queue_pop_head (&run->pending);
      g_mutex_unlock (&run->lock);
      emit_batch (run, head);
    }
}

static Batch *
batch_new (BatchKind kind)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->kind = kind;
  batch->jobs = g_ptr_array_new ();
  return batch;
}

/* Queues @batch and hands it to a thread, or processes it here: with one job, or (messages read
 * here) when every pool thread is busy and work already waits. */
static void
hand_over (Run *run, Batch *batch)
{
  g_mutex_lock (&run->lock);
  g_queue_push_tail (&run->pending, batch);
  g_mutex_unlock (&run->lock);
  if (run->pool != NULL
      && (batch->kind != BATCH_MESSAGES || g_thread_pool_unprocessed (run->pool) == 0))
    g_thread_pool_push (run->pool, batch, NULL);
  else
    worker (batch, run);
  drain (run, FALSE);
}

/* A pool of @jobs threads for @run, or NULL (lint on this thread) when the system will not start
 * them all (RLIMIT_NPROC, RLIMIT_AS): GLib then returns a pool short of threads, on which queued
 * work could wait for ever. Says so in one line. */
static GThreadPool *
start_pool (Run *run, guint jobs)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *what = NULL;
  GThreadPool *pool = g_thread_pool_new (worker, run, (gint) jobs, TRUE, &error);

  if (error == NULL)
    return pool;
  what = g_strdup_printf ("warning: cannot start %u threads (%s); linting on one", jobs,
                          error->message);
  emlint_print_error (NULL, what);
  if (pool != NULL)
    g_thread_pool_free (pool, TRUE, TRUE);
  return NULL;
}

/* Hands over the batch being filled. */
static void
flush (Run *run)
{
  Batch *batch = run->filling;

  if (batch == NULL)
    return;
  run->filling = NULL;
  hand_over (run, batch);
}

/* The batch being filled, of @kind: a batch of another kind is handed over first. */
static Batch *
filling (Run *run, BatchKind kind)
{
  if (run->filling != NULL && run->filling->kind != kind)
    flush (run);
  if (run->filling == NULL)
    run->filling = batch_new (kind);
  return run->filling;
}

static void
submit (Run *run, Job *job)
{
  Batch *batch = filling (run, BATCH_MESSAGES);

  job->file->refs++;
  g_ptr_array_add (batch->jobs, job);
  if (job->raw.bytes != NULL)
    batch->bytes += g_bytes_get_size (job->raw.bytes);
  if (batch->bytes >= BATCH_BYTES || batch->jobs->len >= BATCH_ITEMS)
    flush (run);
}

/* A small file, for a thread to read whole. */
static void
submit_file (Run *run, FileState *file, guint64 size)
{
  Batch *batch = filling (run, BATCH_FILES);

  if (batch->files == NULL)
    batch->files = g_ptr_array_new ();
  file->refs++;
  g_ptr_array_add (batch->files, file);
  batch->bytes += size;
  if (batch->bytes >= BATCH_BYTES || batch->files->len >= FILES_PER_BATCH)
    flush (run);
}

/* A large file, in segments for the threads to read, each linked to the one before. */
static void
submit_segments (Run *run, FileState *file, guint64 size)
{
  SegmentLink *link = g_rc_box_new0 (SegmentLink);

  *link = (SegmentLink){ TRUE, 0, 0, 1 }; /* the first message: at 0, index 0, line 1 */
  flush (run);
  for (guint64 from = 0; from == 0 || from < size; from += SEGMENT_SIZE)
    {
      Batch *batch = batch_new (BATCH_SEGMENT);

      batch->file = file;
      file->refs++;
      batch->from = from;
      /* The last segment reads on to the end, should the file have grown. */
      batch->limit = from + SEGMENT_SIZE < size ? from + SEGMENT_SIZE : G_MAXUINT64;
      batch->in = link;
      batch->out = link = g_rc_box_new0 (SegmentLink);
      g_rc_box_acquire (link);
      hand_over (run, batch);
    }
  g_rc_box_release (link);
}

/* ---- reading ---------------------------------------------------------------------------- */

static gboolean
on_message (const EmlintRawMessage *raw, gpointer user_data)
{
  Run *run = user_data;

  submit (run, job_new (run->reading, raw));
  return TRUE;
}

/* TRUE when the threads read the file at @path (open in @fd, or -1) themselves (see the top of
 * the file), and its *@size. A large compressed file is read as a stream. */
static gboolean
read_by_threads (const Run *run, const char *path, int fd, guint64 *size)
{
  GStatBuf st;

  if (run->opt->fix || strcmp (path, "-") == 0
      || (fd >= 0 ? fstat (fd, &st) : g_stat (path, &st)) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  *size = (guint64) st.st_size;
  return *size <= SEGMENT_SIZE || !emlint_path_is_gzip (path);
}

/* Out of descriptors (EMFILE): the queued work holds files open; finish it. */
static void
release_descriptors (gpointer user_data)
{
  flush (user_data);
  drain (user_data, TRUE);
}

/* fix: opens the input and the destination of its repaired copy before reading, so that what
 * is read is what the rename replaces. FALSE when the file is refused (reported). */
static gboolean
open_target (Run *run, FileState *file, int fd)
{
  g_autoptr (GError) error = NULL;

  if (run->targets >= TARGETS_IN_FLIGHT)
    {
      flush (run);
      drain (run, TRUE);
    }
  file->target = emlint_target_open (run->opt->destination, run->opt->target, file->path, run->top,
                                     file->display, fd, &error);
  if (file->target == NULL
      && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING)
          || (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
              && run->targets > 0)))
    {
      /* Named twice: the first fix finishes, then this one finds the file as it left it. Out
       * of descriptors: the fixes in flight close theirs. */
      g_clear_error (&error);
      flush (run);
      drain (run, TRUE);
      file->target = emlint_target_open (run->opt->destination, run->opt->target, file->path,
                                         run->top, file->display, fd, &error);
    }
  if (file->target == NULL)
    {
      fail (run, file->display, error->message);
      return FALSE;
    }
  run->targets++;
  return TRUE;
}

static gboolean
on_file (const char *path, int fd, gpointer user_data)
{
  Run *run = user_data;
  FileState *file = g_new0 (FileState, 1);
  Job *end = g_new0 (Job, 1);
  gboolean is_stdin = strcmp (path, "-") == 0;
  guint64 size;

  run->found++;
  file->path = g_strdup (path);
  file->display = g_strdup (is_stdin && run->opt->stdin_filename ? run->opt->stdin_filename : path);
  file->refs = 1;
  file->fd = -1;
  file->settings = run->settings;
  file->linter = run->settings->linter;
  file->relative = emlint_settings_relative_path (run->settings, file->display);
  run->reading = file;
  if (run->opt->fix && run->opt->destination != EMLINT_DEST_DIFF && !open_target (run, file, fd))
    {
      run->files++;
      g_free (end);
      file_unref (file);
      return TRUE;
    }
  if (file->target != NULL && emlint_target_input (file->target) >= 0)
    fd = emlint_target_input (file->target); /* what the rename will check is what is read */
  if (!read_by_threads (run, path, fd, &size))
    emlint_read_messages (path, fd, max_size (file), on_message, run, &end->error);
  else
    {
      /* The threads read it later: their own descriptor (the walk closes @fd). */
      file->fd = fd >= 0 ? dup (fd) : -1;
      if (file->fd < 0 && (errno == EMFILE || errno == ENFILE))
        release_descriptors (run), file->fd = dup (fd);
      if (fd >= 0 && file->fd < 0)
        g_set_error_literal (&end->error, G_IO_ERROR, g_io_error_from_errno (errno),
                             g_strerror (errno));
      else if (size <= SEGMENT_SIZE)
        {
          submit_file (run, file, size);
          g_free (end);
          file_unref (file);
          return TRUE;
        }
      else
        submit_segments (run, file, size);
    }
  end->file = file;
  submit (run, end);
  file_unref (file);
  return TRUE;
}

static void
on_walk_error (const char *path, const GError *error, gpointer user_data)
{
  fail (user_data, path, error->message);
}

/* The globs of the input's configuration file, then those of the command line. Returns a new
 * vector, or NULL when there are none. */
static char **
concat_globs (char *const *from_file, char *const *from_options)
{
  GPtrArray *all = g_ptr_array_new ();

  for (guint i = 0; from_file != NULL && from_file[i] != NULL; i++)
    g_ptr_array_add (all, g_strdup (from_file[i]));
  for (guint i = 0; from_options != NULL && from_options[i] != NULL; i++)
    g_ptr_array_add (all, g_strdup (from_options[i]));
  if (all->len == 0)
    {
      g_ptr_array_unref (all);
      return NULL;
    }
  g_ptr_array_add (all, NULL);
  return (char **) g_ptr_array_free (all, FALSE);
}

/* "N entries skipped (REASON: N, ...)" for the counts in @skipped (EMLINT_SKIP_N_REASONS of
 * them), or "" when none was. Returns a new string. */
static char *
skipped_summary (const guint64 *skipped)
{
  g_autoptr (GString) reasons = g_string_new (NULL);
  guint64 total = 0;

  for (guint r = 0; r < EMLINT_SKIP_N_REASONS; r++)
    if (skipped[r] > 0)
      {
        g_string_append_printf (reasons, "%s%s: %" G_GUINT64_FORMAT, total ? ", " : "",
                                emlint_walk_skip_name (r), skipped[r]);
        total += skipped[r];
      }
  if (total == 0)
    return g_strdup ("");
  return g_strdup_printf ("%" G_GUINT64_FORMAT " %s skipped (%s)", total,
                          total == 1 ? "entry" : "entries", reasons->str);
}

/* Walks one named input with its configuration's globs and the command line's. When it gave
 * no file, remembers it (the first few) with what its walk skipped. */
static void
walk_input (Run *run, const char *path)
{
  g_auto (GStrv) include = concat_globs (run->settings->include, run->opt->walk.include);
  g_auto (GStrv) exclude = concat_globs (run->settings->exclude, run->opt->walk.exclude);
  EmlintWalkOptions walk = { include, exclude, run->skipped, release_descriptors,
                             run->opt->destination == EMLINT_DEST_DIR ? run->opt->target : NULL };
  guint64 found = run->found, before[EMLINT_SKIP_N_REASONS];
  g_autoptr (GString) line = g_string_new (NULL), shown = g_string_new (NULL);
  g_autofree char *skipped = NULL;

  memcpy (before, run->skipped, sizeof before);
  emlint_walk (path, &walk, on_file, on_walk_error, run);
  if (run->found > found || run->n_barren++ >= BARREN_SHOWN)
    return;
  for (guint r = 0; r < EMLINT_SKIP_N_REASONS; r++)
    before[r] = run->skipped[r] - before[r];
  skipped = skipped_summary (before);
  emlint_escape_display (shown, path, -1);
  g_string_printf (line, "emlint: no mail found in %s", shown->str);
  if (*skipped)
    {
      g_string_append_printf (line, "\nemlint: %s: %s", shown->str, skipped);
      if (before[EMLINT_SKIP_NOT_MAIL] > 0)
        g_string_append (line, "; --include GLOB takes more names");
    }
  g_ptr_array_add (run->barren, g_string_free (g_steal_pointer (&line), FALSE));
}

/* A run in which no path gave a message is an error: it names the paths (and what their walks
 * skipped), so that a mistyped folder or a missing --include never passes as clean. */
static void
report_no_mail (Run *run)
{
  if (run->n_barren == 0 && run->opt->files_from != NULL)
    {
      g_autoptr (GString) list = g_string_new (NULL);

      if (strcmp (run->opt->files_from, "-") == 0)
        g_string_append (list, "standard input");
      else
        emlint_escape_display (list, run->opt->files_from, -1);
      fprintf (stderr, "emlint: no mail found in %s (the --files-from list names no path)\n",
               list->str);
    }
  for (guint i = 0; i < run->barren->len; i++)
    fprintf (stderr, "%s\n", (char *) g_ptr_array_index (run->barren, i));
  if (run->n_barren > run->barren->len)
    fprintf (stderr, "emlint: no mail found in %" G_GUINT64_FORMAT " more paths\n",
             run->n_barren - run->barren->len);
  run->status = 2;
}

/* ---- statistics ------------------------------------------------------------------------- */

static void
print_statistics (const Run *run)
{
  FILE *out = run->opt->report.format == EMLINT_FORMAT_TEXT ? run->report_out : stderr;
  double seconds = (double) (g_get_monotonic_time () - run->started) / G_USEC_PER_SEC;
  double mb = (double) run->bytes / 1e6;
  guint n = (guint) emlint_rule_count ();
  g_autofree char *skipped = skipped_summary (run->skipped);
  g_autofree char *files = emlint_plural (run->files, "file", "files");
  g_autofree char *messages = emlint_plural (run->messages, "message", "messages");

  fprintf (out, "\n%-25s %-8s %10s %10s\n", "rule", "severity", "findings", "messages");
  for (guint i = 0; i < n; i++)
    if (run->rule_stats[i].findings > 0)
      fprintf (out, "%-25s %-8s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "\n",
               emlint_rule_info (i)->id, emlint_severity_name (emlint_rule_info (i)->severity),
               run->rule_stats[i].findings, run->rule_stats[i].messages);
  fprintf (out, "\n%s, %s, %.1f MB in %.2f s (%.1f MB/s, %.0f messages/s)\n", files, messages, mb,
           seconds, seconds > 0 ? mb / seconds : 0.0,
           seconds > 0 ? (double) run->messages / seconds : 0.0);
  fprintf (out, "%s\n", *skipped ? skipped : "0 entries skipped");
  emlint_tally_print_totals (run->tally, out);
  if (run->opt->group_by != EMLINT_GROUP_NONE)
    emlint_tally_print_groups (run->tally, run->opt->group_by, out);
}

/* Where the report goes: --output-file; else stdout, unless `fix` writes its data there (the
 * diff, the repaired message): fix reports on stderr, whatever its destination. NULL with an
 * error named on stderr when the file cannot be opened. */
static FILE *
open_report (Run *run)
{
  FILE *out;

  if (run->opt->output_file == NULL || strcmp (run->opt->output_file, "-") == 0)
    return run->opt->fix ? stderr : stdout;
  out = fopen (run->opt->output_file, "w");
  if (out == NULL)
    fail (run, run->opt->output_file, g_strerror (errno));
  return out;
}

/* Ends --output-file and --write-baseline: a failed write is an error (exit 2). */
static void
close_outputs (Run *run)
{
  g_autoptr (GError) error = NULL;

  if (run->report_out != stdout && run->report_out != stderr)
    {
      if (fflush (run->report_out) != 0)
        check_written (run, run->report_out);
      if (fclose (run->report_out) != 0 && !run->report_failed)
        {
          g_autofree char *what = g_strdup_printf ("write failed: %s", g_strerror (errno));
          fail (run, run->opt->output_file, what);
        }
    }
  if (run->baseline_out != NULL
      && !emlint_target_commit (g_steal_pointer (&run->baseline_out), &error))
    fail (run, run->opt->write_baseline, error->message);
}

/* The totals are needed for the summary on a terminal, --statistics, html and baselines. */
static void
start_tally (Run *run)
{
  const EmlintRunOptions *opt = run->opt;
  g_autoptr (GError) error = NULL;
  gboolean summary = !opt->quiet && !opt->fix && isatty (STDERR_FILENO);

  if (opt->write_baseline != NULL)
    {
      /* A new file (no input: "-"), written and renamed like a repaired copy. */
      run->baseline_out = emlint_target_open (EMLINT_DEST_FILE, opt->write_baseline, "-", "-", NULL,
                                              -1, &error);
      if (run->baseline_out == NULL)
        fail (run, opt->write_baseline, error->message);
      run->record_flags |= EMLINT_RECORD_BASELINE;
    }
  if (opt->report.format == EMLINT_FORMAT_HTML)
    run->record_flags |= EMLINT_RECORD_DETAILS | EMLINT_RECORD_KEYS;
  if (opt->group_by != EMLINT_GROUP_NONE)
    run->record_flags |= EMLINT_RECORD_KEYS;
  if (summary || opt->statistics || run->record_flags != 0)
    run->tally = emlint_tally_new ();
}

int
emlint_run (const EmlintRunOptions *opt, EmlintNextInput next, gpointer user_data)
{
  Run run = { .opt = opt };
  guint n = (guint) emlint_rule_count ();

  run.rule_stats = g_new0 (RuleStats, n);
  run.barren = g_ptr_array_new_with_free_func (g_free);
  run.started = g_get_monotonic_time ();
  run.progress = !opt->quiet && emlint_terminal_draws (STDERR_FILENO);
  run.total_bytes = opt->total_bytes;
  g_mutex_init (&run.lock);
  g_cond_init (&run.cond);
  g_cond_init (&run.linked);
  g_queue_init (&run.pending);
  start_tally (&run);
  if (run.status == 2 || (run.report_out = open_report (&run)) == NULL)
    {
      emlint_target_discard (run.baseline_out);
      emlint_tally_free (run.tally);
      g_free (run.rule_stats);
      return 2;
    }
  run.reporter = emlint_reporter_new (&opt->report, run.report_out);
  /* The main thread only walks and writes while the pool reads and lints (but it lints too
   * when messages it read as a stream pile up). */
  if (opt->jobs > 1)
    run.pool = start_pool (&run, opt->jobs);

  for (const char *path;
       (path = emlint_next_input (next, user_data, &run.settings, &run.status)) != NULL;)
    {
      run.top = path;
      if (run.settings != NULL)
        walk_input (&run, path);
    }
  flush (&run);
  drain (&run, TRUE);
  if (run.found == 0)
    report_no_mail (&run);

  if (run.pool != NULL)
    g_thread_pool_free (run.pool, FALSE, TRUE);
  if (run.tally != NULL)
    {
      g_autofree char *skipped = skipped_summary (run.skipped);
      emlint_tally_finish (run.tally, run.files, run.failures, skipped);
    }
  if (opt->report.format == EMLINT_FORMAT_HTML)
    emlint_html_write (run.tally, run.report_out);
  emlint_reporter_finish (run.reporter);
  check_written (&run, run.report_out);
  emlint_reporter_free (run.reporter);
  show_progress (&run, TRUE);
  if (run.tally != NULL && !opt->quiet && !opt->fix && isatty (STDERR_FILENO))
    emlint_tally_print_summary (run.tally, stderr);
  if (opt->fix && !opt->quiet)
    {
      g_autofree char *skipped = skipped_summary (run.skipped);

      /* --diff writes nothing: its count is of what fix would repair. */
      fprintf (stderr, "emlint: %" G_GUINT64_FORMAT " %s, %" G_GUINT64_FORMAT " remaining%s%s%s\n",
               run.fixed, opt->destination == EMLINT_DEST_DIFF ? "would be fixed" : "fixed",
               run.remaining,
               run.held_back > 0 ? " (some fixes held back: see --unsafe-fixes)" : "",
               *skipped ? "; " : "", skipped);
    }
  if (opt->statistics)
    print_statistics (&run);
  close_outputs (&run);
  if (fflush (stdout) != 0)
    check_written (&run, stdout);
  emlint_tally_free (run.tally);
  g_free (run.rule_stats);
  g_ptr_array_unref (run.barren);
  g_mutex_clear (&run.lock);
  g_cond_clear (&run.cond);
  g_cond_clear (&run.linked);
  return run.status;
}
