/* imap-id-required: SELECT or EXAMINE refused until the client sends ID (NetEase 163/126). */
#include "rule.h"

#include "imap-session.h"

/* A NO with a response code (other than ALERT) says why it refused: [NONEXISTENT], [NOPERM],
 * [TRYCREATE]...; that is not the ID fault. */
static gboolean
has_reason_code (const EmlintImapLine *line, gsize text)
{
  return text < line->len && line->text[text] == '['
         && g_ascii_strncasecmp (line->text + text, "[ALERT]", 7) != 0;
}

/* A completion does not change whether ID was sent or advertised: the session after it tells. */
static void
on_step (gpointer data, const EmlintImapSession *s, const EmlintImapLine *line,
         const EmlintImapStep *step)
{
  EmlintContext *ctx = data;
  const EmlintImapLine *command;
  gsize tag_len, name, len, status, status_len;

  if (!step->completion || step->completes == 0 || s->id_sent || !s->id_advertised
      || (step->state != EMLINT_IMAP_STATE_AUTHENTICATED
          && step->state != EMLINT_IMAP_STATE_SELECTED))
    return;
  command = emlint_transcript_line (s->t, step->completes - 1);
  emlint_imap_command (command, &tag_len, &name, &len);
  status = emlint_imap_word (line, 0, &tag_len);
  emlint_imap_word (line, status, &status_len);
  if (!emlint_imap_word_is (line, status, status_len, "NO")
      || has_reason_code (line, status + status_len + 1)
      || !(emlint_imap_word_is (command, name, len, "SELECT")
           || emlint_imap_word_is (command, name, len, "EXAMINE")))
    return;
  emlint_report_imap (ctx, line, 0, line->len,
                      "%.*s refused after login, and the client never sent ID although the "
                      "server advertises it: send ID (RFC 2971) after login to work around this "
                      "server, which violates RFC 2971 section 3 (servers MUST NOT deny service "
                      "based on ID)",
                      (int) len, command->text + name);
}

static void
check (EmlintContext *ctx)
{
  EmlintImapSession s;

  emlint_imap_session_walk (&s, ctx->transcript, on_step, ctx);
  emlint_imap_session_clear (&s);
}

const EmlintRule emlint_rule_imap_id_required = {
  .id = "imap-id-required",
  .severity = EMLINT_ERROR,
  .summary = "SELECT/EXAMINE refused until the client sends ID",
  .rfc = "RFC 2971 section 3",
  .doc =
    "What it does\n"
    "  Reports a tagged NO to SELECT or EXAMINE, after authentication, in a session where the\n"
    "  server advertised the ID capability and the client had not sent ID. A NO that gives its\n"
    "  reason in a response code ([NONEXISTENT], [NOPERM], ...) is not reported. It needs the\n"
    "  session from the greeting (to know the client never sent ID).\n"
    "\n"
    "Why it is bad\n"
    "  NetEase (163.com, 126.com) refuses SELECT with \"NO SELECT Unsafe Login. Please contact\n"
    "  kefu@188.com for help\" until the client identifies itself with ID. RFC 2971 section 3\n"
    "  says servers MUST NOT deny service based on the presence or content of ID: the fault is\n"
    "  the server's, but every client that follows the RFCs is locked out. OfflineIMAP,\n"
    "  rust-imap, himalaya, node-imap and getmail6 carry workarounds.\n"
    "\n"
    "Example\n"
    "  S: * OK [CAPABILITY IMAP4rev1 ID] ready\n"
    "  C: a1 LOGIN user ****\n"
    "  S: a1 OK LOGIN completed\n"
    "  C: a2 SELECT INBOX\n"
    "  S: a2 NO SELECT Unsafe Login. Please contact kefu@188.com for help\n"
    "\n"
    "Fix\n"
    "  The client: send ID after login, before SELECT, when the server advertises ID, e.g.\n"
    "  a2 ID (\"name\" \"myclient\" \"version\" \"1.0\"). The server: serve clients that do not.\n",
  .check = check,
  .model = EMLINT_MODEL_TRANSCRIPT,
  .needs = EMLINT_HAS_DIRECTION | EMLINT_HAS_ORDER | EMLINT_HAS_START,
};
