/* msgid-encoded-word: RFC 2047 encoded-words standing in a msg-id field. */
#include "rule.h"

#include "fold.h"
#include "msgid.h"
#include "signature.h"

/* The decoded ids separated by spaces. Returns a new string. */
static char *
joined_ids (const EmlintMsgidField *mf)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < mf->n_ids; i++)
    {
      const EmlintMsgid *id = &mf->ids[i];
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append_len (out, mf->value + id->start, id->end - id->start);
    }
  return g_string_free (out, FALSE);
}

/* The field body rewritten from its decoded ids: one line, or for a list folded only between
 * ids. Returns a new string. */
static char *
plain_value (const EmlintMessage *msg, const EmlintMsgidField *mf)
{
  const char *eol = emlint_message_eol_at (msg, mf->field->start);
  GString *out = g_string_new (NULL);
  gsize column = mf->field->value_start - mf->field->start;

  for (guint i = 0; i < mf->n_ids; i++)
    {
      const EmlintMsgid *id = &mf->ids[i];
      gsize len = id->end - id->start;

      if (i > 0 && column + 1 + len > EMLINT_FOLD_WIDTH)
        {
          g_string_append (out, eol);
          column = 0;
        }
      g_string_append_c (out, ' ');
      g_string_append_len (out, mf->value + id->start, len);
      column += 1 + len;
    }
  return g_string_free (out, FALSE);
}

/* The decoded value with its comments, on one line (header-line-length refolds it). Returns a
 * new string. */
static char *
commented_value (const EmlintMsgidField *mf)
{
  const char *v = mf->value;

  while (*v == ' ' || *v == '\t')
    v++;
  return g_strconcat (" ", v, NULL);
}

/* Encoded-words inside the brackets, standing for the id: a generator encoded the id, and
 * often cut it. */
static void
report_bracketed (EmlintContext *ctx, const EmlintMsgidField *mf)
{
  if (mf->bracketed_whole)
    emlint_report_field (ctx, mf->field,
                         "%s holds an RFC 2047 encoded-word inside its angle brackets, standing "
                         "for the id: decoded it reads %s; not fixed: write the id itself",
                         mf->name, mf->bracketed);
  else
    emlint_report_field (ctx, mf->field,
                         "%s holds an RFC 2047 encoded-word inside its angle brackets, standing "
                         "for the id: decoded it reads '%.200s', which is cut short (not a "
                         "whole msg-id), so it cannot be repaired",
                         mf->name, mf->bracketed);
}

static void
check (EmlintContext *ctx)
{
  EmlintMsgidIter it = EMLINT_MSGID_ITER (ctx->msg);
  const EmlintMsgidField *mf;

  while ((mf = emlint_msgid_next (&it)) != NULL)
    {
      EmlintDiagnostic *diag;
      g_autofree char *text = NULL, *ids = NULL;

      if (mf->bracketed != NULL)
        report_bracketed (ctx, mf);
      if (!mf->encoded)
        continue;
      if (mf->error != NULL || !(mf->bare || mf->commented))
        {
          emlint_report_field (ctx, mf->field,
                               "%s holds an RFC 2047 encoded-word, which no msg-id field may; "
                               "not fixed: decoded, %s",
                               mf->name, mf->error ? mf->error : "it holds phrases besides ids");
          continue;
        }
      ids = joined_ids (mf);
      diag = emlint_report_field (ctx, mf->field,
                                  "%s holds an RFC 2047 encoded-word, which no msg-id field may; "
                                  "decoded it reads %s",
                                  mf->name, ids);
      text = mf->bare ? plain_value (ctx->msg, mf) : commented_value (mf);
      emlint_diagnostic_add_edit (diag, mf->field->value_start, mf->field->value_end, text);
      emlint_signature_guard (ctx, diag, mf->field, FALSE);
    }
}

const EmlintRule emlint_rule_msgid_encoded_word = {
  .id = "msgid-encoded-word",
  .severity = EMLINT_ERROR,
  .fixable = EMLINT_FIXABLE_YES,
  .summary = "RFC 2047 encoded-word in a msg-id field",
  .rfc = "RFC 2047 section 5; RFC 5322 section 3.6.4",
  .doc =
    "What it does\n"
    "  Reports an RFC 2047 encoded-word (=?charset?B|Q?text?=, a whole whitespace-separated\n"
    "  token) in Message-ID, In-Reply-To, References, Resent-Message-ID or\n"
    "  Original-Message-ID of the message, or in Content-ID of any part, and an\n"
    "  encoded-word inside the angle brackets that stands for the id\n"
    "  (<=?utf-8?q?=3C2023...?=>: a tool encoded the id, and usually cut it). An\n"
    "  encoded-word inside a comment is allowed (RFC 2047 section 5 (2)): Gnus writes\n"
    "  In-Reply-To: <id@host> (=?utf-8?Q?...?= message of \"...\").\n"
    "\n"
    "Why it is bad\n"
    "  RFC 2047 section 5 allows encoded-words only in text, comments and phrases, never in\n"
    "  a msg-id. Exchange Online and Outlook.com bounce such mail with \"554 5.6.0 Corrupt\n"
    "  message content\", and clients that do not decode the field lose the thread.\n"
    "  Python's email package writes it for any id over 77 octets (Message-ID up to 3.7;\n"
    "  In-Reply-To, References, Resent-Message-ID and Content-ID still in 3.11), so a reply\n"
    "  to an Exchange Online message, whose ids are 78-85 octets, gets an encoded In-Reply-To.\n"
    "\n"
    "Example\n"
    "  In-Reply-To: =?utf-8?q?=3CDB9PR07MB8926A1B2C3D4E5F60718293A4B5C6D7E8F=40DB9P?=\n"
    "   =?utf-8?q?R07MB8926=2Eeurprd07=2Eprod=2Eoutlook=2Ecom=3E?=\n"
    "\n"
    "Fix\n"
    "  Decodes the field. When the result is valid msg-id syntax, writes the ids back as\n"
    "  they are: one id on one line, several folded only between ids. The ids are the same\n"
    "  ids every reader decoded before. Comments are kept: a field with comments is\n"
    "  written back decoded, comments and all, on one line. When the decoded value is\n"
    "  not a msg-id, or holds phrases, the field is left alone and the finding says why;\n"
    "  an id encoded inside its brackets and cut cannot be repaired.\n",
  .check = check,
};
