/* imap-untagged-bad: an untagged BAD while a well-formed tagged command is in flight (QQ Mail). */
#include "rule.h"

#include "imap-session.h"

static void
check (EmlintContext *ctx)
{
  const EmlintTranscript *t = ctx->transcript;
  EmlintImapSession s;

  emlint_imap_session_init (&s, t);
  for (guint i = 0; i < t->lines->len; i++)
    {
      const EmlintImapLine *line = emlint_transcript_line (t, i);
      g_autoptr (GArray) pending = emlint_imap_session_pending (&s);
      EmlintImapStep st = emlint_imap_session_step (&s, i);
      gsize len;

      emlint_imap_word (line, 2, &len);
      if (st.untagged && pending->len > 0 && emlint_imap_word_is (line, 2, len, "BAD"))
        {
          const EmlintImapLine *command
            = emlint_transcript_line (t, g_array_index (pending, guint, pending->len - 1));
          g_autofree char *label = emlint_imap_command_label (command);
          g_autofree char *place = emlint_imap_line_place (t, command, line);

          emlint_report_imap (ctx, line, 0, 5,
                              "untagged BAD while '%s' (%s) is in flight: a command whose tag "
                              "can be read gets a tagged BAD; clients wait for the tag and hang",
                              label, place);
        }
    }
  emlint_imap_session_clear (&s);
}

const EmlintRule emlint_rule_imap_untagged_bad = {
  .id = "imap-untagged-bad",
  .severity = EMLINT_ERROR,
  .summary = "untagged BAD while a well-formed tagged command is in flight",
  .rfc = "RFC 9051 sections 2.2.2, 7.1.3",
  .doc =
    "What it does\n"
    "  Reports a server line \"* BAD ...\" sent while at least one command the client sent with\n"
    "  a readable tag (\"tag SP name ...\") has not been completed. It names the latest such\n"
    "  command and its line.\n"
    "\n"
    "Why it is bad\n"
    "  RFC 9051 7.1.3: the untagged form of BAD is only for a protocol error \"for which the\n"
    "  associated command can not be determined\"; 2.2.2: every command gets a completion\n"
    "  tagged with its own tag. QQ Mail answers an unknown command with \"* BAD Command!\" and\n"
    "  nothing tagged: imaplib, MailKit and imaptest then wait for the tag until the server\n"
    "  drops the connection.\n"
    "\n"
    "Example\n"
    "  C: XXX1 XXX (\"name\" \"aaa\")\n"
    "  S: * BAD Command!\n"
    "\n"
    "Fix\n"
    "  The server: answer \"XXX1 BAD Command!\" (tagged). A client talking to such a server:\n"
    "  treat an untagged BAD as the completion of the only command in flight, or use a timeout.\n",
  .check = check,
  .model = EMLINT_MODEL_TRANSCRIPT,
  .needs = EMLINT_HAS_DIRECTION | EMLINT_HAS_ORDER,
};
