/* mbox-lock.c: a delivery agent for the tests, locking as Debian policy 11.6 says (an fcntl
 * lock and a dotlock MBOX.lock made with O_EXCL), in the order of procmail and Postfix local.
 *
 *   mbox-lock MBOX append N   appends N messages, each under the locks, taken anew each time
 *   mbox-lock MBOX hold SEC   takes the locks, prints "locked", holds them SEC seconds
 *
 * Each appended message has an In-Reply-To that emlint fixes, so that every emlint run that
 * sees it rewrites the file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
die (const char *what)
{
  perror (what);
  exit (2);
}

/* Returns the mbox descriptor, locked both ways: the dotlock first, then open and fcntl, as
 * procmail, Postfix local and Exim do. An agent that opens the mbox before it holds the
 * dotlock must check after locking that the name still holds the file it opened (README
 * "Safety"); this one needs not. */
static int
lock (const char *mbox, const char *dotlock)
{
  struct flock whole = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
  int fd, lock_fd;

  while ((lock_fd = open (dotlock, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
    {
      if (errno != EEXIST)
        die (dotlock);
      usleep (2000);
    }
  close (lock_fd);
  fd = open (mbox, O_RDWR | O_APPEND);
  if (fd < 0)
    die (mbox);
  if (fcntl (fd, F_SETLKW, &whole) != 0)
    die ("fcntl");
  return fd;
}

static void
unlock (int fd, const char *dotlock)
{
  if (unlink (dotlock) != 0)
    die ("unlink dotlock");
  close (fd); /* releases the fcntl lock */
}

int
main (int argc, char **argv)
{
  char dotlock[4096];
  long n;

  if (argc != 4)
    {
      fprintf (stderr, "usage: mbox-lock MBOX append N | mbox-lock MBOX hold SECONDS\n");
      return 2;
    }
  snprintf (dotlock, sizeof dotlock, "%s.lock", argv[1]);
  n = atol (argv[3]);
  if (strcmp (argv[2], "hold") == 0)
    {
      int fd = lock (argv[1], dotlock);
      printf ("locked\n");
      fflush (stdout);
      sleep ((unsigned) n);
      unlock (fd, dotlock);
      return 0;
    }
  for (long i = 0; i < n; i++)
    {
      char msg[512];
      int fd = lock (argv[1], dotlock);
      int len = snprintf (msg, sizeof msg,
                          "From agent@example.com Mon Oct  2 10:00:00 2023\n"
                          "From: agent@example.com\n"
                          "Date: Mon, 2 Oct 2023 10:00:00 +0000\n"
                          "Message-ID: <agent%ld@example.com>\n"
                          "In-Reply-To: =?utf-8?q?=3Cparent%ld=40example=2Ecom=3E?=\n"
                          "\n"
                          "appended %ld\n"
                          "\n",
                          i, i, i);
      if (write (fd, msg, (size_t) len) != len)
        die ("write");
      unlock (fd, dotlock);
      usleep (1000);
    }
  return 0;
}
