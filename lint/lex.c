/* lex.c: fields once, unfolding, and RFC 2047 encoded-word shapes and decoding. */
#include "lex.h"

#include <gmime/gmime.h>
#include <string.h>

GArray *
emlint_fields_once (const EmlintMessage *msg)
{
  GArray *refs = msg->fields_once;
  gsize covered = 0;
  guint n = 0;

  /* Built once per message (several rules walk it), by the one thread that lints it. */
  if (refs != NULL)
    return g_array_ref (refs);
  for (guint h = 0; h < msg->headers->len; h++)
    n += ((const EmlintHeader *) g_ptr_array_index (msg->headers, h))->fields->len;
  refs = g_array_sized_new (FALSE, FALSE, sizeof (EmlintFieldRef), n);
  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      for (guint i = 0; i < header->fields->len; i++)
        {
          EmlintFieldRef ref = { header, emlint_header_field (header, i) };

          if (ref.field->start < covered)
            continue;
          g_array_index (refs, EmlintFieldRef, refs->len) = ref;  /* sized to fit, no call */
          refs->len++;
          covered = ref.field->end;
        }
    }
  ((EmlintMessage *) msg)->fields_once = refs;
  return g_array_ref (refs);
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
  gsize pad = 0, at = out->len;
  guint8 *o;

  g_byte_array_set_size (out, (guint) (at + n * 3 / 4 + 3));
  o = out->data + at;

  for (gsize i = 0; i < n; i++)
    {
      int v = base64_value (text[i]);

      if (text[i] == '=')
        {
          pad++;
          continue;
        }
      if (v < 0 || pad > 0)
        {
          g_byte_array_set_size (out, (guint) (o - out->data));
          return v < 0 ? "its B (base64) text holds an octet outside the base64 alphabet"
                       : "its B (base64) text has '=' padding before the end";
        }
      acc = (acc << 6) | (guint32) v;
      bits += 6;
      if (bits >= 8)
        {
          *o++ = (guint8) (acc >> (bits - 8));
          bits -= 8;
        }
    }
  g_byte_array_set_size (out, (guint) (o - out->data));
  if (n % 4 != 0 || pad > 2)
    return "its B (base64) text is not a whole number of 4-character groups";
  return NULL;
}

