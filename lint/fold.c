/* fold.c: fold points and refolding (RFC 5322 2.2.3: a fold is a line break inserted before
 * whitespace, so unfolding gives back the same field body). */
#include "fold.h"

#include "signature.h"

#define IS_WSP(c) ((c) == ' ' || (c) == '\t')

static gboolean
is_fold_point (const EmlintMessage *msg, gsize body, gsize p)
{
  return p > body && IS_WSP (msg->data[p]) && !IS_WSP (msg->data[p - 1]);
}

gboolean
emlint_fold_point_within (const EmlintMessage *msg, gsize body, gsize start, gsize end)
{
  gsize limit = MIN (end, start + EMLINT_FOLD_WIDTH);

  for (gsize p = body; p < limit; p++)
    if (is_fold_point (msg, body, p))
      return TRUE;
  return FALSE;
}

/* The fold point that gives the longest line [start, p) within the width, or failing that the
 * first one after it; 0 when the rest of the line has none. */
static gsize
choose_fold_point (const EmlintMessage *msg, gsize body, gsize start, gsize end)
{
  gsize best = 0;

  for (gsize p = body; p < end; p++)
    {
      if (!is_fold_point (msg, body, p))
        continue;
      if (p - start > EMLINT_FOLD_WIDTH)
        return best != 0 ? best : p;
      best = p;
    }
  return end - start > EMLINT_FOLD_WIDTH ? best : 0;
}

void
emlint_fold_field_fix (EmlintContext *ctx, EmlintDiagnostic *diag, const EmlintField *field)
{
  const EmlintMessage *msg = ctx->msg;
  const char *eol = emlint_message_eol_at (msg, field->start);

  for (guint i = 0; i < field->n_lines; i++)
    {
      guint line = field->line + i;
      gsize start = emlint_message_line_start (msg, line);
      gsize end = emlint_message_line_end (msg, line);
      gsize body = i == 0 ? field->value_start : start;

      while (end - start > EMLINT_FOLD_WIDTH)
        {
          gsize p = choose_fold_point (msg, body, start, end);
          if (p == 0)
            break;
          emlint_diagnostic_add_edit (diag, p, p, eol);
          start = body = p;
        }
    }
  emlint_signature_guard (ctx, diag, field, TRUE);
}
