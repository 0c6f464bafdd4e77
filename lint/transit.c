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
