/* msgid-too-long: msg-ids longer than news servers and stores keep. */
#include "rule.h"

#include "msgid.h"

#define NEWS_LIMIT 250 /* RFC 5536 3.1.3, angle brackets included */
#define LINE_LIMIT 985 /* past this no field name fits beside the id in 998 octets */

static void
check (EmlintContext *ctx)
{
  EmlintMsgidIter it = EMLINT_MSGID_ITER (ctx->msg);
  const EmlintMsgidField *mf;

  while ((mf = emlint_msgid_next (&it)) != NULL)
    {
      gsize longest = 0;

      for (guint k = 0; k < mf->n_ids; k++)
        {
          const EmlintMsgid *id = &mf->ids[k];
          longest = MAX (longest, id->end - id->start);
        }
      if (longest > LINE_LIMIT)
        emlint_report_at (ctx, EMLINT_ERROR, mf->field->start, mf->field->value_end,
                          "%s holds a msg-id of %" G_GSIZE_FORMAT " octets, too long to fit "
                          "a 998-octet line",
                          mf->name, longest);
      else if (longest > NEWS_LIMIT)
        emlint_report_at (ctx, EMLINT_WARNING, mf->field->start, mf->field->value_end,
                          "%s holds a msg-id of %" G_GSIZE_FORMAT " octets; news servers and "
                          "many stores cut msg-ids at %d",
                          mf->name, longest, NEWS_LIMIT);
    }
}

const EmlintRule emlint_rule_msgid_too_long = {
  .id = "msgid-too-long",
  .severity = EMLINT_WARNING,
  .summary = "a msg-id longer than 250 octets (error past 985)",
  .rfc = "RFC 5536 section 3.1.3; RFC 5322 sections 2.1.1, 3.6.4",
  .doc = "What it does\n"
         "  Reports a msg-id field whose longest bracketed msg-id is over 250 octets (a warning),\n"
         "  or over 985 octets, too long for any 998-octet line beside its field name (an\n"
         "  error). An encoded field is judged by its decoded ids.\n"
         "\n"
         "Why it is bad\n"
         "  RFC 5536 limits msg-ids to 250 octets and news servers, archives and many message\n"
         "  stores cut or reject longer ones, which breaks threading and duplicate detection.\n"
         "  A msg-id cannot be folded, so one over 985 octets makes an illegal line.\n"
         "\n"
         "Example\n"
         "  Message-ID: <a 300-octet base64 blob of session state@app.example.com>\n"
         "\n"
         "Fix\n"
         "  None automatic: the generator must make shorter ids (a timestamp, a random part and\n"
         "  a short domain are enough to be unique).\n",
  .check = check,
};
