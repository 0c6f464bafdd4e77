/* engine.c: the rule loop, reporting, and turning byte spans into lines and columns. */
#include "engine.h"

#include "rule.h"

#include <gmime/gmime.h>
#include <string.h>

static EmlintDiagnostic *report_valist (EmlintContext *ctx, EmlintSeverity severity, gsize start,
                                        gsize end, const char *format, va_list args)
  G_GNUC_PRINTF (5, 0);

/* Settles the finding held past the limit: one with a fix is stored (`fix` needs its edits, and
 * `check` says what `fix` would do), one without is counted and dropped. */
static void
settle_pending (EmlintContext *ctx)
{
  EmlintDiagnostic *diag = g_steal_pointer (&ctx->pending);

  if (diag == NULL)
    return;
  if (emlint_diagnostic_has_fix (diag))
    {
      g_ptr_array_add (ctx->out, diag);
      return;
    }
  ctx->dropped++;
  if (ctx->first_dropped == NULL)
    ctx->first_dropped = diag;
  else
    emlint_diagnostic_free (diag);
}

static EmlintDiagnostic *
report_valist (EmlintContext *ctx, EmlintSeverity severity, gsize start, gsize end,
               const char *format, va_list args)
{
  EmlintDiagnostic *diag = emlint_diagnostic_new (ctx->rule, severity, start, end,
                                                  g_strdup_vprintf (format, args));
  guint limit = ctx->config->max_findings_per_rule;

  /* Like a compiler's error limit: millions of one finding (a field repeated millions of
   * times) would cost hundreds of octets each, many times the message. */
  settle_pending (ctx);
  if (limit == 0 || ctx->kept < limit)
    {
      ctx->kept++;
      g_ptr_array_add (ctx->out, diag);
    }
  else
    ctx->pending = diag;
  return diag;
}

