/* test-imap.c: `emlint imap` (issue 17).
 *
 *   corpus/imap/<rule-id>/<case>.<format>.<ext>   a transcript (bad-*: the rule fires; good-*:
 *                                                  it does not); <format> names how it is
 *                                                  written: rfc, imaplib, curl, rawlog (a .in
 *                                                  with its .out), plain, thunderbird
 *   corpus/imap/<rule-id>/<case>...expect         the exact output of `emlint imap --no-source`
 *
 * Every case is read as detected and as forced with --transcript-format, with the same result.
 * Then: secrets are masked in every output format and in the model; --statistics names what a
 * transcript lacks; the command line, configuration and registry are check's.
 * EMLINT_REGENERATE=1 rewrites the sidecars, to be reviewed with git diff. */
#include "testutil.h"

#include "engine.h"
#include "rule.h"
#include "transcript.h"

#include <string.h>

static GPtrArray *cases; /* of "rule-id/case" */

static const char *const formats[] = { "rfc", "imaplib", "curl", "rawlog", "plain", "thunderbird" };

/* The format a case's name says, or NULL when it is no case (a sidecar, a rawlog's .out). */
static const char *
case_format (const char *name)
{
  g_auto (GStrv) parts = g_strsplit (name, ".", -1);
  guint n = g_strv_length (parts);

  if (n < 3 || (!g_str_has_prefix (name, "bad-") && !g_str_has_prefix (name, "good-"))
      || strcmp (parts[n - 1], "expect") == 0 || strcmp (parts[n - 1], "out") == 0)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (strcmp (parts[n - 2], formats[i]) == 0)
      return formats[i];
  return NULL;
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
collect_cases (void)
{
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  cases = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *dir = g_build_filename (test_source_root (), "corpus", "imap", rules[i]->id,
                                               NULL);
      GDir *d = rules[i]->model == EMLINT_MODEL_TRANSCRIPT ? g_dir_open (dir, 0, NULL) : NULL;
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        if (case_format (name) != NULL)
          g_ptr_array_add (cases, g_build_filename (rules[i]->id, name, NULL));
      if (d != NULL)
        g_dir_close (d);
    }
  g_ptr_array_sort (cases, compare_strings);
}

START_TEST (test_case)
{
  const char *rel = g_ptr_array_index (cases, _i);
  g_autofree char *base = g_path_get_basename (rel);
  g_autofree char *path = g_build_filename ("corpus", "imap", rel, NULL);
  g_autofree char *expect = g_strconcat (test_source_root (), "/", path, ".expect", NULL);
  g_autofree char *forced = g_strdup_printf ("--transcript-format=%s", case_format (base));
  const char *auto_argv[] = { "imap", "--no-source", "--isolated", path, NULL };
  const char *forced_argv[] = { "imap", "--no-source", "--isolated", forced, path, NULL };
  g_autoptr (TestRun) run = test_emlint (NULL, NULL, auto_argv);
  g_autoptr (TestRun) again = test_emlint (NULL, NULL, forced_argv);

  test_check_case (rel, run, expect);
  ck_assert_msg (strcmp (run->out, again->out) == 0 && run->status == again->status,
                 "%s: detected and forced (%s) differ:\n%s\n---\n%s", rel, forced, run->out,
                 again->out);
}
END_TEST

/* Every transcript rule has at least three bad and two good cases; every format has cases. */
START_TEST (test_every_rule_and_format_has_cases)
{
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  for (guint i = 0; i < n; i++)
    {
      if (rules[i]->model != EMLINT_MODEL_TRANSCRIPT)
        continue;
      ck_assert (g_str_has_prefix (rules[i]->id, "imap-"));
      test_assert_rule_cases (cases, rules[i]->id, "corpus/imap/");
    }
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      guint seen = 0;
      g_autofree char *suffix = g_strdup_printf (".%s.", formats[f]);
      for (guint k = 0; k < cases->len; k++)
        seen += strstr (g_ptr_array_index (cases, k), suffix) != NULL;
      ck_assert_msg (seen >= 2, "only %u cases in format %s", seen, formats[f]);
    }
}
END_TEST

