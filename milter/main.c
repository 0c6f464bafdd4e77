/* emlint-milter: repairs header fields of mail in flight, through the milter protocol of Postfix
 * and Sendmail (libmilter). See emlint-milter(8) and README "emlint-milter".
 *
 * Mail is never lost: whatever goes wrong here (oversize header, an error of the core, a
 * failed edit), the message passes as it came, with one log line. */
#include "edits.h"
#include "emlint-config.h"
#include "policy.h"

#include <glib-unix.h>
#include <libmilter/mfapi.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <syslog.h>
#include <sysexits.h>
#include <unistd.h>

#define MILTER_NAME "emlint-milter"
#define DEFAULT_SOCKET "inet:8893@127.0.0.1"

static gboolean log_to_stderr;

/* The policy in force; sessions take a reference at end of message, SIGHUP swaps it. */
static GMutex policy_lock;
static EmlintMilterPolicy *policy_current;

static void log_line (int priority, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
log_line (int priority, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (log_to_stderr)
    fprintf (stderr, MILTER_NAME ": %s\n", text);
  else
    syslog (priority, "%s", text);
}

static EmlintMilterPolicy *
policy_take (void)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&policy_lock);

  return emlint_milter_policy_ref (policy_current);
}

static void
policy_set (EmlintMilterPolicy *policy)
{
  EmlintMilterPolicy *old;

  g_mutex_lock (&policy_lock);
  old = policy_current;
  policy_current = policy;
  g_mutex_unlock (&policy_lock);
  emlint_milter_policy_unref (old);
}

/* ---- one connection ----------------------------------------------------------------------- */

typedef struct {
  GString *header;   /* the header section so far, CRLF line endings; NULL once oversize */
  GPtrArray *fields; /* of EmlintMilterField*, as the MTA passed them */
  gboolean leadspc;  /* the MTA passes (and takes) values with their leading white space */
  gboolean can_edit; /* the MTA allows header changes */
  gboolean no_reply; /* the MTA expects no reply per header (SMFIP_NR_HDR) */
} Session;

static void
session_reset (Session *session)
{
  if (session->header == NULL)
    session->header = g_string_sized_new (4096);
  g_string_truncate (session->header, 0);
  if (session->fields == NULL)
    session->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) emlint_milter_field_free);
  g_ptr_array_set_size (session->fields, 0);
}

/* Frees what an oversize header would keep: memory per connection stays bounded. */
static void
session_drop (Session *session)
{
  if (session->header != NULL)
    g_string_free (session->header, TRUE);
  g_clear_pointer (&session->fields, g_ptr_array_unref);
  session->header = NULL;
}

static sfsistat
on_negotiate (SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2, unsigned long f3,
              unsigned long *pf0, unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
  /* Only the header matters: skip every other step the MTA lets us skip (the body is never
   * sent to us, let alone held). */
  const unsigned long skip = SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL | SMFIP_NORCPT
                             | SMFIP_NOBODY | SMFIP_NOEOH | SMFIP_NOUNKNOWN | SMFIP_NODATA;
  Session *session = g_new0 (Session, 1);

  *pf0 = f0 & (SMFIF_CHGHDRS | SMFIF_ADDHDRS);
  /* No reply per header either (SMFIP_NR_HDR): one round trip per field less. */
  *pf1 = f1 & (skip | SMFIP_HDR_LEADSPC | SMFIP_NR_HDR);
  *pf2 = *pf3 = 0;
  session->leadspc = (*pf1 & SMFIP_HDR_LEADSPC) != 0;
  session->no_reply = (*pf1 & SMFIP_NR_HDR) != 0;
  session->can_edit = (f0 & (SMFIF_CHGHDRS | SMFIF_ADDHDRS)) == (SMFIF_CHGHDRS | SMFIF_ADDHDRS);
  session_reset (session);
  smfi_setpriv (ctx, session);
  return SMFIS_CONTINUE;
}

/* The value as stored: lines joined by "\n" (Postfix passes that; Sendmail may pass "\r\n"),
 * with the space after the colon that an MTA without SMFIP_HDR_LEADSPC strips. */
