/* edits.c: aligning the fields before and after the fixes (see edits.h). */
#include "edits.h"

#include "adapter.h"

#include <gio/gio.h>
#include <string.h>

/* Fixes edit values and, rarely, add a field; they never reorder. The fields between the common
 * head and tail are aligned by a longest common subsequence of names, which this bounds. */
#define MAX_ALIGN_CELLS (1u << 20)

EmlintMilterEdit *
emlint_milter_edit_new (EmlintMilterEditKind kind, const char *name, guint index, const char *value)
{
  EmlintMilterEdit *edit = g_new (EmlintMilterEdit, 1);

  edit->kind = kind;
  edit->name = g_strdup (name);
  edit->index = index;
  edit->value = g_strdup (value);
  return edit;
}

void
emlint_milter_edit_free (EmlintMilterEdit *edit)
{
  g_free (edit->name);
  g_free (edit->value);
  g_free (edit);
}

static gboolean
same_name (GPtrArray *a, guint i, GPtrArray *b, guint k)
{
  const EmlintMilterField *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, k);

  return g_ascii_strcasecmp (x->name, y->name) == 0;
}

/* The 1-based occurrence of before[i]'s name among before[0..i]. */
static guint
occurrence (GPtrArray *before, guint i)
{
  guint n = 0;

  for (guint k = 0; k <= i; k++)
    n += same_name (before, k, before, i);
  return n;
}

/* Emits the edit for one step of the alignment, walking from the end. */
static void
emit_match (GPtrArray *edits, GPtrArray *before, guint i, GPtrArray *after, guint k)
{
  const EmlintMilterField *x = g_ptr_array_index (before, i), *y = g_ptr_array_index (after, k);

  if (strcmp (x->value, y->value) != 0)
    g_ptr_array_add (edits, emlint_milter_edit_new (EMLINT_MILTER_CHANGE, x->name,
                                                    occurrence (before, i), y->value));
}

/* An inserted field goes before before[i]; after the last field it is added at the end, where
 * @adds collects them (walking backwards, in reverse order). */
static void
emit_insert (GPtrArray *edits, GPtrArray *adds, GPtrArray *before, guint i, GPtrArray *after,
             guint k)
{
  const EmlintMilterField *y = g_ptr_array_index (after, k);

  if (i == before->len)
    g_ptr_array_add (adds, emlint_milter_edit_new (EMLINT_MILTER_ADD, y->name, 0, y->value));
  else
    g_ptr_array_add (edits, emlint_milter_edit_new (EMLINT_MILTER_INSERT, y->name, i, y->value));
}

static void
emit_delete (GPtrArray *edits, GPtrArray *before, guint i)
{
  const EmlintMilterField *x = g_ptr_array_index (before, i);

  g_ptr_array_add (edits, emlint_milter_edit_new (EMLINT_MILTER_CHANGE, x->name,
                                                  occurrence (before, i), NULL));
}

GPtrArray *
emlint_milter_diff_fields (GPtrArray *before, GPtrArray *after, GError **error)
{
  GPtrArray *edits = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_milter_edit_free);
  g_autoptr (GPtrArray) adds = g_ptr_array_new ();
  guint head = 0, tail = 0, n, m, i, k;
  g_autofree guint *lcs = NULL;

  while (head < before->len && head < after->len && same_name (before, head, after, head))
    head++;
  while (tail < before->len - head && tail < after->len - head
         && same_name (before, before->len - 1 - tail, after, after->len - 1 - tail))
    tail++;
  n = before->len - head - tail;
  m = after->len - head - tail;
  if ((guint64) (n + 1) * (m + 1) > MAX_ALIGN_CELLS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the fixed header differs too much to align (%u and %u fields)", n, m);
      g_ptr_array_unref (edits);
      return NULL;
    }
  for (guint t = 0; t < tail; t++)
    emit_match (edits, before, before->len - 1 - t, after, after->len - 1 - t);
    /* LCS(i, k): the longest common subsequence of names of the first i fields of the middle of
   * @before and the first k of @after's. */
#define LCS(i, k) lcs[(gsize) (i) * (m + 1) + (k)]
  lcs = g_new0 (guint, (gsize) (n + 1) * (m + 1));
  for (i = 1; i <= n; i++)
    for (k = 1; k <= m; k++)
      LCS (i, k) = same_name (before, head + i - 1, after, head + k - 1)
                     ? LCS (i - 1, k - 1) + 1
                     : MAX (LCS (i - 1, k), LCS (i, k - 1));
  /* From the end of the middle up, so that each edit's index still holds when it is applied. */
  for (i = n, k = m; i > 0 || k > 0;)
    if (i > 0 && k > 0 && same_name (before, head + i - 1, after, head + k - 1)
        && LCS (i, k) == LCS (i - 1, k - 1) + 1)
      {
        emit_match (edits, before, head + i - 1, after, head + k - 1);
        i--, k--;
      }
    else if (k > 0 && (i == 0 || LCS (i, k - 1) >= LCS (i - 1, k)))
      {
        k--;
        emit_insert (edits, adds, before, head + i, after, head + k);
      }
    else
      emit_delete (edits, before, head + --i);
