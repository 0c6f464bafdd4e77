/* testutil.c */
#include "testutil.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

static int
run_suite (Suite *suite, gboolean fork_by_default)
{
  SRunner *runner = srunner_create (suite);
  int failed, ran;

  if (!fork_by_default && g_getenv ("CK_FORK") == NULL)
    srunner_set_fork_status (runner, CK_NOFORK);
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  ran = srunner_ntests_run (runner);
  srunner_free (runner);
  if (ran == 0)
    {
      /* A suite that checks nothing must not pass (a missing input SKIPs before this). */
      printf ("FAIL: the suite ran no check\n");
      return 1;
    }
  return failed == 0 ? 0 : 1;
}

int
test_run_suite (Suite *suite)
{
  return run_suite (suite, TRUE);
}

int
test_run_suite_in_process (Suite *suite)
{
  return run_suite (suite, FALSE);
}

int
test_skip (const char *format, ...)
{
  va_list args;
  g_autofree char *why = NULL;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  printf ("SKIP: %s\n", why);
  fflush (stdout);
  return 77;
}

const char *
test_source_root (void)
{
  const char *root = g_getenv ("EMLINT_SOURCE_ROOT");

  /* Called outside tests too (collecting cases), where ck_assert cannot report. */
  if (root == NULL)
    g_error ("EMLINT_SOURCE_ROOT is not set (run the tests with meson test)");
  return root;
}

const char *
test_corpus_ext (void)
{
  const char *dir = g_getenv ("EMLINT_CORPUS_EXT");
  return dir != NULL && g_file_test (dir, G_FILE_TEST_IS_DIR) ? dir : NULL;
}

GPtrArray *
test_corpus_ext_files (const char *ext, GError **error)
{
  g_autofree char *manifest = g_build_filename (ext, "MANIFEST.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *files;

  if (!g_file_get_contents (manifest, &text, NULL, error))
    return NULL;
  files = g_ptr_array_new_with_free_func (g_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++) /* line 0 names the columns */
    {
      char *tab = strchr (lines[i], '\t');
      if (tab == NULL)
        continue;
      *tab = '\0';
      g_ptr_array_add (files, g_build_filename (ext, lines[i], NULL));
    }
  if (files->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s names no file", manifest);
      g_clear_pointer (&files, g_ptr_array_unref);
    }
  return files;
}

/* Never NULL, even for no output. */
static char *
bytes_to_string (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return len > 0 ? g_strndup (data, len) : g_strdup ("");
}

TestRun *
test_spawn (const char *cwd, const char *input, const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
    | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GBytes) in = g_bytes_new (input ? input : "", input ? strlen (input) : 0);
  g_autoptr (GBytes) out = NULL, err = NULL;
  TestRun *run = g_new0 (TestRun, 1);

  g_subprocess_launcher_set_cwd (launcher, cwd ? cwd : test_source_root ());
  g_subprocess_launcher_unsetenv (launcher, "GITHUB_ACTIONS");
  g_subprocess_launcher_unsetenv (launcher, "XDG_CONFIG_HOME");
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  ck_assert_msg (proc != NULL, "cannot run %s: %s", argv[0], error ? error->message : "");
  ck_assert (g_subprocess_communicate (proc, in, NULL, &out, &err, &error));
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  if (g_subprocess_get_if_signaled (proc))
    run->status = 128 + g_subprocess_get_term_sig (proc);
  else
    run->status = g_subprocess_get_exit_status (proc);
  return run;
}

TestRun *
test_emlint (const char *cwd, const char *input, const char *const *argv)
{
  g_autoptr (GPtrArray) full = g_ptr_array_new ();
  const char *exe = g_getenv ("EMLINT");
  const char *wrapper = g_getenv ("EMLINT_WRAPPER"); /* e.g. valgrind: see meson.build */
  g_auto (GStrv) wrap = wrapper && *wrapper ? g_strsplit (wrapper, " ", -1) : NULL;

  ck_assert_msg (exe != NULL, "EMLINT is not set (run the tests with meson test)");
  for (guint i = 0; wrap != NULL && wrap[i] != NULL; i++)
    if (*wrap[i] != '\0')
      g_ptr_array_add (full, wrap[i]);
  g_ptr_array_add (full, (gpointer) exe);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);
  return test_spawn (cwd, input, (const char *const *) full->pdata);
}

