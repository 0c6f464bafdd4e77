/* test-cli.c: the emlint command as a user meets it: exit status, formats, inputs, bad input,
 * fix destinations, configuration. Each test runs the built binary. */
#include "testutil.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define CLEAN                                                                                      \
  "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\n"                                    \
  "Message-ID: <1@example.com>\nSubject: hi\n\nbody\n"
#define ENCODED                                                                                    \
  "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\n"                                    \
  "Message-ID: <2@example.com>\n"                                                                  \
  "In-Reply-To: =?utf-8?q?=3CDB9PR07MB8926A1B2C3D4E5F60718293A4B5C6D7E8F=40DB9P?=\n"               \
  " =?utf-8?q?R07MB8926=2Eeurprd07=2Eprod=2Eoutlook=2Ecom=3E?=\n\nbody\n"
#define PLAIN_REPLY                                                                                \
  "In-Reply-To: <DB9PR07MB8926A1B2C3D4E5F60718293A4B5C6D7E8F@DB9PR07MB8926."                       \
  "eurprd07.prod.outlook.com>\n"
#define NO_MSGID "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\n\nbody\n"

/* Keeps @s until the test ends; returns it. */
static const char *
keep (char *s)
{
  g_ptr_array_add (test_kept, s);
  return s;
}

/* Writes @text to @name below the test's folder; returns the path (owned by the caller). */
static int
link_file (const char *from, const char *to)
{
  return link (from, to);
}

static char *
put (const char *name, const char *text)
{
  char *path = g_build_filename (test_tmp, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0755);
  test_write (path, text, -1);
  return path;
}

