/* test-invariants.c: doc/DESIGN.md "Fix invariants", asserted through the library on every case
 * of corpus/ ('test-invariants corpus') or every file of ../shared/corpus-ext ('corpus-ext', its
 * MANIFEST.tsv: SKIP when corpus-ext is absent, FAIL when it is broken), once with the default
 * options and once with unsafe fixes and --msgid-domain example.com:
 *
 *   1. only the edited fields change: same messages and From_ lines, every octet between fields
 *      identical, every field identical except msg-id fields a fix changed, fields that
 *      header-line-length refolded (same words, other whitespace), fields whose encoded-words
 *      encoded-word-length split (the same decoded text), and an added Message-ID; when
 *      line-ending normalised a header section, all this holds once CR LF is read as LF;
 *   2. fixing the fixed message changes nothing;
 *   3. its re-lint has nothing fixable left, and no fixed finding comes back at its field;
 *   4. GMime reads the same msg-ids (a new Message-ID: a valid id on the domain);
 *   5. so does Python's email package (tests/py-email-check.py, run once over every changed
 *      message at the end, with --python; SKIP without python3);
 *   6. msgid-encoded-word's bad cases come out clean, and DKIM-signed fields are held back
 *      unless a relaxed-canonicalisation refold leaves the signature intact.
 *
 * Each file is one Check test; a failure names the file, the message, the options and the first
 * octet that differs. */
#include "testutil.h"

#include "engine.h"
#include "fix.h"
#include "input.h"
#include "msgid.h"
#include "report.h"
#include "rule.h"

#include <glib/gstdio.h>
#include <gmime/gmime.h>
#include <stdio.h>
#include <string.h>

/* ck_assert_msg() without its cost on success: in fork mode (CK_FORK=yes) Check writes every
 * passed assertion to its message file, thousands of them for a big file. */
#define check_that(cond, ...)                                                                      \
  do                                                                                               \
    {                                                                                              \
      if (!(cond))                                                                                 \
        ck_abort_msg (__VA_ARGS__);                                                                \
    }                                                                                              \
  while (0)

#define DOMAIN "example.com"
#define CONTEXT 24 /* octets shown on each side of a difference */

typedef struct {
  const char *name;
  EmlintConfig *config;
} Mode;

static Mode modes[2];
static GPtrArray *files; /* of char*: absolute paths of the files to fix */
static char *pairs_dir;  /* (original, fixed) message files for Python; pairs.tsv */

/* Where a failure happened: "FILE, message N, MODE options". */
typedef struct {
  const char *file;
  guint index;
  const Mode *mode;
} Where;

#define WHERE_FMT "%s, message %u, %s options"
#define WHERE_ARGS(w) (w)->file, (w)->index, (w)->mode->name

/* The core's fix of @raw, placed as the front end reads it (NULL with @error). */
static EmlintFixResult *
fix_raw (const Where *w, const EmlintRawMessage *raw, GError **error)
{
  return emlint_fix_message (w->mode->config, raw->bytes, w->file, raw->index, raw->in_mbox,
                             (guint) raw->first_line, error);
}

/* ---- reading and splitting ---------------------------------------------------------------- */

static gboolean
keep_raw (const EmlintRawMessage *raw, gpointer user_data)
{
  EmlintRawMessage *copy = g_new (EmlintRawMessage, 1);

  *copy = *raw;
  g_bytes_ref (copy->envelope);
  g_bytes_ref (copy->bytes);
  g_ptr_array_add (user_data, copy);
  return TRUE;
}

static void
raw_free (EmlintRawMessage *raw)
{
  g_bytes_unref (raw->envelope);
  g_bytes_unref (raw->bytes);
  g_free (raw);
}

/* The messages of a whole file, as EmlintRawMessage* copies. */
static GPtrArray *
split_file (GBytes *data)
{
  GPtrArray *raws = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_free);

  emlint_split_messages (data, keep_raw, raws);
  return raws;
}

/* ---- octets ----------------------------------------------------------------------------- */

/* A few octets around @at, escaped. Returns a new string. */
static char *
context_at (const char *data, gsize len, gsize at)
{
  gsize from = at > CONTEXT ? at - CONTEXT : 0, to = MIN (len, at + CONTEXT);
  g_autofree char *raw = g_strndup (data + from, to - from);

  /* g_strndup stops at a NUL: show the octets as far as it went. */
  return g_strescape (raw, NULL);
}

/* Asserts that @a (at offset @a_off of the original) and @b (at @b_off of the fixed message)
 * hold the same octets; the failure names the first octet that differs. */
static void
assert_same_octets (const Where *w, const char *what, const char *a, gsize a_off, gsize a_len,
                    const char *b, gsize b_off, gsize b_len)
{
  gsize n = MIN (a_len, b_len), i = 0;
  g_autofree char *ca = NULL, *cb = NULL;

  while (i < n && a[i] == b[i])
    i++;
  if (i == a_len && i == b_len)
    return;
  ca = context_at (a, a_len, i);
  cb = context_at (b, b_len, i);
  ck_abort_msg (WHERE_FMT ": %s differ: first at offset %" G_GSIZE_FORMAT " of the original "
                          "(%" G_GSIZE_FORMAT " of the fixed; lengths %" G_GSIZE_FORMAT
                          " and %" G_GSIZE_FORMAT "):\n  before: \"%s\"\n  after:  \"%s\"",
                WHERE_ARGS (w), what, a_off + i, b_off + i, a_len, b_len, ca, cb);
}

static void
assert_same_bytes (const Where *w, const char *what, GBytes *a, GBytes *b)
{
  gsize a_len, b_len;
  const char *a_data = g_bytes_get_data (a, &a_len), *b_data = g_bytes_get_data (b, &b_len);

  assert_same_octets (w, what, a_data, 0, a_len, b_data, 0, b_len);
}

/* The unfolded field body with every run of whitespace made one space, trimmed. */
static char *
collapsed_value (const EmlintMessage *msg, const EmlintField *field)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (gsize p = field->value_start; p < field->value_end; p++)
    {
      if (g_ascii_isspace (msg->data[p]))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_c (out, msg->data[p]);
          space = FALSE;
        }
    }
  return g_string_free (out, FALSE);
}

