/* suggest.h: "did you mean" for mistyped commands and rule ids. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The word of the NULL-terminated @candidates closest to @word, when it is near enough to be a
 * typo of it (at most two edits, and fewer than half the word); NULL otherwise. Borrowed. */
const char *emlint_closest_word (const char *word, const char *const *candidates);
/* The same over the rule ids. */
const char *emlint_closest_rule (const char *id);
/* For an unknown option in @args (NULL-terminated, up to "--"): "did you mean '--format'?" when
 * one of the NULL-terminated tables @own is near, or "--in-place is an option of 'emlint fix'"
 * when @others (of the command @others_command) holds it; NULL otherwise. A new string. */
char *emlint_option_hint (char *const *args, const GOptionEntry *const *own,
                          const GOptionEntry *const *others, const char *others_command);

G_END_DECLS
