/* api.c: the public API (emlint.h) over the core: options become an EmlintConfig (a linter),
 * diagnostics become EmlintFindings. The only file whose functions libemlint.so exports, with
 * the few core functions emlint.h declares (severity and format names). */
#include "emlint.h"

#include "emlint-config.h"
#include "engine.h"
#include "fix.h"
#include "msgid.h"
#include "rule.h"

#include <string.h>

struct _EmlintLinter {
  EmlintConfig *config;
};

struct _EmlintResult {
  GPtrArray *diagnostics;       /* check, transcripts: of EmlintDiagnostic*, owns their text */
  EmlintFixResult *fix;         /* fix: owns the octets and the diagnostics */
  GArray *findings;             /* of EmlintFinding, pointing into the above */
  GArray *fixed;                /* of EmlintFinding */
  EmlintMessage *message;       /* check: the model of the caller's octets (borrowed) */
  EmlintTranscript *transcript; /* transcripts: the session, its sources masked */
  guint *lacks;                 /* transcripts: per rule, the EmlintTranscriptHas it lacks */
};

const char *
emlint_version (void)
{
  return EMLINT_VERSION;
}

/* The size of API 1's EmlintOptions: what a caller built against it has. */
#define OPTIONS_V1_SIZE G_STRUCT_OFFSET (EmlintOptions, max_findings_per_rule)

void
emlint_options_init_sized (EmlintOptions *options, size_t size)
{
  EmlintOptions defaults = {
    .size = MIN (size, sizeof defaults),
    /* API 1's default was 0; API 2 gives 0 a meaning (an error, as on the command line). */
    .msgid_domain_max = size > OPTIONS_V1_SIZE ? (unsigned) EMLINT_UNSET : 0,
    .max_findings_per_rule = EMLINT_UNSET,
    .fail_on = EMLINT_UNSET,
  };

  memcpy (options, &defaults, defaults.size);
}

/* The function of API 1, which callers built against it (and bindings) call by name: they have
 * API 1's struct. */
void (emlint_options_init) (EmlintOptions *options)
{
  emlint_options_init_sized (options, OPTIONS_V1_SIZE);
}

/* The caller's options over the defaults. A caller built against an older emlint.h passes a
 * shorter struct: the fields it does not know keep their defaults, and API 1's 0 for
 * msgid_domain_max means the default. */
static gboolean
read_options (const EmlintOptions *options, EmlintOptions *out, GError **error)
{
  emlint_options_init (out);
  if (options == NULL)
    return TRUE;
  if (options->size == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "EmlintOptions.size is 0: initialise with emlint_options_init()");
      return FALSE;
    }
  memcpy (out, options, MIN (options->size, sizeof *out));
  if (options->size <= OPTIONS_V1_SIZE && out->msgid_domain_max == 0)
    out->msgid_domain_max = (unsigned) EMLINT_UNSET;
  out->size = sizeof *out;
  return TRUE;
}

/* FALSE with @error prefixed by the field's @name (the validators say what is wrong only). */
static gboolean
field_error (const char *name, GError **error)
{
  g_prefix_error (error, "%s ", name);
  return FALSE;
}

/* The numeric fields over the configuration file's values, through the core's validators. */
static gboolean
set_numbers (EmlintConfig *config, const EmlintOptions *o, GError **error)
{
  g_autofree char *findings = NULL;

  if (o->msgid_domain_max != (unsigned) EMLINT_UNSET
      /* As an int, so that the error names a negative number a caller cast (the CLI's -5). */
      && !emlint_config_set_msgid_domain_max (config, (int) o->msgid_domain_max, error))
    return field_error ("msgid_domain_max", error);
  if (o->msgid_domain != NULL && !emlint_config_set_msgid_domain (config, o->msgid_domain, error))
    return field_error ("msgid_domain", error);
  if (o->max_message_size != NULL
      && !emlint_config_set_max_message_size (config, o->max_message_size, error))
    return field_error ("max_message_size", error);
  findings = g_strdup_printf ("%ld", o->max_findings_per_rule);
  if (o->max_findings_per_rule != EMLINT_UNSET
      && !emlint_config_set_max_findings_per_rule (config, findings, error))
    return field_error ("max_findings_per_rule", error);
  if (o->fail_on != EMLINT_UNSET)
    {
      if (o->fail_on < EMLINT_INFO || o->fail_on > EMLINT_ERROR)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "fail_on is no EmlintSeverity: %d", o->fail_on);
          return FALSE;
        }
      config->fail_on = (EmlintSeverity) o->fail_on;
    }
  return TRUE;
}

