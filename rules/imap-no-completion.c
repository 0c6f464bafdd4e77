/* imap-no-completion: a tagged command that never gets its tagged completion. */
#include "rule.h"

#include "imap-session.h"

static void
check (EmlintContext *ctx)
{
  EmlintImapSession s;
  g_autoptr (GArray) pending = NULL;

  emlint_imap_session_walk (&s, ctx->transcript, NULL, NULL);
  pending = emlint_imap_session_pending (&s);
  for (guint k = 0; k < pending->len; k++)
    {
      const EmlintImapLine *line = emlint_transcript_line (s.t, g_array_index (pending, guint, k));
      g_autofree char *label = emlint_imap_command_label (line);
      gsize tag_len, name, len;

      emlint_imap_command (line, &tag_len, &name, &len);
      emlint_report_imap (ctx, line, 0, name + len,
                          "'%s' never gets its tagged completion: a client waiting for '%.*s OK', "
                          "NO or BAD hangs until the connection drops",
                          label, (int) tag_len, line->text);
    }
  emlint_imap_session_clear (&s);
}

const EmlintRule emlint_rule_imap_no_completion = {
  .id = "imap-no-completion",
  .severity = EMLINT_ERROR,
  .summary = "a tagged command never gets its tagged completion",
  .rfc = "RFC 9051 sections 2.2.2, 7.1",
  .doc =
    "What it does\n"
    "  Follows every command the client sends (a line \"tag SP name\") to the server's tagged\n"
    "  completion (\"tag OK\", \"tag NO\" or \"tag BAD\"), and reports, at the command, each one\n"
    "  that the transcript never completes. Commands still in flight when the server says\n"
    "  \"* BYE\" are not reported: the connection ends and no client waits.\n"
    "\n"
    "Why it is bad\n"
    "  RFC 9051 2.2.2: the result of every command is a completion response tagged with the\n"
    "  command's own tag. Clients (Python's imaplib, MailKit, Dovecot's imaptest) wait for that\n"
    "  tag; without it they hang until a timeout or until the server drops the connection,\n"
    "  minutes later. QQ Mail answers an unknown command with an untagged \"* BAD\" and never\n"
    "  completes it (see imap-untagged-bad).\n"
    "\n"
    "Example\n"
    "  C: XXX1 XXX (\"name\" \"aaa\")\n"
    "  S: * BAD Command!\n"
    "  (nothing tagged XXX1 follows)\n"
    "\n"
    "Fix\n"
    "  The server: answer every command with a completion carrying its tag, \"XXX1 BAD unknown\n"
    "  command\" here. A client can only protect itself with a timeout. A transcript cut short\n"
    "  by the capture also ends with a command in flight: record the session to its end.\n",
  .check = check,
  .model = EMLINT_MODEL_TRANSCRIPT,
  .needs = EMLINT_HAS_DIRECTION | EMLINT_HAS_ORDER,
};