/* Every folder of corpus/imap/ is a transcript rule's; every file is a case, a sidecar of one,
 * or the .out of a rawlog case. */
START_TEST (test_no_stray_files)
{
  g_autofree char *corpus = g_build_filename (test_source_root (), "corpus", "imap", NULL);
  GDir *d = g_dir_open (corpus, 0, NULL);
  const char *name;

  ck_assert (d != NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *sub = g_build_filename (corpus, name, NULL);
      const EmlintRule *rule = emlint_rule_lookup (name);
      GDir *cd;
      const char *file;

      ck_assert_msg (rule != NULL && rule->model == EMLINT_MODEL_TRANSCRIPT,
                     "corpus/imap/%s is no transcript rule's folder", name);
      cd = g_dir_open (sub, 0, NULL);
      while ((file = g_dir_read_name (cd)) != NULL)
        {
          g_autofree char *stem = NULL;
          g_autofree char *bare = NULL;
          g_autofree char *stem_path = NULL;

          if (g_str_has_suffix (file, ".expect"))
            stem = g_strndup (file, strlen (file) - strlen (".expect"));
          else if (g_str_has_suffix (file, ".out"))
            bare = g_strndup (file, strlen (file) - strlen (".out")),
            stem = g_strconcat (bare, ".in", NULL);
          else
            stem = g_strdup (file);
          stem_path = g_build_filename (sub, stem, NULL);
          ck_assert_msg (case_format (stem) != NULL,
                         "corpus/imap/%s/%s is neither a case nor a "
                         "sidecar",
                         name, file);
          ck_assert_msg (g_file_test (stem_path, G_FILE_TEST_EXISTS),
                         "corpus/imap/%s/%s has "
                         "no case",
                         name, file);
        }
      g_dir_close (cd);
    }
  g_dir_close (d);
}
END_TEST

/* ---- secrets --------------------------------------------------------------------------- */

static const char *const secrets[] = { "pa55-word", "s3cret x", "hunter22",
                                       "AGJvYgBzM2NyZXQ=", "dGhpcyBpcyBzZWNyZXQ=" };

/* A session where every secret is on a line that has a finding (nothing is completed). */
static const char secret_session[] = "S: * OK ready\r\n"
                                     "C: a1 LOGIN bob pa55-word\r\n"
                                     "C: a2 LOGIN \"bob\" \"s3cret x\"\r\n"
                                     "C: a3 LOGIN {3}\r\n"
                                     "C: bob {8}\r\n"
                                     "C: hunter22\r\n"
                                     "C: a4 AUTHENTICATE PLAIN AGJvYgBzM2NyZXQ=\r\n"
                                     "C: a5 AUTHENTICATE PLAIN\r\n"
                                     "S: + \r\n"
                                     "C: dGhpcyBpcyBzZWNyZXQ=\r\n";

START_TEST (test_secrets_masked_in_every_format)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "secret.txt", NULL);
  const char *const output_formats[] = { "text", "json", "jsonl", "sarif", "github" };

  test_write (path, secret_session, -1);
  for (guint f = 0; f < G_N_ELEMENTS (output_formats); f++)
    {
      const char *argv[] = { "imap", "--isolated", "--source", "--format", output_formats[f],
                             path,   NULL };
      g_autoptr (TestRun) run = test_emlint (NULL, NULL, argv);

      ck_assert_int_eq (run->status, 1);
      ck_assert_msg (strstr (run->out, "a1 LOGIN") != NULL || f > 0, "%s", run->out);
      for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
        ck_assert_msg (strstr (run->out, secrets[s]) == NULL
                         && strstr (run->err, secrets[s]) == NULL,
                       "%s output shows '%s':\n%s", output_formats[f], secrets[s], run->out);
    }
  test_rmtree (dir);
}
END_TEST

