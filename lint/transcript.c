/* transcript.c: reading IMAP transcripts (see transcript.h).
 *
 * Each reader turns its format into records: one physical line of one direction, decoded, with
 * the source offset of every octet. One assembler then turns records into protocol lines: it
 * counts literal payloads off the records that follow a {n} (when the log has them), splits a
 * record where a payload ends inside it, and masks secrets in the lines and in the sources. */
#include "transcript.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  EmlintImapDirection direction;
  guint source;
  gsize start; /* source offset of text[0] */
  char *text;  /* decoded line, without its ending */
  gsize len;
  gsize *map;       /* NULL: verbatim; else len + 1 source offsets */
  guint eol;        /* octets of the line ending on the wire */
  gint64 when;      /* rawlog: microseconds; -1 unknown */
  guint seq;        /* read order */
  guint connection; /* Thunderbird: which of the log's connections */
  gboolean hidden;  /* the log hid the line (Thunderbird suppresses authentication) */
} Record;

typedef struct {
  EmlintTranscriptFormat format;
  EmlintTranscript *t; /* the transcript being assembled */
  GPtrArray *buffers;  /* of GByteArray: the sources' octets, masked in place */
  GPtrArray *paths;    /* of char*: the sources' display paths */
  GArray *records;     /* of Record */
  gboolean payloads;   /* literal payloads are in the log */
  gboolean ordered;
  GHashTable *connections; /* Thunderbird: connection name -> index + 1 */
  gboolean open;           /* Thunderbird: the last record waits for the rest of its line */
} Builder;

static const char *const format_names[] = { "auto", "rfc",   "imaplib",    "rawlog",
                                            "curl", "plain", "thunderbird" };

gboolean
emlint_transcript_format_parse (const char *name, EmlintTranscriptFormat *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_strcmp0 (name, format_names[i]) == 0)
      {
        *out = (EmlintTranscriptFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
emlint_transcript_format_name (EmlintTranscriptFormat format)
{
  return format_names[format];
}

/* ---- records ----------------------------------------------------------------------------- */

static void
add_record (Builder *b, EmlintImapDirection direction, guint source, gsize start, const char *text,
            gsize len, gsize *map, guint eol, gint64 when)
{
  Record r = { direction,       source, start, g_strndup (text, len), len, map, eol, when,
               b->records->len, 0,      FALSE };
  g_array_append_val (b->records, r);
}

static void
record_clear (gpointer data)
{
  Record *r = data;
  g_free (r->text);
  g_free (r->map);
}

/* Calls @each for every line of @data with its start and the end of its content. */
typedef void (*LineFunc) (Builder *b, guint source, const char *data, gsize start, gsize end,
                          gsize next);

static void
each_line (Builder *b, guint source, LineFunc each)
{
  GByteArray *buf = g_ptr_array_index (b->buffers, source);
  const char *data = (const char *) buf->data;
  gsize len = buf->len;

  for (gsize pos = 0; pos < len;)
    {
      const char *nl = memchr (data + pos, '\n', len - pos);
      gsize next = nl ? (gsize) (nl - data) + 1 : len;
      gsize end = nl ? (gsize) (nl - data) : len;

      if (end > pos && data[end - 1] == '\r')
        end--;
      each (b, source, data, pos, end, next);
      pos = next;
    }
}

static gboolean
is_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return n > 0;
}

/* "C: a1 NOOP" / "S: * OK": optional leading blanks, the marker, one optional space. */
static void
rfc_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next)
{
  EmlintImapDirection dir;

  while (pos < end && (data[pos] == ' ' || data[pos] == '\t'))
    pos++;
  if (end - pos < 2 || data[pos + 1] != ':' || (data[pos] != 'C' && data[pos] != 'S'))
    return;
  dir = data[pos] == 'C' ? EMLINT_IMAP_CLIENT : EMLINT_IMAP_SERVER;
  pos += 2;
  if (pos < end && data[pos] == ' ')
    pos++;
  add_record (b, dir, source, pos, data + pos, end - pos, NULL, 2, -1);
}

