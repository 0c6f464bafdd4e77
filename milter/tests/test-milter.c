/* test-milter.c: the milter's parts that need no MTA: the header edits (which occurrence
 * smfi_chgheader names, where smfi_insheader puts a field, in which order they apply) and the
 * policy's verdict on a message. */
#include "edits.h"
#include "policy.h"

#include <check.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Fields from "Name|value" strings. */
static GPtrArray *
fields_of (const char *const *specs)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_milter_field_free);

  for (guint i = 0; specs[i] != NULL; i++)
    {
      const char *bar = strchr (specs[i], '|');
      g_ptr_array_add (fields, emlint_milter_field_new (specs[i], bar - specs[i], bar + 1,
                                                        strlen (bar + 1)));
    }
  return fields;
}

/* The edits as "C name index value", "I index name value", "A name value", "D name index". */
static char *
describe (GPtrArray *edits)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < edits->len; i++)
    {
      const EmlintMilterEdit *e = g_ptr_array_index (edits, i);
      if (e->kind == EMLINT_MILTER_CHANGE && e->value == NULL)
        g_string_append_printf (out, "D %s %u;", e->name, e->index);
      else if (e->kind == EMLINT_MILTER_CHANGE)
        g_string_append_printf (out, "C %s %u %s;", e->name, e->index, e->value);
      else if (e->kind == EMLINT_MILTER_INSERT)
        g_string_append_printf (out, "I %u %s %s;", e->index, e->name, e->value);
      else
        g_string_append_printf (out, "A %s %s;", e->name, e->value);
    }
  return g_string_free (out, FALSE);
}

static char *
diff (const char *const *before, const char *const *after)
{
  g_autoptr (GPtrArray) b = fields_of (before);
  g_autoptr (GPtrArray) a = fields_of (after);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) edits = emlint_milter_diff_fields (b, a, &error);

  ck_assert_ptr_nonnull (edits);
  return describe (edits);
}

START_TEST (test_change_names_the_occurrence)
{
  const char *before[] = { "Received| a", "References| x", "Received| b", "References| y", NULL };
  const char *after[] = { "Received| a", "References| x", "Received| b", "References| Y", NULL };
  g_autofree char *got = diff (before, after);

  /* The second References, not the fourth field. */
  ck_assert_str_eq (got, "C References 2  Y;");
}
END_TEST

START_TEST (test_edits_apply_from_the_bottom_up)
{
  const char *before[] = { "To| a", "Subject| s", "To| b", NULL };
  const char *after[] = { "To| A", "Subject| S", "To| B", NULL };
  g_autofree char *got = diff (before, after);

  ck_assert_str_eq (got, "C To 2  B;C Subject 1  S;C To 1  A;");
}
END_TEST

START_TEST (test_insert_and_add)
{
  const char *before[] = { "From| f", "Subject| s", NULL };
  const char *after[] = { "Message-ID| <1@x>", "From| f", "Subject| s",
                          "MIME-Version| 1.0", "X-A| 1",  NULL };
  g_autofree char *got = diff (before, after);

  /* Added at the end in their order; the inserted one before the first field. */
  ck_assert_str_eq (got, "I 0 Message-ID  <1@x>;A MIME-Version  1.0;A X-A  1;");
}
END_TEST

START_TEST (test_insert_in_the_middle_and_delete)
{
  const char *before[] = { "From| f", "X-Old| o", "Subject| s", "Date| d", NULL };
  const char *after[] = { "From| f", "Subject| s", "Message-ID| <1@x>", "Date| d", NULL };
  g_autofree char *got = diff (before, after);

  ck_assert_str_eq (got, "I 3 Message-ID  <1@x>;D X-Old 1;");
}
END_TEST

START_TEST (test_names_compare_ignoring_case)
{
  const char *before[] = { "message-id| <a>", NULL };
  const char *after[] = { "Message-ID| <b>", NULL };
  g_autofree char *got = diff (before, after);

  ck_assert_str_eq (got, "C message-id 1  <b>;");
}
END_TEST

START_TEST (test_nothing_changed)
{
  const char *same[] = { "From| f", "Subject| s", NULL };
  g_autofree char *got = diff (same, same);

  ck_assert_str_eq (got, "");
}
END_TEST

/* Each field of @fields as its name, @colon, its value and @end. */
static GString *
write_fields (GPtrArray *fields, const char *colon, const char *end)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      const EmlintMilterField *f = g_ptr_array_index (fields, i);
      g_string_append_printf (out, "%s%s%s%s", f->name, colon, f->value, end);
    }
  return out;
}

