/* tally.c: records of messages, and the totals, groups and worst files they add up to. */
#include "tally.h"

#include "baseline.h"
#include "escape.h"
#include "generator.h"

#include <gmime/gmime.h>
#include <string.h>

#define EXCERPT_MAX 200

static const char *const group_names[] = { "generator", "sender-domain", "msgid-domain", "month" };

gboolean
emlint_group_parse (const char *name, EmlintGroup *out)
{
  for (guint i = 0; i < EMLINT_N_GROUPS; i++)
    if (g_strcmp0 (name, group_names[i]) == 0)
      {
        *out = (EmlintGroup) i;
        return TRUE;
      }
  return FALSE;
}

const char *
emlint_group_name (EmlintGroup group)
{
  return group_names[group];
}

char *
emlint_plural (guint64 n, const char *singular, const char *plural)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT " %s", n, n == 1 ? singular : plural);
}

/* ---- records, on any thread ---------------------------------------------------------- */

/* The domain of the From address: after the last '@' of the angle-addr or addr-spec. */
static char *
sender_domain (const EmlintResult *result)
{
  g_autofree char *from = emlint_result_field (result, "From");
  char *open, *at, *end;

  if (from == NULL)
    return NULL;
  open = strrchr (from, '<');
  at = strrchr (open ? open : from, '@');
  if (at == NULL)
    return NULL;
  end = at + 1 + strcspn (at + 1, "> \t,;()");
  if (end == at + 1)
    return NULL;
  return g_ascii_strdown (at + 1, end - at - 1);
}

/* The id-right of the Message-ID, in lower case. */
static char *
msgid_domain (const EmlintResult *result)
{
  g_autofree char *domain = emlint_result_msgid_domain (result);

  return domain != NULL ? g_ascii_strdown (domain, -1) : NULL;
}

/* YYYY-MM of the Date field, as GMime reads it. */
static char *
month (const EmlintResult *result)
{
  g_autofree char *date = emlint_result_field (result, "Date");
  g_autoptr (GDateTime) when = date ? g_mime_utils_header_decode_date (date) : NULL;

  return when ? g_date_time_format (when, "%Y-%m") : NULL;
}

/* Group keys are shown on terminals too: control characters and invalid UTF-8 are escaped
 * (\xNN) like every octet of a message. Takes @key; returns a new string. */
static char *
key_or_unknown (char *key)
{
  GString *shown;

  if (key == NULL || *key == '\0')
    {
      g_free (key);
      return g_strdup ("unknown");
    }
  shown = g_string_new (NULL);
  emlint_escape_display (shown, key, -1);
  g_free (key);
  return g_string_free (shown, FALSE);
}

static char *
excerpt (const EmlintMail *msg, gsize offset)
{
  gsize start, end;

  emlint_mail_line (msg, offset, &start, &end);
  return g_strndup (msg->data + start, MIN (end - start, EXCERPT_MAX));
}

EmlintRecord *
emlint_record_new (const EmlintMail *msg, const EmlintResult *result, const GPtrArray *diagnostics,
                   EmlintRecordFlags flags, gboolean unsafe_fixes)
{
  EmlintRecord *record = g_new0 (EmlintRecord, 1);

  record->path = g_strdup (msg->path);
  record->index = msg->index;
  if (flags & EMLINT_RECORD_KEYS)
    {
      record->keys[EMLINT_GROUP_GENERATOR] = key_or_unknown (emlint_generator_of (result));
      record->keys[EMLINT_GROUP_SENDER_DOMAIN] = key_or_unknown (sender_domain (result));
      record->keys[EMLINT_GROUP_MSGID_DOMAIN] = key_or_unknown (msgid_domain (result));
      record->keys[EMLINT_GROUP_MONTH] = key_or_unknown (month (result));
    }
  record->findings = g_array_sized_new (FALSE, TRUE, sizeof (EmlintRecordFinding),
                                        diagnostics->len);
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const EmlintCliFinding *diag = g_ptr_array_index (diagnostics, i);
      EmlintRecordFinding f = { (guint) diag->rule->index,
                                diag->severity,
                                diag->fix,
                                emlint_cli_finding_is_fixable (diag, unsafe_fixes),
                                diag->line,
                                diag->column,
                                NULL,
                                NULL };

      if (flags & EMLINT_RECORD_DETAILS)
        f.message = g_strdup (diag->message), f.excerpt = excerpt (msg, diag->start);
      g_array_append_val (record->findings, f);
    }
  if ((flags & EMLINT_RECORD_BASELINE) && diagnostics->len > 0)
    {
      g_autoptr (GPtrArray) prints = emlint_fingerprints (msg, diagnostics);

      record->baseline = g_string_new (NULL);
      for (guint i = 0; i < diagnostics->len; i++)
        {
          g_autofree char *line = emlint_baseline_line (msg, diagnostics, i,
                                                        g_ptr_array_index (prints, i));
          g_string_append (record->baseline, line);
        }
    }
  return record;
}

