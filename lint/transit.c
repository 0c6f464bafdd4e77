/* transit.c: the originator's part of a received header, and the one table of the field names
 * that mail servers, list servers and spam filters add. */
#include "transit.h"

typedef enum {
  MARKS_RECEIVED = 1 << 0, /* its presence makes the message received mail */
  ALWAYS_SKIPPED = 1 << 1, /* header-line-length skips it in any mail (transit-fields default) */
} NameFlags;

/* A final '*' is a prefix. Sources: RFC 5321 4.4 and RFC 5322 3.6.7 (trace), RFC 7208 9.1,
 * RFC 8601, RFC 8617, RFC 6376, RFC 9228 (Delivered-To); RFC 2369, RFC 2919, RFC 5064,
 * RFC 8058 (lists); the fields of Mailman 2 and 3 (X-Mailman-*, X-BeenThere, X-Content-Filtered-By,
 * Message-ID-Hash, X-MailFrom), Google Groups (Mailing-list, X-Google-Group-Id,
 * X-Original-Sender, X-Original-Authentication-Results, X-Spam-Checked-In-Group), ezmlm
 * (Mailing-List), Sympa (X-Loop, X-Sequence), vger's majordomo and mlmmj (X-Mailing-List);
 * Gmane's archive (X-From: the envelope sender and date);
 * SpamAssassin (X-Spam-*), rspamd (X-Spamd-*, X-Rspamd-*), amavis and ClamAV (X-Virus-*,
 * X-Amavis-*), Exchange Online Protection (X-Forefront-Antispam-Report, X-Microsoft-Antispam*),
 * Cloudmark (X-Authority-Analysis, X-Cloudmark-*), and any other field whose name says "spam" (a site's own
 * filter: X-ELTE-SpamCheck-Details, X-Linutronix-Spam-Status); relays: Exchange's
 * X-OriginalArrivalTime, milter-greylist's X-Greylist, X-SRS-Rewrite, X-Report-Abuse, and
 * cPanel's X-AntiAbuse and X-Get-Message-Sender-Via (the sending host's, not the author's),
 * sendmail's X-Authentication-Warning and X-MIME-Autoconverted, MIMEDefang's X-Scanned-By,
 * Yahoo's X-Apparently-To and X-Default-Received-SPF, Exchange's transport stamps
 * (X-MS-Exchange-Organization-*, -CrossTenant-*, -Transport-*; not X-MS-Has-Attach and the
 * like, which Outlook writes), Proofpoint's filter (X-Proofpoint-*); and what the receiving
 * mail reader stores in the header (Thunderbird's X-Mozilla-Status and X-Mozilla-Keys, Emacs
 * VM's X-VM-*, a POP client's X-UIDL, mbox readers' Status, X-Status and X-Keywords).
 * Not here: Precedence (bots and autoresponders write it too, and its one word never matters)
 * and tip-bot2's Robot-Unsubscribe (the bot writes it itself: it is the sender's). */
