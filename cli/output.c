/* output.c: atomic replacement of files. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct _EmlintOutput {
  int fd;
  char *dest;
  char *temp;              /* NULL when writing to stdout */
  gboolean has_like;
  gboolean keep_owner_and_time;
  struct stat like;
};

/* The temporary being written, for the signal handler (one writer at a time). */
static char *volatile active_temp;

static void
remove_temp_and_die (int sig)
{
  char *temp = active_temp;

  if (temp != NULL)
    unlink (temp);
  signal (sig, SIG_DFL);
  raise (sig);
}

void
emlint_output_install_signal_handlers (void)
{
  signal (SIGINT, remove_temp_and_die);
  signal (SIGTERM, remove_temp_and_die);
  signal (SIGHUP, remove_temp_and_die);
}

/* Sets @error to "@what: strerror(errno)"; returns FALSE. */
static gboolean
set_errno_error (GError **error, const char *what)
{
  int saved = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", what,
               g_strerror (saved));
  return FALSE;
}

static mode_t
current_umask (void)
{
  mode_t mask = umask (0);

  umask (mask);
  return mask;
}

EmlintOutput *
emlint_output_open (const char *dest, const char *like, gboolean keep_owner_and_time,
                    GError **error)
{
  EmlintOutput *output = g_new0 (EmlintOutput, 1);
  g_autofree char *dir = NULL, *base = NULL;

  output->dest = g_strdup (dest);
  output->keep_owner_and_time = keep_owner_and_time;
  if (strcmp (dest, "-") == 0)
    {
      output->fd = STDOUT_FILENO;
      return output;
    }
  if (like != NULL)
    {
      if (stat (like, &output->like) != 0)
        {
          set_errno_error (error, "cannot read its attributes");
          emlint_output_abort (output);
          return NULL;
        }
      output->has_like = TRUE;
    }
  dir = g_path_get_dirname (dest);
  base = g_path_get_basename (dest);
  output->temp = g_strdup_printf ("%s/.%s.emlint-XXXXXX", dir, base);
  active_temp = output->temp;
  output->fd = g_mkstemp_full (output->temp, O_RDWR | O_CLOEXEC, 0600);
  if (output->fd < 0)
    {
      g_autofree char *what = g_strdup_printf ("cannot create a temporary file in %s", dir);
      set_errno_error (error, what);
      active_temp = NULL;
      g_clear_pointer (&output->temp, g_free);
      emlint_output_abort (output);
      return NULL;
    }
  return output;
}

gboolean
emlint_output_write (EmlintOutput *output, const void *data, gsize len, GError **error)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t n = write (output->fd, p, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, "write failed");
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

/* Mode always; owner, group and times when asked (Maildir readers take the mtime as the delivery
 * date). A chown that fails (not root) is not an error: the file keeps our ownership. */
static gboolean
copy_attributes (EmlintOutput *output, GError **error)
{
  if (!output->has_like)
    return fchmod (output->fd, 0666 & ~current_umask ()) == 0
           || set_errno_error (error, "chmod failed");
  if (fchmod (output->fd, output->like.st_mode & 07777) != 0)
    return set_errno_error (error, "chmod failed");
  if (output->keep_owner_and_time)
    {
      struct timespec times[2] = { output->like.st_atim, output->like.st_mtim };
      if (fchown (output->fd, output->like.st_uid, output->like.st_gid) != 0 && errno != EPERM)
        return set_errno_error (error, "chown failed");
      if (futimens (output->fd, times) != 0)
        return set_errno_error (error, "setting the times failed");
    }
  return TRUE;
}

gboolean
emlint_output_commit (EmlintOutput *output, GError **error)
{
  gboolean ok;

  if (output->temp == NULL)
    {
      g_free (output->dest);
      g_free (output);
      return TRUE;
    }
  ok = copy_attributes (output, error);
  if (ok && fsync (output->fd) != 0)
    ok = set_errno_error (error, "fsync failed");
  if (close (output->fd) != 0 && ok)
    ok = set_errno_error (error, "close failed");
  output->fd = -1;
  if (ok && rename (output->temp, output->dest) != 0)
    ok = set_errno_error (error, "rename failed");
  if (!ok)
    {
      emlint_output_abort (output);
      return FALSE;
    }
  active_temp = NULL;
  g_free (output->temp);
  g_free (output->dest);
  g_free (output);
  return TRUE;
}

void
emlint_output_abort (EmlintOutput *output)
{
  if (output == NULL)
    return;
  if (output->temp != NULL)
    {
      if (output->fd >= 0)
        close (output->fd);
      g_unlink (output->temp);
      active_temp = NULL;
      g_free (output->temp);
    }
  g_free (output->dest);
  g_free (output);
}