/* "> A001 LOGIN ..." sent, "< * OK ..." received; "* " and "{ ", "} " lines are curl's. */
static void
curl_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next)
{
  if (end - pos < 2 || data[pos + 1] != ' ' || (data[pos] != '>' && data[pos] != '<'))
    return;
  add_record (b, data[pos] == '>' ? EMLINT_IMAP_CLIENT : EMLINT_IMAP_SERVER, source, pos + 2,
              data + pos + 2, end - pos - 2, NULL, 2, -1);
}

static void
plain_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next)
{
  if (end > pos)
    add_record (b, EMLINT_IMAP_UNKNOWN, source, pos, data + pos, end - pos, NULL, 2, -1);
}

/* The length of a rawlog timestamp "SECONDS.MICROS " at @s, with its value; 0 when none. */
static gsize
rawlog_stamp (const char *s, gsize n, gint64 *when)
{
  /* At most 12 digits of seconds: the microseconds since 1970 must fit in a gint64. */
  const char *dot = memchr (s, '.', MIN (n, 13));

  if (dot == NULL || (gsize) (dot - s) + 8 > n || !is_digits (s, (gsize) (dot - s))
      || !is_digits (dot + 1, 6) || dot[7] != ' ')
    return 0;
  *when = g_ascii_strtoll (s, NULL, 10) * G_USEC_PER_SEC + g_ascii_strtoll (dot + 1, NULL, 10);
  return (gsize) (dot - s) + 8;
}

/* A rawlog keeps the real octets, so a line's ending counts as it is in the file. */
static void
rawlog_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next,
             EmlintImapDirection dir)
{
  gint64 when = -1;
  gsize stamp = rawlog_stamp (data + pos, end - pos, &when);

  if (when < 0)
    b->ordered = FALSE;
  add_record (b, dir, source, pos + stamp, data + pos + stamp, end - pos - stamp, NULL,
              (guint) (next - end), when);
}

static void
rawlog_in_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next)
{
  rawlog_line (b, source, data, pos, end, next, EMLINT_IMAP_CLIENT);
}

static void
rawlog_out_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next)
{
  rawlog_line (b, source, data, pos, end, next, EMLINT_IMAP_SERVER);
}

static void
rawlog_unknown_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next)
{
  rawlog_line (b, source, data, pos, end, next, EMLINT_IMAP_UNKNOWN);
}

/* Decodes the Python bytes literal b'...' or b"..." at [pos, end) into a record: imaplib logs
 * each line with repr(). */
static gboolean
imaplib_bytes (Builder *b, guint source, const char *data, gsize pos, gsize end,
               EmlintImapDirection dir)
{
  char quote;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GArray) map = g_array_new (FALSE, FALSE, sizeof (gsize));

  if (end - pos < 3 || data[pos] != 'b' || (data[pos + 1] != '\'' && data[pos + 1] != '"')
      || data[end - 1] != data[pos + 1])
    return FALSE;
  quote = data[pos + 1];
  for (gsize i = pos + 2; i < end - 1;)
    {
      gsize at = i;
      char c = data[i++];

      if (c == '\\' && i < end - 1)
        {
          char e = data[i++];
          if (e == 'x' && i + 2 <= end - 1 && g_ascii_isxdigit (data[i])
              && g_ascii_isxdigit (data[i + 1]))
            {
              c = (char) (g_ascii_xdigit_value (data[i]) * 16 + g_ascii_xdigit_value (data[i + 1]));
              i += 2;
            }
          else
            c = e == 'r' ? '\r' : e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
      else if (c == quote)
        return FALSE;
      g_string_append_c (text, c);
      g_array_append_val (map, at);
    }
  g_array_append_val (map, (gsize){ end - 1 });
  add_record (b, dir, source, pos + 2, text->str, text->len,
              (gsize *) g_array_free (g_steal_pointer (&map), FALSE), 2, -1);
  return TRUE;
}

/* "  MM:SS.cc > b'...'": the stamp, the direction, the bytes. Other lines are imaplib's notes. */
static gsize
imaplib_stamp (const char *s, gsize n)
{
  return n >= 11 && s[0] == ' ' && s[1] == ' ' && is_digits (s + 2, 2) && s[4] == ':'
             && is_digits (s + 5, 2) && s[7] == '.' && is_digits (s + 8, 2) && s[10] == ' '
           ? 11
           : 0;
}

