/* header-line-cut: a header line that a relay cut at the SMTP line-length limit, inside a word. */
#include "rule.h"

#include "lex.h"
#include "transit.h"

#define CONTEXT 24 /* octets of the cut word shown on each side */

static void
check_field (EmlintContext *ctx, const EmlintField *field)
{
  const EmlintMessage *msg = ctx->msg;

  for (guint i = 0; i + 1 < field->n_lines; i++)
    {
      gsize cut, start, resume, end;
      g_autofree char *name = NULL;

      if (!emlint_field_line_cut (msg, field, i))
        continue;
      /* The word around the cut: back to white space on the long line, on to white space
       * after the inserted one. */
      cut = emlint_message_line_end (msg, field->line + i);
      resume = emlint_message_line_start (msg, field->line + i + 1) + 1;
      for (start = cut; start > field->value_start && !EMLINT_IS_FWS (msg->data[start - 1]);
           start--)
        ;
      for (end = resume; end < field->value_end && !EMLINT_IS_FWS (msg->data[end]); end++)
        ;
      name = emlint_field_dup_name (msg, field);
      emlint_report (ctx, start, end,
                     "%s: this line is exactly %" G_GSIZE_FORMAT " octets and breaks inside "
                     "the word '%s%.*s' / '%.*s%s': a relay cut it at the SMTP line-length "
                     "limit and folded it there, so readers see a space inside the word; the "
                     "message was damaged in transit (RFC 5321 4.5.3.1.6)",
                     name, cut - emlint_message_line_start (msg, field->line + i),
                     cut - start > CONTEXT ? "..." : "", (int) MIN (cut - start, CONTEXT),
                     msg->data + cut - MIN (cut - start, CONTEXT),
                     (int) MIN (end - resume, CONTEXT), msg->data + resume,
                     end - resume > CONTEXT ? "..." : "");
      return; /* one finding per field */
    }
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  g_autoptr (GArray) fields = NULL;

  if (msg->longest_line < 990)
    return; /* the common case, known from the line index */
  fields = emlint_fields_once (msg);
  for (guint i = 0; i < fields->len; i++)
    {
      const EmlintField *field = g_array_index (fields, EmlintFieldRef, i).field;

      /* A relay's own trace and signature fields: what a reader sees is not in them. */
      if (emlint_field_origin (msg, field) != EMLINT_ORIGIN_TRANSIT)
        check_field (ctx, field);
    }
}

const EmlintRule emlint_rule_header_line_cut = {
  .id = "header-line-cut",
  .severity = EMLINT_ERROR,
  .summary = "a header line cut by a relay at the SMTP length limit, inside a word",
  .rfc = "RFC 5321 section 4.5.3.1.6; RFC 5322 sections 2.1.1, 2.2.3",
  .doc = "What it does\n"
         "  Reports a header line of exactly 998 octets (990 for older Postfix and sendmail)\n"
         "  that ends inside a word, when the next line continues that word after a single\n"
         "  space: the sender wrote a line over the 998-octet limit, and a relay (Postfix's\n"
         "  smtp_line_length_limit) cut it there by inserting a line break and a space. One\n"
         "  finding per field, at the cut word, with the range covering both of its halves.\n"
         "  Trace and signature fields prepended in transit are left alone. The cut line\n"
         "  itself is not also reported by header-line-length.\n"
         "\n"
         "Why it is bad\n"
         "  Unfolding turns the inserted break into a space inside the word: an address\n"
         "  ...cros-qcom-dts-wat / chers@chromium.org becomes the wrong address\n"
         "  \"cros-qcom-dts-wat chers\"@chromium.org, an id in References stops matching, a\n"
         "  Subject shows a stray space. The mail was damaged in transit, and the damage\n"
         "  stays: relays, archives and replies copy the broken field.\n"
         "\n"
         "Example\n"
         "  Cc: ..., cros-qcom-dts-wat          (the line ends at octet 998)\n"
         "   chers@chromium.org, ...\n"
         "\n"
         "Fix\n"
         "  None automatic: joining the halves gives back a line over 998 octets. The sender\n"
         "  must fold long fields at white space (header-line-length's fix does).\n",
  .check = check,
};
