/* walk.c: directory walks (DESIGN.md "Inputs"). Each directory's entries are read and sorted
 * one directory at a time, so a walk over millions of files holds one directory's names. */
#include "input.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const mail_suffixes[] = { ".eml", ".msg", ".mbox", ".mbx" };

static const char *const skip_names[EMLINT_SKIP_N_REASONS] = {
  [EMLINT_SKIP_NOT_MAIL] = "not mail by name",
  [EMLINT_SKIP_EXCLUDED] = "excluded",
  [EMLINT_SKIP_TMP] = "Maildir tmp/",
  [EMLINT_SKIP_DOT] = "dot-entries",
  [EMLINT_SKIP_SPECIAL] = "not regular files",
  [EMLINT_SKIP_UNREADABLE] = "unreadable",
  [EMLINT_SKIP_LOOP] = "symlink loops",
};

const char *
emlint_walk_skip_name (EmlintWalkSkip reason)
{
  return skip_names[reason];
}

typedef struct {
  const EmlintWalkOptions *options;
  EmlintPathFunc each;
  EmlintWalkErrorFunc on_error;
  gpointer user_data;
  GArray *stack;      /* of dev_t/ino_t pairs of the directories being walked: loop guard */
} Walk;

typedef struct {
  dev_t dev;
  ino_t ino;
} DirId;

static gboolean
matches_any (char *const *globs, const char *name, const char *path)
{
  for (guint i = 0; globs != NULL && globs[i] != NULL; i++)
    if (g_pattern_match_simple (globs[i], name) || g_pattern_match_simple (globs[i], path))
      return TRUE;
  return FALSE;
}

static gboolean
is_dir (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_DIR);
}

static gboolean
is_maildir (const char *dir)
{
  g_autofree char *cur = g_build_filename (dir, "cur", NULL);
  g_autofree char *new_dir = g_build_filename (dir, "new", NULL);

  /* A folder mid-delivery may lack one of them; tmp/ alone says nothing. */
  return is_dir (cur) || is_dir (new_dir);
}

/* A mail file name: one of mail_suffixes or an include glob, also with ".gz" after it. */
static gboolean
is_mail_name (Walk *w, const char *name, const char *path)
{
  g_autofree char *plain = g_str_has_suffix (name, ".gz")
                               ? g_strndup (name, strlen (name) - strlen (".gz")) : NULL;
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

/* The names in @dir, sorted by bytes; NULL (and the error reported) when it cannot be read. */
static GPtrArray *
sorted_entries (Walk *w, const char *dir)
{
  GError *error = NULL;
  GDir *d = g_dir_open (dir, 0, &error);
  GPtrArray *names;
  const char *name;

  if (d == NULL)
    {
      w->on_error (dir, error, w->user_data);
      g_error_free (error);
      skip (w, EMLINT_SKIP_UNREADABLE);
      return NULL;
    }
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (d);
  g_ptr_array_sort (names, compare_names);
  return names;
}

static gboolean walk_dir (Walk *w, const char *dir, gboolean mail_folder);

/* One entry of @dir. @in_maildir: @dir is a Maildir; @mail_folder: it is a Maildir's cur/ or
 * new/, where every file is a message whatever its name. */
static gboolean
walk_entry (Walk *w, const char *dir, const char *name, gboolean in_maildir, gboolean mail_folder)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  if (matches_any (w->options ? w->options->exclude : NULL, name, path))
    return skip (w, EMLINT_SKIP_EXCLUDED);
  if (g_stat (path, &st) != 0)
    {
      walk_error (w, path, errno);
      return TRUE;
    }
  if (S_ISDIR (st.st_mode))
    {
      if (name[0] == '.')  /* a Maildir++ folder, or skipped */
        return is_maildir (path) ? walk_dir (w, path, FALSE) : skip (w, EMLINT_SKIP_DOT);
      if (in_maildir && strcmp (name, "tmp") == 0)
        return skip (w, EMLINT_SKIP_TMP);  /* messages still being delivered */
      return walk_dir (w, path, in_maildir && (strcmp (name, "cur") == 0
                                               || strcmp (name, "new") == 0));
    }
  if (name[0] == '.')
    return skip (w, EMLINT_SKIP_DOT);
  if (!S_ISREG (st.st_mode))
    return skip (w, EMLINT_SKIP_SPECIAL);
  if (mail_folder || is_mail_name (w, name, path))
    return w->each (path, w->user_data);
  return skip (w, EMLINT_SKIP_NOT_MAIL);
}

static gboolean
walk_dir (Walk *w, const char *dir, gboolean mail_folder)
{
  g_autoptr (GPtrArray) names = NULL;
  GStatBuf st;
  DirId id;
  gboolean in_maildir, go_on = TRUE;

  if (g_stat (dir, &st) != 0)
    {
      walk_error (w, dir, errno);
      return TRUE;
    }
  id = (DirId) { st.st_dev, st.st_ino };
  for (guint i = 0; i < w->stack->len; i++)
    {
      DirId *seen = &g_array_index (w->stack, DirId, i);
      if (seen->dev == id.dev && seen->ino == id.ino)
        return skip (w, EMLINT_SKIP_LOOP);  /* this directory is already being walked */
    }
  names = sorted_entries (w, dir);
  if (names == NULL)
    return TRUE;
  in_maildir = is_maildir (dir);
  g_array_append_val (w->stack, id);
  for (guint i = 0; i < names->len && go_on; i++)
    go_on = walk_entry (w, dir, g_ptr_array_index (names, i), in_maildir, mail_folder);
  g_array_set_size (w->stack, w->stack->len - 1);
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
  Walk w = { options, each, on_error, user_data, g_array_new (FALSE, FALSE, sizeof (DirId)) };
  gboolean go_on;

  if (strcmp (path, "-") != 0 && is_dir (path))
    go_on = walk_dir (&w, path, is_mail_folder (path));
  else
    go_on = each (path, user_data);
  g_array_unref (w.stack);
  return go_on;
}