/* A new configuration (free with emlint_config_free()), or NULL with @error. The order is the
 * command line's: the file, then rules, then values. */
static EmlintConfig *
config_from_options (const EmlintOptions *options, GError **error)
{
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  EmlintOptions o;
  guint n;

  emlint_rules (&n);
  if (!read_options (options, &o, error)
      || (o.config_file != NULL && !emlint_config_load (config, o.config_file, error))
      || (o.select != NULL && !emlint_config_select (config, o.select, error))
      || (o.ignore != NULL && !emlint_config_ignore (config, o.ignore, error))
      || !set_numbers (config, &o, error))
    return NULL;
  if (o.fix_select != NULL)
    {
      config->fix_rules = g_new0 (gboolean, n);
      if (!emlint_config_parse_rules (o.fix_select, config->fix_rules, error))
        return field_error ("fix_select", error), NULL;
    }
  config->unsafe_fixes |= o.unsafe_fixes != 0;
  config->template_profile |= o.template_profile != 0;
  /* As the file's `profile = template`: the template syntaxes, unless the file named some. */
  if (config->template_profile && config->placeholders == NULL)
    config->placeholders = g_strdupv ((char **) emlint_template_placeholders);
  config->smtputf8 |= o.smtputf8 != 0;
  config->received_line_length |= o.received_line_length != 0;
  return g_steal_pointer (&config);
}

/* Hands @error's text (taken) to the caller's *@out, a new string; @out may be NULL. */
static void
give_error (GError *error, char **out)
{
  if (out != NULL)
    *out = g_strdup (error->message);
  g_error_free (error);
}

EmlintLinter *
emlint_linter_new (const EmlintOptions *options, char **error)
{
  GError *local = NULL;
  EmlintConfig *config;
  EmlintLinter *linter;

  emlint_init ();
  if ((config = config_from_options (options, &local)) == NULL)
    {
      give_error (local, error);
      return NULL;
    }
  linter = g_new0 (EmlintLinter, 1);
  linter->config = config;
  return linter;
}

void
emlint_linter_free (EmlintLinter *linter)
{
  if (linter == NULL)
    return;
  emlint_config_free (linter->config);
  g_free (linter);
}

EmlintSeverity
emlint_linter_fail_on (const EmlintLinter *linter)
{
  return linter->config->fail_on;
}

unsigned long long
emlint_linter_max_message_size (const EmlintLinter *linter)
{
  return linter->config->max_message_size;
}

int
emlint_linter_runs (const EmlintLinter *linter, size_t rule)
{
  g_return_val_if_fail (rule < emlint_rule_count (), FALSE);
  return linter->config->severity[rule] != EMLINT_SEVERITY_OFF;
}

/* ---- rules ------------------------------------------------------------------------------ */

/* The registry as EmlintRuleInfos, made once. A mutex rather than g_once: ThreadSanitizer sees
 * GMutex (cli/tsan-glib.c) but not the atomics inside libglib that g_once_init_leave() uses. It
 * is taken once per message, uncontended. */
static const EmlintRuleInfo *
rule_infos (void)
{
  static GMutex lock;
  static EmlintRuleInfo *infos;
  const EmlintRuleInfo *out;

  g_mutex_lock (&lock);
  if (infos == NULL)
    {
      guint n;
      const EmlintRule *const *rules = emlint_rules (&n);

      infos = g_new0 (EmlintRuleInfo, n);
      for (guint i = 0; i < n; i++)
        infos[i] = (EmlintRuleInfo){ rules[i]->id,      rules[i]->severity,
                                     rules[i]->fixable, rules[i]->summary,
                                     rules[i]->rfc,     rules[i]->doc,
                                     rules[i]->model,   i };
    }
  out = infos;
  g_mutex_unlock (&lock);
  return out;
}

size_t
emlint_rule_count (void)
{
  guint n;

  emlint_rules (&n);
  return n;
}

const EmlintRuleInfo *
emlint_rule_info (size_t i)
{
  g_return_val_if_fail (i < emlint_rule_count (), NULL);
  return &rule_infos ()[i];
}

