/* signature.h: DKIM (RFC 6376) and ARC (RFC 8617) signatures that a fix would break. */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

/* Marks the fix of @diag, which edits @field, unsafe when a DKIM-Signature or
 * ARC-Message-Signature of the message signs that field (its h= tag names it). A whitespace-only
 * edit (@whitespace_only) under relaxed header canonicalisation breaks nothing and stays safe. */
void emlint_signature_guard (EmlintContext *ctx, EmlintDiagnostic *diag, const EmlintField *field,
                             gboolean whitespace_only);

G_END_DECLS
