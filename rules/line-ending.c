/* line-ending: bare CR, LF mixed with CRLF, and NUL octets. */
#include "rule.h"

#include "lex.h"
#include "signature.h"

#include <string.h>

/* What one stretch of the message (a header section, or the bodies) holds. */
typedef struct {
  guint minority; /* lines ending in the other line ending than the message's */
  guint bare_cr;
  guint nul;
  gsize first; /* offset of the first defect; G_MAXSIZE when none */
} Tally;

#define NO_DEFECT G_MAXSIZE

static void
note (Tally *t, gsize at)
{
  if (at < t->first)
    t->first = at;
}

/* The offset of the line ending of the line that ends just before @next (the start of the
 * next line, or the end of the message): the LF or the CR of its CR LF; G_MAXSIZE when that
 * line has no line ending (the last line of a file without a final newline). */
static inline gsize
ending_before (const char *d, gsize next)
{
  if (next == 0 || d[next - 1] != '\n')
    return G_MAXSIZE;
  return next >= 2 && d[next - 2] == '\r' ? next - 2 : next - 1;
}

/* Tallies [start, end) of @msg (both line starts); @crlf: the message's line ending is CRLF.
 * When @edits is not NULL, appends the offsets of the line-ending octets to rewrite: the LF to
 * widen into CRLF, or the CR to drop. memchr does the scanning: this rule reads every octet of
 * every message. */
static void
tally (const EmlintMessage *msg, gsize start, gsize end, gboolean crlf, Tally *t, GArray *edits)
{
  const char *d = msg->data, *hit;
  const gsize *starts = (const gsize *) (gpointer) msg->line_starts->data;
  guint n_lines = emlint_message_n_lines (msg);

  if (start >= end)
    return;
  for (const char *p = d + start; (hit = memchr (p, '\0', end - (gsize) (p - d))) != NULL;
       p = hit + 1)
    {
      t->nul++;
      note (t, (gsize) (hit - d));
    }
  for (const char *p = d + start; (hit = memchr (p, '\r', end - (gsize) (p - d))) != NULL;
       p = hit + 1)
    if ((gsize) (hit - d) + 1 >= msg->len || hit[1] != '\n')
      {
        t->bare_cr++;
        note (t, (gsize) (hit - d));
      }
  for (guint line = emlint_message_line_of (msg, start); line < n_lines && starts[line] < end;
       line++)
    {
      gsize at = ending_before (d, starts[line + 1]);

      if (at == G_MAXSIZE || (d[at] == '\r') == crlf)
        continue;
      /* CRLF wanted: the LF to widen; LF wanted: the CR to drop. */
      t->minority++;
      note (t, at);
      if (edits != NULL)
        g_array_append_val (edits, at);
    }
}

static char *
describe (const Tally *t, gboolean crlf, const char *where)
{
  GString *out = g_string_new (NULL);

  if (t->minority > 0)
    g_string_append_printf (out, "%u line%s of %s end%s in %s where the message uses %s",
                            t->minority, t->minority == 1 ? "" : "s", where,
                            t->minority == 1 ? "s" : "", crlf ? "a bare LF" : "CRLF",
                            crlf ? "CRLF" : "LF");
  if (t->bare_cr > 0)
    g_string_append_printf (out, "%s%s holds %u bare CR%s (a CR not followed by LF)",
                            out->len ? "; " : "", where, t->bare_cr, t->bare_cr == 1 ? "" : "s");
  if (t->nul > 0)
    g_string_append_printf (out, "%s%s holds %u NUL octet%s", out->len ? "; " : "", where, t->nul,
                            t->nul == 1 ? "" : "s");
  return g_string_free (out, FALSE);
}

/* The field of @header holding @offset, or NULL. A binary search: the fields are in order, and
 * a header of many mixed lines asks once per line. */
static const EmlintField *
field_at (const EmlintHeader *header, gsize offset)
{
  guint lo = 0, hi = header->fields->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const EmlintField *f = emlint_header_field (header, mid);

      if (offset < f->start)
        hi = mid;
      else if (offset >= f->end)
        lo = mid + 1;
      else
        return f;
    }
  return NULL;
}

