/* mime-structure: what GMime's parser warns about in the MIME structure, less what other rules
 * report.
 *
 * GMime's warnings (g_mime_parser_options_set_warning_callback) and where they go:
 *   UNENCODED_8BIT_HEADER          header-8bit
 *   INVALID_HEADER_NAME            header-syntax
 *   INVALID_RFC2047_HEADER_VALUE   encoded-word-malformed (and -placement)
 *   DUPLICATED_HEADER,             field-count for the RFC 5322 fields GMime checks (it checks
 *   CONFLICTING_HEADER             exactly field-count's list); here for the Content-* fields of
 *                                  each header, which this rule compares itself because GMime
 *                                  checks them only in a full parse
 *   INVALID_CONTENT_TYPE, INVALID_PARAMETER, DUPLICATED_PARAMETER, CONFLICTING_PARAMETER
 *                                  here: GMime parses each Content-Type and Content-Disposition
 *   MULTIPART_WITHOUT_BOUNDARY, MALFORMED_MULTIPART, TRUNCATED_MESSAGE, MALFORMED_MESSAGE,
 *   NESTING_OVERFLOW, PART_WITHOUT_HEADERS_OR_CONTENT
 *                                  here, from a full parse, done only for a multipart message
 *                                  (nothing else has a structure to get wrong)
 *   PART_WITHOUT_CONTENT           not reported: a part whose header runs into the next
 *                                  delimiter is an empty part (RFC 2046 5.1.1)
 *   INVALID_ADDRESS_LIST           not reported: address syntax is no MIME structure, and GMime
 *                                  flags only what its lenient parser cannot read at all */
#include "rule.h"

#include "lex.h"

#include <gmime/gmime.h>
#include <string.h>

typedef struct {
  gint64 offset;
  GMimeParserWarning code;
  char *item;
} Warning;

static void
warning_clear (gpointer data)
{
  g_free (((Warning *) data)->item);
}

static void
collect (gint64 offset, GMimeParserWarning code, const gchar *item, gpointer user_data)
{
  Warning w = { offset, code, g_strdup (item) };
  g_array_append_val ((GArray *) user_data, w);
}

static GArray *
new_warnings (void)
{
  GArray *warnings = g_array_new (FALSE, FALSE, sizeof (Warning));
  g_array_set_clear_func (warnings, warning_clear);
  return warnings;
}

/* ---- Content-* fields twice in one header ------------------------------------------------ */

/* TRUE when the two fields' values are the same once white space is collapsed. */
static gboolean
same_value (const EmlintMessage *msg, const EmlintField *a, const EmlintField *b)
{
  gsize la, lb;
  g_autofree char *va = emlint_field_unfold (msg, a, &la), *vb = emlint_field_unfold (msg, b, &lb);

  return strcmp (g_strstrip (va), g_strstrip (vb)) == 0;
}

static void
check_repeated (EmlintContext *ctx, const EmlintHeader *header)
{
  const EmlintMessage *msg = ctx->msg;
  /* The first field of each Content-* name, by lower-case name: one pass, whatever the
   * number of fields. */
  g_autoptr (GHashTable) first = NULL;

  for (guint i = 0; i < header->fields->len; i++)
    {
      const EmlintField *f = emlint_header_field (header, i);
      const EmlintField *seen;
      char *key;

      if ((msg->data[f->start] | 0x20) != 'c' || !emlint_field_has_prefix (msg, f, "Content-"))
        continue;
      if (first == NULL)
        first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      key = g_ascii_strdown (msg->data + f->start, (gssize) (f->name_end - f->start));
      if ((seen = g_hash_table_lookup (first, key)) == NULL)
        {
          g_hash_table_insert (first, key, (gpointer) f);
          continue;
        }
      g_free (key);
      {
        g_autofree char *name = emlint_field_dup_name (msg, f);

        if (same_value (msg, seen, f))
          emlint_report_at (ctx, EMLINT_WARNING, f->start, f->value_end,
                            "%s occurs twice in this header, with the same value", name);
        else
          emlint_report_at (ctx, EMLINT_ERROR, f->start, f->value_end,
                            "%s occurs twice in this header with different values; readers "
                            "disagree about which one applies",
                            name);
      }
    }
}

