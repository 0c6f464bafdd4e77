/* policy.h: what the milter does about each finding ([milter] group of the configuration file),
 * and the verdict on one message. */
#pragma once

#include "adapter.h"

G_BEGIN_DECLS

typedef enum {
  EMLINT_MILTER_LOG,    /* only the log line names the finding */
  EMLINT_MILTER_FIX,    /* apply its fix when it has a safe one (else: log) */
  EMLINT_MILTER_TAG,    /* list it in an X-Emlint: field */
  EMLINT_MILTER_REJECT, /* refuse the message with a 5xx reply naming it */
} EmlintMilterAction;

#define EMLINT_MILTER_DEFAULT_MAX_HEADER (256 * 1024)
#define EMLINT_MILTER_TAG_FIELD "X-Emlint"

typedef struct {
  char *path;                  /* the configuration file, or NULL: the defaults */
  EmlintMilterAction fallback; /* for rules the group does not name */
  GHashTable *actions;         /* rule id → EmlintMilterAction */
  gboolean dry_run;            /* decide and log, change nothing, reject nothing */
  gboolean unsafe_fixes;       /* e.g. a new Message-ID on msgid-domain; breaks signatures */
  gsize max_header;            /* octets of header section beyond which mail passes as is */
  EmlintMilterLinter *linter;
} EmlintMilterPolicy;

/* Reads @path (NULL: the defaults). NULL with @error naming the file, line and key. The policy
 * is shared by the sessions that took a reference; free with emlint_milter_policy_unref(). */
EmlintMilterPolicy *emlint_milter_policy_load (const char *path, GError **error);
EmlintMilterPolicy *emlint_milter_policy_ref (EmlintMilterPolicy *policy);
void emlint_milter_policy_unref (EmlintMilterPolicy *policy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmlintMilterPolicy, emlint_milter_policy_unref)

EmlintMilterAction emlint_milter_policy_action (const EmlintMilterPolicy *policy, const char *rule);
const char *emlint_milter_action_name (EmlintMilterAction action);

typedef struct {
  GPtrArray *findings; /* of EmlintMilterFinding* */
  GStrv fixed;         /* ids of the rules whose fixes were applied, or NULL */
  GPtrArray *edits;    /* of EmlintMilterEdit*, in order: the fixes, then the tag */
  char *reply;         /* non-NULL: reject with this text (the rule and its RFC) */
  char *action;        /* for the log: "reject", "fix", "tag", "fix+tag" or "none" */
} EmlintMilterVerdict;

/* Lints @header (the header section as the MTA passed it, ending with the blank line; @fields,
 * of EmlintMilterField*, are its fields as the MTA counts them) and decides. NULL with @error when
 * the core fails: the caller passes the message unchanged. Free with
 * emlint_milter_verdict_free(). */
EmlintMilterVerdict *emlint_milter_decide (const EmlintMilterPolicy *policy, GBytes *header,
                                           GPtrArray *fields, GError **error);
void emlint_milter_verdict_free (EmlintMilterVerdict *verdict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmlintMilterVerdict, emlint_milter_verdict_free)

G_END_DECLS
