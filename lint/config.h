/* config.h: what the user chose: rules, severities, thresholds. Built from the command line and
 * the configuration file; read-only while messages are linted, so threads share it. */
#pragma once

#include "diagnostic.h"

G_BEGIN_DECLS

#define EMLINT_SEVERITY_OFF (-1)

typedef struct {
  int *severity;              /* per rule (registry index): EMLINT_SEVERITY_OFF or a severity */
  EmlintSeverity fail_on;     /* exit 1 when a finding is at or above this */
  guint msgid_domain_max;     /* msgid-long-domain threshold, in octets */
  char *msgid_domain;         /* domain for new Message-IDs; NULL: no such fix */
  char **transit_fields;      /* header-line-length leaves these alone; "ARC-*" is a prefix */
  gboolean unsafe_fixes;      /* apply fixes marked unsafe */
} EmlintConfig;

/* The defaults of DESIGN.md. Free with emlint_config_free(). */
EmlintConfig *emlint_config_new (void);
void emlint_config_free (EmlintConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmlintConfig, emlint_config_free)

/* Keeps only the rules named in the comma-separated @ids (select) or turns them off (ignore).
 * FALSE with @error naming the unknown rule. */
gboolean emlint_config_select (EmlintConfig *config, const char *ids, GError **error);
gboolean emlint_config_ignore (EmlintConfig *config, const char *ids, GError **error);

/* TRUE when header-line-length leaves the field @name (with @len octets) alone. */
gboolean emlint_config_is_transit_field (const EmlintConfig *config, const char *name, gsize len);

G_END_DECLS
