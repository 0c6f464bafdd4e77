/* imap-command-state: a command sent in a state where RFC 9051 does not allow it. */
#include "rule.h"

#include "imap-session.h"

static const char *const any_state[] = { "CAPABILITY", "NOOP", "LOGOUT", "ID", NULL };
static const char *const not_authenticated[] = { "STARTTLS", "AUTHENTICATE", "LOGIN", NULL };
static const char *const authenticated[] = {
  "ENABLE",    "SELECT",      "EXAMINE",    "CREATE",       "DELETE",      "RENAME",
  "SUBSCRIBE", "UNSUBSCRIBE", "LIST",       "LSUB",         "NAMESPACE",   "STATUS",
  "APPEND",    "IDLE",        "GETQUOTA",   "GETQUOTAROOT", "SETQUOTA",    "GETACL",
  "SETACL",    "MYRIGHTS",    "LISTRIGHTS", "GETMETADATA",  "SETMETADATA", NULL,
};
static const char *const selected[] = { "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH",
                                        "STORE", "COPY",     "MOVE",    "UID",    "CHECK",
                                        "SORT",  "THREAD",   NULL };

static gboolean
listed (const EmlintImapLine *line, gsize name, gsize len, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (emlint_imap_word_is (line, name, len, names[i]))
      return TRUE;
  return FALSE;
}

/* NULL when the command may be sent in @state (or is not one this rule knows); else the name
 * of the states it belongs to. */
static const char *
misplaced (const EmlintImapLine *line, gsize name, gsize len, EmlintImapState state)
{
  gboolean authed = state == EMLINT_IMAP_STATE_AUTHENTICATED || state == EMLINT_IMAP_STATE_SELECTED;

  if (listed (line, name, len, any_state))
    return NULL;
  if (state == EMLINT_IMAP_STATE_LOGOUT)
    return "any state before logout";
  if (listed (line, name, len, not_authenticated))
    return state == EMLINT_IMAP_STATE_NOT_AUTHENTICATED ? NULL : "the not-authenticated state";
  if (listed (line, name, len, authenticated))
    return authed ? NULL : "the authenticated or selected state";
  if (listed (line, name, len, selected))
    return state == EMLINT_IMAP_STATE_SELECTED ? NULL : "the selected state";
  return NULL;
}

static const char *const state_names[] = { "unknown", "not-authenticated", "authenticated",
                                           "selected", "logout" };

static void
on_step (gpointer data, const EmlintImapSession *s, const EmlintImapLine *line,
         const EmlintImapStep *step)
{
  EmlintContext *ctx = data;
  gsize tag_len, name, len;
  const char *belongs;

  /* While a command that may change the state is in flight, the state is not known. */
  if (!step->command || step->state == EMLINT_IMAP_STATE_UNKNOWN || step->n_changing > 0)
    return;
  emlint_imap_command (line, &tag_len, &name, &len);
  belongs = misplaced (line, name, len, step->state);
  if (belongs != NULL)
    emlint_report_imap (ctx, line, name, name + len,
                        "%.*s sent in the %s state; it is valid only in %s", (int) len,
                        line->text + name, state_names[step->state], belongs);
}

static void
check (EmlintContext *ctx)
{
  EmlintImapSession s;

  emlint_imap_session_walk (&s, ctx->transcript, on_step, ctx);
  emlint_imap_session_clear (&s);
}

const EmlintRule emlint_rule_imap_command_state = {
  .id = "imap-command-state",
  .severity = EMLINT_ERROR,
  .summary = "a command sent in a state that does not allow it",
  .rfc = "RFC 9051 sections 3, 6",
  .doc =
    "What it does\n"
    "  Follows the connection state of RFC 9051 section 3 from the server's greeting (\"* OK\":\n"
    "  not authenticated, \"* PREAUTH\": authenticated) through LOGIN, AUTHENTICATE, SELECT,\n"
    "  EXAMINE, CLOSE, UNSELECT and LOGOUT and their completions, and reports a command of\n"
    "  RFC 9051 section 6 sent in a state that does not allow it: FETCH before SELECT, LOGIN\n"
    "  after authentication, SELECT before LOGIN. Commands it does not know (extensions) are\n"
    "  not checked, nor commands sent while a state change is still in flight. It needs the\n"
    "  session from the greeting.\n"
    "\n"
    "Why it is bad\n"
    "  The server answers BAD or NO, and a client that did not expect it (it assumed the\n"
    "  LOGIN or SELECT had worked) goes on acting on a mailbox that is not open.\n"
    "\n"
    "Example\n"
    "  S: * OK IMAP4rev2 ready\n"
    "  C: a1 FETCH 1 (FLAGS)\n"
    "\n"
    "Fix\n"
    "  The client: wait for the tagged OK of LOGIN or SELECT before the commands that need it,\n"
    "  and check it.\n",
  .check = check,
  .model = EMLINT_MODEL_TRANSCRIPT,
  .needs = EMLINT_HAS_DIRECTION | EMLINT_HAS_ORDER | EMLINT_HAS_START,
};