static char *
lf_value (const char *value, gboolean leadspc)
{
  GString *out = g_string_new (leadspc ? "" : " ");

  for (const char *p = value; *p != '\0'; p++)
    if (!(*p == '\r' && p[1] == '\n'))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static sfsistat
on_header (SMFICTX *ctx, char *name, char *value)
{
  Session *session = smfi_getpriv (ctx);
  g_autoptr (EmlintMilterPolicy) policy = NULL;
  char *stored;

  if (session == NULL)
    return SMFIS_CONTINUE;
  if (session->header == NULL)
    return session->no_reply ? SMFIS_NOREPLY : SMFIS_CONTINUE;
  stored = lf_value (value, session->leadspc);
  g_string_append (session->header, name);
  g_string_append_c (session->header, ':');
  for (const char *p = stored; *p != '\0'; p++)
    if (*p == '\n')
      g_string_append (session->header, "\r\n");
    else
      g_string_append_c (session->header, *p);
  g_string_append (session->header, "\r\n");
  g_ptr_array_add (session->fields,
                   emlint_milter_field_new (name, strlen (name), stored, strlen (stored)));
  g_free (stored);
  policy = policy_take ();
  if (session->header->len > policy->max_header)
    session_drop (session);
  return session->no_reply ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

/* "a,b,c" or "-". */
static char *
join_rules (GPtrArray *findings)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const EmlintMilterFinding *finding = g_ptr_array_index (findings, i);
      g_string_append_printf (out, "%s%s", i > 0 ? "," : "", finding->rule);
    }
  if (out->len == 0)
    g_string_append_c (out, '-');
  return g_string_free (out, FALSE);
}

static gboolean
apply_edit (SMFICTX *ctx, const EmlintMilterEdit *edit, gboolean leadspc)
{
  /* Without SMFIP_HDR_LEADSPC the MTA adds the space after the colon itself. */
  char *value = edit->value;

  if (value != NULL && !leadspc && value[0] == ' ')
    value++;
  switch (edit->kind)
    {
    case EMLINT_MILTER_CHANGE:
      return smfi_chgheader (ctx, edit->name, (int) edit->index, value) == MI_SUCCESS;
    case EMLINT_MILTER_INSERT:
      return smfi_insheader (ctx, (int) edit->index, edit->name, value) == MI_SUCCESS;
    case EMLINT_MILTER_ADD: return smfi_addheader (ctx, edit->name, value) == MI_SUCCESS;
    }
  return FALSE;
}

/* Lints and acts on one message; a message it cannot judge passes with @why set. */
static sfsistat
judge (SMFICTX *ctx, Session *session, const char *queue, char **why)
{
  g_autoptr (EmlintMilterPolicy) policy = policy_take ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) header = NULL;
  g_autoptr (EmlintMilterVerdict) verdict = NULL;
  g_autofree char *findings = NULL;
  g_autofree char *fixes = NULL;
  const char *mode = policy->dry_run ? " dry-run=yes" : "";

  g_string_append (session->header, "\r\n");
  header = g_bytes_new (session->header->str, session->header->len);
  verdict = emlint_milter_decide (policy, header, session->fields, &error);
  if (verdict == NULL)
    {
      *why = g_strdup (error->message);
      return SMFIS_CONTINUE;
    }
  findings = join_rules (verdict->findings);
  fixes = verdict->fixed != NULL ? g_strjoinv (",", verdict->fixed) : g_strdup ("-");
  if (verdict->reply != NULL && !policy->dry_run)
    {
      log_line (LOG_NOTICE, "queue=%s findings=%s fixes=- action=reject", queue, findings);
      if (smfi_setreply (ctx, "550", "5.6.0", verdict->reply) != MI_SUCCESS)
        log_line (LOG_WARNING, "queue=%s: the MTA refused the reply text; it uses its own", queue);
      return SMFIS_REJECT;
    }
  if (!policy->dry_run && verdict->edits->len > 0 && !session->can_edit)
    {
      *why = g_strdup ("the MTA does not allow header changes (SMFIF_CHGHDRS, SMFIF_ADDHDRS)");
      return SMFIS_CONTINUE;
    }
  for (guint i = 0; !policy->dry_run && i < verdict->edits->len; i++)
    if (!apply_edit (ctx, g_ptr_array_index (verdict->edits, i), session->leadspc))
      {
        /* The MTA refused an edit it allowed at negotiation: nothing to undo with, so say so. */
        *why = g_strdup_printf ("the MTA refused header edit %u of %u", i + 1, verdict->edits->len);
        return SMFIS_CONTINUE;
      }
  log_line (LOG_INFO, "queue=%s findings=%s fixes=%s action=%s%s", queue, findings, fixes,
            verdict->action, mode);
  return SMFIS_CONTINUE;
}

