/* walk.c: directory walks (doc/DESIGN.md "Inputs"). Each directory's entries are read and sorted
 * one directory at a time, so a walk over millions of files holds one directory's names.
 *
 * The walk goes through directory file descriptors (openat, fstatat, O_NOFOLLOW): a name is
 * looked up once, in the directory already open, so swapping a folder of the path for a symlink
 * while the walk runs cannot lead it elsewhere. Symlinks met during a walk are skipped, to files
 * and to folders alike (as grep -r does); a symlink named on the command line is followed. Each
 * directory is walked once, known by device and inode, so bind mounts and loops cost nothing. */
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const mail_suffixes[] = { ".eml", ".msg", ".mbox", ".mbx" };

static const char *const skip_names[EMLINT_SKIP_N_REASONS] = {
  [EMLINT_SKIP_NOT_MAIL] = "not mail by name",
  [EMLINT_SKIP_EXCLUDED] = "excluded",
  [EMLINT_SKIP_TMP] = "Maildir tmp/",
  [EMLINT_SKIP_DOT] = "dot-entries",
  [EMLINT_SKIP_SPECIAL] = "not regular files",
  [EMLINT_SKIP_UNREADABLE] = "unreadable",
  [EMLINT_SKIP_LOOP] = "directories walked already",
  [EMLINT_SKIP_SYMLINK] = "symlinks",
  [EMLINT_SKIP_OUTPUT] = "the output folder",
};

const char *
emlint_walk_skip_name (EmlintWalkSkip reason)
{
  return skip_names[reason];
}

typedef struct {
  dev_t dev;
  ino_t ino;
} DirId;

typedef struct {
  const EmlintWalkOptions *options;
  EmlintPathFunc each;
  EmlintWalkErrorFunc on_error;
  gpointer user_data;
  GHashTable *visited; /* of DirId*: every directory walked so far */
  DirId output;        /* options->output_dir, when it exists; else zeros */
} Walk;

static guint
dir_id_hash (gconstpointer p)
{
  const DirId *id = p;
  return (guint) (id->ino ^ (id->ino >> 32) ^ id->dev);
}

static gboolean
dir_id_equal (gconstpointer a, gconstpointer b)
{
  const DirId *x = a, *y = b;
  return x->dev == y->dev && x->ino == y->ino;
}

static gboolean
matches_any (char *const *globs, const char *name, const char *path)
{
  for (guint i = 0; globs != NULL && globs[i] != NULL; i++)
    if (g_pattern_match_simple (globs[i], name) || g_pattern_match_simple (globs[i], path))
      return TRUE;
  return FALSE;
}

/* TRUE when @name in the directory @dirfd is a directory itself (not a symlink to one). */
static gboolean
is_dir_at (int dirfd, const char *name)
{
  struct stat st;

  return fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR (st.st_mode);
}

static gboolean
is_maildir (int dirfd)
{
  /* A folder mid-delivery may lack one of them; tmp/ alone says nothing. */
  return is_dir_at (dirfd, "cur") || is_dir_at (dirfd, "new");
}

/* A mail file name: one of mail_suffixes or an include glob, also with ".gz" after it. */
static gboolean
is_mail_name (Walk *w, const char *name, const char *path)
{
  g_autofree char *plain = g_str_has_suffix (name, ".gz")
                             ? g_strndup (name, strlen (name) - strlen (".gz"))
                             : NULL;
  char *const *include = w->options ? w->options->include : NULL;

  for (guint i = 0; i < G_N_ELEMENTS (mail_suffixes); i++)
    if (g_str_has_suffix (name, mail_suffixes[i])
        || (plain != NULL && g_str_has_suffix (plain, mail_suffixes[i])))
      return TRUE;
  return matches_any (include, name, path) || (plain != NULL && matches_any (include, plain, path));
}

/* Counts an entry the walk leaves out; returns TRUE (the walk goes on). */
static gboolean
skip (Walk *w, EmlintWalkSkip reason)
{
  if (w->options != NULL && w->options->skipped != NULL)
    w->options->skipped[reason]++;
  return TRUE;
}

