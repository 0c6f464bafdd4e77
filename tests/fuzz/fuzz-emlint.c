/* fuzz-emlint.c: arbitrary bytes through split, check and fix, asserting the fix invariants
 * (doc/DESIGN.md) inside the harness: fixes converge, fixing again changes nothing, nothing
 * fixable remains, and every octet outside the header fields is unchanged. The same bytes are
 * read as an IMAP transcript in every format and linted (issue 17): masking keeps the length,
 * and every line and finding stays inside its file. Any violation aborts, which libFuzzer
 * records as a crash.
 *
 * Built as a libFuzzer target with -Dfuzz=true (clang), and always as `fuzz-replay`, which runs
 * the saved regression inputs and the corpus/ cases through the same checks. */
#include "engine.h"
#include "fix.h"
#include "input.h"
#include "report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define REQUIRE(cond, ...)                                                                         \
  do                                                                                               \
    {                                                                                              \
      if (!(cond))                                                                                 \
        {                                                                                          \
          fprintf (stderr, "fuzz-emlint: invariant broken: " __VA_ARGS__);                         \
          fputc ('\n', stderr);                                                                    \
          abort ();                                                                                \
        }                                                                                          \
    }                                                                                              \
  while (0)

static EmlintConfig *configs[2]; /* default options; unsafe fixes with --msgid-domain */

static void
init (void)
{
  emlint_init ();
  configs[0] = emlint_config_new ();
  configs[1] = emlint_config_new ();
  configs[1]->unsafe_fixes = TRUE;
  configs[1]->msgid_domain = g_strdup ("example.com");
}

/* The octets outside every header section (its fields and the blank line that ends it), in
 * order: what no fix may change. line-ending normalises a header section's line breaks, that
 * blank line's included. */
static GString *
outside_headers (const EmlintMessage *msg)
{
  GString *out = g_string_new (NULL);
  gsize pos = 0;

  for (guint i = 0; i < msg->headers->len; i++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, i);
      if (header->start > pos)
        g_string_append_len (out, msg->data + pos, (gssize) (header->start - pos));
      g_string_append_c (out, '\0'); /* a header stood here */
      pos = MAX (pos, header->body_start);
    }
  g_string_append_len (out, msg->data + pos, (gssize) (msg->len - pos));
  return out;
}

static void
check_fix (const EmlintConfig *config, const EmlintRawMessage *raw)
{
  g_autoptr (GError) error = NULL;
  EmlintFixResult *fixed
      = emlint_fix_message (config, raw->bytes, "fuzz", raw->index, raw->in_mbox, 1, &error);
  EmlintFixResult *again;
  g_autoptr (EmlintMessage) before = NULL;
  GString *a, *b;

  REQUIRE (fixed != NULL, "%s", error ? error->message : "no result");
  for (guint i = 0; i < fixed->remaining->len; i++)
    REQUIRE (!emlint_diagnostic_is_fixable (g_ptr_array_index (fixed->remaining, i),
                                            config->unsafe_fixes),
             "a fixable finding remains after the fix");
  if (fixed->rounds > 0)
    {
      again = emlint_fix_message (config, fixed->message->bytes, "fuzz", raw->index,
                                  raw->in_mbox, 1, &error);
      REQUIRE (again != NULL && again->rounds == 0, "fixing the fixed message changed it");
      emlint_fix_result_free (again);

      before = emlint_message_new (raw->bytes, "fuzz", raw->index, raw->in_mbox, 1);
      REQUIRE (before->headers->len == fixed->message->headers->len,
               "the fix changed the number of headers");
      a = outside_headers (before);
      b = outside_headers (fixed->message);
      REQUIRE (a->len == b->len && memcmp (a->str, b->str, a->len) == 0,
               "the fix changed octets outside the header fields");
      g_string_free (a, TRUE);
      g_string_free (b, TRUE);
    }
  emlint_fix_result_free (fixed);
}

static gboolean
each_message (const EmlintRawMessage *raw, gpointer user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    check_fix (configs[i], raw);
  return TRUE;
}

static void
check_transcript (GBytes *bytes, EmlintTranscriptFormat format)
{
  g_autoptr (GPtrArray) transcripts = emlint_transcript_read (bytes, "fuzz.in", format);

  REQUIRE (transcripts->len >= 1, "no transcript");
  for (guint k = 0; k < transcripts->len; k++)
    {
      const EmlintTranscript *t = g_ptr_array_index (transcripts, k);
      g_autoptr (GPtrArray) diags = emlint_lint_transcript (configs[0], t);
      const EmlintMessage *source = g_ptr_array_index (t->sources, 0);

      REQUIRE (source->len == g_bytes_get_size (bytes), "masking changed the transcript's length");
      for (guint i = 0; i < t->lines->len; i++)
        {
          const EmlintImapLine *line = emlint_transcript_line (t, i);
          REQUIRE (emlint_imap_line_offset (line, line->len) <= source->len
                     && emlint_imap_line_offset (line, 0)
                          <= emlint_imap_line_offset (line, line->len),
                   "a transcript line lies outside its file");
        }
      for (guint i = 0; i < diags->len; i++)
        {
          const EmlintDiagnostic *d = g_ptr_array_index (diags, i);
          REQUIRE (d->start <= d->end && d->end <= source->len && d->line >= 1,
                   "a transcript finding lies outside its file");
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);

  if (configs[0] == NULL)
    init ();
  emlint_split_messages (bytes, each_message, NULL);
  for (guint f = EMLINT_TRANSCRIPT_AUTO; f <= EMLINT_TRANSCRIPT_THUNDERBIRD; f++)
    check_transcript (bytes, (EmlintTranscriptFormat) f);
  return 0;
}
