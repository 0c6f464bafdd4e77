/* test-corpus.c: every case of corpus/ against its sidecars.
 *
 *   corpus/<rule-id>/<case>.eml          the message (bad-*: the rule fires; good-*: it does not)
 *   corpus/<rule-id>/<case>.eml.expect   the exact output of `emlint check --no-source`
 *   corpus/<rule-id>/<case>.fixed.eml    the exact output of `emlint fix -o -`, when it fixes
 *
 * Transcript rules (imap-*) have their cases in corpus/imap/, run by test-imap.c.
 *
 * EMLINT_RULE=<id> runs one rule's folder (an id that names no rule fails); EMLINT_REGENERATE=1 rewrites the sidecars, to be
 * reviewed with git diff before they are committed. */
#include "testutil.h"

#include "rule.h"

#include <stdio.h>
#include <string.h>

static GPtrArray *cases; /* of "rule-id/case.eml" */

static gboolean
is_case (const char *name)
{
  return (g_str_has_suffix (name, ".eml") || g_str_has_suffix (name, ".mbox"))
         && strstr (name, ".fixed.") == NULL
         && (g_str_has_prefix (name, "bad-") || g_str_has_prefix (name, "good-"));
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
  const char *only = g_getenv ("EMLINT_RULE");

  cases = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *dir = g_build_filename (test_source_root (), "corpus", rules[i]->id, NULL);
      GDir *d;
      const char *name;

      if ((only != NULL && strcmp (only, rules[i]->id) != 0)
          || rules[i]->model != EMLINT_MODEL_MESSAGE || (d = g_dir_open (dir, 0, NULL)) == NULL)
        continue;
      while ((name = g_dir_read_name (d)) != NULL)
        if (is_case (name))
          g_ptr_array_add (cases, g_build_filename (rules[i]->id, name, NULL));
      g_dir_close (d);
    }
  g_ptr_array_sort (cases, compare_strings);
}

static char *
fixed_name (const char *path)
{
  const char *dot = strrchr (path, '.');
  return g_strdup_printf ("%.*s.fixed%s", (int) (dot - path), path, dot);
}

START_TEST (test_case)
{
  const char *rel = g_ptr_array_index (cases, _i);
  g_autofree char *path = g_build_filename ("corpus", rel, NULL);
  g_autofree char *abs = g_build_filename (test_source_root (), path, NULL);
  g_autofree char *expect = g_strconcat (abs, ".expect", NULL);
  g_autofree char *fixed = fixed_name (abs);
  const char *check_argv[] = { "check", "--no-source", "--isolated", path, NULL };
  const char *json_argv[] = { "check", "--format", "jsonl", "--isolated", path, NULL };
  const char *fix_argv[] = { "fix", "--quiet", "--isolated", "-o", "-", path, NULL };
  g_autoptr (TestRun) check = test_emlint (NULL, NULL, check_argv);
  g_autoptr (TestRun) json = test_emlint (NULL, NULL, json_argv);
  gboolean fixable = strstr (json->out, "\"fixable\":true") != NULL;

  test_check_case (rel, check, expect);

  if (fixable || g_file_test (fixed, G_FILE_TEST_EXISTS))
    {
      g_autoptr (TestRun) fix = test_emlint (NULL, NULL, fix_argv);
      ck_assert_msg (fix->status == 0 || fix->status == 1, "%s: fix exit %d: %s", rel, fix->status,
                     fix->err);
      ck_assert_msg (fixable, "%s: has %s but nothing in it is fixable", rel, fixed);
      test_check_sidecar (fixed, fix->out, strlen (fix->out), rel);
    }
}
END_TEST

/* Every rule has its corpus: at least three bad and two good cases. */
START_TEST (test_every_rule_has_cases)
{
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  for (guint i = 0; i < n; i++)
    {
      if (rules[i]->model != EMLINT_MODEL_MESSAGE)
        continue;
      if (g_getenv ("EMLINT_RULE") == NULL || strcmp (g_getenv ("EMLINT_RULE"), rules[i]->id) == 0)
        test_assert_rule_cases (cases, rules[i]->id, "corpus/");
    }
}
END_TEST

/* Every folder of corpus/ belongs to a rule, and every case file is a bad or good case or one of
 * its sidecars. */
START_TEST (test_no_stray_files)
{
  g_autofree char *corpus = g_build_filename (test_source_root (), "corpus", NULL);
  GDir *d = g_dir_open (corpus, 0, NULL);
  const char *name;

  ck_assert (d != NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *sub = g_build_filename (corpus, name, NULL);
      GDir *cd;
      const char *file;

      if (!g_file_test (sub, G_FILE_TEST_IS_DIR) || strcmp (name, "imap") == 0)
        continue;
      ck_assert_msg (emlint_rule_lookup (name) != NULL, "corpus/%s is no rule's folder", name);
      cd = g_dir_open (sub, 0, NULL);
      while ((file = g_dir_read_name (cd)) != NULL)
        {
          g_autofree char *stem = NULL;
          if (g_str_has_suffix (file, ".expect"))
            stem = g_strndup (file, strlen (file) - strlen (".expect"));
          ck_assert_msg (is_case (stem ? stem : file) || strstr (file, ".fixed.") != NULL,
                         "corpus/%s/%s is neither a case nor a sidecar", name, file);
          if (stem != NULL)
            {
              g_autofree char *case_path = g_build_filename (sub, stem, NULL);
              ck_assert_msg (g_file_test (case_path, G_FILE_TEST_EXISTS),
                             "corpus/%s/%s has no case", name, file);
            }
        }
      g_dir_close (cd);
    }
  g_dir_close (d);
}
END_TEST

int
main (void)
{
  Suite *suite;
  TCase *tc;
  const char *only = g_getenv ("EMLINT_RULE");
  int status;

  if (only != NULL && emlint_rule_lookup (only) == NULL)
    {
      printf ("FAIL: EMLINT_RULE=%s names no rule (see 'emlint rules')\n", only);
      return 1;
    }
  suite = suite_create ("corpus");
  tc = tcase_create ("cases");
  collect_cases ();
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_every_rule_has_cases);
  tcase_add_test (tc, test_no_stray_files);
  tcase_add_loop_test (tc, test_case, 0, (int) cases->len);
  suite_add_tcase (suite, tc);
  status = test_run_suite (suite);
  g_ptr_array_unref (cases);
  return status;
}