static void
finding_clear (EmlintRecordFinding *f)
{
  g_free (f->message);
  g_free (f->excerpt);
}

void
emlint_record_free (EmlintRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->path);
  for (guint i = 0; i < EMLINT_N_GROUPS; i++)
    g_free (record->keys[i]);
  for (guint i = 0; i < record->findings->len; i++)
    finding_clear (&g_array_index (record->findings, EmlintRecordFinding, i));
  g_array_unref (record->findings);
  if (record->baseline != NULL)
    g_string_free (record->baseline, TRUE);
  g_free (record);
}

/* ---- the tally, on the main thread --------------------------------------------------- */

static guint
n_rules (void)
{
  return (guint) emlint_rule_count ();
}

static void
group_stats_free (gpointer data)
{
  EmlintGroupStats *g = data;

  g_free (g->key);
  g_free (g->rule_findings);
  g_free (g);
}

static void
file_stats_free (gpointer data)
{
  EmlintFileStats *f = data;

  if (f == NULL)
    return;
  for (guint i = 0; i < f->shown->len; i++)
    finding_clear (&g_array_index (f->shown, EmlintShownFinding, i).finding);
  g_array_unref (f->shown);
  g_free (f->path);
  g_free (f);
}

EmlintTally *
emlint_tally_new (void)
{
  EmlintTally *t = g_new0 (EmlintTally, 1);

  t->rule_findings = g_new0 (guint64, n_rules ());
  t->rule_messages = g_new0 (guint64, n_rules ());
  for (guint i = 0; i < EMLINT_N_GROUPS; i++)
    t->groups[i] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, group_stats_free);
  t->worst = g_ptr_array_new_with_free_func (file_stats_free);
  return t;
}

void
emlint_tally_free (EmlintTally *t)
{
  if (t == NULL)
    return;
  g_free (t->rule_findings);
  g_free (t->rule_messages);
  for (guint i = 0; i < EMLINT_N_GROUPS; i++)
    g_hash_table_unref (t->groups[i]);
  g_ptr_array_unref (t->worst);
  file_stats_free (t->current);
  g_free (t->skipped);
  g_free (t);
}

static gint
by_findings (gconstpointer a, gconstpointer b)
{
  const EmlintFileStats *x = *(EmlintFileStats *const *) a, *y = *(EmlintFileStats *const *) b;

  return x->findings != y->findings ? (x->findings > y->findings ? -1 : 1)
                                    : strcmp (x->path, y->path);
}

/* The file just finished joins the worst files when it has more findings than the least. */
static void
close_current_file (EmlintTally *t)
{
  EmlintFileStats *f = g_steal_pointer (&t->current);

  if (f == NULL)
    return;
  if (f->findings == 0)
    {
      file_stats_free (f);
      return;
    }
  g_ptr_array_add (t->worst, f);
  g_ptr_array_sort (t->worst, by_findings);
  if (t->worst->len > EMLINT_TALLY_WORST_FILES)
    g_ptr_array_remove_index (t->worst, t->worst->len - 1);
}

