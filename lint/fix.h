/* fix.h: applying fixes to the original octets, until the message is stable. */
#pragma once

#include "config.h"
#include "message.h"

G_BEGIN_DECLS

#define EMLINT_FIX_MAX_ROUNDS 8

typedef struct {
  EmlintMessage *message; /* the repaired message (the original when nothing was fixed) */
  GPtrArray *fixed;       /* of EmlintDiagnostic*: findings whose fixes were applied, each with
                              its place in the round that fixed it (round 1: the original) */
  GPtrArray *remaining;   /* of EmlintDiagnostic*: the findings of the repaired message */
  guint rounds;           /* rounds that changed something */
} EmlintFixResult;

/* Applies the edits of the fixable findings in @diagnostics to @msg's octets: edits of one
 * finding are applied together or not at all, and a finding whose edits overlap one already
 * taken waits for the next round. Marks the findings applied (->fixed). Returns the new
 * octets, or NULL when no fix applied. */
GBytes *emlint_apply_fixes (const EmlintMessage *msg, GPtrArray *diagnostics,
                            gboolean unsafe_fixes);

/* Lints the message @bytes, fixes, re-lints, and repeats until nothing changes. @path, @index,
 * @in_mbox and @first_line say where it is, as for emlint_message_new(). NULL with @error when
 * the fixes do not converge within EMLINT_FIX_MAX_ROUNDS (a bug in a rule). Free the result with
 * emlint_fix_result_free(). @path is borrowed and must outlive the result. */
EmlintFixResult *emlint_fix_message (const EmlintConfig *config, GBytes *bytes, const char *path,
                                     guint index, gboolean in_mbox, guint first_line,
                                     GError **error);
void emlint_fix_result_free (EmlintFixResult *result);

G_END_DECLS