static sfsistat
on_eom (SMFICTX *ctx)
{
  Session *session = smfi_getpriv (ctx);
  const char *queue = smfi_getsymval (ctx, "i");
  g_autofree char *why = NULL;
  sfsistat status;

  if (queue == NULL)
    queue = "-";
  if (session == NULL)
    {
      log_line (LOG_WARNING, "queue=%s findings=- fixes=- action=pass reason=\"no session\"",
                queue);
      return SMFIS_CONTINUE;
    }
  if (session->header == NULL)
    {
      g_autoptr (EmlintMilterPolicy) policy = policy_take ();
      why = g_strdup_printf ("header section over max-header-size (%" G_GSIZE_FORMAT " octets)",
                             policy->max_header);
      status = SMFIS_CONTINUE;
    }
  else
    status = judge (ctx, session, queue, &why);
  if (why != NULL)
    log_line (LOG_WARNING, "queue=%s findings=- fixes=- action=pass reason=\"%s\"", queue, why);
  session_reset (session);
  return status;
}

static sfsistat
on_abort (SMFICTX *ctx)
{
  Session *session = smfi_getpriv (ctx);

  if (session != NULL)
    session_reset (session);
  return SMFIS_CONTINUE;
}

static sfsistat
on_close (SMFICTX *ctx)
{
  Session *session = smfi_getpriv (ctx);

  if (session != NULL)
    {
      session_drop (session);
      g_free (session);
      smfi_setpriv (ctx, NULL);
    }
  return SMFIS_CONTINUE;
}

static struct smfiDesc milter_desc = {
  .xxfi_name = MILTER_NAME,
  .xxfi_version = SMFI_VERSION,
  .xxfi_flags = SMFIF_CHGHDRS | SMFIF_ADDHDRS,
  .xxfi_header = on_header,
  .xxfi_eom = on_eom,
  .xxfi_abort = on_abort,
  .xxfi_close = on_close,
  .xxfi_negotiate = on_negotiate,
};

/* ---- the daemon --------------------------------------------------------------------------- */

static GMainLoop *main_loop;