static void
add_to_group (EmlintTally *t, EmlintGroup group, const EmlintRecord *record)
{
  const char *key = record->keys[group];
  const char *when = record->keys[EMLINT_GROUP_MONTH];
  EmlintGroupStats *g = g_hash_table_lookup (t->groups[group], key);

  if (g == NULL)
    {
      g = g_new0 (EmlintGroupStats, 1);
      g->key = g_strdup (key);
      g->rule_findings = g_new0 (guint64, n_rules ());
      g_hash_table_insert (t->groups[group], g->key, g);
    }
  g->messages++;
  g->findings += record->findings->len;
  for (guint i = 0; i < record->findings->len; i++)
    g->rule_findings[g_array_index (record->findings, EmlintRecordFinding, i).rule]++;
  if (record->findings->len == 0)
    return;
  g->failing++;
  if (strcmp (when, "unknown") != 0)
    {
      if (*g->first == '\0' || strcmp (when, g->first) < 0)
        g_strlcpy (g->first, when, sizeof g->first);
      if (strcmp (when, g->last) > 0)
        g_strlcpy (g->last, when, sizeof g->last);
    }
}

void
emlint_tally_add (EmlintTally *t, EmlintRecord *record)
{
  guint n = n_rules ();
  g_autofree gboolean *hit = g_new0 (gboolean, n);

  if (t->current != NULL && strcmp (t->current->path, record->path) != 0)
    close_current_file (t);
  if (t->current == NULL)
    {
      t->current = g_new0 (EmlintFileStats, 1);
      t->current->path = g_strdup (record->path);
      t->current->shown = g_array_new (FALSE, TRUE, sizeof (EmlintShownFinding));
    }
  t->messages++;
  t->current->messages++;
  t->failing += record->findings->len > 0;
  for (guint i = 0; i < record->findings->len; i++)
    {
      EmlintRecordFinding *f = &g_array_index (record->findings, EmlintRecordFinding, i);

      t->findings++;
      t->by_severity[f->severity]++;
      t->fixable += f->fixable;
      t->unsafe += !f->fixable && f->fix == EMLINT_FIX_UNSAFE;
      t->rule_findings[f->rule]++;
      if (!hit[f->rule])
        t->rule_messages[f->rule]++;
      hit[f->rule] = TRUE;
      t->current->findings++;
      if (t->current->shown->len < EMLINT_TALLY_SHOWN_PER_FILE && f->message != NULL)
        {
          /* The shown finding takes the strings. */
          EmlintShownFinding shown = { record->index, *f };
          f->message = f->excerpt = NULL;
          g_array_append_val (t->current->shown, shown);
        }
    }
  for (guint g = 0; g < EMLINT_N_GROUPS && record->keys[0] != NULL; g++)
    add_to_group (t, (EmlintGroup) g, record);
  emlint_record_free (record);
}

void
emlint_tally_finish (EmlintTally *t, guint64 files, guint64 failed, const char *skipped)
{
  close_current_file (t);
  t->files = files;
  t->failed = failed;
  g_free (t->skipped);
  t->skipped = g_strdup (skipped);
}

static gint
group_by_findings (gconstpointer a, gconstpointer b)
{
  const EmlintGroupStats *x = *(EmlintGroupStats *const *) a, *y = *(EmlintGroupStats *const *) b;

  if (x->findings != y->findings)
    return x->findings > y->findings ? -1 : 1;
  return strcmp (x->key, y->key);
}

static gint
group_by_key (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(EmlintGroupStats *const *) a)->key, (*(EmlintGroupStats *const *) b)->key);
}

GPtrArray *
emlint_tally_groups (const EmlintTally *t, EmlintGroup group, gboolean by_key)
{
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, t->groups[group]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (out, value);

  g_ptr_array_sort (out, by_key ? group_by_key : group_by_findings);
  return out;
}

/* ---- printing -------------------------------------------------------------------------- */

