/* content-transfer-encoding: unknown mechanisms, and encoded composite entities. */
#include "rule.h"

#include "lex.h"

#include <string.h>

/* The whitespace-separated words of the field value without comments: a new vector. */
static char **
words (const EmlintMessage *msg, const EmlintField *f)
{
  g_autofree char *text = emlint_field_uncommented (msg, f);
  g_auto (GStrv) parts = g_strsplit (text, " ", -1);
  GPtrArray *kept = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (kept, g_strdup (parts[i]));
  g_ptr_array_add (kept, NULL);
  return (char **) g_ptr_array_free (kept, FALSE);
}

static gboolean
is_identity (const char *mechanism)
{
  return g_ascii_strcasecmp (mechanism, "7bit") == 0 || g_ascii_strcasecmp (mechanism, "8bit") == 0
         || g_ascii_strcasecmp (mechanism, "binary") == 0;
}

static void
check_field (EmlintContext *ctx, const EmlintHeader *header, const EmlintField *f)
{
  const EmlintMessage *msg = ctx->msg;
  g_auto (GStrv) w = words (msg, f);
  g_autofree char *type = NULL;
  const char *m = w[0];

  if (m == NULL)
    {
      emlint_report_field (ctx, f,
                           "Content-Transfer-Encoding is empty; write 7bit, 8bit, "
                           "binary, quoted-printable or base64");
      return;
    }
  if (w[1] != NULL)
    {
      emlint_report_field (ctx, f,
                           "Content-Transfer-Encoding holds several words ('%.20s "
                           "%.20s'); it names one mechanism",
                           w[0], w[1]);
      return;
    }
  if (!is_identity (m) && g_ascii_strcasecmp (m, "quoted-printable") != 0
      && g_ascii_strcasecmp (m, "base64") != 0 && g_ascii_strncasecmp (m, "x-", 2) != 0)
    {
      emlint_report_field (ctx, f,
                           "Content-Transfer-Encoding '%.30s' is no mechanism: readers "
                           "take the content as 7bit or refuse it; write 7bit, 8bit, binary, "
                           "quoted-printable or base64 (RFC 2045 6.1)",
                           m);
      return;
    }
  type = emlint_header_media_type (msg, header);
  if (type == NULL)
    return;
  if ((g_str_has_prefix (type, "multipart/") || strcmp (type, "message/rfc822") == 0
       || strcmp (type, "message/global") == 0 || strcmp (type, "message/news") == 0)
      && !is_identity (m))
    emlint_report_field (ctx, f,
                         "a %s entity is encoded with '%.30s'; a composite entity may "
                         "only be 7bit, 8bit or binary (RFC 2045 6.4, RFC 2046 5.2.1), and "
                         "readers show it as an opaque attachment",
                         type, m);
  else if ((strcmp (type, "message/partial") == 0 || strcmp (type, "message/external-body") == 0)
           && g_ascii_strcasecmp (m, "7bit") != 0)
    emlint_report_field (ctx, f,
                         "a %s entity is '%.30s'; it may only be 7bit (RFC 2046 "
                         "5.2.2.1, 5.2.3.1)",
                         type, m);
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  g_autoptr (GArray) fields = emlint_fields_once (msg);
  guint header = 0;

  for (guint i = 0; i < fields->len; i++)
    {
      const EmlintField *field = g_array_index (fields, EmlintFieldRef, i).field;

      if (emlint_field_is (msg, field, "Content-Transfer-Encoding"))
        check_field (ctx, emlint_field_header (msg, field, &header), field);
    }
}

const EmlintRule emlint_rule_content_transfer_encoding = {
  .id = "content-transfer-encoding",
  .severity = EMLINT_ERROR,
  .summary = "an unknown transfer encoding, or an encoded multipart or message",
  .rfc = "RFC 2045 sections 6.1 and 6.4; RFC 2046 sections 5.1 and 5.2",
  .doc = "What it does\n"
         "  Reads every Content-Transfer-Encoding field (of the message and of each MIME part)\n"
         "  without comments and reports one that is empty, holds several words, or names no\n"
         "  mechanism: 7bit, 8bit, binary, quoted-printable and base64 are the only ones\n"
         "  (any case); x- tokens are private and accepted. It also reports a multipart,\n"
         "  message/rfc822, message/global or message/news entity encoded other than 7bit,\n"
         "  8bit or binary, and a message/partial or message/external-body other than 7bit.\n"
         "\n"
         "Why it is bad\n"
         "  An unknown mechanism makes readers show the raw encoded text or refuse the part\n"
         "  (RFC 2045 6.4 tells them to treat it as application/octet-stream). A composite\n"
         "  entity is never decoded before its parts are looked for, so an encoded multipart\n"
         "  or message shows as one opaque blob.\n"
         "\n"
         "Example\n"
         "  Content-Transfer-Encoding: 8-bit\n"
         "  Content-Transfer-Encoding: utf-8\n"
         "  Content-Type: multipart/mixed; boundary=\"b1\"\n"
         "  Content-Transfer-Encoding: base64\n"
         "\n"
         "Fix\n"
         "  None automatic: the right mechanism depends on the content, which the generator\n"
         "  must encode accordingly.\n",
  .check = check,
};
