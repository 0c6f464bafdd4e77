/* diff.h: unified diffs of a message before and after its fixes (emlint fix --diff). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends the hunks (3 lines of context) that turn @a into @b; line numbers in the hunk headers
 * start at @a_first and @b_first, so an mbox message's hunks carry the lines of the file.
 * Appends nothing when they are equal. */
void emlint_diff_append (GString *out, const char *a, gsize a_len, const char *b, gsize b_len,
                         guint64 a_first, guint64 b_first);

G_END_DECLS
