/* report.h: the output formats, behind one table (doc/DESIGN.md "report"). */
#pragma once

#include <stdio.h>

#include "finding.h"

G_BEGIN_DECLS

typedef enum {
  EMLINT_FORMAT_TEXT,
  EMLINT_FORMAT_JSON,
  EMLINT_FORMAT_JSONL,
  EMLINT_FORMAT_SARIF,
  EMLINT_FORMAT_GITHUB,
  EMLINT_FORMAT_HTML, /* nothing per finding: cli/html.c writes the whole page at the end */
} EmlintFormat;

typedef struct {
  EmlintFormat format;
  gboolean source;       /* text: show the offending line and a caret */
  gboolean color;        /* text: ANSI colours */
  gboolean unsafe_fixes; /* a finding with an unsafe fix counts as fixable */
  gboolean fix_notes;    /* json, jsonl, sarif: the message says why a fix is unsafe (check;
                             fix says it in every format, see run.c) */
} EmlintReportOptions;

/* EmlintFixKind (none, safe, unsafe: the "fix" field of json, jsonl and sarif) is emlint.h's. */

/* Why an unsafe fix is not applied by default, and what applies it; NULL for other findings.
 * Free with g_free(). */
char *emlint_fix_note (const EmlintCliFinding *diag);

typedef struct _EmlintReporter EmlintReporter;

/* FALSE when @name is not a format. */
gboolean emlint_format_parse (const char *name, EmlintFormat *out);

/* Writes to @out (borrowed). Free with emlint_reporter_free(), after emlint_reporter_finish(). */
EmlintReporter *emlint_reporter_new (const EmlintReportOptions *options, FILE *out);
/* Reports the findings (EmlintCliFinding*) of one message; messages come in output order. */
void emlint_reporter_add (EmlintReporter *reporter, const EmlintMail *msg,
                          const GPtrArray *diagnostics);
/* The same in two steps, so that the formatting runs on the thread that linted the message:
 * emlint_reporter_format() appends the findings as the format writes them to @out (any thread;
 * it reads only the options), and emlint_reporter_write() writes such a chunk of @n_findings,
 * in output order (one thread). */
void emlint_reporter_format (const EmlintReporter *reporter, const EmlintMail *msg,
                             const GPtrArray *diagnostics, GString *out);
void emlint_reporter_write (EmlintReporter *reporter, const GString *chunk, guint n_findings);
/* emlint_reporter_format() that then empties @diagnostics (frees the findings). */
void emlint_reporter_format_consume (const EmlintReporter *reporter, const EmlintMail *msg,
                                     GPtrArray *diagnostics, GString *out);
/* Ends the document (closes the JSON array, writes the SARIF log). */
void emlint_reporter_finish (EmlintReporter *reporter);
void emlint_reporter_free (EmlintReporter *reporter);

G_END_DECLS