void
test_run_free (TestRun *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

char *
test_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("emlint-test-XXXXXX", &error);
  ck_assert_msg (dir != NULL, "%s", error ? error->message : "");
  return dir;
}

void
test_rmtree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };
  /* Folders a test made read-only must be writable again to be removed. */
  const char *chmod_argv[] = { "chmod", "-R", "u+rwx", path, NULL };
  g_autoptr (TestRun) run = NULL;

  test_run_free (test_spawn ("/", NULL, chmod_argv));
  run = test_spawn ("/", NULL, argv);
  ck_assert_int_eq (run->status, 0);
}

GBytes *
test_read (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *data;
  gsize len;

  ck_assert_msg (g_file_get_contents (path, &data, &len, &error), "%s",
                 error ? error->message : "");
  return g_bytes_new_take (data, len);
}

void
test_write (const char *path, const char *data, gssize len)
{
  g_autoptr (GError) error = NULL;
  ck_assert_msg (g_file_set_contents (path, data, len, &error), "%s", error ? error->message : "");
}

void
test_check_sidecar (const char *path, const char *got, gsize len, const char *what)
{
  g_autofree char *want = NULL;
  gsize want_len;

  if (g_getenv ("EMLINT_REGENERATE") != NULL)
    {
      test_write (path, got, (gssize) len);
      return;
    }
  ck_assert_msg (g_file_get_contents (path, &want, &want_len, NULL),
                 "%s: missing sidecar %s (EMLINT_REGENERATE=1 writes it for review)", what, path);
  ck_assert_msg (want_len == len && memcmp (want, got, len) == 0,
                 "%s differs from %s:\n--- want\n%s\n--- got\n%s", what, path, want, got);
}

char *test_tmp;
GPtrArray *test_kept;

void
test_tmp_setup (void)
{
  test_tmp = test_tmpdir ();
  test_kept = g_ptr_array_new_with_free_func (g_free);
}

void
test_tmp_teardown (void)
{
  test_rmtree (test_tmp);
  g_clear_pointer (&test_tmp, g_free);
  g_clear_pointer (&test_kept, g_ptr_array_unref);
}

void
test_check_case (const char *rel, const TestRun *run, const char *expect)
{
  g_autofree char *rule = g_path_get_dirname (rel);
  g_autofree char *base = g_path_get_basename (rel);
  g_autofree char *tag = g_strdup_printf ("[%s]", rule);
  gboolean fires = strstr (run->out, tag) != NULL;

  ck_assert_msg (run->status == 0 || run->status == 1, "%s: exit %d: %s", rel, run->status,
                 run->err);
  ck_assert_int_eq (run->status, strstr (run->out, ": error: ") != NULL);
  ck_assert_msg (*run->err == '\0', "%s: stderr: %s", rel, run->err);
  if (g_str_has_prefix (base, "bad-"))
    ck_assert_msg (fires, "%s: a bad case, but %s does not fire:\n%s", rel, rule, run->out);
  else
    ck_assert_msg (!fires, "%s: a good case, but %s fires:\n%s", rel, rule, run->out);
  test_check_sidecar (expect, run->out, strlen (run->out), rel);
}

void
test_assert_rule_cases (const GPtrArray *cases, const char *id, const char *folder)
{
  g_autofree char *prefix = g_strconcat (id, "/", NULL);
  guint bad = 0, good = 0;

  for (guint k = 0; k < cases->len; k++)
    {
      const char *rel = g_ptr_array_index (cases, k);
      if (g_str_has_prefix (rel, prefix))
        {
          bad += g_str_has_prefix (rel + strlen (prefix), "bad-");
          good += g_str_has_prefix (rel + strlen (prefix), "good-");
        }
    }
  ck_assert_msg (bad >= 3 && good >= 2,
                 "%s%s has %u bad and %u good cases; it needs at least "
                 "3 and 2",
                 folder, id, bad, good);
}
