/* report.c: text (GNU style), json, jsonl, sarif and github annotations. */
#include "report.h"

#include "emlint-config.h"
#include "escape.h"

#include <string.h>

struct _EmlintReporter {
  EmlintReportOptions options;
  FILE *out;
  guint count;            /* findings written so far */
  GString *sarif_results; /* sarif: the results, written at the end */
};

/* A format appends each finding to a string (on any thread); the reporter writes the strings in
 * output order, with the separator between two findings where the format has one. */
typedef struct {
  const char *name;
  const char *separator;
  void (*begin) (EmlintReporter *r);
  void (*add) (const EmlintReporter *r, GString *out, const EmlintMail *msg,
               const EmlintCliFinding *diag);
  void (*finish) (EmlintReporter *r);
} Format;

char *
emlint_fix_note (const EmlintCliFinding *diag)
{
  if (diag->has_fix && diag->unsafe_reason != NULL)
    return g_strdup_printf ("unsafe fix: %s; --unsafe-fixes applies it", diag->unsafe_reason);
  if (!diag->has_fix && diag->fix_needs != NULL)
    return g_strdup_printf ("unsafe fix: needs --unsafe-fixes and %s", diag->fix_needs);
  return NULL;
}

static const char *const fix_kind_json[] = { "null", "\"safe\"", "\"unsafe\"" };

/* The finding's message, with the fix note where the options ask for it. Free with g_free(). */
static char *
message_with_note (const EmlintReporter *r, const EmlintCliFinding *diag)
{
  g_autofree char *note = r->options.fix_notes ? emlint_fix_note (diag) : NULL;

  return note ? g_strdup_printf ("%s (%s)", diag->message, note) : g_strdup (diag->message);
}

/* The name a report gives a path: standard input without --stdin-filename is "<stdin>". */
static const char *
shown_path (const EmlintMail *msg)
{
  return strcmp (msg->path, "-") == 0 ? "<stdin>" : msg->path;
}

/* ---- text ------------------------------------------------------------------------------ */

#define ANSI_BOLD "\033[1m"
#define ANSI_RED "\033[1;31m"
#define ANSI_YELLOW "\033[1;33m"
#define ANSI_CYAN "\033[1;36m"
#define ANSI_GREEN "\033[1;32m"
#define ANSI_DIM "\033[2m"
#define ANSI_OFF "\033[0m"

static const char *
severity_color (EmlintSeverity severity)
{
  return severity == EMLINT_ERROR ? ANSI_RED : severity == EMLINT_WARNING ? ANSI_YELLOW : ANSI_CYAN;
}

#define SOURCE_BEFORE 60 /* octets of a long line shown before the column */
#define SOURCE_AFTER 60

/* The offending line, cut to a window around the column on long lines, and a caret under it. */
static void
text_source (const EmlintReporter *r, GString *out, const EmlintMail *msg,
             const EmlintCliFinding *diag)
{
  gsize start, end, at = diag->start;
  gsize from, to;
  g_autoptr (GString) src = NULL;
  g_autoptr (GString) caret = NULL;
  gsize before;

  emlint_mail_line (msg, at, &start, &end);
  from = at - start > SOURCE_BEFORE ? at - SOURCE_BEFORE : start;
  to = end - at > SOURCE_AFTER ? at + SOURCE_AFTER : end;
  src = g_string_new (from > start ? "  ..." : "  ");
  caret = g_string_new (from > start ? "     " : "  ");
  before = src->len;
  emlint_escape_display (src, msg->data + from, (gssize) (at - from));
  /* One caret column per shown character; tabs repeated so that the caret lines up. */
  for (gsize i = before; i < src->len; i++)
    if (((guchar) src->str[i] & 0xC0) != 0x80)
      g_string_append_c (caret, src->str[i] == '\t' ? '\t' : ' ');
  emlint_escape_display (src, msg->data + at, (gssize) (to - at));
  if (to < end)
    g_string_append (src, "...");
  g_string_append_printf (out, "%s\n%s%s\n", src->str, caret->str,
                          r->options.color ? ANSI_GREEN "^" ANSI_OFF : "^");
}

