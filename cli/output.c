/* output.c: the write path of fix (README "Safety").
 *
 * Every destination is reached through the descriptor of its folder: the paths named on the
 * command line are followed as given, and below them no symlink is (openat with O_NOFOLLOW), so
 * nothing a user swaps in during a run redirects a write. A regular destination is written to
 * an unnamed temporary (O_TMPFILE: a clean file leaves no trace, not even its folder's mtime),
 * which is named and renamed over the destination only after fsync and, in place, after a check
 * that the name still holds the file read, unchanged. */
#include "output.h"

#include "escape.h"
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

/* Short, so that a temporary beside a name of NAME_MAX octets still fits. */
#define TEMP_PREFIX ".emlint-"
#define TEMP_RANDOM 6
#define DEFAULT_LOCK_TIMEOUT 30 /* seconds; EMLINT_LOCK_TIMEOUT overrides */
#define HELD_MAX 256            /* dotlocks and named temporaries held at once */

struct _EmlintTarget {
  gboolean in_place;
  int in_fd; /* the input; -1: standard input */
  gboolean has_in_st;
  struct stat in_st;  /* the input when reading began (in place: under the locks) */
  int dir_fd;         /* the destination's folder; -1 when writing standard output */
  char *base;         /* the destination's name in dir_fd */
  char *shown_dir;    /* the folder, for messages (escaped) */
  int out_fd;         /* the temporary, or the stream */
  gboolean streaming; /* out_fd is the destination itself */
  gboolean unnamed;   /* out_fd is an O_TMPFILE with no name yet */
  char temp[sizeof TEMP_PREFIX + TEMP_RANDOM]; /* the temporary's name once it has one */
  char *lock_name;                             /* the dotlock held in dir_fd, or NULL */
  char *key;                                   /* in place: the file's entry in in_place_files */
  int temp_slot, lock_slot;                    /* in the table of held names, or -1 */
  GConverter *gzip;                            /* compresses the copy, or NULL */
  GError *deferred; /* in place: why the copy cannot be written (reported only if needed) */
};

/* ---- names to remove when a signal ends the process --------------------------------------- */

typedef struct {
  volatile sig_atomic_t used;
  int dir_fd;
  char name[NAME_MAX + 1];
} Held;

static Held held[HELD_MAX];

/* Only the main thread holds and releases names; the handler only reads the table. */
static int
hold (int dir_fd, const char *name)
{
  for (int i = 0; i < HELD_MAX; i++)
    if (!held[i].used)
      {
        held[i].dir_fd = dir_fd;
        g_strlcpy (held[i].name, name, sizeof held[i].name);
        held[i].used = 1;
        return i;
      }
  return -1;
}

/* Forgets the held name @slot refers to. */
static void
unhold (int *slot)
{
  if (*slot >= 0)
    held[*slot].used = 0;
  *slot = -1;
}

static pthread_t main_thread;

static void
remove_held_and_die (int sig)
{
  /* Names are held and released by the main thread, with these signals blocked around each
   * change: handled there, the table is never read half changed. */
  if (!pthread_equal (pthread_self (), main_thread))
    {
      pthread_kill (main_thread, sig);
      return;
    }
  for (int i = 0; i < HELD_MAX; i++)
    if (held[i].used)
      unlinkat (held[i].dir_fd, held[i].name, 0);
  signal (sig, SIG_DFL);
  raise (sig);
}

void
emlint_output_install_signal_handlers (void)
{
  main_thread = pthread_self ();
  signal (SIGINT, remove_held_and_die);
  signal (SIGTERM, remove_held_and_die);
  signal (SIGHUP, remove_held_and_die);
  signal (SIGXFSZ, SIG_IGN);
}

/* Blocks (TRUE) or restores (FALSE) the signals of the handler, around making a name and
 * entering it in the table, so that no signal leaves a name behind. */
static void
block_signals (gboolean block)
{
  static sigset_t old;
  sigset_t set;

  if (!block)
    {
      pthread_sigmask (SIG_SETMASK, &old, NULL);
      return;
    }
  sigemptyset (&set);
  sigaddset (&set, SIGINT);
  sigaddset (&set, SIGTERM);
  sigaddset (&set, SIGHUP);
  pthread_sigmask (SIG_BLOCK, &set, &old);
}

/* ---- errors ------------------------------------------------------------------------------- */

/* @s escaped for a terminal. Returns a new string. */
static char *
escaped (const char *s)
{
  GString *out = g_string_new (NULL);

  emlint_escape_display (out, s, -1);
  return g_string_free (out, FALSE);
}

/* Sets @error to the formatted text, ": ", and strerror (@err); returns FALSE. */
G_GNUC_PRINTF (3, 4) static gboolean errno_error (GError **error, int err, const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err), "%s: %s", what, g_strerror (err));
  return FALSE;
}

