/* imap-untagged-bad: an untagged BAD while a well-formed tagged command is in flight (QQ Mail). */
#include "rule.h"

#include "imap-session.h"

static gboolean
is_untagged_bad (const EmlintImapLine *line)
{
  gsize len;

  if (line->direction != EMLINT_IMAP_SERVER || line->continued || line->len < 2
      || line->text[0] != '*' || line->text[1] != ' ')
    return FALSE;
  emlint_imap_word (line, 2, &len);
  return emlint_imap_word_is (line, 2, len, "BAD");
}

/* An untagged BAD changes nothing in flight: the session after it shows what was pending. */
static void
on_step (gpointer data, const EmlintImapSession *s, const EmlintImapLine *line,
         const EmlintImapStep *step)
{
  EmlintContext *ctx = data;
  g_autoptr (GArray) pending = NULL;
  const EmlintImapLine *command;
  g_autofree char *label = NULL;
  g_autofree char *place = NULL;

  if (!is_untagged_bad (line) || step->n_pending == 0)
    return;
  pending = emlint_imap_session_pending (s);
  command = emlint_transcript_line (s->t, g_array_index (pending, guint, pending->len - 1));
  label = emlint_imap_command_label (command);
  place = emlint_imap_line_place (s->t, command, line);
  emlint_report_imap (ctx, line, 0, 5,
                      "untagged BAD while '%s' (%s) is in flight: a command whose tag can be "
                      "read gets a tagged BAD; clients wait for the tag and hang",
                      label, place);
}

static void
check (EmlintContext *ctx)
{
  EmlintImapSession s;

  emlint_imap_session_walk (&s, ctx->transcript, on_step, ctx);
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
