/* emlint.h: the public C API of libemlint, the mail header linter and fixer.
 *
 * Bytes in, findings out; bytes in, fixed bytes out. A message is the octets of one RFC 5322
 * message (no mbox From_ line). Positions point at those octets; a fix is byte-range edits of
 * them, never a re-serialisation, so every octet a fix does not touch comes back unchanged.
 *
 * Plain C: the header needs no GLib. Every function is thread-safe and the library keeps no
 * state of yours (it initialises GMime itself, once); a linter is shared by any number of
 * threads, a result is used by one at a time. Link with `pkg-config --libs emlint`.
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

/* 1: emlint_check(), emlint_fix(), results. 2: linters (options compiled once), rule
 * metadata, IMAP transcripts, the fix state and field of a finding, more options. */
#define EMLINT_API_VERSION 2

/* An option left to the configuration file, else the default (API 2's numeric fields). */
#define EMLINT_UNSET (-1)

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

/* Whether a rule's findings carry fixes (rule metadata, `emlint rules`). */
typedef enum {
  EMLINT_FIXABLE_NO,     /* findings never carry a fix */
  EMLINT_FIXABLE_YES,    /* fixes are safe: emlint_fix() applies them */
  EMLINT_FIXABLE_UNSAFE, /* fixes are applied only with unsafe_fixes */
} EmlintFixable;

/* What a rule reads. */
typedef enum {
  EMLINT_MODEL_MESSAGE,    /* a mail message: emlint_check(), emlint_fix() */
  EMLINT_MODEL_TRANSCRIPT, /* a recorded IMAP session: emlint_linter_check_transcript() */
} EmlintModel;

/* What one finding's fix is (the "fix" field of emlint's JSON): none; safe; unsafe (held back
 * by a signature, or needing an option such as msgid_domain). */
typedef enum {
  EMLINT_FIX_NONE,
  EMLINT_FIX_SAFE,
  EMLINT_FIX_UNSAFE,
} EmlintFixKind;

/* How an IMAP transcript is written (README "IMAP transcripts"). */
typedef enum {
  EMLINT_TRANSCRIPT_AUTO,        /* detected from the text */
  EMLINT_TRANSCRIPT_RFC,         /* "C: ..." / "S: ..." */
  EMLINT_TRANSCRIPT_IMAPLIB,     /* Python imaplib.Debug = 4 */
  EMLINT_TRANSCRIPT_RAWLOG,      /* a Dovecot rawlog pair: .in and .out */
  EMLINT_TRANSCRIPT_CURL,        /* curl -v */
  EMLINT_TRANSCRIPT_PLAIN,       /* protocol lines without direction */
  EMLINT_TRANSCRIPT_THUNDERBIRD, /* MOZ_LOG=IMAP:5, one session per connection */
} EmlintTranscriptFormat;

/* What a transcript holds; a transcript rule runs only on a session that has all it needs. */
typedef enum {
  EMLINT_HAS_DIRECTION = 1 << 0, /* every line is known to be the client's or the server's */
  EMLINT_HAS_ORDER = 1 << 1,     /* client and server lines are interleaved as on the wire */
  EMLINT_HAS_LITERALS = 1 << 2,  /* literal payloads are in the log */
  EMLINT_HAS_START = 1 << 3,     /* the session starts at the server's greeting */
} EmlintTranscriptHas;

/* What to check and how to fix: the command line's options (README "Configuration").
 * Initialise with emlint_options_init(), then set what you need; strings are borrowed for the
 * duration of the call. */
typedef struct {
  size_t size;               /* sizeof (EmlintOptions), set by emlint_options_init() */
  const char *select;        /* comma-separated rule ids: only these run; NULL: all */
  const char *ignore;        /* comma-separated rule ids that do not run; NULL: none */
  const char *config_file;   /* an .emlint.ini read before the fields below; NULL: none */
  unsigned msgid_domain_max; /* msgid-long-domain threshold in octets, 1 to 255; API 1: 0 is
                                the default; API 2: emlint_options_init() sets
                                EMLINT_UNSET, the file's, else 48 (0 is then an error, and
                                a value above INT_MAX is named as the negative int it was) */
  const char *msgid_domain;  /* domain for new Message-IDs (an unsafe fix); NULL: none */
  int unsafe_fixes;          /* non-zero: emlint_fix() also applies fixes marked unsafe */
  int template_profile;      /* non-zero: a template, Date, Message-ID, MIME-Version optional */
  int smtputf8;              /* non-zero: the mail goes out with SMTPUTF8, UTF-8 headers pass */
  /* API 2: */
  long max_findings_per_rule;   /* kept per rule and message, past it counted in one finding;
                                   EMLINT_UNSET: the file's, else 100; 0: all */
  int received_line_length;     /* non-zero: header-line-length also judges received mail */
  const char *fix_select;       /* comma-separated rule ids whose fixes emlint_fix() applies
                                   (the others stay findings); NULL: every rule's */
  const char *max_message_size; /* the largest message a front end reads ("256M"; K, M, G, T
                                   suffixes), see emlint_linter_max_message_size(); NULL: the
                                   file's, else 256M. The library itself reads any size. */
  int fail_on;                  /* an EmlintSeverity: see emlint_linter_fail_on();
                                   EMLINT_UNSET: the file's, else EMLINT_ERROR */
} EmlintOptions;

