/* probe.c: a program that knows only emlint.h: lint and fix one message from memory. */
#include <emlint.h>
#include <stdio.h>
#include <string.h>

int
main (void)
{
  const char *mail = "From: ada@example.com\r\nDate: Mon, 02 Oct 2023 09:20:00 +0000\r\n"
                     "Message-ID: <1@example.com>\r\nIn-Reply-To: =?UTF-8?B?"
                     "PDIwMjMxMDAyMDkxNTQyLjQ3MTFAZXhhbXBsZS5vcmc+?=\r\n\r\nHello.\r\n";
  char *error = NULL;
  EmlintResult *check = emlint_check (NULL, mail, strlen (mail), &error);
  EmlintResult *fix = emlint_fix (NULL, mail, strlen (mail), &error);
  /* API 2: a linter made once; the registry. */
  EmlintLinter *linter = emlint_linter_new (NULL, &error);
  EmlintResult *again = linter ? emlint_linter_check (linter, mail, strlen (mail)) : NULL;
  const EmlintRuleInfo *rule = emlint_rule_find ("msgid-encoded-word");
  size_t len;
  const char *fixed = fix ? emlint_result_data (fix, &len) : NULL;

  for (size_t i = 0; check != NULL && i < emlint_result_count (check); i++)
    {
      const EmlintFinding *f = emlint_result_finding (check, i);
      printf ("%u:%u-%u:%u %s %s%s\n", f->line, f->column, f->end_line, f->end_column, f->rule,
              f->message, f->fixable ? " [fixable]" : "");
    }
  if (fixed != NULL)
    printf ("fixed %zu, remaining %zu:\n%.*s", emlint_result_fixed_count (fix),
            emlint_result_count (fix), (int) len, fixed);
  if (again != NULL && rule != NULL)
    printf ("API %d: %zu rules; %s (%s, %s); linted again: %zu\n", EMLINT_API_VERSION,
            emlint_rule_count (), rule->id, emlint_severity_name (rule->severity),
            emlint_fixable_name (rule->fixable), emlint_result_count (again));
  emlint_result_free (again);
  emlint_linter_free (linter);
  emlint_result_free (check);
  emlint_result_free (fix);
  return check != NULL && fixed != NULL ? 0 : (fprintf (stderr, "probe: %s\n", error), 1);
}
