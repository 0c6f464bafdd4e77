/* baseline.c: stable fingerprints of findings, and the baseline file. */
#include "baseline.h"

#include "escape.h"

#include <string.h>

struct _EmlintBaseline {
  GHashTable *fingerprints; /* of char*, a set */
};

/* The name of the field the finding is in, as a new string; @none when it is in no field. */
static char *
field_name (const EmlintMail *msg, const EmlintCliFinding *diag, const char *none)
{
  if (diag->field_start == G_MAXSIZE)
    return g_strdup (none);
  return g_strndup (msg->data + diag->field_start, diag->field_name_end - diag->field_start);
}

/* The folder that fingerprints name paths from (absolute), or NULL: set once, before threads. */
static char *baseline_root;

void
emlint_baseline_set_root (const char *baseline_file)
{
  g_autofree char *dir = g_path_get_dirname (baseline_file);

  g_free (baseline_root);
  baseline_root = g_canonicalize_filename (dir, NULL);
}

/* @path as a fingerprint names it: from the baseline's folder when it is below it, else
 * absolute; "a.eml", "./a.eml" and "/that/folder/a.eml" are one file, whatever the current
 * folder. Standard input keeps its name. A new string. */
static char *
fingerprint_path (const char *path)
{
  g_autofree char *abs = NULL;
  gsize n = baseline_root != NULL ? strlen (baseline_root) : 0;

  if (baseline_root == NULL || strcmp (path, "-") == 0)
    return g_strdup (path);
  abs = g_canonicalize_filename (path, NULL);
  if (n == 1) /* the root folder */
    return g_strdup (abs + 1);
  if (strncmp (abs, baseline_root, n) == 0 && abs[n] == '/')
    return g_strdup (abs + n + 1);
  return g_steal_pointer (&abs);
}

/* "rule \t path \t index \t field \t value-hash": what a fingerprint hashes. */
static char *
fingerprint_key (const EmlintMail *msg, const EmlintCliFinding *diag)
{
  g_autofree char *name = field_name (msg, diag, "");
  gsize from, to;
  g_autofree char *hash = NULL, *path = fingerprint_path (msg->path);

  for (char *c = name; *c != '\0'; c++)
    *c = g_ascii_tolower (*c); /* field names match case-insensitively */

  if (diag->field_start != G_MAXSIZE)
    from = diag->field_value_start, to = diag->field_value_end;
  else
    emlint_mail_line (msg, diag->start, &from, &to);
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) msg->data + from,
                                      to - from);
  return g_strdup_printf ("%s\t%s\t%u\t%s\t%s", diag->rule->id, path, msg->index, name, hash);
}

GPtrArray *
emlint_fingerprints (const EmlintMail *msg, const GPtrArray *diagnostics)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      char *key = fingerprint_key (msg, g_ptr_array_index (diagnostics, i));
      guint occurrence = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
      g_autofree char *counted = g_strdup_printf ("%s\t%u", key, occurrence);

      g_hash_table_insert (seen, key, GUINT_TO_POINTER (occurrence + 1));
      g_ptr_array_add (out, g_compute_checksum_for_string (G_CHECKSUM_SHA256, counted, -1));
    }
  return out;
}

EmlintBaseline *
emlint_baseline_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) lines = NULL;
  EmlintBaseline *baseline;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      g_set_error (error, local->domain, local->code, "--baseline: %s", local->message);
      return NULL;
    }
  baseline = g_new0 (EmlintBaseline, 1);
  baseline->fingerprints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *word = g_strstrip (lines[i]);
      gsize n = strcspn (word, " \t");

      if (*word == '\0' || *word == '#')
        continue;
      if (n != 64 || strspn (word, "0123456789abcdef") < 64)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       "%s:%u: not a baseline line (a fingerprint of 64 hex digits first)", path,
                       i + 1);
          emlint_baseline_free (baseline);
          return NULL;
        }
      g_hash_table_add (baseline->fingerprints, g_strndup (word, n));
    }
  return baseline;
}

void
emlint_baseline_free (EmlintBaseline *baseline)
{
  if (baseline == NULL)
    return;
  g_hash_table_unref (baseline->fingerprints);
  g_free (baseline);
}

void
emlint_baseline_filter (const EmlintBaseline *baseline, const EmlintMail *msg,
                        GPtrArray *diagnostics)
{
  g_autoptr (GPtrArray) prints = NULL;

  if (baseline == NULL || diagnostics->len == 0)
    return;
  prints = emlint_fingerprints (msg, diagnostics);
  for (guint i = diagnostics->len; i-- > 0;)
    if (g_hash_table_contains (baseline->fingerprints, g_ptr_array_index (prints, i)))
      g_ptr_array_remove_index (diagnostics, i);
}

char *
emlint_baseline_line (const EmlintMail *msg, const GPtrArray *diagnostics, guint i,
                      const char *fingerprint)
{
  const EmlintCliFinding *diag = g_ptr_array_index (diagnostics, i);
  g_autofree char *name = field_name (msg, diag, "-");
  g_autoptr (GString) line = g_string_new (fingerprint);

  g_string_append_printf (line, " %s ", diag->rule->id);
  emlint_escape_display (line, msg->path, -1);
  g_string_append_printf (line, " %u ", msg->index);
  emlint_escape_display (line, name, -1);
  g_string_append_c (line, '\n');
  return g_string_free (g_steal_pointer (&line), FALSE);
}
