/* date-syntax: Date and Resent-Date that are not RFC 5322 date-time (3.3); the obsolete forms
 * of 4.3 are warnings. */
#include "rule.h"

#include "lex.h"

#include <string.h>

typedef struct {
  const char *s;
  gsize len, pos;
  char *error;    /* the first reason the value is no date-time */
  char *obsolete; /* the first obsolete form used */
  char *weekday;  /* the day name is not the day of the date */
} Parser;

static void G_GNUC_PRINTF (2, 3) fail (Parser *p, const char *format, ...)
{
  va_list args;

  if (p->error != NULL)
    return;
  va_start (args, format);
  p->error = g_strdup_vprintf (format, args);
  va_end (args);
}

static void G_GNUC_PRINTF (2, 3) obsolete (Parser *p, const char *format, ...)
{
  va_list args;

  if (p->obsolete != NULL)
    return;
  va_start (args, format);
  p->obsolete = g_strdup_vprintf (format, args);
  va_end (args);
}

/* Skips CFWS; returns what it skipped. */
static EmlintCfws
skip_cfws (Parser *p)
{
  EmlintCfws seen = emlint_skip_cfws (p->s, p->len, &p->pos, TRUE);

  if (seen & EMLINT_CFWS_UNCLOSED)
    {
      fail (p, "a comment is not closed");
      p->pos = p->len;
    }
  return seen;
}

/* Skips CFWS where the current syntax allows only FWS (@required: at least some). */
static void
expect_fws (Parser *p, gboolean required, const char *where)
{
  EmlintCfws seen = skip_cfws (p);

  if (seen & EMLINT_CFWS_COMMENT)
    obsolete (p, "a comment %s", where);
  else if (required && !(seen & EMLINT_CFWS_SPACE))
    obsolete (p, "no white space %s", where);
}

/* Skips CFWS where the current syntax allows none. */
static void
expect_none (Parser *p, const char *where)
{
  if (skip_cfws (p) != 0)
    obsolete (p, "white space or a comment %s", where);
}

static gsize
take (Parser *p, gboolean (*is) (gchar))
{
  gsize start = p->pos;

  while (p->pos < p->len && is (p->s[p->pos]))
    p->pos++;
  return p->pos - start;
}

static gboolean
is_digit (gchar c)
{
  return g_ascii_isdigit (c);
}

static gboolean
is_alpha (gchar c)
{
  return g_ascii_isalpha (c);
}