/* ---- which fields the fixes touched ------------------------------------------------------ */

/* A fixed finding: its rule and the field it was about, by position (fields correspond one to
 * one across rounds; an added Message-ID comes after all of them). */
typedef struct {
  const EmlintRule *rule;
  int header, field; /* -1: the finding lies in no field */
  char *name;        /* the field's name, lower case; NULL when none */
} FixedKey;

static void
fixed_key_clear (gpointer data)
{
  g_free (((FixedKey *) data)->name);
}

static FixedKey
key_of (const EmlintMessage *msg, const EmlintDiagnostic *diag)
{
  FixedKey key = { diag->rule, -1, -1, NULL };

  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      for (guint i = 0; i < header->fields->len; i++)
        {
          const EmlintField *f = emlint_header_field (header, i);
          g_autofree char *name = NULL;

          if (diag->start < f->start || diag->start >= f->end)
            continue;
          name = emlint_field_dup_name (msg, f);
          key.header = (int) h;
          key.field = (int) i;
          key.name = g_ascii_strdown (name, -1);
          return key;
        }
    }
  /* In no field: the header section it stands in (a line-ending finding on its blank line),
   * else -1 (the bodies), so that the two stay apart. */
  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      if (diag->start >= header->start && diag->start < MAX (header->body_start, header->start + 1))
        {
          key.header = (int) h;
          break;
        }
    }
  return key;
}

/* The finding @key with @rule_id (NULL: any rule) about field @field of header @header. */
static const FixedKey *
find_key (const GArray *keys, const char *rule_id, int header, int field)
{
  for (guint i = 0; i < keys->len; i++)
    {
      const FixedKey *k = &g_array_index (keys, FixedKey, i);
      if ((rule_id == NULL || strcmp (k->rule->id, rule_id) == 0) && k->header == header
          && k->field == field)
        return k;
    }
  return NULL;
}

static gboolean
has_rule (const GArray *keys, const char *rule_id)
{
  for (guint i = 0; i < keys->len; i++)
    if (strcmp (g_array_index (keys, FixedKey, i).rule->id, rule_id) == 0)
      return TRUE;
  return FALSE;
}

/* Runs the rounds of emlint_fix_message() step by step, to learn where each fixed finding was:
 * the fixer reports them with places in the message of their own round. Returns the keys and
 * sets *@rounds. */
static GArray *
replay_fixed_keys (const EmlintConfig *config, const EmlintRawMessage *raw, guint *rounds)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (FixedKey));
  EmlintMessage *msg = emlint_message_new (raw->bytes, "replay", raw->index, raw->in_mbox,
                                           raw->first_line);
  GPtrArray *diags = emlint_lint_message (config, msg);
  GBytes *repaired;

  g_array_set_clear_func (keys, fixed_key_clear);
  for (*rounds = 0; *rounds <= EMLINT_FIX_MAX_ROUNDS
                    && (repaired = emlint_apply_fixes (msg, diags, config->unsafe_fixes)) != NULL;
       (*rounds)++)
    {
      for (guint i = 0; i < diags->len; i++)
        {
          const EmlintDiagnostic *d = g_ptr_array_index (diags, i);
          /* A rule's metadata says whether it fixes, and whether safely. */
          check_that (!emlint_diagnostic_has_fix (d) || d->rule->fixable != EMLINT_FIXABLE_NO,
                      "%s has a fix, but its rule says it never fixes", d->rule->id);
          check_that (!emlint_diagnostic_has_fix (d) || d->unsafe_reason != NULL
                        || d->rule->fixable != EMLINT_FIXABLE_UNSAFE,
                      "%s has a safe fix, but its rule says its fixes are unsafe", d->rule->id);
        }
      for (guint i = 0; i < diags->len; i++)
        if (((EmlintDiagnostic *) g_ptr_array_index (diags, i))->fixed)
          {
            FixedKey key = key_of (msg, g_ptr_array_index (diags, i));
            g_array_append_val (keys, key);
          }
      g_ptr_array_unref (diags);
      emlint_message_free (msg);
      msg = emlint_message_new (repaired, "replay", raw->index, raw->in_mbox, raw->first_line);
      g_bytes_unref (repaired);
      diags = emlint_lint_message (config, msg);
    }
  g_ptr_array_unref (diags);
  emlint_message_free (msg);
  return keys;
}

/* The lower-case names of the fields that got a new msg-id (unsafe fixes). */
static GHashTable *
new_id_fields (const GArray *keys)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < keys->len; i++)
    {
      const FixedKey *k = &g_array_index (keys, FixedKey, i);
      if (strcmp (k->rule->id, "msgid-missing") == 0)
        g_hash_table_add (set, g_strdup ("message-id"));
      else if (strcmp (k->rule->id, "msgid-long-domain") == 0 && k->name != NULL)
        g_hash_table_add (set, g_strdup (k->name));
    }
  return set;
}

/* ---- invariant 1: only the edited fields change ------------------------------------------- */

static const char *const top_msgid_fields[] = {
  "Message-ID", "In-Reply-To", "References", "Resent-Message-ID", "Original-Message-ID", NULL,
};

/* A field a msg-id fix may rewrite: Content-ID anywhere, the others in the top-level header. */
static gboolean
is_msgid_field (const EmlintMessage *msg, guint header, const EmlintField *field)
{
  if (emlint_field_is (msg, field, "Content-ID"))
    return TRUE;
  for (guint i = 0; header == 0 && top_msgid_fields[i] != NULL; i++)
    if (emlint_field_is (msg, field, top_msgid_fields[i]))
      return TRUE;
  return FALSE;
}

/* A field that differs was refolded by header-line-length: same words, other whitespace. */
static void
assert_refold_only (const Where *w, const EmlintMessage *a, const EmlintField *fa,
                    const EmlintMessage *b, const EmlintField *fb, const char *name)
{
  g_autofree char *va = collapsed_value (a, fa), *vb = collapsed_value (b, fb);

  check_that (strcmp (va, vb) == 0,
              WHERE_FMT ": %s was refolded, but its words changed:\n  before: %s\n  after:  %s",
              WHERE_ARGS (w), name, va, vb);
}

