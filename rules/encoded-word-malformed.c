/* encoded-word-malformed: RFC 2047 encoded-words that readers cannot decode as written. */
#include "rule.h"

#include "lex.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <string.h>

/* The charset readers actually decode a label with (as the WHATWG Encoding Standard maps
 * labels): mailers label GBK text gb2312, Windows code page 932 text Shift_JIS, and so on, and
 * readers decode the superset. Validating against the label alone would report ordinary
 * Chinese, Japanese and Korean mail. The other labels here are registered aliases (IANA,
 * WHATWG) that readers decode but iconv, as GMime names charsets, does not know: GMime turns
 * windows-31j into "CP31j", and iconv has no x-sjis, x-gbk, x-mac-roman or unicode-1-1-utf-7. */
static const char *
decoder_charset (const char *charset)
{
  static const struct {
    const char *label, *decoder;
  } supersets[] = {
    { "gb2312", "GB18030" },        { "gbk", "GB18030" },
    { "x-gbk", "GB18030" },         { "shift_jis", "CP932" },
    { "shift-jis", "CP932" },       { "sjis", "CP932" },
    { "x-sjis", "CP932" },          { "windows-31j", "CP932" },
    { "ms932", "CP932" },           { "ms_kanji", "CP932" },
    { "csshiftjis", "CP932" },      { "euc-jp", "EUC-JP-MS" },
    { "x-euc-jp", "EUC-JP-MS" },    { "euc-kr", "CP949" },
    { "ks_c_5601-1987", "CP949" },  { "big5", "BIG5-HKSCS" },
    { "us-ascii", "ISO-8859-1" },   { "ascii", "ISO-8859-1" },
    { "x-mac-roman", "MACINTOSH" }, { "mac", "MACINTOSH" },
    { "csmacintosh", "MACINTOSH" }, { "unicode-1-1-utf-7", "UTF-7" },
    { "csunicode11utf7", "UTF-7" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (supersets); i++)
    if (g_ascii_strcasecmp (charset, supersets[i].label) == 0)
      return supersets[i].decoder;
  return charset;
}

static int conversion_status_iconv (const char *charset, const guint8 *in, gsize n);

/* 0 when @charset reads [in, in + n) whole; EILSEQ for an invalid sequence, EINVAL for a
 * character cut off at the end. */
static int
conversion_status (const char *charset, const guint8 *in, gsize n)
{
  const char *end;

  /* The common charsets without a converter (which loads a gconv module each time). */
  if (g_ascii_strcasecmp (charset, "utf-8") == 0 || g_ascii_strcasecmp (charset, "utf8") == 0)
    {
      gsize left;

      if (g_utf8_validate_len ((const char *) in, n, &end))
        return 0;
      /* Invalid, or a character cut off at the end: a lead octet and too few of the
       * continuation octets it announces. */
      left = n - (gsize) (end - (const char *) in);
      if ((guchar) *end >= 0xC2 && (guchar) *end <= 0xF4
          && left < (gsize) g_utf8_skip[(guchar) *end])
        {
          for (gsize i = 1; i < left; i++)
            if ((end[i] & 0xC0) != 0x80)
              return EILSEQ;
          return EINVAL;
        }
      return EILSEQ;
    }
  if (g_ascii_strncasecmp (charset, "iso-8859-", 9) == 0
      || g_ascii_strcasecmp (charset, "us-ascii") == 0)
    return 0; /* every octet is a character (us-ascii: read as Latin-1, as readers do) */
  return conversion_status_iconv (charset, in, n);
}

static int
conversion_status_iconv (const char *charset, const guint8 *in, gsize n)
{
  iconv_t cd = g_mime_iconv_open ("UTF-8", decoder_charset (charset));
  /* ISO-2022 text may use the vendor rows (NEC, IBM) that Outlook writes and readers
   * decode; iconv knows only the standard sets, so only a cut-off character counts. */
  gboolean stateful = g_ascii_strncasecmp (charset, "iso-2022-", 9) == 0;
  char buf[512];
  char *inbuf = (char *) in;
  size_t inleft = n;
  int status = 0;

  if (cd == (iconv_t) -1)
    return 0;
  while (inleft > 0)
    {
      char *outbuf = buf;
      size_t outleft = sizeof buf;

      if (iconv (cd, &inbuf, &inleft, &outbuf, &outleft) == (size_t) -1 && errno != E2BIG)
        {
          status = errno == EINVAL ? EINVAL : stateful ? 0 : EILSEQ;
          break;
        }
    }
  g_mime_iconv_close (cd);
  return status;
}

static char *
charset_of (const EmlintMessage *msg, const EmlintEncodedWord *ew)
{
  return g_strndup (msg->data + emlint_encoded_word_charset_start (ew), ew->charset_len);
}

/* RFC 2047 section 5 (3): in a phrase, Q text is only letters, digits and !*+-/=_; (2): in a
 * comment, no ( ) or ". Returns the first octet that breaks that, or 0. */
static char
q_restricted (const EmlintMessage *msg, const EmlintWordHit *hit)
{
  for (gsize p = emlint_encoded_word_text_start (&hit->ew); p < emlint_encoded_word_text_end (&hit->ew);
       p++)
    {
      char c = msg->data[p];

      if (hit->context == EMLINT_WORD_PHRASE && !g_ascii_isalnum (c)
          && strchr ("!*+-/=_", c) == NULL)
        return c;
      if (hit->context == EMLINT_WORD_COMMENT && strchr ("()\"", c) != NULL)
        return c;
    }
  return 0;
}

/* What is wrong with word @k of @words on its own, as a new string, or NULL; *@severity: how
 * badly. */
static char *
word_problem (const EmlintMessage *msg, const GArray *words, guint k, GByteArray *decoded,
              EmlintSeverity *severity)
{
  const EmlintWordHit *hit = &g_array_index (words, EmlintWordHit, k);
  const EmlintEncodedWord *ew = &hit->ew;
  g_autofree char *charset = charset_of (msg, ew);
  const char *why;
  char c;

  if (!hit->separated)
    return g_strdup ("it is not set off from the text around it by white space, so strict "
                     "readers show it as it is (RFC 2047 section 5)");
  if (strchr ("BbQq", ew->encoding) == NULL)
    return g_strdup_printf ("its encoding '%c' is neither B nor Q (RFC 2047 section 4)",
                            ew->encoding);
  if (!emlint_charset_known (decoder_charset (charset)))
    return g_strdup_printf ("its charset '%.30s' is unknown, so no reader can decode it "
                            "(RFC 2047 section 3)",
                            charset);
  if ((why = emlint_encoded_word_decode (msg->data, ew, decoded)) != NULL)
    return g_strdup (why);
  if ((ew->encoding == 'Q' || ew->encoding == 'q') && (c = q_restricted (msg, hit)) != 0)
    {
      /* Outlook writes ' and " unencoded in Q display names, and every reader decodes
       * them: a warning. Other reserved octets (, . : ...) end the phrase for strict parsers. */
      if (hit->context == EMLINT_WORD_PHRASE && (c == '\'' || c == '"'))
        *severity = EMLINT_WARNING;
      return g_strdup_printf ("its Q text holds '%c', which %s may not (RFC 2047 section 5); "
                              "encode it as =%02X",
                              c, emlint_word_context_name (hit->context), (guchar) c);
    }
  return NULL;
}

/* TRUE when only white space lies between words @a and @b, which have the same charset. */
static gboolean
adjacent (const EmlintMessage *msg, const EmlintWordHit *a, const EmlintWordHit *b)
{
  for (gsize p = a->ew.end; p < b->ew.start; p++)
    if (!EMLINT_IS_FWS (msg->data[p]))
      return FALSE;
  return a->ew.charset_len == b->ew.charset_len
         && g_ascii_strncasecmp (msg->data + emlint_encoded_word_charset_start (&a->ew),
                                 msg->data + emlint_encoded_word_charset_start (&b->ew),
                                 a->ew.charset_len)
              == 0;
}

/* The words judged here: encoded-word-placement reports the others. */
static gboolean
judged_here (const EmlintMessage *msg, const EmlintField *field, const EmlintWordHit *hit)
{
  EmlintSeverity severity;

  return !emlint_word_misplaced (msg, field, hit, &severity);
}

/* A problem found, and the octets it is about. */
typedef struct {
  char *text;
  gsize start, end;
  EmlintSeverity severity;
} Problem;

/* The decoded octets of the words [@from, @to) of @words that are judged here, into @out
 * (emptied first); the words were found valid one by one. */
static void
decode_words (const EmlintMessage *msg, const EmlintField *field, const GArray *words,
              guint from, guint to, GByteArray *out)
{
  g_byte_array_set_size (out, 0);
  for (guint i = from; i < to; i++)
    {
      const EmlintWordHit *hit = &g_array_index (words, EmlintWordHit, i);

      if (judged_here (msg, field, hit))
        emlint_encoded_word_decode (msg->data, &hit->ew, out);
    }
}

/* The first problem of the words of @field, into @problem; FALSE when there is none. Words are
 * decoded again where needed rather than kept: a Subject may hold a million of them. */
static gboolean
check_words (const EmlintMessage *msg, const EmlintField *field, const GArray *words, Problem *problem)
{
  g_autoptr (GByteArray) decoded = g_byte_array_new ();

  for (guint k = 0; k < words->len; k++)
    {
      const EmlintWordHit *hit = &g_array_index (words, EmlintWordHit, k);
      g_autofree char *why = NULL;

      if (!judged_here (msg, field, hit))
        continue;
      problem->severity = EMLINT_ERROR;
      g_byte_array_set_size (decoded, 0);
      if ((why = word_problem (msg, words, k, decoded, &problem->severity)) != NULL)
        {
          problem->text = g_strdup_printf ("the encoded-word %.*s%s: %s",
                                           (int) MIN (hit->ew.end - hit->ew.start, 40),
                                           msg->data + hit->ew.start,
                                           hit->ew.end - hit->ew.start > 40 ? "..." : "", why);
          problem->start = hit->ew.start;
          problem->end = hit->ew.end;
          return TRUE;
        }
    }
  /* Each word must hold whole characters (section 5); a run of adjacent words with one
   * charset may only be valid together. */
  for (guint k = 0; k < words->len;)
    {
      const EmlintWordHit *hit = &g_array_index (words, EmlintWordHit, k);
      g_autofree char *charset = charset_of (msg, &hit->ew);
      guint end = k + 1, broken = G_MAXUINT;

      while (end < words->len
             && adjacent (msg, &g_array_index (words, EmlintWordHit, end - 1),
                          &g_array_index (words, EmlintWordHit, end)))
        end++;
      for (guint i = k; i < end && broken == G_MAXUINT; i++)
        {
          decode_words (msg, field, words, i, i + 1, decoded);
          if (judged_here (msg, field, &g_array_index (words, EmlintWordHit, i))
              && conversion_status (charset, decoded->data, decoded->len) != 0)
            broken = i;
        }
      if (broken != G_MAXUINT)
        {
          const EmlintWordHit *b = &g_array_index (words, EmlintWordHit, broken);
          int len = (int) MIN (b->ew.end - b->ew.start, 40);

          problem->start = b->ew.start;
          problem->end = b->ew.end;
          problem->severity = EMLINT_ERROR;
          decode_words (msg, field, words, k, end, decoded);
          if (conversion_status (charset, decoded->data, decoded->len) == 0)
            problem->text = g_strdup_printf ("the encoded-word %.*s%s does not hold whole "
                                             "characters: a %s character is split across two "
                                             "encoded-words, which readers decode one by one "
                                             "(RFC 2047 section 5)",
                                             len, msg->data + b->ew.start,
                                             b->ew.end - b->ew.start > 40 ? "..." : "", charset);
          else
            problem->text = g_strdup_printf ("the encoded-word %.*s%s decodes to octets that "
                                             "are not valid %s",
                                             len, msg->data + b->ew.start,
                                             b->ew.end - b->ew.start > 40 ? "..." : "", charset);
          return TRUE;
        }
      k = end;
    }
  return FALSE;
}

/* An encoded-word that starts but never ends: "=?" charset "?" encoding "?" and then text
 * with a space or a lone '?' in it, or no "?=". FALSE when there is none. */
static gboolean
unterminated_word (const EmlintMessage *msg, const EmlintField *field, const GArray *words,
                   Problem *problem)
{
  const char *d = msg->data;
  gsize end = field->value_end;
  guint k = 0;

  for (gsize p = field->value_start; p + 1 < end; p++)
    {
      EmlintEncodedWord ew;
      const char *eq = memchr (d + p, '=', end - 1 - p);
      gsize q, t;

      if (eq == NULL)
        break;
      p = (gsize) (eq - d);
      q = p + 2;

      while (k < words->len && g_array_index (words, EmlintWordHit, k).ew.end <= p)
        k++;
      if (k < words->len && g_array_index (words, EmlintWordHit, k).ew.start <= p)
        {
          p = g_array_index (words, EmlintWordHit, k).ew.end - 1;
          continue;
        }
      if (d[p] != '=' || d[p + 1] != '?' || emlint_encoded_word_at (d, end, p, &ew))
        continue;
      while (q < end && (g_ascii_isalnum (d[q]) || strchr ("-_!#$%&'+^`{}~*", d[q]) != NULL))
        q++;
      if (q == p + 2 || q + 3 > end || d[q] != '?' || strchr ("BbQq", d[q + 1]) == NULL
          || d[q + 2] != '?')
        continue;
      for (t = q + 3; t < end && (guchar) d[t] > 32 && (guchar) d[t] < 127 && d[t] != '?'; t++)
        ;
      if (t < end && (guchar) d[t] >= 127)
        continue; /* raw 8-bit text: header-8bit's */
      problem->start = p;
      problem->end = t;
      problem->severity = EMLINT_ERROR;
      if (t >= end)
        problem->text = g_strdup_printf ("the encoded-word that starts with %.*s has no "
                                         "closing '?='",
                                         (int) MIN (t - p, 30), d + p);
      else if (d[t] == '?')
        problem->text = g_strdup_printf ("the encoded-word that starts with %.*s holds a '?' in "
                                         "its text, which RFC 2047 section 2 does not allow",
                                         (int) MIN (t - p, 30), d + p);
      else
        problem->text = g_strdup_printf ("the encoded-word that starts with %.*s holds white "
                                         "space in its text (RFC 2047 section 2: encode a "
                                         "space as _ or =20), so readers see several words "
                                         "and decode none",
                                         (int) MIN (t - p, 30), d + p);
      return TRUE;
    }
  return FALSE;
}

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  g_auto (EmlintWordFields) walk = { 0 };
  const EmlintField *field;

  /* The fields with a "=?": an encoded-word, whole or broken. */
  while ((field = emlint_next_word_field (msg, &walk, TRUE)) != NULL)
    {
      const GArray *words = walk.words;
      g_autofree char *name = NULL;
      Problem problem = { NULL, 0, 0, EMLINT_ERROR };
      gboolean found = FALSE;

      if (words->len > 0)
        found = check_words (msg, field, words, &problem);
      if (!found && !emlint_field_in (msg, field, EMLINT_FIELD_MSGID))
        found = unterminated_word (msg, field, words, &problem);
      if (!found)
        continue;
      name = emlint_field_dup_name (msg, field);
      emlint_report_at (ctx, problem.severity, problem.start, problem.end, "%s: %s", name,
                        problem.text);
      g_free (problem.text);
    }
}