static int
number (const char *s, gsize n)
{
  int v = 0;

  for (gsize i = 0; i < n && v < 100000; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* The index of the n-octet word @s in @names (3 letters each), or -1. */
static int
lookup (const char *const *names, int count, const char *s, gsize n)
{
  for (int i = 0; i < count; i++)
    if (n == 3 && g_ascii_strncasecmp (names[i], s, 3) == 0)
      return i;
  return -1;
}

static const char *const day_names[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
static const char *const month_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const obs_zones[] = { "UT",  "GMT", "EST", "EDT", "CST",
                                         "CDT", "MST", "MDT", "PST", "PDT" };

/* A word quoted for a message: at most 20 octets. */
#define WORD(p, start) (int) MIN ((p)->pos - (start), 20), (p)->s + (start)

/* Two digits; FALSE (and an error) otherwise. */
static gboolean
two_digits (Parser *p, const char *what, int *out)
{
  gsize start = p->pos, n = take (p, is_digit);

  if (n != 2)
    {
      if (n == 0)
        fail (p, "the %s is missing", what);
      else
        fail (p, "the %s '%.*s' is not two digits", what, WORD (p, start));
      return FALSE;
    }
  *out = number (p->s + start, 2);
  return TRUE;
}

/* The fields of a date-time, as parsed. */
typedef struct {
  int wday; /* -1: no day name */
  int day, month, year, hour, minute, second;
} DateTime;

/* [day-name "," FWS]. FALSE (with an error) when the rest cannot be read. */
static gboolean
parse_day_name (Parser *p, DateTime *dt)
{
  gsize start = p->pos, n;

  if ((n = take (p, is_alpha)) == 0)
    return TRUE;
  if ((dt->wday = lookup (day_names, 7, p->s + start, n)) < 0)
    {
      fail (p, "'%.*s' is not a day name (Mon, Tue, ... Sun)", WORD (p, start));
      return FALSE;
    }
  expect_none (p, "between the day name and its comma");
  if (p->pos >= p->len || p->s[p->pos] != ',')
    {
      fail (p, "the day name is not followed by a comma");
      return FALSE;
    }
  p->pos++;
  expect_fws (p, FALSE, "before the day");
  return TRUE;
}

/* day FWS */
static gboolean
parse_day (Parser *p, DateTime *dt)
{
  gsize start = p->pos, n = take (p, is_digit);

  if (n == 4 && p->pos < p->len && p->s[p->pos] == '-')
    {
      fail (p, "it is an ISO 8601 date; RFC 5322 writes \"Mon, 2 Oct 2023 09:20:00 +0000\"");
      return FALSE;
    }
  if (n == 0 || n > 2)
    {
      if (n == 0)
        fail (p, "it does not start with a day of the month (\"2 Oct 2023 ...\")");
      else
        fail (p, "the day '%.*s' is not one or two digits", WORD (p, start));
      return FALSE;
    }
  dt->day = number (p->s + start, n);
  expect_fws (p, TRUE, "between the day and the month");
  return TRUE;
}

/* month FWS */
static gboolean
parse_month (Parser *p, DateTime *dt)
{
  gsize start = p->pos, n = take (p, is_alpha);

  if ((dt->month = lookup (month_names, 12, p->s + start, n)) < 0)
    {
      if (n == 0)
        fail (p, "the month is missing");
      else
        fail (p, "'%.*s' is not a month name (Jan, Feb, ... Dec)", WORD (p, start));
      return FALSE;
    }
  expect_fws (p, TRUE, "between the month and the year");
  return TRUE;
}

/* year FWS; a two- or three-digit year is obsolete (RFC 5322 4.3). */
static gboolean
parse_year (Parser *p, DateTime *dt)
{
  gsize start = p->pos, n = take (p, is_digit);

  if (n < 2)
    {
      if (n == 0)
        fail (p, "the year is missing");
      else
        fail (p, "the year '%.*s' has one digit", WORD (p, start));
      return FALSE;
    }
  dt->year = number (p->s + start, n);
  if (n < 4)
    {
      obsolete (p, "a %" G_GSIZE_FORMAT "-digit year", n);
      dt->year += n == 3 || dt->year >= 50 ? 1900 : 2000; /* RFC 5322 4.3 */
    }
  else if (dt->year < 1900)
    fail (p, "the year %d is before 1900", dt->year);
  expect_fws (p, TRUE, "between the year and the time");
  return TRUE;
}

/* hour ":" minute [":" second] */
static gboolean
parse_time (Parser *p, DateTime *dt)
{
  gsize before;
  EmlintCfws seen;

  if (!two_digits (p, "hour", &dt->hour))
    return FALSE;
  expect_none (p, "inside the time");
  if (p->pos >= p->len || p->s[p->pos] != ':')
    {
      fail (p, "the hour is not followed by ':' and the minutes");
      return FALSE;
    }
  p->pos++;
  expect_none (p, "inside the time");
  if (!two_digits (p, "minute", &dt->minute))
    return FALSE;
  before = p->pos;
  seen = skip_cfws (p);
  if (p->pos >= p->len || p->s[p->pos] != ':')
    {
      p->pos = before;
      return TRUE;
    }
  if (seen)
    obsolete (p, "white space or a comment inside the time");
  p->pos++;
  expect_none (p, "inside the time");
  return two_digits (p, "second", &dt->second);
}

/* The numeric zone after its sign: four digits, at most 59 minutes. */
static gboolean
parse_numeric_zone (Parser *p, EmlintCfws seen, gsize zone)
{
  gsize start, n;
  int hhmm;

  if (!(seen & EMLINT_CFWS_SPACE))
    fail (p, "no white space before the zone");
  if (seen & EMLINT_CFWS_COMMENT)
    obsolete (p, "a comment before the zone");
  p->pos++;
  start = p->pos;
  n = take (p, is_digit);
  if (n != 4)
    {
      fail (p, "the zone '%.*s' is not a sign and four digits (\"+0200\")",
            (int) MIN (p->len - zone, 6), p->s + zone);
      return FALSE;
    }
  hhmm = number (p->s + start, 4);
  if (hhmm % 100 > 59)
    fail (p, "the zone %.*s has %d minutes", 5, p->s + zone, hhmm % 100);
  return TRUE;
}

/* The zone: numeric, or an obsolete name (RFC 5322 4.3). */
static gboolean
parse_zone (Parser *p)
{
  EmlintCfws seen = skip_cfws (p);
  gsize zone = p->pos, n;

  if (p->pos >= p->len)
    {
      fail (p, "it has no time zone (\"+0000\")");
      return FALSE;
    }
  if (p->s[p->pos] == '+' || p->s[p->pos] == '-')
    return parse_numeric_zone (p, seen, zone);
  n = take (p, is_alpha);
  if (n > 0
      && (lookup (obs_zones, G_N_ELEMENTS (obs_zones), p->s + zone, n) >= 0
          || (n == 2 && g_ascii_strncasecmp (p->s + zone, "UT", 2) == 0)
          || (n == 1 && g_ascii_tolower (p->s[zone]) != 'j')))
    {
      obsolete (p, "the zone name '%.*s' (write a numeric zone such as +0000)", WORD (p, zone));
      return TRUE;
    }
  fail (p, "'%.*s' is not a time zone (a sign and four digits, \"+0200\")",
        n > 0 ? (int) MIN (n, 20) : 1, p->s + zone);
  return FALSE;
}

/* Nothing but CFWS after the zone. */
static gboolean
parse_end (Parser *p)
{
  gsize start;

  skip_cfws (p);
  if (p->pos >= p->len)
    return TRUE;
  start = p->pos;
  p->pos = MIN (p->len, start + 20);
  fail (p, "it goes on after the zone: '%.*s'", WORD (p, start));
  return FALSE;
}

/* RFC 5322 3.3: the values exist, and the day name is the date's. */
static void
check_values (Parser *p, const DateTime *dt)
{
  if (dt->hour > 23 || dt->minute > 59 || dt->second > 60)
    fail (p, "the time %02d:%02d:%02d does not exist", dt->hour, dt->minute, dt->second);
  if (dt->day < 1
      || dt->day > g_date_get_days_in_month ((GDateMonth) (dt->month + 1),
                                             (GDateYear) CLAMP (dt->year, 1, 9999)))
    fail (p, "%s has no day %d", month_names[dt->month], dt->day);
  else if (dt->wday >= 0 && dt->year >= 1 && dt->year <= 9999)
    {
      GDate *date = g_date_new_dmy ((GDateDay) dt->day, (GDateMonth) (dt->month + 1),
                                    (GDateYear) dt->year);
      int real = (int) g_date_get_weekday (date) - 1; /* G_DATE_MONDAY is 1 */

      if (real != dt->wday)
        p->weekday = g_strdup_printf ("%d %s %d is a %s, not a %s", dt->day, month_names[dt->month],
                                      dt->year, day_names[real], day_names[dt->wday]);
      g_date_free (date);
    }
}

/* date-time (RFC 5322 3.3, obsolete forms 4.3), each part in turn until one cannot be read. */
static void
parse (Parser *p)
{
  DateTime dt = { .wday = -1 };

  skip_cfws (p);
  if (p->pos >= p->len)
    {
      fail (p, "it is empty");
      return;
    }
  if (parse_day_name (p, &dt) && parse_day (p, &dt) && parse_month (p, &dt) && parse_year (p, &dt)
      && parse_time (p, &dt) && parse_zone (p) && parse_end (p))
    check_values (p, &dt);
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  const EmlintHeader *top = emlint_message_top (msg);

  for (guint i = 0; i < top->fields->len; i++)
    {
      const EmlintField *f = emlint_header_field (top, i);
      gboolean resent = emlint_field_is (msg, f, "Resent-Date");
      g_autofree char *value = NULL;
      Parser p = { NULL };

      if (!resent && !emlint_field_is (msg, f, "Date"))
        continue;
      value = emlint_field_unfold (msg, f, &p.len);
      p.s = value;
      /* A template's placeholder stands for the whole date. */
      for (gsize k = 0; k < p.len; k++)
        if (emlint_placeholder_at (msg, value + k, p.len - k) > 0)
          goto next;
      parse (&p);
      if (p.error != NULL)
        emlint_report_at (ctx, EMLINT_ERROR, f->start, f->value_end,
                          "%s is not an RFC 5322 date-time: %s", resent ? "Resent-Date" : "Date",
                          p.error);
      else if (p.obsolete != NULL)
        emlint_report_at (ctx, EMLINT_WARNING, f->start, f->value_end,
                          "%s uses an obsolete form of RFC 5322 4.3: %s%s%s",
                          resent ? "Resent-Date" : "Date", p.obsolete, p.weekday ? "; and " : "",
                          p.weekday ? p.weekday : "");
      else if (p.weekday != NULL)
        /* A MUST of 3.3, but readers take the date and ignore the day name: a warning. */
        emlint_report_at (ctx, EMLINT_WARNING, f->start, f->value_end,
                          "%s names the wrong day: %s (RFC 5322 3.3)",
                          resent ? "Resent-Date" : "Date", p.weekday);
    next:
      g_free (p.error);
      g_free (p.obsolete);
      g_free (p.weekday);
    }
}

const EmlintRule emlint_rule_date_syntax = {
  .id = "date-syntax",
  .severity = EMLINT_ERROR,
  .summary = "a Date or Resent-Date that is not RFC 5322 date-time",
  .rfc = "RFC 5322 sections 3.3 and 4.3",
  .doc = "What it does\n"
         "  Parses the message's Date and Resent-Date fields as RFC 5322 date-time:\n"
         "  [day-name \",\"] day month year hour \":\" minute [\":\" second] zone, where the day\n"
         "  has one or two digits, the year four or more (1900 or later), the hour, minute\n"
         "  and second two each, and the zone is a sign and four digits; a trailing comment is\n"
         "  fine. It also checks the values: the time exists, the month has that day, the day\n"
         "  name is the day the date falls on, the zone's minutes are below 60. Anything else\n"
         "  is an error, except two kinds of warning. The obsolete forms of RFC 5322 4.3,\n"
         "  which readers must accept but writers must not produce: two- and three-digit\n"
         "  years, zone names (GMT, UT, EST ... and the military letters), and comments or\n"
         "  missing white space inside the date. And a day name that is not the day of the\n"
         "  date, which 3.3 forbids but readers ignore.\n"
         "\n"
         "Why it is bad\n"
         "  Readers that cannot parse the date sort the message as received now, or at 1970,\n"
         "  or drop it from date searches; spam filters score broken and future dates. The\n"
         "  obsolete zone names are ambiguous (the military letters were defined with the\n"
         "  wrong sign, so RFC 5322 says to read them as -0000).\n"
         "\n"
         "Example\n"
         "  Date: 2023-10-02T09:20:00Z                 (ISO 8601: an error)\n"
         "  Date: Monday, 02 Oct 2023 09:20:00 +0200   (a full day name: an error)\n"
         "  Date: Mon, 02 Oct 2023 09:20:00 GMT        (an obsolete zone: a warning)\n"
         "\n"
         "Fix\n"
         "  None automatic: write the date as e.g. \"Mon, 2 Oct 2023 09:20:00 +0200\"\n"
         "  (Python: email.utils.format_datetime; JavaScript: nodemailer does it).\n",
  .check = check,
};
