/* test-audit.c: issue 15, the auditor's view and a new user's rough edges: configuration
 * precedence, the README's example configuration, templates, the terminal (progress, summary),
 * pipes, the small CLI defects; then totals, fixability, baselines, grouping and the HTML
 * report. Each test runs the built binary. */
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>

#define CLEAN                                                                                      \
  "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\n"                                    \
  "Message-ID: <1@example.com>\nSubject: hi\n\nbody\n"
#define ENCODED_REPLY                                                                              \
  "In-Reply-To: =?utf-8?q?=3CDB9PR07MB8926A1B2C3D4E5F60718293A4B5C6D7E8F=40DB9P?=\n"               \
  " =?utf-8?q?R07MB8926=2Eeurprd07=2Eprod=2Eoutlook=2Ecom=3E?=\n"
#define ENCODED                                                                                    \
  "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\n"                                    \
  "Message-ID: <2@example.com>\n" ENCODED_REPLY "\nbody\n"
#define NO_MSGID "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\n\nbody\n"
#define LONG_DOMAIN                                                                                \
  "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\nMessage-ID: "                        \
  "<1@aaf39fce-569e-473a-9453-6862595bd8da.prvt.dyno.rt.heroku.com>\n\nbody\n"

/* Writes @text to @name below the test's folder. */
static void
put (const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (test_tmp, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0755);
  test_write (path, text, -1);
}

/* The contents of @name below the test's folder, kept until the test ends. */
static const char *
slurp (const char *name)
{
  g_autofree char *path = g_build_filename (test_tmp, name, NULL);
  g_autoptr (GBytes) bytes = test_read (path);
  char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_ptr_array_add (test_kept, text);
  return text;
}