static const char *
decode_q (const char *text, gsize n, GByteArray *out)
{
  gsize at = out->len;
  guint8 *o;

  g_byte_array_set_size (out, (guint) (at + n));
  o = out->data + at;
  for (gsize i = 0; i < n; i++)
    {
      guint8 byte = (guint8) text[i];

      if (text[i] == '=')
        {
          if (i + 2 >= n || hex_value (text[i + 1]) < 0 || hex_value (text[i + 2]) < 0)
            {
              g_byte_array_set_size (out, (guint) (o - out->data));
              return "its Q text has an '=' that is not followed by two hex digits";
            }
          byte = (guint8) (hex_value (text[i + 1]) * 16 + hex_value (text[i + 2]));
          i += 2;
        }
      else if (text[i] == '_')
        byte = ' ';
      *o++ = byte;
    }
  g_byte_array_set_size (out, (guint) (o - out->data));
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

G_LOCK_DEFINE_STATIC (charsets);

gboolean
emlint_charset_known (const char *charset)
{
  /* Opening a converter loads and unloads a gconv module each time: remember the answers. */
  static GHashTable *known;
  gpointer answer;
  gboolean found;
  iconv_t cd;

  if (g_ascii_strcasecmp (charset, "utf-8") == 0 || g_ascii_strcasecmp (charset, "us-ascii") == 0
      || g_ascii_strncasecmp (charset, "iso-8859-", 9) == 0)
    return TRUE;
  G_LOCK (charsets);
  if (known == NULL)
    known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  found = g_hash_table_lookup_extended (known, charset, NULL, &answer);
  G_UNLOCK (charsets);
  if (found)
    return GPOINTER_TO_INT (answer);
  cd = g_mime_iconv_open ("UTF-8", charset);
  if (cd != (iconv_t) -1)
    g_mime_iconv_close (cd);
  G_LOCK (charsets);
  if (g_hash_table_size (known) < 1024)   /* a bound against hostile input */
    g_hash_table_insert (known, g_ascii_strdown (charset, -1),
                         GINT_TO_POINTER (cd != (iconv_t) -1));
  G_UNLOCK (charsets);
  return cd != (iconv_t) -1;
}

/* ---- where encoded-words stand ------------------------------------------------------------ */

typedef enum {
  KIND_TEXT,       /* unstructured */
  KIND_ADDRESS,    /* address lists: phrases, comments, quoted-strings, addr-specs */
  KIND_PHRASES,    /* Keywords (a phrase list), List-Id (a phrase and <list-id>) */
  KIND_PARAMS,     /* Content-Type, Content-Disposition */
  KIND_STRUCTURED, /* structured without phrases: only comments may hold encoded-words */
  KIND_MSGID,      /* msgid-encoded-word's */
} FieldKind;

static const char *const address_fields[] = {
  "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Resent-From", "Resent-Sender",
  "Resent-Reply-To", "Resent-To", "Resent-Cc", "Resent-Bcc", "Disposition-Notification-To",
  "Return-Receipt-To", "Errors-To", "Mail-Followup-To", "Mail-Reply-To", NULL,
};
static const char *const msgid_fields[] = {
  "Message-ID", "In-Reply-To", "References", "Resent-Message-ID", "Original-Message-ID",
  "Content-ID", NULL,
};
/* RFC 5322 3.3, 3.6.7; RFC 2045; RFC 2369; RFC 3282; RFC 3834; RFC 6376. */
static const char *const structured_fields[] = {
  "Date", "Resent-Date", "Received", "Return-Path", "MIME-Version",
  "Content-Transfer-Encoding", "Content-Language", "List-Help", "List-Unsubscribe",
  "List-Unsubscribe-Post", "List-Subscribe", "List-Post", "List-Owner", "List-Archive",
  "Auto-Submitted", "DKIM-Signature", NULL,
};

static gboolean
name_in (const EmlintMessage *msg, const EmlintField *field, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (emlint_field_is (msg, field, names[i]))
      return TRUE;
  return FALSE;
}

static FieldKind
field_kind (const EmlintMessage *msg, const EmlintField *field)
{
  if (name_in (msg, field, msgid_fields))
    return KIND_MSGID;
  if (name_in (msg, field, address_fields))
    return KIND_ADDRESS;
  if (emlint_field_is (msg, field, "Keywords") || emlint_field_is (msg, field, "List-Id"))
    return KIND_PHRASES;
  if (emlint_field_is (msg, field, "Content-Type")
      || emlint_field_is (msg, field, "Content-Disposition"))
    return KIND_PARAMS;
  if (name_in (msg, field, structured_fields))
    return KIND_STRUCTURED;
  return KIND_TEXT;
}

const char *
emlint_word_context_name (EmlintWordContext context)
{
  switch (context)
    {
    case EMLINT_WORD_TEXT: return "text";
    case EMLINT_WORD_PHRASE: return "a phrase";
    case EMLINT_WORD_COMMENT: return "a comment";
    case EMLINT_WORD_QUOTED: return "a quoted-string";
    case EMLINT_WORD_ADDR_SPEC: return "an address (addr-spec)";
    case EMLINT_WORD_PARAM: return "a parameter";
    case EMLINT_WORD_STRUCTURED: return "a structured field";
    default: return "?";
    }
}

/* RFC 5322 atext, and the octets of an encoded-word that an atom would swallow. */
static gboolean
is_atom_char (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL)
         || c >= 0x80;
}

typedef struct {
  const EmlintMessage *msg;
  const char *d;
  gsize start, end;      /* the field value */
  GArray *out;
} Scan;

static void
add_hit (Scan *sc, const EmlintEncodedWord *ew, EmlintWordContext context, gboolean separated,
         gsize param_start, gsize param_end, gboolean quoted)
{
  EmlintWordHit hit = { *ew, context, separated, param_start, param_end, quoted };
  g_array_append_val (sc->out, hit);
}

/* Unstructured text: every encoded-word shape, set off by white space (or the value's ends)
 * on both sides when it is separated. */
static void
scan_text (Scan *sc, gsize p)
{
  while (p < sc->end)
    {
      EmlintEncodedWord ew;

      if (!emlint_encoded_word_at (sc->d, sc->end, p, &ew))
        {
          p++;
          continue;
        }
      /* Section 5 (1) wants white space around it; a parenthesis is accepted too: every
       * reader decodes "(=?...?=)", and in product fields such as User-Agent it is the
       * comment syntax of RFC 5536 3.2.13. */
      add_hit (sc, &ew, EMLINT_WORD_TEXT,
               (p == sc->start || EMLINT_IS_FWS (sc->d[p - 1]) || sc->d[p - 1] == '(')
                 && (ew.end >= sc->end || EMLINT_IS_FWS (sc->d[ew.end]) || sc->d[ew.end] == ')'),
               0, 0, FALSE);
      p = ew.end;
    }
}

