/* config.h: what the user chose: rules, severities, thresholds. Built from the command line and
 * the configuration file; read-only while messages are linted, so threads share it. */
#pragma once

#include "diagnostic.h"

G_BEGIN_DECLS

#define EMLINT_SEVERITY_OFF (-1)
#define EMLINT_MSGID_DOMAIN_LIMIT 48 /* the longest --msgid-domain */
#define EMLINT_DEFAULT_MAX_MESSAGE_SIZE (G_GUINT64_CONSTANT (256) << 20) /* 256 MiB */
#define EMLINT_MAX_MESSAGE_SIZE_LIMIT (G_GUINT64_CONSTANT (4) << 30) /* 4 GiB */
/* Findings of one rule in one message past which the rest are counted, not kept (see
 * README "Configuration"): more than any real message in corpus-ext has, few enough that a
 * message of millions of broken lines costs a small multiple of its size. */
#define EMLINT_DEFAULT_MAX_FINDINGS_PER_RULE 100

typedef struct {
  int *severity;               /* per rule (registry index): EMLINT_SEVERITY_OFF or a severity */
  EmlintSeverity fail_on;      /* exit 1 when a finding is at or above this */
  guint msgid_domain_max;      /* msgid-long-domain threshold, in octets */
  char *msgid_domain;          /* domain for new Message-IDs; NULL: no such fix */
  guint64 max_message_size;    /* octets; a larger message is an error, not read */
  guint max_findings_per_rule; /* per message; 0: no limit (see emlint_report()) */
  char **transit_fields;       /* header-line-length leaves these alone; "ARC-*" is a prefix */
  gboolean unsafe_fixes;       /* apply fixes marked unsafe */
  gboolean template_profile;   /* message templates: Date, Message-ID, MIME-Version optional */
  gboolean smtputf8;           /* mail goes out with SMTPUTF8 (RFC 6532): UTF-8 headers are fine */
  gboolean received_line_length; /* header-line-length also judges received mail */
  char **placeholders;           /* template placeholder syntaxes, each "OPEN CLOSE" */
  gboolean *fix_rules; /* per rule (registry index): its fixes are applied; NULL: every rule's */
} EmlintConfig;

/* The defaults of doc/DESIGN.md. Free with emlint_config_free(). */
EmlintConfig *emlint_config_new (void);
void emlint_config_free (EmlintConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmlintConfig, emlint_config_free)

/* Keeps only the rules named in the comma-separated @ids (select) or turns them off (ignore).
 * FALSE with @error naming the unknown rule. */
gboolean emlint_config_select (EmlintConfig *config, const char *ids, GError **error);
gboolean emlint_config_ignore (EmlintConfig *config, const char *ids, GError **error);

/* The validators of the values that the command line and the configuration file share: each
 * sets the value, or returns FALSE with @error saying what is wrong (the caller names where the
 * value came from). A value from a file is input: nothing in it may add a line to a message. */
gboolean emlint_config_set_msgid_domain (EmlintConfig *config, const char *domain, GError **error);
gboolean emlint_config_set_msgid_domain_max (EmlintConfig *config, gint64 max, GError **error);
/* @value: a number of octets, with an optional K, M, G or T suffix (powers of 1024). */
gboolean emlint_config_set_max_message_size (EmlintConfig *config, const char *value,
                                             GError **error);
/* @value: a whole number, 0 for no limit. */
gboolean emlint_config_set_max_findings_per_rule (EmlintConfig *config, const char *value,
                                                  GError **error);

/* Reads a key file (see README "Configuration") over @config. FALSE with @error naming the
 * file, the line and the key when a value is wrong. The [per-path-ignores] group is the front
 * end's (paths are its business): its rule ids are checked here, the rest is left to it. */
gboolean emlint_config_load (EmlintConfig *config, const char *path, GError **error);

/* Sets @chosen[i] for each rule named in the comma-separated @ids (one flag per registry
 * entry). FALSE with @error naming an unknown rule. */
gboolean emlint_config_parse_rules (const char *ids, gboolean *chosen, GError **error);

/* A key file's @text with its inline comments cut, as emlint_config_load() reads it (lines keep
 * their numbers): a new string. Public (emlint.h): front ends read their own groups. */
char *emlint_config_strip_comments (const char *text);

/* TRUE when header-line-length leaves the field @name (with @len octets) alone. */
gboolean emlint_config_is_transit_field (const EmlintConfig *config, const char *name, gsize len);

G_END_DECLS
