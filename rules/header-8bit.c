/* header-8bit: raw 8-bit octets in a header field. */
#include "rule.h"

#include "lex.h"
#include "transit.h"

#include <string.h>

/* The offset of the first octet of @s at or above 0x80, or @len: eight octets at a time. */
static gsize
first_8bit (const char *s, gsize len)
{
  gsize p = 0;

  for (; p + 8 <= len; p += 8)
    {
      guint64 word;
      memcpy (&word, s + p, 8);
      if (word & G_GUINT64_CONSTANT (0x8080808080808080))
        break;
    }
  for (; p < len; p++)
    if ((guchar) s[p] >= 0x80)
      return p;
  return len;
}

/* TRUE when raw UTF-8 needs an SMTPUTF8 transaction that @msg did not have: the configuration
 * does not say it is sent with one, and its trace does not show it arrived with one (found
 * once, into *@smtputf8). */
static gboolean
utf8_needs_smtputf8 (const EmlintMessage *msg, int *smtputf8)
{
  if (*smtputf8 < 0)
    *smtputf8 = emlint_message_arrived_smtputf8 (msg);
  return !*smtputf8;
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  g_autoptr (GArray) fields = emlint_fields_once (msg);
  int smtputf8 = ctx->config->smtputf8 ? 1 : -1; /* -1: not yet known */

  for (guint i = 0; i < fields->len; i++)
    {
      const EmlintField *field = g_array_index (fields, EmlintFieldRef, i).field;
      const char *value = msg->data + field->value_start;
      gsize len = field->value_end - field->value_start, first = len;
      const char *bad = NULL;
      g_autofree char *name = NULL;

      first = first_8bit (value, len);
      if (first == len || emlint_field_origin (msg, field) == EMLINT_ORIGIN_SPAM_FILTER)
        continue;
      name = emlint_field_dup_name (msg, field);
      /* The finding points at the octet: the first that is not UTF-8, or the first UTF-8
       * character. */
      if (!g_utf8_validate_len (value + first, len - first, &bad))
        emlint_report_at (ctx, EMLINT_ERROR, (gsize) (bad - msg->data),
                          (gsize) (bad - msg->data) + 1,
                          "%s holds the octet 0x%02X, which is not UTF-8: a header is US-ASCII, "
                          "or UTF-8 under SMTPUTF8 (RFC 6532)",
                          name, (guchar) *bad);
      else if (utf8_needs_smtputf8 (msg, &smtputf8))
        emlint_report_at (ctx, EMLINT_WARNING, field->value_start + first,
                          field->value_start + first + g_utf8_skip[(guchar) value[first]],
                          "%s holds raw UTF-8, which needs an SMTPUTF8 transaction (RFC 6532); "
                          "use RFC 2047 encoded-words, or set smtputf8 = true",
                          name);
    }
}

const EmlintRule emlint_rule_header_8bit = {
  .id = "header-8bit",
  .severity = EMLINT_ERROR,
  .summary = "raw 8-bit octets in a header field",
  .rfc = "RFC 5322 section 2.2; RFC 6532 section 3; RFC 2047",
  .doc = "What it does\n"
         "  Reports a header field (of the message or of a MIME part) whose value holds octets\n"
         "  of 0x80 or above. Octets that are not valid UTF-8 are an error. Valid UTF-8 is a\n"
         "  warning, unless the configuration says the mail is sent with SMTPUTF8\n"
         "  ([emlint] smtputf8 = true), where RFC 6532 allows it and nothing is reported;\n"
         "  likewise in received mail whose Received fields show it arrived with SMTPUTF8\n"
         "  (\"with UTF8SMTPS\" and the other protocols of RFC 6531 3.7.3).\n"
         "  A line whose field name holds such octets is not a field: header-syntax reports it.\n"
         "\n"
         "Why it is bad\n"
         "  RFC 5322 header fields are US-ASCII. Without SMTPUTF8 a receiver must guess the\n"
         "  charset of raw octets: Latin-1 names turn into mojibake or replacement characters,\n"
         "  some servers reject the message (\"8-bit header\"), and DKIM signatures break when\n"
         "  a relay re-encodes the field. Raw UTF-8 is fine only when the whole path speaks\n"
         "  SMTPUTF8 (RFC 6531/6532).\n"
         "\n"
         "Example\n"
         "  Subject: Caf\\xE9 ouvert      (a Latin-1 octet: not UTF-8, an error)\n"
         "  Subject: Café ouvert         (raw UTF-8: a warning without SMTPUTF8)\n"
         "\n"
         "Fix\n"
         "  None automatic: encode the text as RFC 2047 encoded-words\n"
         "  (=?UTF-8?Q?Caf=C3=A9?=) in Subject, phrases and comments, or send with SMTPUTF8.\n",
  .check = check,
};
