/* header-line-length: header lines over 78 octets that could have been folded. */
#include "rule.h"

#include "fold.h"
#include "lex.h"
#include "transit.h"

/* TRUE when the field is judged here: in outbound mail (or with received-line-length), the
 * sender's, and not cut by a relay. Asked only of a field with a long line: most fields have
 * none. */
static gboolean
judged (EmlintContext *ctx, const EmlintField *field)
{
  const EmlintMessage *msg = ctx->msg;

  /* A style SHOULD: in received mail nobody can act on it any more (the audit of list
   * archives: 97% of the messages flagged at all were flagged only for this). */
  if (!ctx->config->received_line_length && emlint_message_is_received (msg))
    return FALSE;
  return !emlint_config_is_transit_field (ctx->config, msg->data + field->start,
                                          field->name_end - field->start)
         && emlint_field_origin (msg, field) == EMLINT_ORIGIN_SENDER
         && !emlint_field_is_cut (msg, field); /* header-line-cut's */
}

static void
check_field (EmlintContext *ctx, const EmlintField *field)
{
  const EmlintMessage *msg = ctx->msg;

  for (guint i = 0; i < field->n_lines; i++)
    {
      guint line = field->line + i;
      gsize start = emlint_message_line_start (msg, line);
      gsize end = emlint_message_line_end (msg, line);
      gsize body = i == 0 ? field->value_start : start;
      EmlintDiagnostic *diag;

      if (end - start <= EMLINT_FOLD_WIDTH || !emlint_fold_point_within (msg, body, start, end))
        continue;
      if (!judged (ctx, field))
        return;
      diag = emlint_report (ctx, start + EMLINT_FOLD_WIDTH, end,
                            "header line is %" G_GSIZE_FORMAT " octets long; fold it at "
                            "whitespace to keep lines within %d",
                            end - start, EMLINT_FOLD_WIDTH);
      emlint_fold_field_fix (ctx, diag, field);
      return; /* one finding per field */
    }
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  /* Each field once: a part header that runs into the next part lists its fields twice. */
  g_autoptr (GArray) fields = emlint_fields_once (msg);

  for (guint i = 0; i < fields->len; i++)
    {
      check_field (ctx, g_array_index (fields, EmlintFieldRef, i).field);
    }
}

const EmlintRule emlint_rule_header_line_length = {
  .id = "header-line-length",
  .severity = EMLINT_WARNING,
  .fixable = EMLINT_FIXABLE_YES,
  .summary = "a header line longer than 78 octets that has a fold point",
  .rfc = "RFC 5322 section 2.1.1, 2.2.3",
  .doc =
    "What it does\n"
    "  Reports a header line longer than 78 octets when it could have been folded within\n"
    "  78: it holds whitespace, at octet 78 or before, that follows a non-whitespace octet\n"
    "  of the field body (the gap right after the colon does not count). One long word or\n"
    "  one long msg-id has no such fold point and is not reported. Trace and signature\n"
    "  fields added in transit (Received, Return-Path, Authentication-Results, ARC-*,\n"
    "  DKIM-Signature, X-Received) are left alone; the config key transit-fields changes\n"
    "  the list. Received mail (a message with Received or Return-Path fields) is left\n"
    "  alone: the sender's line lengths no longer matter once the mail has arrived, and\n"
    "  nobody who audits it can change them. With received-line-length = true only what\n"
    "  the originator wrote is judged there: not the fields above the originator's part\n"
    "  of the header (RFC 5321 4.4: relays prepend theirs), nor the fields of list servers\n"
    "  (List-*, X-Mailman-*, X-BeenThere, Mailing-List, X-Mailing-List...) and spam\n"
    "  filters (X-Spam-*, X-Spamd-*, X-Rspamd-*...). Outbound mail is judged in full.\n"
    "  A field that a relay cut at the length limit is header-line-cut's. One finding\n"
    "  per field, at column 79 of its first such line.\n"
    "\n"
    "Why it is bad\n"
    "  RFC 5322 says lines SHOULD be no more than 78 octets. Mail software folds or\n"
    "  truncates longer lines for display and storage, and some receivers score them.\n"
    "\n"
    "Example\n"
    "  Subject: Your order 12345 has shipped and will arrive at the address you gave us on Monday\n"
    "\n"
    "Fix\n"
    "  Refolds the field at whitespace (a line break inserted before a space or tab), never\n"
    "  inside a token, so that each line fits 78 octets where a fold point allows. Only\n"
    "  whitespace changes, which relaxed DKIM header canonicalisation ignores.\n",
  .check = check,
};
