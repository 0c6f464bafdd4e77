/* config.c: defaults, rule selection. */
#include "config.h"

#include "msgid.h"
#include "rule.h"
#include "transit.h"

#include <string.h>

EmlintConfig *
emlint_config_new (void)
{
  EmlintConfig *config = g_new0 (EmlintConfig, 1);
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  config->severity = g_new (int, n);
  for (guint i = 0; i < n; i++)
    config->severity[i] = (int) rules[i]->severity;
  config->fail_on = EMLINT_ERROR;
  config->msgid_domain_max = 48;
  config->max_message_size = EMLINT_DEFAULT_MAX_MESSAGE_SIZE;
  config->max_findings_per_rule = EMLINT_DEFAULT_MAX_FINDINGS_PER_RULE;
  config->transit_fields = emlint_default_transit_fields ();
  return config;
}

void
emlint_config_free (EmlintConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->severity);
  g_free (config->msgid_domain);
  g_strfreev (config->transit_fields);
  g_strfreev (config->placeholders);
  g_free (config->fix_rules);
  g_free (config);
}

/* Parses a comma-separated list of rule ids into @chosen (one flag per registry entry). */
static gboolean
parse_rule_list (const char *ids, gboolean *chosen, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (ids, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *id = g_strstrip (parts[i]);
      const EmlintRule *rule;

      if (*id == '\0')
        continue;
      rule = emlint_rule_lookup (id);
      if (rule == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "unknown rule '%s' (see 'emlint rules')", id);
          return FALSE;
        }
      chosen[emlint_rule_index (rule)] = TRUE;
    }
  return TRUE;
}

gboolean
emlint_config_parse_rules (const char *ids, gboolean *chosen, GError **error)
{
  return parse_rule_list (ids, chosen, error);
}

/* Turns off the rules whose flag in the list equals @off_when. A selected rule that an earlier
 * setting turned off is on again at its default severity: a later selection (the command line
 * over the file) replaces an earlier one rather than narrowing it. */
static gboolean
apply_rule_list (EmlintConfig *config, const char *ids, gboolean off_when, GError **error)
{
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);
  g_autofree gboolean *chosen = NULL;

  chosen = g_new0 (gboolean, n);
  if (!parse_rule_list (ids, chosen, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (chosen[i] == off_when)
      config->severity[i] = EMLINT_SEVERITY_OFF;
    else if (!off_when && config->severity[i] == EMLINT_SEVERITY_OFF)
      config->severity[i] = (int) rules[i]->severity;
  return TRUE;
}

gboolean
emlint_config_select (EmlintConfig *config, const char *ids, GError **error)
{
  return apply_rule_list (config, ids, FALSE, error);
}

gboolean
emlint_config_ignore (EmlintConfig *config, const char *ids, GError **error)
{
  return apply_rule_list (config, ids, TRUE, error);
}

gboolean
emlint_config_is_transit_field (const EmlintConfig *config, const char *name, gsize len)
{
  for (guint i = 0; config->transit_fields[i] != NULL; i++)
    if (emlint_field_name_matches (config->transit_fields[i], name, len))
      return TRUE;
  return FALSE;
}

/* ---- values shared by the command line and the file ------------------------------------ */

gboolean
emlint_config_set_msgid_domain (EmlintConfig *config, const char *domain, GError **error)
{
  g_autofree char *probe = g_strdup_printf ("<x@%s>", domain);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (EmlintMsgid));
  g_autofree char *why = NULL;
  gboolean bare = FALSE, printable = TRUE;

  /* Spaces, line breaks and controls are refused outright, before the syntax: the obsolete
   * forms of RFC 5322 4.5.4 allow folding whitespace, and the domain goes into a header. */
  for (const char *p = domain; *p != '\0'; p++)
    printable &= (guchar) *p > ' ' && *p != 0x7F;
  why = emlint_msgid_parse (probe, strlen (probe), EMLINT_MSGID_ONE, ids, &bare);
  if (!printable || why != NULL || !bare || ids->len != 1
      || g_array_index (ids, EmlintMsgid, 0).obsolete
      || strlen (domain) > EMLINT_MSGID_DOMAIN_LIMIT)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "takes a domain (dot-atom) of at most %d octets, not '%s'",
                   EMLINT_MSGID_DOMAIN_LIMIT, domain);
      return FALSE;
    }
  g_free (config->msgid_domain);
  config->msgid_domain = g_strdup (domain);
  return TRUE;
}

