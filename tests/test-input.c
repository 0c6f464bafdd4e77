/* test-input.c: the reading side of emlint, hardened (issue 10): every gzip member, 64-bit sizes
 * and --max-message-size, endless inputs and gzip bombs, mboxcl2 Content-Length, walks through
 * symlink meshes, configuration values as input, escaped error texts, pathological inputs at a
 * modest size (correctness; their timings are in bench/run --pathological), and fixes after a
 * stray header line. Each test runs the built binary.
 *
 * `test-input mimekit` runs only the check on MimeKit's mboxcl2 test file from
 * ../shared/corpus-ext, and exits 77 (skip) when it is not there. */
#include "testutil.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD "From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\n"
#define CLEAN HEAD "Message-ID: <1@example.com>\nSubject: hi\n\nbody\n"
#define NO_MSGID HEAD "\nbody\n"

static char *tmp;

static void
setup (void)
{
  tmp = test_tmpdir ();
}

static void
teardown (void)
{
  test_rmtree (tmp);
  g_free (tmp);
}

/* Writes @len octets of @text (-1: up to the NUL) to @name below the test's folder; returns the
 * path (owned by the caller). */
static char *
put_len (const char *name, const char *text, gssize len)
{
  char *path = g_build_filename (tmp, name, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0755);
  test_write (path, text, len);
  return path;
}

static char *
put (const char *name, const char *text)
{
  return put_len (name, text, -1);
}

#define RUN(...) test_emlint (tmp, NULL, (const char *const[]){ __VA_ARGS__, NULL })
#define SH(script) test_spawn (tmp, NULL, (const char *const[]){ "sh", "-c", script, NULL })

/* Occurrences of @needle in @haystack. */
static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* The number of messages `check --statistics` read in @path. */
static guint
messages_in (const char *path)
{
  g_autoptr (TestRun) run = RUN ("check", "--isolated", "--quiet", "--statistics", path);
  const char *files = strstr (run->out, "1 file, "); /* one path: "1 file, N messages" */
  g_autofree char *number = NULL;
  guint64 n = 0;

  ck_assert_msg (files != NULL, "no statistics for %s: %s%s", path, run->out, run->err);
  number = g_strndup (files + 8, strcspn (files + 8, " "));
  ck_assert (g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT, &n, NULL));
  return (guint) n;
}

/* ---- gzip --------------------------------------------------------------------------------- */

START_TEST (test_gzip_every_member)
{
  /* `cat a.gz b.gz c.gz`, as logrotate, pigz and appending scripts make. */
  g_autofree char *a = put ("a", "From a Mon\n" CLEAN "\n");
  g_autofree char *b = put ("b", "From b Tue\n" NO_MSGID "\n");
  g_autofree char *c = put ("c", "From c Wed\n" NO_MSGID);
  g_autoptr (TestRun) zip = SH ("for f in a b c; do gzip -c $f >$f.gz; done; "
                                "cat a.gz b.gz c.gz >box.mbox.gz");
  g_autoptr (TestRun) run = NULL;

  ck_assert_int_eq (zip->status, 0);
  run = RUN ("check", "--isolated", "box.mbox.gz");
  ck_assert_int_eq (run->status, 0);
  ck_assert_str_eq (run->err, "");
  ck_assert_str_eq (run->out,
                    "box.mbox.gz:10:1: warning: the message has no Message-ID field (message 1) "
                    "[msgid-missing]\n"
                    "box.mbox.gz:16:1: warning: the message has no Message-ID field (message 2) "
                    "[msgid-missing]\n");
  ck_assert_uint_eq (messages_in ("box.mbox.gz"), 3);
}
END_TEST

