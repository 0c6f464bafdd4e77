/* settings.c: the configuration file's front-end part: where it is, the walks' globs, and
 * per-path ignores. */
#include "settings.h"

#include "finding.h"

#include <string.h>

#define CONFIG_NAME ".emlint.ini"
#define PATH_IGNORES "per-path-ignores"

static void
path_ignore_free (gpointer data)
{
  EmlintPathIgnore *ignore = data;

  g_free (ignore->glob);
  g_free (ignore->off);
  g_free (ignore);
}

EmlintSettings *
emlint_settings_new (void)
{
  EmlintSettings *settings = g_new0 (EmlintSettings, 1);

  settings->path_ignores = g_ptr_array_new_with_free_func (path_ignore_free);
  return settings;
}

void
emlint_settings_free (EmlintSettings *settings)
{
  if (settings == NULL)
    return;
  emlint_linter_free (settings->linter);
  g_ptr_array_unref (settings->path_ignores);
  g_strfreev (settings->include);
  g_strfreev (settings->exclude);
  g_free (settings->source);
  g_free (settings);
}

/* [emlint] include and exclude: globs, each stripped. */
static void
load_globs (GKeyFile *file, const char *key, char ***globs)
{
  if (!g_key_file_has_key (file, "emlint", key, NULL))
    return;
  g_strfreev (*globs);
  *globs = g_key_file_get_string_list (file, "emlint", key, NULL, NULL);
  for (guint k = 0; (*globs)[k] != NULL; k++)
    g_strstrip ((*globs)[k]);
}

/* The rules named in the comma-separated @ids, as flags per registry index (the core has checked
 * the ids). Returns a new array. */
static gboolean *
parse_rules (const char *ids)
{
  g_auto (GStrv) parts = g_strsplit (ids, ",", -1);
  gboolean *off = g_new0 (gboolean, emlint_rule_count ());

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const EmlintRuleInfo *rule = emlint_rule_find (g_strstrip (parts[i]));
      if (rule != NULL)
        off[rule->index] = TRUE;
    }
  return off;
}

/* The front end's keys. The core has read the file without error. */
static gboolean
load_front_end (EmlintSettings *settings, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *text = NULL, *stripped = NULL;
  g_auto (GStrv) keys = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  stripped = emlint_config_strip_comments (text);
  if (!g_key_file_load_from_data (file, stripped, (gsize) -1, G_KEY_FILE_NONE, error))
    return FALSE;
  load_globs (file, "include", &settings->include);
  load_globs (file, "exclude", &settings->exclude);
  /* [per-path-ignores]: glob = rule ids. */
  keys = g_key_file_get_keys (file, PATH_IGNORES, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_string (file, PATH_IGNORES, keys[i], NULL);
      EmlintPathIgnore *ignore = g_new0 (EmlintPathIgnore, 1);

      ignore->glob = g_strdup (keys[i]);
      ignore->off = parse_rules (value);
      g_ptr_array_add (settings->path_ignores, ignore);
    }
  return TRUE;
}

/* A linter of @options over the file @path (NULL: none), or NULL with @error. */
static EmlintLinter *
linter_new (const EmlintOptions *options, const char *path, GError **error)
{
  EmlintOptions o;
  char *message = NULL;
  EmlintLinter *linter;

  if (options != NULL)
    o = *options;
  else
    emlint_options_init (&o);
  o.config_file = path;
  if ((linter = emlint_linter_new (&o, &message)) == NULL)
    g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  emlint_free (message);
  return linter;
}

gboolean
emlint_settings_load (EmlintSettings *settings, const char *path, GError **error)
{
  EmlintLinter *linter = linter_new (NULL, path, error);

  if (linter == NULL)
    return FALSE;
  emlint_linter_free (settings->linter);
  settings->linter = linter;
  g_free (settings->source);
  settings->source = g_strdup (path);
  return load_front_end (settings, path, error);
}

gboolean
emlint_settings_configure (EmlintSettings *settings, const EmlintOptions *options, GError **error)
{
  EmlintLinter *linter = linter_new (options, settings->source, error);

  if (linter == NULL)
    return FALSE;
  emlint_linter_free (settings->linter);
  settings->linter = linter;
  return TRUE;
}

char *
emlint_settings_find (const char *input)
{
  g_autofree char *dir = NULL;
  g_autofree char *user = NULL;

  if (strcmp (input, "-") == 0)
    dir = g_get_current_dir ();
  else
    {
      /* The path need not exist: --stdin-filename names a file as it will be. */
      g_autofree char *abs = g_canonicalize_filename (input, NULL);
      dir = g_file_test (abs, G_FILE_TEST_IS_DIR) ? g_strdup (abs) : g_path_get_dirname (abs);
    }
  for (;;)
    {
      g_autofree char *candidate = g_build_filename (dir, CONFIG_NAME, NULL);
      char *parent;

      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&candidate);
      parent = g_path_get_dirname (dir);
      if (strcmp (parent, dir) == 0)
        {
          g_free (parent);
          break;
        }
      g_free (dir);
      dir = parent;
    }
  user = g_build_filename (g_get_user_config_dir (), "emlint", "config.ini", NULL);
  return g_file_test (user, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&user) : NULL;
}

gboolean
emlint_settings_path_ignores (const EmlintSettings *settings, const char *path, guint rule)
{
  for (guint i = 0; i < settings->path_ignores->len; i++)
    {
      const EmlintPathIgnore *ignore = g_ptr_array_index (settings->path_ignores, i);
      if (ignore->off[rule] && g_pattern_match_simple (ignore->glob, path))
        return TRUE;
    }
  return FALSE;
}

char *
emlint_settings_relative_path (const EmlintSettings *settings, const char *path)
{
  g_autofree char *abs = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = settings->source ? g_path_get_dirname (settings->source) : NULL;
  g_autofree char *absdir = dir ? g_canonicalize_filename (dir, NULL) : NULL;
  gsize n = absdir ? strlen (absdir) : 0;

  if (absdir != NULL && strncmp (abs, absdir, n) == 0 && abs[n] == '/')
    return g_strdup (abs + n + 1);
  return g_strdup (path);
}

void
emlint_settings_drop_path_ignored (const EmlintSettings *settings, const char *path,
                                   const char *relative, GPtrArray *diagnostics)
{
  if (settings->path_ignores->len == 0)
    return;
  for (guint i = 0; i < diagnostics->len;)
    {
      const EmlintCliFinding *diag = g_ptr_array_index (diagnostics, i);
      guint rule = (guint) diag->rule->index;

      if (emlint_settings_path_ignores (settings, path, rule)
          || emlint_settings_path_ignores (settings, relative, rule))
        g_ptr_array_remove_index (diagnostics, i);
      else
        i++;
    }
}
