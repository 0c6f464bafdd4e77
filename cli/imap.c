/* imap.c: `emlint imap`. Transcripts are small, so each is read whole and linted on the main
 * thread; everything else (configuration, engine, registry, reporter, exit status) is the one
 * `check` uses. */
#include "imap.h"

#include "escape.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  guint64 findings, transcripts;
  guint64 unchecked; /* transcripts the rule could not check */
  guint lacking;     /* union of what those lacked (EmlintTranscriptHas) */
} ImapRuleStats;

typedef struct {
  const EmlintRunOptions *opt;
  EmlintTranscriptFormat format;
  const EmlintSettings *settings;
  const EmlintLinter *linter; /* = settings->linter */
  EmlintReporter *reporter;
  GHashTable *done;  /* rawlog halves already read with their pair */
  const char *named; /* the path being walked, as given */
  char **globs;      /* the names a walk reads as transcripts */
  ImapRuleStats *stats;
  guint64 transcripts, lines;
  gint64 started;
  int status;
} ImapRun;

static void
fail (ImapRun *run, const char *path, const char *what)
{
  emlint_print_error (path, what);
  run->status = 2;
}

/* The whole of @fd (borrowed), at most @max octets: a larger transcript, or an endless one
 * (/dev/zero), is an error, as a message over --max-message-size is for check. */
static GBytes *
read_fd (int fd, guint64 max, GError **error)
{
  g_autoptr (GInputStream) in = g_unix_input_stream_new (fd, FALSE);
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 buf[64 * 1024];
  gssize n;

  while ((n = g_input_stream_read (in, buf, sizeof buf, NULL, error)) > 0)
    {
      if (data->len + (guint64) n > max || data->len + (guint64) n > G_MAXUINT)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       "larger than --max-message-size (%" G_GUINT64_FORMAT " octets)", max);
          return NULL;
        }
      g_byte_array_append (data, buf, n);
    }
  if (n < 0)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* @path ("-": standard input), from @fd when it is not -1 (opened by the walk, which closes it). */
static GBytes *
read_file (const ImapRun *run, const char *path, int fd, GError **error)
{
  int own = -1;
  GBytes *bytes;

  if (strcmp (path, "-") == 0)
    fd = STDIN_FILENO;
  else if (fd < 0)
    {
      if ((own = fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0)) < 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
          return NULL;
        }
    }
  bytes = read_fd (fd, emlint_linter_max_message_size (run->linter), error);
  if (own >= 0)
    close (own);
  return bytes;
}

/* The other half of a Dovecot rawlog pair ("x.in" <-> "x.out"), when it exists; else NULL. */
static char *
rawlog_partner (const char *path)
{
  g_autofree char *stem = NULL;
  char *other;

  if (g_str_has_suffix (path, ".in"))
    stem = g_strndup (path, strlen (path) - 3), other = g_strconcat (stem, ".out", NULL);
  else if (g_str_has_suffix (path, ".out"))
    stem = g_strndup (path, strlen (path) - 4), other = g_strconcat (stem, ".in", NULL);
  else
    return NULL;
  if (g_file_test (other, G_FILE_TEST_IS_REGULAR))
    return other;
  g_free (other);
  return NULL;
}

/* One linted session of a file, with the names of its sources. */
typedef struct {
  EmlintResult *result;
  const char *paths[2]; /* source 0, and 1 of a rawlog pair (borrowed) */
} Session;

static void
session_clear (gpointer data)
{
  emlint_result_free (((Session *) data)->result);
}

/* The sessions of @results (taken), their sources named @path0 and @path1, added to @out. */
static void
add_sessions (GArray *out, EmlintResult **results, size_t n, const char *path0, const char *path1)
{
  for (size_t i = 0; i < n; i++)
    {
      Session s = { results[i], { path0, path1 } };
      g_array_append_val (out, s);
    }
  emlint_free (results);
}

/* The octets of @bytes ("" for none: libemlint takes no NULL). */
static const char *
octets (GBytes *bytes, gsize *len)
{
  const char *data = g_bytes_get_data (bytes, len);

  return data != NULL ? data : "";
}

/* Lints the Dovecot rawlog pair of @path (shown as @display) and @partner: its sessions go to
 * @out. FALSE with @error when a half cannot be read. */
