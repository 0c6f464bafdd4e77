/* input.c: reading messages from files and streams.
 *
 * mbox files are split here rather than by GMime's mbox parser, which can stall forever on an
 * unescaped "From " line (GMIME-NOTES.md), and so that every From_ line and every octet between
 * messages is kept for byte-exact fixes. The rule (doc/DESIGN.md): a file is an mbox when its first
 * line, after an optional BOM, starts with "From "; a new message starts at a "From " line that
 * follows a blank line. A message whose header holds a consistent Content-Length (mboxcl2, as
 * mutt reads it) ends where that says, so a "From " line inside its body is content.
 *
 * Lengths and offsets are 64-bit throughout (gsize), and no message grows past the reader's
 * limit: a larger one is reported, not held, so an endless input or a gzip bomb costs bounded
 * memory. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_SIZE (256 * 1024)
#define STEAL_SIZE (1024 * 1024) /* a message this large is handed over, not copied */
#define BOM "\xEF\xBB\xBF"

/* What is read so far: a buffer that holds the current message and the chunk after it. Files
 * are read, not mapped: measured here, the page faults of a mapping cost the reading thread
 * more (1.7 s per GB) than copying each message out of a reused buffer (1.0 s). The buffer is
 * GLib-allocated by hand, not a GByteArray, whose length is 32 bits. */
typedef struct {
  GInputStream *in;
  GConverter *gunzip; /* gzip: decompresses one member after the other; else NULL */
  guint8 *zin;        /* compressed input not yet decompressed: [zin_pos, zin_len) */
  gsize zin_pos, zin_len;
  gboolean in_eof;    /* the compressed stream is at its end */
  gboolean in_member; /* a gzip member has started and not finished */
  guint8 *data;
  gsize len, cap;
  guint64 max; /* the largest message read; a larger one is an error */
  gboolean eof;
  GError *error;
  int fd;       /* when @in is NULL and @pread_fd -1: read with read(2) */
  int pread_fd; /* when not -1 (and @in is NULL): read with pread() from @pos, so that
                           threads can read parts of one open file */
  guint64 pos;
  gsize dropped; /* octets dropped from inside the current message (too large) */
} Reader;

/* Reads up to @n octets of the raw input into @dst: the stream, or with read(2) the
 * descriptor. Returns the octets read, 0 at the end, -1 with r->error. */
static gssize
read_raw (Reader *r, guint8 *dst, gsize n)
{
  gssize got;

  if (r->in != NULL)
    return g_input_stream_read (r->in, dst, n, NULL, &r->error);
  while ((got = read (r->fd, dst, n)) < 0 && errno == EINTR)
    ;
  if (got < 0)
    g_set_error_literal (&r->error, G_IO_ERROR, g_io_error_from_errno (errno), g_strerror (errno));
  return got;
}

/* Decompresses up to @n octets into @dst: every member of a multi-member file (`cat a.gz b.gz`)
 * in turn, which GLib's GConverterInputStream does not do (it stops after the first). Returns
 * the octets written, 0 at the end, -1 with r->error. */
static gssize
read_gzip (Reader *r, guint8 *dst, gsize n)
{
  for (;;)
    {
      gsize used = 0, written = 0;
      GConverterResult result;
      g_autoptr (GError) error = NULL;

      if (r->zin_pos == r->zin_len && !r->in_eof)
        {
          gssize got = read_raw (r, r->zin, CHUNK_SIZE);
          if (got < 0)
            return -1;
          r->zin_pos = 0;
          r->zin_len = (gsize) got;
          r->in_eof = got == 0;
        }
      if (r->zin_pos == r->zin_len && r->in_eof && !r->in_member)
        return 0;
      result = g_converter_convert (r->gunzip, r->zin + r->zin_pos, r->zin_len - r->zin_pos, dst, n,
                                    r->in_eof ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &used, &written, &error);
      if (result == G_CONVERTER_ERROR)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && !r->in_eof
              && r->zin_pos == r->zin_len)
            continue; /* read more */
          g_set_error (&r->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "gzip: %s",
                       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
                         ? "the compressed data ends early"
                         : error->message);
          return -1;
        }
      r->zin_pos += used;
      r->in_member = TRUE;
      if (result == G_CONVERTER_FINISHED)
        {
          g_converter_reset (r->gunzip); /* the next member, if any */
          r->in_member = FALSE;
        }
      if (written > 0)
        return (gssize) written;
    }
}

