/* msgid.c: finding msg-id fields, undoing RFC 2047 in them, and parsing msg-id syntax. */
#include "msgid.h"

#include "lex.h"

#include <gmime/gmime.h>
#include <string.h>

typedef struct {
  const char *name;
  EmlintMsgidFlags flags;
  gboolean top_only;
} MsgidFieldKind;

static const MsgidFieldKind msgid_field_kinds[] = {
  { "Message-ID", EMLINT_MSGID_ONE, TRUE },
  { "In-Reply-To", EMLINT_MSGID_LIST, TRUE },
  { "References", EMLINT_MSGID_LIST, TRUE },
  { "Resent-Message-ID", EMLINT_MSGID_ONE, TRUE },
  { "Original-Message-ID", EMLINT_MSGID_ONE, TRUE }, /* RFC 3297 */
  /* RFC 2045 section 7. Gmail writes inline images' ids without '@' ("<ii_18c3...>"): every
   * reader matches cid: URLs as strings, so no receiver acts on it, and it is not reported. */
  { "Content-ID", EMLINT_MSGID_AT_OPTIONAL, FALSE },
};

/* ---- RFC 2047 ---------------------------------------------------------------------------- */

/* Marks each octet of @value that is inside a comment or a quoted-string, delimiters
 * included: a new array of @len flags (free with g_free()). */
static gboolean *
enclosed_octets (const char *value, gsize len)
{
  gboolean *enclosed = g_new0 (gboolean, len + 1);
  gboolean quoted = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = value[i];

      enclosed[i] = quoted || depth > 0 || c == '(' || c == '"';
      if ((quoted || depth > 0) && c == '\\' && i + 1 < len)
        enclosed[++i] = TRUE;
      else if (!quoted && c == '(')
        depth++;
      else if (!quoted && c == ')' && depth > 0)
        depth--;
      else if (depth == 0 && c == '"')
        quoted = !quoted;
    }
  return enclosed;
}

/* Decodes every whole-token encoded-word of the unfolded @value in place; whitespace between two
 * encoded-words is dropped (RFC 2047 section 6.2). An encoded-word in a comment stays: RFC 2047
 * 5(2) allows it there (Gnus writes "<id@host> (=?utf-8?Q?...?= message of ...)"). Returns TRUE
 * when there was one. */
static gboolean
decode_encoded_words (GString *value)
{
  GString *out;
  g_autofree gboolean *enclosed = NULL;
  gboolean found = FALSE, last_encoded = FALSE;
  gsize i = 0, gap_start = 0;

  if (!emlint_has_encoded_word_start (value->str, value->len))
    return FALSE;
  out = g_string_sized_new (value->len);
  enclosed = enclosed_octets (value->str, value->len);

  while (i < value->len)
    {
      gsize start, end;

      gap_start = i;
      while (i < value->len && EMLINT_IS_WSP (value->str[i]))
        i++;
      start = i;
      while (i < value->len && !EMLINT_IS_WSP (value->str[i]))
        i++;
      end = i;
      if (end > start && !enclosed[start]
          && emlint_is_encoded_word (value->str + start, end - start))
        {
          g_autofree char *token = g_strndup (value->str + start, end - start);
          g_autofree char *text = g_mime_utils_header_decode_text (NULL, token);

          if (!last_encoded)
            g_string_append_len (out, value->str + gap_start, start - gap_start);
          g_string_append (out, text);
          found = last_encoded = TRUE;
        }
      else
        {
          g_string_append_len (out, value->str + gap_start, end - gap_start);
          last_encoded = FALSE;
        }
    }
  if (found)
    g_string_assign (value, out->str);
  g_string_free (out, TRUE);
  return found;
}

/* The decoded text of the encoded-words that stand inside the first pair of angle brackets of
 * @value in place of an id ("<=?utf-8?q?=3C2023...?=>"), or NULL: a new string. */