const EmlintRule emlint_rule_encoded_word_malformed = {
  .id = "encoded-word-malformed",
  .severity = EMLINT_ERROR,
  .summary = "an RFC 2047 encoded-word that readers cannot decode as written",
  .rfc = "RFC 2047 sections 2, 3, 4 and 5",
  .doc = "What it does\n"
         "  Checks every RFC 2047 encoded-word (=?charset?B|Q?text?=) in the header fields of\n"
         "  the message and its MIME parts and reports, once per field: an encoded-word glued\n"
         "  to the text around it instead of set off by white space; an encoding other than B\n"
         "  or Q; a charset that no converter knows; B text that is not base64 (a foreign\n"
         "  octet, misplaced or missing '=' padding); Q text with an '=' not followed by two\n"
         "  hex digits, or, in a phrase or a comment, an octet section 5 reserves there;\n"
         "  decoded octets that are not valid in the charset; a multibyte character split\n"
         "  across two encoded-words; and a word that starts (=?utf-8?q?) but never ends,\n"
         "  usually because its text holds a space. Words in an address or where section 5\n"
         "  forbids them are encoded-word-placement's; the msg-id fields are\n"
         "  msgid-encoded-word's; raw 8-bit octets are header-8bit's.\n"
         "\n"
         "Why it is bad\n"
         "  Readers decode each encoded-word on its own and show a word they cannot decode as\n"
         "  raw =?...?= text, or a replacement character where a character was split.\n"
         "  Readers differ in which broken forms they repair, so the same header reads\n"
         "  differently for each recipient.\n"
         "\n"
         "Example\n"
         "  Subject: =?utf-8?q?Caf=C3?= =?utf-8?q?=A9_ouvert?=   (an é split in two)\n"
         "  Subject: =?utf-8?q?hello world?=                    (a space in the text)\n"
         "  Subject: =?utf-8?B?Q2Fmw6k?=                        (base64 without padding)\n"
         "\n"
         "Fix\n"
         "  None automatic: a broken word's meaning is a guess. Generate encoded-words with a\n"
         "  library (Python's email.header, nodemailer, GMime) that splits at characters.\n",
  .check = check,
};
