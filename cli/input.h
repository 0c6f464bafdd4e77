/* input.h: turning paths into messages: files, mbox files, gzip, stdin, directory walks. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One message as read. Concatenating envelope and bytes of every message of a file, in order,
 * gives back the file exactly. */
typedef struct {
  GBytes *envelope;   /* the mbox From_ line (with a BOM before the first one); empty otherwise */
  GBytes *bytes;      /* the message */
  guint index;        /* 0-based position in the file */
  guint64 first_line; /* 1-based line of the file on which the message starts */
  gboolean in_mbox;
  const GError *error; /* non-NULL: the message could not be read (it is larger than the
                          limit); bytes is then empty. Borrowed, valid during the callback */
} EmlintRawMessage;

/* Called for each message in order; the message is borrowed. Return FALSE to stop reading. */
typedef gboolean (*EmlintRawMessageFunc) (const EmlintRawMessage *raw, gpointer user_data);

/* Reads the file at @path ("-" for standard input), or from @fd when it is not -1 (an open
 * file, which stays open; @path then only names it; a name ending in ".gz" is decompressed,
 * every member of it) and calls @each for every message: one for a plain message file, one per
 * message of an mbox (a file whose first line, after an optional BOM, starts with "From ").
 * A message larger than @max_size octets is not read: @each gets it with raw->error set and no
 * octets (a plain file then ends there; an mbox goes on with the next message). Memory is
 * bounded by the largest message, not the file. FALSE with @error when the file cannot be
 * read. */
gboolean emlint_read_messages (const char *path, int fd, guint64 max_size,
                               EmlintRawMessageFunc each, gpointer user_data, GError **error);

/* TRUE when emlint_read_messages() reads @path as gzip (its name ends in ".gz"): a repaired
 * copy of it must be written as gzip too. */
gboolean emlint_path_is_gzip (const char *path);

/* What a segment of an mbox held: file offsets, and counts from its first message on. */
typedef struct {
  guint64 first; /* where its first message (its From_ line) starts; G_MAXUINT64: none */
  guint64 next;  /* where the message after its last one starts; G_MAXUINT64: none */
  guint messages;
  guint64 newlines; /* line breaks from @first to @next */
} EmlintSegment;

/* Reads the messages of the file at @path (or open in @fd, read with pread(), which stays
 * open) whose From_ lines start in [@from, @limit), split as emlint_read_messages() splits the
 * whole file, so that several threads can each read a part of one large mbox. The first starts
 * at @from when @exact (or @from is 0); else at the first From_ line at or after @from that
 * follows a blank line: the caller checks that it is where the segment before ended (a
 * Content-Length may say otherwise), and reads again with @exact when not. Messages are
 * numbered from 0 and line 1 at the first; the caller adds where the segment starts. A file
 * that is no mbox is one message, read when @from is 0. The messages are slices of one buffer
 * (no copy each), handed to @each once the segment is read. FALSE with @error when reading
 * failed (@each has had the messages read before). Not for gzip. */
gboolean emlint_read_mbox_segment (const char *path, int fd, guint64 max_size, guint64 from,
                                   gboolean exact, guint64 limit, EmlintRawMessageFunc each,
                                   gpointer user_data, EmlintSegment *out, GError **error);

/* The error of a message larger than @max_size octets (the message @index of an mbox). */
GError *emlint_too_large_error (guint index, guint64 max_size, gboolean in_mbox);

/* Splits a whole buffer the same way (tests, fuzzing). */
void emlint_split_messages (GBytes *data, EmlintRawMessageFunc each, gpointer user_data);

/* Why a walk left an entry out (for --statistics and the closing summary). */
typedef enum {
  EMLINT_SKIP_NOT_MAIL,   /* a file whose name is no mail name (see --include) */
  EMLINT_SKIP_EXCLUDED,   /* matched --exclude */
  EMLINT_SKIP_TMP,        /* a Maildir's tmp/: messages still being delivered */
  EMLINT_SKIP_DOT,        /* a dot-entry that is no Maildir++ folder */
  EMLINT_SKIP_SPECIAL,    /* neither a regular file nor a directory (fifo, socket, device) */
  EMLINT_SKIP_UNREADABLE, /* could not be read (the error is reported) */
  EMLINT_SKIP_LOOP,       /* a directory walked already (a bind mount, a hard-linked folder) */
  EMLINT_SKIP_SYMLINK,    /* a symlink: never followed in a walk */
  EMLINT_SKIP_OUTPUT,     /* fix --output-dir's folder, inside a folder walked */
  EMLINT_SKIP_N_REASONS
} EmlintWalkSkip;

/* The reason as a short plural phrase ("not mail by name"). */
const char *emlint_walk_skip_name (EmlintWalkSkip reason);

typedef struct {
  char **include;   /* extra globs of file names to lint in a walk (also their .gz forms) */
  char **exclude;   /* globs of names or paths to leave out */
  guint64 *skipped; /* when not NULL: EMLINT_SKIP_N_REASONS counters, added to */
  /* when not NULL: called with the walk's user_data when an open fails for want of descriptors
   * (EMFILE), to close those the caller holds (finish queued work); the open is tried again */
  void (*release) (gpointer user_data);
  const char *output_dir; /* when not NULL: a folder never walked (fix writes there) */
} EmlintWalkOptions;

/* Called for each file the walk finds, in order, with the file open in @fd (the walk closes it
 * afterwards); a path named on the command line comes with @fd -1, to be opened by path. Return
 * FALSE to stop the walk. */
typedef gboolean (*EmlintPathFunc) (const char *path, int fd, gpointer user_data);
/* Called for each entry that cannot be read; the walk goes on. */
typedef void (*EmlintWalkErrorFunc) (const char *path, const GError *error, gpointer user_data);

/* Calls @each for @path when it is not a directory (a named path is always linted); for a
 * directory, walks it as doc/DESIGN.md "Inputs" says: Maildir cur/ and new/ (also when @path is
 * one of them), Maildir++ folders, mail file names elsewhere (.eml, .msg, .mbox, .mbx and
 * their .gz forms, and @options' include globs), entries in byte order, each directory once (by
 * device and inode); symlinks met during the walk are skipped, never followed. Returns FALSE
 * when @each stopped the walk. */
gboolean emlint_walk (const char *path, const EmlintWalkOptions *options, EmlintPathFunc each,
                      EmlintWalkErrorFunc on_error, gpointer user_data);

G_END_DECLS