/* The model itself: the sources hold the masked octets, same length, so lines do not move. */
START_TEST (test_secrets_masked_in_model)
{
  g_autoptr (GBytes) bytes = g_bytes_new_static (secret_session, sizeof secret_session - 1);
  g_autoptr (GPtrArray) all = emlint_transcript_read (bytes, "s", EMLINT_TRANSCRIPT_AUTO);
  const EmlintTranscript *t = g_ptr_array_index (all, 0);
  const EmlintMessage *source = g_ptr_array_index (t->sources, 0);
  g_autofree char *text = g_strndup (source->data, source->len);

  ck_assert_int_eq (t->format, EMLINT_TRANSCRIPT_RFC);
  ck_assert_uint_eq (source->len, sizeof secret_session - 1);
  for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
    ck_assert_msg (strstr (text, secrets[s]) == NULL, "source shows '%s':\n%s", secrets[s], text);
  for (guint i = 0; i < t->lines->len; i++)
    for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
      ck_assert (strstr (emlint_transcript_line (t, i)->text, secrets[s]) == NULL);
  /* What is not secret stays: the user names, the mechanism, the literal sizes. */
  ck_assert (strstr (text, "C: a1 LOGIN bob *********\r\n") != NULL);
  ck_assert (strstr (text, "C: a2 LOGIN \"bob\" **********\r\n") != NULL);
  ck_assert (strstr (text, "C: bob {8}\r\nC: ********\r\n") != NULL);
  ck_assert (strstr (text, "C: a4 AUTHENTICATE PLAIN ****************\r\n") != NULL);
}
END_TEST

/* imaplib's repr() escapes: the model decodes them, and findings point at the file's octets. */
START_TEST (test_imaplib_escapes)
{
  static const char log[] = "  00:01.00 < b'* OK ready'\n"
                            "  00:01.01 > b'A1 LOGIN bob \"p\\\\w\\'d\"'\n"
                            "  00:01.02 < b'* LIST () \"/\" \"x\\\\\\\\y\\xc3\\xa9\\\\q\"'\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (log, sizeof log - 1);
  g_autoptr (GPtrArray) all = emlint_transcript_read (bytes, "log", EMLINT_TRANSCRIPT_AUTO);
  const EmlintTranscript *t = g_ptr_array_index (all, 0);
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  g_autoptr (GPtrArray) diags = NULL;
  const char *line3 = strstr (log, "  00:01.02");
  const EmlintMessage *source;
  g_autofree char *masked = NULL;
  gboolean found = FALSE;

  ck_assert_int_eq (t->format, EMLINT_TRANSCRIPT_IMAPLIB);
  ck_assert_uint_eq (t->lines->len, 3);
  ck_assert_str_eq (emlint_transcript_line (t, 2)->text, "* LIST () \"/\" \"x\\\\y\xc3\xa9\\q\"");
  source = g_ptr_array_index (t->sources, 0);
  masked = g_strndup (source->data, source->len);
  /* The password, escapes and all, is masked in the file. */
  ck_assert_msg (strstr (masked, "p\\\\w") == NULL && strstr (masked, "bob *********'") != NULL,
                 "%s", masked);
  diags = emlint_lint_transcript (config, t);
  for (guint i = 0; i < diags->len; i++)
    {
      const EmlintDiagnostic *d = g_ptr_array_index (diags, i);
      if (strcmp (d->rule->id, "imap-response-syntax") != 0)
        continue;
      /* The backslash before 'q', where its escaped form "\\\\q" is in the file. */
      ck_assert_uint_eq (d->line, 3);
      ck_assert_uint_eq (d->column, (guint) (strstr (line3, "\\\\q") - line3) + 1);
      found = TRUE;
    }
  ck_assert (found);
}
END_TEST

/* A Thunderbird log: one transcript per connection; a line logged in 400-octet pieces is one
 * line again; the LOGIN the log hides is a command whose completion is no stranger. */
