/* field-count: fields that occur more often than RFC 5322 3.6 allows, or not at all. */
#include "rule.h"

#include "lex.h"

#include <string.h>

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);
  guint n;
  const EmlintFieldName *names = emlint_field_names (&n);

  if (emlint_message_is_empty (msg))
    {
      emlint_report (ctx, 0, msg->len,
                     "empty input: no header at all (did the program that "
                     "wrote it fail?)");
      return;
    }
  /* RFC 5322 3.6: the ONCE fields at most once; Date and From (REQUIRED) exactly once. Trace,
   * Resent-*, Comments, Keywords and optional fields may repeat. */
  for (guint k = 0; k < n; k++)
    {
      const EmlintFieldName *counted = &names[k];
      guint seen = 0;

      if (!(counted->classes & EMLINT_FIELD_ONCE))
        continue;
      for (guint i = 0; i < top->fields->len; i++)
        {
          const EmlintField *field = emlint_header_field (top, i);

          if (!emlint_field_is (msg, field, counted->name))
            continue;
          if (++seen > 1)
            emlint_report_field (ctx, field, "%s field number %u; a message has at most one",
                                 counted->name, seen);
        }
      /* A template leaves Date to the library that sends it. */
      if (seen == 0 && (counted->classes & EMLINT_FIELD_REQUIRED)
          && !(ctx->config->template_profile && strcmp (counted->name, "Date") == 0))
        emlint_report (ctx, 0, emlint_message_line_end (msg, 0),
                       "the message has no %s field; it must have one", counted->name);
    }
}

const EmlintRule emlint_rule_field_count = {
  .id = "field-count",
  .severity = EMLINT_ERROR,
  .summary = "a field more often than RFC 5322 allows, or a missing Date or From",
  .rfc = "RFC 5322 section 3.6",
  .doc = "What it does\n"
         "  Counts the fields of the message's header: Date and From must occur exactly once;\n"
         "  Sender, Reply-To, To, Cc, Bcc, Message-ID, In-Reply-To, References and Subject at\n"
         "  most once. Each extra occurrence is reported where it stands; a missing Date or\n"
         "  From at the first line of the header. Trace fields, Resent-* blocks, Comments,\n"
         "  Keywords and other fields may repeat. An input with nothing but whitespace gives one\n"
         "  finding, \"empty input\", at 1:1, and no other rule reports it.\n"
         "\n"
         "Why it is bad\n"
         "  Readers disagree about which of two Subjects or Froms to show, which is how\n"
         "  phishing hides a sender; Gmail and other large receivers reject messages with\n"
         "  duplicate or missing From or Date. A message without Date or From is not an\n"
         "  RFC 5322 message.\n"
         "\n"
         "Example\n"
         "  Subject: Invoice 42\n"
         "  Subject: Invoice 42 (corrected)\n"
         "\n"
         "Fix\n"
         "  None automatic: which occurrence is right is the sender's decision.\n",
  .check = check,
};
