/* msgid.h: the msg-id fields of a message and RFC 5322 msg-id syntax (3.6.4, obsolete 4.5.4).
 *
 * The msg-id rules judge a field by its value as a reader sees it: unfolded and, when the field
 * holds RFC 2047 encoded-words (msgid-encoded-word), decoded. So one defect gives one finding. */
#pragma once

#include "lex.h"
#include "message.h"

G_BEGIN_DECLS

typedef enum {
  EMLINT_MSGID_ONE = 0,              /* exactly one id: Message-ID, Content-ID... */
  EMLINT_MSGID_LIST = 1 << 0,        /* In-Reply-To, References: ids and obsolete phrases */
  EMLINT_MSGID_AT_OPTIONAL = 1 << 1, /* Content-ID: "<ii_...>" without '@' (Gmail) passes */
} EmlintMsgidFlags;

typedef struct {
  gsize start, end;  /* the bracketed id in EmlintMsgidField.value, '<' to '>' inclusive */
  gsize at;          /* the '@' (the '>' for an id without one, see AT_OPTIONAL) */
  gboolean obsolete; /* uses an obsolete form of RFC 5322 4.5.4 inside the brackets */
} EmlintMsgid;

typedef struct {
  const EmlintHeader *header;
  const EmlintField *field;
  const char *name; /* the canonical field name, e.g. "Message-ID" */
  EmlintMsgidFlags flags;
  gboolean encoded; /* at least one whitespace-separated token is an RFC 2047 encoded-word */
  char *value;      /* unfolded, and decoded when encoded (UTF-8) */
  gsize value_len;
  const EmlintMsgid *ids; /* the ids, in order: n_ids of them (one array serves every field) */
  guint n_ids;
  gboolean bare;            /* the value is nothing but ids separated by whitespace */
  gboolean commented;       /* ids and comments outside them, nothing else (no phrase) */
  gboolean empty;           /* In-Reply-To or References with no id, only white space or comments:
                         the obsolete syntax allows it (RFC 5322 4.5.4) */
  char *error;              /* NULL when the value is msg-id syntax; else why it is not */
  char *bracketed;          /* an id whose brackets hold RFC 2047 encoded-words instead of the id
                         ("<=?utf-8?q?=3C2023...?=>"): their decoded text (UTF-8); else NULL */
  gboolean bracketed_whole; /* ... and that text is one whole msg-id */
} EmlintMsgidField;

/* Walks the msg-id fields: Message-ID, In-Reply-To, References, Resent-Message-ID and
 * Original-Message-ID of the top-level header, Content-ID of every header, in order:
 *
 *   EmlintMsgidIter it = EMLINT_MSGID_ITER (msg);
 *   for (const EmlintMsgidField *mf; (mf = emlint_msgid_next (&it)) != NULL;)
 *
 * The first EMLINT_MSGID_CACHED fields are parsed once, on first use, and kept by @msg (every
 * msg-id rule reads them; a message is linted by one thread at a time). A field past them is
 * parsed when an iterator reaches it, into one scratch entry that @msg owns and the next call
 * overwrites: a message of millions of msg-id fields costs the parse of one field, not millions
 * of parsed fields (memory stays a small multiple of the message; time stays linear). */
#define EMLINT_MSGID_CACHED 256

typedef struct {
  const EmlintMessage *msg;
  guint n;             /* fields returned so far */
  guint header, field; /* past the cache: where the search for the next field resumes */
} EmlintMsgidIter;

#define EMLINT_MSGID_ITER(msg) ((EmlintMsgidIter){ (msg), 0, 0, 0 })

/* The next msg-id field, or NULL after the last. Borrowed from the message: a cached field
 * lives until emlint_message_drop_caches(), one past the cache until the next call. */
const EmlintMsgidField *emlint_msgid_next (EmlintMsgidIter *iter);

/* Parses @value as a msg-id field body. Appends the ids to @ids; returns NULL when valid, else a
 * new string saying why not (free with g_free()). Sets *@bare when the value is only ids and
 * whitespace. UTF-8 counts as atext (RFC 6532); other 8-bit octets do not. An In-Reply-To or
 * References without ids (EMLINT_MSGID_LIST) is valid here: the obsolete syntax allows it. */
char *emlint_msgid_parse (const char *value, gsize len, EmlintMsgidFlags flags, GArray *ids,
                          gboolean *bare);

G_END_DECLS