START_TEST (test_gzip_damage_is_an_error)
{
  g_autofree char *a = put ("a", "From a Mon\n" CLEAN "\nFrom b Tue\n" NO_MSGID);
  g_autoptr (TestRun) zip = SH ("gzip -c a >good.gz && head -c 40 good.gz >cut.mbox.gz && "
                                "(cat good.gz; printf 'trailing junk') >junk.mbox.gz");
  g_autoptr (TestRun) cut = NULL, junk = NULL;

  ck_assert_int_eq (zip->status, 0);
  cut = RUN ("check", "--isolated", "cut.mbox.gz", "a");
  junk = RUN ("check", "--isolated", "junk.mbox.gz");
  ck_assert_int_eq (cut->status, 2);
  ck_assert_str_eq (cut->err, "emlint: cut.mbox.gz: gzip: the compressed data ends early\n");
  ck_assert (strstr (cut->out, "a:10:1: warning:") != NULL); /* the other input still runs */
  ck_assert_int_eq (junk->status, 2);
  ck_assert (g_str_has_prefix (junk->err, "emlint: junk.mbox.gz: gzip: "));
}
END_TEST

/* ---- sizes --------------------------------------------------------------------------------- */

/* An mbox whose message 1 has a body of @body_len octets. */
static char *
mbox_with_big_message (const char *name, gsize body_len)
{
  g_autoptr (GString) text = g_string_new ("From a Mon\n" NO_MSGID "\nFrom b Tue\n" HEAD
                                           "Message-ID: <big@example.com>\n\n");

  for (gsize i = 0; i < body_len; i += 64)
    g_string_append (text, "0123456789012345678901234567890123456789012345678901234567890\n");
  g_string_append (text, "\nFrom c Wed\n" NO_MSGID);
  return put_len (name, text->str, (gssize) text->len);
}

START_TEST (test_max_message_size_mbox)
{
  g_autofree char *box = mbox_with_big_message ("box.mbox", 8192);
  g_autofree char *other = put ("other.eml", NO_MSGID);
  g_autoptr (GBytes) before = test_read (box);
  g_autoptr (GBytes) after = NULL;
  g_autoptr (TestRun) check = RUN ("check", "--isolated", "--max-message-size", "4K", "box.mbox",
                                   "other.eml");
  g_autoptr (TestRun) fix = RUN ("fix", "--isolated", "--max-message-size", "4K", "--unsafe-fixes",
                                 "--msgid-domain", "example.com", "--in-place", "box.mbox");
  g_autoptr (TestRun) roomy = RUN ("check", "--isolated", "--max-message-size", "1M", "box.mbox");

  /* One clear error for that message; the messages around it and the other input still run. */
  ck_assert_int_eq (check->status, 2);
  ck_assert_str_eq (check->err, "emlint: box.mbox: message 1 is larger than the maximum message "
                                "size (4096 octets, --max-message-size); not read\n");
  ck_assert (strstr (check->out, "(message 0) [msgid-missing]") != NULL);
  ck_assert (strstr (check->out, "(message 2) [msgid-missing]") != NULL);
  ck_assert (strstr (check->out, "other.eml:1:1: warning:") != NULL);
  /* Message 2's line numbers count the lines of the message that was not read. */
  ck_assert (strstr (check->out, "box.mbox:142:1: warning: the message has no Message-ID field "
                                 "(message 2)")
             != NULL);
  /* fix leaves the file untouched, although messages 0 and 2 had fixes. */
  ck_assert_int_eq (fix->status, 2);
  ck_assert (strstr (fix->err, "message 1 is larger than the maximum message size") != NULL);
  after = test_read (box);
  ck_assert (g_bytes_equal (before, after));
  ck_assert_int_eq (roomy->status, 0);
  ck_assert_str_eq (roomy->err, "");
}
END_TEST