static void
text_add (const EmlintReporter *r, GString *out, const EmlintMail *msg,
          const EmlintCliFinding *diag)
{
  gboolean color = r->options.color;

  if (color)
    g_string_append (out, ANSI_BOLD);
  emlint_escape_display (out, msg->path, -1);
  g_string_append_printf (out, ":%" G_GUINT64_FORMAT ":%u:", diag->line, diag->column);
  if (color)
    g_string_append_printf (out, ANSI_OFF " %s%s" ANSI_OFF ": ", severity_color (diag->severity),
                            emlint_severity_name (diag->severity));
  else
    g_string_append_printf (out, " %s: ", emlint_severity_name (diag->severity));
  emlint_escape_display (out, diag->message, -1);
  if (msg->in_mbox)
    g_string_append_printf (out, " (message %u)", msg->index);
  /* ruff's mark: `emlint fix` (with these options) repairs this one. */
  if (emlint_cli_finding_is_fixable (diag, r->options.unsafe_fixes))
    g_string_append (out, color ? " " ANSI_GREEN "[*]" ANSI_OFF : " [*]");
  g_string_append_printf (out, color ? " " ANSI_DIM "[%s]" ANSI_OFF "\n" : " [%s]\n",
                          diag->rule->id);
  if (r->options.source)
    text_source (r, out, msg, diag);
}

/* ---- json and jsonl ---------------------------------------------------------------------- */

static void
json_object (const EmlintReporter *r, GString *out, const EmlintMail *msg,
             const EmlintCliFinding *diag)
{
  g_autofree char *message = message_with_note (r, diag);

  g_string_append (out, "{\"path\":");
  emlint_escape_json (out, msg->path, -1);
  g_string_append_printf (out,
                          ",\"index\":%u,\"line\":%" G_GUINT64_FORMAT ",\"column\":%u,"
                          "\"end_line\":%" G_GUINT64_FORMAT ","
                          "\"end_column\":%u,\"rule\":\"%s\",\"severity\":\"%s\",\"message\":",
                          msg->index, diag->line, diag->column, diag->end_line, diag->end_column,
                          diag->rule->id, emlint_severity_name (diag->severity));
  emlint_escape_json (out, message, -1);
  g_string_append_printf (out, ",\"fixable\":%s,\"fix\":%s}",
                          emlint_cli_finding_is_fixable (diag, r->options.unsafe_fixes) ? "true"
                                                                                        : "false",
                          fix_kind_json[diag->fix]);
}

static void
json_begin (EmlintReporter *r)
{
  fputs ("[", r->out);
}

static void
json_add (const EmlintReporter *r, GString *out, const EmlintMail *msg,
          const EmlintCliFinding *diag)
{
  g_string_append (out, "\n  ");
  json_object (r, out, msg, diag);
}

static void
json_finish (EmlintReporter *r)
{
  fputs (r->count > 0 ? "\n]\n" : "]\n", r->out);
}

static void
jsonl_add (const EmlintReporter *r, GString *out, const EmlintMail *msg,
           const EmlintCliFinding *diag)
{
  json_object (r, out, msg, diag);
  g_string_append_c (out, '\n');
}

/* ---- github ---------------------------------------------------------------------------- */

/* The workflow-command escaping of the runner (toolkit's command.ts). */
static void
github_escape (GString *out, const char *s, gboolean property)
{
  g_autoptr (GString) shown = g_string_new (NULL);

  emlint_escape_display (shown, s, -1);
  for (const char *p = shown->str; *p != '\0'; p++)
    {
      if (*p == '%')
        g_string_append (out, "%25");
      else if (*p == '\r')
        g_string_append (out, "%0D");
      else if (*p == '\n')
        g_string_append (out, "%0A");
      else if (property && *p == ':')
        g_string_append (out, "%3A");
      else if (property && *p == ',')
        g_string_append (out, "%2C");
      else
        g_string_append_c (out, *p);
    }
}

static void
github_add (const EmlintReporter *r, GString *out, const EmlintMail *msg,
            const EmlintCliFinding *diag)
{
  static const char *const levels[] = { "notice", "warning", "error" };
  g_autofree char *title = g_strdup_printf ("emlint %s", diag->rule->id);

  g_string_append_printf (out, "::%s file=", levels[diag->severity]);
  github_escape (out, shown_path (msg), TRUE);
  g_string_append_printf (out,
                          ",line=%" G_GUINT64_FORMAT ",col=%u,endLine=%" G_GUINT64_FORMAT
                          ",endColumn=%u,title=",
                          diag->line, diag->column, diag->end_line, diag->end_column);
  github_escape (out, title, TRUE);
  g_string_append (out, "::");
  github_escape (out, diag->message, FALSE);
  if (msg->in_mbox)
    g_string_append_printf (out, " (message %u)", msg->index);
  g_string_append_c (out, '\n');
}

