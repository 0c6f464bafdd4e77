/* input.h: turning paths into messages: files, mbox files, gzip, stdin, directory walks. */
#pragma once

#include <gio/gio.h>

#include "message.h"

G_BEGIN_DECLS


/* Called for each message in order; the message is borrowed. Return FALSE to stop reading. */
typedef gboolean (*EmlintRawMessageFunc) (const EmlintRawMessage *raw, gpointer user_data);

/* Reads the file at @path ("-" for standard input; a name ending in ".gz" is decompressed) and
 * calls @each for every message: one for a plain message file, one per message of an mbox (a
 * file whose first line, after an optional BOM, starts with "From "). Memory is bounded by the
 * largest message, not the file. FALSE with @error when the file cannot be read. */
gboolean emlint_read_messages (const char *path, EmlintRawMessageFunc each, gpointer user_data,
                               GError **error);

/* What a segment of an mbox held: file offsets, and counts from its first message on. */
typedef struct {
  guint64 first;      /* where its first message (its From_ line) starts; G_MAXUINT64: none */
  guint64 next;       /* where the message after its last one starts; G_MAXUINT64: none */
  guint messages;
  guint newlines;     /* line breaks from @first to @next */
} EmlintSegment;

/* Reads the messages of the file at @path whose From_ lines start in [@from, @limit), split as
 * emlint_read_messages() splits the whole file, so that several threads can each read a part
 * of one large mbox. The first starts at @from when @exact (or @from is 0); else at the first
 * From_ line at or after @from that follows a blank line: the caller checks that it is where
 * the segment before ended (a Content-Length may say otherwise), and reads again with @exact
 * when not. Messages are numbered from 0 and line 1 at the first; the caller adds where the
 * segment starts. A file that is no mbox is one message, read when @from is 0. FALSE with
 * @error when reading failed (@each has had the messages read before). */
gboolean emlint_read_mbox_segment (const char *path, guint64 from, gboolean exact, guint64 limit,
                                   EmlintRawMessageFunc each, gpointer user_data,
                                   EmlintSegment *out, GError **error);

/* TRUE when emlint_read_messages() decompresses the file at @path (a name ending in ".gz"). */
gboolean emlint_input_is_compressed (const char *path);

/* Splits a whole buffer the same way (tests, fuzzing). */
void emlint_split_messages (GBytes *data, EmlintRawMessageFunc each, gpointer user_data);

/* Why a walk left an entry out (for --statistics and the closing summary). */
typedef enum {
  EMLINT_SKIP_NOT_MAIL,     /* a file whose name is no mail name (see --include) */
  EMLINT_SKIP_EXCLUDED,     /* matched --exclude */
  EMLINT_SKIP_TMP,          /* a Maildir's tmp/: messages still being delivered */
  EMLINT_SKIP_DOT,          /* a dot-entry that is no Maildir++ folder */
  EMLINT_SKIP_SPECIAL,      /* neither a regular file nor a directory (fifo, socket, device) */
  EMLINT_SKIP_UNREADABLE,   /* could not be read (the error is reported) */
  EMLINT_SKIP_LOOP,         /* a directory already being walked (a symlink loop) */
  EMLINT_SKIP_N_REASONS
} EmlintWalkSkip;

/* The reason as a short plural phrase ("not mail by name"). */
const char *emlint_walk_skip_name (EmlintWalkSkip reason);

typedef struct {
  char **include;     /* extra globs of file names to lint in a walk (also their .gz forms) */
  char **exclude;     /* globs of names or paths to leave out */
  guint64 *skipped;   /* when not NULL: EMLINT_SKIP_N_REASONS counters, added to */
} EmlintWalkOptions;

/* Called for each file the walk finds, in order. Return FALSE to stop the walk. */
typedef gboolean (*EmlintPathFunc) (const char *path, gpointer user_data);
/* Called for each entry that cannot be read; the walk goes on. */
typedef void (*EmlintWalkErrorFunc) (const char *path, const GError *error, gpointer user_data);

/* Calls @each for @path when it is not a directory (a named path is always linted); for a
 * directory, walks it as DESIGN.md "Inputs" says: Maildir cur/ and new/ (also when @path is
 * one of them), Maildir++ folders, mail file names elsewhere (.eml, .msg, .mbox, .mbx and
 * their .gz forms, and @options' include globs), entries in byte order, symlink loops
 * skipped. Returns FALSE when @each stopped the walk. */
gboolean emlint_walk (const char *path, const EmlintWalkOptions *options, EmlintPathFunc each,
                      EmlintWalkErrorFunc on_error, gpointer user_data);

G_END_DECLS
