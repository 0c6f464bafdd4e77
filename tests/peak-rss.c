/* peak-rss FILE COMMAND [ARG...]: runs COMMAND and writes its peak resident set size in KiB
 * (getrusage of the child, as GNU time's %M) to FILE; exits with the command's status (128 +
 * the signal when it was killed). For tests/test-memory.sh, without GNU time or python3. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  struct rusage usage;
  int status;
  pid_t pid;
  FILE *out;

  if (argc < 3)
    {
      fprintf (stderr, "usage: peak-rss FILE COMMAND [ARG...]\n");
      return 2;
    }
  pid = fork ();
  if (pid < 0)
    {
      perror ("peak-rss: fork");
      return 2;
    }
  if (pid == 0)
    {
      execvp (argv[2], argv + 2);
      perror ("peak-rss: exec");
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &usage) < 0)
    {
      perror ("peak-rss: wait4");
      return 2;
    }
  if ((out = fopen (argv[1], "w")) == NULL || fprintf (out, "%ld\n", usage.ru_maxrss) < 0
      || fclose (out) != 0)
    {
      perror (argv[1]);
      return 2;
    }
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}