/* ---- sarif ----------------------------------------------------------------------------- */

static const char *
sarif_level (EmlintSeverity severity)
{
  return severity == EMLINT_ERROR ? "error" : severity == EMLINT_WARNING ? "warning" : "note";
}

/* A path relative to the working directory, as code scanning wants it; an absolute file:// URI
 * for a path outside it. Both are normalised ("..", "//" resolved) and percent-encoded. */
static char *
sarif_uri (const char *path)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *abs = g_canonicalize_filename (path, cwd);
  gsize n = strlen (cwd);

  if (strcmp (path, "-") == 0)
    return g_strdup ("-");
  if (strncmp (abs, cwd, n) == 0 && abs[n] == '/')
    return g_uri_escape_string (abs + n + 1, "/", FALSE);
  return g_filename_to_uri (abs, NULL, NULL);
}

/* SARIF counts columns in Unicode code points (run.columnKind); emlint counts octets. */
static guint
code_point_column (const EmlintMail *msg, gsize offset)
{
  gsize start, end;
  guint column = 1;

  emlint_mail_line (msg, offset, &start, &end);
  for (gsize p = start; p < offset; p++)
    column += ((guchar) msg->data[p] & 0xC0) != 0x80;
  return column;
}

static void
sarif_add (const EmlintReporter *r, GString *out, const EmlintMail *msg,
           const EmlintCliFinding *diag)
{
  g_autofree char *uri = sarif_uri (msg->path);
  g_autofree char *message = message_with_note (r, diag);
  g_autofree char *text = msg->in_mbox ? g_strdup_printf ("%s (message %u)", message, msg->index)
                                       : g_strdup (message);
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%u\n%.*s", diag->rule->id, uri, msg->index,
                                          (int) (diag->end - diag->start), msg->data + diag->start);
  g_autofree char *fingerprint = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  g_string_append_printf (out,
                          "\n        {\"ruleId\":\"%s\",\"ruleIndex\":%u,\"level\":\"%s\","
                          "\"message\":{\"text\":",
                          diag->rule->id, (guint) diag->rule->index, sarif_level (diag->severity));
  emlint_escape_json (out, text, -1);
  g_string_append (out, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
  emlint_escape_json (out, uri, -1);
  g_string_append_printf (out,
                          "},\"region\":{\"startLine\":%" G_GUINT64_FORMAT ",\"startColumn\":%u,"
                          "\"endLine\":%" G_GUINT64_FORMAT ",\"endColumn\":%u}}}],"
                          "\"partialFingerprints\":{\"emlintFingerprint/v1\":\"%.32s\"},"
                          "\"properties\":{\"fix\":%s}}",
                          diag->line, code_point_column (msg, diag->start), diag->end_line,
                          code_point_column (msg, diag->end), fingerprint,
                          fix_kind_json[diag->fix]);
}

static void
sarif_finish (EmlintReporter *r)
{
  GString *out = g_string_new (NULL);
  size_t n = emlint_rule_count ();

  g_string_append (out, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
                        "  \"version\": \"2.1.0\",\n  \"runs\": [{\n    \"tool\": {\"driver\": {"
                        "\"name\":\"emlint\",\"version\":\"" EMLINT_VERSION "\","
                        "\"informationUri\":\"https://github.com/emlint/emlint\",\"rules\":[");
  for (size_t i = 0; i < n; i++)
    {
      const EmlintRuleInfo *rule = emlint_rule_info (i);
      g_autofree char *help = g_strdup_printf ("%s (%s)\n\n%s", rule->summary, rule->rfc,
                                               rule->doc);
      g_string_append_printf (out, "%s\n      {\"id\":\"%s\",\"shortDescription\":{\"text\":",
                              i ? "," : "", rule->id);
      emlint_escape_json (out, rule->summary, -1);
      g_string_append (out, "},\"fullDescription\":{\"text\":");
      emlint_escape_json (out, rule->doc, -1);
      g_string_append (out, "},\"help\":{\"text\":");
      emlint_escape_json (out, help, -1);
      g_string_append (out, "},\"properties\":{\"rfc\":");
      emlint_escape_json (out, rule->rfc, -1);
      g_string_append_printf (out, "},\"defaultConfiguration\":{\"level\":\"%s\"}}",
                              sarif_level (rule->severity));
    }
  g_string_append (out, "]}},\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [");
  g_string_append_len (out, r->sarif_results->str, (gssize) r->sarif_results->len);
  g_string_append (out, "\n    ]\n  }]\n}\n");
  fputs (out->str, r->out);
  g_string_free (out, TRUE);
}

