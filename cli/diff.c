/* diff.c: a line diff. Fixes touch header fields only, so after the common prefix and suffix are
 * cut the part left is small, and a plain LCS table is enough; past a size cap the middle is
 * shown as one replaced block, which is still a correct diff. */
#include "diff.h"

#include <string.h>

#define CONTEXT 3
#define LCS_CELLS_MAX (4u * 1024 * 1024)

typedef struct {
  const char *start;
  gsize len; /* with the line ending */
} Line;

typedef struct {
  char op; /* ' ', '-' or '+' */
  const Line *line;
} Op;

static GArray *
split_lines (const char *s, gsize len)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));

  for (gsize pos = 0; pos < len;)
    {
      const char *nl = memchr (s + pos, '\n', len - pos);
      gsize end = nl ? (gsize) (nl - s) + 1 : len;
      Line line = { s + pos, end - pos };
      g_array_append_val (lines, line);
      pos = end;
    }
  return lines;
}

static gboolean
same (const Line *x, const Line *y)
{
  return x->len == y->len && memcmp (x->start, y->start, x->len) == 0;
}

#define LINE(arr, i) (&g_array_index ((arr), Line, (i)))

static void
push (GArray *ops, char op, const Line *line)
{
  Op o = { op, line };
  g_array_append_val (ops, o);
}

/* The edit script of a[a0, a1) against b[b0, b1). */
static void
diff_middle (GArray *ops, GArray *a, guint a0, guint a1, GArray *b, guint b0, guint b1)
{
  guint n = a1 - a0, m = b1 - b0;
  g_autofree guint *lcs = NULL;

  if ((guint64) (n + 1) * (m + 1) > LCS_CELLS_MAX)
    {
      for (guint i = a0; i < a1; i++)
        push (ops, '-', LINE (a, i));
      for (guint j = b0; j < b1; j++)
        push (ops, '+', LINE (b, j));
      return;
    }
  lcs = g_new0 (guint, (gsize) (n + 1) * (m + 1));
#define L(i, j) lcs[(gsize) (i) * (m + 1) + (j)]
  for (guint i = n; i-- > 0;)
    for (guint j = m; j-- > 0;)
      L (i, j) = same (LINE (a, a0 + i), LINE (b, b0 + j)) ? L (i + 1, j + 1) + 1
                                                           : MAX (L (i + 1, j), L (i, j + 1));
  for (guint i = 0, j = 0; i < n || j < m;)
    {
      if (i < n && j < m && same (LINE (a, a0 + i), LINE (b, b0 + j)))
        push (ops, ' ', LINE (a, a0 + i++)), j++;
      else if (i < n && (j == m || L (i + 1, j) >= L (i, j + 1)))
        push (ops, '-', LINE (a, a0 + i++));
      else
        push (ops, '+', LINE (b, b0 + j++));
    }
#undef L
}

static void
append_line (GString *out, char op, const Line *line)
{
  g_string_append_c (out, op);
  g_string_append_len (out, line->start, (gssize) line->len);
  if (line->len == 0 || line->start[line->len - 1] != '\n')
    g_string_append (out, "\n\\ No newline at end of file\n");
}

/* Writes the hunks of @ops; @a_line and @b_line are the numbers of the first op's lines. */
static void
write_hunks (GString *out, const GArray *ops, guint64 a_line, guint64 b_line)
{
  guint i = 0;

  while (i < ops->len)
    {
      guint start, end, a_count = 0, b_count = 0;
      guint64 a_at, b_at;

      while (i < ops->len && g_array_index (ops, Op, i).op == ' ')
        i++, a_line++, b_line++;
      if (i == ops->len)
        return;
      start = i >= CONTEXT ? i - CONTEXT : 0;
      /* Extend over changes closer than two contexts to each other. */
      for (end = i; end < ops->len; end++)
        {
          guint k = end;
          while (k < ops->len && g_array_index (ops, Op, k).op == ' ')
            k++;
          if (k == ops->len || k - end > 2 * CONTEXT)
            {
              end = MIN (end + CONTEXT, ops->len);
              break;
            }
          end = k;
        }
      a_at = a_line - (i - start);
      b_at = b_line - (i - start);
      for (guint k = start; k < end; k++)
        {
          char op = g_array_index (ops, Op, k).op;
          a_count += op != '+';
          b_count += op != '-';
        }
      g_string_append_printf (out, "@@ -%" G_GUINT64_FORMAT ",%u +%" G_GUINT64_FORMAT ",%u @@\n",
                              a_count ? a_at : a_at - 1, a_count, b_count ? b_at : b_at - 1,
                              b_count);
      for (guint k = start; k < end; k++)
        append_line (out, g_array_index (ops, Op, k).op, g_array_index (ops, Op, k).line);
      for (; i < end; i++)
        {
          char op = g_array_index (ops, Op, i).op;
          a_line += op != '+';
          b_line += op != '-';
        }
    }
}

void
emlint_diff_append (GString *out, const char *a, gsize a_len, const char *b, gsize b_len,
                    guint64 a_first, guint64 b_first)
{
  g_autoptr (GArray) la = split_lines (a, a_len);
  g_autoptr (GArray) lb = split_lines (b, b_len);
  g_autoptr (GArray) ops = g_array_new (FALSE, FALSE, sizeof (Op));
  guint prefix = 0, suffix = 0, from;

  while (prefix < la->len && prefix < lb->len && same (LINE (la, prefix), LINE (lb, prefix)))
    prefix++;
  while (suffix < la->len - prefix && suffix < lb->len - prefix
         && same (LINE (la, la->len - 1 - suffix), LINE (lb, lb->len - 1 - suffix)))
    suffix++;
  if (prefix == la->len && prefix == lb->len)
    return;
  from = prefix >= CONTEXT ? prefix - CONTEXT : 0;
  for (guint i = from; i < prefix; i++)
    push (ops, ' ', LINE (la, i));
  diff_middle (ops, la, prefix, la->len - suffix, lb, prefix, lb->len - suffix);
  for (guint i = la->len - suffix; i < MIN (la->len, la->len - suffix + CONTEXT); i++)
    push (ops, ' ', LINE (la, i));
  write_hunks (out, ops, a_first + from, b_first + from);
}
