/* encoded-word-placement: RFC 2047 encoded-words where section 5 does not allow them. */
#include "rule.h"

#include "lex.h"

#include <string.h>

static void
check (EmlintContext *ctx)
{
  const EmlintMessage *msg = ctx->msg;
  g_auto (EmlintWordFields) walk = { 0 };
  const EmlintField *field;

  while ((field = emlint_next_word_field (msg, &walk, FALSE)) != NULL)
    {
      const GArray *words = walk.words;

      for (guint k = 0; k < words->len; k++)
        {
          const EmlintWordHit *hit = &g_array_index (words, EmlintWordHit, k);
          int len = (int) MIN (hit->ew.end - hit->ew.start, 40);
          const char *word = msg->data + hit->ew.start;
          g_autofree char *name = emlint_field_dup_name (msg, field);
          gsize start = hit->ew.start, end = hit->ew.end;
          EmlintSeverity severity;

          if (!emlint_word_misplaced (msg, field, hit, &severity))
            continue;
          switch (hit->context)
            {
            case EMLINT_WORD_QUOTED:
              emlint_report_at (ctx, severity, start, end,
                                "%s has the encoded-word %.*s%s inside a quoted-string, where "
                                "it is literal text (RFC 2047 section 5); write it unquoted",
                                name, len, word, len < 40 ? "" : "...");
              break;
            case EMLINT_WORD_ADDR_SPEC:
              emlint_report_at (ctx, severity, start, end,
                                "%s has the encoded-word %.*s%s in an address, which no "
                                "reader decodes (RFC 2047 section 5)",
                                name, len, word, len < 40 ? "" : "...");
              break;
            case EMLINT_WORD_PARAM:
              if (hit->param_len == 0)
                emlint_report_at (ctx, severity, start, end,
                                  "%s has the encoded-word %.*s%s in its %s type (RFC 2047 "
                                  "section 5)",
                                  name, len, word, len < 40 ? "" : "...",
                                  emlint_field_is (msg, field, "Content-Type") ? "media"
                                                                               : "disposition");
              else
                emlint_report_at (ctx, severity, start, end,
                                  "%s has the encoded-word %.*s%s in its %.*s parameter; "
                                  "parameters take RFC 2231 encoding (%.*s*=utf-8''...), "
                                  "never RFC 2047 (section 5)",
                                  name, len, word, len < 40 ? "" : "...",
                                  (int) hit->param_len,
                                  msg->data + hit->param_start,
                                  (int) hit->param_len,
                                  msg->data + hit->param_start);
              break;
            default:
              emlint_report_at (ctx, severity, start, end,
                                "%s has the encoded-word %.*s%s; a %s field may hold one only "
                                "in a comment (RFC 2047 section 5)",
                                name, len, word, len < 40 ? "" : "...", name);
              break;
            }
          break; /* one finding per field */
        }
    }
}

const EmlintRule emlint_rule_encoded_word_placement = {
  .id = "encoded-word-placement",
  .severity = EMLINT_ERROR,
  .summary = "an RFC 2047 encoded-word where section 5 does not allow one",
  .rfc = "RFC 2047 section 5; RFC 2231",
  .doc = "What it does\n"
         "  Reports an RFC 2047 encoded-word that stands where RFC 2047 section 5 does not\n"
         "  allow one. Allowed: unstructured text (Subject, Comments, Content-Description,\n"
         "  X- and other extension fields), a phrase (a display or group name in From, To, Cc\n"
         "  and the other address fields, Keywords, the description in List-Id), and a comment.\n"
         "  Reported: an encoded-word in an address (addr-spec or <...>) or in the URLs of\n"
         "  List-* fields (errors); inside a quoted-string (a warning: many readers decode it\n"
         "  anyway); in the media type or a parameter of Content-Type or Content-Disposition\n"
         "  (errors); anywhere but a comment in Date, Received, Return-Path, MIME-Version,\n"
         "  Content-Transfer-Encoding, Content-Language, List-*, Auto-Submitted (errors).\n"
         "  The msg-id fields are msgid-encoded-word's. One finding per field.\n"
         "  Not reported: a quoted name= or filename= parameter that is one or more\n"
         "  encoded-words. RFC 2047 forbids it, but Gmail, Exchange Online, Apple Mail and\n"
         "  Mozilla write it for non-ASCII attachment names and readers decode it; RFC 2231\n"
         "  (filename*=) is the standard form.\n"
         "\n"
         "Why it is bad\n"
         "  Readers decode encoded-words only where section 5 allows them. Elsewhere the\n"
         "  raw =?...?= text is what the field says: an address that no server can deliver\n"
         "  to, a charset or boundary parameter that matches nothing, a display name shown\n"
         "  as =?UTF-8?B?...?=, a Date no parser reads.\n"
         "\n"
         "Example\n"
         "  From: \"=?UTF-8?B?w4lsb2lzZQ==?=\" <eloise@example.org>   (quoted: a warning)\n"
         "  To: =?UTF-8?Q?j=C3=B6rg?=@example.org                    (addr-spec: an error)\n"
         "  Content-Type: text/plain; charset==?us-ascii?Q?utf-8?=  (a parameter)\n"
         "\n"
         "Fix\n"
         "  None automatic. Write a display name as an unquoted encoded-word\n"
         "  (From: =?UTF-8?B?w4lsb2lzZQ==?= <eloise@example.org>), addresses in ASCII or as\n"
         "  SMTPUTF8 UTF-8, and parameters with RFC 2231 (filename*=utf-8''%C3%A9t%C3%A9.pdf).\n",
  .check = check,
};
