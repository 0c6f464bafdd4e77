/* test-api.c: the public API of emlint.h, through libemlint.so and that header only. */
#include <emlint.h>

#include <check.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* An encoded In-Reply-To (msgid-encoded-word, fixable) and no Message-ID (msgid-missing). */
static const char mail[] = "From: ada@example.com\r\nDate: Mon, 02 Oct 2023 09:20:00 +0000\r\n"
                           "In-Reply-To: =?UTF-8?B?PDIwMjMxMDAyMDkxNTQyLjQ3MTFAZXhhbXBsZS5vcmc+?="
                           "\r\n\r\nHello.\r\n";

/* The rule ids of the result's findings, comma-separated (free with free()). */
static char *
rules_of (const EmlintResult *result)
{
  char *out = calloc (1, 1024);

  for (size_t i = 0; i < emlint_result_count (result); i++)
    {
      strcat (out, i ? "," : "");
      strcat (out, emlint_result_finding (result, i)->rule);
    }
  return out;
}

START_TEST (test_check_defaults)
{
  char *error = NULL;
  EmlintResult *result = emlint_check (NULL, mail, strlen (mail), &error);
  const EmlintFinding *f;
  size_t len = 99;
  char *rules;

  ck_assert_str_eq (emlint_version (), EMLINT_TEST_VERSION);
  ck_assert_ptr_nonnull (result);
  rules = rules_of (result);
  ck_assert_str_eq (rules, "msgid-missing,msgid-encoded-word");
  f = emlint_result_finding (result, 1);
  ck_assert_int_eq (f->severity, EMLINT_ERROR);
  ck_assert_uint_eq (f->line, 3);
  ck_assert_uint_eq (f->column, 1);
  ck_assert_uint_eq (f->end_line, 3);
  ck_assert (f->fixable);
  ck_assert (strncmp (mail + f->start, "In-Reply-To:", 12) == 0);
  ck_assert (!emlint_result_finding (result, 0)->fixable); /* no msgid_domain: no new id */
  ck_assert_ptr_null (emlint_result_data (result, &len));
  ck_assert_uint_eq (len, 0);
  ck_assert_uint_eq (emlint_result_fixed_count (result), 0);
  free (rules);
  emlint_result_free (result);
}
END_TEST

START_TEST (test_fix_and_unsafe_new_id)
{
  EmlintOptions options;
  char *error = NULL;
  EmlintResult *result;
  const char *data;
  size_t len;

  result = emlint_fix (NULL, mail, strlen (mail), &error);
  data = emlint_result_data (result, &len);
  ck_assert_uint_eq (emlint_result_fixed_count (result), 1);
  ck_assert_str_eq (emlint_result_fixed (result, 0)->rule, "msgid-encoded-word");
  ck_assert_uint_eq (emlint_result_count (result), 1); /* msgid-missing stays */
  ck_assert (memmem (data, len, "\r\nIn-Reply-To: <20231002091542.4711@example.org>\r\n", 50));
  emlint_result_free (result);

  emlint_options_init (&options);
  options.msgid_domain = "example.com";
  options.unsafe_fixes = 1;
  result = emlint_fix (&options, mail, strlen (mail), &error);
  ck_assert_ptr_nonnull (result);
  ck_assert_uint_eq (emlint_result_fixed_count (result), 2);
  ck_assert_uint_eq (emlint_result_count (result), 0);
  data = emlint_result_data (result, &len);
  ck_assert (memmem (data, len, "\r\nMessage-ID: <", 15) != NULL);
  emlint_result_free (result);
}
END_TEST

START_TEST (test_fix_nothing_gives_the_same_octets)
{
  const char clean[] = "From: ada@example.com\nDate: Mon, 02 Oct 2023 09:20:00 +0000\n"
                       "Message-ID: <1@example.com>\n\nHi\n";
  char *error = NULL;
  EmlintResult *result = emlint_fix (NULL, clean, sizeof clean - 1, &error);
  size_t len;
  const char *data = emlint_result_data (result, &len);

  ck_assert_uint_eq (len, sizeof clean - 1);
  ck_assert (memcmp (data, clean, len) == 0);
  ck_assert_uint_eq (emlint_result_count (result) + emlint_result_fixed_count (result), 0);
  emlint_result_free (result);
}
END_TEST