/* The field's value unfolded and with its RFC 2047 encoded-words decoded (GMime). */
static char *
decoded_value (const EmlintMessage *msg, const EmlintField *field)
{
  GString *raw = g_string_new (NULL);
  char *text;

  for (gsize p = field->value_start; p < field->value_end; p++)
    if (msg->data[p] != '\r' && msg->data[p] != '\n')
      g_string_append_c (raw, msg->data[p]);
  text = g_mime_utils_header_decode_text (NULL, raw->str);
  g_string_free (raw, TRUE);
  return text;
}

/* A field that encoded-word-length split: the same text once decoded. */
static void
assert_same_decoded_text (const Where *w, const EmlintMessage *a, const EmlintField *fa,
                          const EmlintMessage *b, const EmlintField *fb, const char *name)
{
  g_autofree char *va = decoded_value (a, fa), *vb = decoded_value (b, fb);

  check_that (strcmp (va, vb) == 0,
              WHERE_FMT ": %s was re-encoded, but its decoded text changed:\n  before: %s\n"
                        "  after:  %s",
              WHERE_ARGS (w), name, va, vb);
}

/* Field @i of header @h in the original (@a) and the fixed message (@b). */
static void
assert_field_kept (const Where *w, const EmlintMessage *a, const EmlintMessage *b, guint h, guint i,
                   const GArray *keys)
{
  const EmlintHeader *ha = g_ptr_array_index (a->headers, h);
  const EmlintHeader *hb = g_ptr_array_index (b->headers, h);
  const EmlintField *fa = emlint_header_field (ha, i), *fb = emlint_header_field (hb, i);
  g_autofree char *name = emlint_field_dup_name (a, fa);
  g_autofree char *what = g_strdup_printf ("the name of field %u of header %u (%s)", i, h, name);

  assert_same_octets (w, what, a->data + fa->start, fa->start, fa->value_start - fa->start,
                      b->data + fb->start, fb->start, fb->value_start - fb->start);
  if (fa->end - fa->start == fb->end - fb->start
      && memcmp (a->data + fa->start, b->data + fb->start, fa->end - fa->start) == 0)
    return;
  if (is_msgid_field (a, h, fa))
    {
      check_that (find_key (keys, NULL, (int) h, (int) i) != NULL,
                  WHERE_FMT ": %s (field %u of header %u) changed, but no fix was reported "
                            "for it",
                  WHERE_ARGS (w), name, i, h);
      return;
    }
  /* Split encoded-words (and perhaps a refold too): the decoded text is what must stay. */
  if (find_key (keys, "encoded-word-length", (int) h, (int) i) != NULL)
    {
      assert_same_decoded_text (w, a, fa, b, fb, name);
      return;
    }
  if (find_key (keys, "header-line-length", (int) h, (int) i) != NULL)
    {
      assert_refold_only (w, a, fa, b, fb, name);
      return;
    }
  g_free (what);
  what = g_strdup_printf ("the octets of %s (field %u of header %u), which no fix may change", name,
                          i, h);
  assert_same_octets (w, what, a->data + fa->start, fa->start, fa->end - fa->start,
                      b->data + fb->start, fb->start, fb->end - fb->start);
}

static void
assert_same_shape (const Where *w, const EmlintMessage *a, const EmlintMessage *b)
{
  check_that (a->headers->len == b->headers->len,
              WHERE_FMT ": %u headers (message and MIME parts) before, %u after", WHERE_ARGS (w),
              a->headers->len, b->headers->len);
  for (guint h = 0; h < a->headers->len; h++)
    {
      const EmlintHeader *ha = g_ptr_array_index (a->headers, h);
      const EmlintHeader *hb = g_ptr_array_index (b->headers, h);
      check_that (ha->fields->len == hb->fields->len,
                  WHERE_FMT ": header %u has %u fields before and %u after", WHERE_ARGS (w), h,
                  ha->fields->len, hb->fields->len);
    }
}

typedef struct {
  guint header, field;
} FieldRef;

/* Every field of every header, in octet order, each once: when a part's header runs into the
 * next part's (no blank line before the boundary), their fields are listed twice in
 * msg->headers, and the first header holding a field is the one key_of() names. */
static GArray *
flat_fields (const EmlintMessage *msg)
{
  GArray *refs = g_array_new (FALSE, FALSE, sizeof (FieldRef));
  gsize covered = 0;

  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      for (guint i = 0; i < header->fields->len; i++)
        {
          FieldRef ref = { h, i };
          const EmlintField *f = emlint_header_field (header, i);

          if (f->start < covered)
            continue;
          g_array_append_val (refs, ref);
          covered = f->end;
        }
    }
  return refs;
}

static const EmlintField *
field_of (const EmlintMessage *msg, const FieldRef *ref)
{
  return emlint_header_field (g_ptr_array_index (msg->headers, ref->header), ref->field);
}

/* Every octet between fields (the header's start, bodies, preambles, boundaries, the tail) is
 * identical, and every field is kept or changed only as a fix may. */
static void
assert_same_layout (const Where *w, const EmlintMessage *a, const EmlintMessage *b,
                    const GArray *keys)
{
  g_autoptr (GArray) ra = NULL, rb = NULL;
  gsize pa = 0, pb = 0;

  assert_same_shape (w, a, b);
  ra = flat_fields (a);
  rb = flat_fields (b);
  check_that (ra->len == rb->len, WHERE_FMT ": %u header fields before, %u after", WHERE_ARGS (w),
              ra->len, rb->len);
  for (guint k = 0; k < ra->len; k++)
    {
      const FieldRef *xa = &g_array_index (ra, FieldRef, k), *xb = &g_array_index (rb, FieldRef, k);
      const EmlintField *fa = field_of (a, xa), *fb = field_of (b, xb);
      g_autofree char *what = g_strdup_printf ("the octets before field %u of header %u", xa->field,
                                               xa->header);

      check_that (xa->header == xb->header && xa->field == xb->field,
                  WHERE_FMT ": field %u of header %u before is field %u of header %u after",
                  WHERE_ARGS (w), xa->field, xa->header, xb->field, xb->header);
      assert_same_octets (w, what, a->data + pa, pa, fa->start - pa, b->data + pb, pb,
                          fb->start - pb);
      assert_field_kept (w, a, b, xa->header, xa->field, keys);
      pa = fa->end;
      pb = fb->end;
    }
  assert_same_octets (w, "the octets after the last header field (bodies, boundaries)",
                      a->data + pa, pa, a->len - pa, b->data + pb, pb, b->len - pb);
}

