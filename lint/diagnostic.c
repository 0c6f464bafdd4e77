/* diagnostic.c: findings and the edits that fix them. */
#include "diagnostic.h"

static const char *const severity_names[] = { "info", "warning", "error" };

const char *
emlint_severity_name (EmlintSeverity severity)
{
  return severity_names[severity];
}

gboolean
emlint_severity_parse (const char *name, EmlintSeverity *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (severity_names); i++)
    if (g_strcmp0 (name, severity_names[i]) == 0)
      {
        *out = (EmlintSeverity) i;
        return TRUE;
      }
  return FALSE;
}

EmlintDiagnostic *
emlint_diagnostic_new (const EmlintRule *rule, EmlintSeverity severity, gsize start, gsize end,
                       char *message)
{
  EmlintDiagnostic *diag = g_new0 (EmlintDiagnostic, 1);

  diag->rule = rule;
  diag->severity = severity;
  diag->start = start;
  diag->end = end;
  diag->message = message;
  return diag;
}

static void
edit_clear (gpointer data)
{
  EmlintEdit *edit = data;
  g_free (edit->text);
}

void
emlint_diagnostic_add_edit (EmlintDiagnostic *diag, gsize start, gsize end, const char *text)
{
  EmlintEdit edit = { start, end, g_strdup (text) };
  guint i;

  if (diag->edits == NULL)
    {
      diag->edits = g_array_new (FALSE, FALSE, sizeof (EmlintEdit));
      g_array_set_clear_func (diag->edits, edit_clear);
    }
  for (i = diag->edits->len; i > 0; i--)
    if (g_array_index (diag->edits, EmlintEdit, i - 1).start <= start)
      break;
  g_array_insert_val (diag->edits, i, edit);
}

void
emlint_diagnostic_set_unsafe (EmlintDiagnostic *diag, const char *reason)
{
  if (diag->unsafe_reason == NULL)
    diag->unsafe_reason = g_strdup (reason);
}

void
emlint_diagnostic_free (EmlintDiagnostic *diag)
{
  if (diag == NULL)
    return;
  g_free (diag->message);
  g_free (diag->unsafe_reason);
  if (diag->edits != NULL)
    g_array_unref (diag->edits);
  g_free (diag);
}

gboolean
emlint_diagnostic_is_fixable (const EmlintDiagnostic *diag, gboolean unsafe_fixes)
{
  return emlint_diagnostic_has_fix (diag) && (diag->unsafe_reason == NULL || unsafe_fixes);
}