/* ---- Content-Type and Content-Disposition ------------------------------------------------- */

/* TRUE when @value is plainly valid: type/subtype (or one token for a disposition), then
 * "; name=value" parameters with distinct plain names and token or quoted values. GMime has
 * nothing to warn about then, and its parse is skipped: most fields look like this. Anything
 * else (comments, RFC 2231 names, odd spacing) goes to GMime. */
static gboolean
parameters_look_clean (const char *v, gsize len, gboolean type, char **boundary)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gsize p = 0, n;

  while (p < len && EMLINT_IS_FWS (v[p]))
    p++;
  for (n = p; p < len && emlint_is_mime_token_char (v[p]); p++)
    ;
  if (p == n)
    return FALSE;
  if (type)
    {
      if (p >= len || v[p] != '/')
        return FALSE;
      for (n = ++p; p < len && emlint_is_mime_token_char (v[p]); p++)
        ;
      if (p == n)
        return FALSE;
    }
  for (;;)
    {
      gsize name;

      while (p < len && EMLINT_IS_FWS (v[p]))
        p++;
      if (p >= len)
        return TRUE;
      if (v[p] != ';')
        return FALSE;
      p++;
      while (p < len && EMLINT_IS_FWS (v[p]))
        p++;
      for (name = p; p < len && emlint_is_mime_token_char (v[p]) && v[p] != '*'; p++)
        ;
      if (p == name || p >= len || v[p] != '=')
        return FALSE;
      for (guint i = 0; i < names->len; i++)
        if (g_ascii_strncasecmp (g_ptr_array_index (names, i), v + name, p - name) == 0
            && strlen (g_ptr_array_index (names, i)) == p - name)
          return FALSE;
      g_ptr_array_add (names, g_strndup (v + name, p - name));
      p++;
      if (p < len && v[p] == '"')
        {
          for (n = ++p; p < len && v[p] != '"'; p++)
            if (v[p] == '\\' || (guchar) v[p] >= 127 || (guchar) v[p] < 32)
              return FALSE;
          if (p >= len)
            return FALSE;
          p++;
        }
      else
        {
          for (n = p; p < len && emlint_is_mime_token_char (v[p]); p++)
            ;
          if (p == n)
            return FALSE;
        }
      if (boundary != NULL
          && g_ascii_strcasecmp (g_ptr_array_index (names, names->len - 1), "boundary") == 0)
        {
          g_free (*boundary);
          *boundary = g_strndup (v + n, p - n - (v[p - 1] == '"'));
        }
    }
}

/* Where the parameter @item of @f stands in the original octets, its name to the ';' that ends
 * it: the first occurrence, or with @last the last one (the repeated one). FALSE when @item is
 * not found there (the finding then points at the field). */
static gboolean
locate_parameter (const EmlintMessage *msg, const EmlintField *f, const char *item, gboolean last,
                  gsize *start, gsize *end)
{
  gsize n = strlen (item);
  gboolean found = FALSE;

  for (gsize p = f->value_start; n > 0 && p + n <= f->value_end; p++)
    if ((p == f->value_start || msg->data[p - 1] == ';' || EMLINT_IS_FWS (msg->data[p - 1]))
        && g_ascii_strncasecmp (msg->data + p, item, n) == 0)
      {
        *start = p;
        found = TRUE;
        if (!last)
          break;
      }
  if (!found)
    return FALSE;
  for (*end = *start; *end < f->value_end && msg->data[*end] != ';'; (*end)++)
    ;
  while (*end > *start + n && EMLINT_IS_FWS (msg->data[*end - 1]))
    (*end)--;
  return TRUE;
}

