/* signature.c: reading the tag lists of signature fields (RFC 6376 3.2).
 *
 * The signatures of a message are parsed once, on first use, into one table from each signed
 * field name to the first signature that a change of that field breaks: a guard per fixable
 * finding then costs one lookup, not a copy and split of every signature (linear time on a
 * message with a huge h= list and many findings). Only the names of fields the header holds are
 * kept: a fix edits one of those, and a table of every name of a huge h= list would cost a
 * cache miss per name. */
#include "signature.h"

#include <string.h>

/* Per signed name: the first signature that signs it, and the first that signs it under simple
 * header canonicalisation (which a whitespace-only edit breaks too); indexes into descriptions,
 * -1 when none. */
typedef struct {
  int any;
  int strict;
} Signers;

struct _EmlintSignatures {
  GPtrArray *descriptions; /* of char*: "DKIM-Signature (d=..., s=...)" */
  GPtrArray *h_lists;      /* of char*: the h= values, lowercased and split in place */
  GArray *signers;         /* of Signers */
  GHashTable *by_name;     /* name (into h_lists) -> index + 1 into signers */
};

/* The value of tag @name in the tag-list [value, value + len), whitespace removed (FWS may
 * stand anywhere in a DKIM tag value). Returns a new string or NULL. Read in place: only the
 * value found is copied (a signature may be megabytes long). */
static char *
tag_value (const char *value, gsize len, const char *name)
{
  const char *end = value + len;

  for (const char *tag = value, *next; tag < end; tag = next + 1)
    {
      const char *eq, *p = tag;
      GString *out;

      next = memchr (tag, ';', (gsize) (end - tag));
      if (next == NULL)
        next = end;
      eq = memchr (tag, '=', (gsize) (next - tag));
      if (eq == NULL)
        continue;
      while (p < eq && g_ascii_isspace (*p))
        p++;
      for (const char *n = name;; n++, p++)
        {
          if (*n == '\0')
            {
              while (p < eq && g_ascii_isspace (*p))
                p++;
              break;
            }
          if (p == eq || g_ascii_tolower (*p) != g_ascii_tolower (*n))
            break;
        }
      if (p != eq)
        continue;
      out = g_string_new (NULL);
      for (p = eq + 1; p < next; p++)
        if (!g_ascii_isspace (*p))
          g_string_append_c (out, *p);
      return g_string_free (out, FALSE);
    }
  return NULL;
}

void
emlint_signatures_free (EmlintSignatures *sigs)
{
  if (sigs == NULL)
    return;
  g_hash_table_unref (sigs->by_name);
  g_ptr_array_unref (sigs->descriptions);
  g_ptr_array_unref (sigs->h_lists);
  g_array_unref (sigs->signers);
  g_free (sigs);
}

/* Records that signature @index signs every name of @h (taken over, lowercased, split) that
 * is in @present (the header's field names, lowercased). */
static void
add_signed_names (EmlintSignatures *sigs, GHashTable *present, char *h, int index, gboolean relaxed)
{
  g_ptr_array_add (sigs->h_lists, h);
  for (char *p = h; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);
  for (char *name = h, *colon; name != NULL; name = colon)
    {
      gpointer slot;
      Signers *s;

      colon = strchr (name, ':');
      if (colon != NULL)
        *colon++ = '\0';
      if (!g_hash_table_contains (present, name))
        continue;
      if (!g_hash_table_lookup_extended (sigs->by_name, name, NULL, &slot))
        {
          Signers none = { -1, -1 };
          g_array_append_val (sigs->signers, none);
          slot = GUINT_TO_POINTER (sigs->signers->len);
          g_hash_table_insert (sigs->by_name, name, slot);
        }
      s = &g_array_index (sigs->signers, Signers, GPOINTER_TO_UINT (slot) - 1);
      if (s->any < 0)
        s->any = index;
      if (s->strict < 0 && !relaxed)
        s->strict = index;
    }
}

static EmlintSignatures *
parse_signatures (const EmlintMessage *msg)
{
  const EmlintHeader *top = emlint_message_top (msg);
  EmlintSignatures *sigs = g_new0 (EmlintSignatures, 1);
  g_autoptr (GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *f = emlint_header_field (top, i);
      g_hash_table_add (present,
                        g_ascii_strdown (msg->data + f->start, (gssize) (f->name_end - f->start)));
    }
  sigs->descriptions = g_ptr_array_new_with_free_func (g_free);
  sigs->h_lists = g_ptr_array_new_with_free_func (g_free);
  sigs->signers = g_array_new (FALSE, FALSE, sizeof (Signers));
  sigs->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *sig = emlint_header_field (top, i);
      const char *value = msg->data + sig->value_start;
      gsize len = sig->value_end - sig->value_start;
      char *h;
      g_autofree char *c = NULL, *d = NULL, *s = NULL, *sig_name = NULL;

      if (!emlint_field_is (msg, sig, "DKIM-Signature")
          && !emlint_field_is (msg, sig, "ARC-Message-Signature"))
        continue;
      h = tag_value (value, len, "h");
      if (h == NULL)
        continue;
      c = tag_value (value, len, "c");
      d = tag_value (value, len, "d");
      s = tag_value (value, len, "s");
      sig_name = emlint_field_dup_name (msg, sig);
      add_signed_names (sigs, present, h, (int) sigs->descriptions->len,
                        c != NULL && g_ascii_strncasecmp (c, "relaxed", 7) == 0);
      g_ptr_array_add (sigs->descriptions,
                       g_strdup_printf ("%s (d=%s, s=%s)", sig_name, d ? d : "?", s ? s : "?"));
    }
  return sigs;
}

void
emlint_signature_guard (EmlintContext *ctx, EmlintDiagnostic *diag, const EmlintField *field,
                        gboolean whitespace_only)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);
  g_autofree char *name = NULL, *key = NULL, *reason = NULL;
  gpointer slot;
  const Signers *s;
  int index;

  if (!emlint_diagnostic_has_fix (diag) || field->start < top->start || field->start >= top->end)
    return;
  /* The message is read-only to rules; the cache is not part of how it reads. */
  if (msg->signatures == NULL)
    ((EmlintMessage *) msg)->signatures = parse_signatures (msg);
  name = emlint_field_dup_name (msg, field);
  key = g_ascii_strdown (name, -1);
  slot = g_hash_table_lookup (msg->signatures->by_name, key);
  if (slot == NULL)
    return;
  s = &g_array_index (msg->signatures->signers, Signers, GPOINTER_TO_UINT (slot) - 1);
  /* A whitespace-only refold under relaxed header canonicalisation breaks nothing. */
  index = whitespace_only ? s->strict : s->any;
  if (index < 0)
    return;
  reason = g_strdup_printf ("it changes %s, which the %s signs", name,
                            (const char *) g_ptr_array_index (msg->signatures->descriptions,
                                                              index));
  emlint_diagnostic_set_unsafe (diag, reason);
}
