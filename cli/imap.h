/* imap.h: `emlint imap`, linting recorded IMAP sessions (README "IMAP transcripts"). */
#pragma once

#include "run.h"
#include "emlint.h"

G_BEGIN_DECLS

/* Lints every input as a transcript in @format (EMLINT_TRANSCRIPT_AUTO: detected per file; a
 * Dovecot rawlog .in or .out is read with its other half), with the reporting, exit status and
 * --statistics of emlint_run(). */
int emlint_imap_run (const EmlintRunOptions *options, EmlintTranscriptFormat format,
                     EmlintNextInput next, gpointer user_data);

G_END_DECLS