const EmlintRuleInfo *
emlint_rule_find (const char *id)
{
  const EmlintRule *rule = emlint_rule_lookup (id);

  return rule != NULL ? &rule_infos ()[emlint_rule_index (rule)] : NULL;
}

/* ---- findings --------------------------------------------------------------------------- */

/* The field of @header whose octets hold @offset, or NULL: fields are in order, so a binary
 * search (a message may have millions of fields and thousands of findings). */
static const EmlintField *
field_in (const EmlintHeader *header, gsize offset)
{
  guint lo = 0, hi = header->fields->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const EmlintField *field = emlint_header_field (header, mid);

      if (offset < field->start)
        hi = mid;
      else if (offset >= field->end)
        lo = mid + 1;
      else
        return field;
    }
  return NULL;
}

/* The field whose octets hold @offset, or NULL. */
static const EmlintField *
field_at (const EmlintMessage *msg, gsize offset)
{
  for (guint h = 0; msg->headers != NULL && h < msg->headers->len; h++)
    {
      const EmlintHeader *header = g_ptr_array_index (msg->headers, h);
      const EmlintField *field;

      if (offset >= header->start && offset <= header->end
          && (field = field_in (header, offset)) != NULL)
        return field;
    }
  return NULL;
}

static EmlintFixKind
fix_kind (const EmlintDiagnostic *diag)
{
  if (emlint_diagnostic_has_fix (diag))
    return diag->unsafe_reason != NULL ? EMLINT_FIX_UNSAFE : EMLINT_FIX_SAFE;
  return diag->fix_needs != NULL ? EMLINT_FIX_UNSAFE : EMLINT_FIX_NONE;
}

static gboolean
fix_chosen (const EmlintConfig *config, const EmlintDiagnostic *diag)
{
  return config->fix_rules == NULL || config->fix_rules[emlint_rule_index (diag->rule)];
}

/* The findings of @diagnostics, pointing into them; fields are looked up in @msg (NULL: the
 * octets are gone, no field). */
static GArray *
findings_of (const GPtrArray *diagnostics, const EmlintConfig *config, const EmlintMessage *msg)
{
  GArray *findings = g_array_sized_new (FALSE, TRUE, sizeof (EmlintFinding), diagnostics->len);
  const EmlintRuleInfo *infos = rule_infos ();

  for (guint i = 0; i < diagnostics->len; i++)
    {
      const EmlintDiagnostic *diag = g_ptr_array_index (diagnostics, i);
      const EmlintField *field = msg != NULL ? field_at (msg, diag->start) : NULL;
      gboolean has_fix = emlint_diagnostic_has_fix (diag);
      EmlintFinding f = {
        .rule = diag->rule->id,
        .severity = diag->severity,
        .start = diag->start,
        .end = diag->end,
        .line = diag->line,
        .column = diag->column,
        .end_line = diag->end_line,
        .end_column = diag->end_column,
        .message = diag->message,
        .fixable = emlint_diagnostic_is_fixable (diag, config->unsafe_fixes)
                   && fix_chosen (config, diag),
        .rule_info = &infos[emlint_rule_index (diag->rule)],
        .fix = fix_kind (diag),
        .has_fix = has_fix,
        .unsafe_reason = has_fix ? diag->unsafe_reason : NULL,
        .fix_needs = has_fix ? NULL : diag->fix_needs,
        .source = diag->source,
        .field_start = field != NULL ? field->start : (size_t) -1,
        .field_name_end = field != NULL ? field->name_end : (size_t) -1,
        .field_value_start = field != NULL ? field->value_start : (size_t) -1,
        .field_value_end = field != NULL ? field->value_end : (size_t) -1,
      };
      g_array_append_val (findings, f);
    }
  return findings;
}

static EmlintResult *
result_new (void)
{
  return g_new0 (EmlintResult, 1);
}

EmlintResult *
emlint_linter_check (const EmlintLinter *linter, const void *data, size_t len)
{
  /* The caller's octets, borrowed for the call: the findings keep no pointer into them. */
  g_autoptr (GBytes) bytes = g_bytes_new_static (data, len);
  EmlintMessage *msg = emlint_message_new (bytes, "-", 0, FALSE, 1);
  EmlintResult *result = result_new ();

  result->message = msg;
  result->diagnostics = emlint_lint_message (linter->config, msg);
  result->findings = findings_of (result->diagnostics, linter->config, msg);
  emlint_message_drop_caches (msg); /* what the rules parsed: built again if asked for */
  result->fixed = g_array_new (FALSE, TRUE, sizeof (EmlintFinding));
  return result;
}

