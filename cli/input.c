/* input.c: reading messages from files and streams.
 *
 * mbox files are split here rather than by GMime's mbox parser, which can stall forever on an
 * unescaped "From " line (GMIME-NOTES.md), and so that every From_ line and every octet between
 * messages is kept for byte-exact fixes. The rule (DESIGN.md): a file is an mbox when its first
 * line, after an optional BOM, starts with "From "; a new message starts at a "From " line that
 * follows a blank line. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_SIZE (256 * 1024)
#define BOM "\xEF\xBB\xBF"

/* What is read so far: a buffer that holds the current message and the chunk after it. Files
 * are read, not mapped: measured here, the page faults of a mapping cost the reading thread
 * more (1.7 s per GB) than copying each message out of a reused buffer (1.0 s). */
typedef struct {
  GInputStream *in;
  GByteArray *buf;
  gboolean eof;
  GError *error;
} Reader;

/* Appends up to one chunk to the buffer. FALSE at the end of the stream or on an error. */
static gboolean
reader_fill (Reader *r)
{
  gsize old = r->buf->len;
  gssize n;

  if (r->eof)
    return FALSE;
  g_byte_array_set_size (r->buf, old + CHUNK_SIZE);
  n = g_input_stream_read (r->in, r->buf->data + old, CHUNK_SIZE, NULL, &r->error);
  g_byte_array_set_size (r->buf, old + MAX (n, 0));
  if (n <= 0)
    r->eof = TRUE;
  return n > 0;
}

/* Line breaks in a short run (an envelope). */
static guint
count_lines (const guint8 *data, gsize len)
{
  guint n = 0;
  const guint8 *end;

  if (len == 0)
    return 0;  /* @data may be NULL then */
  end = data + len;
  while ((data = memchr (data, '\n', (gsize) (end - data))) != NULL)
    {
      n++;
      data++;
    }
  return n;
}

typedef struct {
  EmlintRawMessageFunc each;
  gpointer user_data;
  guint index;
  guint line;          /* 1-based line of the file at which the next envelope starts */
  gboolean stopped;
  guint64 offset;      /* where the next envelope starts in the file */
  guint64 limit;       /* no message whose envelope starts here or later is read */
  gboolean at_end;     /* the last message read ended at the end of the stream */
  /* When not NULL, @whole keeps every octet it reads (no message is dropped from its buffer)
   * and emit() notes each message in @spans, to be handed out as slices of that buffer once
   * reading is done (emit_spans()): no copy of each message. */
  const Reader *whole;
  GArray *spans;
} Emitter;

/* A message in the buffer of Emitter.whole. */
typedef struct {
  gsize envelope, msg, end;
  guint index, first_line;
  gboolean in_mbox;
} Span;

/* Emits a message of @len octets holding @newlines line breaks. */
static void
emit (Emitter *em, const guint8 *envelope, gsize envelope_len, const guint8 *data, gsize len,
      guint newlines, gboolean in_mbox)
{
  EmlintRawMessage raw = {
    .index = em->index++,
    .first_line = em->line + count_lines (envelope, envelope_len),
    .in_mbox = in_mbox,
  };

  em->line = raw.first_line + newlines;
  em->offset += envelope_len + len;
  if (em->spans != NULL)
    {
      gsize msg = (gsize) (data - em->whole->buf->data);  /* the envelope is just before */
      Span span = { msg - envelope_len, msg, msg + len, raw.index, raw.first_line, in_mbox };

      g_array_append_val (em->spans, span);
    }
  else
    {
      raw.envelope = g_bytes_new (envelope, envelope_len);
      raw.bytes = g_bytes_new (data, len);
      if (!em->stopped && !em->each (&raw, em->user_data))
        em->stopped = TRUE;
      g_bytes_unref (raw.envelope);
      g_bytes_unref (raw.bytes);
    }
  if (em->offset >= em->limit)
    em->stopped = TRUE;
}

/* Hands out the messages noted in @em's spans as slices of @all, the reader's buffer. */
static void
emit_spans (Emitter *em, GBytes *all)
{
  for (guint i = 0; i < em->spans->len; i++)
    {
      const Span *span = &g_array_index (em->spans, Span, i);
      EmlintRawMessage raw = {
        .envelope = g_bytes_new_from_bytes (all, span->envelope, span->msg - span->envelope),
        .bytes = g_bytes_new_from_bytes (all, span->msg, span->end - span->msg),
        .index = span->index,
        .first_line = span->first_line,
        .in_mbox = span->in_mbox,
      };
      gboolean go_on = em->each (&raw, em->user_data);

      g_bytes_unref (raw.envelope);
      g_bytes_unref (raw.bytes);
      if (!go_on)
        break;
    }
}

/* Where the From_ line of the next message starts, or 0 when the buffer holds none yet. Scans
 * from *@from, one memchr per line, and counts the line breaks it passes in *@newlines: this is
 * the one pass the reader makes over an mbox. @msg_start is where the current message starts. */