/* When a descriptor could not be had (EMFILE, ENFILE) and the walk's owner can let go of some
 * (work queued with its files open), has it do so: TRUE to try once more. */
static gboolean
released (Walk *w)
{
  if ((errno != EMFILE && errno != ENFILE) || w->options == NULL || w->options->release == NULL)
    return FALSE;
  w->options->release (w->user_data);
  return TRUE;
}

static void
walk_error (Walk *w, const char *path, int err)
{
  g_autoptr (GError) error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (err),
                                                  g_strerror (err));
  w->on_error (path, error, w->user_data);
  skip (w, EMLINT_SKIP_UNREADABLE);
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names in the directory @fd, sorted by bytes; NULL (and the error reported) when it cannot
 * be read. */
static GPtrArray *
sorted_entries (Walk *w, int fd, const char *path)
{
  int own = dup (fd);
  DIR *d;

  if (own < 0 && released (w))
    own = dup (fd);
  d = own >= 0 ? fdopendir (own) : NULL;
  GPtrArray *names;
  struct dirent *entry;

  if (d == NULL)
    {
      walk_error (w, path, errno);
      if (own >= 0)
        close (own);
      return NULL;
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((entry = readdir (d)) != NULL)
    if (strcmp (entry->d_name, ".") != 0 && strcmp (entry->d_name, "..") != 0)
      g_ptr_array_add (names, g_strdup (entry->d_name));
  closedir (d);
  g_ptr_array_sort (names, compare_names);
  return names;
}

static gboolean walk_dir (Walk *w, int fd, const char *path, gboolean mail_folder);

/* Walks the folder @name of the directory @dirfd, never through a symlink. @dot_folder: a
 * Maildir++ folder, walked only when it is a Maildir. */
static gboolean
walk_subdir (Walk *w, int dirfd, const char *name, const char *path, gboolean mail_folder,
             gboolean dot_folder)
{
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  int fd = openat (dirfd, name, flags);
  gboolean go_on = TRUE;

  if (fd < 0 && released (w))
    fd = openat (dirfd, name, flags);
  if (fd < 0)
    {
      walk_error (w, path, errno);
      return TRUE;
    }
  if (!dot_folder || is_maildir (fd))
    go_on = walk_dir (w, fd, path, mail_folder);
  else
    skip (w, EMLINT_SKIP_DOT); /* a dot-folder that is no Maildir++ folder */
  close (fd);
  return go_on;
}

/* Opens the file @name of @dirfd for @each, never through a symlink, and never blocking on a
 * FIFO put in its place since it was seen. */
static gboolean
visit_file (Walk *w, int dirfd, const char *name, const char *path)
{
  const int flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
  int fd = openat (dirfd, name, flags);
  struct stat st;
  gboolean go_on;

  if (fd < 0 && released (w))
    fd = openat (dirfd, name, flags);
  if (fd < 0)
    {
      walk_error (w, path, errno);
      return TRUE;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      return skip (w, EMLINT_SKIP_SPECIAL); /* no longer a regular file since it was listed */
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  go_on = w->each (path, fd, w->user_data);
  close (fd);
  return go_on;
}

/* One entry of the directory @dirfd (@dir). @in_maildir: it is a Maildir; @mail_folder: it is
 * a Maildir's cur/ or new/, where every file is a message whatever its name. */
static gboolean
walk_entry (Walk *w, int dirfd, const char *dir, const char *name, gboolean in_maildir,
            gboolean mail_folder)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct stat st;

  if (matches_any (w->options ? w->options->exclude : NULL, name, path))
    return skip (w, EMLINT_SKIP_EXCLUDED);
  if (fstatat (dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    {
      walk_error (w, path, errno);
      return TRUE;
    }
  if (S_ISDIR (st.st_mode))
    {
      if (name[0] == '.')
        return walk_subdir (w, dirfd, name, path, FALSE, TRUE); /* Maildir++ folder */
      if (in_maildir && strcmp (name, "tmp") == 0)
        return skip (w, EMLINT_SKIP_TMP); /* messages still being delivered */
      return walk_subdir (w, dirfd, name, path,
                          in_maildir && (strcmp (name, "cur") == 0 || strcmp (name, "new") == 0),
                          FALSE);
    }
  if (S_ISLNK (st.st_mode))
    return skip (w, EMLINT_SKIP_SYMLINK); /* never followed in a walk (README "Inputs") */
  if (name[0] == '.')
    return skip (w, EMLINT_SKIP_DOT);
  if (!S_ISREG (st.st_mode))
    return skip (w, EMLINT_SKIP_SPECIAL); /* devices, FIFOs, sockets */
  if (mail_folder || is_mail_name (w, name, path))
    return visit_file (w, dirfd, name, path);
  return skip (w, EMLINT_SKIP_NOT_MAIL);
}

static gboolean
walk_dir (Walk *w, int fd, const char *path, gboolean mail_folder)
{
  g_autoptr (GPtrArray) names = NULL;
  struct stat st;
  DirId *id;
  gboolean in_maildir, go_on = TRUE;

  if (fstat (fd, &st) != 0)
    {
      walk_error (w, path, errno);
      return TRUE;
    }
  if (st.st_dev == w->output.dev && st.st_ino == w->output.ino)
    return skip (w, EMLINT_SKIP_OUTPUT); /* the copies fix writes: never read back, nested */
  id = g_new (DirId, 1);
  *id = (DirId){ st.st_dev, st.st_ino };
  if (!g_hash_table_add (w->visited, id))
    return skip (w, EMLINT_SKIP_LOOP); /* walked already (a bind mount, a loop): once each */
  names = sorted_entries (w, fd, path);
  if (names == NULL)
    return TRUE;
  in_maildir = is_maildir (fd);
  for (guint i = 0; i < names->len && go_on; i++)
    go_on = walk_entry (w, fd, path, g_ptr_array_index (names, i), in_maildir, mail_folder);
  return go_on;
}

/* A Maildir's cur/ or new/ named on its own: every file in it is a message. Its parent holds
 * it, so the parent is a Maildir by is_maildir()'s test, as it would be in a walk from there. */
static gboolean
is_mail_folder (const char *dir)
{
  g_autofree char *canonical = g_canonicalize_filename (dir, NULL);
  g_autofree char *name = g_path_get_basename (canonical);

  return strcmp (name, "cur") == 0 || strcmp (name, "new") == 0;
}

gboolean
emlint_walk (const char *path, const EmlintWalkOptions *options, EmlintPathFunc each,
             EmlintWalkErrorFunc on_error, gpointer user_data)
{
  Walk w = { options, each, on_error, user_data,
             g_hash_table_new_full (dir_id_hash, dir_id_equal, g_free, NULL) };
  gboolean go_on = TRUE;
  /* A path named on the command line is followed, symlink or not. */
  int fd = strcmp (path, "-") == 0 ? -1 : open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int err;
  struct stat st;

  if (fd < 0 && strcmp (path, "-") != 0 && released (&w))
    fd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  err = fd < 0 && strcmp (path, "-") != 0 ? errno : ENOTDIR;
  if (options != NULL && options->output_dir != NULL && stat (options->output_dir, &st) == 0)
    w.output = (DirId){ st.st_dev, st.st_ino };

  if (fd >= 0)
    {
      go_on = walk_dir (&w, fd, path, is_mail_folder (path));
      close (fd);
    }
  else if (err != ENOTDIR && err != ENOENT && stat (path, &st) == 0 && S_ISDIR (st.st_mode))
    walk_error (&w, path, err); /* a folder that cannot be opened */
  else
    go_on = each (path, -1, user_data);
  g_hash_table_unref (w.visited);
  return go_on;
}
