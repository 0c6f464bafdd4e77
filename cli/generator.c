/* generator.c: naming the program that wrote a message.
 *
 * X-Mailer and User-Agent say it when they are there. Where they are not, the Message-ID's
 * shape often does: each generator builds its ids its own way. The table below is the one place
 * that knows those shapes; the first pattern that matches the bracketed id wins. */
#include "generator.h"

#include <string.h>

typedef struct {
  const char *name;
  const char *pattern; /* a GRegex over the whole msg-id, brackets included */
} IdShape;

static const IdShape id_shapes[] = {
  /* email.utils.make_msgid(): int(time*100).pid.random64@host */
  { "Python email (make_msgid)", "^<[0-9]{11,}\\.[0-9]+\\.[0-9]{10,}@" },
  /* Exchange Online: <DB9PR07MB8926...@DB9PR07MB8926.eurprd07.prod.outlook.com> */
  { "Outlook / Exchange Online", "@[A-Za-z0-9]+\\.[a-z]+prd[0-9]+\\.prod\\.outlook\\.com>$" },
  { "Gmail", "@mail\\.gmail\\.com>$" },
  /* b4: <20231002-topic-v1-1-0123456789ab@host> */
  { "b4", "^<[0-9]{8}-[a-z0-9-]+-v[0-9]+-[0-9]+-[0-9a-f]{12}@" },
  /* git send-email: <20231002100000.12345-1-user@host> */
  { "git send-email", "^<[0-9]{14}\\.[0-9]+-[0-9]+-" },
  /* nodemailer: 8-4-4-4-12 random hex groups */
  { "nodemailer", "^<[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@" },
  /* PHPMailer 6: 32 or more alphanumerics from base64 of random bytes, or an md5 */
  { "PHPMailer", "^<[A-Za-z0-9]{32,48}@" },
};

/* Products whose X-Mailer or User-Agent names them somewhere after other words (Thunderbird's
 * starts with "Mozilla/5.0 (...)"). */
static const char *const known_products[] = {
  "Thunderbird", "SeaMonkey",  "Microsoft Outlook",
  "Apple Mail",  "Evolution",  "NeoMutt",
  "Mutt",        "Roundcube",  "K-9 Mail",
  "Claws Mail",  "Gnus",       "git-send-email",
  "b4",          "PHPMailer",  "Nodemailer",
  "Sylpheed",    "Alpine",     "Postbox",
  "eM Client",   "Mailspring", "aerc",
  "notmuch",     NULL,
};

/* "Microsoft Outlook 16.0" -> "Microsoft Outlook"; "PHPMailer 6.8.0 (https://...)" ->
 * "PHPMailer": the words before the first one that starts with a digit or '(' (at most 48
 * octets, cut at a character boundary). */
static char *
product_name (const char *value)
{
  g_auto (GStrv) words = NULL;
  g_autoptr (GString) name = g_string_new (NULL);

  for (guint i = 0; known_products[i] != NULL; i++)
    if (strstr (value, known_products[i]) != NULL)
      return g_strdup (known_products[i]);
  words = g_strsplit (value, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      char *slash = strchr (words[i], '/');

      if (*words[i] == '\0')
        continue;
      if (g_ascii_isdigit (*words[i]) || *words[i] == '(' || *words[i] == '[')
        break;
      if (slash != NULL)
        *slash = '\0'; /* "Foo/1.2" */
      g_string_append_printf (name, "%s%s", name->len ? " " : "", words[i]);
      if (slash != NULL)
        break;
    }
  /* "Mew version", "Microsoft Office Outlook, Build": the version's own label goes too. */
  for (;;)
    {
      const char *space = strrchr (name->str, ' ');
      const char *last = space ? space + 1 : name->str;

      g_strchomp (name->str);
      name->len = strlen (name->str);
      while (name->len > 0 && strchr (",;:-", name->str[name->len - 1]) != NULL)
        g_string_truncate (name, name->len - 1);
      if (space == NULL
          || !(g_ascii_strcasecmp (last, "version") == 0 || g_ascii_strcasecmp (last, "ver") == 0
               || g_ascii_strcasecmp (last, "build") == 0
               || g_ascii_strcasecmp (last, "build,") == 0 || g_ascii_strcasecmp (last, "v") == 0))
        break;
      g_string_truncate (name, (gsize) (space - name->str));
    }
  if (name->len > 48)
    g_string_truncate (name,
                       (gsize) (g_utf8_find_prev_char (name->str, name->str + 48) - name->str));
  return name->len > 0 ? g_string_free (g_steal_pointer (&name), FALSE) : NULL;
}

static const char *
shape_of (const char *id)
{
  static GRegex *regexes[G_N_ELEMENTS (id_shapes)];
  static gsize compiled = 0;

  /* GRegex is immutable once built: one set serves every thread. */
  if (g_once_init_enter (&compiled))
    {
      for (guint i = 0; i < G_N_ELEMENTS (id_shapes); i++)
        regexes[i] = g_regex_new (id_shapes[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&compiled, 1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (id_shapes); i++)
    if (regexes[i] != NULL && g_regex_match (regexes[i], id, 0, NULL))
      return id_shapes[i].name;
  return NULL;
}

char *
emlint_generator_of (const EmlintResult *result)
{
  static const char *const fields[] = { "X-Mailer", "User-Agent" };
  g_autofree char *id = NULL;
  const char *shape;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = emlint_result_field (result, fields[i]);
      char *name = value && g_utf8_validate (value, -1, NULL) ? product_name (value) : NULL;

      if (name != NULL)
        return name;
    }
  id = emlint_result_field (result, "Message-ID");
  shape = id && g_utf8_validate (id, -1, NULL) ? shape_of (id) : NULL;
  return g_strdup (shape ? shape : "unknown");
}
