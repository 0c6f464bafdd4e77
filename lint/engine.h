/* engine.h: runs the rules over one message. */
#pragma once

#include "config.h"
#include "message.h"

G_BEGIN_DECLS

/* Every finding of the enabled rules, with places resolved, sorted by line, column and rule.
 * Returns a new array of EmlintDiagnostic* that frees its elements. Thread-safe. */
GPtrArray *emlint_lint_message (const EmlintConfig *config, const EmlintMessage *msg);



/* Initialises GMime once; call before linting. */
void emlint_init (void);
G_END_DECLS
