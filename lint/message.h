/* message.h: one mail message as original bytes, with its line index and header fields.
 *
 * Every position emlint reports or edits is a byte offset into EmlintMessage.data; nothing here
 * is ever re-serialised. GMime finds the MIME structure; emlint's own scanner splits each header
 * block into fields, because GMime exposes neither the physical lines nor the byte span of a
 * field, and a fix must edit exactly those bytes. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Offsets are 32 bits: millions of fields cost 28 octets each, not 48 (memory stays a small
 * multiple of the message). A field is recorded only when it ends within the first 4 GiB of its
 * message: a header that reaches past it ends there (scan_header()). */
typedef struct {
  guint32 start;       /* first octet of the field name */
  guint32 name_end;    /* end of the name: the colon, or the whitespace before it */
  guint32 value_start; /* just after the colon */
  guint32 value_end;   /* end of the value, before the field's final line ending */
  guint32 end;         /* start of the line after the field */
  guint line;          /* 0-based line of the message on which the field starts */
  guint n_lines;       /* physical lines, continuation lines included */
} EmlintField;

typedef enum {
  EMLINT_HEADER_TOP,  /* the message's own header */
  EMLINT_HEADER_PART, /* the header of a MIME part inside a multipart */
} EmlintHeaderKind;

typedef struct {
  EmlintHeaderKind kind;
  gsize start;      /* first octet of the header block */
  gsize end;        /* end of the header block: the blank line, or where the body starts */
  gsize body_start; /* first octet after the blank line (== end when there is none) */
  gsize stray;      /* the first line that is neither a field nor a continuation, where some
                         readers (Python's email) end the header; G_MAXSIZE when none */
  GArray *fields;   /* of EmlintField, in order */
} EmlintHeader;


typedef struct _EmlintSignatures EmlintSignatures;
typedef struct _EmlintMsgidCache EmlintMsgidCache;

typedef struct {
  const char *path; /* display path, borrowed from the input */
  guint index;      /* 0-based position of the message in its file */
  gboolean in_mbox; /* the file is an mbox: reports name the index */
  guint first_line; /* 1-based line of the file on which the message starts */
  GBytes *bytes;    /* the original octets of the message, owned */
  const char *data; /* = bytes' data */
  gsize len;
  GArray *line_starts;          /* of gsize: offset of each physical line; a final entry == len */
  gsize longest_line;           /* octets of the longest line, line ending included */
  GPtrArray *headers;           /* of EmlintHeader*: [0] the top-level header, then MIME parts */
  EmlintMsgidCache *msgid_cache; /* the first msg-id fields, parsed on first use by msgid.c */
  GArray *fields_once;          /* of EmlintFieldRef, built on first use by lex.c */
  GHashTable *field_words;      /* EmlintField* -> GArray of its encoded-words, filled by lex.c */
  EmlintSignatures *signatures; /* the top-level header's signatures, parsed on first use by
                                   signature.c */
  gboolean origin_known;  /* received and originator_start are set (transit.c, on first use) */
  gboolean received;      /* the top-level header has trace fields */
  gsize originator_start; /* received mail: where the originator's part of the top-level
                              header starts; the fields above it were prepended in transit */
  char **placeholders;    /* template placeholders ("OPEN CLOSE") in force while the message
                              is linted; borrowed from the configuration by the engine */
} EmlintMessage;

/* Takes a reference on @bytes. Returns a new message (free with emlint_message_free()).
 * @path is borrowed and must outlive the message. */
EmlintMessage *emlint_message_new (GBytes *bytes, const char *path, guint index, gboolean in_mbox,
                                   guint first_line);
/* The same for a file that is not mail (an IMAP transcript): the line index only, no header. */
EmlintMessage *emlint_message_new_text (GBytes *bytes, const char *path);
void emlint_message_free (EmlintMessage *msg);
/* Frees what the rules cached in @msg (msgid fields, signatures); built again on demand. */
void emlint_message_drop_caches (EmlintMessage *msg);
/* Frees the parse that msgid.c caches in a message (defined there). */
void emlint_msgid_cache_free (EmlintMsgidCache *cache);
/* Frees the parse that signature.c caches in a message (defined there). */
void emlint_signatures_free (EmlintSignatures *sigs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmlintMessage, emlint_message_free)