/* The file's contents, kept until the test ends. */
static const char *
slurp (const char *path)
{
  g_autoptr (GBytes) bytes = test_read (path);
  return keep (g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
}

#define RUN(...) test_emlint (test_tmp, NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define RUN_IN(input, ...) test_emlint (test_tmp, input, (const char *const[]){ __VA_ARGS__, NULL })
#define SH(script) test_spawn (test_tmp, NULL, (const char *const[]){ "sh", "-c", script, NULL })

/* ---- exit status --------------------------------------------------------------------- */

START_TEST (test_exit_status)
{
  g_autofree char *clean = put ("clean.eml", CLEAN);
  g_autofree char *warn = put ("warn.eml", NO_MSGID);
  g_autofree char *bad = put ("bad.eml", ENCODED);
  g_autoptr (TestRun) r0 = RUN ("check", "--isolated", "clean.eml");
  g_autoptr (TestRun) r1 = RUN ("check", "--isolated", "warn.eml");
  g_autoptr (TestRun) r2 = RUN ("check", "--isolated", "--fail-on", "warning", "warn.eml");
  g_autoptr (TestRun) r3 = RUN ("--isolated", "bad.eml"); /* check is the default command */
  g_autoptr (TestRun) r4 = RUN ("check", "--isolated", "missing.eml", "bad.eml");
  g_autoptr (TestRun) r5 = RUN ("check", "--isolated", "--no-such-option", "bad.eml");
  g_autoptr (TestRun) r6 = RUN ("check", "--isolated", "--select", "no-such-rule", "bad.eml");
  g_autoptr (TestRun) r7 = RUN ("check", "--isolated");

  ck_assert_int_eq (r0->status, 0);
  ck_assert_str_eq (r0->out, "");
  ck_assert_int_eq (r1->status, 0);
  ck_assert (strstr (r1->out, "[msgid-missing]") != NULL);
  ck_assert_int_eq (r2->status, 1);
  ck_assert_int_eq (r3->status, 1);
  /* an I/O error outranks findings, names the file, and the other input still runs */
  ck_assert_int_eq (r4->status, 2);
  ck_assert_str_eq (r4->err, "emlint: missing.eml: No such file or directory\n");
  ck_assert (strstr (r4->out, "bad.eml:4:1: error:") != NULL);
  ck_assert_int_eq (r5->status, 2);
  ck_assert_int_eq (r6->status, 2);
  ck_assert (strstr (r6->err, "no-such-rule") != NULL);
  ck_assert_int_eq (r7->status, 2);
}
END_TEST

/* ---- formats ------------------------------------------------------------------------------ */

START_TEST (test_json_shape)
{
  g_autofree char *bad = put ("bad.eml", ENCODED);
  g_autoptr (TestRun) json = RUN ("check", "--isolated", "--format", "json", "bad.eml");
  g_autoptr (TestRun) jsonl = RUN ("check", "--isolated", "--format", "jsonl", "bad.eml");
  g_autoptr (TestRun) empty = RUN ("check", "--isolated", "--format", "json", "--select",
                                   "field-count", "bad.eml");

  ck_assert_str_eq (
    json->out, "[\n  {\"path\":\"bad.eml\",\"index\":0,\"line\":4,\"column\":1,\"end_line\":5,"
               "\"end_column\":60,\"rule\":\"msgid-encoded-word\",\"severity\":\"error\","
               "\"message\":\"In-Reply-To holds an RFC 2047 encoded-word, which no msg-id "
               "field may; decoded it reads <DB9PR07MB8926A1B2C3D4E5F60718293A4B5C6D7E8F@DB9"
               "PR07MB8926.eurprd07.prod.outlook.com>\",\"fixable\":true,\"fix\":\"safe\"}\n]\n");
  ck_assert_int_eq (json->status, 1);
  ck_assert (g_str_has_prefix (jsonl->out, "{\"path\":\"bad.eml\",\"index\":0,"));
  ck_assert (g_str_has_suffix (jsonl->out, "\"fixable\":true,\"fix\":\"safe\"}\n"));
  ck_assert_str_eq (empty->out, "[]\n");
}
END_TEST

START_TEST (test_text_source_and_escapes)
{
  g_autofree char *bad = put ("e\033[31m.eml", "From: a@example.com\n"
                                               "Date: Mon, 2 Oct 2023 09:20:00 +0000\n"
                                               "Message-ID: <e\033]0;pwned\007@x>\n\n");
  g_autoptr (TestRun) text = RUN ("check", "--isolated", "--source", "e\033[31m.eml");
  g_autoptr (TestRun) json = RUN ("check", "--isolated", "--format", "json", "e\033[31m.eml");

  /* Nothing from the message or its name reaches the terminal raw. */
  ck_assert (strchr (text->out, '\033') == NULL && strchr (text->out, '\007') == NULL);
  ck_assert_str_eq (text->out, "e\\x1B[31m.eml:3:1: error: Message-ID is not a valid msg-id "
                               "field: the id-left holds the octet 0x1B, which a msg-id does not "
                               "allow [msgid-syntax]\n"
                               "  Message-ID: <e\\x1B]0;pwned\\x07@x>\n  ^\n");
  ck_assert (strstr (json->out, "\"path\":\"e\\u001b[31m.eml\"") != NULL);
}
END_TEST

START_TEST (test_github_by_environment)
{
  g_autofree char *bad = put ("a,b.eml", ENCODED);
  g_autoptr (TestRun) gh = SH ("GITHUB_ACTIONS=true \"$EMLINT\" check --isolated 'a,b.eml'");

  ck_assert (g_str_has_prefix (gh->out, "::error file=a%2Cb.eml,line=4,col=1,endLine=5,"
                                        "endColumn=60,title=emlint msgid-encoded-word::"));
}
END_TEST

START_TEST (test_select_ignore_stdin)
{
  g_autoptr (TestRun) sel = RUN_IN (NO_MSGID, "check", "--isolated", "--select", "field-count",
                                    "-");
  g_autoptr (TestRun) ign = RUN_IN (NO_MSGID, "check", "--isolated", "--ignore", "msgid-missing",
                                    "--stdin-filename", "templates/x.eml", "-");
  g_autoptr (TestRun) named = RUN_IN (NO_MSGID, "check", "--isolated", "--stdin-filename",
                                      "templates/x.eml", "-");

  ck_assert_str_eq (sel->out, "");
  ck_assert_str_eq (ign->out, "");
  ck_assert_str_eq (named->out, "templates/x.eml:1:1: warning: the message has no Message-ID "
                                "field [msgid-missing]\n");
}
END_TEST

/* ---- inputs ------------------------------------------------------------------------------ */

START_TEST (test_directory_walk)
{
  g_autofree char *a = put ("tree/Maildir/cur/1700000000.M1P1.host:2,S", NO_MSGID);
  g_autofree char *b = put ("tree/Maildir/new/1700000001.M2P2.host", NO_MSGID);
  g_autofree char *c = put ("tree/Maildir/tmp/1700000002.M3P3.host", NO_MSGID);
  g_autofree char *d = put ("tree/Maildir/.Sent/cur/1700000003.M4P4.host:2,S", NO_MSGID);
  g_autofree char *e = put ("tree/Maildir/.Sent/tmp/x", NO_MSGID);
  g_autofree char *f = put ("tree/.hidden/a.eml", NO_MSGID);
  g_autofree char *g = put ("tree/notes.txt", NO_MSGID);
  g_autofree char *h = put ("tree/b.eml", NO_MSGID);
  g_autofree char *i = put ("tree/A.mbox", "From x\n" NO_MSGID);
  g_autofree char *j = put ("tree/c.tmpl", NO_MSGID);
  g_autoptr (TestRun) walk = RUN ("check", "--isolated", "tree");
  g_autoptr (TestRun) globs = RUN ("check", "--isolated", "--include", "*.tmpl", "--exclude",
                                   "b.eml", "--exclude", "*/Maildir/*", "tree");
  g_autoptr (TestRun) named = RUN ("check", "--isolated", "tree/notes.txt");
  const char *want =
    "tree/A.mbox:2:1: warning: the message has no Message-ID field (message 0) [msgid-missing]\n"
    "tree/Maildir/.Sent/cur/1700000003.M4P4.host:2,S:1:1: warning: the message has no Message-ID"
    " field [msgid-missing]\n"
    "tree/Maildir/cur/1700000000.M1P1.host:2,S:1:1: warning: the message has no Message-ID field"
    " [msgid-missing]\n"
    "tree/Maildir/new/1700000001.M2P2.host:1:1: warning: the message has no Message-ID field"
    " [msgid-missing]\n"
    "tree/b.eml:1:1: warning: the message has no Message-ID field [msgid-missing]\n";

  ck_assert_str_eq (walk->out, want);
  ck_assert_str_eq (globs->out, "tree/A.mbox:2:1: warning: the message has no Message-ID field "
                                "(message 0) [msgid-missing]\ntree/c.tmpl:1:1: warning: the "
                                "message has no Message-ID field [msgid-missing]\n");
  ck_assert (strstr (named->out, "tree/notes.txt:1:1:") != NULL); /* named: always linted */
}
END_TEST

/* A run in which no path yields a message is an error (exit 2) that names the path, and what its
 * walk left out. */
START_TEST (test_no_mail_found)
{
  g_autofree char *a = put ("nomail/notes.txt", NO_MSGID);
  g_autofree char *b = put ("nomail/.hidden.eml", NO_MSGID);
  g_autofree char *c = put ("list", "");
  g_autoptr (TestRun) empty = NULL, nomail = NULL, list = NULL, stdin_list = NULL, both = NULL;
  g_autoptr (TestRun) mixed = NULL;

  ck_assert_int_eq (g_mkdir (keep (g_build_filename (test_tmp, "empty", NULL)), 0755), 0);
  empty = RUN ("check", "--isolated", "empty");
  nomail = RUN ("check", "--isolated", "nomail");
  list = RUN ("check", "--isolated", "--files-from", "list");
  stdin_list = RUN_IN ("\n", "check", "--isolated", "--files-from", "-");
  both = RUN ("fix", "--isolated", "--diff", "empty", "nomail");
  mixed = RUN ("check", "--isolated", "empty", "nomail", "nomail/notes.txt");

  ck_assert_int_eq (empty->status, 2);
  ck_assert_str_eq (empty->err, "emlint: no mail found in empty\n");
  ck_assert_str_eq (empty->out, "");
  ck_assert_int_eq (nomail->status, 2);
  ck_assert_str_eq (nomail->err,
                    "emlint: no mail found in nomail\nemlint: nomail: 2 entries "
                    "skipped (not mail by name: 1, dot-entries: 1); --include GLOB takes more "
                    "names\n");
  ck_assert_int_eq (list->status, 2);
  ck_assert_str_eq (list->err, "emlint: no mail found in list (the --files-from list names no "
                               "path)\n");
  ck_assert_int_eq (stdin_list->status, 2);
  ck_assert_str_eq (stdin_list->err, "emlint: no mail found in standard input (the --files-from "
                                     "list names no path)\n");
  ck_assert_int_eq (both->status, 2);
  ck_assert_msg (strstr (both->err, "emlint: no mail found in empty\n") != NULL
                   && strstr (both->err, "emlint: no mail found in nomail\n") != NULL,
                 "%s", both->err);
  /* One path that yields a message is a run that lints. */
  ck_assert_int_eq (mixed->status, 0);
  ck_assert_str_eq (mixed->err, "");
}
END_TEST

/* A Maildir's cur/ or new/ named on its own is linted whole; walks take the .gz forms of the
 * mail names; --statistics and fix's summary count what was skipped. */
START_TEST (test_named_maildir_gz_and_skips)
{
  g_autofree char *a = put ("Maildir/cur/1700000000.M1P1.host:2,S", NO_MSGID);
  g_autofree char *b = put ("Maildir/.Sent/cur/1700000003.M4P4.host:2,S", NO_MSGID);
  g_autofree char *c = put ("Maildir/tmp/x", NO_MSGID);
  g_autofree char *d = put ("box/a.mbox", "From a Mon\n" NO_MSGID);
  g_autofree char *e = put ("box/notes.txt", NO_MSGID);
  g_autoptr (TestRun) cur = RUN ("check", "--isolated", "Maildir/cur");
  g_autoptr (TestRun) sent = RUN ("check", "--isolated", "Maildir/.Sent/cur/");
  g_autoptr (TestRun) gz = SH ("gzip box/a.mbox && gzip -c box/notes.txt > box/c.tmpl.gz && "
                               "\"$EMLINT\" check --isolated --statistics box Maildir");
  g_autoptr (TestRun) fix = RUN ("fix", "--isolated", "--diff", "box", "Maildir");
  g_autoptr (TestRun) tmpl = RUN ("check", "--isolated", "--include", "*.tmpl", "box");

  ck_assert_int_eq (cur->status, 0);
  ck_assert_str_eq (cur->out, "Maildir/cur/1700000000.M1P1.host:2,S:1:1: warning: the message "
                              "has no Message-ID field [msgid-missing]\n");
  ck_assert_int_eq (sent->status, 0);
  ck_assert (strstr (sent->out, "Maildir/.Sent/cur/1700000003.M4P4.host:2,S:1:1: warning:"));
  ck_assert_int_eq (gz->status, 0);
  ck_assert_msg (strstr (gz->out, "box/a.mbox.gz:2:1: warning:") != NULL, "%s", gz->out);
  ck_assert_msg (strstr (gz->out, "\n3 files, 3 messages") != NULL, "%s", gz->out);
  ck_assert_msg (strstr (gz->out, "\n3 entries skipped (not mail by name: 2, Maildir tmp/: "
                                  "1)\n")
                   != NULL,
                 "%s", gz->out);
  ck_assert_msg (strstr (fix->err,
                         "emlint: 0 would be fixed, 3 remaining; 3 entries skipped (not mail "
                         "by name: 2, Maildir tmp/: 1)\n")
                   != NULL,
                 "%s", fix->err);
  ck_assert_msg (strstr (tmpl->out, "box/c.tmpl.gz:1:1:") != NULL, "%s", tmpl->out);
}
END_TEST

/* The configuration's include and exclude keys add to --include and --exclude. */
START_TEST (test_config_include_exclude)
{
  g_autofree char *a = put ("mail/.emlint.ini", "[emlint]\ninclude = *.tmpl\n"
                                                "exclude = old*\n");
  g_autofree char *b = put ("mail/welcome.tmpl", NO_MSGID);
  g_autofree char *c = put ("mail/old.eml", NO_MSGID);
  g_autofree char *d = put ("mail/reset.txt", NO_MSGID);
  g_autoptr (TestRun) run = RUN ("check", "mail");
  g_autoptr (TestRun) more = RUN ("check", "--include", "*.txt", "mail");

  ck_assert_str_eq (run->out, "mail/welcome.tmpl:1:1: warning: the message has no Message-ID "
                              "field [msgid-missing]\n");
  ck_assert_str_eq (more->out,
                    "mail/reset.txt:1:1: warning: the message has no Message-ID "
                    "field [msgid-missing]\nmail/welcome.tmpl:1:1: warning: the message has no "
                    "Message-ID field [msgid-missing]\n");
}
END_TEST

START_TEST (test_symlink_loop_and_dangling)
{
  g_autofree char *a = put ("loop/a.eml", NO_MSGID);
  g_autofree char *link = g_build_filename (test_tmp, "loop", "again", NULL);
  g_autofree char *dangling = g_build_filename (test_tmp, "loop", "gone.eml", NULL);
  g_autoptr (TestRun) run = NULL;

  ck_assert_int_eq (symlink ("..", link), 0);
  ck_assert_int_eq (symlink ("nowhere.eml", dangling), 0);
  run = RUN ("check", "--isolated", "loop");
  /* A walk skips the symlinks it meets (README "Inputs"): the loop and the dangling link alike,
   * without an error; the real file is linted once. */
  ck_assert_int_eq (run->status, 0);
  ck_assert_str_eq (run->err, "");
  ck_assert_str_eq (run->out, "loop/a.eml:1:1: warning: the message has no Message-ID field "
                              "[msgid-missing]\n");
}
END_TEST

START_TEST (test_unreadable_file)
{
  g_autofree char *a = put ("locked.eml", NO_MSGID);
  g_autofree char *b = put ("open.eml", NO_MSGID);
  g_autoptr (TestRun) run = NULL;

  ck_assert_int_eq (chmod (a, 0), 0);
  if (geteuid () == 0)
    {
      /* As root every file is readable: drop privileges for the run. */
      g_autofree char *script = g_strdup_printf (
        "chmod 755 %s && setpriv --reuid=65534 --regid=65534 --clear-groups \"$EMLINT\" check "
        "--isolated locked.eml open.eml",
        test_tmp);
      run = SH (script); /* main() runs this test only where setpriv is */
    }
  else
    run = RUN ("check", "--isolated", "locked.eml", "open.eml");
  ck_assert_int_eq (run->status, 2);
  ck_assert_str_eq (run->err, "emlint: locked.eml: Permission denied\n");
  ck_assert (strstr (run->out, "open.eml:1:1:") != NULL);
}
END_TEST

START_TEST (test_mbox_lines_and_gzip)
{
  g_autofree char *mbox = put ("box.mbox", "From a Mon\n" CLEAN "\nFrom b Tue\n" NO_MSGID
                                           "\nFrom c Wed\n" ENCODED);
  g_autoptr (TestRun) run = RUN ("check", "--isolated", "box.mbox");
  g_autoptr (TestRun) gz = SH ("gzip -c box.mbox > box.mbox.gz && \"$EMLINT\" check --isolated "
                               "box.mbox.gz");

  ck_assert_str_eq (
    run->out, "box.mbox:10:1: warning: the message has no Message-ID field (message 1) "
              "[msgid-missing]\n"
              "box.mbox:19:1: error: In-Reply-To holds an RFC 2047 encoded-word, which no "
              "msg-id field may; decoded it reads <DB9PR07MB8926A1B2C3D4E5F60718293A4B5C6D7E"
              "8F@DB9PR07MB8926.eurprd07.prod.outlook.com> (message 2) [*] [msgid-encoded-word]\n");
  ck_assert (strstr (gz->out, "box.mbox.gz:19:1: error:") != NULL);
}
END_TEST

/* Every case of doc/DESIGN.md "Bad input": findings or a one-line error, never a crash or hang. */
START_TEST (test_bad_input)
{
  GString *huge = g_string_new ("From: a@example.com\nDate: x\nX-Long: ");
  g_autofree char *nul = NULL, *junk = NULL, *big = NULL;
  g_autofree char *empty = put ("empty.eml", "");
  g_autofree char *bom = put ("bom.eml", "\xEF\xBB\xBF" CLEAN);
  g_autofree char *cr = put ("cr.eml", "From: a@example.com\rDate: x\r\rbody\r");
  g_autofree char *nobody = put ("nobody.eml", "From: a@example.com\nDate: x\nMessage-ID: <a@b>");
  g_autofree char *utf8 = put ("utf8.eml", "From: \xFF\xFE <a@example.com>\nDate: x\n"
                                           "Message-ID: <\xC3\xA9\xFF@b>\n\n");
  g_autofree char *trunc = put ("trunc.mbox", "From a\nFrom: a@example.com\nDate: x\n\nFrom b\nFr");
  g_autoptr (TestRun) run = NULL;

  nul = g_build_filename (test_tmp, "nul.eml", NULL);
  test_write (nul, "From: a\0b@example.com\nDate: x\n\n\0\0\0", 34);
  junk = g_build_filename (test_tmp, "junk.eml", NULL);
  {
    char bytes[4096];
    for (guint i = 0; i < sizeof bytes; i++)
      bytes[i] = (char) (i * 7919 % 251);
    test_write (junk, bytes, sizeof bytes);
  }
  while (huge->len < 10 * 1024 * 1024)
    g_string_append (huge, "0123456789abcdef");
  g_string_append (huge, "\n\nbody\n");
  big = put ("big.eml", huge->str);
  g_string_free (huge, TRUE);

  run = RUN ("check", "--isolated", "--format", "jsonl", "empty.eml", "bom.eml", "cr.eml",
             "nobody.eml", "utf8.eml", "trunc.mbox", "nul.eml", "junk.eml", "big.eml");
  ck_assert_msg (run->status == 1, "status %d: %s", run->status, run->err);
  ck_assert_str_eq (run->err, "");
  ck_assert (strstr (run->out, "\"path\":\"empty.eml\",\"index\":0,\"line\":1,\"column\":1")
             != NULL);
  ck_assert (strstr (run->out, "\"path\":\"bom.eml\"") == NULL); /* a BOM is no defect here */
  ck_assert (strstr (run->out, "\"path\":\"utf8.eml\",\"index\":0,\"line\":3,\"column\":1,"
                               "\"end_line\":3,\"end_column\":20,\"rule\":\"msgid-syntax\"")
             != NULL);
  ck_assert (strstr (run->out, "\"path\":\"trunc.mbox\",\"index\":1,\"line\":6,\"column\":1")
             != NULL);
  ck_assert (strstr (run->out, "\"path\":\"big.eml\",\"index\":0,\"line\":3,\"column\":999,")
             != NULL);
  ck_assert (strstr (run->out, "\"path\":\"junk.eml\"") != NULL);
}
END_TEST

START_TEST (test_closed_pipe_is_quiet)
{
  g_autoptr (TestRun) run = NULL;
  GString *many = g_string_new (NULL);

  for (guint i = 0; i < 2000; i++)
    g_string_append (many, "From x\n" NO_MSGID "\n");
  test_write (keep (g_build_filename (test_tmp, "many.mbox", NULL)), many->str, -1);
  g_string_free (many, TRUE);
  run = SH ("\"$EMLINT\" check --isolated --jobs 2 many.mbox | head -n 1");
  ck_assert_str_eq (run->err, "");
  ck_assert (g_str_has_prefix (run->out, "many.mbox:2:1: warning:"));
}
END_TEST

START_TEST (test_jobs_same_output)
{
  g_autofree char *corpus = g_build_filename (test_source_root (), "corpus", NULL);
  g_autoptr (TestRun) one = test_emlint (NULL, NULL,
                                         (const char *const[]){ "check", "--isolated", "--format",
                                                                "jsonl", "--jobs", "1", "corpus",
                                                                NULL });
  g_autoptr (TestRun) four = test_emlint (NULL, NULL,
                                          (const char *const[]){ "check", "--isolated", "--format",
                                                                 "jsonl", "--jobs", "4", "corpus",
                                                                 NULL });

  ck_assert (strlen (one->out) > 1000);
  ck_assert_str_eq (one->out, four->out);
  ck_assert_int_eq (one->status, four->status);
}
END_TEST

/* An mbox of several segments (run.c reads a file over 1 MiB in parts, on several threads):
 * the same findings, indexes and lines as the stream reader gives (standard input), with any
 * number of jobs. Messages cross the segment edges; one is larger than a segment; some have CRLF
 * line ends, a "From " line after no blank line, or one right after the From_ line. */
START_TEST (test_segments_same_output)
{
  GString *mbox = g_string_new (NULL);
  const char *path = keep (g_build_filename (test_tmp, "segments.mbox", NULL));
  g_autoptr (TestRun) stream = NULL, one = NULL, three = NULL;
  guint lines = 0;

  for (guint i = 0; mbox->len < 3500 * 1024; i++)
    {
      const char *eol = i % 7 == 3 ? "\r\n" : "\n";

      g_string_append_printf (mbox, "From sender%u Mon Jan  1 00:00:00 2024%s", i, eol);
      if (i % 11 == 5)
        g_string_append_printf (mbox, "%sFrom right after the envelope%s", eol, eol);
      g_string_append_printf (mbox, "From: a@example.com%sSubject: %u%s", eol, i, eol);
      if (i % 3 != 0)
        g_string_append_printf (mbox, "Message-ID: <%u@example.com>%sDate: x%s", i, eol, eol);
      g_string_append_printf (mbox, "%sbody%sFrom here, not a separator%s", eol, eol, eol);
      for (guint j = 0; j < (i == 700 ? 40000u : i % 50 * 2); j++)
        g_string_append_printf (mbox, "line %u of a body that goes on%s", j, eol);
      if (i % 13 == 0)
        g_string_append_printf (mbox, "%s", eol);
    }
  test_write (path, mbox->str, (gssize) mbox->len);
  g_string_free (mbox, TRUE);
  stream = SH ("\"$EMLINT\" check --isolated --format jsonl --stdin-filename segments.mbox - "
               "< segments.mbox");
  one = SH ("\"$EMLINT\" check --isolated --format jsonl --jobs 1 segments.mbox");
  three = SH ("\"$EMLINT\" check --isolated --format jsonl --jobs 3 segments.mbox");
  ck_assert_msg (stream->status == 1, "status %d: %s", stream->status, stream->err);
  for (const char *p = stream->out; (p = strchr (p, '\n')) != NULL; p++)
    lines++;
  ck_assert_uint_gt (lines, 500); /* findings all along */
  ck_assert_str_eq (one->out, stream->out);
  ck_assert_str_eq (three->out, stream->out);
  ck_assert_int_eq (one->status, stream->status);
  ck_assert_int_eq (three->status, stream->status);
  /* The message larger than a segment, over --max-message-size: named by its index in the
   * file, in order, by the stream reader and by the segments alike. */
  g_clear_pointer (&stream, test_run_free);
  g_clear_pointer (&three, test_run_free);
  stream = SH ("\"$EMLINT\" check --isolated --format jsonl --max-message-size 100000 "
               "--stdin-filename segments.mbox - < segments.mbox");
  three = SH ("\"$EMLINT\" check --isolated --format jsonl --max-message-size 100000 --jobs 3 "
              "segments.mbox");
  ck_assert_msg (strstr (stream->err, "larger than the maximum message size") != NULL, "%s",
                 stream->err);
  ck_assert_str_eq (three->err, stream->err);
  ck_assert_str_eq (three->out, stream->out);
}
END_TEST

/* ---- configuration ------------------------------------------------------------------------ */

START_TEST (test_config_file)
{
  g_autofree char *ini = put ("proj/.emlint.ini", "[emlint]\nfail-on = warning\n"
                                                  "[per-path-ignores]\ntemplates/*.eml = "
                                                  "field-count\n[rules]\nmsgid-missing = error\n");
  g_autofree char *a = put ("proj/templates/t.eml", "Subject: x\n\n");
  g_autofree char *b = put ("proj/mail/m.eml", NO_MSGID);
  g_autoptr (TestRun) run = RUN ("check", "proj/templates/t.eml", "proj/mail/m.eml");
  g_autoptr (TestRun) isolated = RUN ("check", "--isolated", "proj/mail/m.eml");
  g_autofree char *bad = put ("proj2/.emlint.ini", "[emlint]\nfail-on = loud\n");
  g_autofree char *c = put ("proj2/m.eml", NO_MSGID);
  g_autoptr (TestRun) broken = RUN ("check", "proj2/m.eml");
  /* Standard input is configured like the file it names (a pre-commit hook's staged file). */
  g_autoptr (TestRun) piped = RUN_IN ("Subject: x\n\n", "check", "--stdin-filename",
                                      "proj/templates/t.eml", "-");

  ck_assert_str_eq (run->out,
                    "proj/templates/t.eml:1:1: error: the message has no Message-ID field "
                    "[msgid-missing]\nproj/mail/m.eml:1:1: error: the message has no Message-ID "
                    "field [msgid-missing]\n");
  ck_assert_int_eq (run->status, 1);
  ck_assert_str_eq (piped->out, "proj/templates/t.eml:1:1: error: the message has no Message-ID "
                                "field [msgid-missing]\n");
  ck_assert (strstr (isolated->out, ": warning: ") != NULL);
  ck_assert_int_eq (broken->status, 2);
  ck_assert_msg (strstr (broken->err, "proj2/.emlint.ini:2: [emlint] fail-on: 'loud'") != NULL,
                 "%s", broken->err);
}
END_TEST

/* Templates: placeholders are atoms, and the template profile does not ask for Date or a
 * Message-ID; the line length still counts the placeholder as written. */
START_TEST (test_template_placeholders)
{
  g_autofree char *ini = put ("tpl/.emlint.ini", "[emlint]\nprofile = template\n"
                                                 "placeholders = {{ }};${ }\n");
  g_autofree char *a = put (
    "tpl/welcome.eml", "From: {{ sender }}\nTo: ${to}\nMessage-ID: <{{ uuid }}@example.com>\n"
                       "In-Reply-To: <${parent}@example.com>\nSubject: {{ subject }} and a very "
                       "long tail of words that go past the limit of 78\n\nHello {{ name }}\n");
  g_autoptr (TestRun) run = RUN ("check", "tpl/welcome.eml");
  g_autoptr (TestRun) plain = RUN ("check", "--isolated", "tpl/welcome.eml");

  ck_assert_str_eq (run->out, "tpl/welcome.eml:5:79: warning: header line is 81 octets long; "
                              "fold it at whitespace to keep lines within 78 "
                              "[*] [header-line-length]\n");
  ck_assert (strstr (plain->out, "[msgid-syntax]") != NULL);
  ck_assert (strstr (plain->out, "no Date field") != NULL);
}
END_TEST

START_TEST (test_progress_on_a_terminal)
{
  g_autofree char *mbox = put ("p.mbox", "From a\n" CLEAN);
  g_autoptr (TestRun) tty = NULL, quiet = NULL;

  tty = SH ("script -qec '\"$EMLINT\" check --isolated p.mbox >/dev/null' /dev/null");
  quiet = SH ("script -qec '\"$EMLINT\" check --isolated --quiet p.mbox >/dev/null' /dev/null");
  ck_assert (strstr (tty->out, "emlint: 1 message, ") != NULL); /* not "1 messages" */
  ck_assert (strstr (quiet->out, "emlint:") == NULL);
}
END_TEST

START_TEST (test_rules_and_explain)
{
  g_autoptr (TestRun) rules = RUN ("rules");
  g_autoptr (TestRun) explain = RUN ("explain", "msgid-encoded-word");
  g_autoptr (TestRun) unknown = RUN ("explain", "nope");

  g_auto (GStrv) lines = g_strsplit (rules->out, "\n", -1);
  const char *column = strstr (lines[0], "  error  ");

  /* The severity column lines up on every line, whatever the longest id. */
  ck_assert (column != NULL);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      gsize at = (gsize) (column - lines[0]) + 2;
      ck_assert_msg (strlen (lines[i]) > at && lines[i][at - 1] == ' ' && lines[i][at] != ' '
                       && lines[i][at - 2] == ' ',
                     "misaligned: %s", lines[i]);
    }
  ck_assert (strstr (rules->out, "msgid-encoded-word ") != NULL);
  /* Fixability, a column of its own: safe fixes, unsafe ones, none. */
  ck_assert (
    g_regex_match_simple ("^msgid-encoded-word +error +fix +", rules->out, G_REGEX_MULTILINE, 0));
  ck_assert (
    g_regex_match_simple ("^msgid-missing +warning +unsafe +", rules->out, G_REGEX_MULTILINE, 0));
  ck_assert (
    g_regex_match_simple ("^field-count +error +none +", rules->out, G_REGEX_MULTILINE, 0));
  ck_assert (strstr (explain->out, "RFC 2047 section 5") != NULL);
  ck_assert (strstr (explain->out, "Why it is bad") != NULL);
  ck_assert_int_eq (unknown->status, 2);
}
END_TEST