/* A rule, as `emlint rules` and `emlint explain` show it. Static; fields may be appended. */
typedef struct {
  const char *id;          /* kebab-case, stable */
  EmlintSeverity severity; /* default severity */
  EmlintFixable fixable;
  const char *summary; /* one line */
  const char *rfc;     /* the sections it enforces */
  const char *doc;     /* What it does / Why it is bad / Example / Fix */
  EmlintModel model;
  size_t index; /* its position: emlint_rule_info (index) is this rule */
} EmlintRuleInfo;

/* One finding. Strings are owned by the result that holds the finding. */
typedef struct {
  const char *rule; /* the rule id, e.g. "msgid-too-long" (see `emlint rules`) */
  EmlintSeverity severity;
  size_t start, end;             /* the octets [start, end) of the message it is about */
  unsigned line, column;         /* 1-based; columns count octets */
  unsigned end_line, end_column; /* where it ends, exclusive */
  const char *message;
  int fixable; /* non-zero: emlint_fix() with these options repairs it */
  /* API 2: */
  const EmlintRuleInfo *rule_info; /* the rule (static) */
  EmlintFixKind fix;
  int has_fix;               /* it carries a fix (applied or not, by the options) */
  const char *unsafe_reason; /* has_fix: why the fix is unsafe, or NULL (a safe fix) */
  const char *fix_needs;     /* no fix, but there would be an unsafe one with this option
                                given (e.g. "--msgid-domain DOMAIN"); static, or NULL */
  unsigned source;           /* transcripts: the source the octets are in (emlint_result_source();
                                a rawlog pair: 0 the server's .out, 1 the client's .in) */
  /* The header field whose octets hold start (its name [field_start, field_name_end), its value
   * [field_value_start, field_value_end)); field_start == (size_t) -1: start is in no field. */
  size_t field_start, field_name_end, field_value_start, field_value_end;
} EmlintFinding;

/* Options compiled once (configuration file read, rules chosen): immutable, so any number of
 * threads share one linter. */
typedef struct _EmlintLinter EmlintLinter;

/* The outcome of emlint_check() or emlint_fix() (or of a linter, or of one IMAP session). */
typedef struct _EmlintResult EmlintResult;

/* The library's version, e.g. "0.1.0". Static. */
EMLINT_PUBLIC const char *emlint_version (void);

/* Sets every field of @options to its default. A macro since API 2: it passes the size of the
 * caller's struct, so that a program built against an older emlint.h (or a binding that calls
 * the function by name, with API 1's struct) never has more written than its struct holds. */
