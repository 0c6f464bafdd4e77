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

/* The same from @fd, open on @path (borrowed: it stays open). */
gboolean emlint_read_fd (int fd, const char *path, EmlintRawMessageFunc each, gpointer user_data,
                         GError **error);

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