static char *
bracketed_words (const char *value, gsize len)
{
  const char *open = memchr (value, '<', len);
  GString *words = g_string_new (NULL);
  gsize p;
  EmlintEncodedWord ew;

  for (p = open ? (gsize) (open - value) + 1 : len; p < len; p = ew.end)
    {
      while (p < len && EMLINT_IS_WSP (value[p]))
        p++;
      if (p >= len || value[p] == '>' || !emlint_encoded_word_at (value, len, p, &ew))
        break;
      if (words->len > 0)
        g_string_append_c (words, ' ');
      g_string_append_len (words, value + p, (gssize) (ew.end - p));
    }
  if (words->len == 0 || (p < len && value[p] != '>'))
    {
      g_string_free (words, TRUE);
      return NULL;
    }
  {
    char *text = g_mime_utils_header_decode_text (NULL, words->str);
    g_string_free (words, TRUE);
    return text;
  }
}

/* ---- RFC 5322 msg-id ------------------------------------------------------------------- */

typedef struct {
  const EmlintMessage *msg; /* for its placeholders; NULL when there are none */
  const char *s;
  gsize len;
  gsize pos;
  gboolean obsolete;  /* an obsolete form was seen inside the current id */
  gboolean decorated; /* a comment or a phrase was seen outside the ids */
  gboolean phrase;    /* a phrase was seen outside the ids, or an obsolete id */
} Scanner;

