/* engine.h: runs the rules over one message. */
#pragma once

#include "config.h"
#include "message.h"
#include "rule.h"

G_BEGIN_DECLS

/* Every finding of the enabled rules, with places resolved, sorted by line, column and rule.
 * Returns a new array of EmlintDiagnostic* that frees its elements. Thread-safe. */
GPtrArray *emlint_lint_message (const EmlintConfig *config, const EmlintMessage *msg);

/* The same for an IMAP transcript: its findings sorted by source, line, column and rule.
 * A rule whose needs the transcript lacks is not run (see emlint_transcript_lacks()). */
GPtrArray *emlint_lint_transcript (const EmlintConfig *config, const EmlintTranscript *t);
/* The EmlintTranscriptHas flags @rule needs that @t does not have (0: the rule can run). */
guint emlint_transcript_lacks (const EmlintTranscript *t, const EmlintRule *rule);

/* Initialises GMime once; call before linting. */
void emlint_init (void);
G_END_DECLS