/* ---- fix ---------------------------------------------------------------------------------- */

START_TEST (test_fix_destinations)
{
  g_autofree char *in = put ("in.eml", ENCODED);
  g_autofree char *clean = put ("clean.eml", CLEAN);
  g_autoptr (TestRun) none = RUN ("fix", "--isolated", "in.eml");
  g_autoptr (TestRun) two = RUN ("fix", "--isolated", "--diff", "--in-place", "in.eml");
  g_autoptr (TestRun) out = RUN ("fix", "--isolated", "-o", "out.eml", "in.eml");
  g_autoptr (TestRun) suffix = RUN ("fix", "--isolated", "--suffix", ".fixed", "in.eml");
  g_autoptr (TestRun) dir = RUN ("fix", "--isolated", "--output-dir", "o", "in.eml", "clean.eml");
  g_autoptr (TestRun) escape = RUN ("fix", "--isolated", "--output-dir", "o", "./o/../in.eml");
  g_autoptr (TestRun) diff = RUN ("fix", "--isolated", "--diff", "in.eml");
  const char *fixed, *original = slurp (in);

  ck_assert_int_eq (none->status, 2);
  ck_assert (strstr (none->err, "-o FILE, --output-dir DIR, --suffix SUF, --in-place") != NULL);
  ck_assert_int_eq (two->status, 2);
  ck_assert_int_eq (out->status, 0);
  fixed = slurp (keep (g_build_filename (test_tmp, "out.eml", NULL)));
  ck_assert (strstr (fixed, "\n" PLAIN_REPLY "\nbody\n") != NULL);
  ck_assert (strstr (out->err, "in.eml:4:1: fixed: In-Reply-To holds") != NULL);
  ck_assert_str_eq (slurp (keep (g_build_filename (test_tmp, "in.eml.fixed", NULL))), fixed);
  ck_assert_str_eq (slurp (keep (g_build_filename (test_tmp, "o", "in.eml", NULL))), fixed);
  ck_assert_str_eq (slurp (keep (g_build_filename (test_tmp, "o", "clean.eml", NULL))), CLEAN);
  ck_assert_int_eq (escape->status, 2);
  ck_assert (strstr (escape->err, "'..'") != NULL);
  ck_assert (g_str_has_prefix (diff->out, "--- in.eml\n+++ in.eml\n@@ -1,7 +1,6 @@\n"));
  ck_assert_str_eq (slurp (in), original); /* --diff writes nothing */
}
END_TEST

