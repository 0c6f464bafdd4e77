/* policy.c: the [milter] group and the verdict on one message. */
#include "policy.h"

#include "edits.h"

#include <string.h>

#define GROUP "milter"

static const char *const action_names[] = {
  [EMLINT_MILTER_LOG] = "log",
  [EMLINT_MILTER_FIX] = "fix",
  [EMLINT_MILTER_TAG] = "tag",
  [EMLINT_MILTER_REJECT] = "reject",
};

const char *
emlint_milter_action_name (EmlintMilterAction action)
{
  return action_names[action];
}

static gboolean
parse_action (const char *name, EmlintMilterAction *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (g_strcmp0 (name, action_names[i]) == 0)
      {
        *out = (EmlintMilterAction) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
bad_key (GError **error, const char *path, const char *key, const char *why, const char *value)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               "%s: [" GROUP "] %s: '%s' %s", path, key, value, why);
  return FALSE;
}

static gboolean
read_boolean (GKeyFile *file, const char *path, const char *key, gboolean *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *value = g_key_file_get_string (file, GROUP, key, NULL);

  *out = g_key_file_get_boolean (file, GROUP, key, &local);
  return local == NULL || bad_key (error, path, key, "is not true or false", value);
}

static gboolean
read_key (EmlintMilterPolicy *policy, GKeyFile *file, const char *key, GError **error)
{
  const char *path = policy->path;
  g_autofree char *value = g_strstrip (g_key_file_get_string (file, GROUP, key, NULL));
  EmlintMilterAction action;
  guint64 size;

  if (strcmp (key, "dry-run") == 0)
    return read_boolean (file, path, key, &policy->dry_run, error);
  if (strcmp (key, "unsafe-fixes") == 0)
    return read_boolean (file, path, key, &policy->unsafe_fixes, error);
  if (strcmp (key, "max-header-size") == 0)
    {
      if (!g_ascii_string_to_unsigned (value, 10, 1024, 64 * 1024 * 1024, &size, NULL))
        return bad_key (error, path, key, "is not a number of octets from 1024 to 67108864", value);
      policy->max_header = size;
      return TRUE;
    }
  if (strcmp (key, "default") != 0 && !emlint_milter_rule_exists (key))
    return bad_key (error, path, key,
                    "is set for no such rule or key (keys: default, dry-run, "
                    "unsafe-fixes, max-header-size, or a rule id)",
                    value);
  if (!parse_action (value, &action))
    return bad_key (error, path, key, "is not fix, tag, reject or log", value);
  if (strcmp (key, "default") == 0)
    policy->fallback = action;
  else
    g_hash_table_insert (policy->actions, g_strdup (key), GINT_TO_POINTER (action));
  return TRUE;
}

