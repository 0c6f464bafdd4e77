/* html.c: the HTML report. The page declares a Content-Security-Policy that allows nothing
 * but its own inline style, so that even a browser that opened a crafted report would fetch
 * and run nothing. */
#include "html.h"

#include "emlint-config.h"
#include "escape.h"

#include <string.h>

#define BAR_WIDTH 420 /* pixels of the longest bar */
#define BAR_HEIGHT 18
#define LABEL_WIDTH 260
#define LABEL_CHARS 36 /* that fit LABEL_WIDTH */
#define MAX_GROUP_ROWS 30
#define MONTH_LEFT 60 /* room for the first slanted month label */

static const char *const severity_colors[] = { "#3b82f6", "#d97706", "#dc2626" };

void
emlint_html_escape (GString *out, const char *s)
{
  g_autoptr (GString) shown = g_string_new (NULL);

  emlint_escape_display (shown, s, -1);
  for (const char *p = shown->str; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *p);
      }
}

static const char style[] =
  "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;"
  "color:#1f2937}h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}"
  "table{border-collapse:collapse;margin:.5em 0}td,th{padding:2px 10px;text-align:left;"
  "border-bottom:1px solid #eee}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
  "pre{background:#f6f8fa;padding:.5em;overflow-x:auto;white-space:pre-wrap;"
  "word-break:break-all}.error{color:#dc2626}.warning{color:#b45309}.info{color:#2563eb}"
  "code{font-size:.95em}svg text{font:12px system-ui,sans-serif}li{margin:.4em 0}"
  ".totals{font-size:1.1em}";

/* A horizontal bar chart: one bar per label, its length proportional to the value. */
static void
bar_chart (GString *out, const char *title, const char *const *labels, const guint64 *values,
           const char *const *colors, guint n)
{
  guint64 max = 1;
  guint height = n * (BAR_HEIGHT + 6) + 6;

  for (guint i = 0; i < n; i++)
    max = MAX (max, values[i]);
  g_string_append_printf (out,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                          "width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\"><title>",
                          LABEL_WIDTH + BAR_WIDTH + 80, height, LABEL_WIDTH + BAR_WIDTH + 80,
                          height);
  emlint_html_escape (out, title);
  g_string_append (out, "</title>");
  for (guint i = 0; i < n; i++)
    {
      guint y = 6 + i * (BAR_HEIGHT + 6);
      guint w = (guint) MAX (1, (values[i] * BAR_WIDTH) / max);

      g_string_append_printf (out, "<text x=\"%u\" y=\"%u\" text-anchor=\"end\">", LABEL_WIDTH - 8,
                              y + 13);
      /* Long labels (a generator's name) are cut to fit left of the bars. */
      if (g_utf8_strlen (labels[i], -1) > LABEL_CHARS)
        {
          g_autofree char *cut = g_utf8_substring (labels[i], 0, LABEL_CHARS - 1);
          emlint_html_escape (out, cut);
          g_string_append (out, "\u2026");
        }
      else
        emlint_html_escape (out, labels[i]);
      g_string_append_printf (out,
                              "</text><rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" "
                              "fill=\"%s\"/><text x=\"%u\" y=\"%u\">%" G_GUINT64_FORMAT "</text>",
                              LABEL_WIDTH, y, w, BAR_HEIGHT, colors ? colors[i] : "#6366f1",
                              LABEL_WIDTH + w + 6, y + 13, values[i]);
    }
  g_string_append (out, "</svg>\n");
}

/* A column chart of findings per month, in month order. */
static void
month_chart (GString *out, const GPtrArray *months)
{
  guint64 max = 1;
  guint n = months->len, col = n > 0 ? MAX (6, MIN (40, 720 / n)) : 6, height = 180;
  guint every = MAX (1, (n + 23) / 24); /* label at most 24 columns */

  for (guint i = 0; i < n; i++)
    max = MAX (max, ((EmlintGroupStats *) months->pdata[i])->findings);
  g_string_append_printf (out,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                          "width=\"%u\" height=\"%u\"><title>Findings per month</title>",
                          MONTH_LEFT + n * col + 20, height + 80);
  for (guint i = 0; i < n; i++)
    {
      const EmlintGroupStats *g = g_ptr_array_index (months, i);
      guint h = (guint) ((g->findings * height) / max);

      g_string_append_printf (out,
                              "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" "
                              "fill=\"#6366f1\"><title>",
                              MONTH_LEFT + i * col, 10 + height - h, col - 2, h);
      emlint_html_escape (out, g->key);
      g_string_append_printf (out, ": %" G_GUINT64_FORMAT "</title></rect>", g->findings);
      if (i % every == 0 || i == n - 1)
        {
          /* Slanted, so that neighbouring months never overlap. */
          guint x = MONTH_LEFT + i * col + col / 2, y = height + 24;
          g_string_append_printf (out,
                                  "<text x=\"%u\" y=\"%u\" text-anchor=\"end\" "
                                  "transform=\"rotate(-45 %u %u)\">",
                                  x, y, x, y);
          emlint_html_escape (out, g->key);
          g_string_append (out, "</text>");
        }
    }
  g_string_append (out, "</svg>\n");
}

