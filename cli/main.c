/* main.c: the emlint command line (doc/DESIGN.md "Command line"). */
#include "emlint-config.h"

#include "baseline.h"
#include "escape.h"
#include "imap.h"
#include "settings.h"
#include "suggest.h"
#include "tally.h"
#include "output.h"
#include "run.h"

#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  char *format, *select, *ignore, *fail_on, *color, *stdin_filename, *msgid_domain;
  char *output, *output_dir, *suffix, *config, *files_from, *transcript_format;
  char *max_message_size;
  char *max_findings_per_rule;
  char *output_file, *baseline, *write_baseline, *group_by;
  char **include, **exclude, **paths;
  int jobs, msgid_domain_max;
  gboolean statistics, quiet, source, no_source, in_place, diff, unsafe_fixes, version, isolated,
    null_separated, exit_zero;
} Options;

static Options opt = { .jobs = 0, .msgid_domain_max = G_MININT };

static const GOptionEntry common_entries[] = {
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt.format,
    "Output format: text, json, jsonl, sarif, github, html", "FORMAT" },
  { "select", 0, 0, G_OPTION_ARG_STRING, &opt.select, "Run only these rules", "RULE,..." },
  { "ignore", 0, 0, G_OPTION_ARG_STRING, &opt.ignore, "Do not run these rules", "RULE,..." },
  { "fail-on", 0, 0, G_OPTION_ARG_STRING, &opt.fail_on,
    "Exit 1 on findings at or above this severity: error (default), warning, info", "SEVERITY" },
  { "jobs", 'j', 0, G_OPTION_ARG_INT, &opt.jobs, "Parallel jobs (default: the number of cores)",
    "N" },
  { "statistics", 0, 0, G_OPTION_ARG_NONE, &opt.statistics,
    "Print findings and messages per rule, and totals", NULL },
  { "group-by", 0, 0, G_OPTION_ARG_STRING, &opt.group_by,
    "With --statistics: also per generator, sender-domain, msgid-domain or month", "KEY" },
  { "exit-zero", 0, 0, G_OPTION_ARG_NONE, &opt.exit_zero,
    "Exit 0 even when there are findings (errors still exit 2)", NULL },
  { "output-file", 0, 0, G_OPTION_ARG_FILENAME, &opt.output_file,
    "Write the report to FILE instead of the standard output", "FILE" },
  { "baseline", 0, 0, G_OPTION_ARG_FILENAME, &opt.baseline,
    "Report only the findings that are not in this baseline file", "FILE" },
  { "write-baseline", 0, 0, G_OPTION_ARG_FILENAME, &opt.write_baseline,
    "Record every finding's fingerprint in FILE (a baseline for --baseline)", "FILE" },
  { "color", 0, 0, G_OPTION_ARG_STRING, &opt.color, "Colours: auto (default), always, never",
    "WHEN" },
  { "source", 0, 0, G_OPTION_ARG_NONE, &opt.source, "Show the offending line and a caret", NULL },
  { "no-source", 0, 0, G_OPTION_ARG_NONE, &opt.no_source, "Do not show the offending line", NULL },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt.quiet, "Print findings and errors only", NULL },
  { "stdin-filename", 0, 0, G_OPTION_ARG_STRING, &opt.stdin_filename,
    "The name to report for standard input ('-')", "NAME" },
  { "files-from", 0, 0, G_OPTION_ARG_FILENAME, &opt.files_from,
    "Also lint the paths listed in FILE, one a line ('-': standard input)", "FILE" },
  { "null", '0', 0, G_OPTION_ARG_NONE, &opt.null_separated,
    "--files-from paths are separated by NUL (find -print0)", NULL },
  { "include", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.include,
    "In directories, also lint files matching GLOB", "GLOB" },
  { "exclude", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.exclude,
    "In directories, skip names or paths matching GLOB", "GLOB" },
  { "msgid-domain", 0, 0, G_OPTION_ARG_STRING, &opt.msgid_domain,
    "Domain for new Message-IDs (unsafe fixes of msgid-missing, msgid-long-domain)", "DOMAIN" },
  { "msgid-domain-max", 0, 0, G_OPTION_ARG_INT, &opt.msgid_domain_max,
    "Longest id-right msgid-long-domain accepts (default 48)", "N" },
  { "max-message-size", 0, 0, G_OPTION_ARG_STRING, &opt.max_message_size,
    "Largest message read; a larger one is an error (default 256M)", "SIZE" },
  { "max-findings-per-rule", 0, 0, G_OPTION_ARG_STRING, &opt.max_findings_per_rule,
    "Findings of one rule in one message kept before the rest are counted (default 100, "
    "0: all)",
    "N" },
  { "config", 0, 0, G_OPTION_ARG_FILENAME, &opt.config,
    "Use this configuration file instead of .emlint.ini files", "FILE" },
  { "isolated", 0, 0, G_OPTION_ARG_NONE, &opt.isolated, "Ignore every configuration file", NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt.version, "Print the version", NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.paths, NULL, NULL },
  { NULL },
};

