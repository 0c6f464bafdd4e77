/* diagnostic.h: one finding, with its place and an optional fix. */
#pragma once

#include <glib.h>

#include "emlint.h" /* EmlintSeverity */

G_BEGIN_DECLS

typedef struct _EmlintRule EmlintRule;

/* Replace the octets [start, end) of the original message by @text. */
typedef struct {
  gsize start;
  gsize end;
  char *text;
} EmlintEdit;

typedef struct {
  const EmlintRule *rule;
  EmlintSeverity severity;
  gsize start, end;           /* byte span in the message */
  guint source;               /* transcripts: the index of the source file the span is in */
  guint line, column;         /* 1-based, lines of the file, columns in octets */
  guint end_line, end_column; /* exclusive */
  char *message;
  GArray *edits;         /* of EmlintEdit, sorted; NULL when the finding has no fix */
  char *unsafe_reason;   /* non-NULL: the fix is applied only with --unsafe-fixes */
  const char *fix_needs; /* static; non-NULL: an unsafe fix exists with this option, which
                              was not given (e.g. "--msgid-domain DOMAIN") */
  gboolean fixed;        /* set by the fixer when its edits were applied */
} EmlintDiagnostic;

const char *emlint_severity_name (EmlintSeverity severity);
/* Parses "info", "warning" or "error"; FALSE when @name is none of them. */
gboolean emlint_severity_parse (const char *name, EmlintSeverity *out);

/* Takes ownership of @message. Free with emlint_diagnostic_free(). */
EmlintDiagnostic *emlint_diagnostic_new (const EmlintRule *rule, EmlintSeverity severity,
                                         gsize start, gsize end, char *message);
void emlint_diagnostic_free (EmlintDiagnostic *diag);

/* Adds an edit to the fix; @text is copied. */
void emlint_diagnostic_add_edit (EmlintDiagnostic *diag, gsize start, gsize end, const char *text);
/* Marks the fix unsafe and says why; the first reason given wins. */
void emlint_diagnostic_set_unsafe (EmlintDiagnostic *diag, const char *reason);

static inline gboolean
emlint_diagnostic_has_fix (const EmlintDiagnostic *diag)
{
  return diag->edits != NULL && diag->edits->len > 0;
}

/* TRUE when `emlint fix` with these options applies the finding's fix. */
gboolean emlint_diagnostic_is_fixable (const EmlintDiagnostic *diag, gboolean unsafe_fixes);

G_END_DECLS