static guint
occurrences (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

#define RUN(...) test_emlint (test_tmp, NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define RUN_IN(input, ...) test_emlint (test_tmp, input, (const char *const[]){ __VA_ARGS__, NULL })
#define SH(script) test_spawn (test_tmp, NULL, (const char *const[]){ "sh", "-c", script, NULL })

/* ---- defect 1: the command line's selection replaces the file's --------------------------- */

START_TEST (test_select_overrides_config)
{
  g_autoptr (TestRun) sel = NULL, ign = NULL, off = NULL, narrowed = NULL;

  put ("a/.emlint.ini", "[emlint]\nselect = msgid-encoded-word\n");
  put ("a/m.eml", LONG_DOMAIN);
  put ("b/.emlint.ini", "[emlint]\nignore = msgid-long-domain\n");
  put ("b/m.eml", LONG_DOMAIN);
  put ("c/.emlint.ini", "[rules]\nmsgid-long-domain = off\n");
  put ("c/m.eml", LONG_DOMAIN);
  sel = RUN ("check", "--select", "msgid-long-domain", "a/m.eml");
  ign = RUN ("check", "--select", "msgid-long-domain", "b/m.eml");
  off = RUN ("check", "--select", "msgid-long-domain", "c/m.eml");
  narrowed = RUN ("check", "--ignore", "msgid-long-domain", "a/m.eml");

  ck_assert_msg (strstr (sel->out, "[msgid-long-domain]") != NULL, "%s", sel->out);
  ck_assert (strstr (ign->out, "[msgid-long-domain]") != NULL);
  ck_assert (strstr (off->out, "[msgid-long-domain]") != NULL);
  ck_assert_str_eq (narrowed->out, ""); /* --ignore still narrows */
}
END_TEST

/* ---- received mail: header-line-length only with received-line-length ------------------- */

START_TEST (test_received_line_length)
{
  g_autofree char *subject = g_build_filename (test_source_root (), "corpus", "header-line-length",
                                               "good-received-subject-long.eml", NULL);
  g_autofree char *mailman = g_build_filename (test_source_root (), "corpus", "header-line-length",
                                               "good-mailman3-received.eml", NULL);
  g_autoptr (TestRun) plain = NULL, judged = NULL, lists = NULL;

  put ("on.ini", "[emlint]\nreceived-line-length = true\n");
  plain = RUN ("check", "--isolated", "--select", "header-line-length", subject);
  judged = RUN ("check", "--config", "on.ini", "--select", "header-line-length", subject);
  lists = RUN ("check", "--config", "on.ini", "--select", "header-line-length", mailman);

  ck_assert_str_eq (plain->out, ""); /* received mail is left alone by default */
  ck_assert_int_eq (plain->status, 0);
  /* With the key, the originator's 99-octet Subject is judged ... */
  ck_assert_msg (strstr (judged->out, ":14:79: warning: header line is 99 octets long") != NULL,
                 "%s", judged->out);
  /* ... and the list server's and the spam filter's long fields still are not. */
  ck_assert_msg (strcmp (lists->out, "") == 0, "%s", lists->out);
}
END_TEST

/* ---- defect 2: the README's example .emlint.ini works as copied --------------------------- */

/* The ```ini block of README.md's "Configuration" section. */
static char *
readme_example_config (void)
{
  g_autofree char *path = g_build_filename (test_source_root (), "README.md", NULL);
  g_autoptr (GBytes) bytes = test_read (path);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  const char *section = strstr (text, "\n## Configuration\n");
  const char *start = section ? strstr (section, "```ini\n") : NULL;
  const char *end = start ? strstr (start + 7, "```") : NULL;

  ck_assert_msg (end != NULL, "README.md has no ```ini example under ## Configuration");
  return g_strndup (start + 7, (gsize) (end - start - 7));
}

START_TEST (test_readme_example_config)
{
  g_autofree char *ini = readme_example_config ();
  g_autoptr (TestRun) run = NULL, tpl = NULL;

  ck_assert (strstr (ini, "[emlint]\n") != NULL);
  put ("proj/.emlint.ini", ini);
  put ("proj/mail/reply.eml", ENCODED);
  put ("proj/templates/welcome.eml", "Subject: {{ subject }}\n\nHello\n");
  run = RUN ("check", "proj/mail/reply.eml");
  tpl = RUN ("check", "proj/templates/welcome.eml");

  ck_assert_msg (run->status == 1, "status %d: %s", run->status, run->err);
  ck_assert_str_eq (run->err, "");
  ck_assert (strstr (run->out, "[msgid-encoded-word]") != NULL);
  ck_assert_msg (tpl->status == 0 && strcmp (tpl->err, "") == 0, "%d %s %s", tpl->status, tpl->out,
                 tpl->err);
}
END_TEST

START_TEST (test_inline_comments_keep_lists)
{
  g_autoptr (TestRun) run = NULL;

  /* ';' right after a value's text is a list separator; after whitespace, a comment. */
  put ("p/.emlint.ini", "[emlint]\ntransit-fields = Received;X-Long ; the long one\n"
                        "select = header-line-length ; only this\n");
  put ("p/m.eml",
       "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\nX-Long: aaaa "
       "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n\n");
  run = RUN ("check", "p/m.eml");
  ck_assert_int_eq (run->status, 0);
  ck_assert_str_eq (run->out, "");
  ck_assert_str_eq (run->err, "");
}
END_TEST

/* ---- defect 3: templates --------------------------------------------------------------- */

START_TEST (test_template_profile_knows_placeholders)
{
  g_autoptr (TestRun) run = NULL, plain = NULL;

  put ("tpl/.emlint.ini", "[emlint]\nprofile = template\n");
  put ("tpl/reply.eml", "From: {{ sender }}\nTo: ${to}\nMessage-ID: {{ message_id }}\n"
                        "In-Reply-To: {{ in_reply_to }}\nReferences: %(references)s\n"
                        "Subject: {% if urgent %}URGENT {% endif %}{{ subject }}\n\nHi\n");
  run = RUN ("check", "tpl/reply.eml");
  plain = RUN ("check", "--isolated", "tpl/reply.eml");

  ck_assert_msg (run->status == 0 && strcmp (run->out, "") == 0, "%s", run->out);
  ck_assert_uint_eq (occurrences (plain->out, "[msgid-syntax]"), 3);
}
END_TEST

START_TEST (test_fold_never_inside_placeholder)
{
  g_autoptr (TestRun) fix = NULL;
  const char *subject = "Subject: Your weekly report for the account manager of the region "
                        "{{ campaign_region }} is ready\n";
  g_autofree char *mail = g_strconcat ("From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 "
                                       "+0000\nMessage-ID: <1@example.com>\n",
                                       subject, "\nbody\n", NULL);

  /* Without any configuration: octet 78 falls inside the placeholder. */
  ck_assert (strstr (subject, "{{") - subject < 78 && strstr (subject, "}}") - subject > 78);
  put ("t.eml", mail);
  fix = RUN ("fix", "--isolated", "-o", "-", "t.eml");
  ck_assert_msg (strstr (fix->out, "region\n {{ campaign_region }} is ready\n") != NULL, "%s",
                 fix->out);
}
END_TEST

/* ---- defect 4: progress and output on one terminal --------------------------------------- */

START_TEST (test_progress_never_collides)
{
  g_autoptr (GString) mbox = g_string_new (NULL);
  g_autoptr (TestRun) tty = NULL;
  const char *p;
  guint findings = 0;

  for (guint i = 0; i < 50; i++)
    g_string_append_printf (mbox, "From x\n%s\n", i % 10 == 9 ? NO_MSGID : CLEAN);
  put ("p.mbox", mbox->str);
  /* stdout and stderr both on the pseudo-terminal, as in a shell */
  tty = SH ("script -qec '\"$EMLINT\" check --isolated --color never -j1 p.mbox' /dev/null");
  ck_assert (strstr (tty->out, "emlint: 1 message, ") != NULL); /* progress was drawn */
  /* Every finding starts a line, or follows the escape that erased the progress line. */
  for (p = tty->out; (p = strstr (p, "p.mbox:")) != NULL; p++, findings++)
    ck_assert_msg (p == tty->out || p[-1] == '\n'
                     || (p - tty->out >= 3 && p[-1] == 'K' && p[-2] == '['),
                   "a finding in the middle of a line: %.60s", p - MIN (30, p - tty->out));
  ck_assert_uint_eq (findings, 5);
}
END_TEST

/* ---- defect 6: pipes and apps ------------------------------------------------------------ */

START_TEST (test_github_names_stdin)
{
  g_autoptr (TestRun) anon = RUN_IN (ENCODED, "check", "--isolated", "--format", "github", "-");
  g_autoptr (TestRun) named = RUN_IN (ENCODED, "check", "--isolated", "--format", "github",
                                      "--stdin-filename", "out/reply.eml", "-");

  ck_assert_msg (g_str_has_prefix (anon->out, "::error file=<stdin>,line=4,"), "%s", anon->out);
  ck_assert (g_str_has_prefix (named->out, "::error file=out/reply.eml,line=4,"));
  ck_assert (strstr (anon->out, "file=-") == NULL);
}
END_TEST

START_TEST (test_unsafe_fixes_say_what_is_missing)
{
  g_autoptr (TestRun) fix = NULL, fix_plain = NULL, json = NULL, dkim = NULL;

  put ("nomsgid.eml", NO_MSGID);
  put ("long.eml", LONG_DOMAIN);
  put ("signed.eml", "DKIM-Signature: v=1; a=rsa-sha256; c=simple/simple; d=example.com;\n"
                     " s=sel1; h=from:date:in-reply-to; bh=x; b=y\n" ENCODED);
  put ("clean.eml", ENCODED);
  fix = RUN ("fix", "--isolated", "--unsafe-fixes", "--diff", "nomsgid.eml", "long.eml");
  fix_plain = RUN ("fix", "--isolated", "--diff", "long.eml");
  json = RUN ("check", "--isolated", "--format", "json", "nomsgid.eml", "clean.eml");
  dkim = RUN ("check", "--isolated", "--format", "jsonl", "signed.eml");

  ck_assert_str_eq (fix->out, "");
  ck_assert_msg (occurrences (fix->err, "(no fix: it needs --msgid-domain DOMAIN)") == 2, "%s",
                 fix->err);
  ck_assert (strstr (fix_plain->err, "(no fix: it needs --unsafe-fixes and --msgid-domain "
                                     "DOMAIN)")
             != NULL);
  ck_assert (strstr (json->out, "no Message-ID field (unsafe fix: needs --unsafe-fixes and "
                                "--msgid-domain DOMAIN)\",\"fixable\":false,\"fix\":\"unsafe\"}")
             != NULL);
  ck_assert (strstr (json->out, "\"fixable\":true,\"fix\":\"safe\"}") != NULL);
  ck_assert_msg (strstr (dkim->out, "(d=example.com, s=sel1)") != NULL
                   && strstr (dkim->out, "\"fixable\":false,\"fix\":\"unsafe\"}") != NULL,
                 "%s", dkim->out);
}
END_TEST

START_TEST (test_fix_field_null_and_sarif)
{
  g_autoptr (TestRun) json = NULL, sarif = NULL;

  put ("nodate.eml", "From: a@example.com\nMessage-ID: <1@example.com>\n\nbody\n");
  put ("enc.eml", ENCODED);
  json = RUN ("check", "--isolated", "--format", "json", "nodate.eml");
  sarif = RUN ("check", "--isolated", "--format", "sarif", "enc.eml");
  ck_assert (strstr (json->out, "\"fixable\":false,\"fix\":null}") != NULL);
  ck_assert (strstr (sarif->out, "\"properties\":{\"fix\":\"safe\"}") != NULL);
}
END_TEST

START_TEST (test_empty_input)
{
  g_autoptr (TestRun) empty = RUN_IN ("", "check", "--isolated", "-");
  g_autoptr (TestRun) blank = RUN_IN ("\n\n", "check", "--isolated", "--format", "jsonl", "-");

  ck_assert_str_eq (empty->out, "-:1:1: error: empty input: no header at all (did the program "
                                "that wrote it fail?) [field-count]\n");
  ck_assert_int_eq (empty->status, 1);
  ck_assert_uint_eq (occurrences (blank->out, "\n"), 1);
  ck_assert (strstr (blank->out, "empty input") != NULL);
}
END_TEST

/* ---- defect 7: the small ones ---------------------------------------------------------- */

START_TEST (test_jobs_short_form)
{
  g_autoptr (TestRun) joined = NULL, spaced = NULL;

  put ("m.eml", ENCODED);
  joined = RUN ("check", "--isolated", "-j2", "m.eml");
  spaced = RUN ("check", "--isolated", "-j", "2", "m.eml");
  ck_assert_int_eq (joined->status, 1);
  ck_assert_str_eq (joined->out, spaced->out);
}
END_TEST

START_TEST (test_rules_options)
{
  g_autoptr (TestRun) help = RUN ("rules", "--help");
  g_autoptr (TestRun) json = RUN ("rules", "--format", "json");
  g_autoptr (TestRun) text = RUN ("rules");
  g_autoptr (TestRun) bad = RUN ("rules", "--format", "sarif");
  g_autofree char *first = g_strdup_printf ("[\n  {\"id\":\"%.*s\",\"severity\":\"",
                                            (int) strcspn (text->out, " "), text->out);

  ck_assert (strstr (help->out, "--format") != NULL);
  ck_assert (strstr (help->out, "--select") == NULL);
  /* Every rule, in the same order, each object complete. */
  ck_assert_msg (g_str_has_prefix (json->out, first), "%s", json->out);
  ck_assert (g_str_has_suffix (json->out, "\"}\n]\n"));
  ck_assert_uint_eq (occurrences (json->out, "\n  {\"id\":"), occurrences (text->out, "\n"));
  ck_assert_uint_eq (occurrences (json->out, ",\"rfc\":\"RFC "), occurrences (text->out, "\n"));
  ck_assert_int_eq (bad->status, 2);
}
END_TEST

START_TEST (test_did_you_mean)
{
  g_autoptr (TestRun) typo = RUN ("chek", "x.eml");
  g_autoptr (TestRun) rule = RUN ("explain", "msgid-encoded-wrd");
  g_autoptr (TestRun) far = RUN ("explain", "nothing-like-it");
  g_autoptr (TestRun) path = NULL;

  ck_assert_int_eq (typo->status, 2);
  ck_assert_str_eq (typo->err, "emlint: unknown command 'chek' (and no such file); did you mean "
                               "'check'?\nTry 'emlint --help'.\n");
  ck_assert (strstr (rule->err, "did you mean 'msgid-encoded-word'?") != NULL);
  ck_assert (strstr (far->err, "did you mean") == NULL);
  /* A file of that name is linted, as before. */
  put ("chek", ENCODED);
  path = RUN ("--isolated", "chek");
  ck_assert (strstr (path->out, "chek:4:1: error:") != NULL);
}
END_TEST

START_TEST (test_fix_streams_and_diff_labels)
{
  g_autoptr (TestRun) diff = NULL, to_file = NULL, to_stdout = NULL;

  put ("m.eml", "DKIM-Signature: v=1; a=rsa-sha256; c=simple/simple; d=example.com;\n"
                " s=sel1; h=from:date:in-reply-to; bh=x; b=y\n" NO_MSGID);
  put ("e.eml", ENCODED);
  diff = RUN ("fix", "--isolated", "--diff", "e.eml");
  to_file = RUN ("fix", "--isolated", "-o", "out.eml", "m.eml");
  to_stdout = RUN ("fix", "--isolated", "-o", "-", "m.eml");

  ck_assert (strstr (diff->err, "e.eml:4:1: would fix: In-Reply-To") != NULL);
  ck_assert (strstr (diff->err, "fixed:") == NULL);
  /* ... and its closing count is of what fix would repair: it wrote nothing. */
  ck_assert_msg (strstr (diff->err, "emlint: 1 would be fixed, 0 remaining") != NULL, "%s",
                 diff->err);
  /* The remaining findings go to stderr with every destination; stdout carries only data. */
  ck_assert_str_eq (to_file->out, "");
  ck_assert (strstr (to_file->err, "[msgid-missing]") != NULL);
  ck_assert (strstr (to_stdout->err, "[msgid-missing]") != NULL);
  ck_assert (strstr (to_stdout->out, "[msgid-missing]") == NULL);
}
END_TEST

/* ---- features: totals, fixability -------------------------------------------------------- */

START_TEST (test_summary_on_a_terminal)
{
  g_autoptr (TestRun) tty = NULL, piped = NULL;

  put ("d/a.eml", ENCODED);
  put ("d/b.eml", NO_MSGID);
  put ("d/c.eml", CLEAN);
  put ("d/notes.txt", CLEAN);
  tty = SH ("script -qec '\"$EMLINT\" check --isolated --color never d' /dev/null");
  piped = SH ("\"$EMLINT\" check --isolated d 2>&1 | cat");

  ck_assert_msg (strstr (tty->out, "emlint: 3 files, 3 messages: 2 findings (1 error, 1 "
                                   "warning); 1 fixable with 'emlint fix' [*]; 1 more with "
                                   "--unsafe-fixes; 1 entry skipped (not mail by name: 1)")
                   != NULL,
                 "%s", tty->out);
  ck_assert (strstr (tty->out, "[*] [msgid-encoded-word]") != NULL);
  ck_assert (strstr (piped->out, "emlint: 3 files") == NULL); /* a pipe gets findings only */
}
END_TEST

START_TEST (test_statistics_totals_and_groups)
{
  g_autoptr (TestRun) gen = NULL, month = NULL, sender = NULL, bad = NULL, alone = NULL, one = NULL;

  put ("g/php.eml", "From: App <app@shop.example>\nDate: Tue, 3 Oct 2023 10:00:00 +0000\n"
                    "X-Mailer: PHPMailer 6.8.0 (https://github.com/PHPMailer/PHPMailer)\n\nx\n");
  put ("g/py.eml", "From: bot@api.example\nDate: Wed, 1 Nov 2023 10:00:00 +0000\n"
                   "Message-ID: <169876543210.4711.16142961424846318784@"
                   "aaf39fce-569e-473a-9453-6862595bd8da.prvt.dyno.rt.heroku.com>\n\nx\n");
  put ("g/gmail.eml", "From: a@gmail.com\nDate: Thu, 2 Nov 2023 10:00:00 +0000\nMessage-ID: "
                      "<CAKx1=abc@mail.gmail.com>\n\nx\n");
  gen = RUN ("check", "--isolated", "--statistics", "--group-by", "generator", "g");
  month = RUN ("check", "--isolated", "--statistics", "--group-by", "month", "g");
  sender = RUN ("check", "--isolated", "--statistics", "--group-by", "sender-domain", "g");
  bad = RUN ("check", "--isolated", "--statistics", "--group-by", "planet", "g");
  alone = RUN ("check", "--isolated", "--group-by", "month", "g");
  one = RUN ("check", "--isolated", "--statistics", "g/php.eml");

  ck_assert_msg (strstr (gen->out, "2 findings (2 warnings) in 2 of 3 messages; 0 fixable, 2 "
                                   "more with --unsafe-fixes\n")
                   != NULL,
                 "%s", gen->out);
  ck_assert (g_regex_match_simple ("\\nPHPMailer +1 +1 +1 2023-10 +2023-10 +msgid-missing\\n",
                                   gen->out, 0, 0));
  ck_assert (g_regex_match_simple ("\\nPython email \\(make_msgid\\) +1 +1 +1 2023-11 +2023-11 "
                                   "+msgid-long-domain\\n",
                                   gen->out, 0, 0));
  ck_assert (g_regex_match_simple ("\\nGmail +1 +0 +0 ", gen->out, 0, 0));
  ck_assert (g_regex_match_simple ("\\n2023-10 +1 +1 +1 ", month->out, 0, 0));
  ck_assert (g_regex_match_simple ("\\n2023-11 +2 +1 +1 ", month->out, 0, 0));
  ck_assert (g_regex_match_simple ("\\nshop\\.example +1 +1 +1 ", sender->out, 0, 0));
  ck_assert_int_eq (bad->status, 2);
  ck_assert_int_eq (alone->status, 2);
  ck_assert_msg (strstr (one->out, "\n1 file, 1 message, ") != NULL, "%s", one->out);
  ck_assert (strstr (one->out, "\n1 finding (1 warning) in 1 of 1 message; ") != NULL);
}
END_TEST

START_TEST (test_exit_zero_and_output_file)
{
  g_autoptr (TestRun) zero = NULL, broken = NULL, file = NULL, full = NULL;

  put ("e.eml", ENCODED);
  zero = RUN ("check", "--isolated", "--exit-zero", "e.eml");
  broken = RUN ("check", "--isolated", "--exit-zero", "e.eml", "missing.eml");
  file = RUN ("check", "--isolated", "--output-file", "report.json", "--format", "json", "e.eml");
  full = RUN ("check", "--isolated", "--output-file", "/dev/full", "e.eml");

  ck_assert_int_eq (zero->status, 0);
  ck_assert (strstr (zero->out, "[msgid-encoded-word]") != NULL);
  ck_assert_int_eq (broken->status, 2); /* errors still count */
  ck_assert_int_eq (file->status, 1);
  ck_assert_str_eq (file->out, "");
  ck_assert (g_str_has_prefix (slurp ("report.json"), "[\n  {\"path\":\"e.eml\","));
  ck_assert_int_eq (full->status, 2);
  ck_assert_msg (strstr (full->err, "/dev/full: write failed") != NULL, "%s", full->err);
}
END_TEST

/* ---- features: baselines --------------------------------------------------------------- */

START_TEST (test_baseline)
{
  g_autoptr (TestRun) write = NULL, same = NULL, shifted = NULL, changed = NULL, garbage = NULL;
  const char *baseline;

  put ("m.eml", ENCODED);
  write = RUN ("check", "--isolated", "--write-baseline", "base.txt", "m.eml");
  baseline = slurp ("base.txt");
  same = RUN ("check", "--isolated", "--baseline", "base.txt", "m.eml");
  /* A line added above moves the finding, which stays baselined. */
  put ("m.eml", "X-Added: one more line\n" ENCODED);
  shifted = RUN ("check", "--isolated", "--baseline", "base.txt", "m.eml");
  /* A changed value of the field is a new finding. */
  put ("m.eml", "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\nMessage-ID: "
                "<2@example.com>\nIn-Reply-To: =?utf-8?q?=3Cother=40example.org=3E?=\n\nbody\n");
  changed = RUN ("check", "--isolated", "--baseline", "base.txt", "m.eml");
  put ("bad.txt", "not a fingerprint\n");
  garbage = RUN ("check", "--isolated", "--baseline", "bad.txt", "m.eml");

  ck_assert_int_eq (write->status, 1);
  ck_assert (strstr (write->out, "[msgid-encoded-word]") != NULL);
  ck_assert (g_regex_match_simple ("^[0-9a-f]{64} msgid-encoded-word m\\.eml 0 In-Reply-To\\n$",
                                   baseline, 0, 0));
  ck_assert_int_eq (same->status, 0);
  ck_assert_str_eq (same->out, "");
  ck_assert_int_eq (shifted->status, 0);
  ck_assert_str_eq (shifted->out, "");
  ck_assert_int_eq (changed->status, 1);
  ck_assert (strstr (changed->out, "m.eml:4:1: error: In-Reply-To holds") != NULL);
  ck_assert_int_eq (garbage->status, 2);
  ck_assert (strstr (garbage->err, "bad.txt:1:") != NULL);
}
END_TEST

/* ---- features: the HTML report --------------------------------------------------------- */

START_TEST (test_html_escapes_everything)
{
  g_autoptr (TestRun) html = NULL;
  g_autofree char *lower = NULL;

  put ("<b>evil</b>.eml", "From: <script>alert(1)</script>@x\nDate: Mon, 2 Oct 2023 10:00:00 "
                          "+0000\nX-Mailer: <script>alert(2)</script> \033[31m\n"
                          "Message-ID: <a\"><img src=x onerror=alert(3)>@b>\n"
                          "Subject: <style>body{display:none}</style> and a very long subject "
                          "line that goes past 78\n\nx\n");
  html = RUN ("check", "--isolated", "--format", "html", "<b>evil</b>.eml");
  lower = g_ascii_strdown (html->out, -1);

  ck_assert_int_eq (html->status, 1);
  ck_assert (g_str_has_prefix (html->out, "<!DOCTYPE html>\n"));
  ck_assert (strstr (lower, "<script") == NULL);
  ck_assert (strstr (lower, "<img") == NULL);
  ck_assert (strstr (lower, "<b>") == NULL);
  ck_assert_uint_eq (occurrences (lower, "<style>"), 1); /* the page's own */
  ck_assert (strchr (html->out, '\033') == NULL);
  ck_assert (strstr (html->out, "&lt;style&gt;body{display:none}&lt;/style&gt;") != NULL);
  ck_assert (strstr (html->out, "&lt;a&quot;&gt;&lt;img src=x onerror=alert(3)&gt;") != NULL);
  ck_assert (strstr (html->out, "&lt;script&gt;alert(2)&lt;") != NULL); /* the generator */
  ck_assert (strstr (html->out, "&lt;b&gt;evil&lt;/b&gt;.eml") != NULL);
  /* Self-contained: nothing to fetch. */
  ck_assert (strstr (lower, "<link") == NULL && strstr (lower, "url(") == NULL);
  ck_assert (strstr (lower, "@import") == NULL);
  ck_assert (strstr (html->out, "default-src 'none'") != NULL);
  ck_assert (strstr (html->out, "<svg") != NULL);
  ck_assert (strstr (html->out, "<details id=\"rule-header-line-length\">") != NULL);
}
END_TEST

/* test-audit [terminal]: every case but those that need a terminal (script, from util-linux),
 * or only those (SKIP without script). */
int
main (int argc, char **argv)
{
  gboolean terminal = argc > 1 && strcmp (argv[1], "terminal") == 0;
  g_autofree char *script = terminal ? g_find_program_in_path ("script") : NULL;
  Suite *suite;
  TCase *tc;

  if (terminal && script == NULL)
    return test_skip ("script (util-linux) not found: the progress line and the summary on a "
                      "terminal were not checked");
  suite = suite_create ("audit");
  tc = tcase_create ("audit");
  tcase_add_checked_fixture (tc, test_tmp_setup, test_tmp_teardown);
  tcase_set_timeout (tc, 120);
  suite_add_tcase (suite, tc);
  if (terminal)
    {
      tcase_add_test (tc, test_progress_never_collides);
      tcase_add_test (tc, test_summary_on_a_terminal);
      return test_run_suite (suite);
    }
  tcase_add_test (tc, test_select_overrides_config);
  tcase_add_test (tc, test_received_line_length);
  tcase_add_test (tc, test_readme_example_config);
  tcase_add_test (tc, test_inline_comments_keep_lists);
  tcase_add_test (tc, test_template_profile_knows_placeholders);
  tcase_add_test (tc, test_fold_never_inside_placeholder);
  tcase_add_test (tc, test_github_names_stdin);
  tcase_add_test (tc, test_unsafe_fixes_say_what_is_missing);
  tcase_add_test (tc, test_fix_field_null_and_sarif);
  tcase_add_test (tc, test_empty_input);
  tcase_add_test (tc, test_jobs_short_form);
  tcase_add_test (tc, test_rules_options);
  tcase_add_test (tc, test_did_you_mean);
  tcase_add_test (tc, test_fix_streams_and_diff_labels);
  tcase_add_test (tc, test_statistics_totals_and_groups);
  tcase_add_test (tc, test_exit_zero_and_output_file);
  tcase_add_test (tc, test_baseline);
  tcase_add_test (tc, test_html_escapes_everything);
  return test_run_suite (suite);
}