gboolean
emlint_config_set_msgid_domain_max (EmlintConfig *config, gint64 max, GError **error)
{
  if (max < 1 || max > 255)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "takes a number from 1 to 255, not %" G_GINT64_FORMAT, max);
      return FALSE;
    }
  config->msgid_domain_max = (guint) max;
  return TRUE;
}

gboolean
emlint_config_set_max_message_size (EmlintConfig *config, const char *value, GError **error)
{
  static const char units[] = "KMGT";
  gsize n = strlen (value);
  const char *unit = n > 0 ? strchr (units, g_ascii_toupper (value[n - 1])) : NULL;
  g_autofree char *digits = g_strndup (value, unit != NULL ? n - 1 : n);
  guint shift = unit != NULL ? 10 * (guint) (unit - units + 1) : 0;
  guint64 number;

  /* At most 4 GiB: positions inside one message (field records, line numbers) are 32-bit. A
   * file may be any size; only one message of it is held to this. */
  if (!g_ascii_string_to_unsigned (digits, 10, 1, EMLINT_MAX_MESSAGE_SIZE_LIMIT >> shift, &number,
                                   NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "takes a size in octets up to 4G, with an optional K, M, G or T (e.g. 256M), "
                   "not '%s'",
                   value);
      return FALSE;
    }
  config->max_message_size = number << shift;
  return TRUE;
}

gboolean
emlint_config_set_max_findings_per_rule (EmlintConfig *config, const char *value, GError **error)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &number, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "takes a whole number (0: no limit), not '%s'", value);
      return FALSE;
    }
  config->max_findings_per_rule = (guint) number;
  return TRUE;
}

/* ---- the configuration file ------------------------------------------------------------- */

#define CONFIG_NAME ".emlint.ini"
#define MAIN_GROUP "emlint"

/* The 1-based line of @key in group @group of the file text, for error messages; 0 if unknown. */
static guint
key_line (const char *text, const char *group, const char *key)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_group = group == NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      while (g_ascii_isspace (*line))
        line++;
      if (*line == '[')
        {
          in_group = group != NULL && g_str_has_prefix (line + 1, group)
                     && line[1 + strlen (group)] == ']';
          if (key == NULL && in_group)
            return i + 1;
          continue;
        }
      if (in_group && key != NULL && g_str_has_prefix (line, key))
        {
          const char *rest = line + strlen (key);
          while (*rest == ' ' || *rest == '\t')
            rest++;
          if (*rest == '=')
            return i + 1;
        }
    }
  return 0;
}

typedef struct {
  EmlintConfig *config;
  GKeyFile *file;
  const char *path;
  const char *text;
  GError **error;
} Loader;

