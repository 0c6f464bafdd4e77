/* fix.c: byte-range edits on the original octets; never a re-serialisation. */
#include "fix.h"

#include "engine.h"

#include <gio/gio.h>

static gboolean
edits_overlap (const EmlintEdit *a, const EmlintEdit *b)
{
  /* Two insertions at one place would have no defined order: they conflict too. */
  return (a->start < b->end && b->start < a->end) || a->start == b->start;
}

static gboolean
conflicts (const GArray *taken, const GArray *edits)
{
  for (guint i = 0; i < edits->len; i++)
    for (guint k = 0; k < taken->len; k++)
      if (edits_overlap (&g_array_index (edits, EmlintEdit, i),
                         &g_array_index (taken, EmlintEdit, k)))
        return TRUE;
  return FALSE;
}

static gint
compare_edits (gconstpointer a, gconstpointer b)
{
  const EmlintEdit *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

GBytes *
emlint_apply_fixes (const EmlintMessage *msg, GPtrArray *diagnostics, gboolean unsafe_fixes)
{
  g_autoptr (GArray) taken = g_array_new (FALSE, FALSE, sizeof (EmlintEdit));
  GString *out;
  gsize pos = 0;

  for (guint i = 0; i < diagnostics->len; i++)
    {
      EmlintDiagnostic *diag = g_ptr_array_index (diagnostics, i);

      if (!emlint_diagnostic_is_fixable (diag, unsafe_fixes) || conflicts (taken, diag->edits))
        continue;
      /* The texts stay owned by the diagnostic, which outlives this function. */
      g_array_append_vals (taken, diag->edits->data, diag->edits->len);
      diag->fixed = TRUE;
    }
  if (taken->len == 0)
    return NULL;
  g_array_sort (taken, compare_edits);
  out = g_string_sized_new (msg->len + 256);
  for (guint i = 0; i < taken->len; i++)
    {
      const EmlintEdit *edit = &g_array_index (taken, EmlintEdit, i);
      g_string_append_len (out, msg->data + pos, (gssize) (edit->start - pos));
      g_string_append (out, edit->text);
      pos = edit->end;
    }
  g_string_append_len (out, msg->data + pos, (gssize) (msg->len - pos));
  return g_string_free_to_bytes (out);
}

EmlintFixResult *
emlint_fix_message (const EmlintConfig *config, const EmlintRawMessage *raw, const char *path,
                    GError **error)
{
  EmlintFixResult *result = g_new0 (EmlintFixResult, 1);
  GPtrArray *diagnostics;

  result->fixed = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_diagnostic_free);
  result->message = emlint_message_new (raw->bytes, path, raw->index, raw->in_mbox,
                                        raw->first_line);
  diagnostics = emlint_lint_message (config, result->message);
  for (;;)
    {
      g_autoptr (GBytes) repaired = emlint_apply_fixes (result->message, diagnostics,
                                                        config->unsafe_fixes);
      if (repaired == NULL)
        break;
      if (result->rounds == EMLINT_FIX_MAX_ROUNDS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "message %u: fixes did not converge in %d rounds (a bug: please report "
                       "it with the message)", raw->index, EMLINT_FIX_MAX_ROUNDS);
          g_ptr_array_unref (diagnostics);
          emlint_fix_result_free (result);
          return NULL;
        }
      result->rounds++;
      for (guint i = 0; i < diagnostics->len;)
        if (((EmlintDiagnostic *) g_ptr_array_index (diagnostics, i))->fixed)
          g_ptr_array_add (result->fixed, g_ptr_array_steal_index (diagnostics, i));
        else
          i++;
      g_ptr_array_unref (diagnostics);
      emlint_message_free (result->message);
      result->message = emlint_message_new (repaired, path, raw->index, raw->in_mbox,
                                            raw->first_line);
      diagnostics = emlint_lint_message (config, result->message);
    }
  result->remaining = diagnostics;
  return result;
}

void
emlint_fix_result_free (EmlintFixResult *result)
{
  if (result == NULL)
    return;
  emlint_message_free (result->message);
  g_ptr_array_unref (result->fixed);
  if (result->remaining != NULL)
    g_ptr_array_unref (result->remaining);
  g_free (result);
}
