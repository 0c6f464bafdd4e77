/* adapter.c: the milter's only door into libemlint (see adapter.h), through the public API of
 * emlint.h and nothing else. */
#include "adapter.h"

#include <emlint.h>
#include <gio/gio.h>

struct _EmlintMilterLinter {
  EmlintLinter *linter; /* every rule the configuration enables; fixes: fix_select's only */
};

/* The comma-separated ids of the rules whose fixes @fix_rule wants, for
 * EmlintOptions.fix_select ("" when none: then no fix is applied). Rules that never fix are
 * left out. New string. */
static char *
fix_select (EmlintMilterRuleFilter fix_rule, gpointer data)
{
  GString *ids = g_string_new (NULL);

  for (size_t i = 0; i < emlint_rule_count (); i++)
    {
      const EmlintRuleInfo *rule = emlint_rule_info (i);

      if (rule->model == EMLINT_MODEL_MESSAGE && rule->fixable != EMLINT_FIXABLE_NO
          && fix_rule (rule->id, data))
        g_string_append_printf (ids, "%s%s", ids->len > 0 ? "," : "", rule->id);
    }
  return g_string_free (ids, FALSE);
}

/* Sets @error from the library's error string @message, and frees that. */
static void
set_error (GError **error, char *message)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, message);
  emlint_free (message);
}

EmlintMilterLinter *
emlint_milter_linter_new (const char *path, gboolean unsafe_fixes, EmlintMilterRuleFilter fix_rule,
                          gpointer data, GError **error)
{
  g_autofree char *fixes = fix_select (fix_rule, data);
  EmlintMilterLinter *milter_linter;
  EmlintOptions options;
  EmlintLinter *linter;
  char *message = NULL;

  emlint_options_init (&options);
  options.config_file = path;
  options.unsafe_fixes = unsafe_fixes;
  options.fix_select = fixes;
  if ((linter = emlint_linter_new (&options, &message)) == NULL)
    {
      set_error (error, message);
      return NULL;
    }
  milter_linter = g_new (EmlintMilterLinter, 1);
  milter_linter->linter = linter;
  return milter_linter;
}

void
emlint_milter_linter_free (EmlintMilterLinter *linter)
{
  if (linter == NULL)
    return;
  emlint_linter_free (linter->linter);
  g_free (linter);
}

gboolean
emlint_milter_rule_exists (const char *id)
{
  return emlint_rule_find (id) != NULL;
}

void
emlint_milter_finding_free (EmlintMilterFinding *finding)
{
  g_free (finding->message);
  g_free (finding);
}

EmlintMilterField *
emlint_milter_field_new (const char *name, gsize name_len, const char *value, gsize value_len)
{
  EmlintMilterField *field = g_new (EmlintMilterField, 1);

  field->name = g_strndup (name, name_len);
  field->value = g_strndup (value, value_len);
  return field;
}

void
emlint_milter_field_free (EmlintMilterField *field)
{
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

GPtrArray *
emlint_milter_lint (const EmlintMilterLinter *linter, GBytes *header)
{
  gsize len;
  const char *data = g_bytes_get_data (header, &len);
  EmlintResult *result = emlint_linter_check (linter->linter, data, len);
  size_t n = emlint_result_count (result);
  GPtrArray *findings = g_ptr_array_new_full (n, (GDestroyNotify) emlint_milter_finding_free);

  for (size_t i = 0; i < n; i++)
    {
      const EmlintFinding *f = emlint_result_finding (result, i);
      EmlintMilterFinding *finding = g_new (EmlintMilterFinding, 1);

      finding->rule = f->rule_info->id;
      finding->rfc = f->rule_info->rfc;
      finding->severity = emlint_severity_name (f->severity);
      finding->message = g_strdup (f->message);
      finding->fixable = f->fixable != 0;
      g_ptr_array_add (findings, finding);
    }
  emlint_result_free (result);
  return findings;
}

/* The ids of the rules of the findings @result fixed (new, NULL-terminated). */
static GStrv
fixed_rules (const EmlintResult *result)
{
  size_t n = emlint_result_fixed_count (result);
  GStrv ids = g_new (char *, n + 1);

  for (size_t i = 0; i < n; i++)
    ids[i] = g_strdup (emlint_result_fixed (result, i)->rule);
  ids[n] = NULL;
  return ids;
}

gboolean
emlint_milter_fix (const EmlintMilterLinter *linter, GBytes *header, GBytes **repaired,
                   GStrv *fixed, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (header, &len);
  char *message = NULL;
  EmlintResult *result = emlint_linter_fix (linter->linter, data, len, &message);

  *repaired = NULL;
  *fixed = NULL;
  if (result == NULL)
    {
      set_error (error, message);
      return FALSE;
    }
  if (emlint_result_fixed_count (result) > 0)
    {
      data = emlint_result_data (result, &len);
      *repaired = g_bytes_new (data, len);
      *fixed = fixed_rules (result);
    }
  emlint_result_free (result);
  return TRUE;
}
