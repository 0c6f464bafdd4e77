/* generator.h: which program wrote a message, for --group-by generator and the HTML report. */
#pragma once

#include <glib.h>

#include "emlint.h"

G_BEGIN_DECLS

/* The generator of @result's message: the product named by X-Mailer or User-Agent (without its version),
 * else the one whose Message-ID shape it has (generator.c's table), else "unknown". Returns a
 * new string. Safe on any thread. */
char *emlint_generator_of (const EmlintResult *result);

G_END_DECLS
