/* engine.c: the rule loop, reporting, and turning byte spans into lines and columns. */
#include "engine.h"

#include "rule.h"

#include <gmime/gmime.h>
#include <string.h>

static EmlintDiagnostic *report_valist (EmlintContext *ctx, EmlintSeverity severity, gsize start,
                                         gsize end, const char *format, va_list args)
  G_GNUC_PRINTF (5, 0);

static EmlintDiagnostic *
report_valist (EmlintContext *ctx, EmlintSeverity severity, gsize start, gsize end,
               const char *format, va_list args)
{
  EmlintDiagnostic *diag = emlint_diagnostic_new (ctx->rule, severity, start, end,
                                                  g_strdup_vprintf (format, args));
  g_ptr_array_add (ctx->out, diag);
  return diag;
}

EmlintDiagnostic *
emlint_report (EmlintContext *ctx, gsize start, gsize end, const char *format, ...)
{
  va_list args;
  EmlintDiagnostic *diag;

  va_start (args, format);
  diag = report_valist (ctx, ctx->severity, start, end, format, args);
  va_end (args);
  return diag;
}

EmlintDiagnostic *
emlint_report_at (EmlintContext *ctx, EmlintSeverity severity, gsize start, gsize end,
                  const char *format, ...)
{
  va_list args;
  EmlintDiagnostic *diag;

  /* A severity set in the configuration outranks the one the rule picks. */
  if (ctx->severity != ctx->rule->severity)
    severity = ctx->severity;
  va_start (args, format);
  diag = report_valist (ctx, severity, start, end, format, args);
  va_end (args);
  return diag;
}

EmlintDiagnostic *
emlint_report_field (EmlintContext *ctx, const EmlintField *field, const char *format, ...)
{
  va_list args;
  EmlintDiagnostic *diag;

  va_start (args, format);
  diag = report_valist (ctx, ctx->severity, field->start, field->value_end, format, args);
  va_end (args);
  return diag;
}

static void
resolve_place (const EmlintMessage *msg, gsize offset, guint *line, guint *column)
{
  guint l = emlint_message_line_of (msg, offset);

  *line = msg->first_line + l;
  *column = (guint) (offset - emlint_message_line_start (msg, l)) + 1;
}

static gint
compare_place (gconstpointer a, gconstpointer b)
{
  const EmlintDiagnostic *x = *(EmlintDiagnostic *const *) a;
  const EmlintDiagnostic *y = *(EmlintDiagnostic *const *) b;

  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  return g_strcmp0 (x->rule->id, y->rule->id);
}

GPtrArray *
emlint_lint_message (const EmlintConfig *config, const EmlintMessage *msg)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_diagnostic_free);
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  gboolean empty = emlint_message_is_empty (msg);

  /* The placeholders are part of how the message reads; set before any cache is built. */
  ((EmlintMessage *) msg)->placeholders = config->placeholders;

  for (guint i = 0; i < n; i++)
    {
      EmlintContext ctx = { config, msg, rules[i], (EmlintSeverity) config->severity[i], out };

      /* Empty input (an app that crashed before it wrote) is one finding, of field-count, not
       * a missing Date, From and Message-ID. */
      if (empty && strcmp (rules[i]->id, "field-count") != 0)
        continue;
      if (config->severity[i] != EMLINT_SEVERITY_OFF)
        rules[i]->check (&ctx);
    }
  for (guint i = 0; i < out->len; i++)
    {
      EmlintDiagnostic *diag = g_ptr_array_index (out, i);
      resolve_place (msg, diag->start, &diag->line, &diag->column);
      resolve_place (msg, diag->end, &diag->end_line, &diag->end_column);
    }
  /* Stable (GLib's sort is a merge sort): findings of one rule at one place keep their order. */
  g_ptr_array_sort (out, compare_place);
  return out;
}

void
emlint_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}