START_TEST (test_max_message_size_values)
{
  g_autofree char *eml = put ("a.eml", CLEAN);
  g_autofree char *big = put ("big.eml", CLEAN "................................................");
  g_autofree char *cfg = put ("size.ini", "[emlint]\nmax-message-size = 100\n");
  g_autofree char *bad_cfg = put ("bad.ini", "[emlint]\nmax-message-size = 10 MB\n");
  g_autoptr (TestRun) zero = RUN ("check", "--isolated", "--max-message-size", "0", "a.eml");
  g_autoptr (TestRun) junk = RUN ("check", "--isolated", "--max-message-size", "12X", "a.eml");
  g_autoptr (TestRun) huge = RUN ("check", "--isolated", "--max-message-size", "99999999T",
                                  "a.eml");
  g_autoptr (TestRun) units = RUN ("check", "--isolated", "--max-message-size", "1k", "a.eml");
  /* The largest limit: positions inside one message are 32-bit. */
  g_autoptr (TestRun) top = RUN ("check", "--isolated", "--max-message-size", "4G", "a.eml");
  g_autoptr (TestRun) over = RUN ("check", "--isolated", "--max-message-size", "4097M", "a.eml");
  g_autoptr (TestRun) from_cfg = RUN ("check", "--config", "size.ini", "a.eml", "big.eml");
  g_autoptr (TestRun) bad = RUN ("check", "--config", "bad.ini", "a.eml");

  ck_assert_int_eq (zero->status, 2);
  ck_assert (strstr (zero->err, "--max-message-size takes a size in octets") != NULL);
  ck_assert_int_eq (junk->status, 2);
  ck_assert_int_eq (huge->status, 2);
  ck_assert_int_eq (units->status, 0);
  ck_assert_int_eq (top->status, 0);
  ck_assert_int_eq (over->status, 2);
  ck_assert (strstr (over->err, "--max-message-size takes a size in octets up to 4G") != NULL);
  /* The configuration key: a.eml (103 octets) and big.eml are both over 100. */
  ck_assert_int_eq (from_cfg->status, 2);
  ck_assert_uint_eq (count (from_cfg->err, "is larger than the maximum message size (100 "), 2);
  ck_assert_int_eq (bad->status, 2);
  ck_assert (strstr (bad->err, "bad.ini:2: [emlint] max-message-size: takes a size") != NULL);
}
END_TEST

START_TEST (test_endless_input_stops)
{
  g_autoptr (TestRun) run = RUN ("check", "--isolated", "--max-message-size", "2M", "/dev/zero");

  ck_assert_int_eq (run->status, 2);
  ck_assert_str_eq (run->err, "emlint: /dev/zero: the message is larger than the maximum message "
                              "size (2097152 octets, --max-message-size); not read\n");
}
END_TEST

START_TEST (test_gzip_bomb_bounded)
{
  /* 64 MiB of NULs in one message, 64 KB compressed; and the same inside an mbox, between
   * two ordinary messages. */
  g_autoptr (TestRun) zip = SH ("(printf 'From: a@example.com\\n\\n'; head -c 64M /dev/zero) "
                                "| gzip -1 >bomb.eml.gz && "
                                "(printf 'From a Mon\\nFrom: a@example.com\\n\\n'; "
                                "head -c 64M /dev/zero; printf '\\n\\nFrom b Tue\\n" NO_MSGID
                                "') | gzip -1 >bomb.mbox.gz");
  g_autoptr (TestRun) one = NULL, box = NULL;

  ck_assert_int_eq (zip->status, 0);
  one = RUN ("check", "--isolated", "--max-message-size", "8M", "bomb.eml.gz");
  box = RUN ("check", "--isolated", "--max-message-size", "8M", "bomb.mbox.gz");
  ck_assert_int_eq (one->status, 2);
  ck_assert (strstr (one->err, "bomb.eml.gz: the message is larger than the maximum") != NULL);
  ck_assert_int_eq (box->status, 2);
  ck_assert (strstr (box->err, "bomb.mbox.gz: message 0 is larger than the maximum") != NULL);
  ck_assert_str_eq (box->out, "bomb.mbox.gz:7:1: warning: the message has no Message-ID field "
                              "(message 1) [msgid-missing]\n");
}
END_TEST

