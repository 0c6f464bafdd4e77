/* config.h: what the user chose: rules, severities, thresholds. Built from the command line and
 * the configuration file; read-only while messages are linted, so threads share it. */
#pragma once

#include "diagnostic.h"

G_BEGIN_DECLS

#define EMLINT_SEVERITY_OFF (-1)
#define EMLINT_MSGID_DOMAIN_LIMIT 48          /* the longest --msgid-domain */
#define EMLINT_DEFAULT_MAX_MESSAGE_SIZE (G_GUINT64_CONSTANT (256) << 20)  /* 256 MiB */

typedef struct {
  int *severity;              /* per rule (registry index): EMLINT_SEVERITY_OFF or a severity */
  EmlintSeverity fail_on;     /* exit 1 when a finding is at or above this */
  guint msgid_domain_max;     /* msgid-long-domain threshold, in octets */
  char *msgid_domain;         /* domain for new Message-IDs; NULL: no such fix */
  guint64 max_message_size;   /* octets; a larger message is an error, not read */
  char **transit_fields;      /* header-line-length leaves these alone; "ARC-*" is a prefix */
  gboolean unsafe_fixes;      /* apply fixes marked unsafe */
  gboolean template_profile;  /* message templates: Date, Message-ID, MIME-Version optional */
  gboolean smtputf8;          /* mail goes out with SMTPUTF8 (RFC 6532): UTF-8 headers are fine */
  gboolean received_line_length; /* header-line-length also judges received mail */
  char **placeholders;        /* template placeholder syntaxes, each "OPEN CLOSE" */
  GPtrArray *path_ignores;    /* of EmlintPathIgnore*: rules off for paths matching a glob */
  char **include;             /* directory walks also take files matching these globs; or NULL */
  char **exclude;             /* directory walks leave out names or paths matching these; or NULL */
  char *source;               /* the configuration file it was read from, or NULL */
} EmlintConfig;

typedef struct {
  char *glob;
  gboolean *off;              /* per rule (registry index) */
} EmlintPathIgnore;

/* The defaults of DESIGN.md. Free with emlint_config_free(). */
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

/* Reads a key file (see README "Configuration") over @config. FALSE with @error naming the
 * file, the line and the key when a value is wrong. */
gboolean emlint_config_load (EmlintConfig *config, const char *path, GError **error);

/* The configuration file that applies to @input: the first .emlint.ini in its folder or a
 * parent folder, else $XDG_CONFIG_HOME/emlint/config.ini; NULL when there is none. */
char *emlint_config_find (const char *input);

/* TRUE when a per-path ignore of @config turns @rule off for @path. */
gboolean emlint_config_path_ignores (const EmlintConfig *config, const char *path, guint rule);
/* @path relative to the folder of @config's file, as per-path globs also match it; a copy of
 * @path when it is outside that folder or there is no file. Free with g_free(). */
char *emlint_config_relative_path (const EmlintConfig *config, const char *path);
/* Drops from @diagnostics (of EmlintDiagnostic*) the findings of rules that a per-path ignore
 * turns off for @path (as given) or @relative (from emlint_config_relative_path()). */
void emlint_config_drop_path_ignored (const EmlintConfig *config, const char *path,
                                      const char *relative, GPtrArray *diagnostics);

/* TRUE when header-line-length leaves the field @name (with @len octets) alone. */
gboolean emlint_config_is_transit_field (const EmlintConfig *config, const char *name, gsize len);

G_END_DECLS
