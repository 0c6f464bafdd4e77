/* rule.h: the contract between the engine and a rule (rules/<rule-id>.c).
 *
 * A rule reads a message and reports findings through emlint_report(); it never changes the
 * message. A finding may carry a fix: byte-range edits of the original octets. */
#pragma once

#include "config.h"
#include "diagnostic.h"
#include "message.h"
#include "transcript.h"

G_BEGIN_DECLS

typedef struct _EmlintContext EmlintContext;

/* EmlintFixable (whether a rule's findings carry fixes: rule metadata, shown by `emlint rules`
 * and checked against what the rule does in tests/test-invariants.c and against the docs in
 * test-docs.py; a signature over the field, signature.c, may still hold back a fix of a
 * FIXABLE rule) and EmlintModel (what a rule reads: one registry holds both kinds, so that ids,
 * severities, --select and --ignore, configuration, `rules`, `explain` and every output format
 * treat them alike) are public: emlint.h. */

struct _EmlintRule {
  const char *id;          /* kebab-case, stable: users select and ignore by it */
  EmlintSeverity severity; /* default severity */
  EmlintFixable fixable;   /* unset: EMLINT_FIXABLE_NO */
  const char *summary;     /* one line, for `emlint rules` */
  const char *rfc;         /* the sections it enforces */
  const char *doc;         /* What it does / Why it is bad / Example / Fix, for `emlint explain` */
  void (*check) (EmlintContext *ctx);
  EmlintModel model; /* omitted: a message rule */
  guint needs;       /* transcript rules: the EmlintTranscriptHas flags they need; the
                                engine does not run a rule on a transcript that lacks one */
};

struct _EmlintContext {
  const EmlintConfig *config;
  const EmlintMessage *msg;
  const EmlintRule *rule;
  EmlintSeverity severity;            /* the rule's severity after configuration */
  GPtrArray *out;                     /* of EmlintDiagnostic* */
  const EmlintTranscript *transcript; /* transcript rules (ctx->msg is then NULL) */
  /* The engine's, for config->max_findings_per_rule: */
  guint kept;                      /* findings of this rule stored so far */
  EmlintDiagnostic *pending;       /* the last one past the limit: stored if it gets a fix */
  EmlintDiagnostic *first_dropped; /* becomes the "... and N more" finding */
  guint64 dropped;                 /* findings past the limit not stored */
};

/* Reports a finding on the octets [start, end) at the rule's severity. Returns it, owned by the
 * context, so that the rule can attach a fix (until it reports the next finding). Past
 * config->max_findings_per_rule findings in a message, one without a fix is not stored: the
 * first of those becomes one finding that says how many there were. */
EmlintDiagnostic *emlint_report (EmlintContext *ctx, gsize start, gsize end, const char *format,
                                 ...) G_GNUC_PRINTF (4, 5);
/* The same at a severity the rule picks for this finding (still subject to configuration). */
EmlintDiagnostic *emlint_report_at (EmlintContext *ctx, EmlintSeverity severity, gsize start,
                                    gsize end, const char *format, ...) G_GNUC_PRINTF (5, 6);
/* Reports a finding about a field: it points at the field's first line. */
EmlintDiagnostic *emlint_report_field (EmlintContext *ctx, const EmlintField *field,
                                       const char *format, ...) G_GNUC_PRINTF (3, 4);

/* Reports a finding on text[from, to) of a transcript line; it points into the line's source. */
EmlintDiagnostic *emlint_report_imap (EmlintContext *ctx, const EmlintImapLine *line, gsize from,
                                      gsize to, const char *format, ...) G_GNUC_PRINTF (5, 6);

/* The registry (rules/rules.def), in id order. */
const EmlintRule *const *emlint_rules (guint *n_rules);
/* NULL when no rule has that id. */
const EmlintRule *emlint_rule_lookup (const char *id);
/* The rule's position in the registry. */
guint emlint_rule_index (const EmlintRule *rule);
/* "none", "fix" or "unsafe" (static). */
const char *emlint_fixable_name (EmlintFixable fixable);

G_END_DECLS
