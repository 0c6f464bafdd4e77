/* lex.h: the syntax module every header rule reads through (doc/DESIGN.md): walks over fields,
 * header sections and lines; the one table of field names; comments, quoted-strings, CFWS,
 * tokens and unfolding; RFC 5322 addresses; the shape and content of RFC 2047 encoded-words.
 *
 * Rules scan the original octets of a field value; a CR or LF in it is part of a fold and counts
 * as white space. */
#pragma once

#include "diagnostic.h"
#include "message.h"

G_BEGIN_DECLS

#define EMLINT_IS_WSP(c) ((c) == ' ' || (c) == '\t')
/* White space in a raw field value: WSP, or the CR and LF of a fold. */
#define EMLINT_IS_FWS(c) ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* 8 octets a field (4,000,000 fields are 32 MB of it); emlint_field_header() gives its header. */
typedef struct {
  const EmlintField *field;
} EmlintFieldRef;

/* Every field of every header (the message's, then each MIME part's) exactly once, in octet
 * order: a part header that runs into the next part's lists those fields twice in
 * msg->headers. Returns a reference to an array of EmlintFieldRef that @msg keeps (built on
 * first use; g_array_unref() it, and do not change it). */
GArray *emlint_fields_once (const EmlintMessage *msg);

/* The header of @msg whose fields hold @field (an entry of emlint_fields_once()). Looks from
 * header *@hint on and leaves it there: start from 0 and ask in the order of
 * emlint_fields_once(), and a walk of all fields costs one pass over the headers. */
const EmlintHeader *emlint_field_header (const EmlintMessage *msg, const EmlintField *field,
                                         guint *hint);

/* The field of emlint_fields_once() whose octets [start, end) hold @offset, or NULL. */
const EmlintField *emlint_field_at (const EmlintMessage *msg, gsize offset);

/* Walks the header sections of a message once each; start from a cursor of zeros. */
typedef struct {
  guint next;    /* the next index into msg->headers */
  gsize covered; /* the octets before it belong to a header already given, or its blank line */
} EmlintHeaderCursor;

/* The next header section (the message's, then each MIME part's) that holds octets no earlier
 * one holds, or NULL at the end; *@start gets the first of them (a part header that runs into
 * the next part holds that part's header too). */
const EmlintHeader *emlint_next_header (const EmlintMessage *msg, EmlintHeaderCursor *cursor,
                                        gsize *start);

/* One physical line of a header section, for the rules that read lines, not fields. */
typedef struct {
  gsize start, end;         /* the line's octets, without its line ending */
  const EmlintField *field; /* the field it belongs to; NULL: the line is no field's */
  gboolean first;           /* it is the field's first line (else a continuation line) */
} EmlintHeaderLine;

typedef struct {
  const EmlintMessage *msg;
  const EmlintHeader *header;
  gsize from;
  guint line, next_field;
  const EmlintField *current;
} EmlintHeaderLines;

/* Starts a walk over the lines of @header from octet @from (a line start, or an offset inside
 * the first line, as after a BOM) to the header's end. */
void emlint_header_lines_init (EmlintHeaderLines *it, const EmlintMessage *msg,
                               const EmlintHeader *header, gsize from);
/* The next line into *@line; FALSE at the end of the header. A line that is no field ends the
 * field before it: the lines after it belong to no field until the next field starts. */
gboolean emlint_header_lines_next (EmlintHeaderLines *it, EmlintHeaderLine *line);

/* Walks the lines of a message's bodies that start with "--", the candidates for multipart
 * delimiter lines (RFC 2046 5.1.1); start from a cursor of zeros. */
typedef struct {
  guint line; /* the next line to look at */
  gboolean started;
} EmlintDashLines;

/* The next such line: its start and end (without its line ending) in *@start and *@end, its
 * number in *@line (unless NULL). FALSE at the end of the message. */
gboolean emlint_next_dash_line (const EmlintMessage *msg, EmlintDashLines *it, guint *line,
                                gsize *start, gsize *end);

/* ---- the syntax every rule shares ------------------------------------------------------- */

/* RFC 2047 section 2: a token octet (no space, CTL or especial: "()<>@,;:\"/[]?.="). */
gboolean emlint_is_token_char (guchar c);
/* RFC 2045 section 5.1: a MIME token octet (no space, CTL or tspecial: "()<>@,;:\\\"/[]?="). */
gboolean emlint_is_mime_token_char (guchar c);

/* @len octets of a raw field value with each line break (CR LF or LF) dropped and the white
 * space after it kept (RFC 5322 2.2.3). A bare CR stays: it is a defect, not a fold. */
