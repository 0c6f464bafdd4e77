/* line-length-limit: physical lines over 998 octets. */
#include "rule.h"

#include "lex.h"

#define LIMIT 998

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintField *reported = NULL;
  guint n = emlint_message_n_lines (msg);

  if (msg->longest_line <= LIMIT)
    return; /* the common case, known from the line index */
  for (guint line = 0; line < n; line++)
    {
      gsize start = emlint_message_line_start (msg, line);
      gsize end = emlint_message_line_end (msg, line);
      const EmlintField *field;

      if (end - start <= LIMIT)
        continue;
      /* One finding per header field; every long body line is its own. */
      field = emlint_field_at (msg, end - 1);
      if (field != NULL && field == reported)
        continue;
      reported = field;
      emlint_report (ctx, start + LIMIT, end,
                     "line is %" G_GSIZE_FORMAT " octets long; no line may exceed %d", end - start,
                     LIMIT);
    }
}

const EmlintRule emlint_rule_line_length_limit = {
  .id = "line-length-limit",
  .severity = EMLINT_ERROR,
  .summary = "a line longer than 998 octets",
  .rfc = "RFC 5322 section 2.1.1; RFC 5321 section 4.5.3.1.6",
  .doc = "What it does\n"
         "  Reports every physical line, header or body, longer than 998 octets, not counting\n"
         "  its line ending. A header field is reported once, at its first long line; every long\n"
         "  body line is reported. The finding points at column 999.\n"
         "\n"
         "Why it is bad\n"
         "  RFC 5322 forbids lines over 998 octets and RFC 5321 lets servers refuse them. Large\n"
         "  receivers reject such mail or break the line at an arbitrary octet, which corrupts\n"
         "  headers, breaks DKIM signatures and splits multibyte characters.\n"
         "\n"
         "Example\n"
         "  A Subject or To field written on one 1,200-octet line; an HTML body part sent\n"
         "  with Content-Transfer-Encoding: 8bit and no line breaks.\n"
         "\n"
         "Fix\n"
         "  None automatic. Fold header fields at whitespace (header-line-length fixes those\n"
         "  it can); encode bodies with quoted-printable or base64, which keep lines short.\n",
  .check = check,
};