static const GOptionEntry fix_entries[] = {
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt.output,
    "Write the repaired copy of the one input to FILE ('-': stdout)", "FILE" },
  { "output-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt.output_dir,
    "Write repaired copies under DIR, mirroring the paths given", "DIR" },
  { "suffix", 0, 0, G_OPTION_ARG_STRING, &opt.suffix,
    "Write each repaired copy beside its input, named input+SUF", "SUF" },
  { "in-place", 0, 0, G_OPTION_ARG_NONE, &opt.in_place,
    "Replace the inputs (atomically; mode, owner and mtime kept)", NULL },
  { "diff", 0, 0, G_OPTION_ARG_NONE, &opt.diff, "Print a unified diff; write nothing", NULL },
  { "unsafe-fixes", 0, 0, G_OPTION_ARG_NONE, &opt.unsafe_fixes, "Also apply fixes marked unsafe",
    NULL },
  { NULL },
};

static const GOptionEntry imap_entries[] = {
  { "transcript-format", 0, 0, G_OPTION_ARG_STRING, &opt.transcript_format,
    "Read transcripts as: auto (default), rfc, imaplib, rawlog, curl, plain, thunderbird",
    "FORMAT" },
  { NULL },
};

static const GOptionEntry rules_entries[] = {
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt.format, "Output format: text, json", "FORMAT" },
  { NULL },
};

static const GOptionEntry explain_entries[] = {
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.paths, NULL, NULL },
  { NULL },
};

static const char *const commands_help =
  "Commands:\n"
  "  check PATH...   lint (the default command); PATH: file, directory, mbox, '-'\n"
  "  fix PATH...     write repaired copies (one of -o, --output-dir, --suffix,\n"
  "                  --in-place, --diff; see 'emlint fix --help')\n"
  "  imap PATH...    lint recorded IMAP sessions (imap- rules; see 'emlint imap --help')\n"
  "  rules           list the rules\n"
  "  explain RULE    print a rule's documentation\n"
  "\n"
  "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage or I/O error.";

static int
usage_error (const char *message)
{
  emlint_print_error (NULL, message);
  fputs ("Try 'emlint --help'.\n", stderr);
  return 2;
}

/* `emlint rules` and `emlint explain` print the public registry (emlint.h), as any program
 * that links libemlint sees it. */
static int
cmd_rules (void)
{
  size_t n = emlint_rule_count ();
  int width = 0;
  g_autoptr (GString) out = g_string_new (NULL);

  if (opt.format != NULL && strcmp (opt.format, "json") == 0)
    {
      g_string_append_c (out, '[');
      for (size_t i = 0; i < n; i++)
        {
          const EmlintRuleInfo *rule = emlint_rule_info (i);

          g_string_append_printf (out,
                                  "%s\n  {\"id\":\"%s\",\"severity\":\"%s\",\"fix\":\"%s\","
                                  "\"summary\":",
                                  i ? "," : "", rule->id, emlint_severity_name (rule->severity),
                                  emlint_fixable_name (rule->fixable));
          emlint_escape_json (out, rule->summary, -1);
          g_string_append (out, ",\"rfc\":");
          emlint_escape_json (out, rule->rfc, -1);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "\n]\n");
    }
  else if (opt.format == NULL || strcmp (opt.format, "text") == 0)
    {
      for (size_t i = 0; i < n; i++)
        width = MAX (width, (int) strlen (emlint_rule_info (i)->id));
      for (size_t i = 0; i < n; i++)
        {
          const EmlintRuleInfo *rule = emlint_rule_info (i);

          g_string_append_printf (out, "%-*s  %-7s  %-6s  %s\n", width, rule->id,
                                  emlint_severity_name (rule->severity),
                                  emlint_fixable_name (rule->fixable), rule->summary);
        }
    }
  else
    return usage_error ("rules --format takes text or json");
  fputs (out->str, stdout);
  return 0;
}

