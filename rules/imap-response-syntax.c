/* imap-response-syntax: response-syntax faults that clients must work around (RFC 9051 9). */
#include "rule.h"

static gboolean
is_delimiter (char c)
{
  return c == ' ' || c == '(' || c == ')' || c == '[' || c == ']' || c == '<' || c == '>';
}

/* A quoted string starting at @at (the opening quote): reports a backslash that escapes
 * anything but '"' or '\\', or a string the line does not close. Returns where it ends. */
static gsize
check_quoted (EmlintContext *ctx, const EmlintImapLine *line, gsize at, gsize end)
{
  for (gsize i = at + 1; i < end; i++)
    {
      if (line->text[i] == '"')
        return i + 1;
      if (line->text[i] != '\\')
        continue;
      if (i + 1 < end && (line->text[i + 1] == '"' || line->text[i + 1] == '\\'))
        {
          i++;
          continue;
        }
      emlint_report_imap (ctx, line, i, MIN (i + 2, end),
                          "backslash before '%c' in a quoted string: only \\\" and \\\\ are "
                          "escapes; say it as a literal",
                          i + 1 < end ? line->text[i + 1] : ' ');
      return end;
    }
  emlint_report_imap (ctx, line, at, end, "quoted string not closed before the end of the line");
  return end;
}

/* Quoted strings and negative numbers in the data part [from, to) of a response. */
static void
check_data (EmlintContext *ctx, const EmlintImapLine *line, gsize from, gsize to)
{
  for (gsize i = from; i < to;)
    {
      gsize j = i;

      if (line->text[i] == '"')
        {
          i = check_quoted (ctx, line, i, to);
          continue;
        }
      if (is_delimiter (line->text[i]))
        {
          i++;
          continue;
        }
      while (j < to && !is_delimiter (line->text[j]) && line->text[j] != '"')
        j++;
      if (line->text[i] == '-' && j - i > 1)
        {
          gsize k = i + 1;
          while (k < j && g_ascii_isdigit (line->text[k]))
            k++;
          if (k == j)
            emlint_report_imap (ctx, line, i, j,
                                "negative number %.*s: numbers in IMAP are unsigned (number, "
                                "nz-number)",
                                (int) (j - i), line->text + i);
        }
      i = j;
    }
}

static gboolean
is_status (const EmlintImapLine *line, gsize at, gsize len)
{
  static const char *const words[] = { "OK", "NO", "BAD", "BYE", "PREAUTH" };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (emlint_imap_word_is (line, at, len, words[i]))
      return TRUE;
  return FALSE;
}

/* A status response: the response code, and whether text follows it. */
static void
check_status (EmlintContext *ctx, const EmlintImapLine *line, gsize text)
{
  const char *close;

  if (text >= line->len || line->text[text] != '[')
    return;
  close = memchr (line->text + text, ']', line->len - text);
  if (close == NULL)
    return;
  check_data (ctx, line, text + 1, (gsize) (close - line->text));
  if ((gsize) (close - line->text) + 1 == line->len)
    emlint_report_imap (ctx, line, (gsize) (close - line->text), line->len,
                        "response code without the space and text after it (resp-text = "
                        "\"[\" resp-text-code \"]\" SP [text]; RFC 3501 requires the text)");
}

static void
check_line (EmlintContext *ctx, const EmlintImapLine *line)
{
  gsize tag_len, status, len, next;

  if (emlint_imap_completion (line, &tag_len, &status))
    {
      emlint_imap_word (line, status, &len);
      check_status (ctx, line, status + len + 1);
      return;
    }
  if (line->len < 2 || line->text[0] != '*' || line->text[1] != ' ')
    return;
  next = emlint_imap_word (line, 2, &len);
  if (is_status (line, 2, len))
    {
      check_status (ctx, line, next);
      return;
    }
  if (line->text[line->len - 1] == ' ')
    emlint_report_imap (ctx, line, line->len - 1, line->len,
                        "trailing space at the end of '* %.*s': the formal syntax has none (a "
                        "SEARCH without results is \"* SEARCH\")",
                        (int) MIN (len, 20), line->text + 2);
  check_data (ctx, line, 2, line->len);
}

static void
check (EmlintContext *ctx)
{
  const EmlintTranscript *t = ctx->transcript;

  for (guint i = 0; i < t->lines->len; i++)
    {
      const EmlintImapLine *line = emlint_transcript_line (t, i);
      if (line->direction == EMLINT_IMAP_SERVER && !line->continued)
        check_line (ctx, line);
    }
}

const EmlintRule emlint_rule_imap_response_syntax = {
  .id = "imap-response-syntax",
  .severity = EMLINT_WARNING,
  .summary = "server response off RFC 9051's formal syntax in a way clients work around",
  .rfc = "RFC 9051 section 9",
  .doc =
    "What it does\n"
    "  Checks server responses against RFC 9051's formal syntax for the faults clients meet:\n"
    "  - a trailing space after a data response (\"* SEARCH \", \"* STATUS INBOX (...) \");\n"
    "  - a response code with nothing after its ']' (\"* OK [UIDNEXT 5]\"): resp-text is\n"
    "    \"[\" resp-text-code \"]\" SP [text], and RFC 3501 requires the text;\n"
    "  - a negative number (\"* -1 EXISTS\", \"(MESSAGES -1)\", \"[UIDNEXT -5]\");\n"
    "  - bad quoting: a backslash before anything but '\"' or '\\\\', or a quoted string not\n"
    "    closed on its line.\n"
    "  Human-readable text after OK, NO, BAD, BYE and PREAUTH is free and is not checked, nor\n"
    "  are the lines that continue a response after a literal.\n"
    "\n"
    "Why it is bad\n"
    "  Strict parsers (MailKit, imap-proto, Go's go-imap, Ruby's Net::IMAP) reject such lines\n"
    "  or carry workarounds for them; a lenient one may misread the value.\n"
    "\n"
    "Example\n"
    "  S: * SEARCH \n"
    "  S: * STATUS INBOX (MESSAGES -1)\n"
    "  S: * LIST () \"/\" \"a\\b\"\n"
    "\n"
    "Fix\n"
    "  The server: end data responses without a space, follow a response code with SP and\n"
    "  text, send numbers unsigned, and send a string that needs more than \\\" and \\\\ as a\n"
    "  literal.\n",
  .check = check,
  .model = EMLINT_MODEL_TRANSCRIPT,
  .needs = EMLINT_HAS_DIRECTION,
};