/* The words inside the quoted-string or comment that starts at @p; returns its end. */
static gsize
scan_enclosed (Scan *sc, gsize p, EmlintWordContext context)
{
  char close = context == EMLINT_WORD_COMMENT ? ')' : '"';
  int depth = 1;

  for (p++; p < sc->end && depth > 0; p++)
    {
      EmlintEncodedWord ew;
      char c = sc->d[p];

      if (c == '\\')
        {
          p++;
          continue;
        }
      if (c == close && (context != EMLINT_WORD_COMMENT || --depth == 0))
        return p + 1;
      if (c == '(' && context == EMLINT_WORD_COMMENT)
        depth++;
      else if (emlint_encoded_word_at (sc->d, sc->end, p, &ew))
        {
          char before = sc->d[p - 1], after = ew.end < sc->end ? sc->d[ew.end] : ' ';
          add_hit (sc, &ew, context,
                   (EMLINT_IS_FWS (before) || before == '(' || before == '"')
                     && (EMLINT_IS_FWS (after) || after == ')' || after == '"'),
                   0, 0, FALSE);
          p = ew.end - 1;
        }
    }
  return p;
}

/* The previous octet before @p that is not white space, or 0. */
static char
previous_significant (const Scan *sc, gsize start, gsize p)
{
  while (p > start && EMLINT_IS_FWS (sc->d[p - 1]))
    p--;
  return p > start ? sc->d[p - 1] : '\0';
}

static char
next_significant (const Scan *sc, gsize p)
{
  while (p < sc->end && EMLINT_IS_FWS (sc->d[p]))
    p++;
  return p < sc->end ? sc->d[p] : '\0';
}

/* Address lists, phrase lists and structured fields: an RFC 5322 lexer. */
static void
scan_structured (Scan *sc, gsize start, FieldKind kind)
{
  gsize p = start;

  while (p < sc->end)
    {
      char c = sc->d[p];
      EmlintEncodedWord ew;

      if (c == '(')
        p = scan_enclosed (sc, p, EMLINT_WORD_COMMENT);
      else if (c == '"')
        p = scan_enclosed (sc, p, EMLINT_WORD_QUOTED);
      else if (c == '<')
        {
          EmlintWordContext context = kind == KIND_STRUCTURED ? EMLINT_WORD_STRUCTURED
                                                              : EMLINT_WORD_ADDR_SPEC;
          for (p++; p < sc->end && sc->d[p] != '>'; p++)
            if (emlint_encoded_word_at (sc->d, sc->end, p, &ew))
              {
                add_hit (sc, &ew, context, TRUE, 0, 0, FALSE);
                p = ew.end - 1;
              }
          p++;
        }
      else if (emlint_encoded_word_at (sc->d, sc->end, p, &ew))
        {
          char before = p > start ? sc->d[p - 1] : ' ';
          char after = ew.end < sc->end ? sc->d[ew.end] : ' ';
          gboolean separated = !is_atom_char (before) && !is_atom_char (after)
                               && before != '.' && after != '.';
          EmlintWordContext context = EMLINT_WORD_PHRASE;

          if (kind == KIND_STRUCTURED)
            context = EMLINT_WORD_STRUCTURED;
          else if (kind == KIND_ADDRESS
                   && (previous_significant (sc, start, p) == '@'
                       || next_significant (sc, ew.end) == '@' || before == '.' || after == '.'))
            context = EMLINT_WORD_ADDR_SPEC;
          add_hit (sc, &ew, context, separated, 0, 0, FALSE);
          p = ew.end;
        }
      else if (is_atom_char (c))
        {
          /* A whole atom: an encoded-word shape glued to its end is no word of its own. */
          gsize a = p;
          while (a < sc->end && is_atom_char (sc->d[a])
                 && !(a > p && emlint_encoded_word_at (sc->d, sc->end, a, &ew)))
            a++;
          if (a < sc->end && a > p && emlint_encoded_word_at (sc->d, sc->end, a, &ew))
            {
              EmlintWordContext context = kind == KIND_STRUCTURED ? EMLINT_WORD_STRUCTURED
                                          : next_significant (sc, ew.end) == '@'
                                              ? EMLINT_WORD_ADDR_SPEC : EMLINT_WORD_PHRASE;
              add_hit (sc, &ew, context, FALSE, 0, 0, FALSE);
              a = ew.end;
            }
          p = a;
        }
      else
        p++;
    }
}