/* The fixed octets without the Message-ID field that msgid-missing added to a top-level header
 * of @n fields (with the line break it put before it when the header ended the file). The
 * original had no Message-ID, so the fixed header holds exactly one. */
static GBytes *
without_added_msgid (const Where *w, const EmlintMessage *fixed, guint n)
{
  const EmlintHeader *top = emlint_message_top (fixed);
  const EmlintField *f;
  gsize start, end;
  GByteArray *out;

  check_that (top->fields->len == n + 1,
              WHERE_FMT ": msgid-missing was fixed, but the header went from %u to %u fields",
              WHERE_ARGS (w), n, top->fields->len);
  f = NULL;
  for (guint i = 0; i < top->fields->len; i++)
    if (emlint_field_is (fixed, emlint_header_field (top, i), "Message-ID"))
      {
        check_that (f == NULL, WHERE_FMT ": msgid-missing added more than one Message-ID",
                    WHERE_ARGS (w));
        f = emlint_header_field (top, i);
      }
  check_that (f != NULL, WHERE_FMT ": msgid-missing was fixed, but no Message-ID was added",
              WHERE_ARGS (w));
  start = f->start;
  end = f->end;
  if (end == f->value_end && start > 0 && fixed->data[start - 1] == '\n')
    start -= start > 1 && fixed->data[start - 2] == '\r' ? 2 : 1;
  out = g_byte_array_sized_new ((guint) fixed->len);
  g_byte_array_append (out, (const guint8 *) fixed->data, (guint) start);
  g_byte_array_append (out, (const guint8 *) fixed->data + end, (guint) (fixed->len - end));
  return g_byte_array_free_to_bytes (out);
}

/* @bytes with every CR LF made LF: what is left to compare once line-ending normalised the
 * line breaks of a header section (a bare CR stays). A new reference. */
static GBytes *
lf_only (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  GByteArray *out = g_byte_array_sized_new ((guint) len);

  for (gsize i = 0; i < len; i++)
    if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
      g_byte_array_append (out, (const guint8 *) data + i, 1);
  return g_byte_array_free_to_bytes (out);
}

static void
assert_only_fields_changed (const Where *w, GBytes *original, const EmlintMessage *fixed,
                            const GArray *keys)
{
  gboolean eol = has_rule (keys, "line-ending");
  g_autoptr (GBytes) a_bytes = eol ? lf_only (original) : g_bytes_ref (original);
  g_autoptr (EmlintMessage) a = emlint_message_new (a_bytes, w->file, w->index, FALSE, 1);
  g_autoptr (GBytes) stripped = NULL, b_bytes = NULL;
  g_autoptr (EmlintMessage) b = NULL;

  if (has_rule (keys, "msgid-missing"))
    stripped = without_added_msgid (w, fixed, emlint_message_top (a)->fields->len);
  else
    stripped = g_bytes_ref (fixed->bytes);
  b_bytes = eol ? lf_only (stripped) : g_bytes_ref (stripped);
  b = emlint_message_new (b_bytes, w->file, w->index, FALSE, 1);
  assert_same_layout (w, a, b, keys);
}

/* An mbox keeps its message count and From_ lines: the fixed file, split again, gives the same
 * envelopes and exactly the fixed messages. Returns the re-split messages. */
static GPtrArray *
assert_mbox_kept (const Where *w, const GPtrArray *raws, EmlintFixResult *const *results)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr (GBytes) file = NULL;
  GPtrArray *again;

  for (guint i = 0; i < raws->len; i++)
    {
      const EmlintRawMessage *raw = g_ptr_array_index (raws, i);
      gsize len;
      const guint8 *env = g_bytes_get_data (raw->envelope, &len);

      g_byte_array_append (out, env, (guint) len);
      g_byte_array_append (out, (const guint8 *) results[i]->message->data,
                           (guint) results[i]->message->len);
    }
  file = g_byte_array_free_to_bytes (out);
  again = split_file (file);
  check_that (again->len == raws->len, "%s, %s options: %u messages before the fix, %u after",
              w->file, w->mode->name, raws->len, again->len);
  for (guint i = 0; i < raws->len; i++)
    {
      const EmlintRawMessage *a = g_ptr_array_index (raws, i), *b = g_ptr_array_index (again, i);
      Where at = { w->file, i, w->mode };

      assert_same_bytes (&at, "the From_ lines", a->envelope, b->envelope);
      assert_same_bytes (&at, "the message boundaries of the fixed file",
                         results[i]->message->bytes, b->bytes);
    }
  return again;
}

/* ---- invariants 2 and 3: idempotent, re-lint clean ----------------------------------------- */

static void
assert_idempotent (const Where *w, const EmlintRawMessage *fixed_raw)
{
  g_autoptr (GError) error = NULL;
  EmlintFixResult *again = fix_raw (w, fixed_raw, &error);

  check_that (again != NULL, WHERE_FMT ": fixing the fixed message: %s", WHERE_ARGS (w),
              error ? error->message : "");
  if (again->rounds != 0)
    {
      const EmlintDiagnostic *d = g_ptr_array_index (again->fixed, 0);
      ck_abort_msg (WHERE_FMT ": not idempotent: fixing the fixed message changes it again "
                              "(%u rounds), first by %s at line %u: %s",
                    WHERE_ARGS (w), again->rounds, d->rule->id, d->line, d->message);
    }
  emlint_fix_result_free (again);
}