START_TEST (test_options_select_and_errors)
{
  EmlintOptions options;
  char *error = NULL;
  EmlintResult *result;
  char *rules;

  emlint_options_init (&options);
  options.select = "msgid-encoded-word";
  result = emlint_check (&options, mail, strlen (mail), &error);
  rules = rules_of (result);
  ck_assert_str_eq (rules, "msgid-encoded-word");
  free (rules);
  emlint_result_free (result);

  options.select = "no-such-rule";
  ck_assert_ptr_null (emlint_check (&options, mail, strlen (mail), &error));
  ck_assert_msg (strstr (error, "no-such-rule") != NULL, "%s", error);
  emlint_free (error);

  emlint_options_init (&options);
  options.msgid_domain = "not a domain";
  ck_assert_ptr_null (emlint_fix (&options, mail, strlen (mail), &error));
  ck_assert_msg (strstr (error, "not a domain") != NULL, "%s", error);
  emlint_free (error);

  options.size = 0; /* not initialised */
  ck_assert_ptr_null (emlint_check (&options, mail, strlen (mail), &error));
  ck_assert_msg (strstr (error, "emlint_options_init") != NULL, "%s", error);
  emlint_free (error);

  emlint_options_init (&options);
  options.config_file = "/nonexistent/.emlint.ini";
  ck_assert_ptr_null (emlint_check (&options, mail, strlen (mail), &error));
  ck_assert_msg (strstr (error, "/nonexistent/.emlint.ini") != NULL, "%s", error);
  emlint_free (error);
}
END_TEST

/* A program built against an older, shorter EmlintOptions: what lies past its size is not read. */
START_TEST (test_options_older_caller)
{
  EmlintOptions options;
  char *error = NULL;
  EmlintResult *result;

  memset (&options, 0xff, sizeof options);
  options.size = offsetof (EmlintOptions, config_file);
  options.select = NULL;
  options.ignore = "msgid-missing";
  result = emlint_fix (&options, mail, strlen (mail), &error);
  ck_assert_msg (result != NULL, "%s", error);
  ck_assert_uint_eq (emlint_result_count (result), 0);
  emlint_result_free (result);
}
END_TEST

static void *
check_many (void *arg)
{
  for (int i = 0; i < 50; i++)
    {
      char *error = NULL;
      EmlintResult *result = emlint_fix (NULL, mail, strlen (mail), &error);
      if (result == NULL || emlint_result_fixed_count (result) != 1)
        return "wrong result";
      emlint_result_free (result);
    }
  return NULL;
}

/* No globals: threads lint at once, GMime initialised by whichever comes first. */
START_TEST (test_threads)
{
  pthread_t threads[4];

  for (int i = 0; i < 4; i++)
    ck_assert_int_eq (pthread_create (&threads[i], NULL, check_many, NULL), 0);
  for (int i = 0; i < 4; i++)
    {
      void *why;
      ck_assert_int_eq (pthread_join (threads[i], &why), 0);
      ck_assert_msg (why == NULL, "%s", (char *) why);
    }
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("api");
  TCase *tc = tcase_create ("api");
  SRunner *runner;
  int failed;

  tcase_add_test (tc, test_threads); /* first: the threads race to initialise */
  tcase_add_test (tc, test_check_defaults);
  tcase_add_test (tc, test_fix_and_unsafe_new_id);
  tcase_add_test (tc, test_fix_nothing_gives_the_same_octets);
  tcase_add_test (tc, test_options_select_and_errors);
  tcase_add_test (tc, test_options_older_caller);
  suite_add_tcase (suite, tc);
  runner = srunner_create (suite);
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? 0 : 1;
}
