/* imap-literal-size: a literal {n} whose payload is not n octets long. */
#include "rule.h"

#include "imap-session.h"

/* The line of the same direction before @i that announced the literal. */
static const EmlintImapLine *
announcer (const EmlintTranscript *t, guint i)
{
  const EmlintImapLine *line = emlint_transcript_line (t, i);

  while (i-- > 0)
    {
      const EmlintImapLine *before = emlint_transcript_line (t, i);
      if (before->direction == line->direction && before->has_literal)
        return before;
    }
  return NULL;
}

static void
check (EmlintContext *ctx)
{
  const EmlintTranscript *t = ctx->transcript;

  for (guint i = 0; i < t->lines->len; i++)
    {
      const EmlintImapLine *line = emlint_transcript_line (t, i);
      const EmlintImapLine *literal;
      g_autofree char *place = NULL;

      if (!line->literal_bad || (literal = announcer (t, i)) == NULL)
        continue;
      place = emlint_imap_line_place (t, literal, line);
      emlint_report_imap (
        ctx, line, 0, MIN (line->len, 1),
        "the literal {%" G_GUINT64_FORMAT "} of %s ends here, and what "
        "follows does not go on with the %s: the payload is not %" G_GUINT64_FORMAT " octets",
        literal->literal, place, line->direction == EMLINT_IMAP_CLIENT ? "command" : "response",
        literal->literal);
    }
}

const EmlintRule emlint_rule_imap_literal_size = {
  .id = "imap-literal-size",
  .severity = EMLINT_ERROR,
  .summary = "a literal {n} whose payload is not n octets",
  .rfc = "RFC 9051 section 4.3",
  .doc =
    "What it does\n"
    "  Counts the octets of each literal's payload (\"{n}\" CRLF and n octets, line endings\n"
    "  counted as CRLF on the wire, or as they are in a rawlog) and checks that what follows the\n"
    "  n-th octet goes on with the command or response: a space, a ')' or the end of the line.\n"
    "  It reports where the announced payload ends. Logs that do not carry payloads (imaplib,\n"
    "  curl -v) cannot tell; --statistics says so.\n"
    "\n"
    "Why it is bad\n"
    "  RFC 9051 4.3: a literal is exactly n octets. A peer that reads n octets and then parses\n"
    "  the rest as protocol desynchronises: it takes message text for commands or responses,\n"
    "  or waits for octets that never come.\n"
    "\n"
    "Example\n"
    "  C: a1 APPEND INBOX {10}\n"
    "  S: + go ahead\n"
    "  C: Subject: hello\n"
    "  C:\n"
    "\n"
    "Fix\n"
    "  Count the octets of the payload as sent (after any line-ending conversion) and announce\n"
    "  that number.\n",
  .check = check,
  .model = EMLINT_MODEL_TRANSCRIPT,
  .needs = EMLINT_HAS_DIRECTION | EMLINT_HAS_LITERALS,
};