static int
cmd_explain (const char *id)
{
  const EmlintRuleInfo *rule = id ? emlint_rule_find (id) : NULL;

  if (id == NULL)
    return usage_error ("explain needs a rule id (see 'emlint rules')");
  if (rule == NULL)
    {
      const char *near = emlint_closest_rule (id);
      g_autofree char *message = near
                                   ? g_strdup_printf ("unknown rule '%s'; did you mean '%s'?", id,
                                                      near)
                                   : g_strdup_printf ("unknown rule '%s' (see 'emlint rules')", id);
      return usage_error (message);
    }
  printf ("%s (%s)\n%s\n%s\n\n%s", rule->id, emlint_severity_name (rule->severity), rule->summary,
          rule->rfc, rule->doc);
  return 0;
}

/* The command line's options for libemlint (emlint.h). FALSE with @error on a value that the
 * command line itself reads. */
static gboolean
linter_options (EmlintOptions *o, GError **error)
{
  EmlintSeverity fail_on;
  guint64 findings;

  emlint_options_init (o);
  o->select = opt.select;
  o->ignore = opt.ignore;
  if (opt.fail_on != NULL)
    {
      if (!emlint_severity_parse (opt.fail_on, &fail_on))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--fail-on takes error, warning or info, not '%s'", opt.fail_on);
          return FALSE;
        }
      o->fail_on = fail_on;
    }
  /* Out of range is the library's error, with the number as given; a negative number is the
   * command line's, since -1 would pass as EMLINT_UNSET. */
  if (opt.msgid_domain_max != G_MININT && opt.msgid_domain_max < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--msgid-domain-max takes a number from 1 to 255, not %d",
                   opt.msgid_domain_max);
      return FALSE;
    }
  if (opt.msgid_domain_max != G_MININT)
    o->msgid_domain_max = (unsigned) opt.msgid_domain_max;
  o->msgid_domain = opt.msgid_domain;
  o->max_message_size = opt.max_message_size;
  if (opt.max_findings_per_rule != NULL)
    {
      if (!g_ascii_string_to_unsigned (opt.max_findings_per_rule, 10, 0, G_MAXUINT, &findings,
                                       NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--max-findings-per-rule takes a whole number (0: no limit), not '%s'",
                       opt.max_findings_per_rule);
          return FALSE;
        }
      o->max_findings_per_rule = (long) findings;
    }
  o->unsafe_fixes = opt.unsafe_fixes;
  return TRUE;
}

/* libemlint names a wrong option by its field ("msgid_domain_max takes ..."); the command line
 * names the flag ("--msgid-domain-max takes ..."). */
static void
name_the_flag (GError *error)
{
  static const char *const fields[] = { "msgid_domain_max ", "msgid_domain ", "max_message_size ",
                                        "max_findings_per_rule ", NULL };

  for (guint i = 0; fields[i] != NULL; i++)
    if (g_str_has_prefix (error->message, fields[i]))
      {
        g_autofree char *flag = g_strdelimit (g_strdup (fields[i]), "_", '-');
        char *message = g_strconcat ("--", flag, error->message + strlen (fields[i]), NULL);

        g_free (error->message);
        error->message = message;
        return;
      }
}