/* TRUE when @f gives the parameter @item once plainly (item=...) and in RFC 2231 form as well
 * (item*=..., or the sections item*0*=..., item*1*=...): a fallback for readers that do not know
 * RFC 2231, as Delta Chat, web mailers and RFC 6266 for HTTP write it. GMime counts the two as
 * one parameter given twice. */
static gboolean
plain_and_extended (const EmlintMessage *msg, const EmlintField *f, const char *item)
{
  gsize n = strlen (item), plain = 0, extended = 0;

  for (gsize p = f->value_start; n > 0 && p + n < f->value_end; p++)
    if ((msg->data[p - 1] == ';' || EMLINT_IS_FWS (msg->data[p - 1]))
        && g_ascii_strncasecmp (msg->data + p, item, n) == 0)
      {
        gsize q = p + n;

        if (msg->data[q] == '*')
          extended++;
        else
          {
            while (q < f->value_end && EMLINT_IS_FWS (msg->data[q]))
              q++;
            plain += q < f->value_end && msg->data[q] == '=';
          }
      }
  return plain == 1 && extended > 0;
}

/* Parses @f (Content-Type or Content-Disposition) with GMime and reports its warnings. For a
 * multipart Content-Type, returns its boundary ("" when it has none), else NULL: a new
 * string. */
static char *
check_parameters (EmlintContext *ctx, GMimeParserOptions *options, GArray *warnings,
                  const EmlintField *f)
{
  const EmlintMessage *msg = ctx->msg;
  gboolean type = emlint_field_is (msg, f, "Content-Type");
  g_autofree char *value = NULL, *name = NULL;
  char *boundary = NULL;
  gsize len;

  if (!type && !emlint_field_is (msg, f, "Content-Disposition"))
    return NULL;
  /* A disposition without parameters has nothing GMime warns about. */
  if (!type && memchr (msg->data + f->value_start, ';', f->value_end - f->value_start) == NULL)
    return NULL;
  value = emlint_field_unfold (msg, f, &len);
  if (parameters_look_clean (value, len, type, &boundary))
    {
      g_strchug (value);
      if (type && g_ascii_strncasecmp (value, "multipart/", 10) == 0)
        return boundary != NULL ? boundary : g_strdup ("");
      g_free (boundary);
      return NULL;
    }
  g_clear_pointer (&boundary, g_free);
  len = strlen (value);
  g_array_set_size (warnings, 0);
  if (type)
    {
      GMimeContentType *ct = g_mime_content_type_parse (options, value);

      if (ct != NULL && g_mime_content_type_is_type (ct, "multipart", "*"))
        {
          const char *b = g_mime_content_type_get_parameter (ct, "boundary");
          boundary = g_strdup (b ? b : "");
        }
      g_clear_object (&ct);
    }
  else
    {
      GMimeContentDisposition *cd = g_mime_content_disposition_parse (options, value);
      g_clear_object (&cd);
    }
  name = emlint_field_dup_name (msg, f);
  for (guint i = 0; i < warnings->len; i++)
    {
      const Warning *w = &g_array_index (warnings, Warning, i);
      const char *item = w->item ? w->item : "";
      gsize at = f->start, to = f->value_end; /* a parameter finding points at it */

      if (w->code != GMIME_WARN_INVALID_CONTENT_TYPE)
        locate_parameter (msg, f, item, w->code != GMIME_WARN_INVALID_PARAMETER, &at, &to);

      switch (w->code)
        {
        case GMIME_WARN_INVALID_CONTENT_TYPE:
          emlint_report_at (ctx, EMLINT_ERROR, f->start, f->value_end,
                            "%s is not type/subtype; readers take the part as "
                            "application/octet-stream (RFC 2045 5.1)",
                            name);
          return boundary;
        case GMIME_WARN_INVALID_PARAMETER:
          emlint_report_at (ctx, EMLINT_WARNING, at, to,
                            "%s has %s%s%.40s that is not attribute=value (RFC 2045 5.1)", name,
                            *item ? "the parameter" : "an empty parameter", *item ? " " : "", item);
          return boundary;
        case GMIME_WARN_DUPLICATED_PARAMETER:
          if (plain_and_extended (msg, f, item))
            break; /* the same name twice, for old readers and new: fine */
          emlint_report_at (ctx, EMLINT_WARNING, at, to,
                            "%s has the parameter %.40s twice, with the same value", name, item);
          return boundary;
        case GMIME_CRIT_CONFLICTING_PARAMETER:
          if (plain_and_extended (msg, f, item))
            {
              emlint_report_at (ctx, EMLINT_WARNING, at, to,
                                "%s has %.40s both plain and in RFC 2231 form (%.40s*), with "
                                "different values: readers that know RFC 2231 show one, others "
                                "(Python's email package among them) the other",
                                name, item, item);
              return boundary;
            }
          emlint_report_at (ctx, EMLINT_ERROR, at, to,
                            "%s has the parameter %.40s twice with different values; readers "
                            "disagree about which one applies",
                            name, item);
          return boundary;
        default: break; /* encoded-words: encoded-word-malformed's */
        }
    }
  return boundary;
}