static gboolean
write_all (int fd, const guint8 *p, gsize len, GError **error)
{
  while (len > 0)
    {
      ssize_t n = write (fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return errno_error (error, errno, "write failed");
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Feeds @len octets (and with @finish, the end of the stream) through the gzip compressor. */
static gboolean
write_compressed (EmlintTarget *t, const guint8 *data, gsize len, gboolean finish, GError **error)
{
  guint8 buf[64 * 1024];

  while (len > 0 || finish)
    {
      gsize used = 0, made = 0;
      GConverterResult r = g_converter_convert (t->gzip, data, len, buf, sizeof buf,
                                                finish ? G_CONVERTER_INPUT_AT_END
                                                       : G_CONVERTER_NO_FLAGS,
                                                &used, &made, error);
      if (r == G_CONVERTER_ERROR || !write_all (t->out_fd, buf, made, error))
        return FALSE;
      data += used;
      len -= used;
      if (r == G_CONVERTER_FINISHED)
        break;
    }
  return TRUE;
}

/* ---- folders ------------------------------------------------------------------------------ */

/* TRUE when @st, an entry of the folder @dir, was put there by another user in a sticky
 * world-writable folder (/tmp): a FIFO, socket, symlink or file of theirs in the way of a name
 * would receive what is written to it. The kernel's protected_fifos, protected_regular and
 * protected_symlinks refuse these to O_CREAT, where they are set. */
static gboolean
planted (const struct stat *st, const struct stat *dir)
{
  return (dir->st_mode & (S_ISVTX | S_IWOTH)) == (S_ISVTX | S_IWOTH) && st->st_uid != geteuid ()
         && st->st_uid != dir->st_uid;
}

/* Opens the folder @dir as named (symlinks followed); -1 with @error. */
static int
open_named_dir (const char *dir, GError **error)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 && errno == EACCES)
    fd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC); /* a folder we may search, not list */
  if (fd < 0)
    {
      g_autofree char *shown = escaped (dir);
      errno_error (error, errno, "cannot open the folder %s", shown);
    }
  return fd;
}

/* Opens @names[0..@n) below @fd one folder at a time, never through a symlink; with @create,
 * makes the folders that are missing. Takes @fd. -1 with @error. */
static int
descend (int fd, char *const *names, guint n, gboolean create, GError **error)
{
  for (guint i = 0; i < n && fd >= 0; i++)
    {
      int next;
      g_autofree char *shown = escaped (names[i]);

      if (*names[i] == '\0' || strcmp (names[i], ".") == 0)
        continue;
      if (create && mkdirat (fd, names[i], 0777) != 0 && errno != EEXIST)
        next = -1, errno_error (error, errno, "cannot create the folder %s", shown);
      else if ((next = openat (fd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        {
          if (errno == ELOOP || errno == ENOTDIR)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                         "%s is a symlink or not a folder: not followed", shown);
          else
            errno_error (error, errno, "cannot open the folder %s", shown);
        }
      close (fd);
      fd = next;
    }
  return fd;
}

/* FALSE with @error when the symlink @path (@st) was planted by another user in a sticky
 * folder: root's `-o /tmp/out.eml` would replace whatever it points to (/etc/passwd). */
static gboolean
trusted_symlink (const char *path, const struct stat *st, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *shown = NULL;
  struct stat folder;

  if (stat (parent, &folder) != 0 || !planted (st, &folder))
    return TRUE;
  shown = escaped (path);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
               "%s is a symlink of another user (uid %u) in a sticky folder: not followed", shown,
               (guint) st->st_uid);
  return FALSE;
}

/* The folder that holds @path, and in *@base its name there. When @path is @top (it was named
 * on the command line) its folder is followed as named, and with @resolve so is @path itself
 * when it is a symlink; below @top, no symlink is followed. -1 with @error. */
static int
open_parent (const char *path, const char *top, gboolean resolve, char **base, char **shown_dir,
             GError **error)
{
  g_autofree char *real = NULL, *dir = NULL;
  g_auto (GStrv) names = NULL;
  const char *rel;
  guint n;
  int fd;
  struct stat st;

  if (strcmp (path, top) == 0)
    {
      if (resolve && lstat (path, &st) == 0 && S_ISLNK (st.st_mode))
        {
          char *r;

          if (!trusted_symlink (path, &st, error))
            return -1;
          r = realpath (path, NULL);
          if (r == NULL)
            return errno_error (error, errno, "cannot follow the symlink"), -1;
          path = real = g_strdup (r);
          free (r);
        }
      dir = g_path_get_dirname (path);
      *base = g_path_get_basename (path);
      *shown_dir = escaped (dir);
      return open_named_dir (dir, error);
    }
  /* A path the walk found: TOP/a/b/name. */
  if (!g_str_has_prefix (path, top))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "not below the path named");
      return -1;
    }
  for (rel = path + strlen (top); *rel == '/'; rel++)
    ;
  names = g_strsplit (rel, "/", -1);
  n = g_strv_length (names);
  dir = g_path_get_dirname (path);
  *shown_dir = escaped (dir);
  fd = open_named_dir (top, error);
  if (fd >= 0)
    fd = descend (fd, names, n - 1, FALSE, error);
  *base = g_strdup (names[n - 1]);
  return fd;
}

/* ---- temporaries -------------------------------------------------------------------------- */

static void
random_temp_name (char *name)
{
  static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  strcpy (name, TEMP_PREFIX);
  for (guint i = 0; i < TEMP_RANDOM; i++)
    name[strlen (TEMP_PREFIX) + i] = chars[g_random_int_range (0, sizeof chars - 1)];
  name[strlen (TEMP_PREFIX) + TEMP_RANDOM] = '\0';
}