static void
imaplib_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next)
{
  gsize stamp = imaplib_stamp (data + pos, end - pos);

  pos += stamp;
  if (stamp == 0 || end - pos < 2 || data[pos + 1] != ' ' || (data[pos] != '>' && data[pos] != '<'))
    return;
  imaplib_bytes (b, source, data, pos + 2, end,
                 data[pos] == '>' ? EMLINT_IMAP_CLIENT : EMLINT_IMAP_SERVER);
}

/* Thunderbird (MOZ_LOG=IMAP:5): "...PTR:HOST:STATE:SendData: line" for what it sends and
 * "...:CreateNewLineFromSocket: line" for what it reads, lines with their CR; several
 * connections (PTR) share one log. Long lines come in 400-octet pieces on the lines after;
 * a buffer of several lines goes on, unprefixed, on the next physical lines; each entry is
 * followed by an empty line. Authentication is logged as "Logging suppressed...". */
static const char tb_send[] = ":SendData: ";
static const char tb_read[] = ":CreateNewLineFromSocket: ";
static const char tb_hidden[] = "Logging suppressed for this command";

/* A line of the logger's own ("[Parent 1: IMAP]: I/IMAP ...", "1129732432[1787e90]: ..."). */
static gsize
thunderbird_prefix (const char *s, gsize n)
{
  const char *mark = g_strstr_len (s, (gssize) MIN (n, 96), "]: ");
  const char *imap;

  if (mark == NULL || (s[0] != '[' && !g_ascii_isdigit (s[0])))
    return 0;
  imap = g_strstr_len (mark, (gssize) MIN (n - (gsize) (mark - s), 16), "/IMAP ");
  return (gsize) ((imap ? imap + 6 : mark + 3) - s);
}

/* The start of the protocol text after a marker, or 0; sets the direction and the connection
 * name (the PTR of the preamble). */
static gsize
thunderbird_marker (const char *s, gsize n, EmlintImapDirection *dir, const char **conn,
                    gsize *conn_len)
{
  const char *send = g_strstr_len (s, (gssize) n, tb_send);
  const char *read = send ? NULL : g_strstr_len (s, (gssize) n, tb_read);
  const char *marker = send ? send : read;
  const char *from, *colon;

  if (marker == NULL)
    return 0;
  /* The preamble follows the logger's prefix; its first field is PTR. */
  from = s + thunderbird_prefix (s, (gsize) (marker - s));
  colon = memchr (from, ':', (gsize) (marker - from) + 1);
  *conn = from;
  *conn_len = (gsize) (colon - from);
  *dir = send ? EMLINT_IMAP_CLIENT : EMLINT_IMAP_SERVER;
  return (gsize) (marker - s) + (send ? sizeof tb_send : sizeof tb_read) - 1;
}

static void
record_extend (Record *r, const char *data, gsize from, gsize to)
{
  r->text = g_realloc (r->text, r->len + (to - from) + 1);
  memcpy (r->text + r->len, data + from, to - from);
  r->map = g_renew (gsize, r->map, r->len + (to - from) + 1);
  for (gsize i = 0; i <= to - from; i++)
    r->map[r->len + i] = from + i;
  r->len += to - from;
  r->text[r->len] = '\0';
}

static void
thunderbird_record (Builder *b, guint source, const char *data, gsize from, gsize to,
                    EmlintImapDirection dir, guint connection, gboolean hidden)
{
  Record r = { dir, source,          from,       g_strdup (""), 0, g_new (gsize, 1), 2,
               -1,  b->records->len, connection, hidden };

  r.map[0] = from;
  if (!hidden)
    record_extend (&r, data, from, to);
  g_array_append_val (b->records, r);
}

