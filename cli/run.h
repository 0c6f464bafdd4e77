/* run.h: one invocation of check or fix over paths: walk, read, lint or fix, report. */
#pragma once

#include "baseline.h"
#include "settings.h"
#include "input.h"
#include "output.h"
#include "report.h"
#include "tally.h"

G_BEGIN_DECLS

typedef struct {
  EmlintReportOptions report;
  EmlintWalkOptions walk;
  const char *stdin_filename; /* the name reported for "-" */
  const char *files_from;     /* the --files-from list, for messages; or NULL */
  guint jobs;
  gboolean statistics;
  gboolean quiet;
  gboolean fix; /* emlint fix */
  EmlintDestination destination;
  const char *target;             /* the file, folder or suffix of the destination */
  guint64 total_bytes;            /* the size of the inputs when known (for the ETA), else 0 */
  const char *output_file;        /* --output-file: the report goes there; NULL: stdout */
  const EmlintBaseline *baseline; /* --baseline: findings left out, or NULL */
  const char *write_baseline;     /* --write-baseline FILE, or NULL */
  EmlintGroup group_by;           /* --statistics --group-by, or EMLINT_GROUP_NONE */
} EmlintRunOptions;

/* The inputs, one at a time: returns the next path (borrowed until the next call) and sets
 * *@settings to its configuration, or returns NULL at the end. A path whose configuration is
 * broken is reported by the iterator (which then sets *@failed) and skipped. */
typedef const char *(*EmlintNextInput) (gpointer user_data, const EmlintSettings **settings,
                                        gboolean *failed);

/* The next input of @next (see EmlintNextInput), or NULL at the end; an input that @next
 * reports broken sets *@status to 2 (the exit status of an error). */
static inline const char *
emlint_next_input (EmlintNextInput next, gpointer user_data, const EmlintSettings **settings,
                   int *status)
{
  gboolean failed = FALSE;
  const char *path = next (user_data, settings, &failed);

  if (failed)
    *status = 2;
  return path;
}

/* Processes every input in order; returns the exit status of doc/DESIGN.md: 0 no finding at or
 * above fail-on, 1 findings, 2 a usage or I/O error (each named on stderr; the other inputs
 * still run). Inputs are taken lazily, so a list of millions of paths is never held. */
int emlint_run (const EmlintRunOptions *options, EmlintNextInput next, gpointer user_data);

G_END_DECLS
