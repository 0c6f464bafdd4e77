/* escape.c */
#include "escape.h"

#include <stdio.h>
#include <unistd.h>
#include <string.h>

/* The length of the valid UTF-8 character at @s (at most @len octets), or 0 when it is not one. */
static gsize
utf8_char_len (const char *s, gsize len)
{
  const char *end;

  if ((guchar) *s < 0x80)
    return 1;
  if (!g_utf8_validate (s, MIN (len, 4), &end) && end == s)
    return 0;
  return (gsize) g_utf8_skip[(guchar) *s] <= len ? g_utf8_skip[(guchar) *s] : 0;
}

gsize
emlint_escape_display (GString *out, const char *s, gssize slen)
{
  gsize len = slen < 0 ? strlen (s) : (gsize) slen, width = 0;

  for (gsize i = 0; i < len;)
    {
      guchar c = (guchar) s[i];
      gsize n = utf8_char_len (s + i, len - i);

      if (n == 0 || c < 0x20 || c == 0x7f || (n == 2 && c == 0xc2 && (guchar) s[i + 1] < 0xa0))
        {
          /* Tabs keep their meaning for the caret line; everything else is made visible. */
          if (c == '\t')
            g_string_append_c (out, '\t'), width++;
          else
            g_string_append_printf (out, "\\x%02X", c), width += 4;
          i++;
          continue;
        }
      g_string_append_len (out, s + i, (gssize) n);
      width++;
      i += n;
    }
  return width;
}

void
emlint_escape_json (GString *out, const char *s, gssize slen)
{
  gsize len = slen < 0 ? strlen (s) : (gsize) slen;

  g_string_append_c (out, '"');
  for (gsize i = 0; i < len;)
    {
      guchar c = (guchar) s[i];
      gsize n = utf8_char_len (s + i, len - i);

      if (n == 0)
        g_string_append_printf (out, "\\\\x%02X", c);
      else if (c == '"' || c == '\\')
        g_string_append_c (out, '\\'), g_string_append_c (out, (char) c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, s + i, (gssize) n);
      i += n == 0 ? 1 : n;
    }
  g_string_append_c (out, '"');
}

void
emlint_print_error (const char *path, const char *what)
{
  g_autoptr (GString) line = g_string_new ("emlint: ");

  if (path != NULL)
    {
      emlint_escape_display (line, path, -1);
      g_string_append (line, ": ");
    }
  emlint_escape_display (line, what, -1);
  g_string_append_c (line, '\n');
  fputs (line->str, stderr);
}

void
emlint_quote_diff_name (GString *out, const char *name)
{
  static const char specials[] = "\a\b\t\n\v\f\r\"\\", letters[] = "abtnvfr\"\\";
  const char *p;

  for (p = name; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
      break;
  if (*p == '\0')
    {
      g_string_append (out, name); /* the common case: as it is */
      return;
    }
  g_string_append_c (out, '"');
  for (p = name; *p != '\0'; p++)
    {
      const char *special = strchr (specials, *p);

      if (special != NULL)
        g_string_append_printf (out, "\\%c", letters[special - specials]);
      else if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "\\%03o", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

gboolean
emlint_terminal_draws (int fd)
{
  return isatty (fd) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
}
