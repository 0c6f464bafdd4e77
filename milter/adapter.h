/* adapter.h: the milter's narrow view of libemlint. Everything the milter needs from the core
 * (configuration, rule lookup, lint and safe fixes of one header section) goes through here, so
 * that moving to the public lint/emlint.h touches this pair of files only. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EmlintMilterLinter EmlintMilterLinter;

/* One finding, detached from the core's types. */
typedef struct {
  char *rule;     /* rule id */
  char *rfc;      /* the RFC sections the rule enforces */
  char *severity; /* "info", "warning" or "error" (static string) */
  char *message;
  gboolean fixable;
} EmlintMilterFinding;

/* A header field as the MTA shows it to a milter: name and value, lines joined by "\n". */
typedef struct {
  char *name;
  char *value; /* everything after the colon, leading white space included */
} EmlintMilterField;

/* Initialises the core once (GMime). */
void emlint_milter_core_init (void);

typedef gboolean (*EmlintMilterRuleFilter) (const char *rule, gpointer data);

/* Reads the core configuration ([emlint], [rules]) of @path (NULL: the defaults). Fixes are
 * applied for the rules @fix_rule accepts, unsafe ones only with @unsafe_fixes. NULL with @error
 * naming the file and key. Free with emlint_milter_linter_free(). */
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
 * does. Sets @fields to the repaired header's fields (a new array of EmlintMilterField* that
 * frees its elements) and @fixed to the ids of the rules fixed (new, NULL-terminated), or both
 * to NULL when nothing changed. FALSE with @error when the core fails. */
gboolean emlint_milter_fix (const EmlintMilterLinter *linter, GBytes *header, GPtrArray **fields,
                            GStrv *fixed, GError **error);

void emlint_milter_finding_free (EmlintMilterFinding *finding);
EmlintMilterField *emlint_milter_field_new (const char *name, gsize name_len, const char *value,
                                            gsize value_len);
void emlint_milter_field_free (EmlintMilterField *field);

G_END_DECLS