/* Fixes the message @bytes (a reference is taken while the result needs it: when nothing is
 * fixed, the result hands back these octets). */
static EmlintResult *
fix_bytes (const EmlintLinter *linter, GBytes *bytes, char **error)
{
  GError *local = NULL;
  EmlintFixResult *fix;
  EmlintResult *result;

  if ((fix = emlint_fix_message (linter->config, bytes, "-", 0, FALSE, 1, &local)) == NULL)
    {
      /* The core names the message's index in its file: here there is one message. */
      if (g_str_has_prefix (local->message, "message 0: "))
        memmove (local->message, local->message + 11, strlen (local->message + 11) + 1);
      give_error (local, error);
      return NULL;
    }
  result = result_new ();
  result->fix = fix;
  result->findings = findings_of (fix->remaining, linter->config, fix->message);
  result->fixed = findings_of (fix->fixed, linter->config, NULL);
  return result;
}

EmlintResult *
emlint_linter_fix (const EmlintLinter *linter, const void *data, size_t len, char **error)
{
  /* Borrowed, not copied: a front end's message may be most of its memory (emlint.h). */
  g_autoptr (GBytes) bytes = g_bytes_new_static (data, len);

  return fix_bytes (linter, bytes, error);
}

EmlintResult *
emlint_check (const EmlintOptions *options, const void *data, size_t len, char **error)
{
  EmlintLinter *linter = emlint_linter_new (options, error);
  EmlintResult *result = linter != NULL ? emlint_linter_check (linter, data, len) : NULL;

  emlint_linter_free (linter);
  return result;
}

EmlintResult *
emlint_fix (const EmlintOptions *options, const void *data, size_t len, char **error)
{
  EmlintLinter *linter = emlint_linter_new (options, error);
  /* API 1: the result owns its octets, the caller's may go at once. */
  g_autoptr (GBytes) bytes = g_bytes_new (data, len);
  EmlintResult *result = linter != NULL ? fix_bytes (linter, bytes, error) : NULL;

  emlint_linter_free (linter);
  return result;
}

/* ---- transcripts ------------------------------------------------------------------------ */

/* A result of one session (taken). */
static EmlintResult *
transcript_result (const EmlintConfig *config, EmlintTranscript *t)
{
  EmlintResult *result = result_new ();
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);

  result->transcript = t;
  result->diagnostics = emlint_lint_transcript (config, t);
  /* A finding's field is a message's notion: none in a transcript. */
  result->findings = findings_of (result->diagnostics, config, NULL);
  result->fixed = g_array_new (FALSE, TRUE, sizeof (EmlintFinding));
  result->lacks = g_new0 (guint, n);
  for (guint r = 0; r < n; r++)
    if (rules[r]->model == EMLINT_MODEL_TRANSCRIPT)
      result->lacks[r] = emlint_transcript_lacks (t, rules[r]);
  return result;
}

size_t
emlint_linter_check_transcript (const EmlintLinter *linter, EmlintTranscriptFormat format,
                                const char *name, const void *data, size_t len, const char *name2,
                                const void *data2, size_t len2, EmlintResult ***results)
{
  /* Sources are masked copies (the model owns them): the caller's octets are only read. */
  g_autoptr (GBytes) bytes = g_bytes_new_static (data, len);
  g_autoptr (GPtrArray) sessions = NULL;
  EmlintResult **out;

  if (data2 != NULL)
    {
      g_autoptr (GBytes) other = g_bytes_new_static (data2, len2);
      sessions = g_ptr_array_new ();
      g_ptr_array_add (sessions, emlint_transcript_new_rawlog (bytes, name != NULL ? name : "-",
                                                               other, name2 != NULL ? name2 : "-"));
    }
  else
    {
      sessions = emlint_transcript_read (bytes, name != NULL ? name : "-", format);
      g_ptr_array_set_free_func (sessions, NULL); /* the results take them */
    }
  out = g_new0 (EmlintResult *, MAX (sessions->len, 1));
  for (guint i = 0; i < sessions->len; i++)
    out[i] = transcript_result (linter->config, g_ptr_array_index (sessions, i));
  *results = out;
  return sessions->len;
}