GString *emlint_unfold (const char *raw, gsize len);

/* The field's value with its line breaks removed (RFC 5322 2.2.3), as a new string; *@len gets
 * its length (it may hold NUL octets). */
char *emlint_field_unfold (const EmlintMessage *msg, const EmlintField *field, gsize *len);

/* The field's unfolded value with each comment and each white space octet read as a space: a
 * new string (free with g_free()). */
char *emlint_field_uncommented (const EmlintMessage *msg, const EmlintField *field);

/* ---- the one table of field names ------------------------------------------------------- */

/* Classes of field names: how a value is read, what RFC 5322 says of the field, and who writes
 * it in received mail. lex.c holds the one table of names; a name's classes are those of every
 * entry it matches (an exact name, and prefixes such as "List-*"). */
typedef enum {
  EMLINT_FIELD_ADDRESS = 1 << 0,       /* a mailbox or address list: From, To, Resent-Cc... */
  EMLINT_FIELD_MSGID = 1 << 1,         /* a msg-id field: Message-ID, References, Content-ID... */
  EMLINT_FIELD_ID_LIST = 1 << 2,       /* msg-ids and obsolete phrases: In-Reply-To, References */
  EMLINT_FIELD_STRUCTURED = 1 << 3,    /* structured without phrases: Date, Received, List-*... */
  EMLINT_FIELD_PHRASES = 1 << 4,       /* phrases: Keywords, List-Id */
  EMLINT_FIELD_PARAMS = 1 << 5,        /* a value and parameters: Content-Type, -Disposition */
  EMLINT_FIELD_TEXT = 1 << 6,          /* text whose quotes are text: Subject, Comments, X-* */
  EMLINT_FIELD_MIME = 1 << 7,          /* makes a MIME message, and may stand in a part's header */
  EMLINT_FIELD_RFC5322 = 1 << 8,       /* defined in RFC 5322 3.6 */
  EMLINT_FIELD_ONCE = 1 << 9,          /* at most once in a message (RFC 5322 3.6) */
  EMLINT_FIELD_REQUIRED = 1 << 10,     /* exactly once: Date, From */
  EMLINT_FIELD_MAILBOX = 1 << 11,      /* one mailbox, not a list: Sender, Resent-Sender */
  EMLINT_FIELD_MAY_BE_EMPTY = 1 << 12, /* an address list that may be empty: Bcc */
  EMLINT_FIELD_ORIGINATOR = 1 << 13,   /* the originator writes it: the first one in a received
                                          header starts the originator's part (transit.c) */
  EMLINT_FIELD_TRACE = 1 << 14,        /* prepended in transit: trace and signature fields */
  EMLINT_FIELD_MARKS_RECEIVED = 1 << 15,  /* its presence makes a message received mail */
  EMLINT_FIELD_TRANSIT_DEFAULT = 1 << 16, /* in the default of the config key transit-fields */
  EMLINT_FIELD_LIST_SERVER = 1 << 17,     /* added by a list server */
  EMLINT_FIELD_SPAM_FILTER = 1 << 18,     /* a spam or virus filter's report */
} EmlintFieldClass;

typedef struct {
  const char *name; /* as RFC spells it; a final '*' matches any rest ("List-*") */
  EmlintFieldClass classes;
} EmlintFieldName;

/* The table, in order: *@n gets its length. Static, owned by lex.c. */
const EmlintFieldName *emlint_field_names (guint *n);

/* The classes of @field's name (0: none). *@canonical (when not NULL) gets the table's
 * spelling of the name ("Message-ID" for "Message-Id"), or NULL when no exact entry has it. */
EmlintFieldClass emlint_field_lookup (const EmlintMessage *msg, const EmlintField *field,
                                      const char **canonical);

/* TRUE when the field's name is in one of @classes. */
gboolean emlint_field_in (const EmlintMessage *msg, const EmlintField *field,
                          EmlintFieldClass classes);

/* TRUE when @name (@len octets) matches @pattern, ignoring ASCII case; a final '*' in the
 * pattern matches any rest. */
gboolean emlint_field_name_matches (const char *pattern, const char *name, gsize len);

/* ---- comments, quoted-strings and CFWS -------------------------------------------------- */

/* The end of the comment that opens at s[@p] ('('), nested comments and quoted-pairs
 * included: the offset after its ')', or G_MAXSIZE when it is not closed before @len. */
gsize emlint_comment_end (const char *s, gsize len, gsize p);

/* The end of the quoted-string that opens at s[@p] ('"'), quoted-pairs included: the offset
 * after its closing '"', or G_MAXSIZE when it is not closed before @len. */
