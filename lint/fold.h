/* fold.h: where a header line may be folded, and the refold fix of header-line-length. */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

#define EMLINT_FOLD_WIDTH 78

/* TRUE when the line [start, end) has a fold point before octet 79: whitespace that follows a
 * non-whitespace octet of the field body, which begins at @body. */
gboolean emlint_fold_point_within (const EmlintMessage *msg, gsize body, gsize start, gsize end);

/* Attaches to @diag the edits that refold @field at whitespace so that its lines fit 78 octets
 * where fold points allow; guarded against breaking a signature like every fix. */
void emlint_fold_field_fix (EmlintContext *ctx, EmlintDiagnostic *diag, const EmlintField *field);

G_END_DECLS