static gboolean
read_group (EmlintMilterPolicy *policy, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_auto (GStrv) keys = NULL;

  if (!g_key_file_load_from_file (file, policy->path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", policy->path);
      return FALSE;
    }
  keys = g_key_file_get_keys (file, GROUP, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!read_key (policy, file, keys[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
fix_rule (const char *rule, gpointer data)
{
  return emlint_milter_policy_action (data, rule) == EMLINT_MILTER_FIX;
}

EmlintMilterPolicy *
emlint_milter_policy_load (const char *path, GError **error)
{
  EmlintMilterPolicy *policy = g_atomic_rc_box_new0 (EmlintMilterPolicy);

  policy->path = g_strdup (path);
  policy->fallback = EMLINT_MILTER_FIX;
  policy->actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  policy->max_header = EMLINT_MILTER_DEFAULT_MAX_HEADER;
  if ((path != NULL && !read_group (policy, error))
      || (policy->linter = emlint_milter_linter_new (path, policy->unsafe_fixes, fix_rule, policy,
                                                     error))
           == NULL)
    {
      emlint_milter_policy_unref (policy);
      return NULL;
    }
  return policy;
}

EmlintMilterPolicy *
emlint_milter_policy_ref (EmlintMilterPolicy *policy)
{
  return g_atomic_rc_box_acquire (policy);
}

static void
policy_clear (gpointer data)
{
  EmlintMilterPolicy *policy = data;

  g_free (policy->path);
  g_hash_table_unref (policy->actions);
  emlint_milter_linter_free (policy->linter);
}

void
emlint_milter_policy_unref (EmlintMilterPolicy *policy)
{
  if (policy != NULL)
    g_atomic_rc_box_release_full (policy, policy_clear);
}

EmlintMilterAction
emlint_milter_policy_action (const EmlintMilterPolicy *policy, const char *rule)
{
  gpointer action;

  if (g_hash_table_lookup_extended (policy->actions, rule, NULL, &action))
    return (EmlintMilterAction) GPOINTER_TO_INT (action);
  return policy->fallback;
}

/* ---- the verdict -------------------------------------------------------------------------- */

void
emlint_milter_verdict_free (EmlintMilterVerdict *verdict)
{
  if (verdict == NULL)
    return;
  g_clear_pointer (&verdict->findings, g_ptr_array_unref);
  g_strfreev (verdict->fixed);
  g_clear_pointer (&verdict->edits, g_ptr_array_unref);
  g_free (verdict->reply);
  g_free (verdict->action);
  g_free (verdict);
}

/* A reply text for smfi_setreply(): printable ASCII on one line, '%' doubled (the MTA formats
 * it), short enough for one SMTP reply line. */
static char *
reply_text (const EmlintMilterFinding *finding)
{
  g_autofree char *text = g_strdup_printf ("emlint: %s: %s (%s)", finding->rule, finding->message,
                                           finding->rfc);
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && out->len < 400; p++)
    if (*p == '%')
      g_string_append (out, "%%");
    else
      g_string_append_c (out, g_ascii_isprint (*p) ? *p : '?');
  return g_string_free (out, FALSE);
}

/* The X-Emlint: value: " id, id", folded before 78 octets (the MTA passes "\n" through). */
static char *
tag_value (GPtrArray *ids)
{
  GString *out = g_string_new (NULL);
  gsize line = strlen (EMLINT_MILTER_TAG_FIELD ":");

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      gboolean last = i + 1 == ids->len;

      if (line + 1 + strlen (id) + !last > 78)
        {
          g_string_append (out, "\n");
          line = 0;
        }
      g_string_append_printf (out, " %s%s", id, last ? "" : ",");
      line += 1 + strlen (id) + !last;
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_string (GPtrArray *strings, const char *s)
{
  return g_ptr_array_find_with_equal_func (strings, s, g_str_equal, NULL);
}

EmlintMilterVerdict *
emlint_milter_decide (const EmlintMilterPolicy *policy, GBytes *header, GPtrArray *fields,
                      GError **error)
{
  g_autoptr (EmlintMilterVerdict) verdict = g_new0 (EmlintMilterVerdict, 1);
  g_autoptr (GPtrArray) tagged = g_ptr_array_new ();
  gboolean to_fix = FALSE;
  g_autoptr (GBytes) repaired = NULL;

  verdict->findings = emlint_milter_lint (policy->linter, header);
  verdict->edits = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_milter_edit_free);
  for (guint i = 0; i < verdict->findings->len; i++)
    {
      const EmlintMilterFinding *finding = g_ptr_array_index (verdict->findings, i);

      switch (emlint_milter_policy_action (policy, finding->rule))
        {
        case EMLINT_MILTER_REJECT:
          if (verdict->reply == NULL)
            verdict->reply = reply_text (finding);
          break;
        case EMLINT_MILTER_FIX: to_fix |= finding->fixable; break;
        case EMLINT_MILTER_TAG:
          if (!has_string (tagged, finding->rule))
            g_ptr_array_add (tagged, (gpointer) finding->rule);
          break;
        case EMLINT_MILTER_LOG: break;
        }
    }
  if (verdict->reply != NULL)
    {
      verdict->action = g_strdup ("reject");
      return g_steal_pointer (&verdict);
    }
  if (to_fix && !emlint_milter_fix (policy->linter, header, &repaired, &verdict->fixed, error))
    return NULL;
  if (repaired != NULL)
    {
      g_ptr_array_unref (verdict->edits);
      verdict->edits = emlint_milter_header_edits (fields, header, repaired, error);
      if (verdict->edits == NULL)
        return NULL;
    }
  if (tagged->len > 0)
    {
      g_autofree char *value = tag_value (tagged);
      g_ptr_array_add (verdict->edits, emlint_milter_edit_new (EMLINT_MILTER_ADD,
                                                               EMLINT_MILTER_TAG_FIELD, 0, value));
    }
  verdict->action = g_strdup (verdict->fixed != NULL && tagged->len > 0 ? "fix+tag"
                              : verdict->fixed != NULL                  ? "fix"
                              : tagged->len > 0                         ? "tag"
                                                                        : "none");
  return g_steal_pointer (&verdict);
}