static void
thunderbird_line (Builder *b, guint source, const char *data, gsize pos, gsize end, gsize next)
{
  gboolean has_cr = end < next && data[end] == '\r';
  Record *last = b->records->len ? &g_array_index (b->records, Record, b->records->len - 1) : NULL;
  EmlintImapDirection dir;
  const char *conn;
  gsize conn_len, at = thunderbird_marker (data + pos, end - pos, &dir, &conn, &conn_len);

  if (at > 0)
    {
      g_autofree char *name = g_strndup (conn, conn_len);
      guint id = GPOINTER_TO_UINT (g_hash_table_lookup (b->connections, name));

      if (id == 0)
        g_hash_table_insert (b->connections, g_steal_pointer (&name),
                             GUINT_TO_POINTER (id = g_hash_table_size (b->connections) + 1));
      gboolean hidden = strncmp (data + pos + at, tb_hidden, sizeof tb_hidden - 1) == 0;

      thunderbird_record (b, source, data, pos + at, end, dir, id - 1, hidden);
      b->open = !has_cr && !hidden;
      return;
    }
  if ((at = thunderbird_prefix (data + pos, end - pos)) > 0)
    {
      /* A piece of a long line goes on with it; any other logger line is a note. */
      if (b->open && last != NULL)
        record_extend (last, data, pos + at, end), b->open = !has_cr;
      return;
    }
  if (last == NULL || (end == pos && !has_cr && !b->open))
    return; /* before the first entry, or the empty line that ends one */
  if (b->open)
    record_extend (last, data, pos, end);
  else
    thunderbird_record (b, source, data, pos, end, last->direction, last->connection, FALSE);
  b->open = !has_cr;
}

/* ---- detection ---------------------------------------------------------------------------- */

typedef struct {
  guint score[G_N_ELEMENTS (format_names)];
  guint lines;
} Votes;

static void
vote_line (const char *s, gsize n, Votes *v)
{
  gint64 when;
  gsize i = 0;

  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (g_strstr_len (s, (gssize) n, tb_send) != NULL
      || g_strstr_len (s, (gssize) n, tb_read) != NULL)
    v->score[EMLINT_TRANSCRIPT_THUNDERBIRD]++;
  else if (n - i >= 2 && s[i + 1] == ':' && (s[i] == 'C' || s[i] == 'S'))
    v->score[EMLINT_TRANSCRIPT_RFC]++;
  else if (imaplib_stamp (s, n) > 0)
    v->score[EMLINT_TRANSCRIPT_IMAPLIB]++;
  else if (rawlog_stamp (s, n, &when) > 0)
    v->score[EMLINT_TRANSCRIPT_RAWLOG]++;
  else if (n >= 2 && s[1] == ' ' && (s[0] == '>' || s[0] == '<'))
    v->score[EMLINT_TRANSCRIPT_CURL]++;
}

/* The format most of the first lines look like; plain when none. */
static EmlintTranscriptFormat
detect (const char *data, gsize len)
{
  Votes v = { { 0 }, 0 };
  EmlintTranscriptFormat best = EMLINT_TRANSCRIPT_PLAIN;
  guint best_score = 0;

  for (gsize pos = 0; pos < len && v.lines < 200; v.lines++)
    {
      const char *nl = memchr (data + pos, '\n', len - pos);
      gsize next = nl ? (gsize) (nl - data) + 1 : len;
      vote_line (data + pos, next - pos, &v);
      pos = next;
    }
  for (guint f = EMLINT_TRANSCRIPT_RFC; f < G_N_ELEMENTS (format_names); f++)
    if (f != EMLINT_TRANSCRIPT_PLAIN && v.score[f] > best_score)
      best = (EmlintTranscriptFormat) f, best_score = v.score[f];
  return best;
}

/* ---- secrets -------------------------------------------------------------------------------- */

/* Overwrites text[from, to) of @line, and the source octets that show it, with '*'. */
static void
mask (Builder *b, EmlintImapLine *line, gsize from, gsize to)
{
  GByteArray *buf = g_ptr_array_index (b->buffers, line->source);
  gsize a = emlint_imap_line_offset (line, from), z = emlint_imap_line_offset (line, to);

  if (from >= to)
    return;
  memset (line->text + from, '*', to - from);
  memset (buf->data + a, '*', z - a);
}

static void
mask_record (Builder *b, const Record *r, gsize from, gsize to)
{
  GByteArray *buf = g_ptr_array_index (b->buffers, r->source);
  gsize a = r->map ? r->map[from] : r->start + from, z = r->map ? r->map[to] : r->start + to;

  if (from < to)
    memset (buf->data + a, '*', z - a);
}