gsize emlint_quoted_string_end (const char *s, gsize len, gsize p);

/* What emlint_skip_cfws() skipped. */
typedef enum {
  EMLINT_CFWS_SPACE = 1 << 0,    /* white space */
  EMLINT_CFWS_COMMENT = 1 << 1,  /* a comment */
  EMLINT_CFWS_UNCLOSED = 1 << 2, /* a comment not closed before the end: *p is at its '(' */
} EmlintCfws;

/* Skips CFWS (RFC 5322 3.2.2) from s[*@p] up to @len: white space and comments, nested ones
 * included. @folded: @s is a raw field value, whose CR and LF are part of a fold and count as
 * white space; else it is unfolded, and a CR or LF left in it is a defect that ends the CFWS.
 * Returns what it skipped (0: nothing). */
EmlintCfws emlint_skip_cfws (const char *s, gsize len, gsize *p, gboolean folded);

/* RFC 5322 3.2.3 atext: an ASCII octet an atom may hold. */
gboolean emlint_is_atext (guchar c);

/* The first field of @header named @name, or NULL. */
const EmlintField *emlint_header_find (const EmlintMessage *msg, const EmlintHeader *header,
                                       const char *name);

/* The media type of @header ("multipart/mixed"...): the first word of its Content-Type, up to
 * a ';', a comment or white space, in lower case; NULL when it has no Content-Type. A new
 * string. */
char *emlint_header_media_type (const EmlintMessage *msg, const EmlintHeader *header);

/* TRUE when physical line @i of @field (0: its first line) was cut by a relay at the SMTP line
 * length limit: it is exactly 998 octets long (990 for older Postfix and sendmail), it ends
 * inside a word, and the next line of the field continues that word after one inserted space
 * (Postfix's smtp_line_length_limit inserts CR LF SPACE). */
gboolean emlint_field_line_cut (const EmlintMessage *msg, const EmlintField *field, guint i);
/* TRUE when a line of @field was cut so (header-line-cut's: other rules leave the field alone). */
gboolean emlint_field_is_cut (const EmlintMessage *msg, const EmlintField *field);

/* ---- RFC 5322 3.4 addresses ------------------------------------------------------------ */

typedef struct {
  gsize start, end;  /* the octets the problem is about (the address, or the token) */
  gboolean obsolete; /* an obsolete form of RFC 5322 4.4, which readers still accept */
  char *why;         /* what is wrong, a new string; NULL when nothing is */
} EmlintAddressProblem;

/* Parses [s + start, s + end) (a raw field value: a CR or LF is part of a fold) as an RFC 5322
 * address-list, groups included (RFC 6854 allows them in From and Sender too), with the
 * obsolete forms of section 4.4. Sets *@n_addresses to the number of addresses (a group counts
 * as one). Returns FALSE at the first error, described in @problem; TRUE when the list is
 * valid, with @problem describing its first obsolete form, if any (problem->why == NULL
 * otherwise). UTF-8 and other 8-bit octets count as atext: they are header-8bit's. Free
 * problem->why with g_free(). */
gboolean emlint_address_list_parse (const char *s, gsize start, gsize end, guint *n_addresses,
                                    EmlintAddressProblem *problem);

/* ---- RFC 2047 encoded-words -------------------------------------------------------------- */

/* 16 octets: offsets are 32-bit, as the field records' are (a header never reaches past
 * 4 GiB), and the inner ones 16-bit from the start, so that a Subject of a million words keeps
 * 24 octets a word (EmlintWordHit), not 88. The helpers below give the offsets into the text. */
typedef struct {
  guint32 start, end;  /* "=?" .. "?=" inclusive: offsets into the scanned text */
  guint16 charset_len; /* the charset, from start + 2, without an RFC 2231 "*language" suffix */
  guint16 text_offset; /* the encoded-text: from start + text_offset to end - 2 */
  char encoding;       /* the encoding octet as written ('B', 'q', 'X', ...) */
} EmlintEncodedWord;

static inline gsize
emlint_encoded_word_charset_start (const EmlintEncodedWord *ew)
{
  return (gsize) ew->start + 2;
}

static inline gsize
emlint_encoded_word_charset_end (const EmlintEncodedWord *ew)
{
  return (gsize) ew->start + 2 + ew->charset_len;
}

static inline gsize
emlint_encoded_word_text_start (const EmlintEncodedWord *ew)
{
  return (gsize) ew->start + ew->text_offset;
}

static inline gsize
emlint_encoded_word_text_end (const EmlintEncodedWord *ew)
{
  return (gsize) ew->end - 2;
}