/* ---- the full parse ---------------------------------------------------------------------- */

/* The field of the message (any of its headers) that starts at @offset, or NULL. */
static const EmlintField *
field_at (const EmlintMessage *msg, gint64 offset)
{
  for (guint h = 0; offset >= 0 && h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      for (guint i = 0; i < header->fields->len; i++)
        if ((gint64) emlint_header_field (header, i)->start == offset)
          return emlint_header_field (header, i);
    }
  return NULL;
}

/* TRUE when the top-level Content-Type is multipart/something: the cheap test before the
 * expensive parse. */
static gboolean
is_multipart (const EmlintMessage *msg, const EmlintField **content_type)
{
  const EmlintField *f = emlint_header_find (msg, emlint_message_top (msg), "Content-Type");
  gsize p;

  *content_type = f;
  if (f == NULL)
    return FALSE;
  for (p = f->value_start; p < f->value_end && EMLINT_IS_FWS (msg->data[p]); p++)
    ;
  return f->value_end - p >= 10 && g_ascii_strncasecmp (msg->data + p, "multipart/", 10) == 0;
}

#define BOUNDARY_MAX 70 /* RFC 2046 5.1.1 */

/* A multipart's Content-Type and its boundary ("" when it has none). */
typedef struct {
  const EmlintField *field;
  char *boundary;
} Multipart;

static void
multipart_clear (gpointer data)
{
  g_free (((Multipart *) data)->boundary);
}

/* Reports each multipart whose boundary is longer than RFC 2046 allows; TRUE when there was
 * one. GMime's parser may not find such a boundary (it scans with a fixed buffer), and a full
 * parse would then only say that the multipart never ends. */
static gboolean
check_boundary_lengths (EmlintContext *ctx, GArray *multiparts)
{
  gboolean found = FALSE;

  for (guint i = 0; i < multiparts->len; i++)
    {
      const Multipart *m = &g_array_index (multiparts, Multipart, i);

      if (strlen (m->boundary) <= BOUNDARY_MAX)
        continue;
      emlint_report_at (ctx, EMLINT_ERROR, m->field->start, m->field->value_end,
                        "the multipart boundary is %" G_GSIZE_FORMAT " characters long; RFC "
                        "2046 allows %d, and parsers with fixed buffers may not find it",
                        strlen (m->boundary), BOUNDARY_MAX);
      found = TRUE;
    }
  return found;
}

/* The cheap test before the expensive parse: TRUE when every multipart that emlint's own scan
 * found has a boundary, closes once with its close delimiter after its last delimiter line, and
 * no delimiter line follows another directly. Then GMime has nothing structural to warn about,
 * and most multipart mail skips the full parse. */
