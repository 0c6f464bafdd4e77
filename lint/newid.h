/* newid.h: the unsafe fix that gives a message a new Message-ID on --msgid-domain. */
#pragma once

#include "rule.h"

G_BEGIN_DECLS

/* A new msg-id "<time.random@domain>" of at most 77 octets, or NULL when @domain is too long for
 * that. Free with g_free(). */
char *emlint_new_msgid (const char *domain);

/* With --msgid-domain, attaches to @diag an unsafe fix that replaces the value of @field by a
 * new msg-id, or, when @field is NULL, adds a Message-ID field after the top-level header's last
 * field. Without the domain, leaves @diag without a fix. */
void emlint_new_msgid_fix (EmlintContext *ctx, EmlintDiagnostic *diag, const EmlintField *field);

G_END_DECLS
