/* message.c: the line index, the header scanner and the MIME part scan. */
#include "message.h"

#include <gmime/gmime.h>
#include <string.h>

#define IS_WSP(c) ((c) == ' ' || (c) == '\t')

/* One memchr pass over the whole message: this is the hot loop of a batch audit. */
static GArray *
build_line_index (const char *data, gsize len, gsize *longest)
{
  GArray *starts = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 256);
  gsize pos = 0, prev = 0, n = 1;

  /* Filled through the array's storage: an append call per line costs more than the memchr. */
  g_array_set_size (starts, 256);
  *longest = 0;
  while (pos < len)
    {
      const char *nl = memchr (data + pos, '\n', len - pos);
      if (nl == NULL)
        break;
      pos = (gsize) (nl - data) + 1;
      *longest = MAX (*longest, pos - prev);
      prev = pos;
      if (pos == len)
        break;
      if (n + 1 >= starts->len)
        g_array_set_size (starts, starts->len * 2);
      g_array_index (starts, gsize, n++) = pos;
    }
  *longest = MAX (*longest, len - prev);
  g_array_index (starts, gsize, 0) = 0;
  g_array_index (starts, gsize, n++) = len;
  g_array_set_size (starts, n);
  return starts;
}

guint
emlint_message_n_lines (const EmlintMessage *msg)
{
  return msg->line_starts->len - 1;
}

