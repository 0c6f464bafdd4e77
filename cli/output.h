/* output.h: where a repaired file goes, written so that no mail is lost (README "Safety").
 *
 * A regular destination is replaced through a temporary file in its folder (unnamed until the
 * rename where the file system allows), fsync and a rename; any other destination (a character
 * device, a FIFO, a socket, "-") is written as a stream. Every name is opened through the fd of
 * its folder, below the paths named on the command line without following a symlink. In place,
 * the input is read through the same fd that is checked before the rename, an mbox is locked as
 * Debian's delivery agents lock it, and owner, group, mode, extended attributes and times are
 * kept, or the file is refused untouched. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  EMLINT_DEST_NONE,
  EMLINT_DEST_FILE,     /* -o FILE ("-": stdout) */
  EMLINT_DEST_DIR,      /* --output-dir DIR */
  EMLINT_DEST_SUFFIX,   /* --suffix SUF */
  EMLINT_DEST_IN_PLACE, /* --in-place */
  EMLINT_DEST_DIFF,     /* --diff: print, write nothing */
} EmlintDestination;

typedef struct _EmlintTarget EmlintTarget;

/* Opens the input @path ("-": standard input), found under @top, the path named on the command
 * line (equal to @path when it was named itself), and the destination of its repaired copy:
 * @target is the file, folder or suffix of @destination; @shown names standard input for
 * --output-dir. @fd (borrowed; -1: none) is the input as the walk opened it, which a copy reads;
 * in place the file is opened again through its folder, read-write, and locked when it is an
 * mbox. NULL with @error when the file is refused. */
EmlintTarget *emlint_target_open (EmlintDestination destination, const char *target,
                                  const char *path, const char *top, const char *shown, int fd,
                                  GError **error);
/* The descriptor to read the input from (borrowed), or -1 for standard input. */
int emlint_target_input (const EmlintTarget *target);
/* Appends to the repaired copy (gzip-compressed when the input or the name is .gz). In place, a
 * failure is kept and reported by emlint_target_commit(), since a clean file is never written. */
gboolean emlint_target_write (EmlintTarget *target, const void *data, gsize len, GError **error);
/* Finishes the copy: metadata, fsync, a check that the input is unchanged, the rename; then
 * releases the locks. Frees @target, also on failure (the temporary is removed then). */
gboolean emlint_target_commit (EmlintTarget *target, GError **error);
/* Drops the copy (nothing is written), releases the locks, frees @target. */
void emlint_target_discard (EmlintTarget *target);

/* FALSE with @error when @output, the file of @option (--output-file, --write-baseline), is one
 * of @inputs (by device and inode): writing it would destroy that mail before it is read. */
gboolean emlint_output_apart (const char *output, const char *option, char *const *inputs,
                              GError **error);

/* FALSE with @error when @a and @b (the files of the options @a_option and @b_option; NULL:
 * not given) are one file, by name or by device and inode: --output-file over --baseline
 * truncated the baseline, and over --write-baseline one output replaced the other. */
gboolean emlint_output_distinct (const char *a, const char *a_option, const char *b,
                                 const char *b_option, GError **error);
/* FALSE with @error when @path, the file of @option (--output-file), exists in a sticky
 * world-writable folder (/tmp) and belongs to another user: a symlink, FIFO or file of theirs
 * would receive the report (as the kernel's protected_* settings refuse, where they are set). */
gboolean emlint_output_unplanted (const char *path, const char *option, GError **error);

/* Fills a closed standard descriptor (0, 1, 2) with /dev/null opened the wrong way round, so
 * that no file opened later takes its number: with `2>&-`, an error message went into the
 * repaired mail or the baseline that had become descriptor 2. A write to a closed stdout still
 * fails (EBADF) and is reported. Call first in main(). */
void emlint_output_hold_std_fds (void);

/* FALSE with @error when EMLINT_LOCK_TIMEOUT is set to anything but whole seconds from 0 to
 * 3600 (it used to fall back to 30 in silence). */
gboolean emlint_output_check_environment (GError **error);

/* SIGINT, SIGTERM and SIGHUP remove the temporary and the dotlocks before the process ends;
 * SIGXFSZ is ignored, so that a file too large is a write error (EFBIG), not a kill. */
void emlint_output_install_signal_handlers (void);

G_END_DECLS