static gboolean bad_key (Loader *l, const char *group, const char *key, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
bad_key (Loader *l, const char *group, const char *key, const char *fmt, ...)
{
  va_list args;
  g_autofree char *why = NULL;

  va_start (args, fmt);
  why = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (l->error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "%s:%u: [%s] %s: %s",
               l->path, key_line (l->text, group, key), group, key, why);
  return FALSE;
}

static gboolean
load_severities (Loader *l)
{
  g_auto (GStrv) keys = g_key_file_get_keys (l->file, "rules", NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const EmlintRule *rule = emlint_rule_lookup (keys[i]);
      g_autofree char *value = g_key_file_get_string (l->file, "rules", keys[i], NULL);
      EmlintSeverity severity;

      if (rule == NULL)
        return bad_key (l, "rules", keys[i], "no such rule (see 'emlint rules')");
      if (g_strcmp0 (value, "off") == 0)
        l->config->severity[emlint_rule_index (rule)] = EMLINT_SEVERITY_OFF;
      else if (emlint_severity_parse (value, &severity))
        l->config->severity[emlint_rule_index (rule)] = (int) severity;
      else
        return bad_key (l, "rules", keys[i], "'%s' is not off, info, warning or error", value);
    }
  return TRUE;
}

static gboolean
load_main_group (Loader *l)
{
  EmlintConfig *config = l->config;
  GKeyFile *file = l->file;
  g_auto (GStrv) keys = g_key_file_get_keys (file, MAIN_GROUP, NULL, NULL);
  static const char *const known[] = { "select",
                                       "ignore",
                                       "fail-on",
                                       "msgid-domain-max",
                                       "msgid-domain",
                                       "transit-fields",
                                       "placeholders",
                                       "profile",
                                       "smtputf8",
                                       "received-line-length",
                                       "include",
                                       "exclude",
                                       "max-message-size",
                                       "max-findings-per-rule",
                                       NULL };

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const char *key = keys[i];
      g_autofree char *value = g_key_file_get_string (file, MAIN_GROUP, key, NULL);
      g_autoptr (GError) error = NULL;

      if (!g_strv_contains (known, key))
        return bad_key (l, MAIN_GROUP, key,
                        "unknown key (known: select, ignore, fail-on, "
                        "msgid-domain-max, msgid-domain, transit-fields, placeholders, profile, "
                        "smtputf8, received-line-length, include, exclude, "
                        "max-message-size, max-findings-per-rule)");
      if (strcmp (key, "select") == 0 && !emlint_config_select (config, value, &error))
        return bad_key (l, MAIN_GROUP, key, "%s", error->message);
      if (strcmp (key, "ignore") == 0 && !emlint_config_ignore (config, value, &error))
        return bad_key (l, MAIN_GROUP, key, "%s", error->message);
      if (strcmp (key, "fail-on") == 0 && !emlint_severity_parse (value, &config->fail_on))
        return bad_key (l, MAIN_GROUP, key, "'%s' is not info, warning or error", value);
      if (strcmp (key, "msgid-domain-max") == 0)
        {
          gint64 max;
          if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &max, NULL))
            return bad_key (l, MAIN_GROUP, key, "'%s' is not a number from 1 to 255", value);
          if (!emlint_config_set_msgid_domain_max (config, max, &error))
            return bad_key (l, MAIN_GROUP, key, "%s", error->message);
        }
      if (strcmp (key, "msgid-domain") == 0
          && !emlint_config_set_msgid_domain (config, value, &error))
        return bad_key (l, MAIN_GROUP, key, "%s", error->message);
      if (strcmp (key, "max-message-size") == 0
          && !emlint_config_set_max_message_size (config, value, &error))
        return bad_key (l, MAIN_GROUP, key, "%s", error->message);
      if (strcmp (key, "max-findings-per-rule") == 0
          && !emlint_config_set_max_findings_per_rule (config, value, &error))
        return bad_key (l, MAIN_GROUP, key, "%s", error->message);
      if (strcmp (key, "transit-fields") == 0)
        {
          g_strfreev (config->transit_fields);
          config->transit_fields = g_key_file_get_string_list (file, MAIN_GROUP, key, NULL, NULL);
        }
      /* include and exclude are the walks' (the front end reads them). */
      if (strcmp (key, "placeholders") == 0)
        {
          g_strfreev (config->placeholders);
          config->placeholders = g_key_file_get_string_list (file, MAIN_GROUP, key, NULL, NULL);
          for (guint k = 0; config->placeholders[k] != NULL; k++)
            if (strchr (g_strstrip (config->placeholders[k]), ' ') == NULL)
              return bad_key (l, MAIN_GROUP, key, "'%s' is not 'OPEN CLOSE' (e.g. '{{ }}')",
                              config->placeholders[k]);
        }
      if (strcmp (key, "smtputf8") == 0 || strcmp (key, "received-line-length") == 0)
        {
          g_autoptr (GError) bool_error = NULL;
          gboolean on = g_key_file_get_boolean (file, MAIN_GROUP, key, &bool_error);

          if (bool_error != NULL)
            return bad_key (l, MAIN_GROUP, key, "'%s' is not true or false", value);
          *(strcmp (key, "smtputf8") == 0 ? &config->smtputf8 : &config->received_line_length) = on;
        }
      if (strcmp (key, "profile") == 0)
        {
          if (strcmp (value, "template") != 0 && strcmp (value, "message") != 0)
            return bad_key (l, MAIN_GROUP, key, "'%s' is not message or template", value);
          config->template_profile = strcmp (value, "template") == 0;
        }
    }
  return TRUE;
}

