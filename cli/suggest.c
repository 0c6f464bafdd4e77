/* suggest.c: edit distance over short words (commands, rule ids). */
#include "suggest.h"

#include "emlint.h"

#include <string.h>

/* Levenshtein distance, with transpositions counted as one edit ("chekc"). */
static guint
distance (const char *a, const char *b)
{
  gsize n = strlen (a), m = strlen (b);
  g_autofree guint *d = g_new (guint, (n + 1) * (m + 1));

#define D(i, j) d[(i) * (m + 1) + (j)]
  for (gsize i = 0; i <= n; i++)
    D (i, 0) = (guint) i;
  for (gsize j = 0; j <= m; j++)
    D (0, j) = (guint) j;
  for (gsize i = 1; i <= n; i++)
    for (gsize j = 1; j <= m; j++)
      {
        guint cost = a[i - 1] != b[j - 1];
        guint best = MIN (MIN (D (i - 1, j) + 1, D (i, j - 1) + 1), D (i - 1, j - 1) + cost);

        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          best = MIN (best, D (i - 2, j - 2) + 1);
        D (i, j) = best;
      }
  return D (n, m);
#undef D
}

const char *
emlint_closest_word (const char *word, const char *const *candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT, limit = MIN (2, (guint) strlen (word) / 2);

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      guint d = distance (word, candidates[i]);
      if (d < best_distance)
        best = candidates[i], best_distance = d;
    }
  return best_distance <= limit ? best : NULL;
}

const char *
emlint_closest_rule (const char *id)
{
  size_t n = emlint_rule_count ();
  g_autofree const char **ids = g_new0 (const char *, n + 1);

  for (size_t i = 0; i < n; i++)
    ids[i] = emlint_rule_info (i)->id;
  return emlint_closest_word (id, ids);
}
