/* config.c: defaults, rule selection. */
#include "config.h"

#include "rule.h"

#include <string.h>

/* Trace and signature fields that mail servers add in transit (DESIGN.md, header-line-length):
 * their length is the server's business, and they are usually signed. */
static const char *const default_transit_fields[] = {
  "Received", "Return-Path", "Authentication-Results", "ARC-*", "DKIM-Signature", "X-Received",
  NULL,
};

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
  config->transit_fields = g_strdupv ((char **) default_transit_fields);
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

/* Turns off the rules whose flag in the list equals @off_when. */
static gboolean
apply_rule_list (EmlintConfig *config, const char *ids, gboolean off_when, GError **error)
{
  guint n;
  g_autofree gboolean *chosen = NULL;

  emlint_rules (&n);
  chosen = g_new0 (gboolean, n);
  if (!parse_rule_list (ids, chosen, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (chosen[i] == off_when)
      config->severity[i] = EMLINT_SEVERITY_OFF;
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
    {
      const char *pattern = config->transit_fields[i];
      gsize n = strlen (pattern);

      if (n > 0 && pattern[n - 1] == '*')
        {
          if (len >= n - 1 && g_ascii_strncasecmp (name, pattern, n - 1) == 0)
            return TRUE;
        }
      else if (len == n && g_ascii_strncasecmp (name, pattern, n) == 0)
        return TRUE;
    }
  return FALSE;
}