static void
totals (GString *out, const EmlintTally *t)
{
  g_string_append_printf (out,
                          "<p class=\"totals\"><span id=\"total-files\">%" G_GUINT64_FORMAT
                          "</span> files, <span id=\"total-messages\">%" G_GUINT64_FORMAT
                          "</span> messages (%" G_GUINT64_FORMAT " with findings): "
                          "<span id=\"total-findings\">%" G_GUINT64_FORMAT "</span> "
                          "findings: <span class=\"error\">%" G_GUINT64_FORMAT " errors</span>, "
                          "<span class=\"warning\">%" G_GUINT64_FORMAT " warnings</span>, "
                          "<span class=\"info\">%" G_GUINT64_FORMAT " info</span>; "
                          "%" G_GUINT64_FORMAT " fixable with <code>emlint fix</code>, "
                          "%" G_GUINT64_FORMAT " more with <code>--unsafe-fixes</code>",
                          t->files, t->messages, t->failing, t->findings,
                          t->by_severity[EMLINT_ERROR], t->by_severity[EMLINT_WARNING],
                          t->by_severity[EMLINT_INFO], t->fixable, t->unsafe);
  if (t->skipped != NULL && *t->skipped != '\0')
    {
      g_string_append (out, "; ");
      emlint_html_escape (out, t->skipped);
    }
  if (t->failed > 0)
    g_string_append_printf (out, "; %" G_GUINT64_FORMAT " inputs with errors", t->failed);
  g_string_append (out, ".</p>\n");
}

static void
rules_section (GString *out, const EmlintTally *t)
{
  guint n = (guint) emlint_rule_count (), shown = 0;
  g_autofree const char **labels = g_new0 (const char *, n);
  g_autofree const char **colors = g_new0 (const char *, n);
  g_autofree guint64 *values = g_new0 (guint64, n);

  g_string_append (out, "<section id=\"rules\"><h2>Findings per rule</h2>\n");
  for (guint i = 0; i < n; i++)
    if (t->rule_findings[i] > 0)
      {
        labels[shown] = emlint_rule_info (i)->id;
        colors[shown] = severity_colors[emlint_rule_info (i)->severity];
        values[shown++] = t->rule_findings[i];
      }
  if (shown == 0)
    g_string_append (out, "<p>No findings.</p>\n");
  else
    bar_chart (out, "Findings per rule", labels, values, colors, shown);
  g_string_append (out, "<table><tr><th>rule</th><th>severity</th><th class=\"n\">findings</th>"
                        "<th class=\"n\">messages</th><th>RFC</th></tr>\n");
  for (guint i = 0; i < n; i++)
    {
      const EmlintRuleInfo *rule = emlint_rule_info (i);

      if (t->rule_findings[i] > 0)
        g_string_append_printf (out,
                                "<tr data-rule=\"%s\" data-findings=\"%" G_GUINT64_FORMAT
                                "\"><td><a href=\"#rule-%s\">%s</a></td><td class=\"%s\">%s"
                                "</td><td class=\"n\">%" G_GUINT64_FORMAT "</td><td class=\"n\">"
                                "%" G_GUINT64_FORMAT "</td><td>%s</td></tr>\n",
                                rule->id, t->rule_findings[i], rule->id, rule->id,
                                emlint_severity_name (rule->severity),
                                emlint_severity_name (rule->severity), t->rule_findings[i],
                                t->rule_messages[i], rule->rfc);
    }
  g_string_append (out, "</table></section>\n");
}

