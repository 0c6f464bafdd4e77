/* imap-session.h: following an IMAP session line by line, for the imap- rules.
 *
 * One walker tracks what several rules need: the commands in flight (by tag), the tags already
 * completed, the connection state of RFC 9051 section 3, the server's capabilities and whether
 * the client sent ID. A rule steps through the lines and reads what each step tells. */
#pragma once

#include "transcript.h"

G_BEGIN_DECLS

typedef enum {
  EMLINT_IMAP_STATE_UNKNOWN,
  EMLINT_IMAP_STATE_NOT_AUTHENTICATED,
  EMLINT_IMAP_STATE_AUTHENTICATED,
  EMLINT_IMAP_STATE_SELECTED,
  EMLINT_IMAP_STATE_LOGOUT,
} EmlintImapState;

typedef struct {
  const EmlintTranscript *t;
  GHashTable *pending;   /* tag -> command line index + 1, for commands in flight */
  GHashTable *completed; /* tags completed and not sent again */
  GHashTable *ended;     /* tag -> command line index + 1, in flight when the server said BYE */
  EmlintImapState state;
  guint changing;         /* commands in flight that may change the state */
  gboolean id_advertised; /* the server listed the ID capability */
  gboolean id_sent;       /* the client sent ID */
  guint hidden;           /* commands in flight that the log hides (taken to be LOGIN) */
} EmlintImapSession;

/* What one line was, seen from the session. */
typedef struct {
  gboolean command;          /* a client line that starts a command */
  gboolean completion;       /* a server line "tag OK/NO/BAD" */
  guint completes;           /* completion: the command line index + 1; 0: no command in flight
                              has this tag */
  gboolean completed_before; /* completion of a tag already completed */
  gboolean completes_hidden; /* completion of a command the log hides */
  gboolean untagged;         /* a server line "* ..." */
  guint n_pending;           /* commands in flight before this line */
  guint n_changing;          /* of those, commands that may change the state */
  EmlintImapState state;     /* the state before this line */
} EmlintImapStep;

/* Called after each line is stepped, with the session as it is after that line. */
typedef void (*EmlintImapStepFunc) (gpointer user_data, const EmlintImapSession *s,
                                    const EmlintImapLine *line, const EmlintImapStep *step);

void emlint_imap_session_init (EmlintImapSession *s, const EmlintTranscript *t);
/* Initialises @s and steps it through every line of @t, calling @each (NULL: none) after each;
 * the caller reads the final state, then clears @s. */
void emlint_imap_session_walk (EmlintImapSession *s, const EmlintTranscript *t,
                               EmlintImapStepFunc each, gpointer user_data);
void emlint_imap_session_clear (EmlintImapSession *s);
/* Steps over line @i (lines are stepped in order). */
EmlintImapStep emlint_imap_session_step (EmlintImapSession *s, guint i);
/* The commands still in flight, as line indexes in order (free with g_array_unref()). */
GArray *emlint_imap_session_pending (const EmlintImapSession *s);

/* Where @line starts, for a message about @from: "line N", or "line N of PATH" when the two
 * are in different files of a rawlog pair (free with g_free()). */
char *emlint_imap_line_place (const EmlintTranscript *t, const EmlintImapLine *line,
                              const EmlintImapLine *from);
/* A new string "TAG NAME" naming the command that starts at @line (free with g_free()). */
char *emlint_imap_command_label (const EmlintImapLine *line);

G_END_DECLS