/* "3 errors, 2 warnings" (kinds with none left out), or "" */
static char *
severities (const EmlintTally *t)
{
  static const char *const names[][2] = { { "info", "info" },
                                          { "warning", "warnings" },
                                          { "error", "errors" } };
  g_autoptr (GString) out = g_string_new (NULL);

  for (int s = EMLINT_ERROR; s >= EMLINT_INFO; s--)
    if (t->by_severity[s] > 0)
      {
        g_autofree char *part = emlint_plural (t->by_severity[s], names[s][0], names[s][1]);
        g_string_append_printf (out, "%s%s", out->len ? ", " : "", part);
      }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
emlint_tally_print_summary (const EmlintTally *t, FILE *out)
{
  g_autofree char *files = emlint_plural (t->files, "file", "files");
  g_autofree char *messages = emlint_plural (t->messages, "message", "messages");
  g_autofree char *findings = emlint_plural (t->findings, "finding", "findings");
  g_autofree char *kinds = severities (t);
  g_autoptr (GString) line = g_string_new (NULL);

  g_string_printf (line, "emlint: %s, %s: ", files, messages);
  if (t->findings == 0)
    g_string_append (line, "no findings");
  else
    g_string_append_printf (line, "%s (%s)", findings, kinds);
  if (t->fixable > 0)
    g_string_append_printf (line, "; %" G_GUINT64_FORMAT " fixable with 'emlint fix' [*]",
                            t->fixable);
  if (t->unsafe > 0)
    g_string_append_printf (line, "; %" G_GUINT64_FORMAT " more with --unsafe-fixes", t->unsafe);
  if (t->skipped != NULL && *t->skipped != '\0')
    g_string_append_printf (line, "; %s", t->skipped);
  if (t->failed > 0)
    g_string_append_printf (line, "; %" G_GUINT64_FORMAT " %s with errors (above)", t->failed,
                            t->failed == 1 ? "input" : "inputs");
  fprintf (out, "%s\n", line->str);
}

void
emlint_tally_print_totals (const EmlintTally *t, FILE *out)
{
  g_autofree char *kinds = severities (t);
  g_autofree char *findings = emlint_plural (t->findings, "finding", "findings");
  g_autofree char *messages = emlint_plural (t->messages, "message", "messages");

  fprintf (out,
           "%s%s%s%s in %" G_GUINT64_FORMAT " of %s; %" G_GUINT64_FORMAT
           " fixable, %" G_GUINT64_FORMAT " more with --unsafe-fixes\n",
           findings, *kinds ? " (" : "", kinds, *kinds ? ")" : "", t->failing, messages, t->fixable,
           t->unsafe);
  if (t->failed > 0) /* as the terminal summary and the HTML report count them */
    fprintf (out, "%" G_GUINT64_FORMAT " %s with errors (exit 2)\n", t->failed,
             t->failed == 1 ? "input" : "inputs");
}

void
emlint_tally_print_groups (const EmlintTally *t, EmlintGroup group, FILE *out)
{
  g_autoptr (GPtrArray) groups = emlint_tally_groups (t, group, group == EMLINT_GROUP_MONTH);
  guint n = n_rules ();
  int width = (int) strlen (group_names[group]);

  for (guint i = 0; i < groups->len; i++)
    width = MAX (width, (int) g_utf8_strlen (((EmlintGroupStats *) groups->pdata[i])->key, -1));
  width = MIN (width, 48);
  fprintf (out, "\n%-*s %10s %10s %10s %-8s %-8s %s\n", width, group_names[group], "messages",
           "failing", "findings", "first", "last", "top rule");
  for (guint i = 0; i < groups->len; i++)
    {
      const EmlintGroupStats *g = g_ptr_array_index (groups, i);
      guint top = 0;

      for (guint r = 1; r < n; r++)
        if (g->rule_findings[r] > g->rule_findings[top])
          top = r;
      /* Padding counts characters, so that UTF-8 keys line up. */
      fprintf (out,
               "%s%*s %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT
               " %-8s %-8s %s\n",
               g->key, MAX (0, width - (int) g_utf8_strlen (g->key, -1)), "", g->messages,
               g->failing, g->findings, *g->first ? g->first : "-", *g->last ? g->last : "-",
               g->findings ? emlint_rule_info (top)->id : "-");
    }
}