static gboolean
is_atext (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static int
peek (const Scanner *sc)
{
  return sc->pos < sc->len ? (guchar) sc->s[sc->pos] : -1;
}

/* Skips atext, UTF-8 characters included (RFC 6532 3.2); returns how many octets. */
static gsize
skip_atext (Scanner *sc)
{
  gsize start = sc->pos;

  while (sc->pos < sc->len)
    {
      guchar c = (guchar) sc->s[sc->pos];
      const char *end;
      gsize placeholder = sc->msg
                            ? emlint_placeholder_at (sc->msg, sc->s + sc->pos, sc->len - sc->pos)
                            : 0;

      if (placeholder > 0)
        {
          sc->pos += placeholder;
          continue;
        }
      if (c < 0x80)
        {
          if (!is_atext (c))
            break;
          sc->pos++;
          continue;
        }
      if (!g_utf8_validate (sc->s + sc->pos, (gssize) MIN (sc->len - sc->pos, 4), &end)
          && end == sc->s + sc->pos)
        break;
      sc->pos += g_utf8_skip[c];
    }
  return sc->pos - start;
}

/* Skips CFWS (RFC 5322 3.2.2). Returns FALSE on an unterminated comment. Sets *@comment when a
 * comment was skipped. */
static gboolean
skip_cfws (Scanner *sc, gboolean *skipped, gboolean *comment)
{
  *skipped = *comment = FALSE;
  while (sc->pos < sc->len)
    {
      char c = sc->s[sc->pos];
      gsize end;

      if (EMLINT_IS_WSP (c)) /* the value is unfolded: a CR or LF left is a defect */
        {
          sc->pos++;
          *skipped = TRUE;
          continue;
        }
      if (c != '(')
        break;
      *skipped = *comment = TRUE;
      if ((end = emlint_comment_end (sc->s, sc->len, sc->pos)) == G_MAXSIZE)
        {
          sc->pos = sc->len;
          return FALSE;
        }
      sc->pos = end;
    }
  return TRUE;
}

static gboolean
skip_quoted_string (Scanner *sc)
{
  for (sc->pos++; sc->pos < sc->len; sc->pos++)
    {
      if (sc->s[sc->pos] == '\\')
        sc->pos++;
      else if (sc->s[sc->pos] == '"')
        {
          sc->pos++;
          return TRUE;
        }
    }
  return FALSE;
}

static char *
unexpected (const Scanner *sc, const char *where)
{
  int c = peek (sc);

  if (c < 0)
    return g_strdup_printf ("%s ends too early", where);
  if (c >= 127 || c < 32)
    return g_strdup_printf ("%s holds the octet 0x%02X, which a msg-id does not allow", where, c);
  if (c == '.')
    return g_strdup_printf ("%s has an empty atom (a dot at an end, or two in a row)", where);
  return g_strdup_printf ("%s holds '%c', which a dot-atom does not allow", where, c);
}

/* dot-atom-text, or its obsolete forms: CFWS around the atoms, and quoted-strings (id-left). */
static char *
parse_dotted (Scanner *sc, gboolean allow_quoted, const char *where)
{
  for (;;)
    {
      gboolean skipped, comment;

      if (!skip_cfws (sc, &skipped, &comment))
        return g_strdup_printf ("%s has an unterminated comment", where);
      sc->obsolete |= skipped;
      if (peek (sc) == '"' && allow_quoted)
        {
          if (!skip_quoted_string (sc))
            return g_strdup_printf ("%s has an unterminated quoted-string", where);
          sc->obsolete = TRUE;
        }
      else if (skip_atext (sc) == 0)
        return unexpected (sc, where);
      if (!skip_cfws (sc, &skipped, &comment))
        return g_strdup_printf ("%s has an unterminated comment", where);
      sc->obsolete |= skipped;
      if (peek (sc) != '.')
        return NULL;
      sc->pos++;
    }
}

/* "[" *dtext "]" (no-fold-literal), or the obsolete domain-literal with FWS and quoted-pairs. */
static char *
parse_literal (Scanner *sc)
{
  for (sc->pos++; sc->pos < sc->len; sc->pos++)
    {
      guchar c = (guchar) sc->s[sc->pos];

      if (c == ']')
        {
          sc->pos++;
          return NULL;
        }
      if (c == '\\' || EMLINT_IS_WSP (c))
        {
          sc->obsolete = TRUE;
          sc->pos += c == '\\';
        }
      else if (c < 33 || c > 126 || c == '[')
        return unexpected (sc, "the id-right literal");
    }
  return g_strdup ("the id-right literal has no closing ']'");
}

static char *
parse_one_msgid (Scanner *sc, EmlintMsgidFlags flags, GArray *ids)
{
  EmlintMsgid id = { .start = sc->pos };
  char *error;
  gboolean skipped, comment;

  sc->pos++;
  sc->obsolete = FALSE;
  if (peek (sc) == '@')
    return g_strdup ("the id-left is empty");
  if ((error = parse_dotted (sc, TRUE, "the id-left")) != NULL)
    {
      if (peek (sc) == '>')
        {
          g_free (error);
          return g_strdup ("the msg-id has no '@'");
        }
      return error;
    }
  if (peek (sc) == '>' && (flags & EMLINT_MSGID_AT_OPTIONAL))
    {
      id.at = sc->pos;
      id.end = ++sc->pos;
      id.obsolete = sc->obsolete;
      g_array_append_val (ids, id);
      return NULL;
    }
  if (peek (sc) == '>')
    return g_strdup ("the msg-id has no '@'");
  if (peek (sc) != '@')
    return unexpected (sc, "the id-left");
  id.at = sc->pos++;
  if (!skip_cfws (sc, &skipped, &comment))
    return g_strdup ("the id-right has an unterminated comment");
  sc->obsolete |= skipped;
  if (peek (sc) == '>')
    return g_strdup ("the id-right is empty");
  error = peek (sc) == '[' ? parse_literal (sc) : parse_dotted (sc, FALSE, "the id-right");
  if (error != NULL)
    return error;
  if (!skip_cfws (sc, &skipped, &comment))
    return g_strdup ("the msg-id has an unterminated comment");
  sc->obsolete |= skipped;
  if (peek (sc) < 0)
    return g_strdup ("the msg-id has no closing '>'");
  if (peek (sc) != '>')
    return unexpected (sc, "the id-right");
  id.end = ++sc->pos;
  id.obsolete = sc->obsolete;
  g_array_append_val (ids, id);
  return NULL;
}

/* An obsolete phrase word between the ids of In-Reply-To and References (RFC 5322 4.5.4). */
static gboolean
skip_phrase_word (Scanner *sc)
{
  int c = peek (sc);

  if (c == '"')
    return skip_quoted_string (sc);
  if (c == '.')
    {
      sc->pos++;
      return TRUE;
    }
  return skip_atext (sc) > 0;
}

/* TRUE when the value is nothing but template placeholders and whitespace
 * ("{{ in_reply_to }}", "%(references)s"): the ids are filled in when the mail is sent. */
static gboolean
is_placeholders_only (const EmlintMessage *msg, const char *value, gsize len)
{
  gboolean seen = FALSE;

  for (gsize p = 0; p < len;)
    {
      gsize n = emlint_placeholder_at (msg, value + p, len - p);

      if (n > 0)
        p += n, seen = TRUE;
      else if (EMLINT_IS_WSP (value[p]))
        p++;
      else
        return FALSE;
    }
  return seen;
}

/* The parse, with @msg's template placeholders as atoms when @msg is not NULL. */
static char *
parse_value (const EmlintMessage *msg, const char *value, gsize len, EmlintMsgidFlags flags,
             GArray *ids, gboolean *bare, gboolean *commented)
{
  gboolean list = (flags & EMLINT_MSGID_LIST) != 0;
  Scanner sc = { msg, value, len, 0, FALSE, FALSE, FALSE };
  gboolean skipped, comment;
  guint first = ids->len;

  *bare = FALSE;
  if (msg != NULL && is_placeholders_only (msg, value, len))
    {
      *bare = TRUE;
      return NULL;
    }
  for (;;)
    {
      char *error;

      if (!skip_cfws (&sc, &skipped, &comment))
        return g_strdup ("it has an unterminated comment");
      sc.decorated |= comment;
      if (peek (&sc) < 0)
        break;
      if (peek (&sc) == '<')
        {
          if ((error = parse_one_msgid (&sc, flags, ids)) != NULL)
            return error;
          sc.phrase |= g_array_index (ids, EmlintMsgid, ids->len - 1).obsolete;
          sc.decorated |= sc.phrase;
          continue;
        }
      if (list && skip_phrase_word (&sc))
        {
          sc.decorated = sc.phrase = TRUE;
          continue;
        }
      if (memchr (value, '<', len) == NULL)
        return g_strdup ("the msg-id is not enclosed in '<' and '>'");
      return unexpected (&sc, "the value");
    }
  if (ids->len == first && !(list && !sc.phrase))
    return g_strdup (len == 0 || sc.pos == 0 ? "it is empty" : "it holds no msg-id");
  if (!list && ids->len - first > 1)
    return g_strdup_printf ("it holds %u msg-ids where one is allowed", ids->len - first);
  *bare = !sc.decorated && ids->len > first;
  *commented = sc.decorated && !sc.phrase;
  return NULL;
}

char *
emlint_msgid_parse (const char *value, gsize len, EmlintMsgidFlags flags, GArray *ids,
                    gboolean *bare)
{
  gboolean commented;

  return parse_value (NULL, value, len, flags, ids, bare, &commented);
}

/* ---- the fields ---------------------------------------------------------------------- */

struct _EmlintMsgidCache {
  GPtrArray *fields;          /* of EmlintMsgidField*: the first EMLINT_MSGID_CACHED, parsed */
  GArray *ids;                /* of EmlintMsgid: the ids of every cached field, in one array */
  guint header, field;        /* the first field not yet looked at when the cache was filled */
  EmlintMsgidField scratch;   /* the last field parsed past the cache */
  GArray *scratch_ids;        /* its ids */
};

static void
msgid_field_clear (EmlintMsgidField *mf)
{
  g_free (mf->value);
  g_free (mf->error);
  g_free (mf->bracketed);
  memset (mf, 0, sizeof *mf);
}

static void
msgid_field_free (gpointer data)
{
  msgid_field_clear (data);
  g_free (data);
}

void
emlint_msgid_cache_free (EmlintMsgidCache *cache)
{
  g_ptr_array_unref (cache->fields);
  g_array_unref (cache->ids);
  msgid_field_clear (&cache->scratch);
  g_array_unref (cache->scratch_ids);
  g_free (cache);
}

/* Parses @field into @mf and appends its ids to @ids; mf->ids is left for the caller to set,
 * since @ids may move as it grows. */
static void
msgid_field_parse (const EmlintMessage *msg, const EmlintHeader *header, const EmlintField *field,
                   const MsgidFieldKind *kind, EmlintMsgidField *mf, GArray *ids)
{
  guint first = ids->len;
  GString *value = emlint_unfold (msg->data + field->value_start,
                                  field->value_end - field->value_start);

  mf->header = header;
  mf->field = field;
  mf->name = kind->name;
  mf->flags = kind->flags;
  mf->encoded = decode_encoded_words (value);
  mf->value_len = value->len;
  mf->value = g_string_free (value, FALSE); /* no copy: a References may be most of a message */
  mf->error = parse_value (msg, mf->value, mf->value_len, mf->flags, ids, &mf->bare,
                           &mf->commented);
  mf->n_ids = ids->len - first;
  mf->empty = mf->error == NULL && mf->n_ids == 0;
  if (mf->error != NULL && !mf->encoded
      && (mf->bracketed = bracketed_words (mf->value, mf->value_len)) != NULL)
    {
      g_autoptr (GArray) inner = g_array_new (FALSE, FALSE, sizeof (EmlintMsgid));
      gboolean bare;
      g_autofree char *error = emlint_msgid_parse (mf->bracketed, strlen (mf->bracketed),
                                                   EMLINT_MSGID_ONE, inner, &bare);
      mf->bracketed_whole = error == NULL;
    }
}

/* The msg-id field at or after field *@f of header *@h, or NULL; on return *@h and *@f are just
 * past it, and *@kind says what it is. */
static const EmlintField *
find_msgid_field (const EmlintMessage *msg, guint *h, guint *f, const MsgidFieldKind **kind)
{
  for (; *h < msg->headers->len; (*h)++, *f = 0)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, *h);

      while (*f < header->fields->len)
        {
          const EmlintField *field = emlint_header_field (header, (*f)++);

          for (guint k = 0; k < G_N_ELEMENTS (msgid_field_kinds); k++)
            {
              *kind = &msgid_field_kinds[k];
              if ((header->kind == EMLINT_HEADER_TOP || !(*kind)->top_only)
                  && emlint_field_is (msg, field, (*kind)->name))
                return field;
            }
        }
    }
  return NULL;
}