/* The end of the astring (atom, quoted string or literal) at @pos of @text. */
static gsize
skip_astring (const char *text, gsize len, gsize pos)
{
  if (pos < len && text[pos] == '"')
    {
      for (pos++; pos < len && text[pos] != '"'; pos++)
        if (text[pos] == '\\' && pos + 1 < len)
          pos++;
      return MIN (pos + 1, len);
    }
  while (pos < len && text[pos] != ' ')
    pos++;
  return pos;
}

/* Where the secrets of a client command are, so that later records can be masked too. */
typedef enum {
  SECRET_NONE,
  SECRET_REST,        /* everything up to the end of the command: a password literal */
  SECRET_AFTER_FIRST, /* LOGIN's user name was a literal: the password comes after it */
  SECRET_SASL,        /* AUTHENTICATE: the client's lines until its next command */
} Secret;

/* Masks what a LOGIN or AUTHENTICATE command line shows of its secret; returns what is still
 * to be masked in the records that follow. */
static Secret
mask_command (Builder *b, EmlintImapLine *line)
{
  gsize tag_len, name, name_len, arg, end;
  gsize literal_at = line->literal_at;

  if (!emlint_imap_command (line, &tag_len, &name, &name_len))
    return SECRET_NONE;
  arg = name + name_len + 1;
  if (emlint_imap_word_is (line, name, name_len, "AUTHENTICATE"))
    {
      end = skip_astring (line->text, line->len, MIN (arg, line->len));
      mask (b, line, MIN (end + 1, line->len), line->len);
      return SECRET_SASL;
    }
  if (!emlint_imap_word_is (line, name, name_len, "LOGIN") || arg >= line->len)
    return SECRET_NONE;
  if (line->has_literal && literal_at == arg)
    return SECRET_AFTER_FIRST;
  end = skip_astring (line->text, line->len, arg);
  mask (b, line, MIN (end + 1, line->len), literal_at);
  return line->has_literal ? SECRET_REST : SECRET_NONE;
}

/* ---- assembling protocol lines ------------------------------------------------------------- */

/* Sets has_literal and literal when the line ends with "{n}" or "{n+}". */
static void
find_literal (EmlintImapLine *line)
{
  const char *s = line->text;
  gsize n = line->len, i, digits_end;

  line->literal_at = n;
  if (n < 3 || s[n - 1] != '}')
    return;
  i = n - 2;
  if (s[i] == '+' || s[i] == '-')
    i--; /* LITERAL+ and LITERAL- */
  digits_end = i + 1;
  while (i > 0 && g_ascii_isdigit (s[i]))
    i--;
  if (s[i] != '{' || digits_end - (i + 1) == 0 || digits_end - (i + 1) > 19)
    return;
  line->has_literal = TRUE;
  line->literal_at = i;
  line->literal = g_ascii_strtoull (s + i + 1, NULL, 10);
}

typedef struct {
  gint64 need;     /* octets of payload still to come; -1: none */
  gboolean expect; /* the next record continues the command or response */
  guint owner;     /* the line that started it */
  Secret secret;
  gboolean after_literal; /* the line being continued ended with a literal */
} Flow;

/* Adds the part [from, r->len) of @r as a protocol line. */
static EmlintImapLine *
add_line (Builder *b, const Record *r, gsize from, Flow *flow)
{
  EmlintImapLine line = { 0 };
  guint index = b->t->lines->len;

  line.direction = r->direction;
  line.source = r->source;
  line.start = r->map ? r->map[from] : r->start + from;
  line.len = r->len - from;
  line.text = g_strndup (r->text + from, line.len);
  if (r->map != NULL)
    line.map = g_memdup2 (r->map + from, (line.len + 1) * sizeof (gsize));
  line.continued = flow->expect;
  line.owner = flow->expect ? flow->owner : index;
  find_literal (&line);
  g_array_append_val (b->t->lines, line);
  return &g_array_index (b->t->lines, EmlintImapLine, index);
}

/* After a literal's payload: what follows must go on with a space, a ')' or the line's end. */
static gboolean
continues_well (const EmlintImapLine *line)
{
  return line->len == 0 || line->text[0] == ' ' || line->text[0] == ')';
}