/* Applies the options to @settings (over its file). FALSE with @error on a bad value. */
static gboolean
configure (EmlintSettings *settings, GError **error)
{
  EmlintOptions options;

  if (!linter_options (&options, error))
    return FALSE;
  if (!emlint_settings_configure (settings, &options, error))
    {
      name_the_flag (*error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
choose_destination (EmlintRunOptions *run, GError **error)
{
  guint chosen = (opt.output != NULL) + (opt.output_dir != NULL) + (opt.suffix != NULL)
                 + opt.in_place + opt.diff;

  if (chosen != 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           chosen == 0 ? "fix needs a destination: -o FILE, --output-dir DIR, "
                                         "--suffix SUF, --in-place, or --diff to only show"
                                       : "fix takes exactly one of -o, --output-dir, --suffix, "
                                         "--in-place and --diff");
      return FALSE;
    }
  if (opt.output != NULL)
    {
      if (opt.paths == NULL || g_strv_length (opt.paths) != 1
          || (strcmp (opt.paths[0], "-") != 0 && g_file_test (opt.paths[0], G_FILE_TEST_IS_DIR)))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "-o takes exactly one input file");
          return FALSE;
        }
      run->destination = EMLINT_DEST_FILE, run->target = opt.output;
    }
  else if (opt.output_dir != NULL)
    run->destination = EMLINT_DEST_DIR, run->target = opt.output_dir;
  else if (opt.suffix != NULL)
    {
      if (*opt.suffix == '\0' || strchr (opt.suffix, '/') != NULL)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "--suffix takes a non-empty suffix without '/'");
          return FALSE;
        }
      run->destination = EMLINT_DEST_SUFFIX, run->target = opt.suffix;
    }
  else
    run->destination = opt.in_place ? EMLINT_DEST_IN_PLACE : EMLINT_DEST_DIFF;
  return TRUE;
}

static gboolean
use_color (void)
{
  if (opt.color == NULL || strcmp (opt.color, "auto") == 0)
    return g_getenv ("NO_COLOR") == NULL && emlint_terminal_draws (STDOUT_FILENO);
  return strcmp (opt.color, "always") == 0;
}

static gboolean
report_options (EmlintReportOptions *report, GError **error)
{
  if (opt.color != NULL && strcmp (opt.color, "auto") != 0 && strcmp (opt.color, "always") != 0
      && strcmp (opt.color, "never") != 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--color takes auto, always or never, not '%s'", opt.color);
      return FALSE;
    }
  if (opt.format == NULL)
    report->format = g_getenv ("GITHUB_ACTIONS") != NULL ? EMLINT_FORMAT_GITHUB
                                                         : EMLINT_FORMAT_TEXT;
  else if (!emlint_format_parse (opt.format, &report->format))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--format takes text, json, jsonl, sarif, github or html, not '%s'", opt.format);
      return FALSE;
    }
  /* A report that goes to a file gets neither the terminal's source lines nor its colours. */
  report->source = opt.source
                   || (!opt.no_source && opt.output_file == NULL && isatty (STDOUT_FILENO));
  report->color = use_color () && opt.output_file == NULL;
  report->unsafe_fixes = opt.unsafe_fixes;
  report->fix_notes = report->format == EMLINT_FORMAT_JSON || report->format == EMLINT_FORMAT_JSONL
                      || report->format == EMLINT_FORMAT_SARIF;
  return TRUE;
}

/* The configuration of each input: its file's settings under the command line's. Configurations
 * are shared between inputs that find the same file; @cache owns them. NULL with @error on a
 * bad file or option. */
static EmlintSettings *
config_for (const char *input, GHashTable *cache, GError **error)
{
  /* Standard input is configured like the file it stands for (a pre-commit hook's template). */
  const char *named = strcmp (input, "-") == 0 && opt.stdin_filename ? opt.stdin_filename : input;
  g_autofree char *file = opt.isolated ? NULL
                          : opt.config ? g_strdup (opt.config)
                                       : emlint_settings_find (named);
  const char *key = file ? file : "";
  EmlintSettings *settings = g_hash_table_lookup (cache, key);

  if (settings != NULL)
    return settings;
  settings = emlint_settings_new ();
  if ((file != NULL && !emlint_settings_load (settings, file, error))
      || !configure (settings, error))
    {
      emlint_settings_free (settings);
      return NULL;
    }
  g_hash_table_insert (cache, g_strdup (key), settings);
  return settings;
}

/* The inputs: the paths named, then those of --files-from, read one at a time. */
typedef struct {
  GHashTable *configs; /* configuration file path ("" for none) -> EmlintSettings* */
  guint next_arg;
  GDataInputStream *list; /* --files-from, or NULL */
  char *current;          /* the last path read from the list */
} Inputs;

