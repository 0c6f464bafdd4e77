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

/* Adds the long names of @entries to @names. */
static void
add_long_names (GPtrArray *names, const GOptionEntry *entries)
{
  for (; entries != NULL && entries->long_name != NULL; entries++)
    if (*entries->long_name != '\0') /* not G_OPTION_REMAINING */
      g_ptr_array_add (names, (gpointer) entries->long_name);
}

char *
emlint_option_hint (char *const *args, const GOptionEntry *const *own,
                    const GOptionEntry *const *others, const char *others_command)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new (), foreign = g_ptr_array_new ();

  for (guint i = 0; own[i] != NULL; i++)
    add_long_names (names, own[i]);
  g_ptr_array_add (names, NULL);
  for (guint i = 0; others != NULL && others[i] != NULL; i++)
    add_long_names (foreign, others[i]);
  g_ptr_array_add (foreign, NULL);
  for (guint i = 0; args[i] != NULL && strcmp (args[i], "--") != 0; i++)
    {
      g_autofree char *name = NULL;
      const char *close;

      if (!g_str_has_prefix (args[i], "--") || args[i][2] == '\0')
        continue;
      name = g_strndup (args[i] + 2, strcspn (args[i] + 2, "="));
      if (g_strv_contains ((const char *const *) names->pdata, name))
        continue;
      if (g_strv_contains ((const char *const *) foreign->pdata, name))
        return g_strdup_printf ("--%s is an option of '%s'", name, others_command);
      if ((close = emlint_closest_word (name, (const char *const *) names->pdata)) != NULL)
        return g_strdup_printf ("did you mean '--%s'?", close);
    }
  return NULL;
}