static void
take_line (Builder *b, const Record *r, gsize from, Flow *flow)
{
  gboolean continued = flow->expect;
  EmlintImapLine *line;

  /* Without payloads in the log, a line after a {n} continues only if it looks like it. */
  if (continued && !b->payloads
      && !(r->len == from || r->text[from] == ' ' || r->text[from] == ')'))
    flow->expect = continued = FALSE;
  line = add_line (b, r, from, flow);
  if (continued && b->payloads && flow->after_literal && !continues_well (line))
    line->literal_bad = TRUE;
  if (!continued)
    flow->owner = b->t->lines->len - 1;

  if (line->direction == EMLINT_IMAP_CLIENT)
    {
      gsize t, n, nl;
      if (!continued && flow->secret == SECRET_SASL && !emlint_imap_command (line, &t, &n, &nl))
        mask (b, line, 0, line->len);
      else if (!continued)
        flow->secret = mask_command (b, line);
      else if (flow->secret == SECRET_REST || flow->secret == SECRET_AFTER_FIRST)
        {
          gsize at = line->literal_at;
          gsize first = 0;

          while (first < at && line->text[first] == ' ')
            first++; /* the separator is no secret */
          mask (b, line, first, at);
          flow->secret = line->has_literal ? SECRET_REST : SECRET_NONE;
        }
    }
  flow->expect = line->has_literal;
  flow->after_literal = line->has_literal;
  flow->need = line->has_literal && b->payloads ? (gint64) MIN (line->literal, G_MAXINT64) : -1;
  if (flow->need == 0)
    flow->need = -1;
}

/* Counts a record off the payload in flight; returns where the rest of it starts, or
 * r->len + 1 when the whole record was payload. */
static gsize
take_payload (Builder *b, const Record *r, Flow *flow)
{
  guint64 octets = r->len + r->eol;
  gsize split;

  if ((guint64) flow->need >= octets)
    {
      if (flow->secret == SECRET_REST)
        mask_record (b, r, 0, r->len);
      flow->need -= (gint64) octets;
      if (flow->need == 0)
        flow->need = -1;
      return r->len + 1;
    }
  split = (gsize) flow->need;
  flow->need = -1;
  if (split > r->len)
    {
      /* The payload ends inside the line ending: the literal cannot be right. */
      add_line (b, r, r->len, flow)->literal_bad = TRUE;
      flow->expect = FALSE;
      return r->len + 1;
    }
  if (flow->secret == SECRET_REST)
    mask_record (b, r, 0, split);
  if (flow->secret == SECRET_AFTER_FIRST)
    flow->secret = SECRET_REST;
  return split;
}

static gint
compare_when (gconstpointer a, gconstpointer b)
{
  const Record *x = a, *y = b;

  if (x->when != y->when)
    return x->when < y->when ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Assembles the records of one connection into b->t. */
static void
assemble (Builder *b, guint connection)
{
  Flow flows[3] = { { -1 }, { -1 }, { -1 } };

  for (guint i = 0; i < b->records->len; i++)
    {
      const Record *r = &g_array_index (b->records, Record, i);
      Flow *flow = &flows[r->direction];
      gsize from = 0;

      if (r->connection != connection)
        continue;
      if (r->hidden)
        {
          /* A command the log hides: nothing to read, but it is one. */
          flow->expect = FALSE, flow->need = -1, flow->secret = SECRET_NONE;
          add_line (b, r, 0, flow)->hidden = TRUE;
          continue;
        }
      if (flow->need >= 0)
        {
          from = take_payload (b, r, flow);
          if (from > r->len)
            continue;
        }
      take_line (b, r, from, flow);
    }
}

/* ---- construction -------------------------------------------------------------------------- */

static guint
add_source (Builder *b, GBytes *bytes, const char *path)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GByteArray *buf = g_byte_array_sized_new ((guint) len);

  g_byte_array_append (buf, data ? data : (const guint8 *) "", (guint) len);
  g_ptr_array_add (b->buffers, buf);
  g_ptr_array_add (b->paths, g_strdup (path));
  return b->buffers->len - 1;
}