static const char *
next_input (gpointer user_data, const EmlintSettings **settings, gboolean *failed)
{
  Inputs *in = user_data;
  const char *path = NULL;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&in->current, g_free);
  if (opt.paths != NULL && opt.paths[in->next_arg] != NULL)
    path = opt.paths[in->next_arg++];
  else if (in->list != NULL)
    {
      /* Empty entries (a trailing newline, blank lines) name nothing. */
      do
        {
          g_free (in->current);
          in->current = g_data_input_stream_read_upto (in->list, opt.null_separated ? "" : "\n", 1,
                                                       NULL, NULL, &error);
          if (in->current != NULL)
            g_data_input_stream_read_byte (in->list, NULL, NULL);
        }
      while (in->current != NULL && *in->current == '\0');
      if (error != NULL)
        {
          emlint_print_error (opt.files_from, error->message);
          *failed = TRUE;
        }
      path = in->current;
    }
  if (path == NULL)
    return NULL;
  *settings = config_for (path, in->configs, &error);
  if (*settings == NULL)
    {
      emlint_print_error (NULL, error->message);
      *failed = TRUE;
    }
  return path;
}

static GDataInputStream *
open_list (const char *path, GError **error)
{
  g_autoptr (GInputStream) raw = NULL;

  if (strcmp (path, "-") == 0)
    raw = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr (GFile) file = g_file_new_for_path (path);
      raw = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (raw == NULL)
        return NULL;
    }
  return g_data_input_stream_new (raw);
}

/* The size of the inputs when every one is a regular file (for the progress line's ETA). */
static guint64
named_files_size (void)
{
  guint64 total = 0;
  GStatBuf st;

  if (opt.files_from != NULL || opt.paths == NULL)
    return 0;
  for (guint i = 0; opt.paths[i] != NULL; i++)
    {
      if (g_stat (opt.paths[i], &st) != 0 || !S_ISREG (st.st_mode)
          || g_str_has_suffix (opt.paths[i], ".gz"))
        return 0;
      total += (guint64) st.st_size;
    }
  return total;
}

/* How many of the paths (and --files-from) are '-': a second would read what the first left. */
static guint
stdin_count (void)
{
  guint n = g_strcmp0 (opt.files_from, "-") == 0;

  for (guint i = 0; opt.paths != NULL && opt.paths[i] != NULL; i++)
    n += strcmp (opt.paths[i], "-") == 0;
  return n;
}