/* Gives the temporary a name: creates it (@fd -1), or links the unnamed one. */
static gboolean
name_temp (EmlintTarget *t, GError **error)
{
  for (guint tries = 0; tries < 100; tries++)
    {
      int r;

      random_temp_name (t->temp);
      block_signals (TRUE);
      if (!t->unnamed)
        r = t->out_fd = openat (t->dir_fd, t->temp,
                                O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      else
        {
          char proc[64];

          /* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; /proc does the same for anyone. */
          r = linkat (t->out_fd, "", t->dir_fd, t->temp, AT_EMPTY_PATH);
          if (r != 0 && errno != EEXIST)
            {
              g_snprintf (proc, sizeof proc, "/proc/self/fd/%d", t->out_fd);
              r = linkat (AT_FDCWD, proc, t->dir_fd, t->temp, AT_SYMLINK_FOLLOW);
            }
        }
      if (r >= 0)
        t->temp_slot = hold (t->dir_fd, t->temp);
      block_signals (FALSE);
      if (r >= 0)
        {
          t->unnamed = FALSE;
          return TRUE;
        }
      if (errno != EEXIST)
        break;
    }
  t->temp[0] = '\0';
  return errno_error (error, errno, "cannot create a temporary file in %s", t->shown_dir);
}

static gboolean
create_temp (EmlintTarget *t, GError **error)
{
  int flags = 0;

  /* An append-only folder takes the temporary's name but no rename over a file, nor the
   * temporary's removal: a copy of the mail would stay behind under a hidden name. */
  if (ioctl (t->dir_fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & (FS_APPEND_FL | FS_IMMUTABLE_FL)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "the folder %s is %s (chattr): emlint writes by a rename, which it refuses",
                   t->shown_dir, flags & FS_IMMUTABLE_FL ? "immutable" : "append-only");
      return FALSE;
    }
  t->out_fd = openat (t->dir_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (t->out_fd >= 0)
    {
      t->unnamed = TRUE;
      return TRUE;
    }
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    return errno_error (error, errno, "cannot create a temporary file in %s", t->shown_dir);
  return name_temp (t, error); /* a file system without O_TMPFILE */
}

/* ---- metadata ----------------------------------------------------------------------------- */

/* The names of @fd's extended attributes (none where the file system has none). */
static GPtrArray *
list_xattrs (int fd)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *buf = NULL;
  ssize_t n;

  do
    {
      n = flistxattr (fd, NULL, 0);
      if (n <= 0)
        return names;
      g_free (buf);
      buf = g_malloc ((gsize) n);
      n = flistxattr (fd, buf, (size_t) n);
    }
  while (n < 0 && errno == ERANGE);
  for (ssize_t i = 0; i < n; i += (ssize_t) strlen (buf + i) + 1)
    g_ptr_array_add (names, g_strdup (buf + i));
  return names;
}

static gboolean
has_name (GPtrArray *names, const char *name)
{
  return g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL);
}

/* Makes @to's extended attributes (POSIX ACLs are some) those of @from: the ones @to inherited
 * from its folder's default ACL go, every one of @from is copied. */
static gboolean
copy_xattrs (int from, int to, GError **error)
{
  g_autoptr (GPtrArray) names = list_xattrs (from);
  g_autoptr (GPtrArray) inherited = list_xattrs (to);

  for (guint i = 0; i < inherited->len; i++)
    if (!has_name (names, inherited->pdata[i]) && fremovexattr (to, inherited->pdata[i]) != 0)
      {
        g_autofree char *shown = escaped (inherited->pdata[i]);
        return errno_error (error, errno, "cannot remove the extended attribute %s", shown);
      }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autofree char *value = NULL;
      ssize_t n = fgetxattr (from, name, NULL, 0);

      if (n >= 0)
        {
          value = g_malloc ((gsize) n + 1);
          n = fgetxattr (from, name, value, (size_t) n);
        }
      if (n < 0 || fsetxattr (to, name, value, (size_t) n, 0) != 0)
        {
          g_autofree char *shown = escaped (name);
          return errno_error (error, errno, "cannot keep its extended attribute %s", shown);
        }
    }
  return TRUE;
}

/* In place: owner and group first (chown clears setuid and setgid; the mode then sets them),
 * extended attributes, mode, times (Maildir readers take the mtime as the delivery date). An
 * owner or group that cannot be kept refuses the file: it is never re-owned silently. */
static gboolean
keep_metadata (EmlintTarget *t, GError **error)
{
  const struct stat *like = &t->in_st;
  struct timespec times[2] = { like->st_atim, like->st_mtim };
  struct stat now;

  if (fchown (t->out_fd, like->st_uid, like->st_gid) != 0)
    {
      int err = errno;
      if (fstat (t->out_fd, &now) != 0 || now.st_uid != like->st_uid || now.st_gid != like->st_gid)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                       "cannot keep its owner %u and group %u (%s): left as it is",
                       (guint) like->st_uid, (guint) like->st_gid, g_strerror (err));
          return FALSE;
        }
    }
  if (!copy_xattrs (t->in_fd, t->out_fd, error))
    return FALSE;
  if (fchmod (t->out_fd, like->st_mode & 07777) != 0)
    return errno_error (error, errno, "chmod failed");
  if (futimens (t->out_fd, times) != 0)
    return errno_error (error, errno, "setting the times failed");
  return TRUE;
}

