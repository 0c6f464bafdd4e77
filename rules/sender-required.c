/* sender-required: a From (or Resent-From) with several mailboxes and no Sender. */
#include "rule.h"

#include "lex.h"

/* The number of mailboxes in the address list @s: the elements between commas (and the ':'
 * and ';' of a group) that hold an '@' outside quoted-strings and comments. Quoted-strings,
 * comments and angle brackets are skipped whole, so their commas separate nothing. */
static guint
count_mailboxes (const char *s, gsize len)
{
  guint n = 0;
  gboolean at = FALSE;

  for (gsize p = 0; p < len; p++)
    {
      char c = s[p];

      if (c == '"')
        p = MIN (emlint_quoted_string_end (s, len, p), len) - 1; /* not closed: to the end */
      else if (c == '(')
        p = MIN (emlint_comment_end (s, len, p), len) - 1;
      else if (c == '<')
        {
          for (; p < len && s[p] != '>'; p++)
            at |= s[p] == '@';
        }
      else if (c == '@')
        at = TRUE;
      else if (c == ',' || c == ':' || c == ';')
        {
          n += at;
          at = FALSE;
        }
    }
  return n + at;
}

/* TRUE when a field named @name stands in the run of Resent-* fields around field @i. */
static gboolean
in_resent_block (const EmlintMessage *msg, const EmlintHeader *top, guint i, const char *name)
{
  for (guint k = i; k < top->fields->len; k++)
    {
      const EmlintField *f = emlint_header_field (top, k);
      if (!emlint_field_has_prefix (msg, f, "Resent-"))
        break;
      if (emlint_field_is (msg, f, name))
        return TRUE;
    }
  for (guint k = i; k-- > 0;)
    {
      const EmlintField *f = emlint_header_field (top, k);
      if (!emlint_field_has_prefix (msg, f, "Resent-"))
        break;
      if (emlint_field_is (msg, f, name))
        return TRUE;
    }
  return FALSE;
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);
  gboolean has_sender = emlint_header_find (msg, top, "Sender") != NULL;

  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *f = emlint_header_field (top, i);
      gboolean resent = emlint_field_is (msg, f, "Resent-From");
      g_autofree char *value = NULL;
      gsize len;
      guint n;

      if (!resent && !emlint_field_is (msg, f, "From"))
        continue;
      if (resent ? in_resent_block (msg, top, i, "Resent-Sender") : has_sender)
        continue;
      value = emlint_field_unfold (msg, f, &len);
      if ((n = count_mailboxes (value, len)) < 2)
        continue;
      if (resent)
        emlint_report_field (ctx, f,
                             "Resent-From names %u mailboxes but its resent block has "
                             "no Resent-Sender; RFC 5322 3.6.6 requires one",
                             n);
      else
        emlint_report_field (ctx, f,
                             "From names %u mailboxes but the message has no Sender; "
                             "RFC 5322 3.6.2 requires one naming the mailbox that sent it",
                             n);
    }
}

const EmlintRule emlint_rule_sender_required = {
  .id = "sender-required",
  .severity = EMLINT_ERROR,
  .summary = "From with several mailboxes and no Sender",
  .rfc = "RFC 5322 sections 3.6.2 and 3.6.6",
  .doc = "What it does\n"
         "  Counts the mailboxes of the message's From field (the elements of the list that\n"
         "  hold an address; a group's members count one by one) and reports a From with two\n"
         "  or more when the header has no Sender field. The same for a Resent-From with two\n"
         "  or more mailboxes whose block of Resent-* fields has no Resent-Sender.\n"
         "\n"
         "Why it is bad\n"
         "  RFC 5322 3.6.2: when From names several authors, Sender MUST name the one mailbox\n"
         "  that actually sent the message. DMARC evaluates a single author domain, many\n"
         "  receivers treat a From with several addresses as suspect, and without Sender\n"
         "  nothing says which author is responsible for the transmission.\n"
         "\n"
         "Example\n"
         "  From: Ada <ada@example.org>, Bob <bob@example.org>\n"
         "  (and no Sender: field)\n"
         "\n"
         "Fix\n"
         "  None automatic: add Sender: with the mailbox that sends, e.g.\n"
         "  Sender: Ada <ada@example.org>\n",
  .check = check,
};
