/* imap-line-prefix: a server line that is neither tagged, untagged ('*') nor '+'. */
#include "rule.h"

static void
check (EmlintContext *ctx)
{
  const EmlintTranscript *t = ctx->transcript;

  for (guint i = 0; i < t->lines->len; i++)
    {
      const EmlintImapLine *line = emlint_transcript_line (t, i);
      gsize tag_len, status, len;

      if (line->direction != EMLINT_IMAP_SERVER || line->continued || line->len == 0
          || line->text[0] == '+'
          || (line->len >= 2 && line->text[0] == '*' && line->text[1] == ' ')
          || emlint_imap_completion (line, &tag_len, &status))
        continue;
      emlint_imap_word (line, 0, &len);
      emlint_report_imap (ctx, line, 0, MAX (len, 1),
                          "server line starts with '%.*s': neither a tag with OK, NO or BAD, "
                          "'*' nor '+'; clients cannot tell what it answers",
                          (int) MIN (len, 20), line->text);
    }
}

const EmlintRule emlint_rule_imap_line_prefix = {
  .id = "imap-line-prefix",
  .severity = EMLINT_ERROR,
  .summary = "server line neither tagged, untagged ('*') nor a continuation ('+')",
  .rfc = "RFC 9051 sections 2.2.2, 9",
  .doc =
    "What it does\n"
    "  Reports a line from the server that does not start as RFC 9051's formal syntax allows:\n"
    "  \"* \" (untagged data or status), \"+\" (continuation request) or a tag followed by OK,\n"
    "  NO or BAD (completion). Lines that continue a response after a literal are not checked.\n"
    "\n"
    "Why it is bad\n"
    "  Section 9: response = *(continue-req / response-data) response-done. A line that is none\n"
    "  of these cannot be parsed: imaplib raises \"unexpected response\", others drop the\n"
    "  connection or wait. Coremail has been seen answering ENABLE with a bare \"OK ENABLE\n"
    "  completed\", without the tag.\n"
    "\n"
    "Example\n"
    "  C: a2 ENABLE UTF8=ACCEPT\n"
    "  S: OK ENABLE completed\n"
    "\n"
    "Fix\n"
    "  The server: send \"a2 OK ENABLE completed\".\n",
  .check = check,
  .model = EMLINT_MODEL_TRANSCRIPT,
  .needs = EMLINT_HAS_DIRECTION,
};
