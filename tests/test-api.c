/* test-api.c: the public API of emlint.h, through libemlint.so and that header only. */
#include <emlint.h>

#include <check.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Writes @text to a new file named from the template @path ("...XXXXXX"), which it fills in. */
static void
write_temp (char *path, const char *text)
{
  int fd = mkstemp (path);

  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (write (fd, text, strlen (text)), (int) strlen (text));
  close (fd);
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
  ck_assert_ptr_ne (data, clean); /* API 1: the result's own copy */
  emlint_result_free (result);

  /* A linter borrows the octets: a fix that changed nothing gives them back, not a copy. */
  EmlintLinter *linter = emlint_linter_new (NULL, &error);
  result = emlint_linter_fix (linter, clean, sizeof clean - 1, &error);
  ck_assert_ptr_eq (emlint_result_data (result, &len), clean);
  ck_assert_uint_eq (len, sizeof clean - 1);
  emlint_result_free (result);
  emlint_linter_free (linter);
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

/* API 2: a linter made once, used for check and fix; the finding's fix state and field. */
START_TEST (test_linter)
{
  EmlintOptions options;
  char *error = NULL;
  EmlintLinter *linter;
  EmlintResult *result;
  const EmlintFinding *f;
  size_t len;

  emlint_options_init (&options);
  options.fail_on = EMLINT_WARNING;
  options.max_message_size = "1K";
  linter = emlint_linter_new (&options, &error);
  ck_assert_msg (linter != NULL, "%s", error);
  ck_assert_int_eq (emlint_linter_fail_on (linter), EMLINT_WARNING);
  ck_assert_uint_eq (emlint_linter_max_message_size (linter), 1024);
  ck_assert_int_ne (emlint_linter_runs (linter, emlint_rule_find ("msgid-missing")->index), 0);
  result = emlint_linter_check (linter, mail, strlen (mail));
  ck_assert_uint_eq (emlint_result_count (result), 2);
  f = emlint_result_finding (result, 0);
  ck_assert_str_eq (f->rule, "msgid-missing");
  ck_assert_ptr_eq (f->rule_info, emlint_rule_find ("msgid-missing"));
  ck_assert_int_eq (f->fix, EMLINT_FIX_UNSAFE); /* it would need a domain */
  ck_assert_int_eq (f->has_fix, 0);
  ck_assert_str_eq (f->fix_needs, "--msgid-domain DOMAIN");
  ck_assert_uint_eq (f->field_start, 0); /* it points at the header's first field */
  f = emlint_result_finding (result, 1);
  ck_assert_str_eq (f->rule, "msgid-encoded-word");
  ck_assert_int_eq (f->fix, EMLINT_FIX_SAFE);
  ck_assert_int_ne (f->has_fix, 0);
  ck_assert_ptr_null (f->unsafe_reason);
  ck_assert_int_eq (strncmp (mail + f->field_start, "In-Reply-To:", 12), 0);
  ck_assert_uint_eq (f->field_name_end - f->field_start, 11);
  ck_assert_int_eq (strncmp (mail + f->field_value_start, " =?UTF-8?B?", 11), 0);
  ck_assert_int_eq (strncmp (mail + f->field_value_end, "\r\n\r\n", 4), 0);
  emlint_result_free (result);

  result = emlint_linter_fix (linter, mail, strlen (mail), &error);
  ck_assert_msg (result != NULL, "%s", error);
  ck_assert_uint_eq (emlint_result_fixed_count (result), 1);
  ck_assert_ptr_nonnull (strstr (emlint_result_data (result, &len), "<20231002091542.4711@"));
  emlint_result_free (result);
  emlint_linter_free (linter);
}
END_TEST

/* fix_select: only the chosen rules' fixes are applied, the others are findings left unfixed. */
START_TEST (test_fix_select_and_limits)
{
  EmlintOptions options;
  char *error = NULL;
  EmlintResult *result;
  char many[4096] = "From: ada@example.com\r\n";

  emlint_options_init (&options);
  options.fix_select = "msgid-missing";
  result = emlint_fix (&options, mail, strlen (mail), &error);
  ck_assert_msg (result != NULL, "%s", error);
  ck_assert_uint_eq (emlint_result_fixed_count (result), 0);
  ck_assert_int_eq (emlint_result_finding (result, 1)->fixable, 0);
  emlint_result_free (result);
  options.fix_select = "no-such-rule";
  ck_assert_ptr_null (emlint_fix (&options, mail, strlen (mail), &error));
  ck_assert_msg (strstr (error, "fix_select unknown rule 'no-such-rule'") != NULL, "%s", error);
  emlint_free (error);

  /* 30 In-Reply-To fields, each a finding; a cap of 2 keeps 2 and counts the rest in one. */
  for (int i = 0; i < 30; i++)
    strcat (many, "In-Reply-To: <x>\r\n");
  strcat (many, "\r\n");
  emlint_options_init (&options);
  options.select = "msgid-syntax";
  result = emlint_check (&options, many, strlen (many), &error);
  ck_assert_msg (result != NULL, "%s", error);
  ck_assert_uint_eq (emlint_result_count (result), 30);
  emlint_result_free (result);
  options.max_findings_per_rule = 2;
  result = emlint_check (&options, many, strlen (many), &error);
  ck_assert_uint_eq (emlint_result_count (result), 3);
  ck_assert_ptr_nonnull (strstr (emlint_result_finding (result, 2)->message, "28 more"));
  emlint_result_free (result);

  emlint_options_init (&options);
  options.msgid_domain_max = 0; /* API 2: 0 is a value, and a wrong one */
  ck_assert_ptr_null (emlint_linter_new (&options, &error));
  ck_assert_str_eq (error, "msgid_domain_max takes a number from 1 to 255, not 0");
  emlint_free (error);
  options.msgid_domain_max = (unsigned) -5; /* a caller's negative int, named as such */
  ck_assert_ptr_null (emlint_linter_new (&options, &error));
  ck_assert_str_eq (error, "msgid_domain_max takes a number from 1 to 255, not -5");
  emlint_free (error);
  emlint_options_init (&options);
  options.max_message_size = "lots";
  ck_assert_ptr_null (emlint_linter_new (&options, &error));
  ck_assert_msg (strncmp (error, "max_message_size takes a size", 29) == 0, "%s", error);
  emlint_free (error);
}
END_TEST

/* A configuration file's error names the file and the line. */
START_TEST (test_config_file_error)
{
  char path[] = "/tmp/emlint-api-XXXXXX";
  EmlintOptions options;
  char *error = NULL;

  write_temp (path, "[emlint]\n# a comment\nmsgid-domain-max = 0\n");
  emlint_options_init (&options);
  options.config_file = path;
  ck_assert_ptr_null (emlint_linter_new (&options, &error));
  ck_assert_msg (strstr (error, ":3: [emlint] msgid-domain-max: takes a number from 1 to 255")
                   != NULL,
                 "%s", error);
  emlint_free (error);
  unlink (path);
}
END_TEST

/* The registry: every rule by index and by id, with its metadata. */
START_TEST (test_rules)
{
  size_t n = emlint_rule_count ();
  const EmlintRuleInfo *rule;
  EmlintSeverity severity;
  EmlintTranscriptFormat format;

  ck_assert_uint_gt (n, 20);
  for (size_t i = 0; i < n; i++)
    {
      rule = emlint_rule_info (i);
      ck_assert_uint_eq (rule->index, i);
      ck_assert_ptr_eq (emlint_rule_find (rule->id), rule);
      ck_assert (*rule->summary && *rule->rfc && *rule->doc);
      ck_assert (i == 0 || strcmp (emlint_rule_info (i - 1)->id, rule->id) < 0);
    }
  ck_assert_ptr_null (emlint_rule_find ("no-such-rule"));
  rule = emlint_rule_find ("msgid-encoded-word");
  ck_assert_int_eq (rule->fixable, EMLINT_FIXABLE_YES);
  ck_assert_int_eq (rule->model, EMLINT_MODEL_MESSAGE);
  ck_assert_str_eq (emlint_fixable_name (rule->fixable), "fix");
  ck_assert_int_eq (emlint_rule_find ("imap-unknown-tag")->model, EMLINT_MODEL_TRANSCRIPT);
  ck_assert_str_eq (emlint_severity_name (EMLINT_WARNING), "warning");
  ck_assert_int_ne (emlint_severity_parse ("info", &severity), 0);
  ck_assert_int_eq (severity, EMLINT_INFO);
  ck_assert_int_eq (emlint_severity_parse ("fatal", &severity), 0);
  ck_assert_int_ne (emlint_transcript_format_parse ("imaplib", &format), 0);
  ck_assert_int_eq (format, EMLINT_TRANSCRIPT_IMAPLIB);
  ck_assert_int_eq (emlint_transcript_format_parse ("neomutt", &format), 0);
}
END_TEST

/* IMAP transcripts: findings in the masked source; what a session without directions lacks. */
START_TEST (test_transcripts)
{
  static const char rfc[] = "S: * OK IMAP4rev2 ready\r\nC: a1 LOGIN bob hunter2\r\n"
                            "S: a1 OK LOGIN completed\r\nC: a2 FETCH 1 (FLAGS)\r\n"
                            "S: a2 BAD No mailbox selected\r\n";
  static const char plain[] = "* OK ready\r\na1 NOOP\r\n";
  EmlintLinter *linter = emlint_linter_new (NULL, NULL);
  EmlintResult **results;
  const EmlintFinding *f;
  const char *source;
  size_t len, unknown_tag = emlint_rule_find ("imap-unknown-tag")->index;
  char *why;

  ck_assert_uint_eq (emlint_linter_check_transcript (linter, EMLINT_TRANSCRIPT_AUTO, NULL, rfc,
                                                     strlen (rfc), NULL, NULL, 0, &results),
                     1);
  ck_assert_uint_eq (emlint_result_protocol_lines (results[0]), 5);
  ck_assert_uint_eq (emlint_result_count (results[0]), 1);
  f = emlint_result_finding (results[0], 0);
  ck_assert_str_eq (f->rule, "imap-command-state");
  ck_assert_uint_eq (f->line, 4);
  ck_assert_uint_eq (f->column, 7);
  ck_assert_uint_eq (f->source, 0);
  source = emlint_result_source (results[0], 0, &len);
  ck_assert_uint_eq (len, strlen (rfc));
  ck_assert_ptr_nonnull (strstr (source, "LOGIN bob *******"));
  ck_assert_ptr_null (emlint_result_source (results[0], 1, &len));
  ck_assert_uint_eq (emlint_result_lacks (results[0], unknown_tag), 0);
  emlint_result_free (results[0]);
  emlint_free (results);

  ck_assert_uint_eq (emlint_linter_check_transcript (linter, EMLINT_TRANSCRIPT_PLAIN, NULL, plain,
                                                     strlen (plain), NULL, NULL, 0, &results),
                     1);
  ck_assert_uint_ne (emlint_result_lacks (results[0], unknown_tag) & EMLINT_HAS_DIRECTION, 0);
  why = emlint_transcript_describe_missing (EMLINT_HAS_DIRECTION | EMLINT_HAS_ORDER);
  ck_assert_str_eq (why, "no direction markers, client and server order unknown (no timestamps)");
  emlint_free (why);
  emlint_result_free (results[0]);
  emlint_free (results);
  emlint_linter_free (linter);
}
END_TEST

/* Group keys of a result (--group-by): a top-level field's unfolded value, the Message-ID's
 * domain; and the configuration file's text as the library reads it. */
START_TEST (test_result_fields)
{
  static const char folded[] = "From: Ada <ada@Example.COM>\r\nX-Mailer: Mutt\r\n\t2.2\r\n"
                               "Message-ID: (a comment) <1.2@Mail.Example.org>\r\n\r\nHi.\r\n";
  EmlintLinter *linter = emlint_linter_new (NULL, NULL);
  EmlintResult *result = emlint_linter_check (linter, folded, strlen (folded));
  char *value = emlint_result_field (result, "x-mailer");
  char *domain = emlint_result_msgid_domain (result);
  char *stripped = emlint_config_strip_comments ("[emlint]\nselect = a, b ; why\n; whole\n");

  ck_assert_str_eq (value, "Mutt   2.2"); /* CR, LF and TAB each a space */
  ck_assert_str_eq (domain, "Mail.Example.org");
  ck_assert_ptr_null (emlint_result_field (result, "Subject"));
  ck_assert_str_eq (stripped, "[emlint]\nselect = a, b\n; whole\n");
  emlint_free (value);
  emlint_free (domain);
  emlint_free (stripped);
  emlint_result_free (result);
  /* A fix result answers for the repaired message. */
  result = emlint_linter_fix (linter, mail, strlen (mail), NULL);
  value = emlint_result_field (result, "In-Reply-To");
  ck_assert_str_eq (value, "<20231002091542.4711@example.org>");
  ck_assert_ptr_null (emlint_result_msgid_domain (result)); /* it has no Message-ID */
  emlint_free (value);
  emlint_result_free (result);
  emlint_linter_free (linter);
}
END_TEST

/* A Dovecot rawlog pair: source 0 is the server's .out, 1 the client's .in, and a finding about
 * one names a line of the other by its file's name. */
START_TEST (test_transcript_rawlog_pair)
{
  static const char in[] = "1700000000.000200 t1 NOOP\n"
                           "1700000000.000210 t2 XAPPLEPUSHSERVICE aps-version 2\n";
  static const char out[] = "1700000000.000100 * PREAUTH ready\n"
                            "1700000000.000300 * BAD Command!\n"
                            "1700000000.000400 t1 OK NOOP completed\n";
  EmlintLinter *linter = emlint_linter_new (NULL, NULL);
  EmlintResult **results;
  const char *source;
  size_t len;
  int saw_bad = 0;

  ck_assert_uint_eq (emlint_linter_check_transcript (linter, EMLINT_TRANSCRIPT_RAWLOG, "s.in", in,
                                                     strlen (in), "s.out", out, strlen (out),
                                                     &results),
                     1);
  source = emlint_result_source (results[0], 0, &len);
  ck_assert_uint_eq (len, strlen (out));
  ck_assert_int_eq (memcmp (source, out, len), 0);
  source = emlint_result_source (results[0], 1, &len);
  ck_assert_uint_eq (len, strlen (in));
  for (size_t i = 0; i < emlint_result_count (results[0]); i++)
    {
      const EmlintFinding *f = emlint_result_finding (results[0], i);
      if (strcmp (f->rule, "imap-untagged-bad") == 0)
        {
          saw_bad = 1;
          ck_assert_uint_eq (f->source, 0);
          ck_assert_uint_eq (f->line, 2);
          ck_assert_msg (strstr (f->message, "(line 2 of s.in)") != NULL, "%s", f->message);
        }
    }
  ck_assert (saw_bad);
  emlint_result_free (results[0]);
  emlint_free (results);
  emlint_linter_free (linter);
}
END_TEST

/* template_profile as an option is the file's `profile = template`: the same findings (the
 * template syntaxes are placeholders, not defects). */
START_TEST (test_template_profile_option_is_the_file)
{
  static const char template[] = "From: {{ sender }}\r\nTo: ${to}\r\nSubject: Hi {{ name }}\r\n"
                                 "In-Reply-To: <{{ parent_id }}>\r\n\r\nHello.\r\n";
  char path[] = "/tmp/emlint-api-XXXXXX";
  EmlintOptions by_option, by_file;
  EmlintResult *a, *b;
  char *rules_a, *rules_b;

  write_temp (path, "[emlint]\nprofile = template\n");
  emlint_options_init (&by_option);
  by_option.template_profile = 1;
  emlint_options_init (&by_file);
  by_file.config_file = path;
  a = emlint_check (&by_option, template, strlen (template), NULL);
  b = emlint_check (&by_file, template, strlen (template), NULL);
  rules_a = rules_of (a);
  rules_b = rules_of (b);
  ck_assert_str_eq (rules_a, rules_b);
  ck_assert_ptr_null (strstr (rules_a, "address-syntax"));
  free (rules_a);
  free (rules_b);
  emlint_result_free (a);
  emlint_result_free (b);
  unlink (path);
}
END_TEST

/* A program built against API 1 (or a binding calling emlint_options_init by name) has API 1's
 * struct: the function writes no more than that; the macro of API 2 fills the whole struct. */
START_TEST (test_options_init_sizes)
{
  size_t v1 = offsetof (EmlintOptions, max_findings_per_rule);
  unsigned char buffer[sizeof (EmlintOptions) + 16];
  EmlintOptions options;

  memset (buffer, 0xAB, sizeof buffer);
  (emlint_options_init) ((EmlintOptions *) buffer);
  ck_assert_uint_eq (((EmlintOptions *) buffer)->size, v1);
  ck_assert_uint_eq (((EmlintOptions *) buffer)->msgid_domain_max, 0);
  for (size_t i = v1; i < sizeof buffer; i++)
    ck_assert_uint_eq (buffer[i], 0xAB);
  emlint_options_init (&options);
  ck_assert_uint_eq (options.size, sizeof options);
  ck_assert_int_eq (options.max_findings_per_rule, EMLINT_UNSET);
  ck_assert_uint_eq (options.msgid_domain_max, (unsigned) EMLINT_UNSET);
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
  tcase_add_test (tc, test_options_init_sizes);
  tcase_add_test (tc, test_linter);
  tcase_add_test (tc, test_fix_select_and_limits);
  tcase_add_test (tc, test_config_file_error);
  tcase_add_test (tc, test_rules);
  tcase_add_test (tc, test_transcripts);
  tcase_add_test (tc, test_result_fields);
  tcase_add_test (tc, test_transcript_rawlog_pair);
  tcase_add_test (tc, test_template_profile_option_is_the_file);
  suite_add_tcase (suite, tc);
  runner = srunner_create (suite);
  srunner_run_all (runner, CK_NORMAL);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? 0 : 1;
}
