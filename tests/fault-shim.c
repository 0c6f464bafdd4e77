/* fault-shim.c: an LD_PRELOAD library that makes one system call fail, for the tests that show a
 * failed write loses nothing (root passes every permission check, so permissions cannot stand
 * in for a full disk or a failing rename). EMLINT_FAULT names the call: write, fsync or rename;
 * it fails with EMLINT_FAULT_ERRNO (default EIO) on files whose path or descriptor belongs to a
 * temporary emlint file. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE  /* RTLD_NEXT; the build defines it too (meson.build), a plain cc may not */
#endif
#include <dlfcn.h>
#include <errno.h>
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

/* TRUE when @fd is open on one of emlint's temporary files (".NAME.emlint-XXXXXX"). */
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
  return strstr (path, ".emlint-") != NULL;
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
  if (faulting ("fsync") && is_temporary (fd))
    {
      errno = fault_errno ();
      return -1;
    }
  return real (fd);
}

int
rename (const char *from, const char *to)
{
  static int (*real) (const char *, const char *);

  if (real == NULL)
    real = (int (*) (const char *, const char *)) dlsym (RTLD_NEXT, "rename");
  if (faulting ("rename") && strstr (from, ".emlint-") != NULL)
    {
      errno = fault_errno ();
      return -1;
    }
  return real (from, to);
}
