/* test-realworld.c: every file of ../shared/corpus-ext (the MANIFEST) through `emlint check
 * --format json`: exit status 0 or 1, nothing on stderr, and a JSON array of findings with the
 * fields of doc/DESIGN.md in place; never 2, a signal or a hang. SKIP (77) when corpus-ext is
 * absent; FAIL when it is there but its MANIFEST.tsv cannot be read or names no file. */
#include "testutil.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

static GPtrArray *files; /* of paths below corpus-ext */

static const char *const fields[] = { "path",     "index",      "line", "column",
                                      "end_line", "end_column", "rule", "severity",
                                      "message",  "fixable",    "fix" };

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

int
main (void)
{
  const char *ext = test_corpus_ext ();
  g_autoptr (GError) error = NULL;
  Suite *suite = suite_create ("realworld");
  TCase *tc = tcase_create ("corpus-ext");
  int status;

  if (ext == NULL)
    return test_skip ("corpus-ext not found at $EMLINT_CORPUS_EXT (%s): no real-world file "
                      "was linted",
                      g_getenv ("EMLINT_CORPUS_EXT"));
  files = test_corpus_ext_files (ext, &error);
  if (files == NULL)
    {
      printf ("FAIL: corpus-ext is there but broken: %s\n", error->message);
      return 1;
    }
  tcase_set_timeout (tc, 60);
  tcase_add_loop_test (tc, test_file, 0, (int) files->len);
  suite_add_tcase (suite, tc);
  status = test_run_suite (suite);
  g_ptr_array_unref (files);
  return status;
}