typedef enum {
  EMLINT_NO_DELIMITER,
  EMLINT_DELIMITER,       /* "--" boundary */
  EMLINT_CLOSE_DELIMITER, /* "--" boundary "--", the last one */
} EmlintDelimiter;

/* What the @len octets of @line (without its line ending) are to a multipart of @boundary (@n
 * octets): RFC 2046 5.1.1, "--" boundary ["--"], then only transport padding (WSP). */
EmlintDelimiter emlint_delimiter_line (const char *line, gsize len, const char *boundary, gsize n);

/* TRUE when the message holds nothing but whitespace and line endings. */
gboolean emlint_message_is_empty (const EmlintMessage *msg);

/* Physical lines: LF or CRLF ends a line; a bare CR does not. */
guint emlint_message_n_lines (const EmlintMessage *msg);
/* The offset of @line's first octet (of the end, for line n_lines). Inline: rules ask per line. */
static inline gsize
emlint_message_line_start (const EmlintMessage *msg, guint line)
{
  return g_array_index (msg->line_starts, gsize, line);
}
/* End of the line's content: the offset of its CR LF or LF (or the end of the data). */
gsize emlint_message_line_end (const EmlintMessage *msg, guint line);
/* 0-based line holding @offset. */
guint emlint_message_line_of (const EmlintMessage *msg, gsize offset);
/* The line ending used by the line holding @offset: "\r\n" or "\n" (static). */
const char *emlint_message_eol_at (const EmlintMessage *msg, gsize offset);

static inline const EmlintHeader *
emlint_message_top (const EmlintMessage *msg)
{
  return g_ptr_array_index (msg->headers, 0);
}

static inline const EmlintField *
emlint_header_field (const EmlintHeader *header, guint i)
{
  return &g_array_index (header->fields, EmlintField, i);
}

/* TRUE when the @n octets at @a and at @b are the same, ignoring ASCII case. Inline, for
 * field names: rules compare them for every field of every message, and a call of
 * g_ascii_strncasecmp() (a table lookup per octet) cost 4% of a run. */
static inline gboolean
emlint_ascii_equal_ci (const char *a, const char *b, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      guchar x = (guchar) a[i], y = (guchar) b[i];

      /* OR-ing 0x20 folds the case of a letter; the second test keeps '@' from matching '`'
       * and the like, which fold alike but are not letters. */
      if (x != y && ((x | 0x20) != (y | 0x20) || (guchar) ((x | 0x20) - 'a') > 'z' - 'a'))
        return FALSE;
    }
  return TRUE;
}

/* TRUE when the field's name is @name, ignoring ASCII case. Inline, with the length (constant
 * for a literal @name) and the first octet compared first. */
static inline gboolean
emlint_field_is (const EmlintMessage *msg, const EmlintField *field, const char *name)
{
  gsize n = field->name_end - field->start;

  return (msg->data[field->start] | 0x20) == (name[0] | 0x20) && strlen (name) == n
         && emlint_ascii_equal_ci (msg->data + field->start, name, n);
}
gsize emlint_placeholder_match (const EmlintMessage *msg, const char *s, gsize len);

/* The placeholder syntaxes a template repository holds ("OPEN CLOSE": Jinja, Django,
 * Handlebars, shell and JavaScript templates, Python's % formatting): the default of
 * `profile = template`, and what a refold never splits. */
extern const char *const emlint_template_placeholders[];
/* The length of the placeholder of one of @syntaxes that starts at @s, or 0. */
gsize emlint_placeholder_syntax_match (const char *const *syntaxes, const char *s, gsize len);

/* The length of the template placeholder that starts at @s (at most @len octets), or 0. A
 * placeholder counts as one opaque atom. Inline: scanners ask at every octet. */
static inline gsize
emlint_placeholder_at (const EmlintMessage *msg, const char *s, gsize len)
{
  return msg->placeholders == NULL ? 0 : emlint_placeholder_match (msg, s, len);
}

/* TRUE when the field's name starts with @prefix, ignoring ASCII case. */
gboolean emlint_field_has_prefix (const EmlintMessage *msg, const EmlintField *field,
                                  const char *prefix);
/* The field name as a new string (free with g_free()). */
char *emlint_field_dup_name (const EmlintMessage *msg, const EmlintField *field);

G_END_DECLS