static Builder *
builder_new (EmlintTranscriptFormat format)
{
  Builder *b = g_new0 (Builder, 1);

  b->format = format;
  b->buffers = g_ptr_array_new ();
  b->paths = g_ptr_array_new_with_free_func (g_free);
  b->records = g_array_new (FALSE, FALSE, sizeof (Record));
  g_array_set_clear_func (b->records, record_clear);
  b->connections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  b->ordered = TRUE;
  b->payloads = format == EMLINT_TRANSCRIPT_RFC || format == EMLINT_TRANSCRIPT_RAWLOG
                || format == EMLINT_TRANSCRIPT_THUNDERBIRD;
  return b;
}

/* TRUE when the first server line is a greeting: untagged OK, PREAUTH or BYE. */
static gboolean
starts_with_greeting (const EmlintTranscript *t)
{
  for (guint i = 0; i < t->lines->len; i++)
    {
      const EmlintImapLine *line = emlint_transcript_line (t, i);
      gsize len, next;

      if (line->direction == EMLINT_IMAP_CLIENT)
        return FALSE;
      next = emlint_imap_word (line, 0, &len);
      if (len != 1 || line->text[0] != '*')
        return FALSE;
      emlint_imap_word (line, next, &len);
      return emlint_imap_word_is (line, next, len, "OK")
             || emlint_imap_word_is (line, next, len, "PREAUTH")
             || emlint_imap_word_is (line, next, len, "BYE");
    }
  return FALSE;
}

static guint
transcript_has (const Builder *b, const EmlintTranscript *t)
{
  gboolean directed = t->lines->len > 0;

  for (guint i = 0; i < t->lines->len; i++)
    directed &= emlint_transcript_line (t, i)->direction != EMLINT_IMAP_UNKNOWN;
  return (directed ? EMLINT_HAS_DIRECTION : 0) | (b->ordered ? EMLINT_HAS_ORDER : 0)
         | (b->payloads ? EMLINT_HAS_LITERALS : 0)
         | (directed && b->ordered && starts_with_greeting (t) ? EMLINT_HAS_START : 0);
}

/* One transcript per connection (one but in Thunderbird logs), in the order they first appear;
 * all share the sources, masked by every one of them. */
static GPtrArray *
builder_finish (Builder *b)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_transcript_free);
  GPtrArray *sources = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_message_free);
  guint n = MAX (g_hash_table_size (b->connections), 1);

  if (b->ordered && b->format == EMLINT_TRANSCRIPT_RAWLOG)
    g_array_sort (b->records, compare_when);
  for (guint c = 0; c < n; c++)
    {
      b->t = g_new0 (EmlintTranscript, 1);
      b->t->format = b->format;
      b->t->lines = g_array_new (FALSE, TRUE, sizeof (EmlintImapLine));
      assemble (b, c);
      b->t->has = transcript_has (b, b->t);
      b->t->sources = g_ptr_array_ref (sources);
      b->t->paths = g_ptr_array_ref (b->paths);
      g_ptr_array_add (out, b->t);
    }
  for (guint i = 0; i < b->buffers->len; i++)
    {
      g_autoptr (GBytes) bytes = g_byte_array_free_to_bytes (g_ptr_array_index (b->buffers, i));
      g_ptr_array_add (sources, emlint_message_new_text (bytes, g_ptr_array_index (b->paths, i)));
    }
  g_ptr_array_unref (sources);
  g_ptr_array_unref (b->paths);
  g_ptr_array_unref (b->buffers);
  g_array_unref (b->records);
  g_hash_table_unref (b->connections);
  g_free (b);
  return out;
}

GPtrArray *
emlint_transcript_read (GBytes *bytes, const char *path, EmlintTranscriptFormat format)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  Builder *b;
  guint source;

  if (format == EMLINT_TRANSCRIPT_AUTO)
    format = detect (data ? data : "", len);
  b = builder_new (format);
  source = add_source (b, bytes, path);
  switch (format)
    {
    case EMLINT_TRANSCRIPT_RFC: each_line (b, source, rfc_line); break;
    case EMLINT_TRANSCRIPT_IMAPLIB: each_line (b, source, imaplib_line); break;
    case EMLINT_TRANSCRIPT_CURL: each_line (b, source, curl_line); break;
    case EMLINT_TRANSCRIPT_THUNDERBIRD: each_line (b, source, thunderbird_line); break;
    case EMLINT_TRANSCRIPT_RAWLOG:
      /* One half of a pair: the name says whose it is. */
      each_line (b, source,
                 g_str_has_suffix (path, ".in")    ? rawlog_in_line
                 : g_str_has_suffix (path, ".out") ? rawlog_out_line
                                                   : rawlog_unknown_line);
      b->ordered = FALSE;
      break;
    default: each_line (b, source, plain_line); break;
    }
  return builder_finish (b);
}