static gboolean
lint_pair (ImapRun *run, const char *path, int fd, const char *display, const char *partner,
           GArray *out, GError **error)
{
  gboolean is_in = g_str_has_suffix (path, ".in");
  g_autoptr (GBytes) bytes = read_file (run, path, fd, error);
  g_autoptr (GBytes) other = bytes != NULL ? read_file (run, partner, -1, error) : NULL;
  const char *in_path = is_in ? display : partner, *out_path = is_in ? partner : display;
  gsize in_len, out_len;
  const char *in, *server;
  EmlintResult **results;
  size_t n;

  if (other == NULL)
    return FALSE;
  in = octets (is_in ? bytes : other, &in_len);
  server = octets (is_in ? other : bytes, &out_len);
  n = emlint_linter_check_transcript (run->linter, EMLINT_TRANSCRIPT_RAWLOG, in_path, in, in_len,
                                      out_path, server, out_len, &results);
  /* A pair's source 0 is the server's .out, 1 the client's .in (emlint.h). */
  add_sessions (out, results, n, out_path, in_path);
  return TRUE;
}

/* The linted sessions of one file (of Session): one, or one per connection of a Thunderbird log.
 * A new array, or NULL when the file is the other half of a pair already read, or cannot be
 * read. The sessions' paths are @display's and *@partner's (set to a new string for a rawlog
 * pair), which must outlive the array. */
static GArray *
read_sessions (ImapRun *run, const char *path, int fd, const char *display, char **partner,
               GError **error)
{
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (Session));
  g_autoptr (GBytes) bytes = NULL;
  EmlintResult **results;
  gsize len;
  const char *data;
  size_t n;

  g_array_set_clear_func (out, session_clear);
  if ((run->format == EMLINT_TRANSCRIPT_AUTO || run->format == EMLINT_TRANSCRIPT_RAWLOG)
      && (*partner = rawlog_partner (path)) != NULL)
    {
      if (g_hash_table_contains (run->done, path))
        return NULL; /* read already, with its pair */
      g_hash_table_add (run->done, g_strdup (*partner));
      return lint_pair (run, path, fd, display, *partner, out, error) ? g_steal_pointer (&out)
                                                                       : NULL;
    }
  if ((bytes = read_file (run, path, fd, error)) == NULL)
    return NULL;
  data = octets (bytes, &len);
  n = emlint_linter_check_transcript (run->linter, run->format, display, data, len, NULL, NULL, 0,
                                      &results);
  add_sessions (out, results, n, display, NULL);
  return g_steal_pointer (&out);
}

/* Reports the findings, one run of findings per source file (the reporter takes one file). */
static void
report (ImapRun *run, const Session *session, GPtrArray *diagnostics)
{
  for (guint i = 0; i < diagnostics->len;)
    {
      g_autoptr (GPtrArray) part = g_ptr_array_new ();
      guint source = ((EmlintCliFinding *) g_ptr_array_index (diagnostics, i))->source;
      EmlintMail mail = { session->paths[source], 0, FALSE, 1, NULL, 0 };

      mail.data = emlint_result_source (session->result, source, &mail.len);
      for (; i < diagnostics->len
             && ((EmlintCliFinding *) g_ptr_array_index (diagnostics, i))->source == source;
           i++)
        g_ptr_array_add (part, g_ptr_array_index (diagnostics, i));
      emlint_reporter_add (run->reporter, &mail, part);
    }
}

static void
tally (ImapRun *run, const EmlintResult *result, GPtrArray *diagnostics)
{
  guint n = (guint) emlint_rule_count ();
  g_autofree guint *hits = g_new0 (guint, n);

  run->transcripts++;
  run->lines += emlint_result_protocol_lines (result);
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const EmlintCliFinding *diag = g_ptr_array_index (diagnostics, i);
      hits[diag->rule->index]++;
      if (diag->severity >= emlint_linter_fail_on (run->linter) && run->status < 1)
        run->status = 1;
    }
  for (guint r = 0; r < n; r++)
    {
      guint lacks = emlint_result_lacks (result, r);

      run->stats[r].findings += hits[r];
      run->stats[r].transcripts += hits[r] > 0;
      /* emlint_result_lacks() is 0 for a rule of messages. */
      if (lacks != 0 && emlint_linter_runs (run->linter, r))
        run->stats[r].unchecked++, run->stats[r].lacking |= lacks;
    }
}

/* A walk also offers mail files (.eml, Maildir entries); only transcript names are read. */
static gboolean
is_transcript_name (const ImapRun *run, const char *path)
{
  g_autofree char *name = g_path_get_basename (path);

  for (guint i = 0; run->globs[i] != NULL; i++)
    if (g_pattern_match_simple (run->globs[i], name)
        || g_pattern_match_simple (run->globs[i], path))
      return TRUE;
  return FALSE;
}