/* "name|value;" per field, for comparison. */
static char *
list_fields (GPtrArray *fields)
{
  return g_string_free (write_fields (fields, "|", ";"), FALSE);
}

static GPtrArray *
split (const char *header, GError **error)
{
  return emlint_milter_split_header (header, strlen (header), error);
}

START_TEST (test_split_header)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) crlf = split ("A: 1\r\nB: x\r\n y\r\n\tz\r\nC:\r\n\r\n", &error);
  g_autoptr (GPtrArray) lf = split ("A: 1\nB: x\n y\n\r\n", &error);
  g_autoptr (GPtrArray) bare = split ("A: 1\r\nB:\r\n", &error);
  g_autofree char *got_crlf = list_fields (crlf);
  g_autofree char *got_lf = list_fields (lf);
  g_autofree char *got_bare = list_fields (bare);

  /* Folded lines joined by "\n", values as they are (a bare CR stays), names as written. */
  ck_assert_str_eq (got_crlf, "A| 1;B| x\n y\n\tz;C|;");
  ck_assert_str_eq (got_lf, "A| 1;B| x\n y;");
  ck_assert_str_eq (got_bare, "A| 1;B|;");
}
END_TEST

START_TEST (test_split_header_refuses_what_is_no_field)
{
  g_autoptr (GError) no_colon = NULL;
  g_autoptr (GError) after_blank = NULL;

  ck_assert_ptr_null (split ("A: 1\r\nno colon here\r\n\r\n", &no_colon));
  ck_assert_ptr_nonnull (strstr (no_colon->message, "no colon"));
  ck_assert_ptr_null (split ("A: 1\r\n\r\nB: 2\r\n", &after_blank));
  ck_assert_ptr_nonnull (strstr (after_blank->message, "blank line"));
}
END_TEST

START_TEST (test_header_edits_need_the_mtas_fields)
{
  const char *mta[] = { "A| 1", "B| 2", NULL };
  g_autoptr (GPtrArray) fields = fields_of (mta);
  g_autoptr (GBytes) header = g_bytes_new_static ("A: 1\r\nB: 2\r\n\r\n", 14);
  g_autoptr (GBytes) other = g_bytes_new_static ("A: 1\r\nB : 2\r\n\r\n", 15);
  g_autoptr (GBytes) repaired = g_bytes_new_static ("A: 1\r\nB: 3\r\n\r\n", 14);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) edits = emlint_milter_header_edits (fields, header, repaired, &error);
  g_autofree char *got = describe (edits);

  ck_assert_str_eq (got, "C B 1  3;");
  /* A header that does not split into the MTA's fields gives no edit at all. */
  ck_assert_ptr_null (emlint_milter_header_edits (fields, other, repaired, &error));
  ck_assert_ptr_nonnull (strstr (error->message, "the 2 fields the MTA passed"));
}
END_TEST

/* ---- the policy's verdict, through the core ---------------------------------------------- */

#define ENCODED " =?utf-8?q?=3Cabc=40example=2Etest=3E?="

static const char *const reply[] = {
  "From| a@example.test",           "Date| Thu, 26 Nov 2026 01:00:00 +0000",
  "Message-ID| <m.1@example.test>", "Subject| hi",
  "In-Reply-To|" ENCODED,           NULL,
};

static GBytes *
header_of (GPtrArray *fields)
{
  GString *out = write_fields (fields, ":", "\r\n");

  g_string_append (out, "\r\n");
  return g_string_free_to_bytes (out);
}

static EmlintMilterVerdict *
verdict_of (const char *ini, const char *const *specs)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("milter-XXXXXX.ini", &path, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (EmlintMilterPolicy) policy = NULL;
  g_autoptr (GPtrArray) fields = fields_of (specs);
  g_autoptr (GBytes) header = header_of (fields);
  EmlintMilterVerdict *verdict;

  ck_assert_int_ge (fd, 0);
  close (fd);
  ck_assert (g_file_set_contents (path, ini, -1, NULL));
  policy = emlint_milter_policy_load (path, &error);
  g_unlink (path);
  ck_assert_msg (policy != NULL, "%s", error ? error->message : "");
  verdict = emlint_milter_decide (policy, header, fields, &error);
  ck_assert_ptr_nonnull (verdict);
  return verdict;
}

static EmlintMilterVerdict *
verdict_with (const char *ini)
{
  return verdict_of (ini, reply);
}

START_TEST (test_verdict_fix)
{
  g_autoptr (EmlintMilterVerdict) v = verdict_with ("[milter]\ndefault = fix\n");
  g_autofree char *got = describe (v->edits);

  ck_assert_str_eq (v->action, "fix");
  ck_assert_str_eq (got, "C In-Reply-To 1  <abc@example.test>;");
  ck_assert_ptr_null (v->reply);
}
END_TEST

