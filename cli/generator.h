/* generator.h: which program wrote a message, for --group-by generator and the HTML report. */
#pragma once

#include "message.h"

G_BEGIN_DECLS

/* The generator of @msg: the product named by X-Mailer or User-Agent (without its version),
 * else the one whose Message-ID shape it has (generator.c's table), else "unknown". Returns a
 * new string. Safe on any thread. */
char *emlint_generator_of (const EmlintMessage *msg);

/* The unfolded value of the first top-level field called @name, whitespace trimmed, or NULL.
 * Returns a new string. */
char *emlint_top_field_value (const EmlintMessage *msg, const char *name);

G_END_DECLS