/* A copy takes its input's permissions (not setuid, setgid or sticky) less the umask, as cp
 * does; a new file from standard input gets the default. */
static gboolean
set_copy_mode (EmlintTarget *t, GError **error)
{
  mode_t mask = umask (0);
  mode_t mode = (t->has_in_st ? t->in_st.st_mode & 0777 : 0666) & ~mask; /* as cp does */

  umask (mask);
  return fchmod (t->out_fd, mode) == 0 || errno_error (error, errno, "chmod failed");
}

/* TRUE when the file open in @t->in_fd is as it was read (no size or mtime change). */
static gboolean
unwritten (EmlintTarget *t)
{
  struct stat now;

  return fstat (t->in_fd, &now) == 0 && now.st_size == t->in_st.st_size
         && now.st_mtim.tv_sec == t->in_st.st_mtim.tv_sec
         && now.st_mtim.tv_nsec == t->in_st.st_mtim.tv_nsec;
}

/* TRUE when @name in @t->dir_fd is the file that was read, as it was read. */
static gboolean
holds_input (EmlintTarget *t, const char *name)
{
  struct stat named;

  return fstatat (t->dir_fd, name, &named, AT_SYMLINK_NOFOLLOW) == 0
         && named.st_dev == t->in_st.st_dev && named.st_ino == t->in_st.st_ino && unwritten (t);
}

static gboolean
changed_error (GError **error)
{
  g_set_error_literal (
    error, G_IO_ERROR, G_IO_ERROR_WOULD_MERGE,
    "changed since it was read (written to, renamed or replaced): left as it is");
  return FALSE;
}

/* In place: the name must still hold the file that was read, unchanged (a Maildir reader
 * renamed it, a user swapped it for a symlink, an agent that ignores the locks appended).
 * The temporary and the name then trade places in one step (RENAME_EXCHANGE), and what comes
 * out must again be that file, else they trade back: no instant lies between the check and the
 * rename, and a name that vanished is not made again. A file system that cannot exchange gets
 * the check just before a plain rename. */
static gboolean
swap_in (EmlintTarget *t, GError **error)
{
  if (!holds_input (t, t->base))
    return changed_error (error);
  if (renameat2 (t->dir_fd, t->temp, t->dir_fd, t->base, RENAME_EXCHANGE) != 0)
    {
      if (errno == ENOENT)
        return changed_error (error);
      if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return errno_error (error, errno, "rename failed");
      return renameat (t->dir_fd, t->temp, t->dir_fd, t->base) == 0
             || errno_error (error, errno, "rename failed");
    }
  if (!holds_input (t, t->temp))
    {
      if (renameat2 (t->dir_fd, t->temp, t->dir_fd, t->base, RENAME_EXCHANGE) != 0)
        {
          /* What came out is not ours to remove: it stays under the temporary's name. */
          errno_error (error, errno,
                       "changed in the instant of the rename, and what was there "
                       "is now %s",
                       t->temp);
          unhold (&t->temp_slot);
          t->temp[0] = '\0';
          return FALSE;
        }
      return changed_error (error);
    }
  unlinkat (t->dir_fd, t->temp, 0); /* the old file, now under the temporary's name */
  return TRUE;
}

/* ---- mbox locks --------------------------------------------------------------------------- */

static gboolean
is_mbox (int fd)
{
  char head[8];
  ssize_t n = pread (fd, head, sizeof head, 0);
  ssize_t skip = n >= 3 && memcmp (head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

  return n >= skip + 5 && memcmp (head + skip, "From ", 5) == 0;
}

static guint
lock_timeout (void)
{
  const char *s = g_getenv ("EMLINT_LOCK_TIMEOUT");
  guint64 n;

  return s != NULL && g_ascii_string_to_unsigned (s, 10, 0, 3600, &n, NULL) ? (guint) n
                                                                            : DEFAULT_LOCK_TIMEOUT;
}

gboolean
emlint_output_check_environment (GError **error)
{
  const char *s = g_getenv ("EMLINT_LOCK_TIMEOUT");
  g_autofree char *shown = NULL;

  if (s == NULL || g_ascii_string_to_unsigned (s, 10, 0, 3600, NULL, NULL))
    return TRUE;
  shown = escaped (s);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "EMLINT_LOCK_TIMEOUT takes whole seconds from 0 to 3600, not '%s'", shown);
  return FALSE;
}

/* When the dotlock @name holds the pid of a process that no longer runs here (a killed
 * emlint or agent writes its pid), a note that says so, for the operator to remove it: it is
 * never broken here (it may be another host's, on a shared spool). Else "". A new string. */
static char *
stale_dotlock_note (int dir_fd, const char *name, const char *shown)
{
  char text[32] = "";
  int fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  ssize_t n = fd >= 0 ? read (fd, text, sizeof text - 1) : -1;
  gint64 pid;
  char *end;

  if (fd >= 0)
    close (fd);
  text[MAX (n, 0)] = '\0';
  pid = g_ascii_strtoll (text, &end, 10);
  if (n <= 0 || end == text || pid <= 0 || pid > G_MAXINT || kill ((pid_t) pid, 0) == 0
      || errno != ESRCH)
    return g_strdup ("");
  return g_strdup_printf ("; %s names process %" G_GINT64_FORMAT
                          ", which no longer runs here: remove it if no program on another host "
                          "holds the mbox",
                          shown, pid);
}

