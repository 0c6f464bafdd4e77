/* replay.c: runs fuzz-emlint's checks over files and folders given on the command line (the
 * saved regression inputs, the corpus), without libFuzzer. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static guint
replay (const char *path)
{
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          n += replay (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      return n;
    }
  {
    g_autofree char *data = NULL;
    gsize len;

    if (!g_file_get_contents (path, &data, &len, NULL))
      return 0;
    LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
  }
  return 1;
}

int
main (int argc, char **argv)
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);
  printf ("fuzz-replay: %u inputs, every invariant held\n", n);
  /* The plain closing line a test runner reads. */
  printf ("%u passed, 0 failed\n", n);
  return n > 0 ? 0 : 1;
}