START_TEST (test_sparse_4gib_message)
{
  /* 4 GiB + 258 octets: a length in 32 bits would see 258. With the default limit the message
   * is refused, never truncated, and fix leaves the file as it was. */
  g_autofree char *path = g_build_filename (tmp, "huge.eml", NULL);
  const char *tail = "Subject: the last 258 octets\n";
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  struct stat before, after;
  g_autoptr (TestRun) check = NULL, fix = NULL;
  char head[64];

  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (write (fd, NO_MSGID, strlen (NO_MSGID)), (int) strlen (NO_MSGID));
  ck_assert_int_eq (pwrite (fd, tail, strlen (tail),
                            (off_t) (G_GUINT64_CONSTANT (4) << 30) + 258 - (off_t) strlen (tail)),
                    (int) strlen (tail));
  close (fd);
  ck_assert_int_eq (stat (path, &before), 0);
  ck_assert_uint_eq ((guint64) before.st_size, (G_GUINT64_CONSTANT (4) << 30) + 258);
  check = RUN ("check", "--isolated", "huge.eml");
  fix = RUN ("fix", "--isolated", "--in-place", "--unsafe-fixes", "--msgid-domain", "example.com",
             "huge.eml");
  ck_assert_int_eq (check->status, 2);
  ck_assert_str_eq (check->err, "emlint: huge.eml: the message is larger than the maximum "
                                "message size (268435456 octets, --max-message-size); not read\n");
  ck_assert_int_eq (fix->status, 2);
  ck_assert_int_eq (stat (path, &after), 0);
  ck_assert_uint_eq ((guint64) after.st_size, (guint64) before.st_size);
  ck_assert_uint_eq ((guint64) after.st_ino, (guint64) before.st_ino);
  ck_assert_int_eq (after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
  fd = open (path, O_RDONLY);
  ck_assert_int_eq (read (fd, head, strlen (NO_MSGID)), (int) strlen (NO_MSGID));
  close (fd);
  ck_assert (memcmp (head, NO_MSGID, strlen (NO_MSGID)) == 0);
}
END_TEST

/* ---- mboxcl2 -------------------------------------------------------------------------------- */

/* A body whose From_-looking line follows a blank line, and which quotes an encoded
 * In-Reply-To that emlint would fix in a header. */
#define QUOTING_BODY                                                                               \
  "Forwarded below.\n\nFrom someone Mon Jan  1 00:00:00 2024\n"                                    \
  "In-Reply-To: =?utf-8?q?=3Cx=40example=2Ecom=3E?=\n\nold text\n"

static char *
cl_message (const char *envelope, const char *msgid, const char *body, gssize length)
{
  return g_strdup_printf ("%s\n" HEAD "Message-ID: <%s>\nContent-Length: %" G_GSSIZE_FORMAT
                          "\n\n%s",
                          envelope, msgid, length < 0 ? (gssize) strlen (body) : length, body);
}

START_TEST (test_mboxcl2_content_length)
{
  /* The body's length, then "\n" and the next From_ line (mutt's check). */
  g_autofree char *m0 = cl_message ("From a Mon", "0@example.com", QUOTING_BODY, -1);
  g_autofree char *m1 = cl_message ("From b Tue", "1@example.com", "second\n", 6);
  g_autofree char *text = g_strconcat (m0, "\n", m1, NULL);
  g_autofree char *box = put ("cl.mbox", text);
  g_autoptr (TestRun) diff = NULL;

  ck_assert_uint_eq (messages_in ("cl.mbox"), 2);
  diff = RUN ("fix", "--isolated", "--diff", "cl.mbox");
  /* The quoted In-Reply-To is body: no fix touches it. */
  ck_assert_int_eq (diff->status, 0);
  ck_assert_str_eq (diff->out, "");
}
END_TEST

START_TEST (test_mboxcl2_wrong_length_falls_back)
{
  /* A Content-Length that does not land on a From_ line (or the end) is ignored: From_ lines
   * after blank lines split, as in any mbox. */
  g_autofree char *m0 = cl_message ("From a Mon", "0@example.com", QUOTING_BODY, 5);
  g_autofree char *m1 = cl_message ("From b Tue", "1@example.com", "second\n", 6);
  g_autofree char *text = g_strconcat (m0, "\n", m1, NULL);
  g_autofree char *box = put ("bad-cl.mbox", text);
  g_autofree char *no_cl = put ("plain.mbox", "From a Mon\n" NO_MSGID "\nFrom b Tue\n" NO_MSGID);

  ck_assert_uint_eq (messages_in ("bad-cl.mbox"), 3);
  ck_assert_uint_eq (messages_in ("plain.mbox"), 2);
}
END_TEST

/* ---- walks ----------------------------------------------------------------------------------- */

START_TEST (test_walk_symlink_mesh)
{
  /* 9 folders, each linking to the 8 others: a walk that followed them would visit every
   * simple path (over 900,000 lints); a walk visits each folder once. */
  g_autoptr (TestRun) run = NULL;

  for (int i = 0; i < 9; i++)
    {
      g_autofree char *name = g_strdup_printf ("mesh/d%d/m.eml", i);
      g_autofree char *eml = put (name, NO_MSGID);
      for (int k = 0; k < 9; k++)
        if (k != i)
          {
            g_autofree char *target = g_strdup_printf ("../d%d", k);
            g_autofree char *link = g_strdup_printf ("%s/mesh/d%d/to%d", tmp, i, k);
            ck_assert_int_eq (symlink (target, link), 0);
          }
    }
  run = RUN ("check", "--isolated", "mesh");
  ck_assert_int_eq (run->status, 0);
  ck_assert_str_eq (run->err, "");
  ck_assert_uint_eq (count (run->out, "[msgid-missing]"), 9);
  for (int i = 0; i < 9; i++)
    {
      g_autofree char *line = g_strdup_printf ("mesh/d%d/m.eml:1:1:", i);
      ck_assert (strstr (run->out, line) != NULL);
    }
}
END_TEST

START_TEST (test_walk_symlink_policy)
{
  g_autofree char *real = put ("elsewhere/real.eml", NO_MSGID);
  g_autofree char *inside = put ("top/own.eml", NO_MSGID);
  g_autofree char *file_link = g_build_filename (tmp, "top", "link.eml", NULL);
  g_autofree char *dir_link = g_build_filename (tmp, "top", "folder", NULL);
  g_autoptr (TestRun) walk = NULL, named = NULL, named_dir = NULL;

  ck_assert_int_eq (symlink ("../elsewhere/real.eml", file_link), 0);
  ck_assert_int_eq (symlink ("../elsewhere", dir_link), 0);
  walk = RUN ("check", "--isolated", "top");
  named = RUN ("check", "--isolated", "top/link.eml");
  named_dir = RUN ("check", "--isolated", "top/folder");
  /* Met during a walk, symlinks are skipped; named on the command line, they are followed. */
  ck_assert_str_eq (walk->out, "top/own.eml:1:1: warning: the message has no Message-ID field "
                               "[msgid-missing]\n");
  ck_assert_str_eq (named->out, "top/link.eml:1:1: warning: the message has no Message-ID "
                                "field [msgid-missing]\n");
  ck_assert_str_eq (named_dir->out, "top/folder/real.eml:1:1: warning: the message has no "
                                    "Message-ID field [msgid-missing]\n");
}
END_TEST

/* ---- configuration is input ------------------------------------------------------------------ */

START_TEST (test_config_msgid_domain_validated)
{
  g_autofree char *eml = put ("box.mbox", "From a Mon\n" NO_MSGID);
  /* GKeyFile turns \n into a newline: the value would add lines, a From_ line among them. */
  g_autofree char *cfg = put ("inject.ini", "[emlint]\nmsgid-domain = example.com>\\n\\nFrom x "
                                            "Mon\\nBcc: victim@example.org\\nX: <y\n");
  g_autofree char *long_cfg = put ("long.ini", "[emlint]\nmsgid-domain = "
                                               "a123456789b123456789c123456789d123456789e1234567"
                                               "89.example\n");
  g_autofree char *max_cfg = put ("max.ini", "[emlint]\nmsgid-domain-max = 0\n");
  g_autoptr (GBytes) before = test_read (eml);
  g_autoptr (GBytes) after = NULL;
  g_autoptr (TestRun) inject = RUN ("fix", "--config", "inject.ini", "--unsafe-fixes", "--in-place",
                                    "box.mbox");
  g_autoptr (TestRun) too_long = RUN ("check", "--config", "long.ini", "box.mbox");
  g_autoptr (TestRun) cli_long = RUN ("check", "--isolated", "--msgid-domain",
                                      "a123456789b123456789c123456789d123456789e1234567"
                                      "89.example",
                                      "box.mbox");
  g_autoptr (TestRun) cli_space = RUN ("check", "--isolated", "--msgid-domain", "a. b", "box.mbox");
  g_autoptr (TestRun) bad_max = RUN ("check", "--config", "max.ini", "box.mbox");
  g_autoptr (TestRun) cli_max = RUN ("check", "--isolated", "--msgid-domain-max", "0", "box.mbox");

  ck_assert_int_eq (inject->status, 2);
  ck_assert (g_str_has_prefix (inject->err, "emlint: inject.ini:2: [emlint] msgid-domain: takes "
                                            "a domain (dot-atom) of at most 48 octets, not "
                                            "'example.com>\\x0A\\x0AFrom x Mon\\x0A"));
  after = test_read (eml);
  ck_assert (g_bytes_equal (before, after));
  /* One validator for the file and the flag: the same limit, the same words. */
  ck_assert_int_eq (too_long->status, 2);
  ck_assert (strstr (too_long->err, "long.ini:2: [emlint] msgid-domain: takes a domain "
                                    "(dot-atom) of at most 48 octets")
             != NULL);
  ck_assert_int_eq (cli_long->status, 2);
  ck_assert (strstr (cli_long->err, "emlint: --msgid-domain takes a domain (dot-atom) of at most "
                                    "48 octets")
             != NULL);
  ck_assert_int_eq (cli_space->status, 2);
  ck_assert_int_eq (bad_max->status, 2);
  ck_assert (strstr (bad_max->err, "max.ini:2: [emlint] msgid-domain-max: takes a number from 1 "
                                   "to 255, not 0")
             != NULL);
  ck_assert_int_eq (cli_max->status, 2);
  ck_assert (strstr (cli_max->err, "--msgid-domain-max takes a number from 1 to 255, not 0")
             != NULL);
}
END_TEST

/* ---- hostile names in error texts ------------------------------------------------------------ */

START_TEST (test_error_texts_escaped)
{
  /* A title-setting escape sequence in a folder name that GLib quotes in its error text. */
  g_autofree char *dir = g_build_filename (tmp, "cfg\033]0;pwned\007.ini", NULL);
  g_autofree char *eml = put ("a.eml", CLEAN);
  g_autofree char *bad = put ("bad\033[31m.ini", "[emlint]\nfail-on = \033[2J\n");
  g_autoptr (TestRun) dir_run = NULL, value_run = NULL, missing = NULL;

  ck_assert_int_eq (g_mkdir (dir, 0755), 0);
  dir_run = RUN ("check", "--config", "cfg\033]0;pwned\007.ini", "a.eml");
  value_run = RUN ("check", "--config", "bad\033[31m.ini", "a.eml");
  missing = RUN ("check", "--isolated", "gone\033[2J.eml");
  ck_assert_int_eq (dir_run->status, 2);
  ck_assert (strchr (dir_run->err, '\033') == NULL && strchr (dir_run->err, '\007') == NULL);
  ck_assert (strstr (dir_run->err, "cfg\\x1B]0;pwned\\x07.ini") != NULL);
  ck_assert_int_eq (value_run->status, 2);
  ck_assert (strchr (value_run->err, '\033') == NULL);
  ck_assert (strstr (value_run->err, "'\\x1B[2J' is not info, warning or error") != NULL);
  ck_assert_str_eq (missing->err, "emlint: gone\\x1B[2J.eml: No such file or directory\n");
}
END_TEST

/* ---- pathological inputs, modest size --------------------------------------------------------- */

#define LONG_VALUE                                                                                 \
  "word word word word word word word word word word word word word word word "                    \
  "word word word word word"

START_TEST (test_signature_guard_many_names)
{
  /* One signature (simple) whose h= lists 3,000 names, X-Long-7 among them; one (relaxed)
   * that signs X-Long-8; 20 refoldable fields. Only X-Long-7's refold breaks a signature. */
  g_autoptr (GString) text = g_string_new (HEAD
                                           "Message-ID: <s@example.com>\n"
                                           "DKIM-Signature: v=1; c=simple/simple; d=simple.example;"
                                           " s=one;\n h=");
  g_autofree char *eml = NULL;
  g_autoptr (TestRun) fix = NULL;

  for (int i = 0; i < 3000; i++)
    g_string_append_printf (text, "%s:\n ", i == 1500 ? "X-LONG-7" : "x-other");
  g_string_append (text, "from; bh=A; b=A\nDKIM-Signature: v=1; c=relaxed/simple; "
                         "d=relaxed.example; s=two; h=x-long-8:from; bh=A; b=A\n");
  for (int i = 0; i < 20; i++)
    g_string_append_printf (text, "X-Long-%d: " LONG_VALUE "\n", i);
  g_string_append (text, "\nbody\n");
  eml = put ("sig.eml", text->str);
  fix = RUN ("fix", "--isolated", "--diff", "sig.eml");
  ck_assert_int_eq (fix->status, 0);
  ck_assert_uint_eq (count (fix->err, ": would fix: header line is"), 19);
  ck_assert (strstr (fix->err, "fix held back: it changes X-Long-7, which the DKIM-Signature "
                               "(d=simple.example, s=one) signs")
             != NULL);
  ck_assert (strstr (fix->out, "+X-Long-8: word") != NULL);
}
END_TEST

START_TEST (test_mixed_line_endings_many_fields)
{
  /* 2,000 fields alternating CRLF and LF (LF wins, by the From/Date lines): every CRLF of the
   * header becomes LF in one fix, and nothing else changes. */
  g_autoptr (GString) text = g_string_new (HEAD "Message-ID: <e@example.com>\n");
  g_autoptr (GString) want = g_string_new (HEAD "Message-ID: <e@example.com>\n");
  g_autofree char *eml = NULL;
  g_autofree char *out = g_build_filename (tmp, "out.eml", NULL);
  g_autoptr (TestRun) fix = NULL;
  g_autoptr (GBytes) fixed = NULL;

  for (int i = 0; i < 2000; i++)
    {
      g_string_append_printf (text, "X-F-%d: v%s", i, i % 2 ? "\r\n" : "\n");
      g_string_append_printf (want, "X-F-%d: v\n", i);
    }
  g_string_append (text, "\nbody\n");
  g_string_append (want, "\nbody\n");
  eml = put ("eol.eml", text->str);
  fix = RUN ("fix", "--isolated", "-o", "out.eml", "eol.eml");
  ck_assert_int_eq (fix->status, 0);
  fixed = test_read (out);
  ck_assert_uint_eq (g_bytes_get_size (fixed), want->len);
  ck_assert (memcmp (g_bytes_get_data (fixed, NULL), want->str, want->len) == 0);
}
END_TEST

/* ---- ambiguous end of header ------------------------------------------------------------------ */

START_TEST (test_fix_after_stray_line_is_unsafe)
{
  /* Line 3 is no field: Python's email package ends the header there, so the refold of the
   * long Subject would edit its body. */
  g_autofree char *eml = put ("stray.eml", HEAD "quite Delivered-To: x@example.com\n"
                                                "Message-ID: <s@example.com>\nSubject: " LONG_VALUE
                                                "\n\nbody\n");
  g_autoptr (TestRun) safe = RUN ("fix", "--isolated", "--diff", "stray.eml");
  g_autoptr (TestRun) unsafe = RUN ("fix", "--isolated", "--diff", "--unsafe-fixes", "stray.eml");

  ck_assert_str_eq (safe->out, "");
  ck_assert (strstr (safe->err, "stray.eml:5:79: warning: header line is 108 octets long; fold it "
                                "at whitespace to keep lines within 78 (fix held back: it edits "
                                "the header after line 3, which is no header field: Python's "
                                "email package and other readers end the header there, and "
                                "would see the body changed; --unsafe-fixes applies it)")
             != NULL);
  ck_assert (strstr (unsafe->out, "+Subject: word") != NULL);
}
END_TEST

/* ---- MimeKit's mboxcl2 file (corpus-ext) ------------------------------------------------------ */

static int
run_mimekit (void)
{
  const char *ext = test_corpus_ext ();
  g_autofree char *path = ext ? g_build_filename (ext, "mimekit", "mbox", "UnitTests", "TestData",
                                                  "mbox", "content-length.mbox.txt", NULL)
                              : NULL;
  const char *argv[] = { g_getenv ("EMLINT"), "check", "--isolated", "--quiet",
                         "--statistics",      path,    NULL };
  g_autofree char *out = NULL, *err = NULL;
  const char *files;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      printf ("SKIP: MimeKit's content-length.mbox.txt not found under $EMLINT_CORPUS_EXT\n");
      return 77;
    }
  /* Outside a Check suite: spawned here, not with test_emlint(), which asserts. */
  if (argv[0] == NULL
      || !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, NULL,
                        NULL))
    {
      printf ("FAIL: cannot run $EMLINT\n0 passed, 1 failed\n");
      return 1;
    }
  files = strstr (out, "1 file, ");
  /* 29 From_ lines. Messages 3 to 28 have a consistent Content-Length, so each ends where it
   * says, though 7 of them have no blank line before the next From_ line; messages 0 to 2
   * have a wrong one and no blank line either, so they and message 3 stay one message. */
  if (files == NULL || !g_str_has_prefix (files, "1 file, 26 messages,"))
    {
      printf ("FAIL: %s: want 26 messages, got: %s%s\n0 passed, 1 failed\n", path, out, err);
      return 1;
    }
  printf ("PASS: %s: 26 messages, as its Content-Length fields say\n1 passed, 0 failed\n", path);
  return 0;
}