EmlintTranscript *
emlint_transcript_new_rawlog (GBytes *in, const char *in_path, GBytes *out, const char *out_path)
{
  Builder *b = builder_new (EMLINT_TRANSCRIPT_RAWLOG);
  guint out_source = add_source (b, out, out_path);
  guint in_source = add_source (b, in, in_path);
  g_autoptr (GPtrArray) one = NULL;

  /* The server's lines first: on equal timestamps the sort keeps read order. */
  each_line (b, out_source, rawlog_out_line);
  each_line (b, in_source, rawlog_in_line);
  one = builder_finish (b);
  return g_ptr_array_steal_index (one, 0);
}

void
emlint_transcript_free (EmlintTranscript *t)
{
  if (t == NULL)
    return;
  for (guint i = 0; i < t->lines->len; i++)
    {
      EmlintImapLine *line = &g_array_index (t->lines, EmlintImapLine, i);
      g_free (line->text);
      g_free (line->map);
    }
  g_array_unref (t->lines);
  g_ptr_array_unref (t->sources);
  g_ptr_array_unref (t->paths);
  g_free (t);
}

/* ---- reading lines ------------------------------------------------------------------------- */

gsize
emlint_imap_word (const EmlintImapLine *line, gsize from, gsize *len)
{
  const char *space;

  if (from >= line->len)
    {
      *len = 0;
      return line->len;
    }
  space = memchr (line->text + from, ' ', line->len - from);
  *len = space ? (gsize) (space - line->text) - from : line->len - from;
  return from + *len + (space != NULL);
}

gboolean
emlint_imap_word_is (const EmlintImapLine *line, gsize from, gsize len, const char *word)
{
  return strlen (word) == len && g_ascii_strncasecmp (line->text + from, word, len) == 0;
}

/* A tag: ASTRING-CHARs but '+' (RFC 9051 section 9); "*" is not one. */
static gboolean
is_tag (const char *s, gsize n)
{
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if ((guchar) s[i] <= ' ' || (guchar) s[i] >= 0x7F || strchr ("(){%*\"\\+", s[i]) != NULL)
      return FALSE;
  return TRUE;
}

gboolean
emlint_imap_command (const EmlintImapLine *line, gsize *tag_len, gsize *name, gsize *name_len)
{
  if (line->continued || line->direction != EMLINT_IMAP_CLIENT)
    return FALSE;
  *name = emlint_imap_word (line, 0, tag_len);
  emlint_imap_word (line, *name, name_len);
  if (!is_tag (line->text, *tag_len) || *name_len == 0)
    return FALSE;
  for (gsize i = 0; i < *name_len; i++)
    if (!g_ascii_isalnum (line->text[*name + i]) && line->text[*name + i] != '-'
        && line->text[*name + i] != '_' && line->text[*name + i] != '.')
      return FALSE;
  return TRUE;
}

gboolean
emlint_imap_completion (const EmlintImapLine *line, gsize *tag_len, gsize *status)
{
  gsize len;

  if (line->continued || line->direction != EMLINT_IMAP_SERVER)
    return FALSE;
  *status = emlint_imap_word (line, 0, tag_len);
  emlint_imap_word (line, *status, &len);
  return is_tag (line->text, *tag_len)
         && (emlint_imap_word_is (line, *status, len, "OK")
             || emlint_imap_word_is (line, *status, len, "NO")
             || emlint_imap_word_is (line, *status, len, "BAD"));
}

char *
emlint_transcript_describe_missing (guint flags)
{
  static const char *const names[] = {
    "no direction markers",
    "client and server order unknown (no timestamps)",
    "no literal payloads in the log",
    "does not start at the server's greeting",
  };
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (flags & (1u << i))
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", names[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