static gsize
find_separator (const GByteArray *buf, gsize msg_start, gsize *from, guint *newlines)
{
  const guint8 *data = buf->data;

  for (;;)
    {
      const guint8 *nl = memchr (data + *from, '\n', buf->len - *from);
      gsize p;

      if (nl == NULL)
        {
          *from = buf->len;
          return 0;
        }
      p = (gsize) (nl - data);
      if (p + 6 > buf->len)
        {
          *from = p;  /* too close to the end to tell: look again with more data */
          return 0;
        }
      (*newlines)++;
      *from = p + 1;
      /* "From " after a line that is empty (LF or CRLF) and starts a line. */
      if (memcmp (data + p + 1, "From ", 5) == 0
          && (p == msg_start || data[p - 1] == '\n'
              || (data[p - 1] == '\r' && (p - 1 == msg_start || data[p - 2] == '\n'))))
        return p + 1;
    }
}

static gboolean
is_mbox_start (const GByteArray *buf)
{
  gsize skip = buf->len >= 3 && memcmp (buf->data, BOM, 3) == 0 ? 3 : 0;

  return buf->len >= skip + 5 && memcmp (buf->data + skip, "From ", 5) == 0;
}

/* The end of the line starting at @start (after its '\n'), reading more as needed; the buffer's
 * end when the stream ends first. */
static gsize
line_end (Reader *r, gsize start)
{
  for (gsize from = start;;)
    {
      const guint8 *nl = memchr (r->buf->data + from, '\n', r->buf->len - from);
      if (nl != NULL)
        return (gsize) (nl - r->buf->data) + 1;
      from = r->buf->len;
      if (!reader_fill (r))
        return r->buf->len;
    }
}

static void
read_mbox (Reader *r, Emitter *em)
{
  gsize envelope_start = 0, msg_start = line_end (r, 0), scan = msg_start;
  guint newlines = 0;

  while (!em->stopped)
    {
      gsize next = find_separator (r->buf, msg_start, &scan, &newlines);

      if (next != 0)
        {
          emit (em, r->buf->data + envelope_start, msg_start - envelope_start,
                r->buf->data + msg_start, next - msg_start, newlines, TRUE);
          envelope_start = next;
          msg_start = scan = line_end (r, next);
          newlines = 0;
          continue;
        }
      /* Keep the current message only (unless the buffer is kept whole), then read on. */
      if (envelope_start > 0 && em->spans == NULL)
        {
          g_byte_array_remove_range (r->buf, 0, (guint) envelope_start);
          msg_start -= envelope_start;
          scan -= envelope_start;
          envelope_start = 0;
        }
      if (!reader_fill (r))
        {
          emit (em, r->buf->data + envelope_start, msg_start - envelope_start,
                r->buf->data + msg_start, r->buf->len - msg_start, newlines, TRUE);
          em->at_end = TRUE;
          return;
        }
    }
}