/* Content-Type and Content-Disposition: type [";" attribute "=" value]... */
static void
scan_params (Scan *sc, gsize start)
{
  gsize p = start, name_start = 0, name_end = 0;
  gboolean in_value = FALSE;

  while (p < sc->end)
    {
      char c = sc->d[p];
      EmlintEncodedWord ew;

      if (c == '(')
        {
          p = scan_enclosed (sc, p, EMLINT_WORD_COMMENT);
          continue;
        }
      if (c == ';')
        {
          in_value = FALSE;
          p++;
          while (p < sc->end && EMLINT_IS_FWS (sc->d[p]))
            p++;
          name_start = p;
          while (p < sc->end && sc->d[p] != '=' && sc->d[p] != ';' && !EMLINT_IS_FWS (sc->d[p]))
            p++;
          name_end = p;
          continue;
        }
      if (c == '=' && !in_value && name_end > name_start)
        {
          in_value = TRUE;
          p++;
          continue;
        }
      if (c == '"')
        {
          for (p++; p < sc->end && sc->d[p] != '"'; p++)
            {
              if (sc->d[p] == '\\')
                p++;
              else if (emlint_encoded_word_at (sc->d, sc->end, p, &ew))
                {
                  add_hit (sc, &ew, EMLINT_WORD_PARAM, TRUE, name_start, name_end, TRUE);
                  p = ew.end - 1;
                }
            }
          p++;
          continue;
        }
      if (emlint_encoded_word_at (sc->d, sc->end, p, &ew))
        {
          add_hit (sc, &ew, EMLINT_WORD_PARAM, TRUE, in_value ? name_start : 0,
                   in_value ? name_end : 0, FALSE);
          p = ew.end;
          continue;
        }
      p++;
    }
}

gboolean
emlint_has_encoded_word_start (const char *s, gsize len)
{
  const char *end = s + len, *q;

  for (const char *p = s + 1; p < end && (q = memchr (p, '?', (gsize) (end - p))) != NULL; p = q + 1)
    if (q[-1] == '=')
      return TRUE;
  return FALSE;
}

/* Every encoded-word shape in the value of @field into @out (see emlint_field_words()). */
static void
scan_words (const EmlintMessage *msg, const EmlintField *field, GArray *out)
{
  Scan sc = { msg, msg->data, field->value_start, field->value_end, out };
  FieldKind kind = field_kind (msg, field);

  switch (kind)
    {
    case KIND_MSGID:
      break;
    case KIND_TEXT:
      scan_text (&sc, field->value_start);
      break;
    case KIND_PARAMS:
      scan_params (&sc, field->value_start);
      break;
    default:
      scan_structured (&sc, field->value_start, kind);
      break;
    }
}

/* The encoded-words of a field that holds "=?", found on the first call: three rules ask for
 * them. Kept by the message (one thread lints it), keyed by the field. */
static const GArray *
cached_words (const EmlintMessage *msg, const EmlintField *field)
{
  EmlintMessage *m = (EmlintMessage *) msg;
  GArray *words;

  if (m->field_words == NULL)
    m->field_words = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  words = g_hash_table_lookup (m->field_words, field);
  if (words == NULL)
    {
      words = g_array_new (FALSE, FALSE, sizeof (EmlintWordHit));
      scan_words (msg, field, words);
      g_hash_table_insert (m->field_words, (gpointer) field, words);
    }
  return words;
}

guint
emlint_field_words (const EmlintMessage *msg, const EmlintField *field, GArray *out)
{
  const GArray *words;

  g_array_set_size (out, 0);
  /* Most fields hold no encoded-word: look for "=?" before any lexing ('?' is the rarer
   * octet in header fields, and memchr beats memmem on short values). */
  if (!emlint_has_encoded_word_start (msg->data + field->value_start,
                                      field->value_end - field->value_start))
    return 0;
  words = cached_words (msg, field);
  g_array_append_vals (out, words->data, words->len);
  return out->len;
}

char *
emlint_field_uncommented (const EmlintMessage *msg, const EmlintField *field)
{
  gsize len;
  g_autofree char *value = emlint_field_unfold (msg, field, &len);
  GString *out = g_string_new (NULL);
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = value[i];
      if (c == '\\' && depth > 0)
        i++;
      else if (c == '(')
        {
          depth++;
          g_string_append_c (out, ' ');
        }
      else if (c == ')' && depth > 0)
        depth--;
      else if (depth == 0)
        g_string_append_c (out, EMLINT_IS_FWS (c) ? ' ' : c);
    }
  return g_string_free (out, FALSE);
}