static gboolean
on_sighup (gpointer data)
{
  const char *path = data;
  g_autoptr (GError) error = NULL;
  EmlintMilterPolicy *policy = emlint_milter_policy_load (path, &error);

  if (policy == NULL)
    log_line (LOG_ERR, "reload failed, keeping the configuration in force: %s", error->message);
  else
    {
      policy_set (policy);
      log_line (LOG_INFO, "configuration reloaded from %s", path != NULL ? path : "(defaults)");
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
quit_main_loop (gpointer data)
{
  g_main_loop_quit (main_loop);
  return G_SOURCE_REMOVE;
}

/* libmilter's own signal thread turns SIGHUP into a stop. So smfi_main() runs on this thread,
 * with SIGHUP, SIGTERM and SIGINT blocked (libmilter's sigwait() takes TERM and INT), while the
 * main thread, the only one with SIGHUP unblocked, receives it and reloads. */
static gpointer
milter_thread (gpointer data)
{
  int *status = data;

  *status = smfi_main ();
  g_idle_add (quit_main_loop, NULL);
  return NULL;
}

/* libmilter writes each reply (every header edit, then the verdict) with its own write and does
 * not expose its socket. Over TCP, Nagle's algorithm then holds the second edit until the MTA's
 * delayed ACK of the first (40 ms a message). Accepted sockets inherit TCP_NODELAY from the
 * listening one on Linux, so it is set there: the listening socket is the one fd that answers
 * SO_ACCEPTCONN. */
static void
set_listener_nodelay (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      int fd = atoi (name), listening = 0, one = 1, domain = 0;
      socklen_t len = sizeof listening;

      if (getsockopt (fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) == 0 && listening
          && getsockopt (fd, SOL_SOCKET, SO_DOMAIN, &domain, &(socklen_t){ sizeof domain }) == 0
          && (domain == AF_INET || domain == AF_INET6))
        setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
}

static int
run (const char *config_path)
{
  sigset_t signals, hup;
  int status = MI_FAILURE;
  GThread *thread;

  sigemptyset (&signals);
  sigaddset (&signals, SIGHUP);
  sigaddset (&signals, SIGTERM);
  sigaddset (&signals, SIGINT);
  pthread_sigmask (SIG_BLOCK, &signals, NULL);
  thread = g_thread_new ("milter", milter_thread, &status);
  main_loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGHUP, on_sighup, (gpointer) config_path);
  sigemptyset (&hup);
  sigaddset (&hup, SIGHUP);
  pthread_sigmask (SIG_UNBLOCK, &hup, NULL);
  g_main_loop_run (main_loop);
  g_thread_join (thread);
  g_main_loop_unref (main_loop);
  return status == MI_SUCCESS ? EXIT_SUCCESS : EX_SOFTWARE;
}

int
main (int argc, char **argv)
{
  g_autofree char *socket = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *pid_file = NULL;
  gboolean foreground = FALSE, check_only = FALSE, version = FALSE;
  GOptionEntry entries[] = {
    { "socket", 'p', 0, G_OPTION_ARG_STRING, &socket,
      "Listen on SOCKET: inet:PORT@HOST or unix:PATH (default " DEFAULT_SOCKET ")", "SOCKET" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "Read the configuration from FILE ([emlint], [rules], [milter])", "FILE" },
    { "foreground", 'f', 0, G_OPTION_ARG_NONE, &foreground,
      "Stay in the foreground and log to stderr", NULL },
    { "pid-file", 'P', 0, G_OPTION_ARG_FILENAME, &pid_file, "Write the process id to FILE",
      "FILE" },
    { "check", 'n', 0, G_OPTION_ARG_NONE, &check_only, "Check the configuration and exit", NULL },
    { "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) options = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_set_summary (options,
                                "Repairs the header fields of mail in flight "
                                "(milter for Postfix and Sendmail). See emlint-milter(8).");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      fprintf (stderr, MILTER_NAME ": %s\n", error->message);
      return EX_USAGE;
    }
  if (version)
    {
      printf (MILTER_NAME " " EMLINT_VERSION "\n");
      return EXIT_SUCCESS;
    }
  policy_current = emlint_milter_policy_load (config_path, &error);
  if (policy_current == NULL)
    {
      fprintf (stderr, MILTER_NAME ": %s\n", error->message);
      return EX_CONFIG;
    }
  if (check_only)
    {
      emlint_milter_policy_unref (policy_current);
      return EXIT_SUCCESS;
    }
  /* Under systemd stderr goes to the journal. */
  log_to_stderr = foreground || g_getenv ("INVOCATION_ID") != NULL
                  || g_getenv ("JOURNAL_STREAM") != NULL;
  if (smfi_setconn (socket != NULL ? socket : DEFAULT_SOCKET) == MI_FAILURE
      || smfi_register (milter_desc) == MI_FAILURE || smfi_opensocket (TRUE) == MI_FAILURE)
    {
      fprintf (stderr, MILTER_NAME ": cannot listen on %s\n",
               socket != NULL ? socket : DEFAULT_SOCKET);
      return EX_UNAVAILABLE;
    }
  if (!foreground && daemon (0, 0) != 0)
    {
      perror (MILTER_NAME ": daemon");
      return EX_OSERR;
    }
  if (!log_to_stderr)
    openlog (MILTER_NAME, LOG_PID, LOG_MAIL);
  if (pid_file != NULL)
    {
      g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());
      if (!g_file_set_contents (pid_file, pid, -1, &error))
        log_line (LOG_WARNING, "%s", error->message);
    }
  set_listener_nodelay ();
  log_line (LOG_INFO, "listening on %s%s", socket != NULL ? socket : DEFAULT_SOCKET,
            policy_current->dry_run ? " (dry run)" : "");
  return run (config_path);
}
