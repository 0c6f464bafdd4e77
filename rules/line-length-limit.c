/* line-length-limit: physical lines over 998 octets. */
#include "rule.h"

#define LIMIT 998

typedef struct {
  guint line, n_lines;
} FieldLines;

/* The physical lines of every header field, in order (headers come in document order). */
static GArray *
field_lines (const EmlintMessage *msg)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (FieldLines));

  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      for (guint i = 0; i < header->fields->len; i++)
        {
          const EmlintField *f = emlint_header_field (header, i);
          FieldLines span = { f->line, f->n_lines };
          g_array_append_val (spans, span);
        }
    }
  return spans;
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  g_autoptr (GArray) spans = NULL;
  guint n = emlint_message_n_lines (msg), s = 0, reported_span = G_MAXUINT;

  if (msg->longest_line <= LIMIT)
    return; /* the common case, known from the line index */
  spans = field_lines (msg);
  for (guint line = 0; line < n; line++)
    {
      gsize start = emlint_message_line_start (msg, line);
      gsize end = emlint_message_line_end (msg, line);
      gboolean in_field;

      if (end - start <= LIMIT)
        continue;
      while (s < spans->len
             && g_array_index (spans, FieldLines, s).line
                    + g_array_index (spans, FieldLines, s).n_lines
                  <= line)
        s++;
      in_field = s < spans->len && g_array_index (spans, FieldLines, s).line <= line;
      /* One finding per header field; every long body line is its own. */
      if (in_field && reported_span == s)
        continue;
      if (in_field)
        reported_span = s;
      emlint_report (ctx, start + LIMIT, end,
                     "line is %" G_GSIZE_FORMAT " octets long; no line may exceed %d", end - start,
                     LIMIT);
    }
}

const EmlintRule emlint_rule_line_length_limit = {
  .id = "line-length-limit",
  .severity = EMLINT_ERROR,
  .summary = "a line longer than 998 octets",
  .rfc = "RFC 5322 section 2.1.1; RFC 5321 section 4.5.3.1.6",
  .doc = "What it does\n"
         "  Reports every physical line, header or body, longer than 998 octets, not counting\n"
         "  its line ending. A header field is reported once, at its first long line; every long\n"
         "  body line is reported. The finding points at column 999.\n"
         "\n"
         "Why it is bad\n"
         "  RFC 5322 forbids lines over 998 octets and RFC 5321 lets servers refuse them. Large\n"
         "  receivers reject such mail or break the line at an arbitrary octet, which corrupts\n"
         "  headers, breaks DKIM signatures and splits multibyte characters.\n"
         "\n"
         "Example\n"
         "  A Subject or To field written on one 1,200-octet line; an HTML body part sent\n"
         "  with Content-Transfer-Encoding: 8bit and no line breaks.\n"
         "\n"
         "Fix\n"
         "  None automatic. Fold header fields at whitespace (header-line-length fixes those\n"
         "  it can); encode bodies with quoted-printable or base64, which keep lines short.\n",
  .check = check,
};