/* Splits what @r holds or reads into messages. */
static gboolean
split (Reader *r, Emitter *em, GError **error)
{
  while (r->buf->len < 8 && reader_fill (r))
    ;
  if (r->error == NULL && is_mbox_start (r->buf))
    read_mbox (r, em);
  else if (r->error == NULL)
    {
      while (reader_fill (r))
        ;
      if (r->error == NULL)
        emit (em, NULL, 0, r->buf->data, r->buf->len, 0, FALSE);
      em->at_end = TRUE;
    }
  if (r->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&r->error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_stream (GInputStream *in, EmlintRawMessageFunc each, gpointer user_data, GError **error)
{
  Reader r = { in, g_byte_array_sized_new (CHUNK_SIZE), FALSE, NULL };
  Emitter em = { each, user_data, 0, 1, FALSE, 0, G_MAXUINT64, FALSE, NULL, NULL };
  gboolean ok = split (&r, &em, error);

  g_byte_array_unref (r.buf);
  return ok;
}

static gboolean
has_suffix_ci (const char *s, const char *suffix)
{
  gsize n = strlen (s), m = strlen (suffix);
  return n >= m && g_ascii_strcasecmp (s + n - m, suffix) == 0;
}

gboolean
emlint_input_is_compressed (const char *path)
{
  return has_suffix_ci (path, ".gz");
}

gboolean
emlint_read_messages (const char *path, EmlintRawMessageFunc each, gpointer user_data,
                      GError **error)
{
  g_autoptr (GInputStream) in = NULL;
  int fd = strcmp (path, "-") == 0 ? STDIN_FILENO : open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  in = g_unix_input_stream_new (fd, fd != STDIN_FILENO);
  if (has_suffix_ci (path, ".gz"))
    {
      g_autoptr (GZlibDecompressor) gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      GInputStream *plain = g_converter_input_stream_new (in, G_CONVERTER (gunzip));
      g_object_unref (in);
      in = plain;
    }
  return read_stream (in, each, user_data, error);
}

/* Reads until the buffer holds @n octets; FALSE when the stream ends first. */
static gboolean
reader_want (Reader *r, gsize n)
{
  while (r->buf->len < n)
    if (!reader_fill (r))
      return FALSE;
  return TRUE;
}

/* Finds the first From_ line (one after a blank line) that starts @back octets or more into the
 * buffer, reading on as needed, and drops what comes before it; the @back (at most 3) octets
 * before that point are look-back, to tell a blank line. Returns the octets dropped, or
 * G_MAXSIZE when the stream ends first. */
static gsize
skip_to_separator (Reader *r, gsize back)
{
  gsize from = back - 1;  /* back > 0: the '\n' that ends the line before "From " */

  for (;;)
    {
      const guint8 *nl = from < r->buf->len
                           ? memchr (r->buf->data + from, '\n', r->buf->len - from) : NULL;
      const guint8 *data;
      gsize p;

      if (nl == NULL)
        {
          from = MAX (from, r->buf->len);
          if (!reader_fill (r))
            return G_MAXSIZE;
          continue;
        }
      p = (gsize) (nl - r->buf->data);
      if (!reader_want (r, p + 6))
        return G_MAXSIZE;
      data = r->buf->data;
      from = p + 1;
      /* find_separator()'s test; the file's first line (an envelope) is never blank. */
      if (memcmp (data + p + 1, "From ", 5) == 0
          && ((p >= 1 && data[p - 1] == '\n')
              || (p >= 2 && data[p - 1] == '\r' && data[p - 2] == '\n')))
        {
          g_byte_array_remove_range (r->buf, 0, (guint) (p + 1));
          return p + 1;
        }
    }
}

/* TRUE when the file open at @fd starts as an mbox does. */
static gboolean
fd_is_mbox (int fd, GError **error)
{
  guint8 head[8];
  ssize_t n = pread (fd, head, sizeof head, 0);
  GByteArray view = { head, (guint) MAX (n, 0) };

  if (n < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  return is_mbox_start (&view);
}

/* Room for what a segment reads, and a chunk past it: read without growing (a reallocation
 * copies the whole buffer), up to 16 MiB. */
static guint
room_for (int fd, guint64 from, guint64 limit)
{
  struct stat st;
  guint64 span = limit - from;

  if (fstat (fd, &st) == 0 && (guint64) st.st_size >= from)
    span = MIN (span, (guint64) st.st_size - from + 3);
  return (guint) MIN (span, 64 * CHUNK_SIZE) + CHUNK_SIZE;
}

/* The buffer's octets as bytes, without the room it had left (given back, not copied). */
static GBytes *
bytes_to_fit (GByteArray *buf)
{
  gsize len = buf->len;
  guint8 *data = g_byte_array_free (buf, FALSE);

  return g_bytes_new_take (g_realloc (data, MAX (len, 1)), len);
}

gboolean
emlint_read_mbox_segment (const char *path, guint64 from, gboolean exact, guint64 limit,
                          EmlintRawMessageFunc each, gpointer user_data, EmlintSegment *out,
                          GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  g_autoptr (GInputStream) in = NULL;
  Reader r = { NULL, NULL, FALSE, NULL };
  Emitter em = { each, user_data, 0, 1, FALSE, from, limit, FALSE, &r, NULL };
  g_autoptr (GBytes) all = NULL;
  gsize back = exact || from == 0 ? 0 : (gsize) MIN (from, 3);
  gboolean ok = TRUE;

  out->first = out->next = G_MAXUINT64;
  out->messages = out->newlines = 0;
  if (fd < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  in = g_unix_input_stream_new (fd, TRUE);
  r.in = in;
  r.buf = g_byte_array_sized_new (room_for (fd, from, limit));
  em.spans = g_array_new (FALSE, FALSE, sizeof (Span));
  if (from == 0)
    {
      out->first = 0;
      ok = split (&r, &em, error);  /* the file's start, as emlint_read_messages() reads it */
    }
  else if (fd_is_mbox (fd, &r.error)  /* else the file is one message, read from 0 */
           && lseek (fd, (off_t) (from - back), SEEK_SET) >= 0)
    {
      gsize skipped = back > 0 ? skip_to_separator (&r, back) : 0;

      if (skipped != G_MAXSIZE && from - back + skipped < limit)
        {
          out->first = em.offset = from - back + skipped;
          read_mbox (&r, &em);
        }
    }
  if (r.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&r.error));
      ok = FALSE;
    }
  if (out->first != G_MAXUINT64)
    {
      out->next = em.at_end ? G_MAXUINT64 : em.offset;
      out->messages = em.index;
      out->newlines = em.line - 1;
    }
  all = bytes_to_fit (r.buf);
  emit_spans (&em, all);
  g_array_unref (em.spans);
  return ok;
}

void
emlint_split_messages (GBytes *data, EmlintRawMessageFunc each, gpointer user_data)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_bytes (data);

  read_stream (in, each, user_data, NULL);
}
