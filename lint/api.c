/* api.c: the public API (emlint.h) over the core: options become an EmlintConfig, diagnostics
 * become EmlintFindings. The only file whose functions libemlint.so exports. */
#include "emlint.h"

#include "emlint-config.h"
#include "engine.h"
#include "fix.h"
#include "rule.h"

#include <string.h>

struct _EmlintResult {
  GPtrArray *diagnostics; /* emlint_check(): of EmlintDiagnostic*, owns the findings' text */
  EmlintFixResult *fix;   /* emlint_fix(): owns the octets and the diagnostics */
  GArray *findings;       /* of EmlintFinding, pointing into the above */
  GArray *fixed;          /* of EmlintFinding */
};

const char *
emlint_version (void)
{
  return EMLINT_VERSION;
}

void
emlint_options_init (EmlintOptions *options)
{
  memset (options, 0, sizeof *options);
  options->size = sizeof *options;
}

/* The caller's options over the defaults. A caller built against an older emlint.h passes a
 * shorter struct: the fields it does not know keep their defaults. */
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
  out->size = sizeof *out;
  return TRUE;
}

/* A new configuration (free with emlint_config_free()), or NULL with @error. */
static EmlintConfig *
config_from_options (const EmlintOptions *options, GError **error)
{
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  EmlintOptions o;

  if (!read_options (options, &o, error)
      || (o.config_file != NULL && !emlint_config_load (config, o.config_file, error))
      || (o.select != NULL && !emlint_config_select (config, o.select, error))
      || (o.ignore != NULL && !emlint_config_ignore (config, o.ignore, error)))
    return NULL;
  /* The core's validators, as for the command line and the configuration file. */
  if (o.msgid_domain != NULL && !emlint_config_set_msgid_domain (config, o.msgid_domain, error))
    {
      g_prefix_error (error, "msgid_domain ");
      return NULL;
    }
  if (o.msgid_domain_max != 0
      && !emlint_config_set_msgid_domain_max (config, o.msgid_domain_max, error))
    {
      g_prefix_error (error, "msgid_domain_max ");
      return NULL;
    }
  config->unsafe_fixes |= o.unsafe_fixes != 0;
  config->template_profile |= o.template_profile != 0;
  config->smtputf8 |= o.smtputf8 != 0;
  return g_steal_pointer (&config);
}

/* The findings of @diagnostics, pointing into them. */
static GArray *
findings_of (const GPtrArray *diagnostics, const EmlintConfig *config)
{
  GArray *findings = g_array_sized_new (FALSE, TRUE, sizeof (EmlintFinding), diagnostics->len);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      const EmlintDiagnostic *diag = g_ptr_array_index (diagnostics, i);
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
        .fixable = emlint_diagnostic_is_fixable (diag, config->unsafe_fixes),
      };
      g_array_append_val (findings, f);
    }
  return findings;
}

static char *
steal_message (GError *error)
{
  char *message = g_strdup (error->message);

  g_error_free (error);
  return message;
}

/* What every call does first: GMime once, then the configuration of @options; NULL with
 * *@error (the caller's string) when the options are wrong. */
static EmlintConfig *
prepare (const EmlintOptions *options, char **error)
{
  GError *local = NULL;
  EmlintConfig *config;

  emlint_init ();
  if ((config = config_from_options (options, &local)) == NULL)
    *error = steal_message (local);
  return config;
}

EmlintResult *
emlint_check (const EmlintOptions *options, const void *data, size_t len, char **error)
{
  g_autoptr (EmlintConfig) config = prepare (options, error);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (EmlintMessage) msg = NULL;
  EmlintResult *result;

  if (config == NULL)
    return NULL;
  /* The caller's octets, borrowed for the call: the findings keep no pointer into them. */
  bytes = g_bytes_new_static (data, len);
  msg = emlint_message_new (bytes, "-", 0, FALSE, 1);
  result = g_new0 (EmlintResult, 1);
  result->diagnostics = emlint_lint_message (config, msg);
  result->findings = findings_of (result->diagnostics, config);
  result->fixed = g_array_new (FALSE, TRUE, sizeof (EmlintFinding));
  return result;
}

EmlintResult *
emlint_fix (const EmlintOptions *options, const void *data, size_t len, char **error)
{
  g_autoptr (EmlintConfig) config = prepare (options, error);
  g_autoptr (GBytes) bytes = NULL;
  EmlintRawMessage raw = { 0 };
  GError *local = NULL;
  EmlintFixResult *fix;
  EmlintResult *result;

  if (config == NULL)
    return NULL;
  /* A copy: when nothing is fixed, the result hands back these octets. */
  bytes = g_bytes_new (data, len);
  raw.bytes = bytes;
  raw.first_line = 1;
  if ((fix = emlint_fix_message (config, &raw, "-", &local)) == NULL)
    {
      *error = steal_message (local);
      return NULL;
    }
  result = g_new0 (EmlintResult, 1);
  result->fix = fix;
  result->findings = findings_of (fix->remaining, config);
  result->fixed = findings_of (fix->fixed, config);
  return result;
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
  g_array_unref (result->findings);
  g_array_unref (result->fixed);
  g_free (result);
}

void
emlint_free (void *memory)
{
  g_free (memory);
}