gsize
emlint_message_line_end (const EmlintMessage *msg, guint line)
{
  gsize end = emlint_message_line_start (msg, line + 1);
  gsize start = emlint_message_line_start (msg, line);

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
      if (emlint_message_line_start (msg, mid) <= offset)
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

EmlintDelimiter
emlint_delimiter_line (const char *line, gsize len, const char *boundary, gsize n)
{
  gsize i = 2 + n;
  EmlintDelimiter kind = EMLINT_DELIMITER;

  if (len < i || line[0] != '-' || line[1] != '-' || memcmp (line + 2, boundary, n) != 0)
    return EMLINT_NO_DELIMITER;
  if (len >= i + 2 && line[i] == '-' && line[i + 1] == '-')
    {
      kind = EMLINT_CLOSE_DELIMITER;
      i += 2;
    }
  for (; i < len; i++)
    if (!IS_WSP (line[i]))
      return EMLINT_NO_DELIMITER;
  return kind;
}

/* TRUE when the line at @ls (content up to @le) is a delimiter line of @boundary; *@close
 * says whether it is the close delimiter. */
static gboolean
is_delimiter (const EmlintMessage *msg, gsize ls, gsize le, const char *boundary, gsize n,
              gboolean *close)
{
  EmlintDelimiter kind = emlint_delimiter_line (msg->data + ls, le - ls, boundary, n);

  *close = kind == EMLINT_CLOSE_DELIMITER;
  return kind != EMLINT_NO_DELIMITER;
}

/* TRUE when the line is a delimiter line of any of the open multiparts' @boundaries. */
static gboolean
is_any_delimiter (const EmlintMessage *msg, gsize ls, gsize le, const GPtrArray *boundaries)
{
  gboolean close;

  if (boundaries == NULL || le - ls < 2 || msg->data[ls] != '-' || msg->data[ls + 1] != '-')
    return FALSE;
  for (guint i = 0; i < boundaries->len; i++)
    {
      const char *b = g_ptr_array_index (boundaries, i);
      if (is_delimiter (msg, ls, le, b, strlen (b), &close))
        return TRUE;
    }
  return FALSE;
}

/* Splits the header block that starts at @start into fields. A line that is neither a field nor
 * a continuation belongs to no field and is skipped, as GMime's parser does (the first one is
 * recorded: other readers end the header there); the block ends at the first empty line, or (in
 * a part) before a delimiter line of an open multipart. */
static EmlintHeader *
scan_header (const EmlintMessage *msg, gsize start, EmlintHeaderKind kind,
             const GPtrArray *boundaries)
{
  EmlintHeader *header = g_new0 (EmlintHeader, 1);
  guint n_lines = emlint_message_n_lines (msg);
  EmlintField *current = NULL;
  guint line = emlint_message_line_of (msg, start);

  header->kind = kind;
  header->start = start;
  /* Room for a typical top-level header: growing from nothing cost 1% of a run in
   * reallocations. Parts have a few fields, and there may be 100,000 of them. */
  header->fields = g_array_sized_new (FALSE, FALSE, sizeof (EmlintField),
                                      kind == EMLINT_HEADER_TOP ? 32 : 0);
  header->end = header->body_start = msg->len;
  header->stray = G_MAXSIZE;

  for (; start < msg->len && line < n_lines; line++)
    {
      gsize ls = MAX (emlint_message_line_start (msg, line), start);
      gsize le = emlint_message_line_end (msg, line);
      gsize next = emlint_message_line_start (msg, line + 1);
      gsize name_len, colon;

      if (next > G_MAXUINT32)
        {
          /* Past the first 4 GiB: EmlintField's offsets end there, and so does the header. */
          header->end = header->body_start = ls;
          break;
        }
      if (le == ls)
        {
          header->end = ls;
          header->body_start = next;
          break;
        }
      if (is_any_delimiter (msg, ls, le, boundaries))
        {
          header->end = header->body_start = ls;
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
      else if (header->stray == G_MAXSIZE)
        header->stray = ls;
    }
  return header;
}

/* RFC 2045 5.1: token := 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>. */
static gboolean
is_mime_token_char (guchar c)
{
  return c > 32 && c < 127 && strchr ("()<>@,;:\\\"/[]?=", c) == NULL;
}

static gsize
skip_space (const char *v, gsize i, gsize n)
{
  while (i < n && (IS_WSP (v[i]) || v[i] == '\r' || v[i] == '\n'))
    i++;
  return i;
}

/* The boundary parameter of a Content-Type value of the plainest form: a type, then
 * parameters name=token or name="text" separated by ';' and white space, one of them boundary.
 * Sets *@out (NULL without a boundary) and returns TRUE; returns FALSE for anything else (a
 * comment, an escape, an RFC 2231 name*, an encoded-word, white space in or around a value,
 * 8-bit octets, two boundaries...), which GMime parses.
 *
 * Why not GMime alone: g_mime_content_type_parse() builds and frees GObjects, about 20,000
 * instructions per multipart, 7% of a run over typical mail; nearly every boundary is plain. */
static gboolean
simple_boundary (const char *v, gsize n, char **out)
{
  gsize i = skip_space (v, 0, n), name, name_end, value, value_end;
  const char *found = NULL;
  gsize found_len = 0;

  while (i < n && (is_mime_token_char (v[i]) || v[i] == '/')) /* type/subtype */
    i++;
  for (i = skip_space (v, i, n); i < n; i = skip_space (v, i, n))
    {
      if (v[i] != ';')
        return FALSE;
      i = skip_space (v, i + 1, n);
      if (i == n)
        break;
      for (name = i; i < n && is_mime_token_char (v[i]) && v[i] != '*';)
        i++;
      name_end = i;
      if (name_end == name || i + 1 >= n || v[i] != '=')
        return FALSE;
      if (v[++i] == '"')
        {
          for (value = ++i; i < n && v[i] != '"'; i++)
            if (v[i] == '\0'
                || (!is_mime_token_char (v[i]) && strchr ("()<>@,;:/[]?=", v[i]) == NULL))
              return FALSE; /* an escape, white space, a control or 8-bit octet */
          if (i == n)
            return FALSE;
          value_end = i++;
        }
      else
        {
          for (value = i; i < n && is_mime_token_char (v[i]);)
            i++;
          value_end = i;
        }
      if (memchr (v + value, '?', value_end - value) != NULL)
        return FALSE; /* maybe an encoded-word */
      if (name_end - name == 8 && g_ascii_strncasecmp (v + name, "boundary", 8) == 0)
        {
          if (found != NULL)
            return FALSE;
          found = v + value;
          found_len = value_end - value;
        }
    }
  *out = found_len > 0 ? g_strndup (found, found_len) : NULL;
  return TRUE;
}

/* The boundary of a multipart header, or NULL (free with g_free()). GMime parses the
 * Content-Type (parameters, quoting, RFC 2231) unless it is plain; only a multipart pays. */
static char *
multipart_boundary (const EmlintMessage *msg, const EmlintHeader *header)
{
  for (guint i = 0; i < header->fields->len; i++)
    {
      const EmlintField *f = emlint_header_field (header, i);
      gsize p = f->value_start;
      g_autofree char *value = NULL;
      GMimeContentType *type;
      char *boundary = NULL;

      if (!emlint_field_is (msg, f, "Content-Type"))
        continue;
      while (p < f->value_end && g_ascii_isspace (msg->data[p]))
        p++;
      if (f->value_end - p < 10 || g_ascii_strncasecmp (msg->data + p, "multipart/", 10) != 0)
        return NULL;
      if (simple_boundary (msg->data + f->value_start, f->value_end - f->value_start, &boundary))
        return boundary;
      value = g_strndup (msg->data + f->value_start, f->value_end - f->value_start);
      type = g_mime_content_type_parse (NULL, value);
      if (type != NULL)
        {
          const char *b = g_mime_content_type_get_parameter (type, "boundary");
          boundary = b && *b ? g_strdup (b) : NULL;
          g_object_unref (type);
        }
      return boundary;
    }
  return NULL;
}

#define MAX_NESTING 64 /* deeper multiparts are linted as leaves: linear time on any input */

/* Finds every MIME part's header in one pass over the lines of the body. A stack holds the
 * boundaries of the open multiparts; a delimiter line of one of them closes those inside it
 * and, unless it is the last, starts a part whose header is scanned here.
 *
 * GMime's parser finds the same parts, but builds every part's content as it goes: measured on
 * 1 GB of mail it runs at ~200 MB/s, against ~500 MB/s for this scan (bench/README.md). */
static void
scan_mime_parts (EmlintMessage *msg, char *top_boundary)
{
  GPtrArray *stack = g_ptr_array_new_with_free_func (g_free);
  guint n_lines = emlint_message_n_lines (msg);
  guint line = emlint_message_line_of (msg, emlint_message_top (msg)->body_start);

  g_ptr_array_add (stack, top_boundary);
  for (; line < n_lines && stack->len > 0; line++)
    {
      gsize ls = emlint_message_line_start (msg, line), le;
      gboolean close = FALSE;
      guint level;

      if (ls + 2 > msg->len || msg->data[ls] != '-' || msg->data[ls + 1] != '-')
        continue;
      le = emlint_message_line_end (msg, line);
      for (level = stack->len; level > 0; level--)
        {
          const char *b = g_ptr_array_index (stack, level - 1);
          if (is_delimiter (msg, ls, le, b, strlen (b), &close))
            break;
        }
      if (level == 0)
        continue;
      g_ptr_array_set_size (stack, close ? level - 1 : level);
      if (!close)
        {
          EmlintHeader *part = scan_header (msg, emlint_message_line_start (msg, line + 1),
                                            EMLINT_HEADER_PART, stack);
          char *inner = stack->len < MAX_NESTING ? multipart_boundary (msg, part) : NULL;

          guint body_line = emlint_message_line_of (msg, part->body_start);

          g_ptr_array_add (msg->headers, part);
          if (inner != NULL)
            g_ptr_array_add (stack, inner);
          if (part->body_start < msg->len && body_line > line + 1)
            line = body_line - 1; /* the loop goes on at the part's body */
        }
    }
  g_ptr_array_unref (stack);
}

EmlintMessage *
emlint_message_new_text (GBytes *bytes, const char *path)
{
  EmlintMessage *msg = g_new0 (EmlintMessage, 1);

  msg->path = path;
  msg->first_line = 1;
  msg->bytes = g_bytes_ref (bytes);
  msg->data = g_bytes_get_data (bytes, &msg->len);
  if (msg->data == NULL)
    msg->data = "";
  msg->line_starts = build_line_index (msg->data, msg->len, &msg->longest_line);
  msg->headers = g_ptr_array_new ();
  return msg;
}

EmlintMessage *
emlint_message_new (GBytes *bytes, const char *path, guint index, gboolean in_mbox,
                    guint first_line)
{
  EmlintMessage *msg = emlint_message_new_text (bytes, path);
  gsize start = 0;
  char *boundary;

  msg->index = index;
  msg->in_mbox = in_mbox;
  msg->first_line = first_line;
  if (msg->len >= 3 && memcmp (msg->data, "\xEF\xBB\xBF", 3) == 0)
    start = 3;
  g_ptr_array_add (msg->headers, scan_header (msg, start, EMLINT_HEADER_TOP, NULL));
  boundary = multipart_boundary (msg, emlint_message_top (msg));
  if (boundary != NULL)
    scan_mime_parts (msg, boundary);
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
  emlint_message_drop_caches (msg);
  g_bytes_unref (msg->bytes);
  g_free (msg);
}

void
emlint_message_drop_caches (EmlintMessage *msg)
{
  g_clear_pointer (&msg->msgid_cache, emlint_msgid_cache_free);
  g_clear_pointer (&msg->signatures, emlint_signatures_free);
  g_clear_pointer (&msg->fields_once, g_array_unref);
  g_clear_pointer (&msg->field_words, g_hash_table_unref);
}

gboolean
emlint_field_has_prefix (const EmlintMessage *msg, const EmlintField *field, const char *prefix)
{
  gsize n = strlen (prefix);

  return field->name_end - field->start >= n
         && emlint_ascii_equal_ci (msg->data + field->start, prefix, n);
}

gboolean
emlint_message_is_empty (const EmlintMessage *msg)
{
  for (gsize i = 0; i < msg->len; i++)
    if (!g_ascii_isspace (msg->data[i]))
      return FALSE;
  return TRUE;
}

const char *const emlint_template_placeholders[] = { "{{ }}", "{% %}", "${ }", "%( )s", NULL };

gsize
emlint_placeholder_syntax_match (const char *const *syntaxes, const char *s, gsize len)
{
  if (len == 0)
    return 0;
  for (guint i = 0; syntaxes != NULL && syntaxes[i] != NULL; i++)
    {
      const char *syntax = syntaxes[i], *space;
      gsize open;
      const char *close;

      /* Asked at every octet of a long header line: the first octet rules out nearly all. */
      if (syntax[0] != s[0])
        continue;
      space = strchr (syntax, ' ');
      open = space ? (gsize) (space - syntax) : 0;
      if (open == 0 || len < open || memcmp (s, syntax, open) != 0)
        continue;
      close = g_strstr_len (s + open, (gssize) (len - open), space + 1);
      if (close != NULL)
        return (gsize) (close - s) + strlen (space + 1);
    }
  return 0;
}

gsize
emlint_placeholder_match (const EmlintMessage *msg, const char *s, gsize len)
{
  return emlint_placeholder_syntax_match ((const char *const *) msg->placeholders, s, len);
}

char *
emlint_field_dup_name (const EmlintMessage *msg, const EmlintField *field)
{
  return g_strndup (msg->data + field->start, field->name_end - field->start);
}
