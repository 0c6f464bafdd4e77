/* signature.c: reading the tag lists of signature fields (RFC 6376 3.2). */
#include "signature.h"

#include <string.h>

/* The value of tag @name in the tag-list [value, value + len), whitespace removed (FWS may
 * stand anywhere in a DKIM tag value). Returns a new string or NULL. */
static char *
tag_value (const char *value, gsize len, const char *name)
{
  g_autofree char *copy = g_strndup (value, len);
  g_auto (GStrv) tags = g_strsplit (copy, ";", -1);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      char *eq = strchr (tags[i], '=');
      GString *out;

      if (eq == NULL)
        continue;
      *eq = '\0';
      if (g_ascii_strcasecmp (g_strstrip (tags[i]), name) != 0)
        continue;
      out = g_string_new (NULL);
      for (const char *p = eq + 1; *p != '\0'; p++)
        if (!g_ascii_isspace (*p))
          g_string_append_c (out, *p);
      return g_string_free (out, FALSE);
    }
  return NULL;
}

static gboolean
signs_field (const char *h, const char *name)
{
  g_auto (GStrv) names = g_strsplit (h, ":", -1);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* Returns a new "DKIM-Signature (d=..., s=...)" when @sig signs @name in a way the edit breaks,
 * else NULL. */
static char *
broken_signature (const EmlintMessage *msg, const EmlintField *sig, const char *name,
                  gboolean whitespace_only)
{
  const char *value = msg->data + sig->value_start;
  gsize len = sig->value_end - sig->value_start;
  g_autofree char *h = tag_value (value, len, "h");
  g_autofree char *c = NULL, *d = NULL, *s = NULL, *sig_name = NULL;

  if (h == NULL || !signs_field (h, name))
    return NULL;
  c = tag_value (value, len, "c");
  if (whitespace_only && c != NULL && g_ascii_strncasecmp (c, "relaxed", 7) == 0)
    return NULL;
  d = tag_value (value, len, "d");
  s = tag_value (value, len, "s");
  sig_name = emlint_field_dup_name (msg, sig);
  return g_strdup_printf ("%s (d=%s, s=%s)", sig_name, d ? d : "?", s ? s : "?");
}

void
emlint_signature_guard (EmlintContext *ctx, EmlintDiagnostic *diag, const EmlintField *field,
                        gboolean whitespace_only)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);
  g_autofree char *name = NULL;

  if (!emlint_diagnostic_has_fix (diag) || field->start < top->start || field->start >= top->end)
    return;
  name = emlint_field_dup_name (msg, field);
  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *sig = emlint_header_field (top, i);
      g_autofree char *broken = NULL, *reason = NULL;

      if (!emlint_field_is (msg, sig, "DKIM-Signature")
          && !emlint_field_is (msg, sig, "ARC-Message-Signature"))
        continue;
      broken = broken_signature (msg, sig, name, whitespace_only);
      if (broken == NULL)
        continue;
      reason = g_strdup_printf ("it changes %s, which the %s signs", name, broken);
      emlint_diagnostic_set_unsafe (diag, reason);
      return;
    }
}
