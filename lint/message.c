/* message.c: the line index, the header scanner and the MIME part walk. */
#include "message.h"

#include <gmime/gmime.h>
#include <string.h>

#define IS_WSP(c) ((c) == ' ' || (c) == '\t')

/* One memchr pass over the whole message: this is the hot loop of a batch audit. */
static GArray *
build_line_index (const char *data, gsize len)
{
  GArray *starts = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 64);
  gsize pos = 0;

  g_array_append_val (starts, pos);
  while (pos < len)
    {
      const char *nl = memchr (data + pos, '\n', len - pos);
      if (nl == NULL)
        break;
      pos = (gsize) (nl - data) + 1;
      if (pos < len)
        g_array_append_val (starts, pos);
    }
  g_array_append_val (starts, len);
  return starts;
}

guint
emlint_message_n_lines (const EmlintMessage *msg)
{
  return msg->line_starts->len - 1;
}

gsize
emlint_message_line_start (const EmlintMessage *msg, guint line)
{
  return g_array_index (msg->line_starts, gsize, line);
}

gsize
emlint_message_line_end (const EmlintMessage *msg, guint line)
{
  gsize end = g_array_index (msg->line_starts, gsize, line + 1);
  gsize start = g_array_index (msg->line_starts, gsize, line);

  if (end > start && msg->data[end - 1] == '\n')
    {
      end--;
      if (end > start && msg->data[end - 1] == '\r')
        end--;
    }
  return end;
}

guint
emlint_message_line_of (const EmlintMessage *msg, gsize offset)
{
  guint lo = 0, hi = emlint_message_n_lines (msg);

  /* The last line index i with line_starts[i] <= offset. */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;
      if (g_array_index (msg->line_starts, gsize, mid) <= offset)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

const char *
emlint_message_eol_at (const EmlintMessage *msg, gsize offset)
{
  guint line = emlint_message_line_of (msg, offset);
  gsize end = emlint_message_line_end (msg, line);

  return end < msg->len && msg->data[end] == '\r' ? "\r\n" : "\n";
}

/* A field name is one or more printable US-ASCII octets other than the colon (RFC 5322 2.2);
 * whitespace before the colon is the obsolete form (4.5.8) and stays outside the name. */
static gboolean
scan_field_name (const char *line, gsize len, gsize *name_len, gsize *colon)
{
  gsize i = 0, n;

  while (i < len && line[i] != ':' && (guchar) line[i] > 32 && (guchar) line[i] < 127)
    i++;
  n = i;
  while (i < len && IS_WSP (line[i]))
    i++;
  if (n == 0 || i >= len || line[i] != ':')
    return FALSE;
  *name_len = n;
  *colon = i;
  return TRUE;
}

/* Splits the header block that starts at @start into fields. A line that is neither a field nor
 * a continuation belongs to no field and is skipped, as GMime's parser does; the block ends at
 * the first empty line. */
static EmlintHeader *
scan_header (const EmlintMessage *msg, gsize start, EmlintHeaderKind kind)
{
  EmlintHeader *header = g_new0 (EmlintHeader, 1);
  guint n_lines = emlint_message_n_lines (msg);
  EmlintField *current = NULL;
  guint line = emlint_message_line_of (msg, start);

  header->kind = kind;
  header->start = start;
  header->fields = g_array_new (FALSE, FALSE, sizeof (EmlintField));
  header->end = header->body_start = msg->len;

  for (; line < n_lines; line++)
    {
      gsize ls = MAX (emlint_message_line_start (msg, line), start);
      gsize le = emlint_message_line_end (msg, line);
      gsize next = emlint_message_line_start (msg, line + 1);
      gsize name_len, colon;

      if (le == ls)
        {
          header->end = ls;
          header->body_start = next;
          break;
        }
      if (IS_WSP (msg->data[ls]))
        {
          if (current != NULL)
            {
              current->value_end = le;
              current->end = next;
              current->n_lines++;
            }
          continue;
        }
      current = NULL;
      if (scan_field_name (msg->data + ls, le - ls, &name_len, &colon))
        {
          EmlintField field = {
            .start = ls,
            .name_end = ls + name_len,
            .value_start = ls + colon + 1,
            .value_end = le,
            .end = next,
            .line = line,
            .n_lines = 1,
          };
          g_array_append_val (header->fields, field);
          current = &g_array_index (header->fields, EmlintField, header->fields->len - 1);
        }
    }
  return header;
}

static gboolean
is_multipart (const EmlintMessage *msg, const EmlintHeader *top)
{
  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *f = emlint_header_field (top, i);
      gsize p = f->value_start;

      if (!emlint_field_is (msg, f, "Content-Type"))
        continue;
      while (p < f->value_end && g_ascii_isspace (msg->data[p]))
        p++;
      return f->value_end - p >= 10 && g_ascii_strncasecmp (msg->data + p, "multipart/", 10) == 0;
    }
  return FALSE;
}

