/* fold.c: fold points and refolding (RFC 5322 2.2.3: a fold is a line break inserted before
 * whitespace, so unfolding gives back the same field body). */
#include "fold.h"

#include "lex.h"

#include "signature.h"

#define IS_WSP(c) ((c) == ' ' || (c) == '\t')

static gboolean
is_fold_point (const EmlintMessage *msg, gsize body, gsize p)
{
  return p > body && IS_WSP (msg->data[p]) && !IS_WSP (msg->data[p - 1]);
}

/* Past a template placeholder at @p (its inside is no fold point), or @p itself. Without
 * configured placeholders the common syntaxes still hold: "{{" at the end of one line and
 * " name }}" on the next would break the template, and a fold elsewhere costs nothing. */
static gsize
skip_placeholder (const EmlintMessage *msg, gsize p, gsize end)
{
  const char *const *syntaxes = msg->placeholders != NULL ? (const char *const *) msg->placeholders
                                                          : emlint_template_placeholders;

  /* Asked at every octet of a long line: a call only where a placeholder may start. */
  for (guint i = 0; syntaxes[i] != NULL; i++)
    if (syntaxes[i][0] == msg->data[p])
      {
        gsize n = emlint_placeholder_syntax_match (syntaxes, msg->data + p, end - p);
        return n > 0 ? p + n - 1 : p;
      }
  return p;
}

gboolean
emlint_fold_point_within (const EmlintMessage *msg, gsize body, gsize start, gsize end)
{
  gsize limit = MIN (end, start + EMLINT_FOLD_WIDTH);

  for (gsize p = body; p < limit; p = skip_placeholder (msg, p, end) + 1)
    if (is_fold_point (msg, body, p))
      return TRUE;
  return FALSE;
}

/* Marks the octets of @field's value that lie inside a quoted-string, where a fold, though
 * legal, would split what MIME and address parsers treat as one token. Returns a new array
 * indexed from the field's start, or NULL for an unstructured field. */
static gboolean *
quoted_octets (const EmlintMessage *msg, const EmlintField *field)
{
  gboolean *quoted;
  const char *d = msg->data, *open;
  gsize p = field->value_start;

  if (emlint_field_in (msg, field, EMLINT_FIELD_TEXT))
    return NULL;
  quoted = g_new0 (gboolean, field->value_end - field->start + 1);
  /* After each opening '"', up to and with its closing one (or the value's end). */
  while ((open = memchr (d + p, '"', field->value_end - p)) != NULL)
    {
      gsize end = emlint_quoted_string_end (d, field->value_end, (gsize) (open - d));

      for (p = (gsize) (open - d) + 1; p < MIN (end, field->value_end); p++)
        quoted[p - field->start] = TRUE;
    }
  return quoted;
}

/* The fold point that gives the longest line [start, p) within the width, or failing that the
 * first one after it; 0 when the rest of the line has none. With @quoted, fold points inside a
 * quoted-string are skipped. */
static gsize
fold_point_in (const EmlintMessage *msg, const EmlintField *field, const gboolean *quoted,
               gsize body, gsize start, gsize end)
{
  gsize best = 0;

  for (gsize p = body; p < end; p = skip_placeholder (msg, p, end) + 1)
    {
      if (!is_fold_point (msg, body, p) || (quoted != NULL && quoted[p - field->start]))
        continue;
      if (p - start > EMLINT_FOLD_WIDTH)
        return best != 0 ? best : p;
      best = p;
    }
  return end - start > EMLINT_FOLD_WIDTH ? best : 0;
}

/* Where to fold: outside quoted-strings where that fits the width, else inside one (RFC 5322
 * allows FWS there, and unfolding restores it), so that every fold point the rule counts is
 * one the fix can use. */
static gsize
choose_fold_point (const EmlintMessage *msg, const EmlintField *field, const gboolean *quoted,
                   gsize body, gsize start, gsize end)
{
  gsize outside = fold_point_in (msg, field, quoted, body, start, end);
  gsize any;

  if (quoted == NULL || (outside != 0 && outside - start <= EMLINT_FOLD_WIDTH))
    return outside;
  any = fold_point_in (msg, field, NULL, body, start, end);
  return any != 0 && any - start <= EMLINT_FOLD_WIDTH ? any : outside;
}

void
emlint_fold_field_fix (EmlintContext *ctx, EmlintDiagnostic *diag, const EmlintField *field)
{
  const EmlintMessage *msg = ctx->msg;
  const char *eol = emlint_message_eol_at (msg, field->start);
  g_autofree gboolean *quoted = quoted_octets (msg, field);

  for (guint i = 0; i < field->n_lines; i++)
    {
      guint line = field->line + i;
      gsize start = emlint_message_line_start (msg, line);
      gsize end = emlint_message_line_end (msg, line);
      gsize body = i == 0 ? field->value_start : start;

      while (end - start > EMLINT_FOLD_WIDTH)
        {
          gsize p = choose_fold_point (msg, field, quoted, body, start, end);
          if (p == 0)
            break;
          emlint_diagnostic_add_edit (diag, p, p, eol);
          start = body = p;
        }
    }
  emlint_signature_guard (ctx, diag, field, TRUE);
}
