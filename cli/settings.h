/* settings.h: what the command line runs with for one input: the core's configuration and the
 * front end's own part of the configuration file (where it was, per-path ignores). */
#pragma once

#include <glib.h>

#include "emlint.h"

G_BEGIN_DECLS

typedef struct {
  char *glob;
  gboolean *off; /* per rule (registry index) */
} EmlintPathIgnore;

typedef struct {
  EmlintLinter *linter;    /* rules, severities, thresholds: the core's, compiled */
  char *source;            /* the configuration file it was read from, or NULL */
  GPtrArray *path_ignores; /* of EmlintPathIgnore*: rules off for paths matching a glob */
  char **include;          /* directory walks also take files matching these globs; or NULL */
  char **exclude;          /* directory walks leave out names or paths matching these; or NULL */
} EmlintSettings;

/* The defaults. Free with emlint_settings_free(). */
EmlintSettings *emlint_settings_new (void);
void emlint_settings_free (EmlintSettings *settings);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmlintSettings, emlint_settings_free)

/* Reads the configuration file @path (README "Configuration") over @settings: the core's
 * keys (a linter of the file alone), then the walks' (include, exclude) and
 * [per-path-ignores]. FALSE with @error naming the file, the line and the key. */
gboolean emlint_settings_load (EmlintSettings *settings, const char *path, GError **error);
/* Makes the linter of the file loaded (if any) under @options (the command line's; their
 * config_file is ignored). FALSE with @error as libemlint words it: a wrong field's name first
 * ("msgid_domain ..."). */
gboolean emlint_settings_configure (EmlintSettings *settings, const EmlintOptions *options,
                                    GError **error);

/* The configuration file that applies to @input: the first .emlint.ini in its folder or a
 * parent folder, else $XDG_CONFIG_HOME/emlint/config.ini; NULL when there is none. */
char *emlint_settings_find (const char *input);

/* TRUE when a per-path ignore turns @rule off for @path. */
gboolean emlint_settings_path_ignores (const EmlintSettings *settings, const char *path,
                                       guint rule);
/* @path relative to the folder of the configuration file, as per-path globs also match it; a
 * copy of @path when it is outside that folder or there is no file. Free with g_free(). */
char *emlint_settings_relative_path (const EmlintSettings *settings, const char *path);
/* Drops from @diagnostics (of EmlintCliFinding*) the findings of rules that a per-path ignore
 * turns off for @path (as given) or @relative (from emlint_settings_relative_path()). */
void emlint_settings_drop_path_ignored (const EmlintSettings *settings, const char *path,
                                        const char *relative, GPtrArray *diagnostics);

G_END_DECLS