START_TEST (test_fix_in_place_keeps_attributes)
{
  g_autofree char *in = put ("cur/in.eml", ENCODED);
  g_autofree char *clean = put ("cur/clean.eml", CLEAN);
  struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
  g_autoptr (TestRun) run = NULL;
  GStatBuf st, st_clean;
  ino_t clean_ino;

  ck_assert_int_eq (chmod (in, 0640), 0);
  ck_assert_int_eq (utimensat (AT_FDCWD, in, old, 0), 0);
  ck_assert_int_eq (utimensat (AT_FDCWD, clean, old, 0), 0);
  g_stat (clean, &st_clean);
  clean_ino = st_clean.st_ino;
  run = RUN ("fix", "--isolated", "--in-place", "cur");
  ck_assert_int_eq (run->status, 0);
  ck_assert_int_eq (g_stat (in, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0640);
  ck_assert_int_eq (st.st_mtime, 1000000000);
  ck_assert (strstr (slurp (in), PLAIN_REPLY) != NULL);
  g_stat (clean, &st_clean);
  ck_assert_int_eq (st_clean.st_ino, clean_ino); /* untouched: not even rewritten */
  ck_assert_int_eq (st_clean.st_mtime, 1000000000);
  {
    g_autoptr (TestRun) ls = SH ("ls -A cur");
    ck_assert_str_eq (ls->out, "clean.eml\nin.eml\n"); /* no temporary left */
  }
}
END_TEST

START_TEST (test_fix_mbox_keeps_envelopes)
{
  g_autofree char *mbox = put ("box.mbox", "From a Mon\n" CLEAN "\nFrom b Tue\n" ENCODED
                                           "\nFrom c Wed\n" NO_MSGID);
  g_autoptr (TestRun) run = RUN ("fix", "--isolated", "-o", "-", "box.mbox");

  ck_assert_str_eq (run->out, "From a Mon\n" CLEAN "\nFrom b Tue\n"
                              "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\n"
                              "Message-ID: <2@example.com>\n" PLAIN_REPLY "\nbody\n"
                              "\nFrom c Wed\n" NO_MSGID);
}
END_TEST

START_TEST (test_fix_unsafe_and_dkim)
{
  g_autofree char *signed_mail = put (
    "signed.eml", "DKIM-Signature: v=1; a=rsa-sha256; c=simple/simple; d=example.com;\n"
                  " s=sel1; h=from:date:in-reply-to; bh=x; b=y\n" ENCODED);
  g_autofree char *nomsgid = put ("nomsgid.eml", NO_MSGID);
  g_autoptr (TestRun) held = RUN ("fix", "--isolated", "-o", "held.eml", "signed.eml");
  g_autoptr (TestRun) forced = RUN ("fix", "--isolated", "--unsafe-fixes", "-o", "forced.eml",
                                    "signed.eml");
  g_autoptr (TestRun) newid = RUN ("fix", "--isolated", "--unsafe-fixes", "--msgid-domain",
                                   "mail.example.org", "-o", "-", "nomsgid.eml");
  g_autoptr (TestRun) baddomain = RUN ("fix", "--isolated", "--msgid-domain", "a b", "-o", "-",
                                       "nomsgid.eml");

  ck_assert_int_eq (held->status, 1);
  /* fix reports on stderr, whatever its destination */
  ck_assert_str_eq (held->out, "");
  ck_assert_msg (strstr (held->err, "fix held back: it changes In-Reply-To, which the "
                                    "DKIM-Signature (d=example.com, s=sel1) signs; "
                                    "--unsafe-fixes applies it")
                   != NULL,
                 "%s", held->err);
  ck_assert_str_eq (slurp (keep (g_build_filename (test_tmp, "held.eml", NULL))),
                    slurp (signed_mail));
  ck_assert_int_eq (forced->status, 0);
  ck_assert (strstr (slurp (keep (g_build_filename (test_tmp, "forced.eml", NULL))), PLAIN_REPLY)
             != NULL);
  ck_assert (g_regex_match_simple ("^From: a@example.com\nDate: [^\n]*\nMessage-ID: "
                                   "<[0-9]{14}\\.[0-9a-f]{16}@mail\\.example\\.org>\n\nbody\n$",
                                   newid->out, 0, 0));
  ck_assert_int_eq (baddomain->status, 2);
}
END_TEST

/* A write that fails (the file size limit stands in for a full disk, which root cannot fake
 * with permissions) loses nothing: the original is intact and no temporary is left. */
START_TEST (test_fix_failed_write_loses_nothing)
{
  GString *big = g_string_new (ENCODED);
  g_autofree char *in = NULL;
  const char *before;
  g_autoptr (TestRun) run = NULL, ls = NULL;

  for (guint i = 0; i < 4000; i++)
    g_string_append (big, "body line that makes the message larger than one block\n");
  in = put ("big.eml", big->str);
  g_string_free (big, TRUE);
  before = slurp (in);
  /* No trap: emlint itself ignores SIGXFSZ, so that EFBIG is an error it names. */
  run = SH ("ulimit -f 8; exec \"$EMLINT\" fix --isolated --in-place big.eml");
  ck_assert_int_eq (run->status, 2);
  ck_assert_msg (g_str_has_prefix (run->err, "emlint: big.eml: write failed: File too large\n")
                   || strstr (run->err, "\nemlint: big.eml: write failed: File too large\n"),
                 "%s", run->err);
  ck_assert_str_eq (slurp (in), before);
  ls = SH ("ls -A");
  ck_assert_str_eq (ls->out, "big.eml\n");
}
END_TEST

/* SIGTERM while a repaired mbox is being written (its input is a pipe that stays open) leaves
 * no temporary and writes nothing. The temporary is unnamed until the rename (O_TMPFILE): the
 * script waits until emlint holds it open. */
START_TEST (test_fix_interrupted_leaves_no_temporary)
{
  g_autofree char *fifo = g_build_filename (test_tmp, "in.fifo", NULL);
  g_autoptr (TestRun) run = NULL;
  const char *script;

  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  /* 300 messages fill a batch, so the first ones are written while the pipe stays open. */
  script =
    ("(i=0; while [ $i -lt 300 ]; do printf 'From x\\n%s\\n' \"$M\"; i=$((i+1)); done;"
     " sleep 30) > in.fifo &\n"
     "writer=$!\n"
     "\"$EMLINT\" fix --isolated --jobs 1 -o out.mbox - < in.fifo >/dev/null 2>&1 &\n"
     "pid=$!; n=0\n"
     "while ! ls -l /proc/$pid/fd | grep -q '/#.*(deleted)' && [ $n -lt 100 ]; do\n"
     "  sleep 0.1; n=$((n+1)); done\n"
     "ls -l /proc/$pid/fd | grep -c '(deleted)'; kill -TERM $pid; wait $pid; echo \"status $?\"\n"
     "kill $writer; ls -A\n");
  g_setenv ("M", NO_MSGID, TRUE);
  run = SH (script);
  g_unsetenv ("M");
  ck_assert_str_eq (run->out, "1\nstatus 143\nin.fifo\n");
}
END_TEST

/* Fault injection on every write path: a failing write (a full disk), fsync or rename leaves
 * the original as it was, no temporary, and an error that names the file and the failure. */
typedef struct {
  const char *call;
  const char *errno_value;
  const char *message;
} Fault;

static const Fault faults[] = {
  { "write", "28", "emlint: big.eml: write failed: No space left on device\n" },
  { "write", "5", "emlint: big.eml: write failed: Input/output error\n" },
  { "fsync", "5", "emlint: big.eml: fsync failed: Input/output error\n" },
  { "renameat", "18", "emlint: big.eml: rename failed: Invalid cross-device link\n" },
};

START_TEST (test_fix_fault_injection)
{
  const Fault *fault = &faults[_i];
  g_autofree char *in = put ("big.eml", ENCODED);
  g_autofree char *script = g_strdup_printf (
    "EMLINT_FAULT=%s EMLINT_FAULT_ERRNO=%s LD_PRELOAD=\"$EMLINT_FAULT_SHIM\" "
    "ASAN_OPTIONS=\"$ASAN_OPTIONS:verify_asan_link_order=0\" "
    "\"$EMLINT\" fix --isolated --quiet --in-place big.eml",
    fault->call, fault->errno_value);
  g_autoptr (TestRun) run = NULL, ls = NULL;

  ck_assert_msg (g_getenv ("EMLINT_FAULT_SHIM") != NULL, "EMLINT_FAULT_SHIM is not set");
  run = SH (script);
  ck_assert_int_eq (run->status, 2);
  ck_assert_str_eq (run->err, fault->message);
  ck_assert_str_eq (slurp (in), ENCODED);
  ls = SH ("ls -A");
  ck_assert_str_eq (ls->out, "big.eml\n");
}
END_TEST

/* --in-place through a symlink replaces the target and keeps the link; a file with another hard
 * link gets a new inode (the other name keeps the old text); a file the user may not write is
 * refused, untouched. */
START_TEST (test_fix_in_place_links_and_permissions)
{
  g_autofree char *target = put ("target.eml", ENCODED);
  g_autofree char *link = g_build_filename (test_tmp, "link.eml", NULL);
  g_autofree char *a = put ("a.eml", ENCODED);
  g_autofree char *b = g_build_filename (test_tmp, "b.eml", NULL);
  g_autoptr (TestRun) via_link = NULL, hard = NULL;
  GStatBuf st;

  ck_assert_int_eq (symlink ("target.eml", link), 0);
  ck_assert_int_eq (link_file (a, b), 0);
  via_link = RUN ("fix", "--isolated", "--quiet", "--in-place", "link.eml");
  ck_assert_int_eq (via_link->status, 0);
  ck_assert_int_eq (g_lstat (link, &st), 0);
  ck_assert (S_ISLNK (st.st_mode));
  ck_assert (strstr (slurp (target), PLAIN_REPLY) != NULL);
  hard = RUN ("fix", "--isolated", "--quiet", "--in-place", "a.eml");
  ck_assert_int_eq (hard->status, 0);
  ck_assert (strstr (slurp (a), PLAIN_REPLY) != NULL);
  ck_assert_str_eq (slurp (b), ENCODED);

  if (geteuid () == 0 && g_file_test ("/usr/bin/setpriv", G_FILE_TEST_EXISTS))
    {
      g_autofree char *locked = put ("locked.eml", ENCODED);
      g_autofree char *script = g_strdup_printf (
        "chmod 755 %s && chmod 644 locked.eml && setpriv --reuid=65534 --regid=65534 "
        "--clear-groups \"$EMLINT\" fix --isolated --quiet --in-place locked.eml",
        test_tmp);
      g_autoptr (TestRun) refused = SH (script);

      ck_assert_int_eq (refused->status, 2);
      ck_assert_str_eq (refused->err,
                        "emlint: locked.eml: cannot fix in place: Permission denied\n");
      ck_assert_str_eq (slurp (locked), ENCODED);
    }
}
END_TEST

START_TEST (test_fix_unreadable_writes_nothing)
{
  g_autoptr (TestRun) run = RUN ("fix", "--isolated", "--output-dir", "o", "missing.eml");

  ck_assert_int_eq (run->status, 2);
  ck_assert (!g_file_test (keep (g_build_filename (test_tmp, "o", "missing.eml", NULL)),
                           G_FILE_TEST_EXISTS));
}
END_TEST

/* A report that cannot be written (a full disk, a file too large), on stdout or to
 * --output-file, is exit 2, named on stderr, not findings cut short in silence. */
START_TEST (test_output_errors)
{
  GString *many = g_string_new (NULL);
  g_autoptr (TestRun) full = NULL, big = NULL, file = NULL, diff = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append (many, "From x\n" NO_MSGID "\n");
  test_write (keep (g_build_filename (test_tmp, "many.mbox", NULL)), many->str, -1);
  g_string_free (many, TRUE);
  full = SH ("\"$EMLINT\" check --isolated --format json many.mbox > /dev/full");
  ck_assert_int_eq (full->status, 2);
  ck_assert_str_eq (full->err, "emlint: standard output: write failed: No space left on device\n");
  big = SH ("ulimit -f 64; exec \"$EMLINT\" check --isolated --format json many.mbox > out.json");
  ck_assert_int_eq (big->status, 2);
  ck_assert_str_eq (big->err, "emlint: standard output: write failed: File too large\n");
  file = SH ("\"$EMLINT\" check --isolated --format json --output-file /dev/full many.mbox");
  ck_assert_int_eq (file->status, 2);
  ck_assert_str_eq (file->err, "emlint: /dev/full: write failed: No space left on device\n");
  g_free (put ("bad.eml", ENCODED));
  diff = SH ("\"$EMLINT\" fix --isolated --quiet --diff bad.eml > /dev/full");
  ck_assert_int_eq (diff->status, 2);
  ck_assert_str_eq (diff->err, "emlint: standard output: write failed: No space left on device\n");
}
END_TEST

/* On a terminal, a file name's escape sequences are shown escaped in the diff's ---/+++ lines
 * and in the error about a folder where no temporary can be made. */
START_TEST (test_fix_names_escaped)
{
  g_autofree char *bad = put ("e\033[31m.eml", ENCODED);
  g_autofree char *in = put ("in.eml", ENCODED);
  g_autoptr (TestRun) tty = NULL;

  tty = SH ("script -qec '\"$EMLINT\" fix --isolated --quiet --diff e*.eml' /dev/null");
  ck_assert_msg (strstr (tty->out, "--- e\\x1B[31m.eml\r\n+++ e\\x1B[31m.eml\r\n") != NULL, "%s",
                 tty->out);
  ck_assert (strchr (tty->out, '\033') == NULL);
  {
    /* A folder we may not write (root drops to nobody: main() runs this where setpriv is). */
    g_autofree char *script = g_strdup_printf (
      "chmod 755 %s && mkdir \"$(printf 'd\\033[31m')\" && chmod 555 d* && %s \"$EMLINT\" "
      "fix --isolated --quiet -o \"$(printf 'd\\033[31m')/out.eml\" in.eml",
      test_tmp, geteuid () == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : "");
    g_autoptr (TestRun) refused = SH (script);

    ck_assert_int_eq (refused->status, 2);
    ck_assert_str_eq (refused->err, "emlint: in.eml: cannot create a temporary file in "
                                    "d\\x1B[31m: Permission denied\n");
  }
}
END_TEST

/* "fixed" is reported only for a copy that was written. */
START_TEST (test_fix_reported_only_when_written)
{
  g_autofree char *in = put ("big.eml", ENCODED);
  g_autoptr (TestRun) run = SH ("EMLINT_FAULT=renameat LD_PRELOAD=\"$EMLINT_FAULT_SHIM\" "
                                "ASAN_OPTIONS=\"$ASAN_OPTIONS:verify_asan_link_order=0\" "
                                "\"$EMLINT\" fix --isolated --in-place big.eml");

  ck_assert_int_eq (run->status, 2);
  ck_assert_msg (strstr (run->err, "fixed:") == NULL, "%s", run->err);
  ck_assert (strstr (run->err, "emlint: big.eml: rename failed: Input/output error\n") != NULL);
  ck_assert (strstr (run->err, "emlint: 0 fixed, 0 remaining\n") != NULL);
  ck_assert_str_eq (slurp (in), ENCODED);
}
END_TEST

/* The cases that need util-linux: script (a terminal) and, as root, setpriv (to drop root).
 * NULL when they are there, else the one that is missing. */
static const char *
missing_util_linux_tool (void)
{
  g_autofree char *script = g_find_program_in_path ("script");
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");

  return script == NULL ? "script" : geteuid () == 0 && setpriv == NULL ? "setpriv" : NULL;
}

/* test-cli [util-linux]: every case but those that need util-linux's tools, or only those
 * (SKIP without the tools). */
int
main (int argc, char **argv)
{
  gboolean util_linux = argc > 1 && strcmp (argv[1], "util-linux") == 0;
  const char *missing = util_linux ? missing_util_linux_tool () : NULL;
  Suite *suite;
  TCase *tc;

  if (missing != NULL)
    return test_skip ("%s (util-linux) not found: the terminal and unreadable-file cases were "
                      "not run",
                      missing);
  suite = suite_create ("cli");
  tc = tcase_create ("cli");
  tcase_add_checked_fixture (tc, test_tmp_setup, test_tmp_teardown);
  tcase_set_timeout (tc, 120);
  suite_add_tcase (suite, tc);
  if (util_linux)
    {
      tcase_add_test (tc, test_unreadable_file);
      tcase_add_test (tc, test_progress_on_a_terminal);
      tcase_add_test (tc, test_fix_names_escaped);
      return test_run_suite (suite);
    }
  tcase_add_test (tc, test_exit_status);
  tcase_add_test (tc, test_json_shape);
  tcase_add_test (tc, test_text_source_and_escapes);
  tcase_add_test (tc, test_github_by_environment);
  tcase_add_test (tc, test_select_ignore_stdin);
  tcase_add_test (tc, test_directory_walk);
  tcase_add_test (tc, test_no_mail_found);
  tcase_add_test (tc, test_named_maildir_gz_and_skips);
  tcase_add_test (tc, test_config_include_exclude);
  tcase_add_test (tc, test_symlink_loop_and_dangling);
  tcase_add_test (tc, test_mbox_lines_and_gzip);
  tcase_add_test (tc, test_bad_input);
  tcase_add_test (tc, test_closed_pipe_is_quiet);
  tcase_add_test (tc, test_jobs_same_output);
  tcase_add_test (tc, test_segments_same_output);
  tcase_add_test (tc, test_config_file);
  tcase_add_test (tc, test_rules_and_explain);
  tcase_add_test (tc, test_template_placeholders);
  tcase_add_test (tc, test_fix_destinations);
  tcase_add_test (tc, test_fix_in_place_keeps_attributes);
  tcase_add_test (tc, test_fix_mbox_keeps_envelopes);
  tcase_add_test (tc, test_fix_unsafe_and_dkim);
  tcase_add_test (tc, test_fix_failed_write_loses_nothing);
  tcase_add_test (tc, test_fix_unreadable_writes_nothing);
  tcase_add_loop_test (tc, test_fix_fault_injection, 0, G_N_ELEMENTS (faults));
  tcase_add_test (tc, test_fix_in_place_links_and_permissions);
  tcase_add_test (tc, test_fix_interrupted_leaves_no_temporary);
  tcase_add_test (tc, test_output_errors);
  tcase_add_test (tc, test_fix_reported_only_when_written);
  return test_run_suite (suite);
}