static gboolean
structure_looks_clean (const EmlintMessage *msg, GArray *multiparts)
{
  g_autoptr (GPtrArray) bounds = g_ptr_array_new ();
  g_autofree guint *closes = NULL;
  g_autofree gboolean *closed = NULL;
  guint n_lines = emlint_message_n_lines (msg);
  gboolean previous = FALSE;

  for (guint h = 0; h < multiparts->len; h++)
    {
      const char *b = g_array_index (multiparts, Multipart, h).boundary;

      if (*b == '\0')
        return FALSE;
      /* A multipart inside one with the same boundary: it ends where GMime cannot tell. */
      for (guint i = 0; i < bounds->len; i++)
        if (strcmp (g_ptr_array_index (bounds, i), b) == 0)
          return FALSE;
      g_ptr_array_add (bounds, (gpointer) b);
    }
  closes = g_new0 (guint, bounds->len);
  closed = g_new0 (gboolean, bounds->len);
  for (guint line = emlint_message_line_of (msg, emlint_message_top (msg)->body_start);
       line < n_lines; line++)
    {
      gsize ls = g_array_index (msg->line_starts, gsize, line), le;
      gboolean delimiter = FALSE;

      if (ls + 2 > msg->len || msg->data[ls] != '-' || msg->data[ls + 1] != '-')
        {
          previous = FALSE;
          continue;
        }
      le = emlint_message_line_end (msg, line);
      if (le - ls >= 2)
        for (guint i = 0; i < bounds->len; i++)
          {
            const char *b = g_ptr_array_index (bounds, i);
            EmlintDelimiter kind = emlint_delimiter_line (msg->data + ls, le - ls, b, strlen (b));

            if (kind == EMLINT_NO_DELIMITER)
              continue;
            if (closed[i] || previous)
              return FALSE; /* a delimiter after the close, or right after another */
            delimiter = TRUE;
            if (kind == EMLINT_CLOSE_DELIMITER)
              {
                closes[i]++;
                closed[i] = TRUE;
              }
          }
      previous = delimiter;
    }
  for (guint i = 0; i < bounds->len; i++)
    if (closes[i] != 1)
      return FALSE;
  return TRUE;
}

/* Reports each multipart whose body holds its close delimiter and no delimiter line before
 * it: a multipart without a single part (RFC 2046 5.1.1 asks for one at least; Python's email
 * package reports StartBoundaryNotFoundDefect). Adds the Content-Type fields reported to
 * @reported. */
static void
check_empty_multiparts (EmlintContext *ctx, GArray *multiparts, GHashTable *reported)
{
  const EmlintMessage *msg = ctx->msg;
  guint n_lines = emlint_message_n_lines (msg), open_left = multiparts->len;
  g_autofree gboolean *opened = g_new0 (gboolean, multiparts->len);

  for (guint line = emlint_message_line_of (msg, emlint_message_top (msg)->body_start);
       line < n_lines && open_left > 0; line++)
    {
      gsize ls = g_array_index (msg->line_starts, gsize, line), le;

      if (ls + 2 > msg->len || msg->data[ls] != '-' || msg->data[ls + 1] != '-')
        continue;
      le = emlint_message_line_end (msg, line);
      for (guint i = 0; i < multiparts->len; i++)
        {
          const Multipart *m = &g_array_index (multiparts, Multipart, i);
          EmlintDelimiter kind;

          if (opened[i] || *m->boundary == '\0'
              || (kind = emlint_delimiter_line (msg->data + ls, le - ls, m->boundary,
                                                strlen (m->boundary)))
                   == EMLINT_NO_DELIMITER)
            continue;
          opened[i] = TRUE;
          open_left--;
          if (kind == EMLINT_CLOSE_DELIMITER && g_hash_table_add (reported, (gpointer) m->field))
            emlint_report_at (ctx, EMLINT_ERROR, m->field->start, m->field->value_end,
                              "this multipart holds no part: its body has the close delimiter "
                              "(--%.70s--) and no delimiter line before it, and RFC 2046 5.1.1 "
                              "asks for one part at least; readers show nothing, or the "
                              "preamble",
                              m->boundary);
        }
    }
}