/* GKeyFile knows only whole-line comments; an inline one (whitespace, then ';', as in most INI
 * dialects) is cut here ('#' is not: '{# #}' is a placeholder syntax). Lines keep their numbers, for the error messages. A ';'
 * right after a value's text is GKeyFile's list separator and stays. Returns a new string. */
static char *
strip_inline_comments (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchug (lines[i]);

      if (*line == ';' || *line == '#' || *line == '[')
        continue;
      for (char *p = line; *p != '\0'; p++)
        if (*p == ';' && p > line && (p[-1] == ' ' || p[-1] == '\t'))
          {
            *p = '\0';
            g_strchomp (line);
            break;
          }
    }
  return g_strjoinv ("\n", lines);
}

char *
emlint_config_strip_comments (const char *text)
{
  return strip_inline_comments (text);
}

/* [per-path-ignores]: glob = rule ids. Paths are the front end's business, but the rule ids are
 * checked here, with the other keys, so that every front end gets the same error. */
static gboolean
check_path_ignores (Loader *l)
{
  g_auto (GStrv) keys = g_key_file_get_keys (l->file, "per-path-ignores", NULL, NULL);
  guint n;

  emlint_rules (&n);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_string (l->file, "per-path-ignores", keys[i], NULL);
      g_autofree gboolean *chosen = g_new0 (gboolean, n);
      g_autoptr (GError) local = NULL;

      if (!parse_rule_list (value, chosen, &local))
        return bad_key (l, "per-path-ignores", keys[i], "%s", local->message);
    }
  return TRUE;
}

/* GKeyFile keeps the last of two equal keys in silence; a key set twice is a mistake (which one
 * was meant?), so it is an error naming both lines. @text: the file, comments stripped. */
static gboolean
check_keys_once (const char *path, const char *text, GError **error)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = g_strdup ("");

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]), *eq;
      g_autofree char *key = NULL;
      guint first;

      if (*line == '[')
        {
          g_free (group);
          group = g_strndup (line + 1, strcspn (line + 1, "]"));
          continue;
        }
      if (*line == '#' || *line == ';' || (eq = strchr (line, '=')) == NULL)
        continue;
      *eq = '\0';
      key = g_strdup_printf ("[%s] %s", group, g_strchomp (line));
      if ((first = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key))) != 0)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                       "%s:%u: %s: set twice (first on line %u); keep one", path, i + 1, key,
                       first);
          return FALSE;
        }
      g_hash_table_insert (seen, g_steal_pointer (&key), GUINT_TO_POINTER (i + 1));
    }
  return TRUE;
}

gboolean
emlint_config_load (EmlintConfig *config, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) groups = NULL;
  Loader l = { config, file, path, NULL, error };

  g_autofree char *stripped = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local)
      || !g_key_file_load_from_data (file, (stripped = strip_inline_comments (text)), (gsize) -1,
                                     G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, "%s: %s", path, local->message);
      return FALSE;
    }
  if (!check_keys_once (path, stripped, error))
    return FALSE;
  l.text = text;
  groups = g_key_file_get_groups (file, NULL);
  /* [milter] belongs to emlint-milter, which reads it itself (milter/policy.c). */
  for (guint i = 0; groups[i] != NULL; i++)
    if (strcmp (groups[i], MAIN_GROUP) != 0 && strcmp (groups[i], "rules") != 0
        && strcmp (groups[i], "per-path-ignores") != 0 && strcmp (groups[i], "milter") != 0)
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                     "%s:%u: unknown group [%s] (known: emlint, rules, per-path-ignores, milter)",
                     path, key_line (text, groups[i], NULL), groups[i]);
        return FALSE;
      }
  if (!load_main_group (&l) || !load_severities (&l) || !check_path_ignores (&l))
    return FALSE;
  if (config->template_profile && config->placeholders == NULL)
    config->placeholders = g_strdupv ((char **) emlint_template_placeholders);
  return TRUE;
}