/* TRUE when [token, token + len) is one whole RFC 2047 encoded-word in B or Q
 * (emlint_encoded_word_at() with nothing after it): the test of the msg-id fields (msgid.c),
 * which take a token as encoded only when it is one. */
gboolean emlint_is_encoded_word (const char *token, gsize len);
/* TRUE when an encoded-word shape starts at s[pos]: "=?" token ["*" language] "?" one token
 * octet "?" encoded-text "?=", where encoded-text is printable US-ASCII other than '?' and
 * space. Any encoding octet matches, so that a caller can report an unknown one. A word that
 * would end past 4 GiB, or whose charset and language take more than 65,530 octets, is none. */
gboolean emlint_encoded_word_at (const char *s, gsize len, gsize pos, EmlintEncodedWord *ew);

/* Decodes the encoded-text of @ew (B or Q) into @out. Returns NULL when it is valid, else a
 * static string saying what is wrong with it. */
const char *emlint_encoded_word_decode (const char *s, const EmlintEncodedWord *ew,
                                        GByteArray *out);

/* TRUE when @charset (NUL-terminated) is a character set iconv can convert from. */
gboolean emlint_charset_known (const char *charset);

/* Where an encoded-word stands (RFC 2047 section 5). */
typedef enum {
  EMLINT_WORD_TEXT,       /* unstructured text: Subject, Comments, Content-Description, X-* */
  EMLINT_WORD_PHRASE,     /* a word of a phrase: display and group names, Keywords, List-Id */
  EMLINT_WORD_COMMENT,    /* inside a comment of a structured field */
  EMLINT_WORD_QUOTED,     /* inside a quoted-string */
  EMLINT_WORD_ADDR_SPEC,  /* in an addr-spec, or inside angle brackets */
  EMLINT_WORD_PARAM,      /* in the type or a parameter of Content-Type or Content-Disposition */
  EMLINT_WORD_STRUCTURED, /* elsewhere in a structured field: Date, Received, List-* URLs... */
} EmlintWordContext;

/* 24 octets a word: the words of a field are kept once per message (see emlint_field_words()). */
typedef struct {
  EmlintEncodedWord ew; /* offsets into msg->data */
  guint32 param_start;  /* PARAM: the parameter's name (empty: the media type) */
  guint16 param_len;    /* its length, at most 65,535 (longer names are cut there) */
  EmlintWordContext context : 8;
  guint separated : 1; /* set off from the text around it as RFC 2047 section 5 asks */
  guint quoted : 1;    /* PARAM: inside the parameter's quoted-string value */
} EmlintWordHit;

/* Every encoded-word shape in the value of @field, in order, with where it stands: an array
 * of EmlintWordHit, owned by @msg (found on the first call and kept, as three rules ask), or
 * NULL when the value holds none. The msg-id fields (msgid-encoded-word's) give none. */
const GArray *emlint_field_words (const EmlintMessage *msg, const EmlintField *field);

/* TRUE when "=?" occurs in [s, s + len): the quick test before looking for encoded-words. */
gboolean emlint_has_encoded_word_start (const char *s, gsize len);

/* Walks the fields (emlint_fields_once()) that hold encoded-words, as the encoded-word rules
 * read them. Start from { 0 }; g_auto() clears it. */
typedef struct {
  GArray *fields;      /* emlint_fields_once() */
  const GArray *words; /* of EmlintWordHit: the words of the field last given (owned by the
                        * message, never a copy), or an empty array */
  GArray *none;        /* the empty array */
  guint next;
} EmlintWordFields;

/* The next field whose value holds encoded-word shapes (into it->words) or, with @broken, at
 * least a "=?" that starts none; NULL at the end. A spam filter's report is left out: the
 * subjects it quotes are not the sender's. */
const EmlintField *emlint_next_word_field (const EmlintMessage *msg, EmlintWordFields *it,
                                           gboolean broken);
void emlint_word_fields_clear (EmlintWordFields *it);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EmlintWordFields, emlint_word_fields_clear)

/* TRUE when RFC 2047 section 5 does not allow the word @hit of @field where it stands:
 * encoded-word-placement reports it, at *@severity, and the other encoded-word rules leave it
 * alone, so that one word gives one finding. Quoted name= and filename= parameters pass
 * (Gmail, Exchange Online, Apple Mail and Mozilla write them, and readers decode them). */
gboolean emlint_word_misplaced (const EmlintMessage *msg, const EmlintField *field,
                                const EmlintWordHit *hit, EmlintSeverity *severity);

/* A short name of @context for messages ("a quoted-string", "an addr-spec"...). */
const char *emlint_word_context_name (EmlintWordContext context);

G_END_DECLS