/* What the buffer starts with when it is no mail text, as "WHAT: not read (HINT)"; NULL for
 * plain data. Mail never starts so: no field name holds these octets. Read as mail, such a file
 * would be linted as noise, and fixed (a Message-ID put before its magic number or BOM) into a
 * file its tool no longer reads. gzip data reaches here only without its .gz name (the reader
 * decompresses the rest). */
static const char *
foreign_format (const Reader *r)
{
#define PACKED                                                                                     \
  ": not read (emlint reads plain mail, and gzip under a .gz name; decompress it first)"
  static const struct {
    const char *magic;
    gsize len;
    const char *what;
  } formats[] = {
    { "\x1f\x8b", 2, "gzip data without a .gz name" PACKED },
    { "\x1f\x9d", 2, "compress (.Z) data" PACKED },
    { "BZh", 3, "bzip2 data" PACKED }, /* and the block size, a digit */
    { "\xfd\x37zXZ\0", 6, "xz data" PACKED },
    { "\x28\xb5\x2f\xfd", 4, "zstd data" PACKED },
    { "LZIP", 4, "lzip data" PACKED },
    { "\x04\x22\x4d\x18", 4, "lz4 data" PACKED },
    { "PK\x03\x04", 4, "zip data" PACKED },
    { "7z\xbc\xaf\x27\x1c", 6, "7z data" PACKED },
    { "\xff\xfe", 2, "UTF-16 text: not read (mail is ASCII or UTF-8; iconv -f UTF-16 -t UTF-8)" },
    { "\xfe\xff", 2, "UTF-16 text: not read (mail is ASCII or UTF-8; iconv -f UTF-16 -t UTF-8)" },
  };
#undef PACKED

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (r->len >= formats[i].len && memcmp (r->data, formats[i].magic, formats[i].len) == 0
        && (formats[i].len != 3 || (r->len >= 4 && g_ascii_isdigit (r->data[3]))))
      return formats[i].what;
  return NULL;
}

/* Appends up to one chunk to the buffer. FALSE at the end of the stream or on an error. */
static gboolean
reader_fill (Reader *r)
{
  gssize n;

  if (r->eof)
    return FALSE;
  if (r->pread_fd >= 0 && r->len < r->cap)
    ; /* pread: into the room there is (sized to the file), however little */
  else if (r->cap - r->len < CHUNK_SIZE)
    {
      /* Memory short of a large message (ulimit -v) fails this file, not the run. */
      gsize cap = MAX (r->cap * 2, r->len + CHUNK_SIZE);
      guint8 *data = g_try_realloc (r->data, cap);

      if (data == NULL)
        {
          g_set_error (&r->error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       "out of memory reading a message of more than %" G_GSIZE_FORMAT
                       " octets (see --max-message-size)",
                       r->len);
          r->eof = TRUE;
          return FALSE;
        }
      r->data = data, r->cap = cap;
    }
  if (r->gunzip != NULL)
    n = read_gzip (r, r->data + r->len, CHUNK_SIZE);
  else if (r->pread_fd >= 0)
    {
      while ((n = pread (r->pread_fd, r->data + r->len, MIN (CHUNK_SIZE, r->cap - r->len),
                         (off_t) r->pos))
               < 0
             && errno == EINTR)
        ;
      if (n < 0)
        g_set_error_literal (&r->error, G_IO_ERROR, g_io_error_from_errno (errno),
                             g_strerror (errno));
      else
        r->pos += (guint64) n;
    }
  else
    n = read_raw (r, r->data + r->len, CHUNK_SIZE);
  if (n <= 0)
    {
      r->eof = TRUE;
      return FALSE;
    }
  r->len += (gsize) n;
  return TRUE;
}

/* Drops the octets [from, to) of the buffer. */
static void
reader_drop (Reader *r, gsize from, gsize to)
{
  memmove (r->data + from, r->data + to, r->len - to);
  r->len -= to - from;
  if (from > 0)
    r->dropped += to - from; /* from inside a message, not before it */
}