/* @n with a comma between groups of three digits (3,999,900): a new string. */
static char *
group_digits (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  gsize len = strlen (digits);
  GString *out = g_string_sized_new (len + len / 3);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* After a rule's check: the findings it reported past the limit become one, at the first. */
static void
finish_rule (EmlintContext *ctx)
{
  EmlintDiagnostic *diag;
  g_autofree char *count = NULL;

  settle_pending (ctx);
  diag = g_steal_pointer (&ctx->first_dropped);
  if (diag == NULL)
    return;
  count = group_digits (ctx->dropped);
  g_free (diag->message);
  diag->message = g_strdup_printf ("... and %s more like this in this %s "
                                   "(--max-findings-per-rule %u)",
                                   count, ctx->msg != NULL ? "message" : "transcript",
                                   ctx->config->max_findings_per_rule);
  diag->fix_needs = NULL;
  g_ptr_array_add (ctx->out, diag);
}

EmlintDiagnostic *
emlint_report (EmlintContext *ctx, gsize start, gsize end, const char *format, ...)
{
  va_list args;
  EmlintDiagnostic *diag;

  va_start (args, format);
  diag = report_valist (ctx, ctx->severity, start, end, format, args);
  va_end (args);
  return diag;
}

EmlintDiagnostic *
emlint_report_at (EmlintContext *ctx, EmlintSeverity severity, gsize start, gsize end,
                  const char *format, ...)
{
  va_list args;
  EmlintDiagnostic *diag;

  /* A severity set in the configuration outranks the one the rule picks. */
  if (ctx->severity != ctx->rule->severity)
    severity = ctx->severity;
  va_start (args, format);
  diag = report_valist (ctx, severity, start, end, format, args);
  va_end (args);
  return diag;
}

EmlintDiagnostic *
emlint_report_field (EmlintContext *ctx, const EmlintField *field, const char *format, ...)
{
  va_list args;
  EmlintDiagnostic *diag;

  va_start (args, format);
  diag = report_valist (ctx, ctx->severity, field->start, field->value_end, format, args);
  va_end (args);
  return diag;
}

EmlintDiagnostic *
emlint_report_imap (EmlintContext *ctx, const EmlintImapLine *line, gsize from, gsize to,
                    const char *format, ...)
{
  va_list args;
  EmlintDiagnostic *diag;

  va_start (args, format);
  diag = report_valist (ctx, ctx->severity, emlint_imap_line_offset (line, from),
                        emlint_imap_line_offset (line, to), format, args);
  va_end (args);
  diag->source = line->source;
  return diag;
}

static void
resolve_place (const EmlintMessage *msg, gsize offset, guint *line, guint *column)
{
  guint l = emlint_message_line_of (msg, offset);

  *line = msg->first_line + l;
  *column = (guint) (offset - emlint_message_line_start (msg, l)) + 1;
}

static gint
compare_place (gconstpointer a, gconstpointer b)
{
  const EmlintDiagnostic *x = *(EmlintDiagnostic *const *) a;
  const EmlintDiagnostic *y = *(EmlintDiagnostic *const *) b;

  if (x->source != y->source)
    return x->source < y->source ? -1 : 1;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  return g_strcmp0 (x->rule->id, y->rule->id);
}

/* Where readers that end a line at a bare CR as well (Python's email splits at \r, \n and
 * \r\n) end @header: the line after a bare CR, when it is empty or no field and no
 * continuation. G_MAXSIZE when there is none. In a file of CR line ends, emlint's header runs
 * to the end; for those readers it ends at the first CR CR. */
static gsize
bare_cr_stray (const EmlintMessage *msg, const EmlintHeader *header)
{
  const char *d = msg->data;

  for (gsize at = header->start; at < header->end; at++)
    {
      const char *cr = memchr (d + at, '\r', header->end - at);
      gsize name = 0;

      if (cr == NULL)
        break;
      at = (gsize) (cr - d) + 1; /* the line after the CR */
      if (at < msg->len && d[at] == '\n')
        continue; /* CRLF */
      if (at >= header->end || d[at] == '\r' || d[at] == '\n')
        return at; /* an empty line */
      if (d[at] == ' ' || d[at] == '\t')
        continue; /* a continuation */
      while (at + name < header->end && d[at + name] > ' ' && d[at + name] < 127
             && d[at + name] != ':')
        name++;
      if (name == 0 || at + name >= header->end || d[at + name] != ':')
        return at; /* no field */
    }
  return G_MAXSIZE;
}

/* What some readers take for a body: after a stray line (neither a field nor a continuation,
 * also when a bare CR begins it) of the top-level header, the rest of the message; of a part's
 * header, the rest of that header. Returns the ranges [start, end), in order, or NULL when
 * there is none. */
static GArray *
stray_ranges (const EmlintMessage *msg)
{
  GArray *ranges = NULL;

  for (guint h = 0; h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      gsize stray = MIN (header->stray, bare_cr_stray (msg, header));
      /* To the end (an insertion there too) of the message, or of a part's header. */
      EmlintEdit range = { stray, h == 0 ? msg->len + 1 : header->body_start, NULL };

      if (stray == G_MAXSIZE)
        continue;
      if (ranges == NULL)
        ranges = g_array_new (FALSE, FALSE, sizeof (EmlintEdit));
      g_array_append_val (ranges, range);
      if (h == 0)
        break; /* it covers every part */
    }
  return ranges;
}

/* The range of @ranges that @edit reaches into, or NULL. An insertion just before the stray
 * line stays in the header for every reader. */
static const EmlintEdit *
stray_range_of (const GArray *ranges, const EmlintEdit *edit)
{
  guint lo = 0, hi = ranges->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const EmlintEdit *r = &g_array_index (ranges, EmlintEdit, mid);

      if (edit->end <= r->start)
        hi = mid;
      else if (edit->start >= r->end)
        lo = mid + 1;
      else
        return r;
    }
  return NULL;
}