START_TEST (test_verdict_tag_and_reject)
{
  g_autoptr (EmlintMilterVerdict) tag = verdict_with ("[milter]\nmsgid-encoded-word = tag\n");
  g_autoptr (EmlintMilterVerdict) reject = verdict_with ("[milter]\nmsgid-encoded-word = reject\n");
  g_autofree char *got = describe (tag->edits);

  ck_assert_str_eq (tag->action, "tag");
  ck_assert_str_eq (got, "A X-Emlint  msgid-encoded-word;");
  ck_assert_str_eq (reject->action, "reject");
  ck_assert (g_str_has_prefix (reject->reply, "emlint: msgid-encoded-word: In-Reply-To"));
  ck_assert (g_str_has_suffix (reject->reply, "(RFC 2047 section 5; RFC 5322 section 3.6.4)"));
}
END_TEST

START_TEST (test_verdict_keeps_the_fields_as_the_mta_named_them)
{
  /* Obsolete white space before a colon and a byte-order mark: the core does not take these
   * names as fields, yet the MTA holds them: they stay as they are, and the one edit adds the
   * new Message-ID. */
  const char *odd[] = { "\357\273\277From| a@example.test", "Subject  | hi",
                        "Date| Thu, 26 Nov 2026 01:00:00 +0000", NULL };
  g_autoptr (EmlintMilterVerdict) v = verdict_of (
    "[emlint]\nmsgid-domain = example.test\n[milter]\nunsafe-fixes = true\n", odd);
  g_autofree char *got = describe (v->edits);
  const char *one_new_id = "^(A|I [0-9]+) Message-ID  <[^;]+@example.test>;$";

  ck_assert_str_eq (v->action, "fix");
  ck_assert_msg (g_regex_match_simple (one_new_id, got, 0, 0), "%s", got);
}
END_TEST

START_TEST (test_verdict_refuses_a_header_that_does_not_split_back)
{
  /* A value whose second line does not start with white space: written into the header it
   * reads as another field, so no edit's index could be trusted, and the message passes. */
  const char *odd[] = { "From| a@example.test", "X-Odd| a\nb", "In-Reply-To|" ENCODED, NULL };
  g_autoptr (GPtrArray) fields = fields_of (odd);
  g_autoptr (GBytes) header = header_of (fields);
  g_autoptr (GError) error = NULL;
  g_autoptr (EmlintMilterPolicy) policy = emlint_milter_policy_load (NULL, &error);

  ck_assert_ptr_nonnull (policy);
  ck_assert_ptr_null (emlint_milter_decide (policy, header, fields, &error));
  ck_assert_ptr_nonnull (strstr (error->message, "no field (no colon)"));
}
END_TEST

START_TEST (test_bad_policy_names_the_key)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("milter-XXXXXX.ini", &path, NULL);
  g_autoptr (GError) error = NULL;

  close (fd);
  ck_assert (g_file_set_contents (path, "[milter]\nno-such-rule = fix\n", -1, NULL));
  ck_assert_ptr_null (emlint_milter_policy_load (path, &error));
  g_unlink (path);
  ck_assert_ptr_nonnull (strstr (error->message, "no-such-rule"));
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("milter");
  TCase *tc = tcase_create ("edits");
  SRunner *runner;
  int failed;

  tcase_add_test (tc, test_change_names_the_occurrence);
  tcase_add_test (tc, test_edits_apply_from_the_bottom_up);
  tcase_add_test (tc, test_insert_and_add);
  tcase_add_test (tc, test_insert_in_the_middle_and_delete);
  tcase_add_test (tc, test_names_compare_ignoring_case);
  tcase_add_test (tc, test_nothing_changed);
  tcase_add_test (tc, test_split_header);
  tcase_add_test (tc, test_split_header_refuses_what_is_no_field);
  tcase_add_test (tc, test_header_edits_need_the_mtas_fields);
  suite_add_tcase (suite, tc);
  tc = tcase_create ("policy");
  tcase_add_test (tc, test_verdict_fix);
  tcase_add_test (tc, test_verdict_tag_and_reject);
  tcase_add_test (tc, test_verdict_keeps_the_fields_as_the_mta_named_them);
  tcase_add_test (tc, test_verdict_refuses_a_header_that_does_not_split_back);
  tcase_add_test (tc, test_bad_policy_names_the_key);
  suite_add_tcase (suite, tc);
  runner = srunner_create (suite);
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? 0 : 1;
}