/* Locks the mbox as Debian policy 11.6 says its delivery agents do: an fcntl lock, then a
 * dotlock FILE.lock made with O_EXCL. Neither is waited for while the other is held, so an
 * agent that takes them in the other order cannot deadlock with us; after the timeout the file
 * is refused. A stale dotlock is not broken: that is for the agents, which know their own. */
static gboolean
lock_mbox (EmlintTarget *t, GError **error)
{
  struct flock whole = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  struct flock none = { .l_type = F_UNLCK, .l_whence = SEEK_SET };
  g_autofree char *name = g_strconcat (t->base, ".lock", NULL);
  g_autofree char *shown = escaped (name);
  guint timeout = lock_timeout ();
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;

  for (;;)
    {
      if (fcntl (t->in_fd, F_SETLK, &whole) == 0)
        {
          int fd, err;

          block_signals (TRUE);
          fd = openat (t->dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
          err = errno;
          if (fd >= 0)
            {
              t->lock_slot = hold (t->dir_fd, name);
              t->lock_name = g_strdup (name);
            }
          block_signals (FALSE);
          if (fd >= 0)
            {
              g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());
              gboolean ok = write_all (fd, (const guint8 *) pid, strlen (pid), error);

              close (fd);
              return ok;
            }
          fcntl (t->in_fd, F_SETLK, &none);
          if (err != EEXIST)
            return errno_error (error, err, "cannot create the dotlock %s", shown);
        }
      else if (errno != EACCES && errno != EAGAIN)
        return errno_error (error, errno, "cannot lock it");
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *stale = stale_dotlock_note (t->dir_fd, name, shown);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       "still locked by another program after %u s (an fcntl lock or %s%s): "
                       "left as it is",
                       timeout, shown, stale);
          return FALSE;
        }
      g_usleep (G_USEC_PER_SEC / 50);
    }
}

/* ---- opening ------------------------------------------------------------------------------ */

static EmlintTarget *
target_new (void)
{
  EmlintTarget *t = g_new0 (EmlintTarget, 1);

  t->in_fd = t->dir_fd = t->out_fd = -1;
  t->temp_slot = t->lock_slot = -1;
  return t;
}

/* Connects to the socket at @base in @dir_fd (there is no connectat: /proc names the folder). */
static int
connect_socket (int dir_fd, const char *base)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;

  if ((gsize) g_snprintf (addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dir_fd, base)
      >= sizeof addr.sun_path)
    return errno = ENAMETOOLONG, -1;
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      int err = errno;
      close (fd);
      return errno = err, -1;
    }
  return fd;
}

gboolean
emlint_output_unplanted (const char *path, const char *option, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *shown = escaped (path);
  struct stat st, dir;

  if (strcmp (path, "-") == 0 || lstat (path, &st) != 0 || stat (parent, &dir) != 0
      || !planted (&st, &dir))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
               "%s %s belongs to another user (uid %u) in a sticky folder: not written", option,
               shown, (guint) st.st_uid);
  return FALSE;
}

/* Opens a destination that is no regular file as a stream. @named: the user named it (-o),
 * so a FIFO waits for its reader; a FIFO met any other way must have one already. */
static gboolean
open_stream (EmlintTarget *t, const struct stat *st, gboolean named, GError **error)
{
  g_autofree char *shown = escaped (t->base);
  struct stat dir;

  if (!S_ISCHR (st->st_mode) && fstat (t->dir_fd, &dir) == 0 && planted (st, &dir))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "%s is a %s of another user (uid %u) in a sticky folder: not written", shown,
                   S_ISFIFO (st->st_mode) ? "FIFO" : "socket", (guint) st->st_uid);
      return FALSE;
    }
  t->streaming = TRUE;
  if (S_ISSOCK (st->st_mode))
    t->out_fd = connect_socket (t->dir_fd, t->base);
  else
    t->out_fd = openat (t->dir_fd, t->base,
                        O_WRONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC | (named ? 0 : O_NONBLOCK));
  if (t->out_fd < 0)
    return errno_error (error, errno, "cannot open %s", shown);
  if (!named)
    fcntl (t->out_fd, F_SETFL, fcntl (t->out_fd, F_GETFL) & ~O_NONBLOCK);
  return TRUE;
}

/* Opens what goes to @t->base in @t->dir_fd: a temporary for a regular file or a new name, a
 * stream for a device, FIFO or socket. A symlink is not written through, nor a block device. */
