/* lex.c: the syntax module (lex.h): walks, the one table of field names, lexing, addresses, and
 * RFC 2047 encoded-word shapes and decoding. */
#include "lex.h"

#include "transit.h"

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
          EmlintFieldRef ref = { emlint_header_field (header, i) };

          if (ref.field->start < covered)
            continue;
          g_array_index (refs, EmlintFieldRef, refs->len) = ref; /* sized to fit, no call */
          refs->len++;
          covered = ref.field->end;
        }
    }
  ((EmlintMessage *) msg)->fields_once = refs;
  return g_array_ref (refs);
}

const EmlintHeader *
emlint_field_header (const EmlintMessage *msg, const EmlintField *field, guint *hint)
{
  for (; *hint < msg->headers->len; (*hint)++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, *hint);
      guintptr first = (guintptr) header->fields->data, at = (guintptr) field;

      if (at >= first && at < first + header->fields->len * sizeof (EmlintField))
        return header;
    }
  g_return_val_if_reached (NULL);
}

const EmlintField *
emlint_field_at (const EmlintMessage *msg, gsize offset)
{
  g_autoptr (GArray) fields = emlint_fields_once (msg);
  guint lo = 0, hi = fields->len;

  /* A binary search: the fields are in octet order, and rules ask once per line. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const EmlintField *f = g_array_index (fields, EmlintFieldRef, mid).field;

      if (offset < f->start)
        hi = mid;
      else if (offset >= f->end)
        lo = mid + 1;
      else
        return f;
    }
  return NULL;
}

const EmlintHeader *
emlint_next_header (const EmlintMessage *msg, EmlintHeaderCursor *cursor, gsize *start)
{
  while (cursor->next < msg->headers->len)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, cursor->next++);

      if (header->body_start <= cursor->covered)
        continue;
      *start = MAX (header->start, cursor->covered);
      cursor->covered = header->body_start;
      return header;
    }
  return NULL;
}

void
emlint_header_lines_init (EmlintHeaderLines *it, const EmlintMessage *msg,
                          const EmlintHeader *header, gsize from)
{
  *it = (EmlintHeaderLines){ msg, header, from, emlint_message_line_of (msg, from), 0, NULL };
}

/* The field of the header that starts at @ls, or NULL; fields are in order, so the search
 * goes on from where the last one stopped. */
static const EmlintField *
field_starting_at (EmlintHeaderLines *it, gsize ls)
{
  for (; it->next_field < it->header->fields->len; it->next_field++)
    {
      const EmlintField *f = emlint_header_field (it->header, it->next_field);

      if (f->start == ls)
        return f;
      if (f->start > ls)
        break;
    }
  return NULL;
}

gboolean
emlint_header_lines_next (EmlintHeaderLines *it, EmlintHeaderLine *line)
{
  const EmlintField *f;

  if (it->line >= emlint_message_n_lines (it->msg))
    return FALSE;
  line->start = MAX (emlint_message_line_start (it->msg, it->line), it->from); /* after a BOM */
  if (line->start >= it->header->end)
    return FALSE;
  line->end = emlint_message_line_end (it->msg, it->line++);
  if ((f = field_starting_at (it, line->start)) != NULL)
    it->current = f;
  else if (it->current != NULL && line->start >= it->current->end)
    it->current = NULL;
  line->field = it->current;
  line->first = f != NULL;
  return TRUE;
}

gboolean
emlint_next_dash_line (const EmlintMessage *msg, EmlintDashLines *it, guint *line, gsize *start,
                       gsize *end)
{
  guint n_lines = emlint_message_n_lines (msg);

  if (!it->started)
    it->line = emlint_message_line_of (msg, emlint_message_top (msg)->body_start);
  it->started = TRUE;
  for (; it->line < n_lines; it->line++)
    {
      gsize ls = emlint_message_line_start (msg, it->line);

      if (ls + 2 > msg->len || msg->data[ls] != '-' || msg->data[ls + 1] != '-')
        continue;
      if (line != NULL)
        *line = it->line;
      *start = ls;
      *end = emlint_message_line_end (msg, it->line++);
      return TRUE;
    }
  return FALSE;
}

gboolean
emlint_is_token_char (guchar c)
{
  return c > 32 && c < 127 && strchr ("()<>@,;:\"/[]?.=", c) == NULL;
}

gboolean
emlint_is_mime_token_char (guchar c)
{
  return c > 32 && c < 127 && strchr ("()<>@,;:\\\"/[]?=", c) == NULL;
}

GString *
emlint_unfold (const char *raw, gsize len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (raw[i] == '\n' || (raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n'))
        continue;
      g_string_append_c (out, raw[i]);
    }
  return out;
}

char *
emlint_field_unfold (const EmlintMessage *msg, const EmlintField *field, gsize *len)
{
  GString *out = emlint_unfold (msg->data + field->value_start,
                                field->value_end - field->value_start);

  *len = out->len;
  return g_string_free (out, FALSE);
}

gsize
emlint_comment_end (const char *s, gsize len, gsize p)
{
  int depth = 0;

  do
    {
      char c = s[p++];
      if (c == '\\' && p < len)
        p++;
      else if (c == '(')
        depth++;
      else if (c == ')')
        depth--;
    }
  while (depth > 0 && p < len);
  return depth > 0 ? G_MAXSIZE : p;
}

gsize
emlint_quoted_string_end (const char *s, gsize len, gsize p)
{
  for (p++; p < len; p++)
    {
      if (s[p] == '\\')
        p++;
      else if (s[p] == '"')
        return p + 1;
    }
  return G_MAXSIZE;
}

EmlintCfws
emlint_skip_cfws (const char *s, gsize len, gsize *p, gboolean folded)
{
  EmlintCfws seen = 0;

  while (*p < len)
    {
      char c = s[*p];
      gsize end;

      if (folded ? EMLINT_IS_FWS (c) : EMLINT_IS_WSP (c))
        {
          seen |= EMLINT_CFWS_SPACE;
          (*p)++;
          continue;
        }
      if (c != '(')
        break;
      seen |= EMLINT_CFWS_COMMENT;
      if ((end = emlint_comment_end (s, len, *p)) == G_MAXSIZE)
        return seen | EMLINT_CFWS_UNCLOSED;
      *p = end;
    }
  return seen;
}

gboolean
emlint_is_atext (guchar c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/* The media type of @header ("multipart/mixed"...), lower case, or NULL when it has no
 * Content-Type: a new string. */
char *
emlint_header_media_type (const EmlintMessage *msg, const EmlintHeader *header)
{
  const EmlintField *f = emlint_header_find (msg, header, "Content-Type");
  gsize len, p = 0, start;
  g_autofree char *value = NULL;

  if (f == NULL)
    return NULL;
  value = emlint_field_unfold (msg, f, &len);
  while (p < len && EMLINT_IS_FWS (value[p]))
    p++;
  start = p;
  while (p < len && value[p] != ';' && value[p] != '(' && !EMLINT_IS_FWS (value[p]))
    p++;
  return g_ascii_strdown (value + start, (gssize) (p - start));
}

const EmlintField *
emlint_header_find (const EmlintMessage *msg, const EmlintHeader *header, const char *name)
{
  for (guint i = 0; i < header->fields->len; i++)
    if (emlint_field_is (msg, emlint_header_field (header, i), name))
      return emlint_header_field (header, i);
  return NULL;
}

gboolean
emlint_field_line_cut (const EmlintMessage *msg, const EmlintField *field, guint i)
{
  guint line = field->line + i;
  gsize start, end, next;

  if (i + 1 >= field->n_lines || msg->longest_line < 990)
    return FALSE;
  start = emlint_message_line_start (msg, line);
  end = emlint_message_line_end (msg, line);
  next = emlint_message_line_start (msg, line + 1);
  return (end - start == 998 || end - start == 990) && !EMLINT_IS_FWS (msg->data[end - 1])
         && next + 1 < field->value_end && msg->data[next] == ' '
         && !EMLINT_IS_FWS (msg->data[next + 1]);
}

gboolean
emlint_field_is_cut (const EmlintMessage *msg, const EmlintField *field)
{
  if (msg->longest_line < 990)
    return FALSE;
  for (guint i = 0; i + 1 < field->n_lines; i++)
    if (emlint_field_line_cut (msg, field, i))
      return TRUE;
  return FALSE;
}

gboolean
emlint_is_encoded_word (const char *token, gsize len)
{
  EmlintEncodedWord ew;

  return emlint_encoded_word_at (token, len, 0, &ew) && ew.end == len
         && strchr ("BbQq", ew.encoding) != NULL;
}

gboolean
emlint_encoded_word_at (const char *s, gsize len, gsize pos, EmlintEncodedWord *ew)
{
  gsize i = pos + 2;

  len = MIN (len, G_MAXUINT32); /* 32-bit offsets */
  if (pos + 8 > len || s[pos] != '=' || s[pos + 1] != '?')
    return FALSE;
  ew->start = pos;
  while (i < len && emlint_is_token_char (s[i]) && s[i] != '*')
    i++;
  if (i == pos + 2)
    return FALSE;
  ew->charset_len = (guint16) MIN (i - pos - 2, G_MAXUINT16);
  if (i < len && s[i] == '*') /* RFC 2231 section 5: charset*language */
    while (i < len && emlint_is_token_char (s[i]))
      i++;
  if (i + 3 > len || s[i] != '?' || !emlint_is_token_char (s[i + 1]) || s[i + 2] != '?'
      || i + 3 - pos > G_MAXUINT16)
    return FALSE;
  ew->encoding = s[i + 1];
  i += 3;
  ew->text_offset = (guint16) (i - pos);
  while (i < len && (guchar) s[i] > 32 && (guchar) s[i] < 127 && s[i] != '?')
    i++;
  if (i + 2 > len || s[i] != '?' || s[i + 1] != '=')
    return FALSE;
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
  const char *text = s + emlint_encoded_word_text_start (ew);
  gsize n = emlint_encoded_word_text_end (ew) - emlint_encoded_word_text_start (ew);

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

  /* unknown-8bit is registered (RFC 1428, IANA) for octets of an unknown charset: readers
   * show them as they can, and there is no converter to ask. */
  if (g_ascii_strcasecmp (charset, "utf-8") == 0 || g_ascii_strcasecmp (charset, "us-ascii") == 0
      || g_ascii_strncasecmp (charset, "iso-8859-", 9) == 0
      || g_ascii_strcasecmp (charset, "unknown-8bit") == 0)
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
  if (g_hash_table_size (known) < 1024) /* a bound against hostile input */
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

/* ---- the one table of field names ------------------------------------------------------- */

#define ADDRESS EMLINT_FIELD_ADDRESS
#define MSGID EMLINT_FIELD_MSGID
#define ID_LIST EMLINT_FIELD_ID_LIST
#define STRUCTURED EMLINT_FIELD_STRUCTURED
#define PHRASES EMLINT_FIELD_PHRASES
#define PARAMS EMLINT_FIELD_PARAMS
#define TEXT EMLINT_FIELD_TEXT
#define MIME EMLINT_FIELD_MIME
#define RFC5322 EMLINT_FIELD_RFC5322
#define ONCE EMLINT_FIELD_ONCE
#define REQUIRED EMLINT_FIELD_REQUIRED
#define MAILBOX EMLINT_FIELD_MAILBOX
#define MAY_BE_EMPTY EMLINT_FIELD_MAY_BE_EMPTY
#define ORIGINATOR EMLINT_FIELD_ORIGINATOR
#define TRACE EMLINT_FIELD_TRACE
#define MARKS_RECEIVED EMLINT_FIELD_MARKS_RECEIVED
#define TRANSIT_DEFAULT EMLINT_FIELD_TRANSIT_DEFAULT
#define LIST_SERVER EMLINT_FIELD_LIST_SERVER
#define SPAM_FILTER EMLINT_FIELD_SPAM_FILTER

/* Each exact name once; a prefix entry ("List-*") adds its classes to every name it matches.
 * Order matters twice: field-count reports the ONCE fields in this order (Date before From),
 * and the TRANSIT_DEFAULT names make the transit-fields default in this order.
 *
 * Sources. RFC 5322 3.3, 3.6 (and 3.6.7 trace); RFC 2045 and RFC 2183 (MIME); RFC 2369,
 * RFC 2919, RFC 5064, RFC 8058 (lists); RFC 3282; RFC 3297 (Original-Message-ID); RFC 3834;
 * RFC 6376; RFC 7208 9.1, RFC 8601, RFC 8617, RFC 9228 (Delivered-To). The fields of Mailman 2
 * and 3 (X-Mailman-*, X-BeenThere, X-Content-Filtered-By, Message-ID-Hash, X-MailFrom), Google
 * Groups (Mailing-list, X-Google-Group-Id, X-Original-Sender,
 * X-Original-Authentication-Results, X-Spam-Checked-In-Group), ezmlm (Mailing-List), Sympa
 * (X-Loop, X-Sequence), vger's majordomo and mlmmj (X-Mailing-List); Gmane's archive (X-From:
 * the envelope sender and date); SpamAssassin (X-Spam-*), rspamd (X-Spamd-*, X-Rspamd-*),
 * amavis and ClamAV (X-Virus-*, X-Amavis-*), Exchange Online Protection
 * (X-Forefront-Antispam-Report, X-Microsoft-Antispam*), Cloudmark (X-Authority-Analysis,
 * X-Cloudmark-*); relays: Exchange's X-OriginalArrivalTime, milter-greylist's X-Greylist,
 * X-SRS-Rewrite, X-Report-Abuse, and cPanel's X-AntiAbuse and X-Get-Message-Sender-Via (the
 * sending host's, not the author's), sendmail's X-Authentication-Warning and
 * X-MIME-Autoconverted, MIMEDefang's X-Scanned-By, Yahoo's X-Apparently-To and
 * X-Default-Received-SPF, Exchange's transport stamps (X-MS-Exchange-Organization-*,
 * -CrossTenant-*, -Transport-*; not X-MS-Has-Attach and the like, which Outlook writes),
 * Proofpoint's filter (X-Proofpoint-*); and what the receiving mail reader stores in the header
 * (Thunderbird's X-Mozilla-Status and X-Mozilla-Keys, Emacs VM's X-VM-*, a POP client's X-UIDL,
 * mbox readers' Status, X-Status and X-Keywords). transit.c also counts any field whose name
 * says "spam" as a filter's (a site's own: X-ELTE-SpamCheck-Details, X-Linutronix-Spam-Status).
 * Not here:
 * Precedence (bots and autoresponders write it too, and its one word never matters) and
 * tip-bot2's Robot-Unsubscribe (the bot writes it itself: it is the sender's). */
static const EmlintFieldName field_names[] = {
  /* RFC 5322 3.6: the originator's fields */
  { "Date", STRUCTURED | RFC5322 | ONCE | REQUIRED | ORIGINATOR },
  { "From", ADDRESS | RFC5322 | ONCE | REQUIRED | ORIGINATOR },
  { "Sender", ADDRESS | RFC5322 | ONCE | MAILBOX | ORIGINATOR },
  { "Reply-To", ADDRESS | RFC5322 | ONCE | ORIGINATOR },
  { "To", ADDRESS | RFC5322 | ONCE | ORIGINATOR },
  { "Cc", ADDRESS | RFC5322 | ONCE | ORIGINATOR },
  { "Bcc", ADDRESS | RFC5322 | ONCE | MAY_BE_EMPTY | ORIGINATOR },
  { "Message-ID", MSGID | RFC5322 | ONCE | ORIGINATOR },
  { "In-Reply-To", MSGID | ID_LIST | RFC5322 | ONCE | ORIGINATOR },
  { "References", MSGID | ID_LIST | RFC5322 | ONCE | ORIGINATOR },
  { "Subject", TEXT | RFC5322 | ONCE | ORIGINATOR },
  { "Comments", TEXT | RFC5322 | ORIGINATOR },
  { "Keywords", PHRASES | RFC5322 | ORIGINATOR },
  /* RFC 5322 3.6.6: a resender's block counts as the originator's */
  { "Resent-*", ORIGINATOR },
  { "Resent-Date", STRUCTURED | RFC5322 },
  { "Resent-From", ADDRESS | RFC5322 },
  { "Resent-Sender", ADDRESS | RFC5322 | MAILBOX },
  { "Resent-To", ADDRESS | RFC5322 },
  { "Resent-Cc", ADDRESS | RFC5322 },
  { "Resent-Bcc", ADDRESS | RFC5322 | MAY_BE_EMPTY },
  { "Resent-Message-ID", MSGID | RFC5322 },
  { "Resent-Reply-To", ADDRESS },
  /* other address and msg-id fields */
  { "Disposition-Notification-To", ADDRESS },
  { "Return-Receipt-To", ADDRESS },
  { "Errors-To", ADDRESS },
  { "Mail-Followup-To", ADDRESS },
  { "Mail-Reply-To", ADDRESS },
  { "Original-Message-ID", MSGID },
  /* MIME */
  { "MIME-Version", STRUCTURED | ORIGINATOR },
  { "Content-*", ORIGINATOR },
  { "Content-ID", MSGID | MIME },
  { "Content-Type", PARAMS | MIME },
  { "Content-Disposition", PARAMS | MIME },
  { "Content-Transfer-Encoding", STRUCTURED | MIME },
  { "Content-Description", MIME },
  { "Content-Language", STRUCTURED },
  /* trace and signatures: the ones that make received mail first */
  { "Received", STRUCTURED | RFC5322 | TRACE | MARKS_RECEIVED | TRANSIT_DEFAULT },
  { "Return-Path", STRUCTURED | RFC5322 | TRACE | MARKS_RECEIVED | TRANSIT_DEFAULT },
  { "Delivered-To", TRACE | MARKS_RECEIVED },
  { "X-Original-To", TRACE | MARKS_RECEIVED },
  { "X-Received", TRACE | TRANSIT_DEFAULT },
  { "Received-SPF", TRACE | TRANSIT_DEFAULT },
  { "Authentication-Results", TRACE | TRANSIT_DEFAULT },
  { "ARC-*", TRACE | TRANSIT_DEFAULT },
  { "DKIM-Signature", STRUCTURED | TRACE | TRANSIT_DEFAULT },
  { "X-Google-DKIM-Signature", TRACE | TRANSIT_DEFAULT },
  { "X-OriginalArrivalTime", TRACE },
  { "X-Greylist", TRACE },
  { "X-SRS-Rewrite", TRACE },
  { "X-Report-Abuse", TRACE },
  { "X-AntiAbuse", TRACE },
  { "X-Get-Message-Sender-Via", TRACE },
  { "X-Authentication-Warning", TRACE },
  { "X-MIME-Autoconverted", TRACE },
  { "X-Scanned-By", TRACE },
  { "X-Apparently-To", TRACE },
  { "X-Default-Received-SPF", TRACE },
  { "X-MS-Exchange-Organization-*", TRACE },
  { "X-MS-Exchange-CrossTenant-*", TRACE },
  { "X-MS-Exchange-Transport-*", TRACE },
  /* what the receiving mail reader stores */
  { "X-Mozilla-Status*", TRACE },
  { "X-Mozilla-Keys", TRACE },
  { "X-VM-*", TRACE },
  { "X-UIDL", TRACE },
  { "Status", TRACE },
  { "X-Status", TRACE },
  { "X-Keywords", TRACE },
  /* list servers */
  { "List-*", LIST_SERVER },
  { "List-Id", PHRASES },
  { "List-Help", STRUCTURED },
  { "List-Unsubscribe", STRUCTURED },
  { "List-Unsubscribe-Post", STRUCTURED },
  { "List-Subscribe", STRUCTURED },
  { "List-Post", STRUCTURED },
  { "List-Owner", STRUCTURED },
  { "List-Archive", STRUCTURED },
  { "Archived-At", LIST_SERVER },
  { "X-Mailman-*", LIST_SERVER },
  { "X-BeenThere", LIST_SERVER },
  { "X-Content-Filtered-By", LIST_SERVER },
  { "Message-ID-Hash", LIST_SERVER },
  { "X-Message-ID-Hash", LIST_SERVER },
  { "X-MailFrom", LIST_SERVER },
  { "Mailing-List", LIST_SERVER },
  { "X-Mailing-List", LIST_SERVER },
  { "X-Google-Group-Id", LIST_SERVER },
  { "X-Original-Sender", LIST_SERVER },
  { "X-Original-Authentication-Results", LIST_SERVER },
  { "X-Spam-Checked-In-Group", LIST_SERVER },
  { "X-Loop", LIST_SERVER },
  { "X-From", LIST_SERVER },
  { "X-Sequence", LIST_SERVER },
  /* spam and virus filters */
  { "X-Spam", SPAM_FILTER },
  { "X-Spam-*", SPAM_FILTER },
  { "X-Spamd-*", SPAM_FILTER },
  { "X-Rspamd-*", SPAM_FILTER },
  { "X-Virus-*", SPAM_FILTER },
  { "X-Amavis-*", SPAM_FILTER },
  { "X-Forefront-Antispam-Report*", SPAM_FILTER },
  { "X-Microsoft-Antispam*", SPAM_FILTER },
  { "X-Authority-Analysis", SPAM_FILTER },
  { "X-Cloudmark-*", SPAM_FILTER },
  { "X-Proofpoint-*", SPAM_FILTER },
  /* others */
  { "Auto-Submitted", STRUCTURED },
  { "X-*", TEXT }, /* mostly text */
};

#undef ADDRESS
#undef MSGID
#undef ID_LIST
#undef STRUCTURED
#undef PHRASES
#undef PARAMS
#undef TEXT
#undef MIME
#undef RFC5322
#undef ONCE
#undef REQUIRED
#undef MAILBOX
#undef MAY_BE_EMPTY
#undef ORIGINATOR
#undef TRACE
#undef MARKS_RECEIVED
#undef TRANSIT_DEFAULT
#undef LIST_SERVER
#undef SPAM_FILTER

#define LONGEST_NAME 40

/* The table indexed for lookups, which rules make for many fields of every message: the exact
 * names by length, and the prefixes. Each entry also has its first four octets case-folded
 * (|0x20) into one word, so that one comparison rules out almost every entry. Built once, on
 * first use. */
typedef struct {
  guint8 by_length[G_N_ELEMENTS (field_names)];
  guint8 start[LONGEST_NAME + 2]; /* by_length[start[n]] .. [start[n + 1]]: n octets long */
  guint8 prefixes[G_N_ELEMENTS (field_names)]; /* by their first octet, folded: */
  guint8 prefix_start[257];               /* prefixes[prefix_start[c]] .. [prefix_start[c + 1]] */
  guint8 len[G_N_ELEMENTS (field_names)]; /* of the name; a prefix's without its '*' */
  guint32 key[G_N_ELEMENTS (field_names)], mask[G_N_ELEMENTS (field_names)];
} NameIndex;

/* The first min(@n, 4) octets of @name, folded, in one word. */
static inline guint32
name_key (const char *name, gsize n)
{
  guint32 key = 0;

  for (gsize i = 0; i < MIN (n, 4); i++)
    key |= (guint32) ((guchar) name[i] | 0x20) << (8 * i);
  return key;
}

static gboolean
is_prefix (const EmlintFieldName *entry)
{
  return entry->name[strlen (entry->name) - 1] == '*';
}

G_LOCK_DEFINE_STATIC (names);

static const NameIndex *
name_index (void)
{
  static NameIndex index;
  static gint built;

  /* Built under a lock behind an atomic flag rather than with g_once_init_enter(): the flag's
   * store and loads are compiled here, where ThreadSanitizer sees them pair up, whereas
   * g_once_init_leave() stores inside libglib, unseen. */
  if (g_atomic_int_get (&built))
    return &index;
  G_LOCK (names);
  if (!g_atomic_int_get (&built))
    {
      guint k = 0, p = 0;

      for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
        {
          gsize stem = strlen (field_names[i].name) - is_prefix (&field_names[i]);

          index.len[i] = (guint8) MIN (stem, LONGEST_NAME + 1);
          index.key[i] = name_key (field_names[i].name, stem);
          index.mask[i] = stem >= 4 ? G_MAXUINT32 : (1u << (8 * stem)) - 1;
        }
      for (gsize n = 0; n <= LONGEST_NAME; n++)
        {
          index.start[n] = (guint8) k;
          for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
            if (!is_prefix (&field_names[i]) && index.len[i] == n)
              index.by_length[k++] = (guint8) i;
        }
      index.start[LONGEST_NAME + 1] = (guint8) k;
      for (guint c = 0; c < 256; c++)
        {
          index.prefix_start[c] = (guint8) p;
          for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
            if (is_prefix (&field_names[i]) && (index.key[i] & 0xff) == c)
              index.prefixes[p++] = (guint8) i;
        }
      index.prefix_start[256] = (guint8) p;
      g_assert (k + p == G_N_ELEMENTS (field_names)); /* none is too long */
      g_atomic_int_set (&built, 1);
    }
  G_UNLOCK (names);
  return &index;
}

const EmlintFieldName *
emlint_field_names (guint *n)
{
  *n = G_N_ELEMENTS (field_names);
  return field_names;
}

gboolean
emlint_field_name_matches (const char *pattern, const char *name, gsize len)
{
  gsize n;

  if (len == 0 || (name[0] | 0x20) != (pattern[0] | 0x20))
    return FALSE;
  n = strlen (pattern);
  if (n > 0 && pattern[n - 1] == '*')
    return len >= n - 1 && emlint_ascii_equal_ci (name, pattern, n - 1);
  return len == n && emlint_ascii_equal_ci (name, pattern, n);
}

EmlintFieldClass
emlint_field_lookup (const EmlintMessage *msg, const EmlintField *field, const char **canonical)
{
  const NameIndex *index = name_index ();
  const char *name = msg->data + field->start;
  gsize n = field->name_end - field->start;
  guint32 key = name_key (name, n);
  EmlintFieldClass classes = 0;

  if (canonical != NULL)
    *canonical = NULL;
  /* The exact names of its length (none is longer than LONGEST_NAME). */
  for (guint i = index->start[MIN (n, LONGEST_NAME + 1)];
       i < index->start[MIN (n + 1, LONGEST_NAME + 1)]; i++)
    {
      guint k = index->by_length[i];

      if (key == index->key[k] && emlint_ascii_equal_ci (name, field_names[k].name, n))
        {
          classes = field_names[k].classes;
          if (canonical != NULL)
            *canonical = field_names[k].name;
          break;
        }
    }
  for (guint i = index->prefix_start[key & 0xff]; i < index->prefix_start[(key & 0xff) + 1]; i++)
    {
      guint k = index->prefixes[i];
      gsize stem = index->len[k];

      if (n >= stem && (key & index->mask[k]) == index->key[k]
          && emlint_ascii_equal_ci (name, field_names[k].name, stem))
        classes |= field_names[k].classes;
    }
  return classes;
}

gboolean
emlint_field_in (const EmlintMessage *msg, const EmlintField *field, EmlintFieldClass classes)
{
  return (emlint_field_lookup (msg, field, NULL) & classes) != 0;
}

static FieldKind
field_kind (const EmlintMessage *msg, const EmlintField *field)
{
  EmlintFieldClass classes = emlint_field_lookup (msg, field, NULL);

  if (classes & EMLINT_FIELD_MSGID)
    return KIND_MSGID;
  if (classes & EMLINT_FIELD_ADDRESS)
    return KIND_ADDRESS;
  if (classes & EMLINT_FIELD_PHRASES)
    return KIND_PHRASES;
  if (classes & EMLINT_FIELD_PARAMS)
    return KIND_PARAMS;
  if (classes & EMLINT_FIELD_STRUCTURED)
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

static gboolean
is_name_parameter (const EmlintMessage *msg, const EmlintWordHit *hit)
{
  gsize n = hit->param_len;
  const char *name = msg->data + hit->param_start;

  return (n == 4 && g_ascii_strncasecmp (name, "name", 4) == 0)
         || (n == 8 && g_ascii_strncasecmp (name, "filename", 8) == 0);
}

gboolean
emlint_word_misplaced (const EmlintMessage *msg, const EmlintField *field, const EmlintWordHit *hit,
                       EmlintSeverity *severity)
{
  *severity = EMLINT_ERROR;
  switch (hit->context)
    {
    case EMLINT_WORD_TEXT:
    case EMLINT_WORD_PHRASE:
    case EMLINT_WORD_COMMENT: return FALSE;
    case EMLINT_WORD_QUOTED:
      *severity = EMLINT_WARNING; /* many readers decode it anyway */
      return TRUE;
    case EMLINT_WORD_PARAM: return !(hit->quoted && is_name_parameter (msg, hit));
    default: return TRUE;
    }
}

/* RFC 5322 atext, or an 8-bit octet (UTF-8 is atext in RFC 6532; others are header-8bit's):
 * what an atom holds, and what an atom would swallow of an encoded-word glued to it. */
static gboolean
is_atom_char (guchar c)
{
  return emlint_is_atext (c) || c >= 0x80;
}

typedef struct {
  const EmlintMessage *msg;
  const char *d;
  gsize start, end; /* the field value */
  GArray *out;
} Scan;

G_STATIC_ASSERT (sizeof (EmlintWordHit) == 24); /* a million words in a Subject: 24 MB */

static void
add_hit (Scan *sc, const EmlintEncodedWord *ew, EmlintWordContext context, gboolean separated,
         gsize param_start, gsize param_end, gboolean quoted)
{
  EmlintWordHit hit = { *ew, param_start, MIN (param_end - param_start, G_MAXUINT16), context,
                        separated, quoted };
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
          gboolean separated = !is_atom_char (before) && !is_atom_char (after) && before != '.'
                               && after != '.';
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
                                            ? EMLINT_WORD_ADDR_SPEC
                                            : EMLINT_WORD_PHRASE;
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

  for (const char *p = s + 1; p < end && (q = memchr (p, '?', (gsize) (end - p))) != NULL;
       p = q + 1)
    if (q[-1] == '=')
      return TRUE;
  return FALSE;
}

/* Every encoded-word shape in the value of @field into @out (see emlint_field_words()). */
static void
scan_field_words (const EmlintMessage *msg, const EmlintField *field, GArray *out)
{
  Scan sc = { msg, msg->data, field->value_start, field->value_end, out };
  FieldKind kind = field_kind (msg, field);

  switch (kind)
    {
    case KIND_MSGID: break;
    case KIND_TEXT: scan_text (&sc, field->value_start); break;
    case KIND_PARAMS: scan_params (&sc, field->value_start); break;
    default: scan_structured (&sc, field->value_start, kind); break;
    }
}

/* The encoded-words of a field that holds "=?", found on the first call: three rules ask for
 * them. Kept by the message (one thread lints it), keyed by the field; rules read them there,
 * without a copy of their own. */
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
      scan_field_words (msg, field, words);
      g_hash_table_insert (m->field_words, (gpointer) field, words);
    }
  return words;
}

const GArray *
emlint_field_words (const EmlintMessage *msg, const EmlintField *field)
{
  /* Most fields hold no encoded-word: look for "=?" before any lexing ('?' is the rarer
   * octet in header fields, and memchr beats memmem on short values). */
  if (!emlint_has_encoded_word_start (msg->data + field->value_start,
                                      field->value_end - field->value_start))
    return NULL;
  return cached_words (msg, field);
}

const EmlintField *
emlint_next_word_field (const EmlintMessage *msg, EmlintWordFields *it, gboolean broken)
{
  if (it->fields == NULL)
    {
      it->fields = emlint_fields_once (msg);
      it->none = g_array_new (FALSE, FALSE, sizeof (EmlintWordHit));
    }
  while (it->next < it->fields->len)
    {
      const EmlintField *field = g_array_index (it->fields, EmlintFieldRef, it->next++).field;
      const GArray *words = emlint_field_words (msg, field);

      it->words = words != NULL ? words : it->none;
      if (it->words->len == 0
          && !(broken
               && emlint_has_encoded_word_start (msg->data + field->value_start,
                                                 field->value_end - field->value_start)))
        continue;
      if (emlint_field_origin (msg, field) != EMLINT_ORIGIN_SPAM_FILTER)
        return field;
    }
  return NULL;
}

void
emlint_word_fields_clear (EmlintWordFields *it)
{
  g_clear_pointer (&it->fields, g_array_unref);
  g_clear_pointer (&it->none, g_array_unref);
  it->words = NULL;
}

char *
emlint_field_uncommented (const EmlintMessage *msg, const EmlintField *field)
{
  gsize len;
  g_autofree char *value = emlint_field_unfold (msg, field, &len);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    {
      if (value[i] == '(')
        {
          g_string_append_c (out, ' ');
          i = MIN (emlint_comment_end (value, len, i), len) - 1; /* unclosed: to the end */
        }
      else
        g_string_append_c (out, EMLINT_IS_FWS (value[i]) ? ' ' : value[i]);
    }
  return g_string_free (out, FALSE);
}

/* ---- RFC 5322 3.4 addresses ------------------------------------------------------------ */

/* A hand-written parser rather than GMime's internet_address_list_parse(): even in strict
 * mode GMime accepts "ada" (no domain) and ":;" (a group without a name), returns nothing for
 * "Ada <ada@example.com" without a warning, and its warnings carry no offset, where a finding
 * must point at the address. */

typedef struct {
  const char *s;
  gsize p, end;
  gsize item; /* where the current address starts */
  EmlintAddressProblem *problem;
} AddressCursor;

/* Records an error about [from, to) (extended to the octet at the cursor); returns FALSE. */
static gboolean G_GNUC_PRINTF (4, 5)
  address_error (AddressCursor *c, gsize from, gsize to, const char *format, ...)
{
  va_list args;

  g_free (c->problem->why);
  va_start (args, format);
  c->problem->why = g_strdup_vprintf (format, args);
  va_end (args);
  while (from < to && EMLINT_IS_FWS (c->s[from]))
    from++;
  c->problem->start = from;
  c->problem->end = MAX (MIN (to, c->end), from + (from < c->end));
  c->problem->obsolete = FALSE;
  return FALSE;
}

/* Notes the first obsolete form, about [from, to). */
static void
address_obsolete (AddressCursor *c, gsize from, gsize to, const char *why)
{
  if (c->problem->why != NULL)
    return;
  while (from < to && EMLINT_IS_FWS (c->s[from]))
    from++;
  c->problem->why = g_strdup (why);
  c->problem->start = MIN (from, c->end - 1);
  c->problem->end = MIN (MAX (to, from + 1), c->end);
  c->problem->obsolete = TRUE;
}

/* How much of [from, to) a message shows: at most 60 octets, up to a line break. */
static int
shown (const AddressCursor *c, gsize from, gsize to)
{
  gsize n = 0;

  while (from + n < to && n < 60 && c->s[from + n] != '\r' && c->s[from + n] != '\n')
    n++;
  while (n > 0 && EMLINT_IS_FWS (c->s[from + n - 1]))
    n--;
  return (int) n;
}

static int
peek_char (const AddressCursor *c)
{
  return c->p < c->end ? (guchar) c->s[c->p] : -1;
}

/* An octet after a whole address, where a ',' belongs. */
static gboolean
address_unexpected (AddressCursor *c)
{
  int ch = peek_char (c);

  if (ch == '"' || ch == '<' || is_atom_char ((guchar) ch))
    return address_error (c, c->item, c->p + 1, "two addresses without a ',' between them");
  return address_error (c, c->item, c->p + 1, "'%c' cannot stand here in an address", ch);
}

/* Skips CFWS; FALSE on an unterminated comment. */
static gboolean
skip_address_cfws (AddressCursor *c)
{
  gsize open;

  if (!(emlint_skip_cfws (c->s, c->end, &c->p, TRUE) & EMLINT_CFWS_UNCLOSED))
    return TRUE;
  open = c->p;
  c->p = c->end;
  return address_error (c, open, c->end, "a comment that is never closed with ')'");
}

/* One word (atom or quoted-string) at the cursor; FALSE with *@none when there is none. */
static gboolean
skip_word (AddressCursor *c, gboolean *none)
{
  gsize start = c->p;
  EmlintEncodedWord ew;

  *none = FALSE;
  if (peek_char (c) == '"')
    {
      if ((c->p = emlint_quoted_string_end (c->s, c->end, c->p)) != G_MAXSIZE)
        return TRUE;
      c->p = c->end;
      return address_error (c, start, c->end, "a quoted-string that is never closed with '\"'");
    }
  /* An encoded-word is one word, as readers decode it, whatever its Q text holds: a special
   * in it is encoded-word-malformed's. */
  if (emlint_encoded_word_at (c->s, c->end, c->p, &ew))
    c->p = ew.end;
  while (c->p < c->end && is_atom_char ((guchar) c->s[c->p]))
    c->p++;
  *none = c->p == start;
  return !*none;
}

/* domain = dot-atom / domain-literal / obs-domain, after the '@'. */
static gboolean
parse_domain (AddressCursor *c)
{
  gsize start;
  gboolean none;

  if (!skip_address_cfws (c))
    return FALSE;
  start = c->p;
  if (peek_char (c) == '[')
    {
      for (c->p++; c->p < c->end && c->s[c->p] != ']'; c->p++)
        if (c->s[c->p] == '[' || c->s[c->p] == '\\')
          return address_error (c, c->item, c->p + 1, "the domain literal holds '%c'", c->s[c->p]);
      if (c->p >= c->end)
        return address_error (c, c->item, c->end, "a domain literal never closed with ']'");
      c->p++;
      return skip_address_cfws (c);
    }
  for (;;)
    {
      gsize word_end, dot_end;
      gboolean loose;

      if (peek_char (c) == '"')
        return address_error (c, c->item, c->p + 1, "the domain holds a quoted-string");
      if (!skip_word (c, &none))
        return address_error (c, c->item, c->p + 1,
                              c->p == start
                                ? "the address has nothing after its '@'"
                                : "the domain has an empty label (a dot at an end, or two in a "
                                  "row)");
      word_end = c->p;
      if (!skip_address_cfws (c))
        return FALSE;
      if (peek_char (c) != '.')
        return TRUE;
      loose = c->p > word_end;
      dot_end = ++c->p;
      if (!skip_address_cfws (c))
        return FALSE;
      if (loose || c->p > dot_end)
        address_obsolete (c, c->item, c->p,
                          "white space or a comment around a dot of the "
                          "domain (obs-domain)");
    }
}

/* The words and dots of a local-part or phrase; stops at the first other octet. */
typedef struct {
  guint words, dots;
  gboolean spaced; /* white space or a comment between two words with no dot between */
  gboolean loose;  /* white space or a comment next to a dot */
  gboolean quoted; /* a quoted-string among the words */
} Words;

static gboolean
scan_words (AddressCursor *c, Words *w)
{
  gboolean after_word = FALSE, after_dot = FALSE, none;

  memset (w, 0, sizeof *w);
  for (;;)
    {
      gsize before = c->p, word;

      if (!skip_address_cfws (c))
        return FALSE;
      word = c->p;
      if (peek_char (c) == '.')
        {
          w->loose |= after_word && word > before;
          w->dots++;
          c->p++;
          after_word = FALSE;
          after_dot = TRUE;
          continue;
        }
      w->quoted |= peek_char (c) == '"';
      if (!skip_word (c, &none))
        return none;
      w->spaced |= after_word && word > before;
      w->loose |= after_dot && word > before;
      w->words++;
      after_word = TRUE;
      after_dot = FALSE;
    }
}

/* TRUE when the words are a dot-atom or an obs-local-part: words joined by single dots. */
static gboolean
dotted (const Words *w)
{
  return w->words > 0 && !w->spaced && w->dots == w->words - 1;
}

/* addr-spec = local-part "@" domain, the local-part already scanned into @w. */
static gboolean
finish_addr_spec (AddressCursor *c, const Words *w)
{
  if (w->words == 0)
    return address_error (c, c->item, c->p + 1, "the address has nothing before its '@'");
  if (w->spaced)
    return address_error (c, c->item, c->p,
                          "the local part is several words with white space "
                          "between them (\"wat chers@...\"): readers take it for another "
                          "address");
  if (!dotted (w))
    return address_error (c, c->item, c->p,
                          "the local part has an empty atom (a dot at an "
                          "end, or two in a row)");
  if (w->loose || (w->quoted && w->words > 1))
    address_obsolete (c, c->item, c->p,
                      "a local part with white space around its dots, or "
                      "of quoted-strings joined by dots (obs-local-part)");
  c->p++; /* the '@' */
  return parse_domain (c);
}

/* angle-addr, at the '<'. */
static gboolean
parse_angle_addr (AddressCursor *c)
{
  Words w;

  c->p++;
  if (!skip_address_cfws (c))
    return FALSE;
  if (peek_char (c) == '@')
    {
      /* obs-route: "@" domain *("," ["@" domain]) ":" */
      gsize route = c->p;
      while (peek_char (c) == '@' || peek_char (c) == ',')
        {
          c->p++;
          if (c->s[c->p - 1] == '@' && !parse_domain (c))
            return FALSE;
          if (!skip_address_cfws (c))
            return FALSE;
        }
      if (peek_char (c) != ':')
        return address_error (c, c->item, c->p + 1,
                              "a source route (<@host:...>) without "
                              "its ':'");
      c->p++;
      address_obsolete (c, route, c->p, "a source route (obs-route)");
    }
  if (peek_char (c) == '>')
    return address_error (c, c->item, c->p + 1, "the address <> is empty");
  if (!scan_words (c, &w))
    return FALSE;
  if (peek_char (c) != '@')
    return address_error (c, c->item, c->p + 1,
                          peek_char (c) < 0 ? "the '<' is never closed with '>'"
                                            : "the address in angle brackets has no '@domain'");
  if (!finish_addr_spec (c, &w) || !skip_address_cfws (c))
    return FALSE;
  if (peek_char (c) != '>')
    return address_error (c, c->item, c->p + 1,
                          peek_char (c) < 0
                            ? "the '<' is never closed with '>'"
                            : "the address in angle brackets holds '%c' after its domain",
                          peek_char (c));
  c->p++;
  return skip_address_cfws (c);
}

/* One mailbox or group; @in_group: inside a group, where groups may not nest. Sets *@empty
 * when there is nothing before the next ',' (obs-addr-list). */
static gboolean
parse_address (AddressCursor *c, gboolean in_group, gboolean *empty)
{
  Words w;
  gsize phrase;

  *empty = FALSE;
  if (!skip_address_cfws (c))
    return FALSE;
  c->item = phrase = c->p;
  if (peek_char (c) == '<')
    return parse_angle_addr (c);
  if (!scan_words (c, &w))
    return FALSE;
  switch (peek_char (c))
    {
    case '@':
      {
        gsize spec_end;

        if (!finish_addr_spec (c, &w))
          return FALSE;
        spec_end = c->p;
        if (!skip_address_cfws (c))
          return FALSE;
        if (peek_char (c) == '<')
          return address_error (c, c->item, c->p,
                                "the display name '%.*s' holds an unquoted "
                                "'@', a special that only a quoted-string may hold; quote the "
                                "name",
                                shown (c, c->item, spec_end), c->s + c->item);
        return TRUE;
      }
    case '<':
      if (w.words == 0)
        return address_error (c, c->item, c->p, "the display name is only dots");
      if (w.dots > 0)
        address_obsolete (c, phrase, c->p,
                          "a display name with an unquoted '.' (obs-phrase); "
                          "quote it");
      return parse_angle_addr (c);
    case ':':
      if (in_group)
        return address_error (c, c->item, c->p + 1, "a group inside a group");
      if (w.words == 0)
        return address_error (c, c->item, c->p + 1, "a group without a name before its ':'");
      c->p++;
      for (;;)
        {
          gboolean none;

          if (!parse_address (c, TRUE, &none))
            return FALSE;
          if (none && peek_char (c) == ',')
            address_obsolete (c, c->p, c->p + 1, "an empty element in the group's list");
          if (peek_char (c) == ';')
            {
              c->p++;
              return skip_address_cfws (c);
            }
          if (peek_char (c) < 0)
            return address_error (c, c->item, c->p, "the group is never closed with ';'");
          if (peek_char (c) != ',')
            return address_unexpected (c);
          c->p++;
        }
    default:
      if (w.words == 0 && w.dots == 0)
        {
          *empty = TRUE;
          return TRUE;
        }
      if (peek_char (c) >= 0 && peek_char (c) != ',' && peek_char (c) != ';')
        return address_error (c, c->item, c->p + 1, "'%c' cannot stand here in an address",
                              peek_char (c));
      if (dotted (&w))
        return address_error (c, c->item, c->p, "the address '%.*s' has no '@domain'",
                              shown (c, c->item, c->p), c->s + c->item);
      return address_error (c, c->item, c->p,
                            "words without an address: '%.*s' is neither "
                            "an addr-spec nor a display name before <...>",
                            shown (c, c->item, c->p), c->s + c->item);
    }
}

gboolean
emlint_address_list_parse (const char *s, gsize start, gsize end, guint *n_addresses,
                           EmlintAddressProblem *problem)
{
  AddressCursor c = { s, start, end, start, problem };

  problem->why = NULL;
  *n_addresses = 0;
  for (;;)
    {
      gboolean empty;
      gsize at = c.p;

      if (!parse_address (&c, FALSE, &empty))
        return FALSE;
      if (empty && peek_char (&c) == ',')
        address_obsolete (&c, at, c.p + 1,
                          "an empty element in the address list "
                          "(obs-addr-list)");
      *n_addresses += !empty;
      if (peek_char (&c) < 0)
        {
          if (empty && *n_addresses > 0)
            address_obsolete (&c, at - 1, at, "a ',' after the last address (obs-addr-list)");
          return TRUE;
        }
      if (peek_char (&c) == ';')
        return address_error (&c, c.item, c.p + 1, "a ';' outside a group");
      if (peek_char (&c) != ',')
        return address_unexpected (&c);
      c.p++;
    }
}
