/* address-syntax: address fields that are not RFC 5322 address syntax. */
#include "rule.h"

#include "lex.h"

#include <string.h>

/* The fields checked: RFC 5322's address fields (3.6.2, 3.6.3, 3.6.6). A MAILBOX field takes one
 * address; a MAY_BE_EMPTY one (Bcc) may hold none. */
#define CHECKED (EMLINT_FIELD_ADDRESS | EMLINT_FIELD_RFC5322)

/* TRUE when what is odd in the value is not this rule's: a template placeholder (with
 * profile = template the common syntaxes are placeholders by default), a NUL or a bare CR
 * (line-ending's), a line cut by a relay (header-line-cut's). */
static gboolean
owned_elsewhere (const EmlintMessage *msg, const EmlintField *field)
{
  const char *v = msg->data + field->value_start;
  gsize len = field->value_end - field->value_start;

  for (gsize i = 0; i < len; i++)
    if (v[i] == '\0' || (v[i] == '\r' && (i + 1 >= len || v[i + 1] != '\n'))
        || emlint_placeholder_at (msg, v + i, len - i) > 0)
      return TRUE;
  return emlint_field_is_cut (msg, field);
}

static void
check_field (EmlintContext *ctx, const EmlintField *field, EmlintFieldClass classes)
{
  const EmlintMessage *msg = ctx->msg;
  EmlintAddressProblem problem;
  guint n;
  g_autofree char *name = emlint_field_dup_name (msg, field);

  if (!emlint_address_list_parse (msg->data, field->value_start, field->value_end, &n, &problem))
    emlint_report_at (ctx, EMLINT_ERROR, problem.start, problem.end,
                      "%s is not an RFC 5322 address list: %s", name, problem.why);
  else if (n == 0 && !(classes & EMLINT_FIELD_MAY_BE_EMPTY))
    /* No From or Sender is an error; an empty To or Cc is harmless to a receiver. */
    emlint_report_at (ctx,
                      (classes & EMLINT_FIELD_MAILBOX) || emlint_field_is (msg, field, "From")
                          || emlint_field_is (msg, field, "Resent-From")
                        ? EMLINT_ERROR
                        : EMLINT_WARNING,
                      field->start, field->value_end,
                      "%s is empty: it needs one address at least (RFC 5322 "
                      "3.6.2, 3.6.3); leave the field out, or write a group such as "
                      "'undisclosed-recipients:;'",
                      name);
  else if (n > 1 && (classes & EMLINT_FIELD_MAILBOX))
    emlint_report_field (ctx, field,
                         "%s holds %u addresses; it takes one, the mailbox of "
                         "the agent that sent the message (RFC 5322 3.6.2)",
                         name, n);
  else if (problem.why != NULL)
    emlint_report_at (ctx, EMLINT_WARNING, problem.start, problem.end,
                      "%s uses an obsolete form of RFC 5322 4.4: %s", name, problem.why);
  g_free (problem.why);
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);

  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *field = emlint_header_field (top, i);
      EmlintFieldClass classes = emlint_field_lookup (msg, field, NULL);

      if ((classes & CHECKED) == CHECKED && !owned_elsewhere (msg, field))
        check_field (ctx, field, classes);
    }
}

const EmlintRule emlint_rule_address_syntax = {
  .id = "address-syntax",
  .severity = EMLINT_ERROR,
  .summary = "an address field that is not RFC 5322 address syntax",
  .rfc = "RFC 5322 sections 3.4, 3.6.2, 3.6.3, 3.6.6 and 4.4; RFC 6854",
  .doc = "What it does\n"
         "  Parses From, Sender, Reply-To, To, Cc, Bcc and their Resent- forms as RFC 5322\n"
         "  address lists (section 3.4): mailboxes (addr-spec, or a display name and <addr-spec>)\n"
         "  and groups (\"undisclosed-recipients:;\" is valid; RFC 6854 allows groups in From\n"
         "  and Sender too). Errors: an address without '@domain', words that are no address,\n"
         "  two addresses without a comma, a '<' never closed, a local part of two words with a\n"
         "  space between them, an empty local part or domain, an unclosed quoted-string or\n"
         "  comment, a group without a name or never closed, a Sender with several addresses.\n"
         "  Warnings: the obsolete forms of section 4.4 that readers still accept (empty list\n"
         "  elements and a trailing comma, an unquoted '.' in a display name, a source route,\n"
         "  white space around the dots of an address), and an empty To, Cc or Reply-To (Bcc\n"
         "  may be empty). The finding points at the address. Display names may be quoted,\n"
         "  RFC 2047 encoded or raw UTF-8: 8-bit octets are header-8bit's, encoded-words in an\n"
         "  address encoded-word-placement's, and a field that a relay cut is header-line-cut's.\n"
         "  A field holding a template placeholder is left alone (profile = template).\n"
         "\n"
         "Why it is bad\n"
         "  Readers and servers that cannot parse an address drop it, deliver to a wrong one,\n"
         "  or reject the message; list servers add \"Illegal-Object: Syntax error in Cc:\".\n"
         "  Replies go to fewer people than the sender meant.\n"
         "\n"
         "Example\n"
         "  Cc: http:\n"
         "   //lore.kernel.org/all/, ;          (a URL pasted where an address belongs)\n"
         "  To: Ada Example <ada@example.com   (the '<' is never closed)\n"
         "  Cc: ada@example.com bob@example.org (no comma)\n"
         "\n"
         "Fix\n"
         "  None automatic: which address was meant is the sender's knowledge.\n",
  .check = check,
};