static int
cmd_check_or_fix (gboolean fix, gboolean imap)
{
  g_autoptr (GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) emlint_settings_free);
  g_autoptr (GError) error = NULL;
  EmlintRunOptions run = { .group_by = EMLINT_GROUP_NONE };
  Inputs inputs = { cache, 0, NULL, NULL };
  EmlintTranscriptFormat transcript_format = EMLINT_TRANSCRIPT_AUTO;
  int status;

  if (opt.transcript_format != NULL
      && !emlint_transcript_format_parse (opt.transcript_format, &transcript_format))
    return usage_error ("--transcript-format takes auto, rfc, imaplib, rawlog, curl, plain or "
                        "thunderbird");
  if (imap && (opt.group_by || opt.baseline || opt.write_baseline || opt.output_file))
    return usage_error ("imap takes none of --group-by, --baseline, --write-baseline and "
                        "--output-file");
  if (opt.paths == NULL && opt.files_from == NULL)
    return usage_error ("no PATH given ('-' reads standard input)");
  if (g_strcmp0 (opt.write_baseline, "-") == 0
      && (opt.output_file == NULL || strcmp (opt.output_file, "-") == 0))
    return usage_error ("--write-baseline - would mix the baseline into the report on standard "
                        "output; give --output-file FILE too");
  if (stdin_count () > 1)
    return usage_error ("'-' (standard input) is named twice (as a path or --files-from); it "
                        "can be read only once");
  if (!report_options (&run.report, &error) || (fix && !choose_destination (&run, &error))
      || (fix && !emlint_output_check_environment (&error)))
    return usage_error (error->message);
  run.report.fix_notes &= !fix; /* fix says why in every format (run.c) */
  if (imap && run.report.format == EMLINT_FORMAT_HTML)
    return usage_error ("imap reports in text, json, jsonl, sarif or github, not html");
  if (opt.jobs < 0)
    return usage_error ("--jobs takes a positive number");
  if (opt.group_by != NULL && !emlint_group_parse (opt.group_by, &run.group_by))
    return usage_error ("--group-by takes generator, sender-domain, msgid-domain or month");
  if (opt.group_by != NULL && !opt.statistics)
    return usage_error ("--group-by needs --statistics");
  if (opt.baseline != NULL || opt.write_baseline != NULL)
    emlint_baseline_set_root (opt.write_baseline != NULL ? opt.write_baseline : opt.baseline);
  if (opt.baseline != NULL && (run.baseline = emlint_baseline_load (opt.baseline, &error)) == NULL)
    return usage_error (error->message);
  if ((opt.output_file != NULL
       && !emlint_output_unplanted (opt.output_file, "--output-file", &error))
      || !emlint_output_apart (opt.output_file, "--output-file", opt.paths, &error)
      || !emlint_output_apart (opt.write_baseline, "--write-baseline", opt.paths, &error)
      || !emlint_output_distinct (opt.output_file, "--output-file", opt.baseline, "--baseline",
                                  &error)
      || !emlint_output_distinct (opt.output_file, "--output-file", opt.write_baseline,
                                  "--write-baseline", &error))
    return usage_error (error->message);
  /* A broken configuration stops everything before any work: check the named paths' first. */
  for (guint i = 0; opt.paths != NULL && opt.paths[i] != NULL; i++)
    if (config_for (opt.paths[i], cache, &error) == NULL)
      return usage_error (error->message);
  if (opt.files_from != NULL && (inputs.list = open_list (opt.files_from, &error)) == NULL)
    return usage_error (error->message);
  run.total_bytes = named_files_size ();
  run.walk.include = opt.include;
  run.walk.exclude = opt.exclude;
  run.stdin_filename = opt.stdin_filename;
  run.files_from = opt.files_from;
  run.jobs = opt.jobs > 0 ? (guint) opt.jobs : MAX (1u, g_get_num_processors ());
  run.statistics = opt.statistics;
  run.quiet = opt.quiet;
  run.fix = fix;
  run.output_file = opt.output_file;
  run.write_baseline = opt.write_baseline;
  if (fix)
    emlint_output_install_signal_handlers ();
  status = imap ? emlint_imap_run (&run, transcript_format, next_input, &inputs)
                : emlint_run (&run, next_input, &inputs);
  g_clear_object (&inputs.list);
  g_free (inputs.current);
  emlint_baseline_free ((EmlintBaseline *) run.baseline);
  return status == 1 && opt.exit_zero ? 0 : status;
}

static const char *const commands[] = { "check", "fix", "rules", "explain", "imap", NULL };

/* "-j2" is "-j 2" (GOption reads it as the flags -j and -2). Returns a new vector (free it
 * with g_free()) of @argv's strings, borrowed, and "-j". */
static char **
split_jobs_flag (int *argc, char **argv)
{
  GPtrArray *args = g_ptr_array_new ();

  for (int i = 0; i < *argc; i++)
    if (strcmp (argv[i], "--") == 0)
      {
        for (; i < *argc; i++)
          g_ptr_array_add (args, argv[i]);
        break;
      }
    else if (strncmp (argv[i], "-j", 2) == 0 && g_ascii_isdigit (argv[i][2]))
      {
        g_ptr_array_add (args, (char *) "-j");
        g_ptr_array_add (args, argv[i] + 2);
      }
    else
      g_ptr_array_add (args, argv[i]);
  *argc = (int) args->len;
  g_ptr_array_add (args, NULL);
  return (char **) g_ptr_array_free (args, FALSE);
}

/* "emlint chek": a first argument that is no command, no option and no existing path, but
 * close to a command, is a typo rather than a missing file. */
static const char *
mistyped_command (const char *arg)
{
  if (arg == NULL || *arg == '-' || g_file_test (arg, G_FILE_TEST_EXISTS))
    return NULL;
  return emlint_closest_word (arg, commands);
}

/* "emlint -q fix a.eml": a command after an option would be linted as a path (no file has its
 * name, or it would be one). */
