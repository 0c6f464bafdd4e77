/* imap-unknown-tag: a completion for a tag the client never sent, or a tag completed twice. */
#include "rule.h"

#include "imap-session.h"

static void
on_step (gpointer data, const EmlintImapSession *s, const EmlintImapLine *line,
         const EmlintImapStep *step)
{
  EmlintContext *ctx = data;
  gsize tag_len;

  if (!step->completion || step->completes != 0 || step->completes_hidden)
    return;
  emlint_imap_word (line, 0, &tag_len);
  if (step->completed_before)
    emlint_report_imap (ctx, line, 0, tag_len,
                        "tag '%.*s' is completed a second time: the client may take this "
                        "completion for a later command's",
                        (int) tag_len, line->text);
  else
    emlint_report_imap (ctx, line, 0, tag_len,
                        "completion for tag '%.*s', which no command in flight carries",
                        (int) tag_len, line->text);
}

static void
check (EmlintContext *ctx)
{
  EmlintImapSession s;

  emlint_imap_session_walk (&s, ctx->transcript, on_step, ctx);
  emlint_imap_session_clear (&s);
}

const EmlintRule emlint_rule_imap_unknown_tag = {
  .id = "imap-unknown-tag",
  .severity = EMLINT_ERROR,
  .summary = "completion for an unknown tag, or a tag completed twice",
  .rfc = "RFC 9051 sections 2.2.1, 2.2.2",
  .doc =
    "What it does\n"
    "  Reports a tagged server completion (\"tag OK/NO/BAD\") whose tag belongs to no command\n"
    "  in flight: either the client never sent it, or its command was already completed. It\n"
    "  needs the whole session from the server's greeting; a log that starts later cannot tell\n"
    "  and reports nothing.\n"
    "\n"
    "Why it is bad\n"
    "  RFC 9051 2.2.1 and 2.2.2: the server completes each command once, with the tag the\n"
    "  client chose. A client matching completions to commands by tag takes a stray completion\n"
    "  for another command's result, or fails with \"unexpected tagged response\" (imaplib).\n"
    "\n"
    "Example\n"
    "  C: a1 NOOP\n"
    "  S: a1 OK done\n"
    "  S: a1 OK done\n"
    "\n"
    "Fix\n"
    "  The server: complete every command exactly once, with its own tag.\n",
  .check = check,
  .model = EMLINT_MODEL_TRANSCRIPT,
  .needs = EMLINT_HAS_DIRECTION | EMLINT_HAS_ORDER | EMLINT_HAS_START,
};