int
main (int argc, char **argv)
{
  Suite *suite;
  TCase *tc;

  if (argc > 1 && strcmp (argv[1], "mimekit") == 0)
    return run_mimekit ();
  suite = suite_create ("input");
  tc = tcase_create ("input");
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_gzip_every_member);
  tcase_add_test (tc, test_gzip_damage_is_an_error);
  tcase_add_test (tc, test_max_message_size_mbox);
  tcase_add_test (tc, test_max_message_size_values);
  tcase_add_test (tc, test_endless_input_stops);
  tcase_add_test (tc, test_gzip_bomb_bounded);
  tcase_add_test (tc, test_sparse_4gib_message);
  tcase_add_test (tc, test_mboxcl2_content_length);
  tcase_add_test (tc, test_mboxcl2_wrong_length_falls_back);
  tcase_add_test (tc, test_walk_symlink_mesh);
  tcase_add_test (tc, test_walk_symlink_policy);
  tcase_add_test (tc, test_config_msgid_domain_validated);
  tcase_add_test (tc, test_error_texts_escaped);
  tcase_add_test (tc, test_signature_guard_many_names);
  tcase_add_test (tc, test_mixed_line_endings_many_fields);
  tcase_add_test (tc, test_fix_after_stray_line_is_unsafe);
  suite_add_tcase (suite, tc);
  return test_run_suite (suite);
}
