/* mime-version: MIME fields without "MIME-Version: 1.0". */
#include "rule.h"

#include "lex.h"

/* The version with comments and white space removed: a new string. */
static char *
bare_version (const EmlintMessage *msg, const EmlintField *f)
{
  char *text = emlint_field_uncommented (msg, f);
  char *to = text;

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ')
      *to++ = *p;
  *to = '\0';
  return text;
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);
  const EmlintField *version = NULL, *mime = NULL;

  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *f = emlint_header_field (top, i);

      if (emlint_field_is (msg, f, "MIME-Version"))
        {
          g_autofree char *v = NULL;

          if (version != NULL)
            {
              emlint_report_field (ctx, f, "MIME-Version occurs twice; a message has one");
              continue;
            }
          version = f;
          v = bare_version (msg, f);
          if (g_strcmp0 (v, "1.0") != 0)
            emlint_report_field (ctx, f,
                                 "MIME-Version is '%.20s'; the only MIME version is "
                                 "1.0 (RFC 2045 section 4)",
                                 v);
          continue;
        }
      if (mime == NULL && emlint_field_in (msg, f, EMLINT_FIELD_MIME))
        mime = f;
    }
  /* A template leaves MIME-Version to the library that sends it. */
  if (version == NULL && mime != NULL && !ctx->config->template_profile)
    {
      g_autofree char *name = emlint_field_dup_name (msg, mime);
      emlint_report (ctx, 0, emlint_message_line_end (msg, 0),
                     "the message has MIME fields (%s) but no \"MIME-Version: 1.0\", which RFC "
                     "2045 section 4 requires of a MIME message",
                     name);
    }
}

const EmlintRule emlint_rule_mime_version = {
  .id = "mime-version",
  .severity = EMLINT_WARNING,
  .summary = "MIME fields without \"MIME-Version: 1.0\"",
  .rfc = "RFC 2045 section 4",
  .doc = "What it does\n"
         "  Reports a message whose header has a MIME field (Content-Type,\n"
         "  Content-Transfer-Encoding, Content-Disposition, Content-ID, Content-Description)\n"
         "  but no MIME-Version field, at the first line of the header; a MIME-Version whose\n"
         "  value, without comments and white space, is not 1.0; and a second MIME-Version.\n"
         "  MIME parts need no MIME-Version of their own. With profile = template a missing\n"
         "  MIME-Version is not reported.\n"
         "\n"
         "Why it is bad\n"
         "  RFC 2045 says a MIME message MUST carry \"MIME-Version: 1.0\". Without it the\n"
         "  message is, strictly, plain RFC 5322 text whose Content-Type need not be honoured;\n"
         "  most readers honour it anyway, but spam filters score the omission, which no\n"
         "  mainstream mailer makes. A second or a different MIME-Version is just as odd.\n"
         "\n"
         "Example\n"
         "  From: a@example.org\n"
         "  Content-Type: multipart/mixed; boundary=\"b1\"     (and no MIME-Version)\n"
         "\n"
         "Fix\n"
         "  None automatic: add \"MIME-Version: 1.0\" to the header.\n",
  .check = check,
};