static const char *
misplaced_command (char **argv)
{
  if (argv[1] == NULL || *argv[1] != '-' || strcmp (argv[1], "--") == 0)
    return NULL;
  for (guint i = 2; argv[i] != NULL && strcmp (argv[i], "--") != 0; i++)
    if (g_strv_contains (commands, argv[i]) && !g_file_test (argv[i], G_FILE_TEST_EXISTS))
      return argv[i];
  return NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  const char *command = "check", *typo;
  int status;
  g_autofree char **args = NULL;

  emlint_output_hold_std_fds ();
  args = split_jobs_flag (&argc, argv);

  argv = args;
  if (argc > 1 && g_strv_contains (commands, argv[1]))
    {
      command = argv[1];
      argv[1] = argv[0];
      argc--, argv++;
    }
  else if ((typo = misplaced_command (argv)) != NULL)
    {
      g_autofree char *message = g_strdup_printf ("'%s' is a command: it comes first "
                                                  "('emlint %s [OPTION...] PATH...')",
                                                  typo, typo);
      return usage_error (message);
    }
  else if ((typo = mistyped_command (argc > 1 ? argv[1] : NULL)) != NULL)
    {
      g_autofree char *message = g_strdup_printf ("unknown command '%s' (and no such file); "
                                                  "did you mean '%s'?",
                                                  argv[1], typo);
      return usage_error (message);
    }
  if (strcmp (command, "rules") == 0)
    {
      context = g_option_context_new (NULL);
      g_option_context_set_summary (context, "List the rules: id, severity, summary.");
      g_option_context_add_main_entries (context, rules_entries, NULL);
    }
  else if (strcmp (command, "explain") == 0)
    {
      context = g_option_context_new ("RULE");
      g_option_context_set_summary (context, "Print a rule's documentation.");
      g_option_context_add_main_entries (context, explain_entries, NULL);
    }
  else
    {
      context = g_option_context_new ("[COMMAND] PATH...");
      g_option_context_set_summary (context,
                                    strcmp (command, "imap") == 0
                                      ? "Lint recorded IMAP sessions (imap- rules)."
                                      : "Lint and repair the header sections of mail files.");
      g_option_context_set_description (context, commands_help);
      if (strcmp (command, "fix") == 0)
        g_option_context_add_main_entries (context, fix_entries, NULL);
      if (strcmp (command, "imap") == 0)
        g_option_context_add_main_entries (context, imap_entries, NULL);
      g_option_context_add_main_entries (context, common_entries, NULL);
    }
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      gboolean lint = strcmp (command, "rules") != 0 && strcmp (command, "explain") != 0;
      const GOptionEntry *const own[] = { lint ? common_entries : rules_entries,
                                          strcmp (command, "fix") == 0 ? fix_entries : imap_entries,
                                          NULL };
      const GOptionEntry *const others[] = { fix_entries, NULL };
      g_autofree char *hint = emlint_option_hint (args, own, others, "emlint fix");
      g_autofree char *message = g_strdup_printf ("%s%s%s", error->message, hint ? "; " : "",
                                                  hint ? hint : "");
      return usage_error (message);
    }
  if (opt.version)
    {
      printf ("emlint %s (GMime %u.%u.%u)\n", EMLINT_VERSION, gmime_major_version,
              gmime_minor_version, gmime_micro_version);
      return 0;
    }
  /* "emlint rules x", "emlint explain a b": a word that would be ignored is a mistake. */
  if ((strcmp (command, "rules") == 0 && argc > 1)
      || (strcmp (command, "explain") == 0 && opt.paths != NULL && opt.paths[1] != NULL))
    {
      g_autofree char *message = g_strdup_printf ("%s takes %s, not '%s'", command,
                                                  strcmp (command, "rules") == 0 ? "no argument"
                                                                                 : "one rule id",
                                                  strcmp (command, "rules") == 0 ? argv[1]
                                                                                 : opt.paths[1]);
      return usage_error (message);
    }
  signal (SIGXFSZ, SIG_IGN); /* a file too large is a write error (EFBIG) named, not a kill */
  if (strcmp (command, "rules") == 0)
    status = cmd_rules ();
  else if (strcmp (command, "explain") == 0)
    status = cmd_explain (opt.paths ? opt.paths[0] : NULL);
  else
    status = cmd_check_or_fix (strcmp (command, "fix") == 0, strcmp (command, "imap") == 0);
  fflush (stdout);
  return status;
}
