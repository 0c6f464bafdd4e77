/* baseline.h: findings recorded once and then left out of reports (--write-baseline,
 * --baseline), so that a team can adopt emlint on an old archive and see only new defects. */
#pragma once

#include "finding.h"

G_BEGIN_DECLS

typedef struct _EmlintBaseline EmlintBaseline;

/* The fingerprints of @diagnostics (EmlintCliFinding*), in order: a hash of the rule, the path,
 * the message's index, the name of the field the finding is in and a hash of that field's
 * value (for a finding outside any field, of its line). Line numbers are not part of it, so a
 * line added above leaves it unchanged; editing the field changes it. The n-th finding with the
 * same parts gets occurrence n in the hash. Returns a new array of strings. Any thread. */
GPtrArray *emlint_fingerprints (const EmlintMail *msg, const GPtrArray *diagnostics);

/* Paths in fingerprints are named from the folder of @baseline_file (the --baseline or
 * --write-baseline file), so that a baseline matches whatever folder emlint runs from and
 * however a path is spelled. Call once, before any thread runs. */
void emlint_baseline_set_root (const char *baseline_file);
/* The baseline file: one fingerprint a line (first word), '#' comments. NULL with @error. */
EmlintBaseline *emlint_baseline_load (const char *path, GError **error);
void emlint_baseline_free (EmlintBaseline *baseline);
/* Drops the findings whose fingerprint is in @baseline. Any thread (the baseline is read-only). */
void emlint_baseline_filter (const EmlintBaseline *baseline, const EmlintMail *msg,
                             GPtrArray *diagnostics);

/* The line of a baseline file for one finding: the fingerprint, then what it stands for (rule,
 * path, message index, field), for the reader. Returns a new string ending in a newline. */
char *emlint_baseline_line (const EmlintMail *msg, const GPtrArray *diagnostics, guint i,
                            const char *fingerprint);

G_END_DECLS
