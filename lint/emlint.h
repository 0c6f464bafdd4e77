/* emlint.h: the public C API of libemlint, the mail header linter and fixer.
 *
 * Bytes in, findings out; bytes in, fixed bytes out. A message is the octets of one RFC 5322
 * message (no mbox From_ line). Positions point at those octets; a fix is byte-range edits of
 * them, never a re-serialisation, so every octet a fix does not touch comes back unchanged.
 *
 * Plain C: the header needs no GLib. Every function is thread-safe and the library keeps no
 * state of yours (it initialises GMime itself, once). Link with `pkg-config --libs emlint`.
 *
 * ABI: EmlintOptions starts with its own size and EmlintFinding is only handed out by pointer,
 * so later versions append fields to both without breaking programs built against this one.
 * Results are opaque. EMLINT_API_VERSION grows when functions or fields are added. */
#ifndef EMLINT_H
#define EMLINT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EMLINT_API_VERSION 1

#if defined(__GNUC__) && !defined(EMLINT_NO_VISIBILITY)
#define EMLINT_PUBLIC __attribute__ ((visibility ("default")))
#else
#define EMLINT_PUBLIC
#endif

typedef enum {
  EMLINT_INFO,
  EMLINT_WARNING,
  EMLINT_ERROR,
} EmlintSeverity;

/* What to check and how to fix: the command line's options (README "Configuration").
 * Initialise with emlint_options_init(), then set what you need; strings are borrowed for the
 * duration of the call. */
typedef struct {
  size_t size;               /* sizeof (EmlintOptions), set by emlint_options_init() */
  const char *select;        /* comma-separated rule ids: only these run; NULL: all */
  const char *ignore;        /* comma-separated rule ids that do not run; NULL: none */
  const char *config_file;   /* an .emlint.ini read before the fields below; NULL: none */
  unsigned msgid_domain_max; /* msgid-long-domain threshold in octets; 0: the default, 48 */
  const char *msgid_domain;  /* domain for new Message-IDs (an unsafe fix); NULL: none */
  int unsafe_fixes;          /* non-zero: emlint_fix() also applies fixes marked unsafe */
  int template_profile;      /* non-zero: a template, Date, Message-ID, MIME-Version optional */
  int smtputf8;              /* non-zero: the mail goes out with SMTPUTF8, UTF-8 headers pass */
} EmlintOptions;

/* One finding. Strings are owned by the result that holds the finding. */
typedef struct {
  const char *rule; /* the rule id, e.g. "msgid-too-long" (see `emlint rules`) */
  EmlintSeverity severity;
  size_t start, end;             /* the octets [start, end) of the message it is about */
  unsigned line, column;         /* 1-based; columns count octets */
  unsigned end_line, end_column; /* where it ends, exclusive */
  const char *message;
  int fixable; /* non-zero: emlint_fix() with these options repairs it */
} EmlintFinding;

/* The outcome of emlint_check() or emlint_fix(). */
typedef struct _EmlintResult EmlintResult;

/* The library's version, e.g. "0.1.0". Static. */
EMLINT_PUBLIC const char *emlint_version (void);

/* Sets every field of @options to its default. */
EMLINT_PUBLIC void emlint_options_init (EmlintOptions *options);

/* Lints the @len octets at @data with @options (NULL: the defaults). Returns a new result (free
 * with emlint_result_free()), or NULL with *@error set (free with emlint_free()) when the
 * options are wrong: an unknown rule id, a bad domain, an unreadable configuration file. */
EMLINT_PUBLIC EmlintResult *emlint_check (const EmlintOptions *options, const void *data,
                                          size_t len, char **error);

/* Lints, fixes and lints again until nothing changes. The result's data are the repaired octets
 * (the original ones when nothing was fixed); its findings are those that remain. NULL with
 * *@error as emlint_check(), or when the fixes do not converge (a bug: please report it). */
EMLINT_PUBLIC EmlintResult *emlint_fix (const EmlintOptions *options, const void *data, size_t len,
                                        char **error);

/* The findings, sorted by line, column and rule: of the message (check) or of the repaired
 * message (fix). @i < emlint_result_count(); the finding is owned by @result. */
EMLINT_PUBLIC size_t emlint_result_count (const EmlintResult *result);
EMLINT_PUBLIC const EmlintFinding *emlint_result_finding (const EmlintResult *result, size_t i);

/* The findings emlint_fix() repaired, each placed in the text of the round that fixed it (the
 * first round: the original). None for emlint_check(). Owned by @result. */
EMLINT_PUBLIC size_t emlint_result_fixed_count (const EmlintResult *result);
EMLINT_PUBLIC const EmlintFinding *emlint_result_fixed (const EmlintResult *result, size_t i);

/* The repaired octets of emlint_fix() (the original ones when nothing was fixed), owned by
 * @result; sets *@len. NULL (and 0) for emlint_check(). */
EMLINT_PUBLIC const char *emlint_result_data (const EmlintResult *result, size_t *len);

EMLINT_PUBLIC void emlint_result_free (EmlintResult *result);

/* Frees an error string of emlint_check() or emlint_fix(). */
EMLINT_PUBLIC void emlint_free (void *memory);

#ifdef __cplusplus
}
#endif

#endif /* EMLINT_H */
