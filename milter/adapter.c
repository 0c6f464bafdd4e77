/* adapter.c: the milter's only door into libemlint (see adapter.h). Until lint/emlint.h lands,
 * this file alone includes the core's internal headers. */
#include "adapter.h"

#include "config.h"
#include "engine.h"
#include "fix.h"
#include "message.h"
#include "rule.h"

#include <string.h>

/* The path the core sees for every message: per-path ignores do not apply to mail in flight. */
#define MILTER_PATH "(milter)"

struct _EmlintMilterLinter {
  EmlintConfig *lint; /* every rule the configuration enables */
  EmlintConfig *fix;  /* only the rules whose policy is to fix */
};

void
emlint_milter_core_init (void)
{
  emlint_init ();
}

static EmlintConfig *
load_config (const char *path, GError **error)
{
  g_autoptr (EmlintConfig) config = emlint_config_new ();

  if (path != NULL && !emlint_config_load (config, path, error))
    return NULL;
  return g_steal_pointer (&config);
}

EmlintMilterLinter *
emlint_milter_linter_new (const char *path, gboolean unsafe_fixes, EmlintMilterRuleFilter fix_rule,
                          gpointer data, GError **error)
{
  EmlintMilterLinter *linter = g_new0 (EmlintMilterLinter, 1);
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  linter->lint = load_config (path, error);
  linter->fix = linter->lint == NULL ? NULL : load_config (path, error);
  if (linter->fix == NULL)
    {
      emlint_milter_linter_free (linter);
      return NULL;
    }
  linter->lint->unsafe_fixes = linter->fix->unsafe_fixes = unsafe_fixes;
  for (guint i = 0; i < n; i++)
    if (!fix_rule (rules[i]->id, data))
      linter->fix->severity[i] = EMLINT_SEVERITY_OFF;
  return linter;
}

void
emlint_milter_linter_free (EmlintMilterLinter *linter)
{
  if (linter == NULL)
    return;
  emlint_config_free (linter->lint);
  emlint_config_free (linter->fix);
  g_free (linter);
}

gboolean
emlint_milter_rule_exists (const char *id)
{
  return emlint_rule_lookup (id) != NULL;
}

void
emlint_milter_finding_free (EmlintMilterFinding *finding)
{
  g_free (finding->rule);
  g_free (finding->rfc);
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
  g_autoptr (EmlintMessage) msg = emlint_message_new (header, MILTER_PATH, 0, FALSE, 1);
  g_autoptr (GPtrArray) diagnostics = emlint_lint_message (linter->lint, msg);
  GPtrArray *findings = g_ptr_array_new_with_free_func (
    (GDestroyNotify) emlint_milter_finding_free);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      const EmlintDiagnostic *diag = g_ptr_array_index (diagnostics, i);
      EmlintMilterFinding *finding = g_new0 (EmlintMilterFinding, 1);

      finding->rule = g_strdup (diag->rule->id);
      finding->rfc = g_strdup (diag->rule->rfc);
      finding->severity = (char *) emlint_severity_name (diag->severity);
      finding->message = g_strdup (diag->message);
      finding->fixable = emlint_diagnostic_is_fixable (diag, linter->lint->unsafe_fixes);
      g_ptr_array_add (findings, finding);
    }
  return findings;
}

/* The value as a milter passes it: the lines of a folded field joined by a bare "\n". */
static char *
milter_value (const char *value, gsize len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    if (!(value[i] == '\r' && i + 1 < len && value[i + 1] == '\n'))
      g_string_append_c (out, value[i]);
  return g_string_free (out, FALSE);
}

static GPtrArray *
top_fields (const EmlintMessage *msg)
{
  const EmlintHeader *top = emlint_message_top (msg);
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_milter_field_free);

  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *f = emlint_header_field (top, i);
      EmlintMilterField *field = g_new (EmlintMilterField, 1);

      field->name = g_strndup (msg->data + f->start, f->name_end - f->start);
      field->value = milter_value (msg->data + f->value_start, f->value_end - f->value_start);
      g_ptr_array_add (fields, field);
    }
  return fields;
}

gboolean
emlint_milter_fix (const EmlintMilterLinter *linter, GBytes *header, GPtrArray **fields,
                   GStrv *fixed, GError **error)
{
  EmlintRawMessage raw = { .bytes = header, .first_line = 1 };
  EmlintFixResult *result = emlint_fix_message (linter->fix, &raw, MILTER_PATH, error);

  *fields = NULL;
  *fixed = NULL;
  if (result == NULL)
    return FALSE;
  if (result->rounds > 0)
    {
      GPtrArray *ids = g_ptr_array_new ();

      for (guint i = 0; i < result->fixed->len; i++)
        {
          const EmlintDiagnostic *diag = g_ptr_array_index (result->fixed, i);
          g_ptr_array_add (ids, g_strdup (diag->rule->id));
        }
      g_ptr_array_add (ids, NULL);
      *fixed = (GStrv) g_ptr_array_free (ids, FALSE);
      *fields = top_fields (result->message);
    }
  emlint_fix_result_free (result);
  return TRUE;
}