START_TEST (test_thunderbird_connections)
{
  g_autofree char *path = g_build_filename (test_source_root (), "corpus", "imap",
                                            "imap-unknown-tag", "good-hidden-login.thunderbird.log",
                                            NULL);
  g_autoptr (GBytes) bytes = test_read (path);
  g_autoptr (GPtrArray) all = emlint_transcript_read (bytes, "tb", EMLINT_TRANSCRIPT_AUTO);

  ck_assert_uint_eq (all->len, 2);
  for (guint k = 0; k < all->len; k++)
    {
      const EmlintTranscript *t = g_ptr_array_index (all, k);
      guint hidden = 0, long_lines = 0;

      ck_assert_int_eq (t->format, EMLINT_TRANSCRIPT_THUNDERBIRD);
      ck_assert_uint_eq (t->has, EMLINT_HAS_DIRECTION | EMLINT_HAS_ORDER | EMLINT_HAS_LITERALS
                                   | EMLINT_HAS_START);
      for (guint i = 0; i < t->lines->len; i++)
        {
          const EmlintImapLine *line = emlint_transcript_line (t, i);
          hidden += line->hidden;
          if (g_str_has_prefix (line->text, "* CAPABILITY IMAP4rev1 X-EXTENSION-00 "))
            {
              ck_assert_msg (g_str_has_suffix (line->text, " X-EXTENSION-38 X-EXTENSION-39")
                               && line->len == 23 + 40 * 15 - 1,
                             "%s", line->text);
              long_lines++;
            }
        }
      ck_assert_uint_eq (hidden, 1);
      ck_assert_uint_eq (long_lines, 1);
    }
}
END_TEST

/* ---- what a transcript lacks ------------------------------------------------------------- */

START_TEST (test_statistics_say_what_was_not_checked)
{
  const char *imaplib_argv[] = { "imap", "--isolated", "--statistics",
                                 "corpus/imap/imap-id-required/bad-netease.imaplib.log", NULL };
  const char *plain_argv[] = { "imap", "--isolated", "--statistics",
                               "corpus/imap/imap-line-prefix/good-s-client.plain.txt", NULL };
  g_autoptr (TestRun) imaplib = test_emlint (NULL, NULL, imaplib_argv);
  g_autoptr (TestRun) plain = test_emlint (NULL, NULL, plain_argv);

  ck_assert_msg (strstr (imaplib->out, "not checked: imap-literal-size in 1 transcript (no literal "
                                       "payloads in the log)\n")
                   != NULL,
                 "%s", imaplib->out);
  ck_assert (strstr (imaplib->out, "not checked: imap-untagged-bad") == NULL);
  ck_assert_int_eq (plain->status, 0);
  ck_assert_msg (strstr (plain->out, "not checked: imap-untagged-bad in 1 transcript (no direction "
                                     "markers")
                   != NULL,
                 "%s", plain->out);
  ck_assert (strstr (plain->out, "1 transcripts, ") != NULL);
}
END_TEST

/* ---- the command line, configuration and registry are check's ----------------------------- */

#define QQ "corpus/imap/imap-untagged-bad/bad-qq.rfc.txt"