static void
group_section (GString *out, const EmlintTally *t, EmlintGroup group, const char *id,
               const char *title)
{
  g_autoptr (GPtrArray) groups = emlint_tally_groups (t, group, group == EMLINT_GROUP_MONTH);
  guint rows = MIN (groups->len, MAX_GROUP_ROWS);
  g_autofree const char **labels = g_new0 (const char *, rows + 1);
  g_autofree guint64 *values = g_new0 (guint64, rows + 1);

  g_string_append_printf (out, "<section id=\"%s\"><h2>%s</h2>\n", id, title);
  if (group == EMLINT_GROUP_MONTH)
    month_chart (out, groups);
  else
    {
      for (guint i = 0; i < rows; i++)
        {
          const EmlintGroupStats *g = g_ptr_array_index (groups, i);
          labels[i] = g->key, values[i] = g->findings;
        }
      bar_chart (out, title, labels, values, NULL, rows);
    }
  g_string_append_printf (out,
                          "<table><tr><th>%s</th><th class=\"n\">messages</th>"
                          "<th class=\"n\">with findings</th><th class=\"n\">findings</th>"
                          "<th>first</th><th>last</th></tr>\n",
                          emlint_group_name (group));
  for (guint i = 0; i < groups->len && (group == EMLINT_GROUP_MONTH || i < rows); i++)
    {
      const EmlintGroupStats *g = g_ptr_array_index (groups, i);

      g_string_append_printf (out, "<tr data-findings=\"%" G_GUINT64_FORMAT "\"><td>", g->findings);
      emlint_html_escape (out, g->key);
      g_string_append_printf (out,
                              "</td><td class=\"n\">%" G_GUINT64_FORMAT "</td><td class=\"n\">"
                              "%" G_GUINT64_FORMAT "</td><td class=\"n\">%" G_GUINT64_FORMAT
                              "</td><td>%s</td><td>%s</td></tr>\n",
                              g->messages, g->failing, g->findings, *g->first ? g->first : "-",
                              *g->last ? g->last : "-");
    }
  if (groups->len > rows && group != EMLINT_GROUP_MONTH)
    g_string_append_printf (out, "<tr><td colspan=\"6\">and %u more</td></tr>\n",
                            groups->len - rows);
  g_string_append (out, "</table></section>\n");
}

static void
files_section (GString *out, const EmlintTally *t)
{
  g_string_append (out, "<section id=\"files\"><h2>Files with the most findings</h2>\n");
  for (guint i = 0; i < t->worst->len; i++)
    {
      const EmlintFileStats *f = g_ptr_array_index (t->worst, i);
      g_autofree char *findings = emlint_plural (f->findings, "finding", "findings");
      g_autofree char *messages = emlint_plural (f->messages, "message", "messages");

      g_string_append (out, "<h3 class=\"file\"><code>");
      emlint_html_escape (out, f->path);
      g_string_append_printf (out, "</code></h3><p>%s in %s%s</p><ul>\n", findings, messages,
                              f->findings > f->shown->len ? " (the first shown)" : "");
      for (guint k = 0; k < f->shown->len; k++)
        {
          const EmlintShownFinding *s = &g_array_index (f->shown, EmlintShownFinding, k);
          const char *severity = emlint_severity_name (s->finding.severity);

          g_string_append_printf (out,
                                  "<li class=\"finding\">%" G_GUINT64_FORMAT
                                  ":%u (message %u) <span "
                                  "class=\"%s\">%s</span>: ",
                                  s->finding.line, s->finding.column, s->index, severity, severity);
          emlint_html_escape (out, s->finding.message);
          g_string_append_printf (out, " [<a href=\"#rule-%s\">%s</a>]%s<pre>",
                                  emlint_rule_info (s->finding.rule)->id,
                                  emlint_rule_info (s->finding.rule)->id,
                                  s->finding.fixable ? " [*]" : "");
          emlint_html_escape (out, s->finding.excerpt);
          g_string_append (out, "</pre></li>\n");
        }
      g_string_append (out, "</ul>\n");
    }
  g_string_append (out, "</section>\n");
}

static void
explanations_section (GString *out, const EmlintTally *t)
{
  guint n = (guint) emlint_rule_count ();

  g_string_append (out, "<section id=\"explanations\"><h2>The rules found</h2>\n");
  for (guint i = 0; i < n; i++)
    if (t->rule_findings[i] > 0)
      {
        const EmlintRuleInfo *rule = emlint_rule_info (i);

        g_string_append_printf (out, "<details id=\"rule-%s\"><summary><code>%s</code>: ", rule->id,
                                rule->id);
        emlint_html_escape (out, rule->summary);
        g_string_append_printf (out, " (%s)</summary><pre>", rule->rfc);
        emlint_html_escape (out, rule->doc);
        g_string_append (out, "</pre></details>\n");
      }
  g_string_append (out, "</section>\n");
}

void
emlint_html_write (const EmlintTally *t, FILE *out)
{
  g_autoptr (GString) page = g_string_new (NULL);

  g_string_append_printf (page,
                          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                          "'none'; style-src 'unsafe-inline'\">"
                          "<meta name=\"viewport\" content=\"width=device-width\">"
                          "<title>emlint report</title><style>%s</style></head><body>\n"
                          "<h1>emlint report</h1>\n",
                          style);
  totals (page, t);
  rules_section (page, t);
  group_section (page, t, EMLINT_GROUP_GENERATOR, "generators", "Findings per generator");
  group_section (page, t, EMLINT_GROUP_MONTH, "months", "Findings per month");
  group_section (page, t, EMLINT_GROUP_SENDER_DOMAIN, "senders", "Findings per sender domain");
  files_section (page, t);
  explanations_section (page, t);
  g_string_append (page, "<footer><p>emlint " EMLINT_VERSION "</p></footer>\n</body></html>\n");
  fwrite (page->str, 1, page->len, out);
}
