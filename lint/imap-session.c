/* imap-session.c: the session walker of the imap- rules (see imap-session.h). */
#include "imap-session.h"

#include <string.h>

void
emlint_imap_session_init (EmlintImapSession *s, const EmlintTranscript *t)
{
  memset (s, 0, sizeof *s);
  s->t = t;
  s->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->completed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
emlint_imap_session_clear (EmlintImapSession *s)
{
  g_clear_pointer (&s->pending, g_hash_table_unref);
  g_clear_pointer (&s->completed, g_hash_table_unref);
  g_clear_pointer (&s->ended, g_hash_table_unref);
}

static gboolean
name_is_any (const EmlintImapLine *line, gsize name, gsize len, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (emlint_imap_word_is (line, name, len, names[i]))
      return TRUE;
  return FALSE;
}

static const char *const state_changing[] = { "LOGIN", "AUTHENTICATE", "SELECT", "EXAMINE",
                                              "CLOSE", "UNSELECT",     "LOGOUT", NULL };

/* Notes an ID capability anywhere in a CAPABILITY response or [CAPABILITY ...] code. */
static void
scan_capabilities (EmlintImapSession *s, const EmlintImapLine *line)
{
  gboolean listing = FALSE;
  gsize len;

  for (gsize at = 0, next; at < line->len; at = next)
    {
      gsize from;
      next = emlint_imap_word (line, at, &len);
      from = at;
      if (len > 0 && line->text[from] == '[')
        from++, len--;
      if (len > 0 && line->text[from + len - 1] == ']')
        len--;
      if (emlint_imap_word_is (line, from, len, "CAPABILITY"))
        listing = TRUE;
      else if (listing && emlint_imap_word_is (line, from, len, "ID"))
        s->id_advertised = TRUE;
      if (len == 0 && next == at)
        break;
    }
}

static void
complete (EmlintImapSession *s, const EmlintImapLine *command, gboolean ok)
{
  gsize tag_len, name, len;

  emlint_imap_command (command, &tag_len, &name, &len);
  if (!name_is_any (command, name, len, state_changing))
    return;
  if (s->changing > 0)
    s->changing--;
  if (emlint_imap_word_is (command, name, len, "SELECT")
      || emlint_imap_word_is (command, name, len, "EXAMINE"))
    {
      /* RFC 9051 6.3.2: a failed SELECT leaves no mailbox selected. */
      if (s->state == EMLINT_IMAP_STATE_SELECTED || ok)
        s->state = ok ? EMLINT_IMAP_STATE_SELECTED : EMLINT_IMAP_STATE_AUTHENTICATED;
    }
  else if (!ok)
    return;
  else if (emlint_imap_word_is (command, name, len, "LOGOUT"))
    s->state = EMLINT_IMAP_STATE_LOGOUT;
  else if (s->state != EMLINT_IMAP_STATE_UNKNOWN)
    s->state = EMLINT_IMAP_STATE_AUTHENTICATED; /* LOGIN, AUTHENTICATE, CLOSE, UNSELECT */
}

static void
step_command (EmlintImapSession *s, const EmlintImapLine *line, guint i)
{
  gsize tag_len, name, len;

  char *tag;

  emlint_imap_command (line, &tag_len, &name, &len);
  tag = g_strndup (line->text, tag_len);
  g_hash_table_remove (s->completed, tag);
  g_hash_table_insert (s->pending, tag, GUINT_TO_POINTER (i + 1));
  if (emlint_imap_word_is (line, name, len, "ID"))
    s->id_sent = TRUE;
  if (name_is_any (line, name, len, state_changing))
    s->changing++;
}

static void
step_completion (EmlintImapSession *s, const EmlintImapLine *line, gsize tag_len, gsize status,
                 EmlintImapStep *st)
{
  g_autofree char *tag = g_strndup (line->text, tag_len);
  gpointer command;

  st->completion = TRUE;
  command = g_hash_table_lookup (s->pending, tag);
  if (command == NULL)
    command = g_hash_table_lookup (s->ended, tag); /* LOGOUT: "* BYE", then its completion */
  if (command == NULL && s->hidden > 0)
    {
      /* The tag of a hidden command is unknown: an unknown tag completes it. */
      s->hidden--;
      if (s->changing > 0)
        s->changing--;
      st->completes_hidden = TRUE;
      if (s->state != EMLINT_IMAP_STATE_UNKNOWN && g_ascii_toupper (line->text[status]) == 'O')
        s->state = EMLINT_IMAP_STATE_AUTHENTICATED;
      return;
    }
  st->completes = GPOINTER_TO_UINT (command);
  st->completed_before = command == NULL && g_hash_table_contains (s->completed, tag);
  if (command == NULL)
    return;
  g_hash_table_remove (s->pending, tag);
  g_hash_table_remove (s->ended, tag);
  g_hash_table_add (s->completed, g_steal_pointer (&tag));
  complete (s, emlint_transcript_line (s->t, st->completes - 1),
            line->text[status] == 'O' || line->text[status] == 'o');
  scan_capabilities (s, line);
}

static void
step_untagged (EmlintImapSession *s, const EmlintImapLine *line, gboolean first_server,
               EmlintImapStep *st)
{
  gsize len;

  emlint_imap_word (line, 2, &len);

  st->untagged = TRUE;
  if (first_server && emlint_imap_word_is (line, 2, len, "OK"))
    s->state = EMLINT_IMAP_STATE_NOT_AUTHENTICATED;
  else if (first_server && emlint_imap_word_is (line, 2, len, "PREAUTH"))
    s->state = EMLINT_IMAP_STATE_AUTHENTICATED;
  else if (emlint_imap_word_is (line, 2, len, "BYE"))
    {
      /* The connection ends: what is in flight may go unanswered, and no client waits. */
      GHashTableIter iter;
      gpointer tag, command;

      s->state = EMLINT_IMAP_STATE_LOGOUT;
      g_hash_table_iter_init (&iter, s->pending);
      while (g_hash_table_iter_next (&iter, &tag, &command))
        {
          g_hash_table_insert (s->ended, tag, command);
          g_hash_table_iter_steal (&iter);
        }
      s->changing = 0;
      s->hidden = 0;
    }
  scan_capabilities (s, line);
}

EmlintImapStep
emlint_imap_session_step (EmlintImapSession *s, guint i)
{
  const EmlintImapLine *line = emlint_transcript_line (s->t, i);
  EmlintImapStep st = { 0 };
  gsize tag_len, status, name, len;
  /* The greeting (EMLINT_HAS_START: line 0) sets the first state. */
  gboolean first_server = i == 0 && (s->t->has & EMLINT_HAS_START);

  st.n_pending = g_hash_table_size (s->pending);
  st.n_changing = s->changing;
  st.state = s->state;
  if (line->continued)
    return st;
  if (line->hidden)
    s->hidden++, s->changing++;
  else if (emlint_imap_command (line, &tag_len, &name, &len))
    {
      st.command = TRUE;
      step_command (s, line, i);
    }
  else if (emlint_imap_completion (line, &tag_len, &status))
    step_completion (s, line, tag_len, status, &st);
  else if (line->direction == EMLINT_IMAP_SERVER && line->len >= 2 && line->text[0] == '*'
           && line->text[1] == ' ')
    step_untagged (s, line, first_server, &st);
  return st;
}

void
emlint_imap_session_walk (EmlintImapSession *s, const EmlintTranscript *t, EmlintImapStepFunc each,
                          gpointer user_data)
{
  emlint_imap_session_init (s, t);
  for (guint i = 0; i < t->lines->len; i++)
    {
      EmlintImapStep step = emlint_imap_session_step (s, i);
      if (each != NULL)
        each (user_data, s, emlint_transcript_line (t, i), &step);
    }
}

static gint
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return x < y ? -1 : x > y;
}

GArray *
emlint_imap_session_pending (const EmlintImapSession *s)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, s->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_array_append_val (out, (guint){ GPOINTER_TO_UINT (value) - 1 });
  g_array_sort (out, compare_uint);
  return out;
}

char *
emlint_imap_line_place (const EmlintTranscript *t, const EmlintImapLine *line,
                        const EmlintImapLine *from)
{
  const EmlintMessage *source = g_ptr_array_index (t->sources, line->source);
  guint number = emlint_message_line_of (source, emlint_imap_line_offset (line, 0)) + 1;

  if (line->source == from->source)
    return g_strdup_printf ("line %u", number);
  return g_strdup_printf ("line %u of %s", number, source->path);
}

char *
emlint_imap_command_label (const EmlintImapLine *line)
{
  gsize tag_len, name, len;

  if (!emlint_imap_command (line, &tag_len, &name, &len))
    return g_strndup (line->text, MIN (line->len, 40));
  return g_strndup (line->text, name + len);
}