START_TEST (test_shared_command_line)
{
  const char *rules_argv[] = { "rules", NULL };
  const char *explain_argv[] = { "explain", "imap-id-required", NULL };
  const char *select_argv[] = { "imap", "--isolated", "--select", "imap-untagged-bad", QQ, NULL };
  const char *ignore_argv[] = { "imap",
                                "--isolated",
                                "--ignore",
                                "imap-untagged-bad,"
                                "imap-no-completion",
                                QQ,
                                NULL };
  const char *check_argv[] = { "check", "--isolated", QQ, NULL };
  const char *bad_format_argv[] = { "imap", "--transcript-format", "pcap", QQ, NULL };
  const char *missing_argv[] = { "imap", "--isolated", "no/such/file.log", QQ, NULL };
  const char *stdin_argv[] = { "imap", "--isolated", "--stdin-filename", "qq.txt", "-", NULL };
  const char *html_argv[] = { "imap", "--isolated", "--format", "html", QQ, NULL };
  const char *baseline_argv[] = { "imap", "--isolated", "--write-baseline", "b.json", QQ, NULL };
  g_autoptr (TestRun) rules = test_emlint (NULL, NULL, rules_argv);
  g_autoptr (TestRun) explain = test_emlint (NULL, NULL, explain_argv);
  g_autoptr (TestRun) select = test_emlint (NULL, NULL, select_argv);
  g_autoptr (TestRun) ignore = test_emlint (NULL, NULL, ignore_argv);
  g_autoptr (TestRun) check = test_emlint (NULL, NULL, check_argv);
  g_autoptr (TestRun) bad_format = test_emlint (NULL, NULL, bad_format_argv);
  g_autoptr (TestRun) missing = test_emlint (NULL, NULL, missing_argv);
  g_autofree char *qq_path = g_build_filename (test_source_root (), QQ, NULL);
  g_autofree char *qq_text = NULL;
  g_autoptr (TestRun) from_stdin = NULL;

  ck_assert (strstr (rules->out, "imap-untagged-bad") != NULL);
  ck_assert (strstr (rules->out, "msgid-missing") != NULL);
  ck_assert (strstr (explain->out, "RFC 2971 section 3") && strstr (explain->out, "Why it is bad"));
  ck_assert_int_eq (select->status, 1);
  ck_assert (strstr (select->out, "[imap-untagged-bad]") != NULL);
  ck_assert (strstr (select->out, "[imap-no-completion]") == NULL);
  ck_assert_int_eq (ignore->status, 0);
  ck_assert_str_eq (ignore->out, "");
  /* check reads the transcript as mail: no imap- rule runs there. */
  ck_assert (strstr (check->out, "[imap-") == NULL);
  ck_assert_int_eq (bad_format->status, 2);
  ck_assert (strstr (bad_format->err, "--transcript-format") != NULL);
  ck_assert_int_eq (missing->status, 2);
  ck_assert (strstr (missing->err, "no/such/file.log") != NULL);
  ck_assert (strstr (missing->out, "[imap-untagged-bad]") != NULL);
  /* What only mail has (the HTML report, baselines) is refused, not silently ignored. */
  {
    g_autoptr (TestRun) html = test_emlint (NULL, NULL, html_argv);
    g_autoptr (TestRun) baseline = test_emlint (NULL, NULL, baseline_argv);
    ck_assert_int_eq (html->status, 2);
    ck_assert_int_eq (baseline->status, 2);
    ck_assert (strstr (baseline->err, "--write-baseline") != NULL);
  }
  ck_assert (g_file_get_contents (qq_path, &qq_text, NULL, NULL));
  from_stdin = test_emlint (NULL, qq_text, stdin_argv);
  ck_assert_int_eq (from_stdin->status, 1);
  ck_assert (g_str_has_prefix (from_stdin->out, "qq.txt:"));
}
END_TEST

START_TEST (test_configuration)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *ini = g_build_filename (dir, ".emlint.ini", NULL);
  g_autofree char *qq = g_build_filename (test_source_root (), QQ, NULL);
  g_autofree char *copy = g_build_filename (dir, "qq.txt", NULL);
  g_autofree char *text = NULL;
  const char *argv[] = { "imap", "--format", "jsonl", "qq.txt", NULL };
  g_autoptr (TestRun) run = NULL;

  ck_assert (g_file_get_contents (qq, &text, NULL, NULL));
  test_write (copy, text, -1);
  test_write (ini, "[rules]\nimap-untagged-bad = warning\nimap-no-completion = off\n", -1);
  run = test_emlint (dir, NULL, argv);
  ck_assert_int_eq (run->status, 0); /* a warning does not fail by default */
  ck_assert_msg (strstr (run->out, "\"rule\":\"imap-untagged-bad\",\"severity\":\"warning\"")
                   != NULL,
                 "%s", run->out);
  ck_assert (strstr (run->out, "imap-no-completion") == NULL);
  test_run_free (g_steal_pointer (&run));
  /* Per-path ignores, matched against the path relative to the configuration's folder. */
  test_write (ini, "[per-path-ignores]\nq*.txt = imap-untagged-bad\n", -1);
  run = test_emlint (dir, NULL, argv);
  ck_assert_int_eq (run->status, 1);
  ck_assert (strstr (run->out, "imap-untagged-bad") == NULL);
  ck_assert (strstr (run->out, "\"rule\":\"imap-no-completion\"") != NULL);
  test_rmtree (dir);
}
END_TEST

/* A rawlog pair is one transcript, read once whichever halves are named; each finding names
 * the half it is in. */