static gboolean
open_destination (EmlintTarget *t, gboolean named, GError **error)
{
  g_autofree char *shown = escaped (t->base);
  struct stat st;

  if (fstatat (t->dir_fd, t->base, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? create_temp (t, error)
                           : errno_error (error, errno, "cannot look at %s", shown);
  if (S_ISREG (st.st_mode) && t->has_in_st && st.st_dev == t->in_st.st_dev
      && st.st_ino == t->in_st.st_ino)
    {
      /* A copy over its own input would replace the mail without --in-place's locks and
       * checks (-o a.eml a.eml, --output-dir ., a hard link). */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "%s is the input itself: not written (--in-place replaces an input)", shown);
      return FALSE;
    }
  if (S_ISREG (st.st_mode))
    return create_temp (t, error);
  if (S_ISLNK (st.st_mode) || S_ISDIR (st.st_mode) || S_ISBLK (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "%s is a %s: not written", shown,
                   S_ISLNK (st.st_mode)   ? "symlink"
                   : S_ISDIR (st.st_mode) ? "folder"
                                          : "block device");
      return FALSE;
    }
  return open_stream (t, &st, named, error);
}

typedef enum { OPENED, REPLACED, REFUSED } Opening;

/* Opens the input in place: a regular file, not through a symlink, read-write when we may
 * (*@later says why not). REPLACED: another program replaced it meanwhile; try again. */
static Opening
open_input_in_place (EmlintTarget *t, GError **later, GError **error)
{
  struct stat st, rw_st;
  int rw;

  t->in_fd = openat (t->dir_fd, t->base, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (t->in_fd < 0 && errno == ELOOP)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           "a symlink found in a folder: --in-place does not write through it");
      return REFUSED;
    }
  if (t->in_fd < 0 || fstat (t->in_fd, &st) != 0)
    return errno_error (error, errno, "cannot open it"), REFUSED;
  if (!S_ISREG (st.st_mode))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           "not a regular file: --in-place replaces regular files only");
      return REFUSED;
    }
  fcntl (t->in_fd, F_SETFL, fcntl (t->in_fd, F_GETFL) & ~O_NONBLOCK);
  rw = openat (t->dir_fd, t->base, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
  if (rw < 0)
    return errno_error (later, errno, "cannot fix in place"), OPENED;
  close (t->in_fd);
  t->in_fd = rw;
  if (fstat (rw, &rw_st) != 0 || rw_st.st_dev != st.st_dev || rw_st.st_ino != st.st_ino)
    return REPLACED;
  return OPENED;
}

/* TRUE when @name beside @t's folder is that folder itself. */
static gboolean
is_own_folder (EmlintTarget *t, const struct stat *here, const char *name)
{
  struct stat st;

  return fstatat (t->dir_fd, name, &st, 0) == 0 && st.st_dev == here->st_dev
         && st.st_ino == here->st_ino;
}

/* TRUE when @t is a message of a Maildir (its folder is the cur/ or new/ of a folder that has a
 * tmp/ too): Maildir takes no locks, and a dotlock there would show to readers as a message. */
static gboolean
in_maildir (EmlintTarget *t)
{
  struct stat here, tmp;

  return fstat (t->dir_fd, &here) == 0 && fstatat (t->dir_fd, "../tmp", &tmp, 0) == 0
         && S_ISDIR (tmp.st_mode)
         && (is_own_folder (t, &here, "../cur") || is_own_folder (t, &here, "../new"));
}

/* TRUE when @t's folder is a Maildir's tmp/, where a delivery agent is still writing the
 * message: a rename over it would be renamed into new/ by the agent, the agent's last writes
 * going to the old inode. */
static gboolean
in_maildir_tmp (EmlintTarget *t)
{
  struct stat here, cur;

  return fstat (t->dir_fd, &here) == 0 && fstatat (t->dir_fd, "../cur", &cur, 0) == 0
         && S_ISDIR (cur.st_mode) && is_own_folder (t, &here, "../tmp");
}

/* TRUE when the name holds the file @t->in_fd is open on. */
static gboolean
still_named (EmlintTarget *t)
{
  struct stat named, open;

  return fstatat (t->dir_fd, t->base, &named, AT_SYMLINK_NOFOLLOW) == 0
         && fstat (t->in_fd, &open) == 0 && named.st_dev == open.st_dev
         && named.st_ino == open.st_ino;
}

static void
unlock_mbox (EmlintTarget *t)
{
  if (t->lock_name != NULL)
    unlinkat (t->dir_fd, t->lock_name, 0);
  g_clear_pointer (&t->lock_name, g_free);
  unhold (&t->lock_slot);
  close (t->in_fd); /* the fcntl lock goes with it */
  t->in_fd = -1;
}

/* The files open in place, by device and inode: a file named twice (or by two names) waits for
 * its first fix to finish instead of for its own locks. Main thread only. */
static GHashTable *in_place_files;

/* The key of @fd's file; a new string. */
static char *
file_key (int fd)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return g_strdup ("");
  return g_strdup_printf ("%ju:%ju", (uintmax_t) st.st_dev, (uintmax_t) st.st_ino);
}

static gboolean
being_fixed (int fd)
{
  g_autofree char *key = file_key (fd);

  return in_place_files != NULL && g_hash_table_contains (in_place_files, key);
}

/* In place: the input is opened through its folder's descriptor (no symlink below the named
 * path), must be a regular file, and is locked when it is an mbox. Once locked, the name must
 * still hold the file opened (another fix may have replaced it while we waited): else it is
 * opened and locked again. What keeps the file from being written (no write permission, a
 * read-only folder) is kept for later: a file that needs no fix is no error. */
