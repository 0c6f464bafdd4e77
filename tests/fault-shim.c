/* fault-shim.c: an LD_PRELOAD library that makes one system call fail, for the tests that show a
 * failed write loses nothing (root passes every permission check, so permissions cannot stand
 * in for a full disk or a failing rename). EMLINT_FAULT names the call: write, fsync or renameat (renameat2 too);
 * it fails with EMLINT_FAULT_ERRNO (default EIO) on files whose path or descriptor belongs to a
 * temporary emlint file. EMLINT_FAULT=fsync-run runs the shell command EMLINT_FAULT_RUN when
 * emlint fsyncs its temporary (after reading, before the rename), to make a race certain.
 * EMLINT_FAULT=otmpfile makes O_TMPFILE unsupported (EOPNOTSUPP), as on some file systems, so
 * that emlint makes named temporaries. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
fault_errno (void)
{
  const char *e = getenv ("EMLINT_FAULT_ERRNO");
  return e ? atoi (e) : EIO;
}

static int
faulting (const char *call)
{
  const char *f = getenv ("EMLINT_FAULT");
  return f != NULL && strcmp (f, call) == 0;
}

/* TRUE when @fd is open on one of emlint's temporary files: an unnamed one (O_TMPFILE, which
 * /proc shows as "/dir/#12345 (deleted)") or a named one (".emlint-XXXXXX"). */
static int
is_temporary (int fd)
{
  char link[64], path[4096];
  ssize_t n;

  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, path, sizeof path - 1);
  if (n < 0)
    return 0;
  path[n] = '\0';
  return strstr (path, ".emlint-") != NULL
         || (strstr (path, "/#") != NULL && strstr (path, " (deleted)") != NULL);
}

/* Runs EMLINT_FAULT_RUN once (a race made certain), without the shim. */
static void
run_command (void)
{
  char *command = getenv ("EMLINT_FAULT_RUN");

  unsetenv ("LD_PRELOAD");
  unsetenv ("EMLINT_FAULT");
  if (command != NULL && system (command) != 0)
    fprintf (stderr, "fault-shim: '%s' failed\n", command);
}

ssize_t
write (int fd, const void *buf, size_t len)
{
  static ssize_t (*real) (int, const void *, size_t);

  if (real == NULL)
    real = (ssize_t (*) (int, const void *, size_t)) dlsym (RTLD_NEXT, "write");
  if (faulting ("write") && is_temporary (fd))
    {
      errno = fault_errno ();
      return -1;
    }
  return real (fd, buf, len);
}

int
fsync (int fd)
{
  static int (*real) (int);

  if (real == NULL)
    real = (int (*) (int)) dlsym (RTLD_NEXT, "fsync");
  if (faulting ("fsync-run") && is_temporary (fd))
    run_command (); /* another process acts between emlint's read and its rename */
  if (faulting ("fsync") && is_temporary (fd))
    {
      errno = fault_errno ();
      return -1;
    }
  return real (fd);
}

int
renameat (int from_dir, const char *from, int to_dir, const char *to)
{
  static int (*real) (int, const char *, int, const char *);

  if (real == NULL)
    real = (int (*) (int, const char *, int, const char *)) dlsym (RTLD_NEXT, "renameat");
  if (faulting ("renameat") && strstr (from, ".emlint-") != NULL)
    {
      errno = fault_errno ();
      return -1;
    }
  return real (from_dir, from, to_dir, to);
}

int
renameat2 (int from_dir, const char *from, int to_dir, const char *to, unsigned int flags)
{
  static int (*real) (int, const char *, int, const char *, unsigned int);

  if (real == NULL)
    real = (int (*) (int, const char *, int, const char *, unsigned int)) dlsym (RTLD_NEXT,
                                                                                 "renameat2");
  if (faulting ("renameat2-run") && strstr (from, ".emlint-") != NULL)
    run_command (); /* the race in the very instant of the rename */
  if (faulting ("renameat") && strstr (from, ".emlint-") != NULL)
    {
      errno = fault_errno ();
      return -1;
    }
  return real (from_dir, from, to_dir, to, flags);
}

int
openat (int dir, const char *path, int flags, ...)
{
  static int (*real) (int, const char *, int, ...);
  mode_t mode = 0;

  if (real == NULL)
    real = (int (*) (int, const char *, int, ...)) dlsym (RTLD_NEXT, "openat");
  if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
    {
      va_list args;
      va_start (args, flags);
      mode = va_arg (args, mode_t);
      va_end (args);
    }
  if (faulting ("otmpfile") && (flags & O_TMPFILE) == O_TMPFILE)
    {
      errno = EOPNOTSUPP;
      return -1;
    }
  return real (dir, path, flags, mode);
}
