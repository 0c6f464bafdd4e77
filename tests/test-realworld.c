/* test-realworld.c: every file of ../shared/corpus-ext (the MANIFEST) through `emlint check
 * --format json`: exit status 0 or 1, nothing on stderr, and a JSON array of findings with the
 * fields of DESIGN.md in place; never 2, a signal or a hang. Skipped when corpus-ext is absent. */
#include "testutil.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

static GPtrArray *files;   /* of paths below corpus-ext */

static void
collect_files (void)
{
  const char *ext = test_corpus_ext ();
  g_autofree char *manifest = NULL, *text = NULL;
  g_auto (GStrv) lines = NULL;

  files = g_ptr_array_new_with_free_func (g_free);
  if (ext == NULL)
    return;
  manifest = g_build_filename (ext, "MANIFEST.tsv", NULL);
  if (!g_file_get_contents (manifest, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)  /* line 0 names the columns */
    {
      char *tab = strchr (lines[i], '\t');
      if (tab != NULL)
        {
          *tab = '\0';
          g_ptr_array_add (files, g_build_filename (ext, lines[i], NULL));
        }
    }
}

static const char *const fields[] = { "path", "index", "line", "column", "end_line",
                                      "end_column", "rule", "severity", "message", "fixable",
                                      "fix" };

static void
assert_finding (JsonNode *node, const char *path)
{
  JsonObject *object = json_node_get_object (node);
  g_autoptr (GList) members = json_object_get_members (object);
  guint i = 0;

  ck_assert_msg (JSON_NODE_HOLDS_OBJECT (node), "%s: a finding is not an object", path);
  for (GList *m = members; m != NULL; m = m->next, i++)
    ck_assert_msg (i < G_N_ELEMENTS (fields) && strcmp (m->data, fields[i]) == 0,
                   "%s: field %u is '%s'", path, i, (char *) m->data);
  ck_assert_uint_eq (i, G_N_ELEMENTS (fields));
  ck_assert_int_ge (json_object_get_int_member (object, "line"), 1);
  ck_assert_int_ge (json_object_get_int_member (object, "column"), 1);
}

START_TEST (test_file)
{
  const char *path = g_ptr_array_index (files, _i);
  const char *argv[] = { "check", "--isolated", "--format", "json", path, NULL };
  g_autoptr (TestRun) run = test_emlint (NULL, NULL, argv);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *array;

  ck_assert_msg (run->status == 0 || run->status == 1, "%s: exit %d: %s", path, run->status,
                 run->err);
  ck_assert_msg (*run->err == '\0', "%s: stderr: %s", path, run->err);
  ck_assert_msg (json_parser_load_from_data (parser, run->out, -1, &error), "%s: not JSON: %s",
                 path, error ? error->message : "");
  ck_assert (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    assert_finding (json_array_get_element (array, i), path);
}
END_TEST

START_TEST (test_skipped)
{
  fprintf (stderr, "corpus-ext not found at $EMLINT_CORPUS_EXT: real-world files skipped\n");
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("realworld");
  TCase *tc = tcase_create ("corpus-ext");
  int status;

  collect_files ();
  tcase_set_timeout (tc, 60);
  if (files->len > 0)
    tcase_add_loop_test (tc, test_file, 0, (int) files->len);
  else
    tcase_add_test (tc, test_skipped);
  suite_add_tcase (suite, tc);
  status = test_run_suite (suite);
  g_ptr_array_unref (files);
  return status;
}
