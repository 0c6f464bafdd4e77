/* msgid-long-domain: a Message-ID on a machine host name. */
#include "rule.h"

#include "msgid.h"
#include "newid.h"

static void
check (EmlintContext *ctx)
{
  EmlintMsgidIter it = EMLINT_MSGID_ITER (ctx->msg);
  const EmlintMsgidField *mf;
  guint max = ctx->config->msgid_domain_max;

  while ((mf = emlint_msgid_next (&it)) != NULL)
    {
      const EmlintMsgid *id;
      gsize right, total;
      EmlintDiagnostic *diag;

      if ((g_strcmp0 (mf->name, "Message-ID") != 0
           && g_strcmp0 (mf->name, "Resent-Message-ID") != 0)
          || mf->n_ids == 0)
        continue;
      id = &mf->ids[0];
      right = id->end - 1 - (id->at + 1);
      total = id->end - id->start;
      if (right <= max)
        continue;
      if (total > 77)
        diag = emlint_report_field (ctx, mf->field,
                                    "%s has a %" G_GSIZE_FORMAT
                                    "-octet id-right (over %u), a machine host name: the "
                                    "%" G_GSIZE_FORMAT
                                    "-octet id cannot fit a 78-octet line, so common generators "
                                    "RFC 2047-encode it when they copy it into replies",
                                    mf->name, right, max, total);
      else
        diag = emlint_report_field (
          ctx, mf->field,
          "%s has a %" G_GSIZE_FORMAT "-octet id-right (over %u), a machine host name (the "
          "id is %" G_GSIZE_FORMAT " octets; ids over 77 cannot fit a 78-octet line, and "
          "common generators RFC 2047-encode them when they copy them into replies)",
          mf->name, right, max, total);
      emlint_new_msgid_fix (ctx, diag, mf->field);
    }
}

const EmlintRule emlint_rule_msgid_long_domain = {
  .id = "msgid-long-domain",
  .severity = EMLINT_WARNING,
  .fixable = EMLINT_FIXABLE_UNSAFE,
  .summary = "a Message-ID whose id-right is a long machine host name",
  .rfc = "RFC 5322 section 3.6.4; RFC 2047 section 5",
  .doc = "What it does\n"
         "  Reports a Message-ID or Resent-Message-ID whose id-right (after the '@') is longer\n"
         "  than msgid-domain-max octets (48 by default; Exchange Online's own are 39-44). Such\n"
         "  an id-right is a machine host name picked up by make_msgid() or gethostname().\n"
         "\n"
         "Why it is bad\n"
         "  A msg-id over 77 octets cannot fit a 78-octet line beside its field name. Python's\n"
         "  email package (and others) then RFC 2047-encode it when they copy it into the\n"
         "  In-Reply-To and References of a reply, and Exchange Online bounces that reply with\n"
         "  \"554 5.6.0 Corrupt message content\". It also leaks internal host names.\n"
         "\n"
         "Example\n"
         "  Message-ID: "
         "<154810422972.4.16142961424846318784@aaf39fce-569e-473a-9453-6862595bd8da.prvt.dyno.rt."
         "heroku.com>\n"
         "  (a Heroku dyno's host name: 60 octets, a 110-octet line)\n"
         "\n"
         "Fix\n"
         "  Unsafe, and only with --msgid-domain DOMAIN: a new Message-ID on that domain (a time\n"
         "  and a random part, within 77 octets). A new id changes the message's identity, so\n"
         "  it is applied only with --unsafe-fixes. The real fix is in the generator: pass\n"
         "  domain= to make_msgid(), or set the host name it uses.\n",
  .check = check,
};