static const struct {
  const char *name;
  EmlintFieldOrigin origin;
  NameFlags flags;
} field_names[] = {
  /* The entries with MARKS_RECEIVED come first (marks_received() stops after them). */
  { "Received", EMLINT_ORIGIN_TRANSIT, MARKS_RECEIVED | ALWAYS_SKIPPED },
  { "Return-Path", EMLINT_ORIGIN_TRANSIT, MARKS_RECEIVED | ALWAYS_SKIPPED },
  { "Delivered-To", EMLINT_ORIGIN_TRANSIT, MARKS_RECEIVED },
  { "X-Original-To", EMLINT_ORIGIN_TRANSIT, MARKS_RECEIVED },
  { "X-Received", EMLINT_ORIGIN_TRANSIT, ALWAYS_SKIPPED },
  { "Received-SPF", EMLINT_ORIGIN_TRANSIT, ALWAYS_SKIPPED },
  { "Authentication-Results", EMLINT_ORIGIN_TRANSIT, ALWAYS_SKIPPED },
  { "ARC-*", EMLINT_ORIGIN_TRANSIT, ALWAYS_SKIPPED },
  { "DKIM-Signature", EMLINT_ORIGIN_TRANSIT, ALWAYS_SKIPPED },
  { "X-Google-DKIM-Signature", EMLINT_ORIGIN_TRANSIT, ALWAYS_SKIPPED },
  { "X-OriginalArrivalTime", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Greylist", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-SRS-Rewrite", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Report-Abuse", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-AntiAbuse", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Get-Message-Sender-Via", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Authentication-Warning", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-MIME-Autoconverted", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Scanned-By", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Apparently-To", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Default-Received-SPF", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-MS-Exchange-Organization-*", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-MS-Exchange-CrossTenant-*", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-MS-Exchange-Transport-*", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Mozilla-Status*", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Mozilla-Keys", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-VM-*", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-UIDL", EMLINT_ORIGIN_TRANSIT, 0 },
  { "Status", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Status", EMLINT_ORIGIN_TRANSIT, 0 },
  { "X-Keywords", EMLINT_ORIGIN_TRANSIT, 0 },
  { "List-*", EMLINT_ORIGIN_LIST, 0 },
  { "Archived-At", EMLINT_ORIGIN_LIST, 0 },
  { "X-Mailman-*", EMLINT_ORIGIN_LIST, 0 },
  { "X-BeenThere", EMLINT_ORIGIN_LIST, 0 },
  { "X-Content-Filtered-By", EMLINT_ORIGIN_LIST, 0 },
  { "Message-ID-Hash", EMLINT_ORIGIN_LIST, 0 },
  { "X-Message-ID-Hash", EMLINT_ORIGIN_LIST, 0 },
  { "X-MailFrom", EMLINT_ORIGIN_LIST, 0 },
  { "Mailing-List", EMLINT_ORIGIN_LIST, 0 },
  { "X-Mailing-List", EMLINT_ORIGIN_LIST, 0 },
  { "X-Google-Group-Id", EMLINT_ORIGIN_LIST, 0 },
  { "X-Original-Sender", EMLINT_ORIGIN_LIST, 0 },
  { "X-Original-Authentication-Results", EMLINT_ORIGIN_LIST, 0 },
  { "X-Spam-Checked-In-Group", EMLINT_ORIGIN_LIST, 0 },
  { "X-Loop", EMLINT_ORIGIN_LIST, 0 },
  { "X-From", EMLINT_ORIGIN_LIST, 0 },
  { "X-Sequence", EMLINT_ORIGIN_LIST, 0 },
  { "X-Spam", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Spam-*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Spamd-*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Rspamd-*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Virus-*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Amavis-*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Forefront-Antispam-Report*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Microsoft-Antispam*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Authority-Analysis", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Cloudmark-*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
  { "X-Proofpoint-*", EMLINT_ORIGIN_SPAM_FILTER, 0 },
};

/* The fields an originator writes (RFC 5322 3.6, RFC 2045): the first of them in the top-level
 * header starts the originator's part. A resender's Resent-* block counts as its own. */
static const char *const originator_names[] = {
  "From",     "Sender",       "Reply-To",   "To",          "Cc",         "Bcc",
  "Subject",  "Date",         "Message-ID", "In-Reply-To", "References", "Comments",
  "Keywords", "MIME-Version", "Content-*",  "Resent-*",
};

gboolean
emlint_field_name_matches (const char *pattern, const char *name, gsize len)
{
  gsize n;

  if (len == 0 || (name[0] | 0x20) != (pattern[0] | 0x20))
    return FALSE;
  n = strlen (pattern);
  if (n > 0 && pattern[n - 1] == '*')
    return len >= n - 1 && emlint_ascii_equal_ci (name, pattern, n - 1);
  return len == n && emlint_ascii_equal_ci (name, pattern, n);
}

/* TRUE when the name holds "spam", ignoring case. */
static gboolean
names_spam (const char *name, gsize len)
{
  for (gsize i = 0; i + 4 <= len; i++)
    if (g_ascii_strncasecmp (name + i, "spam", 4) == 0)
      return TRUE;
  return FALSE;
}

/* The table entry for @field, or -1. */
static int
lookup (const EmlintMessage *msg, const EmlintField *field)
{
  const char *name = msg->data + field->start;
  gsize len = field->name_end - field->start;

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (emlint_field_name_matches (field_names[i].name, name, len))
      return (int) i;
  return -1;
}

static gboolean
is_originator_field (const EmlintMessage *msg, const EmlintField *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (originator_names); i++)
    if (emlint_field_name_matches (originator_names[i], msg->data + field->start,
                                   field->name_end - field->start))
      return TRUE;
  return FALSE;
}

/* TRUE when the field's name is one that makes a message received mail: the table's first
 * entries, which carry the flag. */
static gboolean
marks_received (const EmlintMessage *msg, const EmlintField *field)
{
  for (guint k = 0; k < G_N_ELEMENTS (field_names) && (field_names[k].flags & MARKS_RECEIVED); k++)
    if (emlint_field_name_matches (field_names[k].name, msg->data + field->start,
                                   field->name_end - field->start))
      return TRUE;
  return FALSE;
}

/* Finds whether @msg is received mail and where the originator's part starts, once: rules ask
 * only about fields that hold something to report, so most messages never pay for it. A
 * message is linted by one thread at a time, as for the msg-id cache. */
static void
find_originator (const EmlintMessage *msg)
{
  EmlintMessage *m = (EmlintMessage *) msg;
  const EmlintHeader *top = emlint_message_top (msg);

  if (msg->origin_known)
    return;
  m->origin_known = TRUE;
  m->received = FALSE;
  m->originator_start = top->end;
  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *field = emlint_header_field (top, i);

      if (is_originator_field (msg, field))
        {
          m->originator_start = field->start;
          break;
        }
      m->received |= marks_received (msg, field);
    }
  /* Trace fields below the originator's part (an archive that reordered the header). */
  for (guint i = 0; i < top->fields->len && !msg->received; i++)
    m->received = marks_received (msg, emlint_header_field (top, i));
}

gboolean
emlint_message_is_received (const EmlintMessage *msg)
{
  find_originator (msg);
  return msg->received;
}

EmlintFieldOrigin
emlint_field_origin (const EmlintMessage *msg, const EmlintField *field)
{
  int k;

  if (field->start >= emlint_message_top (msg)->end || !emlint_message_is_received (msg))
    return EMLINT_ORIGIN_SENDER;
  k = lookup (msg, field);
  if (k >= 0)
    return field_names[k].origin;
  if (names_spam (msg->data + field->start, field->name_end - field->start))
    return EMLINT_ORIGIN_SPAM_FILTER;
  return field->start < msg->originator_start ? EMLINT_ORIGIN_TRANSIT : EMLINT_ORIGIN_SENDER;
}

/* TRUE when the value @v (@n octets) of a Received field names an SMTPUTF8 protocol: "with"
 * and then a word that starts with UTF8 (RFC 6531 3.7.3 registers UTF8SMTP, UTF8SMTPA,
 * UTF8SMTPS, UTF8SMTPSA and the UTF8LMTP forms). */
static gboolean
received_with_utf8 (const char *v, gsize n)
{
  for (gsize i = 0; i + 4 <= n; i++)
    {
      gsize p = i + 4;

      if ((i > 0 && !g_ascii_isspace (v[i - 1])) || !emlint_ascii_equal_ci (v + i, "with", 4)
          || p >= n || !g_ascii_isspace (v[p]))
        continue;
      while (p < n && g_ascii_isspace (v[p]))
        p++;
      if (p + 4 <= n && emlint_ascii_equal_ci (v + p, "utf8", 4))
        return TRUE;
    }
  return FALSE;
}

gboolean
emlint_message_arrived_smtputf8 (const EmlintMessage *msg)
{
  const EmlintHeader *top = emlint_message_top (msg);

  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *field = emlint_header_field (top, i);

      if (emlint_field_is (msg, field, "Received")
          && received_with_utf8 (msg->data + field->value_start,
                                 field->value_end - field->value_start))
        return TRUE;
    }
  return FALSE;
}

char **
emlint_default_transit_fields (void)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (field_names[i].flags & ALWAYS_SKIPPED)
      g_ptr_array_add (names, g_strdup (field_names[i].name));
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}
