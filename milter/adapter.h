/* adapter.h: the milter's narrow view of libemlint. Everything the milter needs from the core
 * (configuration, rule lookup, lint and safe fixes of one header section) goes through here;
 * adapter.c implements it on the public API of lint/emlint.h alone, so the milter links
 * libemlint.so like any other program. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EmlintMilterLinter EmlintMilterLinter;

/* One finding, detached from the library's result. */
typedef struct {
  const char *rule;     /* rule id (static, the library's rule metadata) */
  const char *rfc;      /* the RFC sections the rule enforces (static) */
  const char *severity; /* "info", "warning" or "error" (static) */
  char *message;
  gboolean fixable;
} EmlintMilterFinding;

/* A header field as the MTA shows it to a milter: name and value, lines joined by "\n". */
typedef struct {
  char *name;
  char *value; /* everything after the colon, leading white space included */
} EmlintMilterField;

typedef gboolean (*EmlintMilterRuleFilter) (const char *rule, gpointer data);

/* Reads the core configuration ([emlint], [rules]) of @path (NULL: the defaults) into one
 * libemlint linter, made once per configuration (start, SIGHUP) and shared by every session.
 * Fixes are applied for the rules @fix_rule accepts, unsafe ones only with @unsafe_fixes. NULL
 * with @error naming the file and key. Free with emlint_milter_linter_free(). */
EmlintMilterLinter *emlint_milter_linter_new (const char *path, gboolean unsafe_fixes,
                                              EmlintMilterRuleFilter fix_rule, gpointer data,
                                              GError **error);
void emlint_milter_linter_free (EmlintMilterLinter *linter);

/* TRUE when @id names a rule of the registry. */
gboolean emlint_milter_rule_exists (const char *id);

/* Lints @header (a header section ending with its blank line). Returns a new array of
 * EmlintMilterFinding* that frees its elements. */
GPtrArray *emlint_milter_lint (const EmlintMilterLinter *linter, GBytes *header);

/* Applies the fixes chosen at emlint_milter_linter_new(), repeating until stable as `emlint fix`
 * does. Sets @repaired to the repaired header section (new) and @fixed to the ids of the rules
 * fixed (new, NULL-terminated), or both to NULL when nothing was fixed. FALSE with @error when
 * the core fails. */
gboolean emlint_milter_fix (const EmlintMilterLinter *linter, GBytes *header, GBytes **repaired,
                            GStrv *fixed, GError **error);

void emlint_milter_finding_free (EmlintMilterFinding *finding);
EmlintMilterField *emlint_milter_field_new (const char *name, gsize name_len, const char *value,
                                            gsize value_len);
void emlint_milter_field_free (EmlintMilterField *field);

G_END_DECLS
