/* encoded-word-length: RFC 2047 encoded-words longer than 75 octets. */
#include "rule.h"

#include "lex.h"
#include "signature.h"

#include <string.h>

#define WORD_MAX 75    /* RFC 2047 section 2 */
#define EW_LINE_MAX 76 /* ... and a line holding encoded-words */
/* Reported from here: a word that no 78-octet line (RFC 5322 2.1.1) can hold, even alone on a
 * continuation line. Python's email package (3.11) and Outlook/Exchange write words of 76
 * octets as a matter of course, and no reader refuses them. */
#define REPORT_MIN 78

typedef enum { SPLIT_NONE, SPLIT_UTF8, SPLIT_OCTET } Split;

/* How the charset's characters can be found: UTF-8 by its lead octets, single-octet charsets
 * anywhere. Other multibyte charsets are not split (no fix). */
static Split
split_kind (const char *charset)
{
  static const char *const single[] = { "us-ascii",    "ascii", "iso-8859-", "iso8859-",
                                        "windows-125", "cp125", "koi8-",     "latin" };

  if (g_ascii_strcasecmp (charset, "utf-8") == 0 || g_ascii_strcasecmp (charset, "utf8") == 0)
    return SPLIT_UTF8;
  for (guint i = 0; i < G_N_ELEMENTS (single); i++)
    if (g_ascii_strncasecmp (charset, single[i], strlen (single[i])) == 0)
      return SPLIT_OCTET;
  return SPLIT_NONE;
}

/* One unit of encoded text and the octet it stands for. */
typedef struct {
  gsize start, end; /* in msg->data: one character of Q text, or "=XX" */
  guint8 octet;
} Unit;

/* TRUE when @octet starts a character. */
static gboolean
starts_character (Split split, guint8 octet)
{
  return split == SPLIT_OCTET || (octet & 0xC0) != 0x80;
}

static void
append_piece (GString *out, const char *eol, const char *prefix, const GString *text)
{
  if (out->len > 0)
    g_string_append_printf (out, "%s ", eol);
  g_string_append (out, prefix);
  g_string_append_len (out, text->str, (gssize) text->len);
  g_string_append (out, "?=");
}

/* The word @ew rewritten as encoded-words of at most 75 octets that hold whole characters,
 * folded with @eol: a new string, or NULL when the word cannot be split safely. @first: room
 * for the first word on its line. Q words keep their text unit by unit; B words are
 * re-encoded from their octets. */
