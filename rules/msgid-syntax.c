/* msgid-syntax: msg-id fields that are not RFC 5322 msg-id syntax. */
#include "rule.h"

#include "lex.h"
#include "msgid.h"

static void
check (EmlintContext *ctx)
{
  EmlintMsgidIter it = EMLINT_MSGID_ITER (ctx->msg);
  const EmlintMsgidField *mf;

  while ((mf = emlint_msgid_next (&it)) != NULL)
    {
      /* msgid-encoded-word reports an encoded field whose decoded value is no msg-id, and
       * encoded-words inside the brackets. */
      if (mf->error != NULL && !mf->encoded && mf->bracketed == NULL
          && !emlint_field_is_cut (ctx->msg, mf->field)) /* header-line-cut's */
        emlint_report_field (ctx, mf->field, "%s is not a valid msg-id field: %s", mf->name,
                             mf->error);
    }
}

const EmlintRule emlint_rule_msgid_syntax = {
  .id = "msgid-syntax",
  .severity = EMLINT_ERROR,
  .summary = "a msg-id field that is not msg-id syntax",
  .rfc = "RFC 5322 sections 3.6.4, 4.5.4; RFC 2045 section 7",
  .doc =
    "What it does\n"
    "  Reports a Message-ID, In-Reply-To, References, Resent-Message-ID,\n"
    "  Original-Message-ID or Content-ID whose value is not msg-id syntax:\n"
    "  \"<\" id-left \"@\" id-right \">\", where id-left is a dot-atom and id-right a dot-atom or\n"
    "  a [literal]; and a Message-ID, Resent-Message-ID, Original-Message-ID or Content-ID\n"
    "  that holds more than one id. The obsolete forms of RFC 5322 section 4.5.4 are\n"
    "  accepted: comments, whitespace around the parts, quoted id-lefts, and phrases\n"
    "  between the ids of In-Reply-To and References; an empty In-Reply-To or References\n"
    "  is msgid-obsolete's. A field reported by msgid-encoded-word is judged by its\n"
    "  decoded value, and brackets that hold an encoded-word instead of an id are\n"
    "  msgid-encoded-word's; a field that a relay cut inside an id is header-line-cut's.\n"
    "\n"
    "Why it is bad\n"
    "  Threading, duplicate suppression and cid: references all match msg-ids as exact\n"
    "  strings; a reader that cannot parse the id drops it or mangles it, so replies lose\n"
    "  their thread and inline images their part. Strict receivers reject the message.\n"
    "\n"
    "Example\n"
    "  Message-ID: 1234567890.JavaMail.app@host            (no angle brackets)\n"
    "  Message-ID: <20231002100000.12345@>                 (empty id-right)\n"
    "  Content-ID: image001.png                            (not a msg-id)\n"
    "\n"
    "Fix\n"
    "  None automatic: the generator must write \"<unique@domain>\".\n",
  .check = check,
};
