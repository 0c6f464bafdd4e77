/* finding.h: what the command line reports, built from libemlint's results (emlint.h): the
 * message as the command line names it (path, index, where it starts in its file), and its
 * findings with lines of the file. */
#pragma once

#include <glib.h>

#include "emlint.h"

G_BEGIN_DECLS

/* One message (or transcript source) of a file. */
typedef struct {
  const char *path;   /* display path, borrowed */
  guint index;        /* 0-based position of the message in its file */
  gboolean in_mbox;   /* the file is an mbox: reports name the index */
  guint64 first_line; /* 1-based line of the file on which the message starts */
  const char *data;   /* the octets findings point into, borrowed */
  gsize len;
} EmlintMail;

/* One finding, its lines those of the file. Strings are borrowed from the EmlintResult it was
 * made from, which must outlive it, except a message the command line rewrote. */
typedef struct {
  const EmlintRuleInfo *rule;
  EmlintSeverity severity;
  gsize start, end; /* octets of the message */
  guint source;     /* transcripts: the source the octets are in */
  guint64 line, end_line;
  guint column, end_column;
  const char *message;
  EmlintFixKind fix;
  gboolean has_fix;
  const char *unsafe_reason; /* see EmlintFinding */
  const char *fix_needs;
  gsize field_start, field_name_end, field_value_start, field_value_end; /* G_MAXSIZE: none */
  char *own_message;                                                     /* owned, or NULL */
} EmlintCliFinding;

/* The findings (@fixed: those it repaired) of @result, lines shifted to a message that starts
 * on line @first_line of its file. Returns a new array of EmlintCliFinding* that frees them. */
GPtrArray *emlint_cli_findings (const EmlintResult *result, gboolean fixed, guint64 first_line);

/* Replaces the finding's message by @message (taken). */
void emlint_cli_finding_set_message (EmlintCliFinding *finding, char *message);

/* TRUE when `emlint fix` (with --unsafe-fixes when @unsafe_fixes) applies the finding's fix. */
static inline gboolean
emlint_cli_finding_is_fixable (const EmlintCliFinding *finding, gboolean unsafe_fixes)
{
  return finding->has_fix && (finding->unsafe_reason == NULL || unsafe_fixes);
}

/* The line of @mail holding @offset: sets [*@start, *@end), its octets without the line ending
 * (LF or CRLF ends a line; a bare CR does not; the end of the octets is on the last line). */
void emlint_mail_line (const EmlintMail *mail, gsize offset, gsize *start, gsize *end);

G_END_DECLS
