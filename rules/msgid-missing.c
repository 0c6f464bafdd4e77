/* msgid-missing: a message without a Message-ID. */
#include "rule.h"

#include "newid.h"

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);
  EmlintDiagnostic *diag;

  if (ctx->config->template_profile)
    return; /* a template leaves the Message-ID to the library that sends it */
  for (guint i = 0; i < top->fields->len; i++)
    if (emlint_field_is (msg, emlint_header_field (top, i), "Message-ID"))
      return;
  diag = emlint_report (ctx, 0, emlint_message_line_end (msg, 0),
                        "the message has no Message-ID field");
  emlint_new_msgid_fix (ctx, diag, NULL);
}

const EmlintRule emlint_rule_msgid_missing = {
  .id = "msgid-missing",
  .severity = EMLINT_WARNING,
  .fixable = EMLINT_FIXABLE_UNSAFE,
  .summary = "no Message-ID field",
  .rfc = "RFC 5322 section 3.6.4",
  .doc = "What it does\n"
         "  Reports a message whose header has no Message-ID field, at the first line of the\n"
         "  header (in an mbox, the line after the message's From_ line).\n"
         "\n"
         "Why it is bad\n"
         "  RFC 5322 says every message SHOULD have a Message-ID. Replies cannot point at a\n"
         "  message without one, so threads break; duplicate detection and many spam filters\n"
         "  penalise its absence, and a relay that adds one on the way names its own host.\n"
         "\n"
         "Example\n"
         "  From: app@example.com\n"
         "  Date: Mon, 2 Oct 2023 10:00:00 +0000\n"
         "  Subject: no Message-ID here\n"
         "\n"
         "Fix\n"
         "  Unsafe, and only with --msgid-domain DOMAIN: adds a Message-ID on that domain after\n"
         "  the last header field. Applied only with --unsafe-fixes: the sender should make the\n"
         "  id, so that it can recognise replies.\n",
  .check = check,
};
