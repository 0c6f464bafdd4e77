/* finding.c: the command line's findings, from libemlint's. */
#include "finding.h"

#include <string.h>

static void
finding_free (gpointer data)
{
  EmlintCliFinding *finding = data;

  g_free (finding->own_message);
  g_free (finding);
}

GPtrArray *
emlint_cli_findings (const EmlintResult *result, gboolean fixed, guint64 first_line)
{
  size_t n = fixed ? emlint_result_fixed_count (result) : emlint_result_count (result);
  GPtrArray *out = g_ptr_array_new_full ((guint) n, finding_free);

  for (size_t i = 0; i < n; i++)
    {
      const EmlintFinding *f = fixed ? emlint_result_fixed (result, i)
                                     : emlint_result_finding (result, i);
      EmlintCliFinding *finding = g_new (EmlintCliFinding, 1);

      *finding = (EmlintCliFinding){
        .rule = f->rule_info,
        .severity = f->severity,
        .start = f->start,
        .end = f->end,
        .source = f->source,
        .line = first_line - 1 + f->line,
        .end_line = first_line - 1 + f->end_line,
        .column = f->column,
        .end_column = f->end_column,
        .message = f->message,
        .fix = f->fix,
        .has_fix = f->has_fix,
        .unsafe_reason = f->unsafe_reason,
        .fix_needs = f->fix_needs,
        .field_start = f->field_start,
        .field_name_end = f->field_name_end,
        .field_value_start = f->field_value_start,
        .field_value_end = f->field_value_end,
      };
      g_ptr_array_add (out, finding);
    }
  return out;
}

void
emlint_cli_finding_set_message (EmlintCliFinding *finding, char *message)
{
  g_free (finding->own_message);
  finding->message = finding->own_message = message;
}

void
emlint_mail_line (const EmlintMail *mail, gsize offset, gsize *start, gsize *end)
{
  gsize at = MIN (offset, mail->len);
  const char *before, *after;

  /* The end of octets that end in a line break is on the line that break ends. */
  if (at == mail->len && at > 0 && mail->data[at - 1] == '\n')
    at--;
  before = at > 0 ? memrchr (mail->data, '\n', at) : NULL;
  *start = before != NULL ? (gsize) (before - mail->data) + 1 : 0;
  after = memchr (mail->data + at, '\n', mail->len - at);
  *end = after != NULL ? (gsize) (after - mail->data) : mail->len;
  if (after != NULL && *end > *start && mail->data[*end - 1] == '\r')
    (*end)--;
}