/* ---- html: one page at the end (cli/html.c), nothing per finding ------------------------- */

static void
html_add (const EmlintReporter *r, GString *out, const EmlintMail *msg,
          const EmlintCliFinding *diag)
{
}

/* ---- the table ------------------------------------------------------------------------- */

static const Format formats[] = {
  [EMLINT_FORMAT_TEXT] = { "text", NULL, NULL, text_add, NULL },
  [EMLINT_FORMAT_JSON] = { "json", ",", json_begin, json_add, json_finish },
  [EMLINT_FORMAT_JSONL] = { "jsonl", NULL, NULL, jsonl_add, NULL },
  [EMLINT_FORMAT_SARIF] = { "sarif", ",", NULL, sarif_add, sarif_finish },
  [EMLINT_FORMAT_GITHUB] = { "github", NULL, NULL, github_add, NULL },
  [EMLINT_FORMAT_HTML] = { "html", NULL, NULL, html_add, NULL },
};

gboolean
emlint_format_parse (const char *name, EmlintFormat *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (name, formats[i].name) == 0)
      {
        *out = (EmlintFormat) i;
        return TRUE;
      }
  return FALSE;
}

EmlintReporter *
emlint_reporter_new (const EmlintReportOptions *options, FILE *out)
{
  EmlintReporter *r = g_new0 (EmlintReporter, 1);

  r->options = *options;
  r->out = out;
  r->sarif_results = g_string_new (NULL);
  if (formats[r->options.format].begin != NULL)
    formats[r->options.format].begin (r);
  return r;
}

/* Appends the findings in the format; with @consume, frees them once formatted. */
static void
format_all (const EmlintReporter *r, const EmlintMail *msg, GPtrArray *diagnostics, GString *out,
            gboolean consume)
{
  const Format *format = &formats[r->options.format];

  for (guint i = 0; i < diagnostics->len; i++)
    {
      if (i > 0 && format->separator != NULL)
        g_string_append (out, format->separator);
      format->add (r, out, msg, g_ptr_array_index (diagnostics, i));
    }
  if (consume)
    g_ptr_array_set_size (diagnostics, 0);
}

void
emlint_reporter_format (const EmlintReporter *r, const EmlintMail *msg,
                        const GPtrArray *diagnostics, GString *out)
{
  format_all (r, msg, (GPtrArray *) diagnostics, out, FALSE);
}

void
emlint_reporter_format_consume (const EmlintReporter *r, const EmlintMail *msg,
                                GPtrArray *diagnostics, GString *out)
{
  format_all (r, msg, diagnostics, out, TRUE);
}

void
emlint_reporter_write (EmlintReporter *r, const GString *chunk, guint n_findings)
{
  const Format *format = &formats[r->options.format];
  GString *sarif = r->options.format == EMLINT_FORMAT_SARIF ? r->sarif_results : NULL;

  if (n_findings == 0)
    return;
  if (r->count > 0 && format->separator != NULL)
    {
      if (sarif != NULL)
        g_string_append (sarif, format->separator);
      else
        fputs (format->separator, r->out);
    }
  if (sarif != NULL)
    g_string_append_len (sarif, chunk->str, (gssize) chunk->len);
  else
    fwrite (chunk->str, 1, chunk->len, r->out);
  r->count += n_findings;
}

void
emlint_reporter_add (EmlintReporter *r, const EmlintMail *msg, const GPtrArray *diagnostics)
{
  g_autoptr (GString) chunk = g_string_new (NULL);

  emlint_reporter_format (r, msg, diagnostics, chunk);
  emlint_reporter_write (r, chunk, diagnostics->len);
}

void
emlint_reporter_finish (EmlintReporter *r)
{
  if (formats[r->options.format].finish != NULL)
    formats[r->options.format].finish (r);
  fflush (r->out);
}

void
emlint_reporter_free (EmlintReporter *r)
{
  if (r == NULL)
    return;
  g_string_free (r->sarif_results, TRUE);
  g_free (r);
}
