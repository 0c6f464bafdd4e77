/* tally.h: what a run found, in totals: the summary on a terminal, --statistics and its
 * --group-by tables, the HTML report and the baseline file read it.
 *
 * A record (one message's facts and findings) is built on the thread that linted the message;
 * the main thread adds the records to the tally in output order. */
#pragma once

#include <stdio.h>

#include "report.h"

G_BEGIN_DECLS

typedef enum {
  EMLINT_GROUP_GENERATOR,
  EMLINT_GROUP_SENDER_DOMAIN,
  EMLINT_GROUP_MSGID_DOMAIN,
  EMLINT_GROUP_MONTH,
  EMLINT_N_GROUPS,
  EMLINT_GROUP_NONE = EMLINT_N_GROUPS,
} EmlintGroup;

/* FALSE when @name is not generator, sender-domain, msgid-domain or month. */
gboolean emlint_group_parse (const char *name, EmlintGroup *out);
const char *emlint_group_name (EmlintGroup group);

typedef struct {
  guint rule; /* registry index */
  EmlintSeverity severity;
  EmlintFixKind fix;
  gboolean fixable; /* `emlint fix` with these options applies it */
  guint64 line;
  guint column;
  char *message; /* with details only, else NULL */
  char *excerpt; /* with details only: the line's raw octets (at most 200) */
} EmlintRecordFinding;

typedef struct {
  char *path;
  guint index;
  char *keys[EMLINT_N_GROUPS]; /* generator, sender domain, msgid domain, month ("unknown");
                                   NULL without EMLINT_RECORD_KEYS */
  GArray *findings;            /* of EmlintRecordFinding */
  GString *baseline;           /* with a baseline to write: its lines for these findings */
} EmlintRecord;

typedef enum {
  EMLINT_RECORD_DETAILS = 1 << 0,  /* messages and excerpts (the HTML report) */
  EMLINT_RECORD_BASELINE = 1 << 1, /* baseline lines */
  EMLINT_RECORD_KEYS = 1 << 2,     /* the group keys (they cost a pass over the header) */
} EmlintRecordFlags;

/* Any thread. Free with emlint_record_free(). */
EmlintRecord *emlint_record_new (const EmlintMail *msg, const EmlintResult *result,
                                 const GPtrArray *diagnostics, EmlintRecordFlags flags,
                                 gboolean unsafe_fixes);
void emlint_record_free (EmlintRecord *record);

typedef struct {
  char *key;
  guint64 messages, failing, findings;
  guint64 *rule_findings; /* per registry index */
  char first[8], last[8]; /* the first and last month (YYYY-MM) of a failing message */
} EmlintGroupStats;

typedef struct {
  guint index;
  EmlintRecordFinding finding;
} EmlintShownFinding;

typedef struct {
  char *path;
  guint64 findings, messages;
  GArray *shown; /* of EmlintShownFinding: the first few */
} EmlintFileStats;

typedef struct {
  guint64 files, messages, failing, findings;
  guint64 failed;         /* inputs named in an error */
  char *skipped;          /* what the walks left out ("3 entries skipped (...)"), or "" */
  guint64 by_severity[3]; /* info, warning, error */
  guint64 fixable, unsafe;
  guint64 *rule_findings, *rule_messages;
  GHashTable *groups[EMLINT_N_GROUPS]; /* key -> EmlintGroupStats* */
  GPtrArray *worst;                    /* of EmlintFileStats*, most findings first */
  EmlintFileStats *current;
} EmlintTally;

#define EMLINT_TALLY_WORST_FILES 10
#define EMLINT_TALLY_SHOWN_PER_FILE 25

EmlintTally *emlint_tally_new (void);
void emlint_tally_free (EmlintTally *tally);
/* Counts @record (taken). */
void emlint_tally_add (EmlintTally *tally, EmlintRecord *record);
/* Ends the run: the last file's stats join the worst files. @skipped: what the walks left out,
 * as run.c words it, or "". */
void emlint_tally_finish (EmlintTally *tally, guint64 files, guint64 failed, const char *skipped);
/* The groups of @group, most findings first. Returns a new array (elements borrowed). */
GPtrArray *emlint_tally_groups (const EmlintTally *tally, EmlintGroup group, gboolean by_key);

/* "emlint: 2 files, 3 messages: 5 findings (3 errors, 2 warnings); 2 fixable [*] ...", then
 * the entries skipped and the inputs that failed. */
void emlint_tally_print_summary (const EmlintTally *tally, FILE *out);
/* The totals line of --statistics, and the table of --group-by. */
void emlint_tally_print_totals (const EmlintTally *tally, FILE *out);
void emlint_tally_print_groups (const EmlintTally *tally, EmlintGroup group, FILE *out);

/* n and the noun, singular or plural ("1 message", "2 messages"); a static buffer per call
 * site is not used: returns a new string. */
char *emlint_plural (guint64 n, const char *singular, const char *plural);

G_END_DECLS
