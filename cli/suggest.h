/* suggest.h: "did you mean" for mistyped commands and rule ids. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The word of the NULL-terminated @candidates closest to @word, when it is near enough to be a
 * typo of it (at most two edits, and fewer than half the word); NULL otherwise. Borrowed. */
const char *emlint_closest_word (const char *word, const char *const *candidates);
/* The same over the rule ids. */
const char *emlint_closest_rule (const char *id);

G_END_DECLS