static void
check_structure (EmlintContext *ctx, GMimeParserOptions *options, GArray *warnings,
                 const EmlintField *top_type, GHashTable *empty)
{
  const EmlintMessage *msg = ctx->msg;
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (msg->data, msg->len);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *mime;
  gboolean truncated = FALSE;
  GHashTable *seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  g_array_set_size (warnings, 0);
  mime = g_mime_parser_construct_message (parser, options);
  g_clear_object (&mime);
  g_object_unref (parser);
  g_object_unref (stream);

  for (guint i = 0; i < warnings->len; i++)
    {
      const Warning *w = &g_array_index (warnings, Warning, i);
      const EmlintField *f = field_at (msg, w->offset);
      const char *item = w->item ? w->item : "";

      /* One finding per place and kind. */
      if (f != NULL && !g_hash_table_add (seen, GSIZE_TO_POINTER (f->start * 64 + w->code)))
        continue;
      switch (w->code)
        {
        case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
          if (f != NULL)
            emlint_report_at (ctx, EMLINT_ERROR, f->start, f->value_end,
                              "a multipart/%.30s without a boundary parameter: its parts cannot "
                              "be found, and readers show it as one block of text "
                              "(RFC 2046 5.1.1)",
                              item);
          break;
        case GMIME_WARN_MALFORMED_MULTIPART:
          if (f != NULL && !g_hash_table_contains (empty, f))
            emlint_report_at (ctx, EMLINT_WARNING, f->start, f->value_end,
                              "this multipart/%.30s has no close delimiter (--boundary--): an "
                              "outer multipart's boundary ends it (RFC 2046 5.1.1)",
                              item);
          break;
        case GMIME_WARN_TRUNCATED_MESSAGE: truncated = TRUE; break;
        case GMIME_CRIT_NESTING_OVERFLOW:
          emlint_report_at (ctx, EMLINT_ERROR, f ? f->start : 0, f ? f->value_end : 0,
                            "MIME parts are nested too deeply for GMime (more than 1024 levels), "
                            "a known way to attack parsers");
          break;
        case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
          /* The offset is that of the second delimiter line; elsewhere it is an attached
           * message's content that is no message, which is content. */
          if (w->offset >= 0 && (gsize) w->offset + 2 < msg->len && msg->data[w->offset] == '-'
              && msg->data[w->offset + 1] == '-'
              && g_hash_table_add (seen, GSIZE_TO_POINTER ((gsize) w->offset * 64 + w->code)))
            emlint_report_at (
              ctx, EMLINT_WARNING, (gsize) w->offset,
              emlint_message_line_end (msg, emlint_message_line_of (msg, (gsize) w->offset)),
              "a delimiter line follows another directly: an empty part "
              "without even the blank line after its header (RFC 2046 5.1.1)");
          break;
        case GMIME_WARN_MALFORMED_MESSAGE:
          /* The parser ran into the end inside a part's header: the same as truncated. */
          truncated = TRUE;
          break;
        default: break; /* reported by other rules, or by this one without the full parse */
        }
    }
  g_hash_table_unref (seen);
  /* GMime also warns when the header has no blank line before the end of the file, which is
   * a message without a body; only a multipart left open counts here. */
  if (truncated && msg->headers->len > 1)
    emlint_report_at (ctx, EMLINT_WARNING, top_type->start, top_type->value_end,
                      "the message ends before the close delimiter (--boundary--) of its "
                      "multipart: it is truncated, or the generator never closed it "
                      "(RFC 2046 5.1.1)");
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  g_autoptr (GArray) warnings = new_warnings ();
  g_autoptr (GArray) multiparts = g_array_new (FALSE, FALSE, sizeof (Multipart));
  GMimeParserOptions *options = g_mime_parser_options_new ();
  const EmlintField *top_type;
  gsize covered = 0;

  g_array_set_clear_func (multiparts, multipart_clear);
  g_mime_parser_options_set_warning_callback (options, collect, warnings);
  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      gboolean typed = FALSE;

      if (header->end <= covered && header->fields->len > 0)
        continue;
      covered = MAX (covered, header->end);
      check_repeated (ctx, header);
      for (guint i = 0; i < header->fields->len; i++)
        {
          const EmlintField *f = emlint_header_field (header, i);
          char *boundary = check_parameters (ctx, options, warnings, f);

          if (boundary != NULL && !typed)
            {
              Multipart m = { f, boundary };
              g_array_append_val (multiparts, m);
            }
          else
            g_free (boundary);
          typed |= emlint_field_is (msg, f, "Content-Type");
        }
    }
  if (is_multipart (msg, &top_type) && !check_boundary_lengths (ctx, multiparts))
    {
      g_autoptr (GHashTable) empty = g_hash_table_new (g_direct_hash, g_direct_equal);

      check_empty_multiparts (ctx, multiparts, empty);
      if (!structure_looks_clean (msg, multiparts))
        check_structure (ctx, options, warnings, top_type, empty);
    }
  g_mime_parser_options_free (options);
}