static gboolean
on_file (const char *path, int fd, gpointer user_data)
{
  ImapRun *run = user_data;
  const char *display = strcmp (path, "-") == 0 && run->opt->stdin_filename
                          ? run->opt->stdin_filename
                          : path;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) sessions = NULL;
  g_autofree char *relative = NULL;
  g_autofree char *partner = NULL;

  if (strcmp (path, run->named) != 0 && !is_transcript_name (run, path))
    return TRUE;
  sessions = read_sessions (run, path, fd, display, &partner, &error);
  if (sessions == NULL)
    {
      if (error != NULL)
        fail (run, display, error->message);
      return TRUE;
    }
  relative = emlint_settings_relative_path (run->settings, display);
  for (guint i = 0; i < sessions->len; i++)
    {
      const Session *session = &g_array_index (sessions, Session, i);
      g_autoptr (GPtrArray) diagnostics = emlint_cli_findings (session->result, FALSE, 1);

      emlint_settings_drop_path_ignored (run->settings, display, relative, diagnostics);
      report (run, session, diagnostics);
      tally (run, session->result, diagnostics);
    }
  return TRUE;
}

static void
on_walk_error (const char *path, const GError *error, gpointer user_data)
{
  fail (user_data, path, error->message);
}

static void
print_statistics (const ImapRun *run)
{
  FILE *out = run->opt->report.format == EMLINT_FORMAT_TEXT ? stdout : stderr;
  double seconds = (double) (g_get_monotonic_time () - run->started) / G_USEC_PER_SEC;
  guint n = (guint) emlint_rule_count ();

  fprintf (out, "\n%-24s %-8s %10s %11s\n", "rule", "severity", "findings", "transcripts");
  for (guint i = 0; i < n; i++)
    if (run->stats[i].findings > 0)
      fprintf (out, "%-24s %-8s %10" G_GUINT64_FORMAT " %11" G_GUINT64_FORMAT "\n",
               emlint_rule_info (i)->id, emlint_severity_name (emlint_rule_info (i)->severity),
               run->stats[i].findings, run->stats[i].transcripts);
  for (guint i = 0; i < n; i++)
    if (run->stats[i].unchecked > 0)
      {
        char *why = emlint_transcript_describe_missing (run->stats[i].lacking);
        fprintf (out, "not checked: %s in %" G_GUINT64_FORMAT " transcript%s (%s)\n",
                 emlint_rule_info (i)->id, run->stats[i].unchecked,
                 run->stats[i].unchecked == 1 ? "" : "s", why);
        emlint_free (why);
      }
  fprintf (out,
           "\n%" G_GUINT64_FORMAT " transcripts, %" G_GUINT64_FORMAT " protocol lines in "
           "%.2f s\n",
           run->transcripts, run->lines, seconds);
}

int
emlint_imap_run (const EmlintRunOptions *opt, EmlintTranscriptFormat format, EmlintNextInput next,
                 gpointer user_data)
{
  static const char *const transcript_globs[] = {
    "*.in", "*.out", "*.log", "*.txt", "*.imap", NULL
  };
  ImapRun run = { .opt = opt, .format = format };
  g_autoptr (GPtrArray) include = g_ptr_array_new ();
  EmlintWalkOptions walk = opt->walk;
  run.stats = g_new0 (ImapRuleStats, emlint_rule_count ());
  run.started = g_get_monotonic_time ();
  run.done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.reporter = emlint_reporter_new (&opt->report, stdout);
  /* In a directory, transcripts are these names, and whatever --include adds. */
  for (guint i = 0; transcript_globs[i] != NULL; i++)
    g_ptr_array_add (include, (gpointer) transcript_globs[i]);
  for (guint i = 0; opt->walk.include != NULL && opt->walk.include[i] != NULL; i++)
    g_ptr_array_add (include, opt->walk.include[i]);
  g_ptr_array_add (include, NULL);
  walk.include = run.globs = (char **) include->pdata;
  for (const char *path;
       (path = emlint_next_input (next, user_data, &run.settings, &run.status)) != NULL;)
    {
      run.named = path;
      run.linter = run.settings != NULL ? run.settings->linter : NULL;
      if (run.linter != NULL)
        emlint_walk (path, &walk, on_file, on_walk_error, &run);
    }
  emlint_reporter_finish (run.reporter);
  emlint_reporter_free (run.reporter);
  if (opt->statistics)
    print_statistics (&run);
  g_hash_table_unref (run.done);
  g_free (run.stats);
  return run.status;
}
