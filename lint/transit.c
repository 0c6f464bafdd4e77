/* transit.c: the originator's part of a received header, and whose each field is, by the
 * classes of the one table of field names (lex.c). */
#include "transit.h"

/* TRUE when the name holds "spam", ignoring case. */
static gboolean
names_spam (const char *name, gsize len)
{
  for (gsize i = 0; i + 4 <= len; i++)
    if (g_ascii_strncasecmp (name + i, "spam", 4) == 0)
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
      EmlintFieldClass classes = emlint_field_lookup (msg, field, NULL);

      if (classes & EMLINT_FIELD_ORIGINATOR)
        {
          m->originator_start = field->start;
          break;
        }
      m->received |= (classes & EMLINT_FIELD_MARKS_RECEIVED) != 0;
    }
  /* Trace fields below the originator's part (an archive that reordered the header). */
  for (guint i = 0; i < top->fields->len && !msg->received; i++)
    m->received = emlint_field_in (msg, emlint_header_field (top, i), EMLINT_FIELD_MARKS_RECEIVED);
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
  EmlintFieldClass classes;

  if (field->start >= emlint_message_top (msg)->end || !emlint_message_is_received (msg))
    return EMLINT_ORIGIN_SENDER;
  classes = emlint_field_lookup (msg, field, NULL);
  /* X-Spam-Checked-In-Group is Google Groups', though X-Spam-* is a filter's. */
  if (classes & EMLINT_FIELD_TRACE)
    return EMLINT_ORIGIN_TRANSIT;
  if (classes & EMLINT_FIELD_LIST_SERVER)
    return EMLINT_ORIGIN_LIST;
  if ((classes & EMLINT_FIELD_SPAM_FILTER)
      || names_spam (msg->data + field->start, field->name_end - field->start))
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
  guint n;
  const EmlintFieldName *table = emlint_field_names (&n);

  for (guint i = 0; i < n; i++)
    if (table[i].classes & EMLINT_FIELD_TRANSIT_DEFAULT)
      g_ptr_array_add (names, g_strdup (table[i].name));
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}