static void
check_header (EmlintContext *ctx, const EmlintHeader *header, gsize start, gboolean crlf)
{
  const EmlintMessage *msg = ctx->msg;
  Tally t = { 0, 0, 0, NO_DEFECT };
  g_autoptr (GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree char *what = NULL;
  EmlintDiagnostic *diag;
  const EmlintField *last = NULL;

  tally (msg, start, header->body_start, crlf, &t, ends);
  if (t.first == NO_DEFECT)
    return;
  what = describe (&t, crlf,
                   header->kind == EMLINT_HEADER_TOP ? "the header" : "this MIME part's header");
  diag = emlint_report_at (ctx, t.bare_cr + t.nul > 0 ? EMLINT_ERROR : EMLINT_WARNING, t.first,
                           t.first + 1, "%s", what);
  /* A bare CR or a NUL has no safe repair (either could be text or a broken line break);
   * the line endings alone are rewritten only when they are the whole defect. */
  if (t.bare_cr + t.nul > 0)
    return;
  for (guint i = 0; i < ends->len; i++)
    {
      gsize at = g_array_index (ends, gsize, i);
      const EmlintField *f = field_at (header, at);

      emlint_diagnostic_add_edit (diag, at, at + 1, crlf ? "\r\n" : "");
      if (f != NULL && f != last)
        emlint_signature_guard (ctx, diag, f, TRUE);
      last = f;
    }
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  guint n_lines = emlint_message_n_lines (msg), crlf_lines = 0, lf_lines = 0;
  gboolean crlf;
  gsize covered = 0, pos = 0;
  Tally body = { 0, 0, 0, NO_DEFECT };

  for (guint line = 0; line < n_lines; line++)
    {
      gsize at = ending_before (msg->data, g_array_index (msg->line_starts, gsize, line + 1));
      if (at != G_MAXSIZE)
        {
          if (msg->data[at] == '\r')
            crlf_lines++;
          else
            lf_lines++;
        }
    }
  /* The message's line ending is the one most of its lines use; CRLF on a tie. */
  crlf = crlf_lines >= lf_lines;

  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      gsize start = MAX (header->start, covered);

      if (header->body_start <= covered)
        continue;
      /* Between two headers: a body, a preamble, delimiter lines. */
      tally (msg, pos, start, crlf, &body, NULL);
      check_header (ctx, header, start, crlf);
      covered = pos = header->body_start;
    }
  tally (msg, pos, msg->len, crlf, &body, NULL);
  if (body.first != NO_DEFECT)
    {
      g_autofree char *what = describe (&body, crlf, "the body");
      emlint_report_at (ctx, body.bare_cr + body.nul > 0 ? EMLINT_ERROR : EMLINT_WARNING,
                        body.first, body.first + 1,
                        "%s; not fixed: only header sections are "
                        "rewritten",
                        what);
    }
}

const EmlintRule emlint_rule_line_ending = {
  .id = "line-ending",
  .severity = EMLINT_WARNING,
  .fixable = EMLINT_FIXABLE_YES,
  .summary = "bare CR, LF mixed with CRLF, or NUL octets",
  .rfc = "RFC 5322 sections 2.1, 2.2 and 2.3; RFC 5321 section 2.3.8",
  .doc = "What it does\n"
         "  Finds the message's line ending (CRLF or LF, whichever most of its lines use; CRLF\n"
         "  on a tie) and reports, once per header section (the message's and each MIME\n"
         "  part's) and once for everything else (the bodies), the lines that end the other\n"
         "  way, CR octets not followed by LF, and NUL octets. The finding points at the first\n"
         "  of them. Mixed line endings alone are a warning; a bare CR or a NUL is an error.\n"
         "  A message that uses LF throughout (a Unix mbox or Maildir) is fine: the transport\n"
         "  turns every LF into CRLF.\n"
         "\n"
         "Why it is bad\n"
         "  CR and LF may only occur together as CRLF (RFC 5322 2.3, RFC 5321 2.3.8), and\n"
         "  NUL never. A message with both is converted inconsistently: some lines end up as\n"
         "  CR CR LF, and since the \"SMTP smuggling\" fixes of 2023-24 servers may reject bare\n"
         "  LF and bare CR outright. Parsers also disagree on where a header field or the header\n"
         "  section ends when a bare CR stands in it, which attackers use to hide fields.\n"
         "\n"
         "Example\n"
         "  From: a@example.org<CR><LF>\n"
         "  X-Added-By-Filter: yes<LF>          (one LF-only line in a CRLF message)\n"
         "  Subject: hi<CR>Bcc: c@example.org<CR><LF>   (a bare CR)\n"
         "\n"
         "Fix\n"
         "  In a header section whose only defect is mixed line endings, rewrites each line\n"
         "  ending to the message's own. Nothing else changes, and DKIM canonicalises line\n"
         "  endings to CRLF before signing. Bare CRs, NUL octets and the bodies are left alone:\n"
         "  a bare CR may be a broken line break or part of the text, and only the sender knows.\n",
  .check = check,
};