#undef LCS
  for (guint h = head; h-- > 0;)
    emit_match (edits, before, h, after, h);
  /* Fields added at the end, in their order. */
  for (guint a = adds->len; a-- > 0;)
    g_ptr_array_add (edits, g_ptr_array_index (adds, a));
  return edits;
}

/* ---- the header section as fields --------------------------------------------------------- */

/* The index of the "\n" that ends the line at @pos, or @len. */
static gsize
line_end (const char *data, gsize pos, gsize len)
{
  const char *nl = memchr (data + pos, '\n', len - pos);

  return nl != NULL ? (gsize) (nl - data) : len;
}

/* The end of the line's content at @pos: before its "\r\n" or "\n". */
static gsize
content_end (const char *data, gsize pos, gsize len)
{
  gsize end = line_end (data, pos, len);

  return end > pos && end < len && data[end - 1] == '\r' ? end - 1 : end;
}

/* The value as a milter passes it: the lines of a folded field joined by a bare "\n". Copies
 * the runs between the CRs of "\r\n" (octet by octet costs a fifth of a repair). */
static char *
milter_value (const char *value, gsize len)
{
  GString *out = g_string_sized_new (len);
  const char *p = value, *end = value + len, *cr;

  while ((cr = memchr (p, '\r', end - p)) != NULL)
    {
      gboolean crlf = cr + 1 < end && cr[1] == '\n';

      g_string_append_len (out, p, cr - p + !crlf);
      p = cr + 1;
    }
  g_string_append_len (out, p, end - p);
  return g_string_free (out, FALSE);
}

/* A small scanner, not GMime: the milter hands the MTA each value octet for octet as the fixes
 * left it, and GMime's message header list leaves the Content-* fields out. The header is one
 * the milter wrote itself from the MTA's fields (then repaired by byte-range edits), so its
 * grammar is this: a line that starts with white space continues a field, an empty line ends
 * the section. emlint_milter_header_edits() checks that it splits back into the MTA's fields. */
GPtrArray *
emlint_milter_split_header (const char *data, gsize len, GError **error)
{
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (
    (GDestroyNotify) emlint_milter_field_free);
  gsize pos = 0;

  while (pos < len && content_end (data, pos, len) > pos)
    {
      gsize stop = content_end (data, pos, len), next = line_end (data, pos, len) + 1;
      const char *colon = memchr (data + pos, ':', stop - pos);
      EmlintMilterField *field;

      if (colon == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "header line at octet %" G_GSIZE_FORMAT " is no field (no colon)", pos);
          return NULL;
        }
      for (; next < len && (data[next] == ' ' || data[next] == '\t');
           next = line_end (data, next, len) + 1)
        stop = content_end (data, next, len);
      field = g_new (EmlintMilterField, 1);
      field->name = g_strndup (data + pos, colon - (data + pos));
      field->value = milter_value (colon + 1, data + stop - (colon + 1));
      g_ptr_array_add (fields, field);
      pos = next;
    }
  /* The blank line ends the section, and the section ends there. */
  if (pos < len && line_end (data, pos, len) + 1 < len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "octets follow the header's blank line at octet %" G_GSIZE_FORMAT, pos);
      return NULL;
    }
  return g_steal_pointer (&fields);
}

static gboolean
same_fields (GPtrArray *a, GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const EmlintMilterField *x = g_ptr_array_index (a, i), *y = g_ptr_array_index (b, i);

      if (strcmp (x->name, y->name) != 0 || strcmp (x->value, y->value) != 0)
        return FALSE;
    }
  return TRUE;
}

/* The fields of @bytes, as emlint_milter_split_header(). */
static GPtrArray *
split_bytes (GBytes *bytes, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  return emlint_milter_split_header (data, len, error);
}

GPtrArray *
emlint_milter_header_edits (GPtrArray *fields, GBytes *header, GBytes *repaired, GError **error)
{
  g_autoptr (GPtrArray) before = split_bytes (header, error);
  g_autoptr (GPtrArray) after = NULL;

  if (before == NULL)
    return NULL;
  if (!same_fields (before, fields))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the header section does not split into the %u fields the MTA passed",
                   fields->len);
      return NULL;
    }
  after = split_bytes (repaired, error);
  return after != NULL ? emlint_milter_diff_fields (fields, after, error) : NULL;
}
