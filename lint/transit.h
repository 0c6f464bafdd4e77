/* transit.h: whose a header field is. In received mail (a message with trace fields) the fields
 * prepended in transit (RFC 5321 4.4: above the originator's part of the header), the fields a
 * list server adds (RFC 2369, RFC 2919, Mailman, Sympa, ezmlm, Google Groups) and a spam
 * filter's report are not the sender's: style rules leave them alone (doc/DESIGN.md). Outbound
 * mail, without trace fields, is the sender's in full. The one table of field names is in
 * transit.c. */
#pragma once

#include "message.h"

G_BEGIN_DECLS

typedef enum {
  EMLINT_ORIGIN_SENDER,      /* written by the originator; every field of outbound mail */
  EMLINT_ORIGIN_TRANSIT,     /* a trace or signature field, or above the originator's part */
  EMLINT_ORIGIN_LIST,        /* added by a list server */
  EMLINT_ORIGIN_SPAM_FILTER, /* the report of a spam or virus filter on the receiving host */
} EmlintFieldOrigin;

/* TRUE when @msg is received mail: its top-level header has a trace field (Received,
 * Return-Path, Delivered-To, X-Original-To). */
gboolean emlint_message_is_received (const EmlintMessage *msg);

/* Who wrote @field (a field of any header of @msg). Fields of MIME parts are the sender's. */
EmlintFieldOrigin emlint_field_origin (const EmlintMessage *msg, const EmlintField *field);

/* TRUE when a Received field of @msg's top-level header shows an SMTPUTF8 transaction
 * ("with UTF8SMTPS" and the other RFC 6531 3.7.3 protocols): the message travelled as an
 * RFC 6532 message, whose header fields may hold UTF-8. */
gboolean emlint_message_arrived_smtputf8 (const EmlintMessage *msg);

/* The trace and signature fields header-line-length skips in any mail by default (the config
 * key transit-fields): a new NULL-terminated array (free with g_strfreev()). */
char **emlint_default_transit_fields (void);

/* TRUE when @name (@len octets) matches @pattern, ignoring ASCII case; a final '*' in the
 * pattern matches any rest. */
gboolean emlint_field_name_matches (const char *pattern, const char *name, gsize len);

G_END_DECLS