static void
assert_relint_clean (const Where *w, const EmlintMessage *fixed, const GArray *keys)
{
  g_autoptr (GPtrArray) diags = emlint_lint_message (w->mode->config, fixed);

  for (guint i = 0; i < diags->len; i++)
    {
      const EmlintDiagnostic *d = g_ptr_array_index (diags, i);
      FixedKey key = key_of (fixed, d);
      gboolean back = find_key (keys, d->rule->id, key.header, key.field) != NULL;

      g_free (key.name);
      check_that (!emlint_diagnostic_is_fixable (d, w->mode->config->unsafe_fixes),
                  WHERE_FMT ": the re-lint of the fixed message still has a fixable finding: "
                            "line %u: %s [%s]",
                  WHERE_ARGS (w), d->line, d->message, d->rule->id);
      check_that (!back,
                  WHERE_FMT ": a fixed finding comes back at the same field: line %u: "
                            "%s [%s]",
                  WHERE_ARGS (w), d->line, d->message, d->rule->id);
    }
}

/* ---- invariant 4: GMime reads the same msg-ids ------------------------------------------- */

static GMimeMessage *
gmime_parse (GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data ? data : "", len);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *mime = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  return mime;
}

/* The msg-ids of an In-Reply-To or References field as GMime reads them, space-separated. */
static char *
gmime_reference_ids (GMimeMessage *mime, const char *name)
{
  const char *value = g_mime_object_get_header (GMIME_OBJECT (mime), name);
  GMimeReferences *refs = value ? g_mime_references_parse (NULL, value) : NULL;
  GString *out = g_string_new (NULL);

  for (int i = 0; refs != NULL && i < g_mime_references_length (refs); i++)
    g_string_append_printf (out, "%s<%s>", i ? " " : "",
                            g_mime_references_get_message_id (refs, i));
  if (refs != NULL)
    g_mime_references_free (refs);
  return g_string_free (out, FALSE);
}

static void
append_content_ids (GMimeObject *object, GString *out)
{
  const char *id = g_mime_object_get_content_id (object);

  g_string_append_printf (out, "[%s]", id ? id : "");
  if (GMIME_IS_MULTIPART (object))
    for (int i = 0; i < g_mime_multipart_get_count (GMIME_MULTIPART (object)); i++)
      append_content_ids (g_mime_multipart_get_part (GMIME_MULTIPART (object), i), out);
}

/* The Content-ID of every part, in order. */
static char *
gmime_content_ids (GMimeMessage *mime)
{
  GString *out = g_string_new (NULL);
  GMimeObject *root = g_mime_message_get_mime_part (mime);

  if (root != NULL)
    append_content_ids (root, out);
  return g_string_free (out, FALSE);
}

/* The decoded value of field @name, whitespace-normalised; "" when absent. */
static char *
gmime_header (GMimeMessage *mime, const char *name)
{
  const char *value = g_mime_object_get_header (GMIME_OBJECT (mime), name);
  g_auto (GStrv) words = g_strsplit_set (value ? value : "", " \t\r\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_string_append_printf (out, "%s%s", out->len ? " " : "", words[i]);
  return g_string_free (out, FALSE);
}

/* @value (with or without brackets) is one valid msg-id on DOMAIN. */
static void
assert_new_msgid (const Where *w, const char *name, const char *value)
{
  g_autofree char *id = value == NULL   ? g_strdup ("")
                        : *value == '<' ? g_strdup (value)
                                        : g_strdup_printf ("<%s>", value);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (EmlintMsgid));
  gboolean bare = FALSE;
  g_autofree char *error = emlint_msgid_parse (id, strlen (id), FALSE, ids, &bare);

  check_that (error == NULL && ids->len == 1 && bare && g_str_has_suffix (id, "@" DOMAIN ">"),
              WHERE_FMT ": the new %s %s is not a valid msg-id on " DOMAIN "%s%s", WHERE_ARGS (w),
              name, id, error ? ": " : "", error ? error : "");
}

static void
assert_same_reading (const Where *w, const char *what, const char *before, const char *after)
{
  check_that (g_strcmp0 (before, after) == 0,
              WHERE_FMT ": GMime reads %s as \"%s\" before the fix and \"%s\" after",
              WHERE_ARGS (w), what, before ? before : "(none)", after ? after : "(none)");
}

/* A field that may have got a new id: a valid one when it did, else the same reading. */
static void
assert_id_field (const Where *w, GHashTable *new_ids, const char *name, const char *before,
                 const char *after)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  if (g_hash_table_contains (new_ids, lower))
    assert_new_msgid (w, name, after);
  else
    assert_same_reading (w, name, before, after);
}

static void
assert_gmime_agrees (const Where *w, GBytes *original, GBytes *fixed, GHashTable *new_ids)
{
  GMimeMessage *a = gmime_parse (original), *b = gmime_parse (fixed);
  static const char *const lists[] = { "In-Reply-To", "References" };
  static const char *const single[] = { "Resent-Message-ID", "Original-Message-ID" };

  /* A file with no header at all gets one when msgid-missing adds a Message-ID. */
  if (a == NULL && b != NULL && g_hash_table_contains (new_ids, "message-id"))
    assert_new_msgid (w, "Message-ID", g_mime_message_get_message_id (b));
  check_that (a != NULL || b == NULL || g_hash_table_contains (new_ids, "message-id"),
              WHERE_FMT ": GMime parses the fixed message but not the original", WHERE_ARGS (w));
  check_that (a == NULL || b != NULL,
              WHERE_FMT ": GMime parses the original but not the "
                        "fixed message",
              WHERE_ARGS (w));
  if (a == NULL || b == NULL)
    {
      g_clear_object (&b);
      return;
    }
  assert_id_field (w, new_ids, "Message-ID", g_mime_message_get_message_id (a),
                   g_mime_message_get_message_id (b));
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autofree char *va = gmime_reference_ids (a, lists[i]);
      g_autofree char *vb = gmime_reference_ids (b, lists[i]);
      assert_same_reading (w, lists[i], va, vb);
    }
  for (guint i = 0; i < G_N_ELEMENTS (single); i++)
    {
      g_autofree char *va = gmime_header (a, single[i]), *vb = gmime_header (b, single[i]);
      assert_id_field (w, new_ids, single[i], va, vb);
    }
  {
    g_autofree char *va = gmime_content_ids (a), *vb = gmime_content_ids (b);
    assert_same_reading (w, "the Content-IDs of the parts", va, vb);
  }
  g_object_unref (a);
  g_object_unref (b);
}

