/* transcript.h: a recorded IMAP session, the second model beside the message (message.h).
 *
 * A transcript is read from one file (RFC-style C:/S:, Python imaplib's debug log, curl -v, a
 * paste without direction markers) or from a Dovecot rawlog pair (.in and .out). Each source file
 * is kept as an EmlintMessage of its own octets, with LOGIN passwords and AUTHENTICATE payloads
 * overwritten by '*' (same length, so lines and columns do not move): a finding, an excerpt or a
 * SARIF fingerprint can only ever show the masked copy. The session itself is a list of protocol
 * lines in the order they crossed the wire, each knowing where its octets are in its source. */
#pragma once

#include "emlint.h"
#include "message.h"

G_BEGIN_DECLS

/* EmlintTranscriptFormat is public: emlint.h. */

typedef enum {
  EMLINT_IMAP_UNKNOWN,
  EMLINT_IMAP_CLIENT,
  EMLINT_IMAP_SERVER,
} EmlintImapDirection;

/* EmlintTranscriptHas (what a transcript holds; a rule names what it needs, EmlintRule.needs,
 * and the engine runs it only on transcripts that have all of it) is public: emlint.h. */

typedef struct {
  EmlintImapDirection direction;
  guint source; /* index into EmlintTranscript.sources */
  gsize start;  /* offset in that source of text[0] */
  char *text;   /* the line as sent, without its CRLF, secrets masked; NUL-terminated */
  gsize len;
  gsize *map;           /* source offset of text[i] (len + 1 entries); NULL: start + i */
  gboolean continued;   /* the rest of a command or response after a literal */
  gboolean has_literal; /* the line ends with a literal's {n} or {n+} */
  guint64 literal;      /* n */
  gsize literal_at;     /* where its '{' is; len when the line has no literal */
  gboolean literal_bad; /* continued: the literal before it did not end where announced */
  guint owner;          /* continued: the line that started the command or response */
  gboolean hidden;      /* a client command the log does not show (Thunderbird hides LOGIN) */
} EmlintImapLine;

typedef struct {
  GPtrArray *sources; /* of EmlintMessage*: each file, secrets masked */
  GPtrArray *paths;   /* of char*: the sources' display paths (their messages borrow them) */
  GArray *lines;      /* of EmlintImapLine, in session order */
  EmlintTranscriptFormat format;
  guint has; /* EmlintTranscriptHas */
} EmlintTranscript;

/* FALSE when @name is no format ("auto" is one). */
gboolean emlint_transcript_format_parse (const char *name, EmlintTranscriptFormat *out);
const char *emlint_transcript_format_name (EmlintTranscriptFormat format);

/* Reads the sessions in @bytes (a whole file, shown as @path) in @format, or the format it
 * looks like with EMLINT_TRANSCRIPT_AUTO: one transcript, or one per connection of a
 * Thunderbird log. Never fails: what is not protocol is skipped. Returns a new array of
 * EmlintTranscript* that frees them. */
GPtrArray *emlint_transcript_read (GBytes *bytes, const char *path, EmlintTranscriptFormat format);
/* A Dovecot rawlog pair: @in is what the client sent, @out what the server sent; lines are
 * merged by their timestamps (without timestamps the order is unknown). */
EmlintTranscript *emlint_transcript_new_rawlog (GBytes *in, const char *in_path, GBytes *out,
                                                const char *out_path);
void emlint_transcript_free (EmlintTranscript *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmlintTranscript, emlint_transcript_free)

static inline const EmlintImapLine *
emlint_transcript_line (const EmlintTranscript *t, guint i)
{
  return &g_array_index (t->lines, EmlintImapLine, i);
}

/* The offset in the line's source of text[@i] (0 <= @i <= len). */
static inline gsize
emlint_imap_line_offset (const EmlintImapLine *line, gsize i)
{
  return line->map != NULL ? line->map[i] : line->start + i;
}

/* Words of a protocol line, split at single spaces. Sets *@len to the length of the word that
 * starts at @from (0 at the end of the line) and returns where the next word starts. */
gsize emlint_imap_word (const EmlintImapLine *line, gsize from, gsize *len);
/* TRUE when the word at @from (of @len octets) is @word, ignoring ASCII case. */
gboolean emlint_imap_word_is (const EmlintImapLine *line, gsize from, gsize len, const char *word);

/* A client line that starts a command ("tag SP name"): sets the tag's length and where the
 * command name starts and its length. */
gboolean emlint_imap_command (const EmlintImapLine *line, gsize *tag_len, gsize *name,
                              gsize *name_len);
/* A server line that completes a command ("tag SP OK/NO/BAD"): sets the tag's length and the
 * status word's start. */
gboolean emlint_imap_completion (const EmlintImapLine *line, gsize *tag_len, gsize *status);

/* The names of the EmlintTranscriptHas flags in @flags, comma-separated (free with g_free()). */
char *emlint_transcript_describe_missing (guint flags);

G_END_DECLS
