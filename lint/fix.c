/* fix.c: byte-range edits on the original octets; never a re-serialisation. */
#include "fix.h"

#include "engine.h"

#include <gio/gio.h>

static gint
compare_edits (gconstpointer a, gconstpointer b)
{
  const EmlintEdit *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

/* Edits in order; equal ones in the order of their finding's array (a stable sort), and a
 * probe (no text) before the edits it equals. */
static gint
compare_edit_keys (gconstpointer a, gconstpointer b, gpointer unused)
{
  const EmlintEdit *x = a, *y = b;
  gint by_place = compare_edits (a, b);

  if (by_place != 0 || x == y)
    return by_place;
  if (x->text == NULL || y->text == NULL)
    return x->text == NULL ? -1 : 1;
  return x < y ? -1 : 1;
}

/* TRUE when @edit overlaps an edit of @taken, a tree of non-overlapping edits in order. Only
 * the two neighbours of its start can overlap it: a lookup, not a scan, so that thousands of
 * findings cost linear time. Two insertions at one place would have no defined order: they
 * conflict too. */
static gboolean
overlaps_taken (GTree *taken, const EmlintEdit *edit)
{
  EmlintEdit probe = { edit->start, 0, NULL };
  GTreeNode *next = g_tree_lower_bound (taken, &probe);
  GTreeNode *prev = next != NULL ? g_tree_node_previous (next) : g_tree_node_last (taken);

  if (next != NULL)
    {
      const EmlintEdit *n = g_tree_node_key (next);
      if (n->start == edit->start || n->start < edit->end)
        return TRUE;
    }
  return prev != NULL && ((const EmlintEdit *) g_tree_node_key (prev))->end > edit->start;
}

static gboolean
conflicts (GTree *taken, const GArray *edits)
{
  for (guint i = 0; i < edits->len; i++)
    if (overlaps_taken (taken, &g_array_index (edits, EmlintEdit, i)))
      return TRUE;
  return FALSE;
}

static gboolean
append_edit (gpointer key, gpointer value, gpointer out)
{
  g_array_append_vals (out, key, 1);
  return FALSE;
}

GBytes *
emlint_apply_fixes (const EmlintMessage *msg, GPtrArray *diagnostics, gboolean unsafe_fixes)
{
  g_autoptr (GTree) taken = g_tree_new_full (compare_edit_keys, NULL, NULL, NULL);
  g_autoptr (GArray) edits = g_array_new (FALSE, FALSE, sizeof (EmlintEdit));
  GString *out;
  gsize pos = 0;

  for (guint i = 0; i < diagnostics->len; i++)
    {
      EmlintDiagnostic *diag = g_ptr_array_index (diagnostics, i);

      if (!emlint_diagnostic_is_fixable (diag, unsafe_fixes) || conflicts (taken, diag->edits))
        continue;
      /* The edits stay owned by the diagnostic, which outlives this function. */
      for (guint k = 0; k < diag->edits->len; k++)
        g_tree_insert (taken, &g_array_index (diag->edits, EmlintEdit, k), NULL);
      diag->fixed = TRUE;
    }
  g_tree_foreach (taken, append_edit, edits);
  if (edits->len == 0)
    return NULL;
  out = g_string_sized_new (msg->len + 256);
  for (guint i = 0; i < edits->len; i++)
    {
      const EmlintEdit *edit = &g_array_index (edits, EmlintEdit, i);
      g_string_append_len (out, msg->data + pos, (gssize) (edit->start - pos));
      g_string_append (out, edit->text);
      pos = edit->end;
    }
  g_string_append_len (out, msg->data + pos, (gssize) (msg->len - pos));
  return g_string_free_to_bytes (out);
}

/* emlint_apply_fixes() with the fixes of the rules config->fix_rules chooses. */
static GBytes *
apply_chosen_fixes (const EmlintConfig *config, const EmlintMessage *msg, GPtrArray *diagnostics)
{
  g_autoptr (GPtrArray) chosen = NULL;

  if (config->fix_rules == NULL)
    return emlint_apply_fixes (msg, diagnostics, config->unsafe_fixes);
  chosen = g_ptr_array_new ();
  for (guint i = 0; i < diagnostics->len; i++)
    {
      EmlintDiagnostic *diag = g_ptr_array_index (diagnostics, i);
      if (config->fix_rules[emlint_rule_index (diag->rule)])
        g_ptr_array_add (chosen, diag);
    }
  return emlint_apply_fixes (msg, chosen, config->unsafe_fixes);
}

EmlintFixResult *
emlint_fix_message (const EmlintConfig *config, GBytes *bytes, const char *path, guint index,
                    gboolean in_mbox, guint first_line, GError **error)
{
  EmlintFixResult *result = g_new0 (EmlintFixResult, 1);
  GPtrArray *diagnostics;

  result->fixed = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_diagnostic_free);
  result->message = emlint_message_new (bytes, path, index, in_mbox, first_line);
  diagnostics = emlint_lint_message (config, result->message);
  for (;;)
    {
      g_autoptr (GBytes) repaired = apply_chosen_fixes (config, result->message, diagnostics);
      if (repaired == NULL)
        break;
      if (result->rounds == EMLINT_FIX_MAX_ROUNDS)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "message %u: fixes did not converge in %d rounds (a bug: please report "
                       "it with the message)",
                       index, EMLINT_FIX_MAX_ROUNDS);
          g_ptr_array_unref (diagnostics);
          emlint_fix_result_free (result);
          return NULL;
        }
      result->rounds++;
      /* The fixed findings move over in one pass (taking each out of the middle would cost
       * quadratic time on a message of many); the others are dropped. */
      for (guint i = 0; i < diagnostics->len; i++)
        {
          EmlintDiagnostic *diag = g_ptr_array_index (diagnostics, i);
          if (diag->fixed)
            {
              g_ptr_array_add (result->fixed, diag);
              g_ptr_array_index (diagnostics, i) = NULL;
            }
        }
      g_ptr_array_unref (diagnostics);
      emlint_message_free (result->message);
      result->message = emlint_message_new (repaired, path, index, in_mbox, first_line);
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