/* Line breaks in [data, data + len). */
static guint
count_lines (const guint8 *data, gsize len)
{
  guint n = 0;
  const guint8 *end;

  if (len == 0)
    return 0; /* @data may be NULL then */
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
  guint64 line; /* 1-based line of the file at which the next envelope starts (64-bit: an
                   mbox of more than 2^32 lines is a file of more than 4 GB, not impossible) */
  gboolean stopped;
  guint64 offset;  /* where the next envelope starts in the file */
  guint64 limit;   /* no message whose envelope starts here or later is read */
  gboolean at_end; /* the last message read ended at the end of the stream */
  /* When not NULL, the reader keeps every octet it reads (no message is dropped from its
   * buffer) and emit() notes each message here, to be handed out as slices of that buffer once
   * reading is done (emit_spans()): no copy of each message. */
  GArray *spans;
} Emitter;

/* A message in the reader's buffer (Emitter.spans). */
typedef struct {
  gsize envelope, msg, end;
  guint index;
  guint64 first_line;
  gboolean in_mbox;
  GError *error;
} Span;

/* The octets [start, end) of the buffer as bytes: copied, or for a large message the buffer
 * itself, handed over (a second copy of a 1 GB message would double the memory it costs);
 * then the reader keeps what follows @end in a new buffer and *@shift says how far it moved. */
static GBytes *
take_bytes (Reader *r, gsize start, gsize end, gsize *shift)
{
  guint8 *old = r->data;
  gsize tail = r->len - end;

  *shift = 0;
  if (end - start < STEAL_SIZE)
    return g_bytes_new (r->data + start, end - start);
  r->cap = MAX (tail, CHUNK_SIZE);
  r->data = g_malloc (r->cap);
  memcpy (r->data, old + end, tail);
  r->len = tail;
  *shift = end;
  return g_bytes_new_with_free_func (old + start, end - start, g_free, old);
}

/* Emits the message [msg, end) of the buffer, after its envelope [envelope, msg), holding
 * @newlines line breaks; with @error (the message is too large), its octets are not kept.
 * Returns how far the buffer's octets after @end moved (see take_bytes()). */
static gsize
emit (Emitter *em, Reader *r, gsize envelope, gsize msg, gsize end, guint newlines,
      gboolean in_mbox, const GError *error)
{
  gsize shift = 0;
  EmlintRawMessage raw = {
    .index = em->index++,
    .first_line = em->line + count_lines (r->data + envelope, msg - envelope),
    .in_mbox = in_mbox,
    .error = error,
  };

  em->line = raw.first_line + newlines;
  em->offset += end - envelope + r->dropped;
  r->dropped = 0;
  if (em->spans != NULL)
    {
      Span span = { envelope,
                    msg,
                    end,
                    raw.index,
                    raw.first_line,
                    in_mbox,
                    error != NULL ? g_error_copy (error) : NULL };

      g_array_append_val (em->spans, span);
    }
  else
    {
      raw.envelope = g_bytes_new (r->data + envelope, msg - envelope);
      raw.bytes = error != NULL ? g_bytes_new (NULL, 0) : take_bytes (r, msg, end, &shift);
      if (!em->stopped && !em->each (&raw, em->user_data))
        em->stopped = TRUE;
      g_bytes_unref (raw.envelope);
      g_bytes_unref (raw.bytes);
    }
  if (em->offset >= em->limit)
    em->stopped = TRUE;
  return shift;
}

GError *
emlint_too_large_error (guint index, guint64 max_size, gboolean in_mbox)
{
  if (in_mbox)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                        "message %u is larger than the maximum message size (%" G_GUINT64_FORMAT
                        " octets, --max-message-size); not read",
                        index, max_size);
  return g_error_new (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                      "the message is larger than the maximum message size (%" G_GUINT64_FORMAT
                      " octets, --max-message-size); not read",
                      max_size);
}

static GError *
too_large (const Reader *r, const Emitter *em, gboolean in_mbox)
{
  return emlint_too_large_error (em->index, r->max, in_mbox);
}

/* Where the From_ line of the next message starts, or 0 when the buffer holds none yet. Scans
 * from *@from, one memchr per line, and counts the line breaks it passes in *@newlines: this is
 * the one pass the reader makes over an mbox. @msg_start is where the current message starts. */