static gboolean
open_in_place (EmlintTarget *t, const char *path, const char *top, GError **error)
{
  GError *later = NULL;

  t->in_place = TRUE;
  t->dir_fd = open_parent (path, top, TRUE, &t->base, &t->shown_dir, error);
  if (t->dir_fd < 0)
    return FALSE;
  if (in_maildir_tmp (t))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           "in a Maildir's tmp/, a message still being delivered: left as it is");
      return FALSE;
    }
  for (guint tries = 0;; tries++)
    {
      Opening opened = open_input_in_place (t, &later, error);

      if (opened == REFUSED)
        return FALSE;
      if (being_fixed (t->in_fd))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING, "being fixed already");
          return FALSE;
        }
      if (opened == OPENED && (later != NULL || in_maildir (t) || !is_mbox (t->in_fd)))
        break;
      if (opened == OPENED && !lock_mbox (t, &later))
        {
          if (g_error_matches (later, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED)
              || g_error_matches (later, G_IO_ERROR, G_IO_ERROR_READ_ONLY))
            break; /* a folder we cannot write: nothing will be written */
          g_propagate_error (error, later);
          return FALSE;
        }
      if (opened == OPENED && still_named (t))
        break;
      unlock_mbox (t);
      if (tries == 100)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "replaced again and again while being locked: left as it is");
          return FALSE;
        }
    }
  if (fstat (t->in_fd, &t->in_st) != 0)
    return errno_error (error, errno, "cannot read its attributes");
  t->has_in_st = TRUE;
  if (in_place_files == NULL)
    in_place_files = g_hash_table_new (g_str_hash, g_str_equal);
  t->key = file_key (t->in_fd);
  g_hash_table_add (in_place_files, t->key);
  if (later == NULL)
    create_temp (t, &later);
  t->deferred = later;
  return TRUE;
}

/* -o, --suffix, --output-dir: the input is read as named; the copy goes to a name of its own. */
static gboolean
open_copy (EmlintTarget *t, EmlintDestination destination, const char *target, const char *path,
           const char *top, const char *shown, int fd, GError **error)
{
  gboolean is_stdin = strcmp (path, "-") == 0;

  if (!is_stdin)
    {
      /* What the walk opened (never through a symlink), else the path as named. */
      t->in_fd = fd >= 0 ? fcntl (fd, F_DUPFD_CLOEXEC, 0)
                         : open (path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
      if (t->in_fd < 0)
        return errno_error (error, errno, "cannot open it");
      t->has_in_st = fstat (t->in_fd, &t->in_st) == 0;
    }
  switch (destination)
    {
    case EMLINT_DEST_FILE:
      if (strcmp (target, "-") == 0)
        {
          t->out_fd = STDOUT_FILENO, t->streaming = TRUE;
          return TRUE;
        }
      t->dir_fd = open_parent (target, target, TRUE, &t->base, &t->shown_dir, error);
      break;
    case EMLINT_DEST_SUFFIX:
      {
        g_autofree char *input_base = NULL;

        if (is_stdin)
          goto no_stdin;
        t->dir_fd = open_parent (path, top, FALSE, &input_base, &t->shown_dir, error);
        t->base = g_strconcat (input_base, target, NULL);
        break;
      }
    case EMLINT_DEST_DIR:
      {
        /* Mirror the path as given below the folder: no root, no "..", no symlink. */
        g_auto (GStrv) names = g_strsplit (is_stdin ? shown : path, "/", -1);
        guint n = g_strv_length (names);

        if (g_strv_contains ((const char *const *) names, ".."))
          {
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                                 "a path with '..' would leave the output folder");
            return FALSE;
          }
        struct stat st;

        t->shown_dir = escaped (target);
        if (lstat (target, &st) == 0 && S_ISLNK (st.st_mode)
            && !trusted_symlink (target, &st, error))
          return FALSE;
        if (g_mkdir_with_parents (target, 0777) != 0)
          return errno_error (error, errno, "cannot create %s", t->shown_dir);
        t->dir_fd = open_named_dir (target, error);
        if (t->dir_fd >= 0)
          t->dir_fd = descend (t->dir_fd, names, n - 1, TRUE, error);
        t->base = g_strdup (names[n - 1]);
        break;
      }
    default:
    no_stdin:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "standard input can be fixed only with -o or --output-dir");
      return FALSE;
    }
  return t->dir_fd >= 0 && open_destination (t, destination == EMLINT_DEST_FILE, error);
}

gboolean
emlint_output_apart (const char *output, const char *option, char *const *inputs, GError **error)
{
  struct stat out_st, in_st;

  if (output == NULL || strcmp (output, "-") == 0 || stat (output, &out_st) != 0
      || !S_ISREG (out_st.st_mode))
    return TRUE; /* a new file, a device or a FIFO: no input is lost */
  for (guint i = 0; inputs != NULL && inputs[i] != NULL; i++)
    if (strcmp (inputs[i], "-") != 0 && stat (inputs[i], &in_st) == 0
        && in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino)
      {
        g_autofree char *shown = escaped (output);

        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     "%s %s is also an input: writing it would destroy that mail", option, shown);
        return FALSE;
      }
  return TRUE;
}