const EmlintRule emlint_rule_mime_structure = {
  .id = "mime-structure",
  .severity = EMLINT_ERROR,
  .summary = "a MIME structure GMime's parser warns about",
  .rfc = "RFC 2045 section 5; RFC 2046 section 5.1; RFC 2183",
  .doc = "What it does\n"
         "  Reports what GMime's parser warns about in the MIME structure, except what other\n"
         "  rules report (8-bit octets, bad field names, broken encoded-words, duplicate\n"
         "  RFC 5322 fields). For every header (the message's and each part's): a Content-*\n"
         "  field that occurs twice (an error when the values differ, else a warning); a\n"
         "  Content-Type that is not type/subtype; a parameter of Content-Type or\n"
         "  Content-Disposition that is not attribute=value, or occurs twice (a plain\n"
         "  filename= beside its RFC 2231 form filename*= is a fallback for old readers: no\n"
         "  finding when both say the same, a warning when they differ); a multipart\n"
         "  boundary longer than RFC 2046's 70 characters. For a multipart message, from a\n"
         "  full GMime parse: a multipart without a boundary parameter, a multipart closed by\n"
         "  an outer boundary instead of its own close delimiter, a message that ends before\n"
         "  the close delimiter, a delimiter line right after another (an empty part without\n"
         "  even its blank line), nesting beyond GMime's limit. From emlint's own scan: a\n"
         "  multipart that holds no part at all, its body only the close delimiter (Python's\n"
         "  StartBoundaryNotFoundDefect). The full parse, which is slow,\n"
         "  runs only for a multipart message in which a quick scan of its delimiter lines\n"
         "  finds something amiss.\n"
         "\n"
         "Why it is bad\n"
         "  Parsers resolve these differently: which of two Content-Types or charsets wins,\n"
         "  whether text after an unclosed part belongs to it, whether a part without a\n"
         "  boundary is text. Attachments then go missing or appear, and filters see another\n"
         "  message than the reader does.\n"
         "\n"
         "Example\n"
         "  Content-Type: multipart/mixed                  (no boundary)\n"
         "  Content-Type: text/plain; charset=utf-8; charset=iso-8859-1\n"
         "\n"
         "Fix\n"
         "  None automatic: which value was meant, or where a part ends, is the sender's\n"
         "  knowledge.\n",
  .check = check,
};
