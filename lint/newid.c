/* newid.c: making new msg-ids. */
#include "newid.h"

#include <string.h>

#define MAX_ID 77 /* an id that fits a 78-octet line, so no generator will encode it */

char *
emlint_new_msgid (const char *domain)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");
  char *id = g_strdup_printf ("<%s.%08x%08x@%s>", stamp, g_random_int (), g_random_int (), domain);

  if (strlen (id) > MAX_ID)
    {
      g_free (id);
      return NULL;
    }
  return id;
}

/* After the last field that readers still see: a line that is no field ends the header for
 * strict parsers (Python's among them), so the new field goes before the first such line. */
static gsize
insertion_point (const EmlintHeader *top)
{
  gsize at = top->start;

  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *field = emlint_header_field (top, i);
      if (field->start != at)
        break;
      at = field->end;
    }
  return at;
}

void
emlint_new_msgid_fix (EmlintContext *ctx, EmlintDiagnostic *diag, const EmlintField *field)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);
  g_autofree char *id = NULL, *text = NULL;
  gsize at;

  if (ctx->config->msgid_domain == NULL)
    {
      diag->fix_needs = "--msgid-domain DOMAIN";
      return;
    }
  if ((id = emlint_new_msgid (ctx->config->msgid_domain)) == NULL)
    return;
  if (field != NULL)
    {
      text = g_strconcat (" ", id, NULL);
      emlint_diagnostic_add_edit (diag, field->value_start, field->value_end, text);
    }
  else
    {
      at = insertion_point (top);
      const char *eol = emlint_message_eol_at (msg, top->start);

      /* A header that ends the file without a line break gets one before the new field. */
      if (at > top->start && msg->data[at - 1] != '\n')
        text = g_strconcat (eol, "Message-ID: ", id, NULL);
      else
        text = g_strconcat ("Message-ID: ", id, eol, NULL);
      emlint_diagnostic_add_edit (diag, at, at, text);
    }
  emlint_diagnostic_set_unsafe (diag, "a new Message-ID changes the message's identity");
}