static void
collect_parts (GMimeObject *object, EmlintMessage *msg)
{
  GMimeHeaderList *list = g_mime_object_get_header_list (object);

  if (g_mime_header_list_get_count (list) > 0)
    {
      gint64 offset = g_mime_header_get_offset (g_mime_header_list_get_header_at (list, 0));
      if (offset > 0 && (guint64) offset < msg->len)
        g_ptr_array_add (msg->headers, scan_header (msg, (gsize) offset, EMLINT_HEADER_PART));
    }
  /* A message/rfc822 part is content: its inner header is not this message's to lint or fix. */
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
        collect_parts (g_mime_multipart_get_part (multipart, i), msg);
    }
}

/* GMime finds where each part's header starts; only multiparts need it, so a single-part
 * message never pays for a MIME parse. */
static void
scan_mime_parts (EmlintMessage *msg)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (msg->data, msg->len);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *mime = g_mime_parser_construct_message (parser, NULL);

  if (mime != NULL)
    {
      GMimeObject *root = g_mime_message_get_mime_part (mime);
      if (GMIME_IS_MULTIPART (root))
        {
          GMimeMultipart *multipart = GMIME_MULTIPART (root);
          for (int i = 0; i < g_mime_multipart_get_count (multipart); i++)
            collect_parts (g_mime_multipart_get_part (multipart, i), msg);
        }
      g_object_unref (mime);
    }
  g_object_unref (parser);
  g_object_unref (stream);
}

EmlintMessage *
emlint_message_new (GBytes *bytes, const char *path, guint index, gboolean in_mbox,
                    guint first_line)
{
  EmlintMessage *msg = g_new0 (EmlintMessage, 1);
  gsize start = 0;

  msg->path = path;
  msg->index = index;
  msg->in_mbox = in_mbox;
  msg->first_line = first_line;
  msg->bytes = g_bytes_ref (bytes);
  msg->data = g_bytes_get_data (bytes, &msg->len);
  if (msg->data == NULL)
    msg->data = "";
  msg->line_starts = build_line_index (msg->data, msg->len);
  msg->headers = g_ptr_array_new ();

  if (msg->len >= 3 && memcmp (msg->data, "\xEF\xBB\xBF", 3) == 0)
    start = 3;
  g_ptr_array_add (msg->headers, scan_header (msg, start, EMLINT_HEADER_TOP));
  if (is_multipart (msg, emlint_message_top (msg)))
    scan_mime_parts (msg);
  return msg;
}

void
emlint_message_free (EmlintMessage *msg)
{
  if (msg == NULL)
    return;
  for (guint i = 0; i < msg->headers->len; i++)
    {
      EmlintHeader *header = g_ptr_array_index (msg->headers, i);
      g_array_unref (header->fields);
      g_free (header);
    }
  g_ptr_array_unref (msg->headers);
  g_array_unref (msg->line_starts);
  if (msg->msgid_fields != NULL)
    g_ptr_array_unref (msg->msgid_fields);
  g_bytes_unref (msg->bytes);
  g_free (msg);
}

gboolean
emlint_field_is (const EmlintMessage *msg, const EmlintField *field, const char *name)
{
  gsize n = strlen (name);

  return field->name_end - field->start == n
         && g_ascii_strncasecmp (msg->data + field->start, name, n) == 0;
}

gboolean
emlint_field_has_prefix (const EmlintMessage *msg, const EmlintField *field, const char *prefix)
{
  gsize n = strlen (prefix);

  return field->name_end - field->start >= n
         && g_ascii_strncasecmp (msg->data + field->start, prefix, n) == 0;
}

char *
emlint_field_dup_name (const EmlintMessage *msg, const EmlintField *field)
{
  return g_strndup (msg->data + field->start, field->name_end - field->start);
}