void
emlint_output_hold_std_fds (void)
{
  for (int fd = 0; fd <= 2; fd++)
    if (fcntl (fd, F_GETFD) < 0 && errno == EBADF)
      {
        /* /dev/null the wrong way round: a read or write fails as on the closed descriptor. */
        int null = open ("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_NOCTTY);

        if (null >= 0 && null != fd)
          {
            dup2 (null, fd);
            close (null);
          }
      }
}

gboolean
emlint_output_distinct (const char *a, const char *a_option, const char *b, const char *b_option,
                        GError **error)
{
  g_autofree char *a_name = NULL, *b_name = NULL, *shown = NULL;
  struct stat a_st, b_st;

  if (a == NULL || b == NULL)
    return TRUE;
  a_name = g_canonicalize_filename (a, NULL);
  b_name = g_canonicalize_filename (b, NULL);
  if (strcmp (a_name, b_name) != 0
      && (stat (a, &a_st) != 0 || stat (b, &b_st) != 0 || a_st.st_dev != b_st.st_dev
          || a_st.st_ino != b_st.st_ino))
    return TRUE;
  shown = escaped (a);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               "%s and %s name the same file (%s): one would destroy the other", a_option, b_option,
               shown);
  return FALSE;
}

EmlintTarget *
emlint_target_open (EmlintDestination destination, const char *target, const char *path,
                    const char *top, const char *shown, int fd, GError **error)
{
  EmlintTarget *t = target_new ();
  gboolean ok;

  if (destination == EMLINT_DEST_IN_PLACE && strcmp (path, "-") == 0)
    ok = open_copy (t, EMLINT_DEST_FILE, "-", path, top, shown, -1, error); /* to stdout */
  else if (destination == EMLINT_DEST_IN_PLACE)
    ok = open_in_place (t, path, top, error);
  else
    ok = open_copy (t, destination, target, path, top, shown, fd, error);
  if (!ok)
    {
      emlint_target_discard (t);
      return NULL;
    }
  /* Never plain text under a .gz name, nor a .gz input repaired into plain text. */
  if (emlint_path_is_gzip (path) || (t->base != NULL && emlint_path_is_gzip (t->base)))
    t->gzip = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1));
  return t;
}

int
emlint_target_input (const EmlintTarget *t)
{
  return t->in_fd;
}

gboolean
emlint_target_write (EmlintTarget *t, const void *data, gsize len, GError **error)
{
  GError *failure = NULL;
  gboolean ok;

  if (t->deferred != NULL || len == 0)
    return TRUE;
  ok = t->gzip != NULL ? write_compressed (t, data, len, FALSE, &failure)
                       : write_all (t->out_fd, data, len, &failure);
  if (ok)
    return TRUE;
  if (t->in_place && !t->streaming)
    t->deferred = failure; /* reported if the file needs a fix, and only then */
  else
    g_propagate_error (error, failure);
  return t->deferred != NULL;
}

/* Metadata, fsync, the check, the rename. */
static gboolean
replace (EmlintTarget *t, GError **error)
{
  if (!(t->in_place ? keep_metadata (t, error) : set_copy_mode (t, error)))
    return FALSE;
  if (fsync (t->out_fd) != 0)
    return errno_error (error, errno, "fsync failed");
  if (t->in_place && !holds_input (t, t->base))
    return changed_error (error); /* before the temporary gets a name */
  if (t->unnamed && !name_temp (t, error))
    return FALSE;
  if (t->in_place)
    {
      if (!swap_in (t, error))
        return FALSE;
    }
  else if (renameat (t->dir_fd, t->temp, t->dir_fd, t->base) != 0)
    return errno_error (error, errno, "rename failed");
  unhold (&t->temp_slot); /* renamed: nothing to remove */
  t->temp[0] = '\0';
  return TRUE;
}

gboolean
emlint_target_commit (EmlintTarget *t, GError **error)
{
  gboolean ok = TRUE;

  if (t->deferred != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&t->deferred));
      ok = FALSE;
    }
  if (ok && t->gzip != NULL)
    ok = write_compressed (t, NULL, 0, TRUE, error);
  if (ok && !t->streaming)
    ok = replace (t, error);
  if (ok && t->streaming && t->out_fd != STDOUT_FILENO)
    {
      int fd = t->out_fd;
      t->out_fd = -1;
      if (close (fd) != 0)
        ok = errno_error (error, errno, "close failed");
    }
  emlint_target_discard (t);
  return ok;
}

void
emlint_target_discard (EmlintTarget *t)
{
  if (t == NULL)
    return;
  if (t->out_fd >= 0 && t->out_fd != STDOUT_FILENO)
    close (t->out_fd);
  if (t->temp[0] != '\0')
    unlinkat (t->dir_fd, t->temp, 0);
  unhold (&t->temp_slot);
  if (t->in_fd >= 0)
    unlock_mbox (t); /* the dotlock first, then the fcntl lock with the fd */
  if (t->key != NULL)
    g_hash_table_remove (in_place_files, t->key);
  g_free (t->key);
  if (t->dir_fd >= 0)
    close (t->dir_fd);
  g_clear_object (&t->gzip);
  g_clear_error (&t->deferred);
  g_free (t->base);
  g_free (t->shown_dir);
  g_free (t);
}