static gsize
find_separator (const Reader *r, gsize msg_start, gsize *from, guint *newlines)
{
  const guint8 *data = r->data;

  for (;;)
    {
      const guint8 *nl = memchr (data + *from, '\n', r->len - *from);
      gsize p;

      if (nl == NULL)
        {
          *from = r->len;
          return 0;
        }
      p = (gsize) (nl - data);
      if (p + 6 > r->len)
        {
          *from = p; /* too close to the end to tell: look again with more data */
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
is_mbox_start (const Reader *r)
{
  gsize skip = r->len >= 3 && memcmp (r->data, BOM, 3) == 0 ? 3 : 0;

  return r->len >= skip + 5 && memcmp (r->data + skip, "From ", 5) == 0;
}

/* Reads until the buffer holds @want octets or the stream ends. */
static gboolean
reader_want (Reader *r, gsize want)
{
  while (r->len < want)
    if (!reader_fill (r))
      return FALSE;
  return TRUE;
}

/* The end of the line starting at @start (after its '\n'), reading more as needed; the buffer's
 * end when the stream ends first, or when the line grows past the message size limit. */
static gsize
line_end (Reader *r, gsize start)
{
  for (gsize from = start;;)
    {
      const guint8 *nl = memchr (r->data + from, '\n', r->len - from);
      if (nl != NULL)
        return (gsize) (nl - r->data) + 1;
      from = r->len;
      if (r->len - start > r->max || !reader_fill (r))
        return r->len;
    }
}

/* The value of the Content-Length field of the header at @msg (up to its blank line at
 * *@body, set here); FALSE when there is none, or no blank line within the size limit. */
static gboolean
content_length (Reader *r, gsize msg, gsize *body, guint64 *length)
{
  gboolean found = FALSE;

  for (gsize line = msg, next;; line = next)
    {
      const char *p = (const char *) r->data + line;
      gsize n;

      next = line_end (r, line);
      p = (const char *) r->data + line; /* the buffer may have moved */
      n = next - line;
      if (next == line || line - msg > r->max || (next == r->len && r->eof && p[n - 1] != '\n'))
        return FALSE;
      if (p[0] == '\n' || (n == 2 && p[0] == '\r'))
        {
          *body = next;
          return found;
        }
      if (!found && n > 15 && g_ascii_strncasecmp (p, "Content-Length", 14) == 0)
        {
          gsize i = 14;
          while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
          if (i < n && p[i] == ':')
            {
              g_autofree char *value = g_strndup (p + i + 1, n - i - 1);
              found = g_ascii_string_to_unsigned (g_strstrip (value), 10, 0, G_MAXUINT64, length,
                                                  NULL);
            }
        }
    }
}

/* When the message at @msg has a Content-Length that holds (the body ends there, and a From_
 * line or the end of the file follows, as mutt checks: mboxcl2), the end of the message; else
 * 0, and the From_ lines decide. */
static gsize
content_length_end (Reader *r, gsize msg)
{
  gsize body, end;
  guint64 length;

  if (!content_length (r, msg, &body, &length) || body - msg > r->max
      || length > r->max - (body - msg))
    return 0;
  end = body + (gsize) length;
  if (!reader_want (r, end + 6) && r->error != NULL)
    return 0;
  if (end == r->len && r->eof)
    return end;
  if (end < r->len && r->data[end] == '\n'
      && ((end + 1 == r->len && r->eof)
          || (end + 6 <= r->len && memcmp (r->data + end + 1, "From ", 5) == 0)))
    return end + 1;
  return 0;
}

static void
read_mbox (Reader *r, Emitter *em)
{
  gsize envelope = 0, msg = line_end (r, 0), scan = msg, next, shift;
  guint newlines = 0;
  g_autoptr (GError) oversized = NULL; /* the current message is over the limit */

  while (!em->stopped)
    {
      next = oversized == NULL && scan == msg ? content_length_end (r, msg) : 0;
      if (next != 0)
        newlines = count_lines (r->data + msg, next - msg);
      else
        next = find_separator (r, msg, &scan, &newlines);
      if (next != 0 && oversized == NULL && next - msg > r->max)
        oversized = too_large (r, em, TRUE);
      if (next != 0)
        {
          shift = emit (em, r, envelope, msg, next, newlines, TRUE, oversized);
          g_clear_error (&oversized);
          if (next == r->len + shift && r->eof)
            {
              em->at_end = TRUE;
              return; /* a Content-Length that ends at the end of the file */
            }
          envelope = next - shift;
          msg = scan = line_end (r, envelope);
          newlines = 0;
          continue;
        }
      if (oversized == NULL && r->len - msg > r->max)
        oversized = too_large (r, em, TRUE);
      if (oversized != NULL && scan > msg + 2)
        {
          /* Only the separator test's look-back (two octets) is kept of a message too large. */
          reader_drop (r, msg, scan - 2);
          scan = msg + 2;
        }
      /* Keep the current message only (unless the buffer is kept whole), then read on. */
      if (envelope > 0 && em->spans == NULL)
        {
          reader_drop (r, 0, envelope);
          msg -= envelope;
          scan -= envelope;
          envelope = 0;
        }
      if (!reader_fill (r))
        {
          if (r->error == NULL)
            emit (em, r, envelope, msg, r->len, newlines, TRUE, oversized);
          em->at_end = TRUE;
          return;
        }
    }
}

/* Splits what @r holds or reads into messages. */
static gboolean
split (Reader *r, Emitter *em, GError **error)
{
  const char *foreign;

  while (r->len < 8 && reader_fill (r))
    ;
  if (r->error == NULL && (foreign = foreign_format (r)) != NULL)
    g_set_error_literal (&r->error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, foreign);
  if (r->error == NULL && is_mbox_start (r))
    read_mbox (r, em);
  else if (r->error == NULL)
    {
      while (r->len <= r->max && reader_fill (r))
        ;
      if (r->error == NULL)
        {
          g_autoptr (GError) oversized = r->len > r->max ? too_large (r, em, FALSE) : NULL;
          emit (em, r, 0, 0, r->len, 0, FALSE, oversized);
        }
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
read_stream (GInputStream *in, int fd, gboolean gzip, guint64 max_size, EmlintRawMessageFunc each,
             gpointer user_data, GError **error)
{
  Reader r = { .in = in, .fd = fd, .max = max_size, .pread_fd = -1 };
  Emitter em = { each, user_data, 0, 1, FALSE, 0, G_MAXUINT64, FALSE, NULL };
  gboolean ok;

  if (gzip)
    {
      r.gunzip = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
      r.zin = g_malloc (CHUNK_SIZE);
    }
  ok = split (&r, &em, error);
  g_free (r.data);
  g_free (r.zin);
  g_clear_object (&r.gunzip);
  return ok;
}

gboolean
emlint_path_is_gzip (const char *path)
{
  gsize n = strlen (path);

  return n >= 3 && g_ascii_strcasecmp (path + n - 3, ".gz") == 0;
}

gboolean
emlint_read_messages (const char *path, int fd, guint64 max_size, EmlintRawMessageFunc each,
                      gpointer user_data, GError **error)
{
  gboolean own = fd < 0 && strcmp (path, "-") != 0, ok;

  if (fd < 0)
    fd = own ? open (path, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
  if (fd < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  /* read(2), not a GUnixInputStream: that aborts the process (g_error) when it cannot make its
   * epoll probe, as under EMFILE, where this file should fail alone. */
  ok = read_stream (NULL, fd, emlint_path_is_gzip (path), max_size, each, user_data, error);
  if (own)
    close (fd);
  return ok;
}

/* Finds the first From_ line (one after a blank line) that starts @back octets or more into the
 * buffer, reading on as needed, and drops what comes before it; the @back (1 to 3) octets
 * before that point are look-back, to tell a blank line. Returns the octets dropped, or
 * G_MAXSIZE when the stream ends first. */
static gsize
skip_to_separator (Reader *r, gsize back)
{
  gsize from = back - 1; /* the '\n' that ends the line before "From " */

  for (;;)
    {
      const guint8 *nl = from < r->len ? memchr (r->data + from, '\n', r->len - from) : NULL;
      const guint8 *data;
      gsize p;

      if (nl == NULL)
        {
          from = MAX (from, r->len);
          if (!reader_fill (r))
            return G_MAXSIZE;
          continue;
        }
      p = (gsize) (nl - r->data);
      if (!reader_want (r, p + 6))
        return G_MAXSIZE;
      data = r->data;
      from = p + 1;
      /* find_separator()'s test; the file's first line (an envelope) is never blank. */
      if (memcmp (data + p + 1, "From ", 5) == 0
          && ((p >= 1 && data[p - 1] == '\n')
              || (p >= 2 && data[p - 1] == '\r' && data[p - 2] == '\n')))
        {
          reader_drop (r, 0, p + 1);
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
  Reader view = { .data = head, .len = (gsize) MAX (n, 0) };

  if (n < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  return is_mbox_start (&view);
}

/* Room for what a segment reads, so that it is read without growing (a reallocation copies
 * the whole buffer), up to 16 MiB: a whole file and one octet (to see its end), or a segment
 * and a few chunks (its last message runs on; pages never written cost no memory). A small
 * file's buffer stays below malloc's mmap threshold: an munmap per file would stop the other
 * threads (TLB shootdowns). */
static gsize
room_for (int fd, guint64 from, guint64 limit)
{
  struct stat st;
  guint64 span = limit - from, slack = 4 * CHUNK_SIZE;

  if (fstat (fd, &st) == 0 && (guint64) st.st_size >= from
      && (guint64) st.st_size - from + 3 <= span)
    {
      span = (guint64) st.st_size - from + 3;
      slack = 1;
    }
  return (gsize) (MIN (span, 64 * CHUNK_SIZE) + slack);
}

/* Hands out the messages noted in @em's spans as slices of the reader's buffer @all. */
static void
emit_spans (Emitter *em, GBytes *all)
{
  for (guint i = 0; i < em->spans->len; i++)
    {
      Span *span = &g_array_index (em->spans, Span, i);
      EmlintRawMessage raw = {
        .envelope = g_bytes_new_from_bytes (all, span->envelope, span->msg - span->envelope),
        .bytes = span->error != NULL
                   ? g_bytes_new (NULL, 0)
                   : g_bytes_new_from_bytes (all, span->msg, span->end - span->msg),
        .index = span->index,
        .first_line = span->first_line,
        .in_mbox = span->in_mbox,
        .error = span->error,
      };

      em->each (&raw, em->user_data);
      g_bytes_unref (raw.envelope);
      g_bytes_unref (raw.bytes);
      g_clear_error (&span->error);
    }
}

gboolean
emlint_read_mbox_segment (const char *path, int fd, guint64 max_size, guint64 from, gboolean exact,
                          guint64 limit, EmlintRawMessageFunc each, gpointer user_data,
                          EmlintSegment *out, GError **error)
{
  gboolean own = fd < 0;
  Reader r = { .max = max_size, .pread_fd = own ? open (path, O_RDONLY | O_CLOEXEC) : fd };
  Emitter em = { each, user_data, 0, 1, FALSE, from, limit, FALSE, NULL };
  gsize back = exact || from == 0 ? 0 : (gsize) MIN (from, 3);
  g_autoptr (GBytes) all = NULL;
  gboolean ok = TRUE;

  out->first = out->next = G_MAXUINT64;
  out->messages = out->newlines = 0;
  if (r.pread_fd < 0)
    {
      int saved = errno;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }
  r.cap = room_for (r.pread_fd, from, limit);
  if ((r.data = g_try_malloc (r.cap)) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "out of memory");
      if (own)
        close (r.pread_fd);
      return FALSE;
    }
  em.spans = g_array_new (FALSE, FALSE, sizeof (Span));
  r.pos = from - back;
  if (from == 0)
    {
      out->first = 0;
      ok = split (&r, &em, error); /* the file's start, as emlint_read_messages() reads it */
    }
  else if (fd_is_mbox (r.pread_fd, &r.error)) /* else the file is one message, read from 0 */
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
  if (own)
    close (r.pread_fd);
  /* The buffer as bytes, without the room it had left (given back, not copied). */
  all = g_bytes_new_take (g_realloc (r.data, MAX (r.len, 1)), r.len);
  emit_spans (&em, all);
  g_array_unref (em.spans);
  return ok;
}

void
emlint_split_messages (GBytes *data, EmlintRawMessageFunc each, gpointer user_data)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_bytes (data);

  read_stream (in, -1, FALSE, G_MAXUINT64, each, user_data, NULL);
}