/* Parses the first EMLINT_MSGID_CACHED msg-id fields of @msg into a new cache. */
static EmlintMsgidCache *
msgid_cache_new (const EmlintMessage *msg)
{
  EmlintMsgidCache *cache = g_new0 (EmlintMsgidCache, 1);
  const EmlintField *field;
  const MsgidFieldKind *kind;
  const EmlintMsgid *next;

  cache->fields = g_ptr_array_new_with_free_func (msgid_field_free);
  cache->ids = g_array_new (FALSE, FALSE, sizeof (EmlintMsgid));
  cache->scratch_ids = g_array_new (FALSE, FALSE, sizeof (EmlintMsgid));
  while (cache->fields->len < EMLINT_MSGID_CACHED
         && (field = find_msgid_field (msg, &cache->header, &cache->field, &kind)) != NULL)
    {
      EmlintMsgidField *mf = g_new0 (EmlintMsgidField, 1);

      msgid_field_parse (msg, g_ptr_array_index (msg->headers, cache->header), field, kind, mf,
                         cache->ids);
      g_ptr_array_add (cache->fields, mf);
    }
  next = (const EmlintMsgid *) (gpointer) cache->ids->data;
  for (guint i = 0; i < cache->fields->len; i++)
    {
      EmlintMsgidField *mf = g_ptr_array_index (cache->fields, i);
      mf->ids = next;
      next += mf->n_ids;
    }
  return cache;
}

const EmlintMsgidField *
emlint_msgid_next (EmlintMsgidIter *iter)
{
  /* The cache is the one mutable part of a message during a lint. */
  EmlintMessage *msg = (EmlintMessage *) iter->msg;
  EmlintMsgidCache *cache = msg->msgid_cache;
  const EmlintField *field;
  const MsgidFieldKind *kind;

  if (cache == NULL)
    cache = msg->msgid_cache = msgid_cache_new (msg);
  if (iter->n < cache->fields->len)
    return g_ptr_array_index (cache->fields, iter->n++);
  if (iter->n == cache->fields->len)
    {
      iter->header = cache->header;
      iter->field = cache->field;
    }
  field = find_msgid_field (msg, &iter->header, &iter->field, &kind);
  if (field == NULL)
    return NULL;
  iter->n++;
  msgid_field_clear (&cache->scratch);
  g_array_set_size (cache->scratch_ids, 0);
  msgid_field_parse (msg, g_ptr_array_index (msg->headers, iter->header), field, kind,
                     &cache->scratch, cache->scratch_ids);
  cache->scratch.ids = (const EmlintMsgid *) (gpointer) cache->scratch_ids->data;
  return &cache->scratch;
}