/* ---- invariant 5: Python's email package, through py-email-check.py ----------------------- */

static void
write_message_file (const char *path, GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  test_write (path, data, (gssize) len);
}

static char *
joined_names (GHashTable *set)
{
  g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (set, NULL);

  return g_hash_table_size (set) ? g_strjoinv (",", (char **) names) : g_strdup ("-");
}

/* Writes the pair for the Python check and appends its line to pairs.tsv. */
static void
write_python_pair (const Where *w, guint file, GBytes *original, GBytes *fixed, GHashTable *new_ids)
{
  g_autofree char *stem = g_strdup_printf ("%s/f%05u-%s-m%u", pairs_dir, file, w->mode->name,
                                           w->index);
  g_autofree char *a = g_strconcat (stem, ".orig.eml", NULL);
  g_autofree char *b = g_strconcat (stem, ".fixed.eml", NULL);
  g_autofree char *list = g_build_filename (pairs_dir, "pairs.tsv", NULL);
  g_autofree char *names = joined_names (new_ids);
  FILE *out;

  write_message_file (a, original);
  write_message_file (b, fixed);
  out = fopen (list, "a");
  check_that (out != NULL, "cannot append to %s", list);
  fprintf (out, WHERE_FMT "\t%s\t%s\t%s\n", WHERE_ARGS (w), a, b, names);
  fclose (out);
}

/* ---- one message, one file -------------------------------------------------------------- */

/* A bad msgid-encoded-word case that the rule repairs (it has a .fixed.eml sidecar; an id
 * encoded inside its brackets and cut cannot be repaired). */
static gboolean
is_bad_encoded_word_case (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *rule = g_path_get_basename (dir);
  g_autofree char *corpus = g_build_filename (test_source_root (), "corpus", NULL);
  g_autofree char *stem = g_str_has_suffix (path, ".eml") ? g_strndup (path, strlen (path) - 4)
                                                          : g_strdup (path);
  g_autofree char *fixed = g_strconcat (stem, ".fixed.eml", NULL);

  return g_str_has_prefix (path, corpus) && strcmp (rule, "msgid-encoded-word") == 0
         && g_str_has_prefix (base, "bad-") && g_file_test (fixed, G_FILE_TEST_EXISTS);
}

static void
assert_rule_gone (const Where *w, const EmlintFixResult *result, const char *rule_id)
{
  for (guint i = 0; i < result->remaining->len; i++)
    {
      const EmlintDiagnostic *d = g_ptr_array_index (result->remaining, i);
      check_that (strcmp (d->rule->id, rule_id) != 0,
                  WHERE_FMT ": after the fix, %s still reports line %u: %s", WHERE_ARGS (w),
                  rule_id, d->line, d->message);
    }
}

/* Invariants 1-4 for one message (@raw, fixed into @result; @fixed_raw: the same message read
 * back from the fixed file), and the Python pair when it changed. */
static void
check_message (const Where *w, guint file, const EmlintRawMessage *raw,
               const EmlintFixResult *result, const EmlintRawMessage *fixed_raw)
{
  guint rounds;
  g_autoptr (GArray) keys = replay_fixed_keys (w->mode->config, raw, &rounds);
  g_autoptr (GHashTable) new_ids = new_id_fields (keys);

  check_that (rounds == result->rounds && keys->len == result->fixed->len,
              WHERE_FMT ": emlint_fix_message() reports %u rounds and %u fixes, its steps "
                        "replayed give %u and %u",
              WHERE_ARGS (w), result->rounds, result->fixed->len, rounds, keys->len);
  assert_idempotent (w, fixed_raw);
  assert_relint_clean (w, result->message, keys);
  if (is_bad_encoded_word_case (w->file))
    assert_rule_gone (w, result, "msgid-encoded-word");
  if (g_bytes_equal (raw->bytes, result->message->bytes))
    {
      check_that (result->rounds == 0, WHERE_FMT ": %u rounds of fixes changed nothing",
                  WHERE_ARGS (w), result->rounds);
      return;
    }
  assert_only_fields_changed (w, raw->bytes, result->message, keys);
  assert_gmime_agrees (w, raw->bytes, result->message->bytes, new_ids);
  if (pairs_dir != NULL)
    write_python_pair (w, file, raw->bytes, result->message->bytes, new_ids);
}

static EmlintFixResult *
fix_or_fail (const Where *w, const EmlintRawMessage *raw)
{
  g_autoptr (GError) error = NULL;
  EmlintFixResult *result = fix_raw (w, raw, &error);

  check_that (result != NULL, WHERE_FMT ": %s", WHERE_ARGS (w), error ? error->message : "");
  return result;
}

/* Every invariant for every message of the file @data with the options of @mode. */
static void
check_file (const char *path, guint file, GBytes *data, const Mode *mode)
{
  g_autoptr (GPtrArray) raws = split_file (data);
  g_autoptr (GPtrArray) again = NULL;
  EmlintFixResult **results = g_new0 (EmlintFixResult *, raws->len + 1);
  Where w = { path, 0, mode };

  for (guint i = 0; i < raws->len; i++)
    {
      w.index = i;
      results[i] = fix_or_fail (&w, g_ptr_array_index (raws, i));
    }
  again = assert_mbox_kept (&w, raws, results);
  for (guint i = 0; i < raws->len; i++)
    {
      w.index = i;
      check_message (&w, file, g_ptr_array_index (raws, i), results[i],
                     g_ptr_array_index (again, i));
      emlint_fix_result_free (results[i]);
    }
  g_free (results);
}

START_TEST (test_file_invariants)
{
  const char *path = g_ptr_array_index (files, _i);
  g_autoptr (GBytes) data = test_read (path);

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    check_file (path, (guint) _i, data, &modes[m]);
}
END_TEST