/* Marks unsafe every fix that edits what some readers take for a body (see stray_ranges()). */
static void
guard_stray_lines (const EmlintMessage *msg, GPtrArray *diagnostics)
{
  g_autoptr (GArray) ranges = stray_ranges (msg);

  for (guint i = 0; ranges != NULL && i < diagnostics->len; i++)
    {
      EmlintDiagnostic *diag = g_ptr_array_index (diagnostics, i);

      for (guint k = 0; diag->edits != NULL && k < diag->edits->len; k++)
        {
          const EmlintEdit *range = stray_range_of (ranges,
                                                    &g_array_index (diag->edits, EmlintEdit, k));
          g_autofree char *reason = NULL;
          guint line;

          if (range == NULL)
            continue;
          line = msg->first_line + emlint_message_line_of (msg, range->start);
          if (range->start > 0 && msg->data[range->start - 1] == '\r')
            reason = g_strdup_printf ("it edits the header after a bare CR on line %u: Python's "
                                      "email package and other readers that end lines there "
                                      "end the header too, and would see the body changed",
                                      line);
          else
            reason = g_strdup_printf ("it edits the header after line %u, which is no header "
                                      "field: Python's email package and other readers end the "
                                      "header there, and would see the body changed",
                                      line);
          emlint_diagnostic_set_unsafe (diag, reason);
          break;
        }
    }
}

GPtrArray *
emlint_lint_message (const EmlintConfig *config, const EmlintMessage *msg)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_diagnostic_free);
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  gboolean empty = emlint_message_is_empty (msg);

  /* The placeholders are part of how the message reads; set before any cache is built. */
  ((EmlintMessage *) msg)->placeholders = config->placeholders;

  for (guint i = 0; i < n; i++)
    {
      EmlintContext ctx = { config, msg, rules[i], (EmlintSeverity) config->severity[i], out };

      /* Empty input (an app that crashed before it wrote) is one finding, of field-count, not
       * a missing Date, From and Message-ID. */
      if (empty && strcmp (rules[i]->id, "field-count") != 0)
        continue;
      if (config->severity[i] != EMLINT_SEVERITY_OFF && rules[i]->model == EMLINT_MODEL_MESSAGE)
        {
          rules[i]->check (&ctx);
          finish_rule (&ctx);
        }
    }
  guard_stray_lines (msg, out);
  /* The rules' caches are rebuilt on demand; dropped here, a message of millions of fields does
   * not hold them while its findings are reported. */
  emlint_message_drop_caches ((EmlintMessage *) msg);
  for (guint i = 0; i < out->len; i++)
    {
      EmlintDiagnostic *diag = g_ptr_array_index (out, i);
      resolve_place (msg, diag->start, &diag->line, &diag->column);
      resolve_place (msg, diag->end, &diag->end_line, &diag->end_column);
    }
  /* Stable (GLib's sort is a merge sort): findings of one rule at one place keep their order. */
  g_ptr_array_sort (out, compare_place);
  return out;
}

guint
emlint_transcript_lacks (const EmlintTranscript *t, const EmlintRule *rule)
{
  return rule->needs & ~t->has;
}

GPtrArray *
emlint_lint_transcript (const EmlintConfig *config, const EmlintTranscript *t)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_diagnostic_free);
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  for (guint i = 0; i < n; i++)
    {
      EmlintContext ctx = { config, NULL, rules[i], (EmlintSeverity) config->severity[i], out, t };

      if (config->severity[i] != EMLINT_SEVERITY_OFF && rules[i]->model == EMLINT_MODEL_TRANSCRIPT
          && emlint_transcript_lacks (t, rules[i]) == 0)
        {
          rules[i]->check (&ctx);
          finish_rule (&ctx);
        }
    }
  for (guint i = 0; i < out->len; i++)
    {
      EmlintDiagnostic *diag = g_ptr_array_index (out, i);
      const EmlintMessage *source = g_ptr_array_index (t->sources, diag->source);
      resolve_place (source, diag->start, &diag->line, &diag->column);
      resolve_place (source, diag->end, &diag->end_line, &diag->end_column);
    }
  g_ptr_array_sort (out, compare_place);
  return out;
}

void
emlint_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}