EMLINT_PUBLIC void emlint_options_init (EmlintOptions *options);
/* The same for the first @size octets of @options (sizeof of the caller's EmlintOptions). */
EMLINT_PUBLIC void emlint_options_init_sized (EmlintOptions *options, size_t size);
#define emlint_options_init(options) emlint_options_init_sized ((options), sizeof *(options))

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
 * @result (of emlint_linter_fix(): the caller's @data when nothing was fixed); sets *@len. NULL
 * (and 0) for emlint_check(). */
EMLINT_PUBLIC const char *emlint_result_data (const EmlintResult *result, size_t *len);

EMLINT_PUBLIC void emlint_result_free (EmlintResult *result);

/* Frees an error string of emlint_check() or emlint_fix(). */
EMLINT_PUBLIC void emlint_free (void *memory);

/* ---- API 2 ---------------------------------------------------------------------------- */

/* Compiles @options (NULL: the defaults; strings are copied). Returns a new linter (free with
 * emlint_linter_free()), or NULL with *@error set (free with emlint_free(); @error may be NULL)
 * when the options are wrong. An error in the configuration file names the file and the line; one in a field starts
 * with the field's name ("msgid_domain ..."). */
EMLINT_PUBLIC EmlintLinter *emlint_linter_new (const EmlintOptions *options, char **error);
EMLINT_PUBLIC void emlint_linter_free (EmlintLinter *linter);

/* emlint_check() and emlint_fix() with a compiled linter. The message's @len octets at @data are
 * borrowed, not copied, until the result is freed: emlint_result_field() reads them, and
 * emlint_result_data() of a fix that changed nothing is @data. Thread-safe. Lines are the
 * message's, from 1. */
EMLINT_PUBLIC EmlintResult *emlint_linter_check (const EmlintLinter *linter, const void *data,
                                                 size_t len);
EMLINT_PUBLIC EmlintResult *emlint_linter_fix (const EmlintLinter *linter, const void *data,
                                               size_t len, char **error);

/* What the linter's options and configuration file say for a front end: the severity at or
 * above which a finding fails a run, and the largest message to read (octets). */
EMLINT_PUBLIC EmlintSeverity emlint_linter_fail_on (const EmlintLinter *linter);
EMLINT_PUBLIC unsigned long long emlint_linter_max_message_size (const EmlintLinter *linter);
/* Non-zero when the linter runs the rule at registry index @rule (not off by select, ignore or
 * the configuration file). */
EMLINT_PUBLIC int emlint_linter_runs (const EmlintLinter *linter, size_t rule);

/* The rules, in id order: @i < emlint_rule_count(). Static. */
EMLINT_PUBLIC size_t emlint_rule_count (void);
EMLINT_PUBLIC const EmlintRuleInfo *emlint_rule_info (size_t i);
/* The rule with id @id, or NULL. */
EMLINT_PUBLIC const EmlintRuleInfo *emlint_rule_find (const char *id);

/* "info", "warning", "error" (static). */
EMLINT_PUBLIC const char *emlint_severity_name (EmlintSeverity severity);
/* Non-zero, setting *@out, when @name is "info", "warning" or "error". */
EMLINT_PUBLIC int emlint_severity_parse (const char *name, EmlintSeverity *out);
/* "none", "fix" or "unsafe" (static). */
EMLINT_PUBLIC const char *emlint_fixable_name (EmlintFixable fixable);
/* Non-zero, setting *@out, when @name is "auto", "rfc", "imaplib", "rawlog", "curl", "plain" or
 * "thunderbird". */
EMLINT_PUBLIC int emlint_transcript_format_parse (const char *name, EmlintTranscriptFormat *out);

/* Lints recorded IMAP sessions: the @len octets at @data in @format (AUTO: detected; RAWLOG: a
 * Dovecot rawlog pair, @data the client's .in and @data2 the server's .out, else @data2 is
 * NULL). @name and @name2 are the files' names, or NULL: findings about one source that name a
 * line of the other name it so, and a lone half of a rawlog pair is the client's (.in) or the
 * server's (.out) by its name. One file may hold several sessions (a Thunderbird log: one per connection): returns
 * how many and sets *@results to a new array of that many results (free each with
 * emlint_result_free(), the array with emlint_free()). Transcript rules only. */
EMLINT_PUBLIC size_t emlint_linter_check_transcript (const EmlintLinter *linter,
                                                     EmlintTranscriptFormat format,
                                                     const char *name, const void *data, size_t len,
                                                     const char *name2, const void *data2,
                                                     size_t len2, EmlintResult ***results);
/* A transcript result: the octets of source @source (0, or 1 of a rawlog pair; NULL when there
 * is none), with passwords masked ('*', same length): what findings point into. Owned by
 * @result. */
EMLINT_PUBLIC const char *emlint_result_source (const EmlintResult *result, unsigned source,
                                                size_t *len);
/* A transcript result: the EmlintTranscriptHas flags the rule at registry index @rule needs and
 * the session lacks, so that the rule did not run; 0 when it could run (or is no transcript
 * rule). */
EMLINT_PUBLIC unsigned emlint_result_lacks (const EmlintResult *result, size_t rule);
/* A transcript result: the protocol lines of the session. */
EMLINT_PUBLIC size_t emlint_result_protocol_lines (const EmlintResult *result);
/* A configuration file's @text with its inline comments cut, as the library reads it (lines keep
 * their numbers), for a front end that reads its own groups of the same file. Free with
 * emlint_free(). */
EMLINT_PUBLIC char *emlint_config_strip_comments (const char *text);

/* The unfolded value of the first field called @name of the top-level header (CR, LF and TAB as
 * spaces, whitespace trimmed), of the checked message (a check result reads the caller's octets
 * again: they must be unchanged) or of the repaired one (fix); NULL when there is none or for a
 * transcript. Free with emlint_free(). */
EMLINT_PUBLIC char *emlint_result_field (const EmlintResult *result, const char *name);
/* The id-right (domain) of the first msg-id of the top-level Message-ID, as the msgid rules parse
 * it, of the same message; NULL when there is none. Free with emlint_free(). */
EMLINT_PUBLIC char *emlint_result_msgid_domain (const EmlintResult *result);

/* The names of the EmlintTranscriptHas flags in @flags, comma-separated ("direction, order").
 * Free with emlint_free(). */
EMLINT_PUBLIC char *emlint_transcript_describe_missing (unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* EMLINT_H */