START_TEST (test_rawlog_pair)
{
  const char *argv[] = { "imap",
                         "--isolated",
                         "--no-source",
                         "corpus/imap/imap-literal-size/bad-fetch-long.rawlog.in",
                         "corpus/imap/imap-literal-size/bad-fetch-long.rawlog.out",
                         NULL };
  g_autoptr (TestRun) run = test_emlint (NULL, NULL, argv);
  const char *hit = strstr (run->out, "[imap-literal-size]");

  ck_assert_int_eq (run->status, 1);
  ck_assert_msg (hit != NULL && strstr (hit + 1, "[imap-literal-size]") == NULL, "%s", run->out);
  ck_assert (
    g_str_has_prefix (run->out, "corpus/imap/imap-literal-size/bad-fetch-long.rawlog.out:"));
}
END_TEST

/* A rawlog pair without timestamps: the order is unknown, so only the rules that need no order
 * run, and --statistics says why the others did not. */
START_TEST (test_rawlog_without_timestamps)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "s.in", NULL);
  g_autofree char *out = g_build_filename (dir, "s.out", NULL);
  const char *argv[] = { "imap", "--isolated", "--statistics", "--no-source", in, NULL };
  g_autoptr (TestRun) run = NULL;

  test_write (in, "x1 CAPABILITY\r\n", -1);
  test_write (out, "* OK ready\r\nCAPABILITY IMAP4rev1\r\n* BAD oops\r\n", -1);
  run = test_emlint (NULL, NULL, argv);
  ck_assert_int_eq (run->status, 1);
  ck_assert_msg (strstr (run->out, "s.out:2:1: error: ") && strstr (run->out, "[imap-line-prefix]"),
                 "%s", run->out);
  ck_assert (strstr (run->out, "[imap-untagged-bad]") == NULL);
  ck_assert (strstr (run->out, "not checked: imap-untagged-bad in 1 transcript (client and server "
                               "order unknown (no timestamps))")
             != NULL);
  test_rmtree (dir);
}
END_TEST

/* In a directory, transcripts are read by name; mail files beside them are not. */
START_TEST (test_directory)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *qq = g_build_filename (test_source_root (), QQ, NULL);
  g_autofree char *copy = g_build_filename (dir, "qq.txt", NULL);
  g_autofree char *mail = g_build_filename (dir, "m.eml", NULL);
  g_autofree char *text = NULL;
  const char *argv[] = { "imap", "--isolated", "--statistics", "--no-source", dir, NULL };
  g_autoptr (TestRun) run = NULL;

  ck_assert (g_file_get_contents (qq, &text, NULL, NULL));
  test_write (copy, text, -1);
  test_write (mail, "S: OK not a transcript\r\n", -1);
  run = test_emlint (NULL, NULL, argv);
  ck_assert_int_eq (run->status, 1);
  ck_assert (strstr (run->out, "qq.txt:5:4: error: ") != NULL);
  ck_assert (strstr (run->out, "m.eml") == NULL);
  ck_assert (strstr (run->out, "\n1 transcripts, ") != NULL);
  test_rmtree (dir);
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("imap");
  TCase *tc = tcase_create ("imap");
  int status;

  collect_cases ();
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_every_rule_and_format_has_cases);
  tcase_add_test (tc, test_no_stray_files);
  tcase_add_loop_test (tc, test_case, 0, (int) cases->len);
  tcase_add_test (tc, test_secrets_masked_in_every_format);
  tcase_add_test (tc, test_secrets_masked_in_model);
  tcase_add_test (tc, test_imaplib_escapes);
  tcase_add_test (tc, test_thunderbird_connections);
  tcase_add_test (tc, test_statistics_say_what_was_not_checked);
  tcase_add_test (tc, test_shared_command_line);
  tcase_add_test (tc, test_configuration);
  tcase_add_test (tc, test_rawlog_pair);
  tcase_add_test (tc, test_rawlog_without_timestamps);
  tcase_add_test (tc, test_directory);
  suite_add_tcase (suite, tc);
  status = test_run_suite (suite);
  g_ptr_array_unref (cases);
  return status;
}