static char *
resplit (const EmlintMessage *msg, const EmlintEncodedWord *ew, Split split, gsize first,
         const char *eol)
{
  g_autofree char *prefix = g_strndup (msg->data + ew->start, ew->text_offset);
  gsize overhead = strlen (prefix) + 2, budget = first;
  g_autoptr (GByteArray) octets = g_byte_array_new ();
  GString *out = g_string_new (NULL), *text = g_string_new (NULL);
  gboolean b = ew->encoding == 'B' || ew->encoding == 'b';
  g_autoptr (GArray) units = g_array_new (FALSE, FALSE, sizeof (Unit));
  gsize i = 0;

  if (emlint_encoded_word_decode (msg->data, ew, octets) != NULL
      || (split == SPLIT_UTF8
          && !g_utf8_validate_len ((const char *) octets->data, octets->len, NULL))
      || overhead + 12 > WORD_MAX)
    goto fail;
  if (!b)
    for (gsize p = emlint_encoded_word_text_start (ew), end = emlint_encoded_word_text_end (ew);
         p < end; p++)
      {
        Unit u = { p, p + 1, (guint8) msg->data[p] };
        if (msg->data[p] == '=')
          {
            u.end = p + 3;
            u.octet = (guint8) (g_ascii_xdigit_value (msg->data[p + 1]) * 16
                                + g_ascii_xdigit_value (msg->data[p + 2]));
            p += 2;
          }
        g_array_append_val (units, u);
      }
  while (i < octets->len)
    {
      /* The next character: its octets [i, j). */
      gsize j = i + 1, cost;
      g_autofree char *encoded = NULL;

      while (j < octets->len && !starts_character (split, octets->data[j]))
        j++;
      if (b)
        {
          /* The text so far is re-encoded whole: count what it would take with this one. */
          gsize n = (gsize) (text->len + (j - i));
          cost = 4 * ((n + 2) / 3);
        }
      else
        {
          cost = text->len;
          for (gsize k = i; k < j; k++)
            cost += g_array_index (units, Unit, k).end - g_array_index (units, Unit, k).start;
        }
      if (overhead + cost > budget && text->len > 0)
        {
          if (b)
            encoded = g_base64_encode ((const guchar *) text->str, text->len);
          append_piece (out, eol, prefix, b ? &(GString){ encoded, strlen (encoded), 0 } : text);
          g_string_truncate (text, 0);
          budget = WORD_MAX;
          continue; /* the same character again, in a new word */
        }
      if (overhead + cost > WORD_MAX)
        goto fail; /* one character that no word can hold */
      for (gsize k = i; k < j; k++)
        {
          if (b)
            g_string_append_c (text, (char) octets->data[k]);
          else
            {
              const Unit *u = &g_array_index (units, Unit, k);
              g_string_append_len (text, msg->data + u->start, (gssize) (u->end - u->start));
            }
        }
      i = j;
    }
  if (text->len > 0)
    {
      g_autofree char *encoded = b ? g_base64_encode ((const guchar *) text->str, text->len) : NULL;
      append_piece (out, eol, prefix, b ? &(GString){ encoded, strlen (encoded), 0 } : text);
    }
  g_string_free (text, TRUE);
  return g_string_free (out, FALSE);

fail:
  g_string_free (text, TRUE);
  g_string_free (out, TRUE);
  return NULL;
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  g_auto (EmlintWordFields) walk = { 0 };
  const EmlintField *field;

  while ((field = emlint_next_word_field (msg, &walk, FALSE)) != NULL)
    {
      const GArray *words = walk.words;
      EmlintDiagnostic *diag = NULL;
      g_autofree char *name = NULL;
      const char *eol;

      eol = emlint_message_eol_at (msg, field->start);

      for (guint k = 0; k < words->len; k++)
        {
          const EmlintWordHit *hit = &g_array_index (words, EmlintWordHit, k);
          gsize len = hit->ew.end - hit->ew.start, column;
          g_autofree char *charset = NULL, *text = NULL;
          Split split;

          if (len < REPORT_MIN)
            continue;
          if (diag == NULL)
            {
              name = emlint_field_dup_name (msg, field);
              diag = emlint_report (ctx, hit->ew.start, hit->ew.end,
                                    "%s holds an encoded-word of %" G_GSIZE_FORMAT
                                    " octets (%.30s...): RFC 2047 allows %d, and no "
                                    "78-octet line can hold it",
                                    name, len, msg->data + hit->ew.start, WORD_MAX);
            }
          /* The fix: split only where every reader joins the words again, that is in
           * unstructured text. In a display name (a phrase) Python's email package shows the
           * white space between two encoded-words as a space ("Suvo rov"). */
          if (hit->context != EMLINT_WORD_TEXT)
            continue;
          charset = g_strndup (msg->data + emlint_encoded_word_charset_start (&hit->ew),
                               hit->ew.charset_len);
          split = split_kind (charset);
          if (!hit->separated || split == SPLIT_NONE)
            continue;
          column = hit->ew.start
                   - emlint_message_line_start (msg, emlint_message_line_of (msg, hit->ew.start));
          text = resplit (msg, &hit->ew, split,
                          column + 30 < EW_LINE_MAX ? MIN (EW_LINE_MAX - column, WORD_MAX)
                                                    : WORD_MAX,
                          eol);
          if (text != NULL)
            emlint_diagnostic_add_edit (diag, hit->ew.start, hit->ew.end, text);
        }
      if (diag != NULL)
        emlint_signature_guard (ctx, diag, field, FALSE);
    }
}

const EmlintRule emlint_rule_encoded_word_length = {
  .id = "encoded-word-length",
  .severity = EMLINT_WARNING,
  .fixable = EMLINT_FIXABLE_YES,
  .summary = "an RFC 2047 encoded-word too long for a 78-octet line",
  .rfc = "RFC 2047 section 2",
  .doc =
    "What it does\n"
    "  Reports a header field (of the message or a MIME part) that holds an RFC 2047\n"
    "  encoded-word of 78 octets or more, delimiters included: one that no 78-octet line\n"
    "  can hold, even alone on a continuation line. One finding per field. The msg-id\n"
    "  fields are msgid-encoded-word's.\n"
    "  RFC 2047 section 2 allows 75 octets, and 76 for a line holding encoded-words. Words\n"
    "  of 76 and 77 octets are not reported: Python's email package (3.11) and\n"
    "  Outlook/Exchange write 76-octet words routinely and fill such lines to RFC 5322's\n"
    "  78, and no reader refuses them. header-line-length reports the long lines that\n"
    "  can be folded.\n"
    "\n"
    "Why it is bad\n"
    "  The limit bounds how far a decoder looks for the closing ?=; decoders that keep to\n"
    "  it show a longer word as raw =?...?= text. A word that no 78-octet line holds makes\n"
    "  the field's lines long, and gateways that fold or cut long lines break it in two.\n"
    "\n"
    "Example\n"
    "  Subject: "
    "=?UTF-8?q?=5BPATCH=2029/44=5D=20drivers/staging=3A=20Remove=20unnecessary=20semicolons?=\n"
    "\n"
    "Fix\n"
    "  Splits the word into encoded-words of at most 75 octets, each holding whole\n"
    "  characters, on lines of their own (CRLF SPACE between them, as section 2 says),\n"
    "  with the charset and encoding it had. Readers join adjacent encoded-words, so the\n"
    "  decoded text is the same. Done for UTF-8 and single-octet charsets in unstructured\n"
    "  fields (Subject, Comments, X- fields); a display name is reported only, because\n"
    "  Python's email package shows the white space between two encoded-words of a name\n"
    "  as a space.\n",
  .check = check,
};