const char *
emlint_result_source (const EmlintResult *result, unsigned source, size_t *len)
{
  const EmlintMessage *msg;

  if (result->transcript == NULL || source >= result->transcript->sources->len)
    {
      *len = 0;
      return NULL;
    }
  msg = g_ptr_array_index (result->transcript->sources, source);
  *len = msg->len;
  return msg->data;
}

unsigned
emlint_result_lacks (const EmlintResult *result, size_t rule)
{
  g_return_val_if_fail (rule < emlint_rule_count (), 0);
  return result->lacks != NULL ? result->lacks[rule] : 0;
}

size_t
emlint_result_protocol_lines (const EmlintResult *result)
{
  return result->transcript != NULL ? result->transcript->lines->len : 0;
}

/* ---- results ---------------------------------------------------------------------------- */

/* The message a check or fix result is about, or NULL (a transcript). */
static const EmlintMessage *
result_message (const EmlintResult *result)
{
  return result->fix != NULL ? result->fix->message : result->message;
}

char *
emlint_result_field (const EmlintResult *result, const char *name)
{
  const EmlintMessage *msg = result_message (result);
  const EmlintHeader *top;

  if (msg == NULL)
    return NULL;
  top = emlint_message_top (msg);
  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *field = emlint_header_field (top, i);
      GString *value;

      if (!emlint_field_is (msg, field, name))
        continue;
      value = g_string_new_len (msg->data + field->value_start,
                                (gssize) (field->value_end - field->value_start));
      for (gsize k = 0; k < value->len; k++)
        if (value->str[k] == '\r' || value->str[k] == '\n' || value->str[k] == '\t')
          value->str[k] = ' ';
      return g_strstrip (g_string_free (value, FALSE));
    }
  return NULL;
}

char *
emlint_result_msgid_domain (const EmlintResult *result)
{
  const EmlintMessage *msg = result_message (result);
  EmlintMsgidIter it = EMLINT_MSGID_ITER (msg);
  const EmlintMsgidField *mf;

  if (msg == NULL)
    return NULL;
  while ((mf = emlint_msgid_next (&it)) != NULL)
    {
      const EmlintMsgid *id;

      if (mf->header->kind != EMLINT_HEADER_TOP || g_strcmp0 (mf->name, "Message-ID") != 0
          || mf->n_ids == 0)
        continue;
      id = &mf->ids[0];
      if (id->at + 1 >= id->end - 1)
        return NULL; /* no '@' */
      return g_strndup (mf->value + id->at + 1, id->end - 1 - (id->at + 1));
    }
  return NULL;
}

size_t
emlint_result_count (const EmlintResult *result)
{
  return result->findings->len;
}

/* The @i-th of @findings (of EmlintFinding), or NULL with a warning when there is none. */
static const EmlintFinding *
finding_at (const GArray *findings, size_t i)
{
  g_return_val_if_fail (i < findings->len, NULL);
  return &g_array_index (findings, EmlintFinding, i);
}

const EmlintFinding *
emlint_result_finding (const EmlintResult *result, size_t i)
{
  return finding_at (result->findings, i);
}

size_t
emlint_result_fixed_count (const EmlintResult *result)
{
  return result->fixed->len;
}

const EmlintFinding *
emlint_result_fixed (const EmlintResult *result, size_t i)
{
  return finding_at (result->fixed, i);
}

const char *
emlint_result_data (const EmlintResult *result, size_t *len)
{
  if (result->fix == NULL)
    {
      *len = 0;
      return NULL;
    }
  *len = result->fix->message->len;
  return result->fix->message->data;
}

void
emlint_result_free (EmlintResult *result)
{
  if (result == NULL)
    return;
  if (result->diagnostics != NULL)
    g_ptr_array_unref (result->diagnostics);
  emlint_fix_result_free (result->fix);
  emlint_message_free (result->message);
  g_array_unref (result->findings);
  g_array_unref (result->fixed);
  if (result->transcript != NULL)
    emlint_transcript_free (result->transcript);
  g_free (result->lacks);
  g_free (result);
}

void
emlint_free (void *memory)
{
  g_free (memory);
}