/* ---- invariant 5, run once over every pair ----------------------------------------------- */

START_TEST (test_python_email_agrees)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *script = g_build_filename (test_source_root (), "tests", "py-email-check.py",
                                              NULL);
  g_autofree char *list = g_build_filename (pairs_dir, "pairs.tsv", NULL);
  const char *argv[] = { python, script, "--domain", DOMAIN, "--pairs", list, NULL };
  g_autoptr (TestRun) run = NULL;

  check_that (python != NULL, "python3 not found"); /* main() skips without it */
  if (!g_file_test (list, G_FILE_TEST_EXISTS))
    test_write (list, "", 0);
  run = test_spawn (NULL, NULL, argv);
  check_that (run->status == 0, "py-email-check.py exit %d:\n%s%s", run->status, run->out,
              run->err);
  printf ("invariants: %s", run->out);
}
END_TEST

/* ---- invariants 5 and 6: DKIM-signed fields ---------------------------------------------- */

#define ENCODED_IN_REPLY_TO                                                                        \
  "In-Reply-To: =?utf-8?q?=3C20231002091542=2E7f3e9a1c5b2d4e6f8=2E0b20231002091?=\n"               \
  " =?utf-8?q?542=2E7f3e9a1c5b2d4e=40app=2Eexample=2Ecom=3E?=\n"
#define LONG_SUBJECT                                                                               \
  "Subject: Re: Minutes of the planning meeting on Monday and the action items for the Q4 "        \
  "release train\n"

/* A message signed by @sig_field (with c=@canon, or no c= tag when NULL) over @signed_fields,
 * with @fields after the signature. Returns new bytes. */
static GBytes *
signed_message (const char *sig_field, const char *canon, const char *signed_fields,
                const char *fields)
{
  g_autofree char *c = canon ? g_strdup_printf (" c=%s;", canon) : g_strdup ("");
  char *text = g_strdup_printf (
    "%s: v=1; a=rsa-sha256;%s d=example.org; s=sel2023;\n"
    " h=%s; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==\n"
    "From: Ada Example <ada@example.org>\n"
    "To: Bob Example <bob@example.com>\n"
    "Date: Mon, 02 Oct 2023 09:20:00 +0000\n"
    "Message-ID: <169623814200.4711.13613305403104159406@example.org>\n"
    "%s"
    "\n"
    "Looking into it.\n",
    sig_field, c, signed_fields, fields);
  return g_bytes_new_take (text, strlen (text));
}

/* The one finding of @rule_id in @msg, linted with @config. Returns a new diagnostic list; the
 * finding is in *@out. */
static GPtrArray *
lint_finding (const EmlintConfig *config, EmlintMessage *msg, const char *rule_id,
              const EmlintDiagnostic **out)
{
  GPtrArray *diags = emlint_lint_message (config, msg);

  *out = NULL;
  for (guint i = 0; i < diags->len; i++)
    if (strcmp (((EmlintDiagnostic *) g_ptr_array_index (diags, i))->rule->id, rule_id) == 0)
      *out = g_ptr_array_index (diags, i);
  check_that (*out != NULL, "no %s finding", rule_id);
  return diags;
}

/* The fix of @rule_id's finding in @bytes is held back by default, naming the signature, or
 * safe; it is applied with unsafe fixes either way, and every invariant holds in both modes. */
static void
check_signed (const char *label, guint pair, GBytes *bytes, const char *rule_id, gboolean safe,
              const char *sig_field)
{
  g_autoptr (EmlintMessage) msg = emlint_message_new (bytes, label, 0, FALSE, 1);
  const EmlintDiagnostic *d;
  g_autoptr (GPtrArray) diags = lint_finding (modes[0].config, msg, rule_id, &d);
  EmlintRawMessage raw = { g_bytes_new (NULL, 0), bytes, 0, 1, FALSE };

  check_that (emlint_diagnostic_has_fix (d), "%s: %s has no fix", label, rule_id);
  if (safe)
    check_that (d->unsafe_reason == NULL, "%s: the fix is held back: %s", label, d->unsafe_reason);
  else
    check_that (d->unsafe_reason != NULL && strstr (d->unsafe_reason, sig_field)
                  && strstr (d->unsafe_reason, "d=example.org")
                  && strstr (d->unsafe_reason, "s=sel2023"),
                "%s: the fix is not held back naming the %s (d=example.org, s=sel2023): %s", label,
                sig_field, d->unsafe_reason ? d->unsafe_reason : "(safe)");
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      Where w = { label, 0, &modes[m] };
      EmlintFixResult *result = fix_or_fail (&w, &raw);
      gboolean applied = result->fixed->len > 0;

      check_that (applied == (safe || modes[m].config->unsafe_fixes),
                  "%s, %s options: the %s fix was %s", label, modes[m].name, rule_id,
                  applied ? "applied" : "not applied");
      EmlintRawMessage fixed_raw = raw;

      if (applied)
        assert_rule_gone (&w, result, rule_id);
      fixed_raw.bytes = result->message->bytes;
      check_message (&w, pair, &raw, result, &fixed_raw);
      emlint_fix_result_free (result);
    }
  g_bytes_unref (raw.envelope);
}

START_TEST (test_dkim_in_reply_to_held_back)
{
  g_autoptr (GBytes) bytes = signed_message ("DKIM-Signature", "relaxed/relaxed",
                                             "from:to:subject:in-reply-to", ENCODED_IN_REPLY_TO);

  check_signed ("DKIM over In-Reply-To", files->len, bytes, "msgid-encoded-word", FALSE,
                "DKIM-Signature");
}
END_TEST

typedef struct {
  const char *sig_field;
  const char *canon; /* NULL: no c= tag, which means simple/simple */
  gboolean safe;
} RefoldCase;

static const RefoldCase refold_cases[] = {
  { "DKIM-Signature", "relaxed/relaxed", TRUE },
  { "DKIM-Signature", "relaxed/simple", TRUE },
  { "DKIM-Signature", "relaxed", TRUE },
  { "ARC-Message-Signature", "relaxed/relaxed", TRUE },
  { "DKIM-Signature", "simple/simple", FALSE },
  { "DKIM-Signature", "simple/relaxed", FALSE },
  { "DKIM-Signature", NULL, FALSE },
  { "ARC-Message-Signature", "simple/simple", FALSE },
};

