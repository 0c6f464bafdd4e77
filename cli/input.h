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

typedef struct {
  char **include;     /* extra globs of file names to lint in a walk */
  char **exclude;     /* globs of names or paths to leave out */
} EmlintWalkOptions;

/* Called for each file the walk finds, in order. Return FALSE to stop the walk. */
typedef gboolean (*EmlintPathFunc) (const char *path, gpointer user_data);
/* Called for each entry that cannot be read; the walk goes on. */
typedef void (*EmlintWalkErrorFunc) (const char *path, const GError *error, gpointer user_data);

/* Calls @each for @path when it is not a directory (a named path is always linted); for a
 * directory, walks it as DESIGN.md "Inputs" says: Maildir cur/ and new/, Maildir++ folders,
 * mail file names elsewhere, entries in byte order, symlink loops skipped. Returns FALSE when
 * @each stopped the walk. */
gboolean emlint_walk (const char *path, const EmlintWalkOptions *options, EmlintPathFunc each,
                      EmlintWalkErrorFunc on_error, gpointer user_data);

G_END_DECLS
