/* msgid-obsolete: msg-id fields in the obsolete forms of RFC 5322 4.5.4. */
#include "rule.h"

#include "lex.h"
#include "msgid.h"

/* Skips white space and comments from @p; returns the new position. */
static gsize
skip_cfws (const char *s, gsize len, gsize p)
{
  while (p < len)
    {
      if (EMLINT_IS_FWS (s[p]))
        p++;
      else if (s[p] == '(')
        p = MIN (emlint_comment_end (s, len, p), len); /* unclosed: to the end */
      else
        break;
    }
  return p;
}

/* The first phrase word outside the ids of @mf: its offset in mf->value, or G_MAXSIZE. */
static gsize
first_phrase (const EmlintMessage *msg, const EmlintMsgidField *mf, gsize *end)
{
  gsize p = 0, n;
  guint k = 0;

  for (;;)
    {
      gsize stop = k < mf->n_ids ? mf->ids[k].start : mf->value_len;

      p = skip_cfws (mf->value, stop, p);
      /* A template placeholder stands for ids. */
      while (p < stop && (n = emlint_placeholder_at (msg, mf->value + p, stop - p)) > 0)
        p = skip_cfws (mf->value, stop, p + n);
      if (p < stop)
        {
          *end = p;
          while (*end < stop && mf->value[*end] != '(')
            (*end)++;
          while (*end > p && g_ascii_isspace (mf->value[*end - 1]))
            (*end)--;
          return p;
        }
      if (k >= mf->n_ids)
        return G_MAXSIZE;
      p = mf->ids[k].end;
      k++;
    }
}

static void
check (EmlintContext *ctx)
{
  EmlintMsgidIter it = EMLINT_MSGID_ITER (ctx->msg);
  const EmlintMsgidField *mf;

  while ((mf = emlint_msgid_next (&it)) != NULL)
    {
      gsize phrase, phrase_end = 0;

      /* msgid-syntax and msgid-encoded-word own those fields. */
      if (mf->error != NULL || mf->encoded || mf->bare)
        continue;
      if (mf->empty)
        {
          emlint_report_field (ctx, mf->field,
                               "%s is empty, which only the obsolete syntax of RFC 5322 4.5.4 "
                               "allows; leave the field out when there is no id",
                               mf->name);
          continue;
        }
      for (guint k = 0; k < mf->n_ids; k++)
        {
          const EmlintMsgid *id = &mf->ids[k];
          if (id->obsolete)
            {
              emlint_report_field (ctx, mf->field,
                                   "%s holds the msg-id %.*s in an obsolete form (a comment, "
                                   "white space or a quoted-string inside the brackets, RFC "
                                   "5322 4.5.4); write it as <id-left@id-right>",
                                   mf->name, (int) MIN (id->end - id->start, 80),
                                   mf->value + id->start);
              goto next;
            }
        }
      phrase = first_phrase (ctx->msg, mf, &phrase_end);
      if (phrase != G_MAXSIZE)
        emlint_report_field (ctx, mf->field,
                             "%s holds a phrase besides its msg-ids ('%.*s'), the obsolete "
                             "form of RFC 5322 4.5.4; write only the ids, separated by spaces",
                             mf->name, (int) MIN (phrase_end - phrase, 40), mf->value + phrase);
    next:;
    }
}

const EmlintRule emlint_rule_msgid_obsolete = {
  .id = "msgid-obsolete",
  .severity = EMLINT_WARNING,
  .summary = "a msg-id field in an obsolete form",
  .rfc = "RFC 5322 sections 3.6.4 and 4.5.4",
  .doc = "What it does\n"
         "  Reports a msg-id field (Message-ID, In-Reply-To, References, Resent-Message-ID,\n"
         "  Original-Message-ID, Content-ID) that is valid only in the obsolete syntax of RFC\n"
         "  5322 section 4.5.4: a comment, folding white space or a quoted-string inside the\n"
         "  angle brackets of an id, or a phrase (words or quoted text) between the ids of\n"
         "  In-Reply-To or References, or an In-Reply-To or References with no id at all\n"
         "  (git send-email 2.53 writes an empty References). Comments outside the brackets\n"
         "  are current syntax and are not reported. A field that msgid-syntax or\n"
         "  msgid-encoded-word reports is left to them. One finding per field.\n"
         "\n"
         "Why it is bad\n"
         "  RFC 5322 says the obsolete forms MUST NOT be generated. Readers match ids as\n"
         "  exact strings: one that keeps the comment or the spaces inside the brackets, and\n"
         "  one that removes them, see two different ids, so threading and duplicate\n"
         "  detection break. Phrases in References are dropped or misread as ids.\n"
         "\n"
         "Example\n"
         "  In-Reply-To: Your message of \"Mon, 2 Oct 2023 09:00:00 +0200\"\n"
         "   <20231002070000.4711@example.org>\n"
         "  Message-ID: <4711 (build 7) @example.org>\n"
         "\n"
         "Fix\n"
         "  None automatic: removing words from a field changes what it says.\n",
  .check = check,
};
