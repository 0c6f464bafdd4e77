/* header-syntax: lines of a header section that are not fields, obsolete field syntax, and a
 * body that starts without the blank line. */
#include "rule.h"

#include "lex.h"
#include "transit.h"

#include <string.h>

/* Why the line [ls, le), which is no field, is none: a new string. */
static char *
why_not_a_field (const EmlintMessage *msg, gsize ls, gsize le)
{
  const char *line = msg->data + ls;
  const char *colon = memchr (line, ':', le - ls);
  gsize n;

  if (EMLINT_IS_WSP (line[0]))
    return g_strdup ("a continuation line (it starts with white space) belongs to no field");
  if (colon == NULL)
    return g_strdup ("a line without a colon stands among the header fields; readers drop it");
  if (colon == line)
    return g_strdup ("a field with an empty name (the line starts with a colon)");
  n = (gsize) (colon - line);
  for (gsize i = 0; i < n; i++)
    {
      guchar c = (guchar) line[i];
      if (EMLINT_IS_WSP (c))
        {
          while (i < n && EMLINT_IS_WSP (line[i]))
            i++;
          if (i < n)
            return g_strdup_printf ("the field name '%.*s' holds white space; a name is "
                                    "printable US-ASCII without spaces (RFC 5322 3.6.8)",
                                    (int) MIN (n, 40), line);
        }
      else if (c < 33 || c > 126)
        return g_strdup_printf ("the field name holds the octet 0x%02X; a name is printable "
                                "US-ASCII (octets 33-126, RFC 5322 3.6.8)",
                                c);
    }
  return g_strdup ("a line that is no header field"); /* not reached: it would be a field */
}

typedef struct {
  gsize ls;
  gboolean orphan; /* a continuation line of a line that is no field */
} Junk;

static void
check_header (EmlintContext *ctx, const EmlintHeader *header, gsize start)
{
  const EmlintMessage *msg = ctx->msg;
  g_autoptr (GArray) junk = g_array_new (FALSE, FALSE, sizeof (Junk));
  const EmlintField *reported = NULL;
  gsize last_field_start = 0;
  gboolean any_field = FALSE;
  EmlintHeaderLines lines;
  EmlintHeaderLine line;

  emlint_header_lines_init (&lines, msg, header, start);
  while (emlint_header_lines_next (&lines, &line))
    {
      const EmlintField *f = line.field;

      if (f != NULL && line.first)
        {
          any_field = TRUE;
          last_field_start = line.start;
          if (EMLINT_IS_WSP (msg->data[f->name_end])
              && emlint_field_origin (msg, f) != EMLINT_ORIGIN_SPAM_FILTER)
            {
              g_autofree char *name = emlint_field_dup_name (msg, f);
              emlint_report_at (ctx, EMLINT_WARNING, f->start, f->value_end,
                                "white space between the field name %s and its colon is "
                                "obsolete syntax (RFC 5322 4.5); write '%s:'",
                                name, name);
              reported = f;
            }
          continue;
        }
      if (f != NULL)
        {
          /* A continuation line of the field. */
          gsize p = line.start;
          while (p < line.end && EMLINT_IS_WSP (msg->data[p]))
            p++;
          if (p == line.end && reported != f
              && emlint_field_origin (msg, f) != EMLINT_ORIGIN_SPAM_FILTER)
            {
              g_autofree char *name = emlint_field_dup_name (msg, f);
              emlint_report_at (ctx, EMLINT_WARNING, f->start, f->value_end,
                                "%s has a continuation line of only white space, obsolete "
                                "syntax (RFC 5322 4.2) that some readers take for the end of "
                                "the header",
                                name);
              reported = f;
            }
          continue;
        }
      {
        Junk j = { line.start, EMLINT_IS_WSP (msg->data[line.start]) && junk->len > 0 };
        g_array_append_val (junk, j);
      }
    }

  if (junk->len == 0)
    return;
  if (!any_field)
    {
      /* A message that starts with text is no mail at all (field-count says so); a MIME part
       * whose first line is text has no blank line before its content. */
      if (header->kind == EMLINT_HEADER_PART)
        {
          gsize ls = g_array_index (junk, Junk, 0).ls;
          emlint_report (ctx, ls, emlint_message_line_end (msg, emlint_message_line_of (msg, ls)),
                         "this MIME part has no blank line between its (empty) header and its "
                         "content; readers take the first lines of the content for header "
                         "fields (RFC 2046 5.1.1)");
        }
      return;
    }
  for (guint i = 0; i < junk->len; i++)
    {
      const Junk *j = &g_array_index (junk, Junk, i);
      gsize le = emlint_message_line_end (msg, emlint_message_line_of (msg, j->ls));
      g_autofree char *why = NULL;

      if (j->orphan)
        continue;
      if (j->ls > last_field_start)
        {
          /* No field follows: the body starts here, without the blank line. */
          emlint_report (ctx, j->ls, le,
                         "%s has no blank line before its body: this line is not a header "
                         "field, and readers disagree whether it starts the body or is "
                         "dropped as a broken field (RFC 5322 2.1)",
                         header->kind == EMLINT_HEADER_TOP ? "the header" : "this MIME part");
          return;
        }
      why = why_not_a_field (msg, j->ls, le);
      emlint_report (ctx, j->ls, le, "%s", why);
    }
}

static void
check (EmlintContext *ctx)
{
  EmlintHeaderCursor cursor = { 0 };
  const EmlintHeader *header;
  gsize start;

  while ((header = emlint_next_header (ctx->msg, &cursor, &start)) != NULL)
    check_header (ctx, header, start);
}

const EmlintRule emlint_rule_header_syntax = {
  .id = "header-syntax",
  .severity = EMLINT_ERROR,
  .summary =
    "a header line that is no field, obsolete field syntax, or no blank line before the body",
  .rfc = "RFC 5322 sections 2.1, 2.2, 3.6.8 and 4.5; RFC 2046 section 5.1.1",
  .doc = "What it does\n"
         "  Reads each header section (the message's and each MIME part's) line by line and\n"
         "  reports, as errors: a line that is neither a field nor a continuation (no colon, a\n"
         "  field name with a space, a control octet or an 8-bit octet, an empty name), a\n"
         "  continuation line before the first field, and a body that starts without the blank\n"
         "  line (reported once, at the first such line). As warnings, the obsolete forms of\n"
         "  RFC 5322 4.5 and 4.2 that readers must still accept: white space between a field\n"
         "  name and its colon, and a continuation line of only white space (one finding per\n"
         "  field, at its first line). A file without any header field is not mail at all and\n"
         "  is left to field-count.\n"
         "\n"
         "Why it is bad\n"
         "  A line that is not a field makes parsers part ways: GMime drops it and reads on,\n"
         "  Python's email package ends the header there and reads everything after it as\n"
         "  body, so fields after it exist for some readers and not for others. Without\n"
         "  the blank line the first line of the body becomes a header line. A continuation\n"
         "  line of only white space looks like the blank line that ends the header to many\n"
         "  tools, and a space before the colon is rejected by strict parsers.\n"
         "\n"
         "Example\n"
         "  From: a@example.org\n"
         "  Subject : hello          (space before the colon: obsolete)\n"
         "  X Mailer: foo            (a space in the name: not a field)\n"
         "  Dear Bob,                (the body, without a blank line before it)\n"
         "\n"
         "Fix\n"
         "  None automatic: which lines were meant as fields and where the body starts is the\n"
         "  sender's knowledge.\n",
  .check = check,
};
