/* lex.c: fields once, unfolding, and RFC 2047 encoded-word shapes and decoding. */
#include "lex.h"

#include <gmime/gmime.h>
#include <string.h>

GArray *
emlint_fields_once (const EmlintMessage *msg)
{
  GArray *refs = g_array_new (FALSE, FALSE, sizeof (EmlintFieldRef));
  gsize covered = 0;

  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      for (guint i = 0; i < header->fields->len; i++)
        {
          EmlintFieldRef ref = { header, emlint_header_field (header, i) };

          if (ref.field->start < covered)
            continue;
          g_array_append_val (refs, ref);
          covered = ref.field->end;
        }
    }
  return refs;
}

char *
emlint_field_unfold (const EmlintMessage *msg, const EmlintField *field, gsize *len)
{
  const char *raw = msg->data + field->value_start;
  gsize n = field->value_end - field->value_start;
  GString *out = g_string_sized_new (n);

  for (gsize i = 0; i < n; i++)
    {
      if (raw[i] == '\n' || (raw[i] == '\r' && i + 1 < n && raw[i + 1] == '\n'))
        continue;
      g_string_append_c (out, raw[i]);
    }
  *len = out->len;
  return g_string_free (out, FALSE);
}

const EmlintField *
emlint_header_find (const EmlintMessage *msg, const EmlintHeader *header, const char *name)
{
  for (guint i = 0; i < header->fields->len; i++)
    if (emlint_field_is (msg, emlint_header_field (header, i), name))
      return emlint_header_field (header, i);
  return NULL;
}

/* RFC 2047 section 2: token = 1*<any CHAR except SPACE, CTLs and especials>. */
static gboolean
is_token_char (guchar c)
{
  return c > 32 && c < 127 && strchr ("()<>@,;:\"/[]?.=", c) == NULL;
}

gboolean
emlint_encoded_word_at (const char *s, gsize len, gsize pos, EmlintEncodedWord *ew)
{
  gsize i = pos + 2;

  if (pos + 8 > len || s[pos] != '=' || s[pos + 1] != '?')
    return FALSE;
  ew->start = pos;
  ew->charset_start = i;
  while (i < len && is_token_char (s[i]) && s[i] != '*')
    i++;
  ew->charset_end = i;
  if (i == ew->charset_start)
    return FALSE;
  if (i < len && s[i] == '*')   /* RFC 2231 section 5: charset*language */
    while (i < len && is_token_char (s[i]))
      i++;
  if (i + 3 > len || s[i] != '?' || !is_token_char (s[i + 1]) || s[i + 2] != '?')
    return FALSE;
  ew->encoding = s[i + 1];
  ew->text_start = i += 3;
  while (i < len && (guchar) s[i] > 32 && (guchar) s[i] < 127 && s[i] != '?')
    i++;
  if (i + 2 > len || s[i] != '?' || s[i + 1] != '=')
    return FALSE;
  ew->text_end = i;
  ew->end = i + 2;
  return TRUE;
}

static int
hex_value (char c)
{
  return g_ascii_isxdigit (c) ? g_ascii_xdigit_value (c) : -1;
}

static int
base64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

static const char *
decode_b (const char *text, gsize n, GByteArray *out)
{
  guint32 acc = 0;
  guint bits = 0;
  gsize pad = 0;

  for (gsize i = 0; i < n; i++)
    {
      int v = base64_value (text[i]);

      if (text[i] == '=')
        {
          pad++;
          continue;
        }
      if (v < 0)
        return "its B (base64) text holds an octet outside the base64 alphabet";
      if (pad > 0)
        return "its B (base64) text has '=' padding before the end";
      acc = (acc << 6) | (guint32) v;
      bits += 6;
      if (bits >= 8)
        {
          guint8 byte = (guint8) (acc >> (bits - 8));
          g_byte_array_append (out, &byte, 1);
          bits -= 8;
        }
    }
  if (n % 4 != 0 || pad > 2)
    return "its B (base64) text is not a whole number of 4-character groups";
  return NULL;
}

static const char *
decode_q (const char *text, gsize n, GByteArray *out)
{
  for (gsize i = 0; i < n; i++)
    {
      guint8 byte = (guint8) text[i];

      if (text[i] == '=')
        {
          if (i + 2 >= n || hex_value (text[i + 1]) < 0 || hex_value (text[i + 2]) < 0)
            return "its Q text has an '=' that is not followed by two hex digits";
          byte = (guint8) (hex_value (text[i + 1]) * 16 + hex_value (text[i + 2]));
          i += 2;
        }
      else if (text[i] == '_')
        byte = ' ';
      g_byte_array_append (out, &byte, 1);
    }
  return NULL;
}

const char *
emlint_encoded_word_decode (const char *s, const EmlintEncodedWord *ew, GByteArray *out)
{
  const char *text = s + ew->text_start;
  gsize n = ew->text_end - ew->text_start;

  if (n == 0)
    return "its encoded-text is empty";
  if (ew->encoding == 'B' || ew->encoding == 'b')
    return decode_b (text, n, out);
  if (ew->encoding == 'Q' || ew->encoding == 'q')
    return decode_q (text, n, out);
  return "its encoding is neither B nor Q";
}

gboolean
emlint_charset_known (const char *charset)
{
  iconv_t cd = g_mime_iconv_open ("UTF-8", charset);

  if (cd == (iconv_t) -1)
    return FALSE;
  g_mime_iconv_close (cd);
  return TRUE;
}