START_TEST (test_dkim_subject_refold)
{
  const RefoldCase *c = &refold_cases[_i];
  g_autoptr (GBytes) bytes = signed_message (c->sig_field, c->canon, "from:to:subject",
                                             LONG_SUBJECT);
  g_autofree char *label = g_strdup_printf ("%s c=%s over a long Subject", c->sig_field,
                                            c->canon ? c->canon : "(none)");

  check_signed (label, files->len + 1 + (guint) _i, bytes, "header-line-length", c->safe,
                c->sig_field);
}
END_TEST

/* ---- the files --------------------------------------------------------------------------- */

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
is_case_file (const char *name)
{
  return (g_str_has_suffix (name, ".eml") || g_str_has_suffix (name, ".mbox"))
         && strstr (name, ".fixed.") == NULL;
}

/* corpus/<rule>/ files ending in .eml or .mbox, without the sidecars, in path order. */
static guint
collect_corpus (void)
{
  g_autofree char *corpus = g_build_filename (test_source_root (), "corpus", NULL);
  GDir *d = g_dir_open (corpus, 0, NULL);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  const char *rule, *name;

  if (d == NULL)
    g_error ("cannot read %s", corpus);
  while ((rule = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *dir = g_build_filename (corpus, rule, NULL);
      GDir *cd = g_dir_open (dir, 0, NULL);

      while (cd != NULL && (name = g_dir_read_name (cd)) != NULL)
        if (is_case_file (name))
          g_ptr_array_add (found, g_build_filename (dir, name, NULL));
      if (cd != NULL)
        g_dir_close (cd);
    }
  g_dir_close (d);
  g_ptr_array_sort (found, compare_strings);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (files, g_strdup (g_ptr_array_index (found, i)));
  return found->len;
}

/* The pairs folder holds files only. */
static void
remove_pairs_dir (void)
{
  GDir *d = g_dir_open (pairs_dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (pairs_dir, name, NULL);
      g_unlink (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (pairs_dir);
  g_clear_pointer (&pairs_dir, g_free);
}

static void
setup_modes (void)
{
  modes[0].name = "default";
  modes[0].config = emlint_config_new ();
  modes[1].name = "unsafe";
  modes[1].config = emlint_config_new ();
  modes[1].config->unsafe_fixes = TRUE;
  modes[1].config->msgid_domain = g_strdup (DOMAIN);
}

/* The files of corpus/ and the DKIM cases, or the files of corpus-ext; with @python, Python's
 * email package then reads every pair the other tests wrote. */
static Suite *
invariants_suite (gboolean ext, gboolean python)
{
  Suite *suite = suite_create ("invariants");
  TCase *tc = tcase_create ("files");

  tcase_set_timeout (tc, 120);
  tcase_add_loop_test (tc, test_file_invariants, 0, (int) files->len);
  suite_add_tcase (suite, tc);
  if (!ext)
    {
      TCase *dkim = tcase_create ("dkim");

      tcase_add_test (dkim, test_dkim_in_reply_to_held_back);
      tcase_add_loop_test (dkim, test_dkim_subject_refold, 0, G_N_ELEMENTS (refold_cases));
      suite_add_tcase (suite, dkim);
    }
  if (python)
    {
      TCase *client = tcase_create ("python");

      /* Last: it reads the pairs every other test wrote. */
      tcase_set_timeout (client, 300);
      tcase_add_test (client, test_python_email_agrees);
      suite_add_tcase (suite, client);
    }
  return suite;
}

/* The files of corpus/ or of corpus-ext into files; 77 (SKIP) when corpus-ext is absent, 1 when
 * it is broken, else 0. */
static int
collect_files (gboolean ext_only)
{
  const char *ext = test_corpus_ext ();
  g_autoptr (GError) error = NULL;

  if (!ext_only)
    {
      files = g_ptr_array_new_with_free_func (g_free);
      collect_corpus ();
      printf ("invariants: %u files of corpus/", files->len);
    }
  else if (ext == NULL)
    return test_skip ("corpus-ext not found at $EMLINT_CORPUS_EXT (%s): its files were not "
                      "fixed",
                      g_getenv ("EMLINT_CORPUS_EXT"));
  else if ((files = test_corpus_ext_files (ext, &error)) == NULL)
    {
      printf ("FAIL: corpus-ext is there but broken: %s\n", error->message);
      return 1;
    }
  else
    printf ("invariants: %u files of corpus-ext", files->len);
  printf (", each fixed with default and with unsafe options\n");
  fflush (stdout);
  return 0;
}

/* test-invariants corpus|corpus-ext [--python] */
int
main (int argc, char **argv)
{
  gboolean ext = argc > 1 && strcmp (argv[1], "corpus-ext") == 0;
  gboolean python = argc > 2 && strcmp (argv[2], "--python") == 0;
  g_autofree char *python3 = g_find_program_in_path ("python3");
  int status;

  if (argc < 2 || (!ext && strcmp (argv[1], "corpus") != 0) || (argc > 2 && !python))
    {
      fprintf (stderr, "usage: test-invariants corpus|corpus-ext [--python]\n");
      return 2;
    }
  if (python && python3 == NULL)
    return test_skip ("python3 not found: Python's email package was not asked");
  emlint_init ();
  setup_modes ();
  if ((status = collect_files (ext)) != 0)
    return status;
  pairs_dir = g_dir_make_tmp ("emlint-invariants-XXXXXX", NULL);
  if (pairs_dir == NULL)
    g_error ("cannot make a temporary folder");
  /* One process by default: forking for each of 1,400 files costs four times the checks
   * themselves. CK_FORK=yes isolates every file again (a crash then fails one test, not all). */
  status = test_run_suite_in_process (invariants_suite (ext, python));
  remove_pairs_dir ();
  g_ptr_array_unref (files);
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    emlint_config_free (modes[m].config);
  return status;
}
