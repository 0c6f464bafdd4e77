/* test-unit.c: the engine's parts, one at a time. */
#include "testutil.h"

#include "config.h"
#include "diff.h"
#include "engine.h"
#include "escape.h"
#include "fix.h"
#include "finding.h"
#include "fold.h"
#include "input.h"
#include "lex.h"
#include "message.h"
#include "msgid.h"
#include "report.h"
#include "settings.h"
#include "rule.h"
#include "transit.h"

#include <gmime/gmime.h>
#include <string.h>
#include <sys/mman.h>

static EmlintMessage *
message (const char *text)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));
  return emlint_message_new (bytes, "t.eml", 0, FALSE, 1);
}

/* ---- the line index ---------------------------------------------------------------------- */

START_TEST (test_lines_lf_crlf_bare_cr)
{
  g_autoptr (EmlintMessage) msg = message ("a\nbb\r\nc\rd\ne");

  ck_assert_uint_eq (emlint_message_n_lines (msg), 4);
  ck_assert_uint_eq (emlint_message_line_end (msg, 0), 1);
  ck_assert_uint_eq (emlint_message_line_start (msg, 1), 2);
  ck_assert_uint_eq (emlint_message_line_end (msg, 1), 4); /* CRLF is not content */
  ck_assert_uint_eq (emlint_message_line_end (msg, 2) - emlint_message_line_start (msg, 2), 3);
  ck_assert_uint_eq (emlint_message_line_end (msg, 3), strlen ("a\nbb\r\nc\rd\ne"));
  ck_assert_uint_eq (emlint_message_line_of (msg, 7), 2);
  ck_assert_str_eq (emlint_message_eol_at (msg, 2), "\r\n");
  ck_assert_str_eq (emlint_message_eol_at (msg, 0), "\n");
}
END_TEST

START_TEST (test_lines_empty)
{
  g_autoptr (EmlintMessage) msg = message ("");

  ck_assert_uint_eq (emlint_message_n_lines (msg), 1);
  ck_assert_uint_eq (emlint_message_top (msg)->fields->len, 0);
}
END_TEST

/* ---- the header scanner ------------------------------------------------------------------ */

START_TEST (test_header_fields)
{
  g_autoptr (EmlintMessage) msg = message ("From: a@example.com\r\nSubject: one\r\n two\r\n"
                                           "junk line\r\nX-Obs : v\r\n\r\nbody: not a field\r\n");
  const EmlintHeader *top = emlint_message_top (msg);
  const EmlintField *subject, *obs;

  ck_assert_uint_eq (top->fields->len, 3);
  subject = emlint_header_field (top, 1);
  ck_assert (emlint_field_is (msg, subject, "subject"));
  ck_assert_uint_eq (subject->line, 1);
  ck_assert_uint_eq (subject->n_lines, 2);
  ck_assert_uint_eq (subject->value_end - subject->value_start, strlen (" one\r\n two"));
  obs = emlint_header_field (top, 2);
  ck_assert (emlint_field_is (msg, obs, "X-Obs")); /* whitespace before the colon: obsolete */
  ck_assert_uint_eq (obs->line, 4);
  ck_assert_uint_eq (top->body_start, strlen ("From: a@example.com\r\nSubject: one\r\n two\r\n"
                                              "junk line\r\nX-Obs : v\r\n\r\n"));
}
END_TEST

START_TEST (test_header_bom_and_no_body)
{
  g_autoptr (EmlintMessage) msg = message ("\xEF\xBB\xBF"
                                           "From: a\nDate: b");
  const EmlintHeader *top = emlint_message_top (msg);

  ck_assert_uint_eq (top->fields->len, 2);
  ck_assert_uint_eq (emlint_header_field (top, 0)->start, 3);
  ck_assert_uint_eq (emlint_header_field (top, 1)->value_end, msg->len);
  ck_assert_uint_eq (top->body_start, msg->len);
}
END_TEST

START_TEST (test_header_past_4_gib)
{
  /* Field records keep 32-bit offsets: a header that would reach past the first 4 GiB of its
   * message ends there; lines keep exact 64-bit offsets. The message is an anonymous mapping of
   * zero pages (no memory until written), with a 4 GiB field in the header. */
  const gsize len = ((gsize) 1 << 32) + 64;
  char *data;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (EmlintMessage) msg = NULL;
  const EmlintHeader *top;

  if (strstr (g_getenv ("EMLINT_WRAPPER") ? g_getenv ("EMLINT_WRAPPER") : "", "valgrind"))
    return; /* under valgrind, 4 GiB of shadow memory */
  data = mmap (NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
               0);
  if (data == MAP_FAILED)
    return;                              /* no 4 GiB of address space here: nothing to test */
  memcpy (data, "From: a\nX-Big: ", 15); /* the value: 4 GiB of NULs */
  memcpy (data + len - 13, "\nTo: b\n\nbody\n", 13);
  bytes = g_bytes_new_static (data, len);
  msg = emlint_message_new (bytes, "t.eml", 0, FALSE, 1);
  top = emlint_message_top (msg);
  ck_assert_uint_eq (top->fields->len, 1);
  ck_assert_uint_eq (emlint_header_field (top, 0)->end, 8);
  ck_assert_uint_eq (top->end, 8);
  ck_assert_uint_eq (emlint_message_n_lines (msg), 5);
  ck_assert_uint_eq (emlint_message_line_start (msg, 2), len - 12);
  ck_assert_uint_eq (emlint_message_line_of (msg, len - 1), 4);
  g_clear_pointer (&msg, emlint_message_free);
  munmap (data, len);
}
END_TEST

START_TEST (test_mime_part_headers)
{
  g_autoptr (EmlintMessage) msg = message (
    "From: a\nContent-Type: multipart/mixed; boundary=XX\n\npre\n--XX\nContent-Type: text/plain\n"
    "Content-ID: <a@b>\n\nhello\n--XX\n\nno header\n--XX\nContent-Type: multipart/alternative;"
    " boundary=YY\n\n--YY\nContent-Type: text/html\n\n<p>\n--YY--\n--XX--\n");

  /* top, the text part, the part without a header (no fields), the nested multipart and its
   * html part */
  ck_assert_uint_eq (msg->headers->len, 5);
  ck_assert_uint_eq (((EmlintHeader *) g_ptr_array_index (msg->headers, 2))->fields->len, 0);
  ck_assert (emlint_field_is (msg, emlint_header_field (g_ptr_array_index (msg->headers, 1), 1),
                              "Content-ID"));
  ck_assert_uint_eq (emlint_header_field (g_ptr_array_index (msg->headers, 4), 0)->line, 16);
}
END_TEST

START_TEST (test_mime_boundaries)
{
  /* A boundary that is a prefix of another, padding after a delimiter, a delimiter as the last
   * line, and a part that ends the file without a blank line. */
  g_autoptr (EmlintMessage) msg = message (
    "Content-Type: multipart/mixed;\n boundary=\"b\"\n\n--b\nContent-Type: multipart/related;"
    " boundary=bb\n\n--bb \t\nX-A: 1\n\n--bb--\n--b\nX-B: 2\n--b");

  ck_assert_uint_eq (msg->headers->len, 5);
  ck_assert (
    emlint_field_is (msg, emlint_header_field (g_ptr_array_index (msg->headers, 2), 0), "X-A"));
  ck_assert (
    emlint_field_is (msg, emlint_header_field (g_ptr_array_index (msg->headers, 3), 0), "X-B"));
  ck_assert_uint_eq (((EmlintHeader *) g_ptr_array_index (msg->headers, 4))->fields->len, 0);
}
END_TEST

/* The boundary that message.c reads from a Content-Type, plain (its own parse) or not (GMime's),
 * is the one GMime reads: a part is found at a delimiter line of GMime's boundary. */
START_TEST (test_mime_boundary_as_gmime_reads_it)
{
  static const char *const types[] = {
    "multipart/mixed; boundary=abc",
    "Multipart/Mixed;boundary=\"=_a.b/c:d?\"",
    "multipart/mixed;\r\n\tcharset=utf-8;\r\n boundary=\"----=_Part_1_2.3\"; x=y;",
    "multipart/mixed; BOUNDARY=\"a b\"",
    "multipart/mixed; boundary=\"a\\\"b\"",
    "multipart/mixed; boundary=one; boundary=two",
    "multipart/mixed; boundary = spaced",
    "multipart/mixed (a comment); boundary=c",
    "multipart/mixed; boundary*0=ab; boundary*1=cd",
    "multipart/mixed; boundary*=utf-8''ab%20cd",
    "multipart/mixed; boundary=\"=?utf-8?q?ab?=\"",
    "multipart/mixed; x=\"a;b\"; boundary=q",
    "multipart/mixed; boundary=\"caf\xC3\xA9\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GMimeContentType *type = g_mime_content_type_parse (NULL, types[i]);
      const char *boundary = g_mime_content_type_get_parameter (type, "boundary");
      g_autofree char *text = NULL;
      g_autoptr (EmlintMessage) msg = NULL;

      ck_assert_msg (boundary != NULL && *boundary != '\0', "%s", types[i]);
      text = g_strdup_printf ("Content-Type: %s\n\n--%s\nX-Part: 1\n\nbody\n--%s--\n", types[i],
                              boundary, boundary);
      g_object_unref (type);
      msg = message (text);
      ck_assert_msg (msg->headers->len == 2, "%s: %u headers", types[i], msg->headers->len);
    }
}
END_TEST

/* How many msg-id fields emlint_msgid_next() walks in @msg. */
static guint
count_msgid_fields (const EmlintMessage *msg)
{
  EmlintMsgidIter it = EMLINT_MSGID_ITER (msg);
  guint n = 0;

  while (emlint_msgid_next (&it) != NULL)
    n++;
  return n;
}

START_TEST (test_mime_part_header_stops_at_delimiter)
{
  /* A part header without a blank line ends at the next delimiter: no field belongs to two
   * headers, and a delimiter is never a field (even when the boundary holds a colon). */
  g_autoptr (EmlintMessage) msg = message (
    "Content-Type: multipart/mixed; boundary=\":b\"\n\n--:b\nContent-Type: text/plain\n"
    "--:b\nContent-ID: <a@b>\n\nbody\n--:b--\n");

  ck_assert_uint_eq (msg->headers->len, 3);
  ck_assert_uint_eq (((EmlintHeader *) g_ptr_array_index (msg->headers, 1))->fields->len, 1);
  ck_assert_uint_eq (((EmlintHeader *) g_ptr_array_index (msg->headers, 2))->fields->len, 1);
  ck_assert_uint_eq (count_msgid_fields (msg), 1);
}
END_TEST

START_TEST (test_mime_deep_nesting_is_linear)
{
  /* 10,000 nested multiparts: scanned in one pass, nesting capped. */
  GString *text = g_string_new (NULL);
  g_autoptr (EmlintMessage) msg = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "Content-Type: multipart/mixed; boundary=\"b%u\"\n\n--b%u\n", i,
                            i);
  msg = message (text->str);
  g_string_free (text, TRUE);
  ck_assert_uint_le (msg->headers->len, 70);
  ck_assert_uint_ge (msg->headers->len, 60);
}
END_TEST

/* ---- msg-id syntax ----------------------------------------------------------------------- */

typedef struct {
  const char *value;
  EmlintMsgidFlags flags;
  guint ids; /* ids expected when valid */
  gboolean valid;
  gboolean bare;
} MsgidCase;

static const MsgidCase msgid_cases[] = {
  { "<a@b>", EMLINT_MSGID_ONE, 1, TRUE, TRUE },
  { " <a.b.c@d.e> ", EMLINT_MSGID_ONE, 1, TRUE, TRUE },
  { "<CAB+x=y_z@mail.gmail.com>", EMLINT_MSGID_ONE, 1, TRUE, TRUE },
  { "<a@[127.0.0.1]>", EMLINT_MSGID_ONE, 1, TRUE, TRUE },
  { "(comment) <a@b> (another)", EMLINT_MSGID_ONE, 1, TRUE, FALSE },
  { "<\"quoted id\"@b>", EMLINT_MSGID_ONE, 1, TRUE, FALSE }, /* obs-id-left */
  { "< a @ b >", EMLINT_MSGID_ONE, 1, TRUE, FALSE },         /* CFWS inside: obsolete */
  { "<a@b> <c@d>", EMLINT_MSGID_LIST, 2, TRUE, TRUE },
  { "Your message of Monday <a@b>", EMLINT_MSGID_LIST, 1, TRUE, FALSE }, /* obs-phrase */
  { "<a@b> <c@d>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },                  /* two in Message-ID */
  { "a@b", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<ab>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<a..b@c>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<.a@c>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<a@b", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<@b>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<a@>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<a@b.>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "   ", EMLINT_MSGID_LIST, 0, TRUE, FALSE }, /* obs-references: an empty list */
  { "", EMLINT_MSGID_LIST, 0, TRUE, FALSE },
  { "(none)", EMLINT_MSGID_LIST, 0, TRUE, FALSE },
  { "Your message", EMLINT_MSGID_LIST, 0, FALSE, FALSE }, /* a phrase and no id */
  { "<a@b> (unterminated", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<a\xC3\xA9@b.\xD1\x80\xD1\x84>", EMLINT_MSGID_ONE, 1, TRUE, TRUE }, /* UTF-8: RFC 6532 */
  { "<a\xFF@b>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<ii_18c3a2b4f5@>", EMLINT_MSGID_AT_OPTIONAL, 0, FALSE, FALSE },
  { "<ii_18c3a2b4f5>", EMLINT_MSGID_AT_OPTIONAL, 1, TRUE, TRUE },
  { "<ii_18c3a2b4f5>", EMLINT_MSGID_ONE, 0, FALSE, FALSE },
  { "<a@b\r>", EMLINT_MSGID_ONE, 0, FALSE, FALSE }, /* a bare CR is no whitespace */
};

START_TEST (test_msgid_parse)
{
  const MsgidCase *c = &msgid_cases[_i];
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (EmlintMsgid));
  gboolean bare;
  g_autofree char *error = emlint_msgid_parse (c->value, strlen (c->value), c->flags, ids, &bare);

  ck_assert_msg ((error == NULL) == c->valid, "'%s': %s", c->value, error ? error : "valid");
  if (c->valid)
    {
      ck_assert_uint_eq (ids->len, c->ids);
      ck_assert_msg (bare == c->bare, "'%s': bare %d", c->value, bare);
    }
}
END_TEST

typedef struct {
  const char *token;
  gboolean encoded;
} EncodedCase;

static const EncodedCase encoded_cases[] = {
  { "=?utf-8?q?=3Ca=40b=3E?=", TRUE },
  { "=?UTF-8?B?PGFAYj4=?=", TRUE },
  { "=?us-ascii*en?Q?x?=", TRUE },
  { "=?utf-8?x?abc?=", FALSE },
  { "=?utf-8?q?a b?=", FALSE },
  { "=?utf-8?q?abc", FALSE },
  { "<=?utf-8?q?x?=@b>", FALSE },
  { "=??q?abc?=", FALSE },
  { "=?utf-8?q?a?b?=", FALSE },
  /* the shape of emlint_encoded_word_at(): a charset before any "*language", an encoding
   * closed by its own '?' */
  { "=?*en?Q?x?=", FALSE },
  { "=?ab?Q?=", FALSE },
  { "=?utf-8?q?\?=", TRUE },
};

START_TEST (test_encoded_word)
{
  const EncodedCase *c = &encoded_cases[_i];
  ck_assert_msg (emlint_is_encoded_word (c->token, strlen (c->token)) == c->encoded, "%s",
                 c->token);
}
END_TEST

/* The offsets of a word (16-bit from its start), and the longest charset and language that
 * fit them: 65,530 octets between "=?" and the "?" before the encoding. */
START_TEST (test_encoded_word_offsets)
{
  EmlintEncodedWord ew;
  const char *s = "x =?utf-8*en?q?abc?= y";
  g_autoptr (GString) word = g_string_new ("=?");

  ck_assert (emlint_encoded_word_at (s, strlen (s), 2, &ew));
  ck_assert_uint_eq (ew.start, 2);
  ck_assert_uint_eq (ew.end, 20);
  ck_assert_uint_eq (emlint_encoded_word_charset_start (&ew), 4);
  ck_assert_uint_eq (emlint_encoded_word_charset_end (&ew), 9);
  ck_assert_uint_eq (emlint_encoded_word_text_start (&ew), 15);
  ck_assert_uint_eq (emlint_encoded_word_text_end (&ew), 18);
  ck_assert_int_eq (ew.encoding, 'q');
  g_string_append_len (word, "utf-8*", 6);
  while (word->len < 65532)
    g_string_append_c (word, 'a');
  g_string_append (word, "?q?abc?=");
  ck_assert (emlint_encoded_word_at (word->str, word->len, 0, &ew));
  ck_assert_uint_eq (ew.end, word->len);
  ck_assert_uint_eq (emlint_encoded_word_text_start (&ew), 65535);
  g_string_insert_c (word, 10, 'a');
  ck_assert (!emlint_encoded_word_at (word->str, word->len, 0, &ew));
}
END_TEST

START_TEST (test_msgid_fields_decoded)
{
  g_autoptr (EmlintMessage) msg = message (
    "From: a\nReferences: <x@y> =?utf-8?q?=3Clong=40exa?=\n =?utf-8?q?mple=2Ecom=3E?= <z@w>\n"
    "Content-ID: <c@d>\n\n");
  EmlintMsgidIter it = EMLINT_MSGID_ITER (msg);
  const EmlintMsgidField *refs = emlint_msgid_next (&it), *cid = emlint_msgid_next (&it);

  ck_assert_uint_eq (count_msgid_fields (msg), 2);
  ck_assert (refs->encoded);
  ck_assert_str_eq (refs->value, " <x@y> <long@example.com> <z@w>");
  ck_assert_uint_eq (refs->n_ids, 3);
  ck_assert (refs->error == NULL);
  ck_assert (!cid->encoded);
  ck_assert (emlint_msgid_next (&it) == NULL);
}
END_TEST

/* The rules that fire on @text with the default configuration, as "rule@line" joined by spaces:
 * a new string. */
static char *
findings (const char *text, const EmlintConfig *with)
{
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  g_autoptr (EmlintMessage) msg = message (text);
  g_autoptr (GPtrArray) diags = emlint_lint_message (with ? with : config, msg);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < diags->len; i++)
    {
      const EmlintDiagnostic *d = g_ptr_array_index (diags, i);
      g_string_append_printf (out, "%s%s@%u", out->len ? " " : "", d->rule->id, d->line);
    }
  return g_string_free (out, FALSE);
}

#define HEAD                                                                                       \
  "From: Ada <ada@example.com>\nDate: Mon, 02 Oct 2023 09:20:00 +0000\n"                           \
  "Message-ID: <1@example.com>\n"

/* Recall: encoded msg-ids as real generators write them, held out of corpus/ (other ids, other
 * fields, other charsets). Each one is a true defect and must stay found, and only by
 * msgid-encoded-word; the Gnus comment form is no defect. */
static const struct {
  const char *field;
  gboolean defect;
} encoded_ids[] = {
  /* Python 3.7 make_msgid() on a Heroku dyno, Message-ID folded into two words */
  { "Message-ID: =?utf-8?q?=3C154810422972=2E4=2E16142961424846318784=40aaf39fce-?=\n"
    " =?utf-8?q?569e-473a-9453-6862595bd8da=2Eprvt=2Edyno=2Ert=2Eheroku=2Ecom=3E?=\n",
    TRUE },
  /* Python 3.11, a reply to Exchange Online: In-Reply-To and References */
  { "In-Reply-To: =?utf-8?q?=3CAM0PR07MB4531C6F0E1D2B3A4958675A4B3C2D1E0F9=40AM0PR?=\n"
    " =?utf-8?q?07MB4531=2Eeurprd07=2Eprod=2Eoutlook=2Ecom=3E?=\n",
    TRUE },
  { "References: <a@example.org>\n "
    "=?utf-8?q?=3CPAXPR10MB5678ABCDEF0123456789ABCDEF01234567=40PAXP?=\n"
    " =?utf-8?q?R10MB5678=2EEURPRD10=2EPROD=2EOUTLOOK=2ECOM=3E?=\n",
    TRUE },
  /* GMime: Original-Message-ID in us-ascii Q words; B encoding; Content-ID */
  { "Original-Message-ID: =?us-ascii?Q?=3C20231002091542=2E4711=2Elong-host-name-of-a?=\n"
    " =?us-ascii?Q?-build-machine=40ci=2Eexample=2Eorg=3E?=\n",
    TRUE },
  { "Resent-Message-ID: =?UTF-8?B?PDIwMjMxMDAyLjQ3MTFAZXhhbXBsZS5vcmc+?=\n", TRUE },
  { "In-Reply-To: <=?utf-8?q?=3C20231002-jag-sysctl=5Fremove=5Fempty=5Felem=5Fdrive?=>\n", TRUE },
  /* Gnus: an encoded-word in a comment (RFC 2047 5(2)) */
  { "In-Reply-To: <87h7eaoihs.fsf@example.org> (=?utf-8?Q?=22Micha?=\n"
    " =?utf-8?Q?=C5=82_Miros=C5=82aw=22's?= message of \"Mon, 20 Jan 2020\")\n",
    FALSE },
};

START_TEST (test_msgid_fields_past_the_cache)
{
  /* Past EMLINT_MSGID_CACHED fields each is parsed when reached, as the cached ones were: the
   * same values and ids, for every iterator. */
  GString *text = g_string_new ("From: a\n");
  g_autoptr (EmlintMessage) msg = NULL;
  guint n = EMLINT_MSGID_CACHED + 10;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, i % 2 ? "Message-ID: <%u@x>\n" : "References: <%u@x> <y@z>\n", i);
  g_string_append (text, "\nbody\n");
  msg = message (text->str);
  for (guint pass = 0; pass < 2; pass++)
    {
      EmlintMsgidIter it = EMLINT_MSGID_ITER (msg);
      const EmlintMsgidField *mf;
      guint i = 0;

      while ((mf = emlint_msgid_next (&it)) != NULL)
        {
          g_autofree char *want = g_strdup_printf ("<%u@x>", i);

          ck_assert_uint_eq (mf->n_ids, i % 2 ? 1 : 2);
          ck_assert_int_eq (mf->ids[0].end - mf->ids[0].start, strlen (want));
          ck_assert (strncmp (mf->value + mf->ids[0].start, want, strlen (want)) == 0);
          ck_assert (mf->error == NULL);
          i++;
        }
      ck_assert_uint_eq (i, n);
    }
  g_string_free (text, TRUE);
}
END_TEST

START_TEST (test_encoded_msgid_recall)
{
  g_autofree char *text = g_strconcat (HEAD, encoded_ids[_i].field, "\nHello.\n", NULL);
  g_autofree char *found = findings (text, NULL);
  gboolean fired = strstr (found, "msgid-encoded-word@4") != NULL;

  ck_assert_msg (fired == encoded_ids[_i].defect, "%s: %s", encoded_ids[_i].field, found);
  ck_assert_msg (strstr (found, "msgid-syntax") == NULL, "%s: %s", encoded_ids[_i].field, found);
}
END_TEST

/* Received mail: the fields above the originator's part, list-server and spam-filter fields
 * are not the sender's; outbound mail is the sender's in full. */
START_TEST (test_transit_origin)
{
  const char *received =
    "Return-Path: <l@lists.example.org>\nReceived: from a by b; Mon, 2 Oct 2023 09:20:05 +0000\n"
    "X-Virus-Scanned: at b\nX-Relay-Note: mine\nFrom: Ada <ada@example.com>\nX-Spamd-Result: "
    "default: False\n"
    "Subject: hi\nList-Id: <users.lists.example.org>\nX-Mailman-Rule-Misses: a; b\n"
    "X-Custom: mine\nRobot-Unsubscribe: Contact me\n"
    "X-Authentication-Warning: b: u set sender to ada@example.com using -f\n"
    "X-MS-Exchange-Organization-SCL: 1\nX-MS-Has-Attach: yes\n"
    "X-Proofpoint-Virus-Version: vendor=fsecure\nStatus: RO\n\n";
  const EmlintFieldOrigin expect[] = {
    EMLINT_ORIGIN_TRANSIT, EMLINT_ORIGIN_TRANSIT, EMLINT_ORIGIN_SPAM_FILTER,
    EMLINT_ORIGIN_TRANSIT, EMLINT_ORIGIN_SENDER,  EMLINT_ORIGIN_SPAM_FILTER,
    EMLINT_ORIGIN_SENDER,  EMLINT_ORIGIN_LIST,    EMLINT_ORIGIN_LIST,
    EMLINT_ORIGIN_SENDER,  EMLINT_ORIGIN_SENDER,  EMLINT_ORIGIN_TRANSIT,
    EMLINT_ORIGIN_TRANSIT, EMLINT_ORIGIN_SENDER,  EMLINT_ORIGIN_SPAM_FILTER,
    EMLINT_ORIGIN_TRANSIT,
  };
  g_autoptr (EmlintMessage) msg = message (received);
  g_autoptr (EmlintMessage) outbound = message ("X-Spam-Status: No\nList-Id: <l.example.org>\n"
                                                "From: a@example.com\n\n");
  const EmlintHeader *top = emlint_message_top (msg);

  ck_assert (emlint_message_is_received (msg));
  ck_assert_uint_eq (top->fields->len, G_N_ELEMENTS (expect));
  for (guint i = 0; i < top->fields->len; i++)
    ck_assert_msg (emlint_field_origin (msg, emlint_header_field (top, i)) == expect[i], "field %u",
                   i);
  ck_assert (!emlint_message_is_received (outbound));
  for (guint i = 0; i < emlint_message_top (outbound)->fields->len; i++)
    ck_assert (
      emlint_field_origin (outbound, emlint_header_field (emlint_message_top (outbound), i))
      == EMLINT_ORIGIN_SENDER);
}
END_TEST

/* lex.h's walks: each header once, a header's lines with their fields, delimiter-line
 * candidates, the field holding an offset. */
START_TEST (test_header_walks)
{
  const char *text = "From: a@b\nSubject: x\n  more\nno colon here\nTo: c@d\n"
                     "Content-Type: multipart/mixed; boundary=b\n\npre\n--b\n"
                     "Content-Type: text/plain\n\nhi\n-- \n--b--\n";
  g_autoptr (EmlintMessage) msg = message (text);
  EmlintHeaderCursor cursor = { 0 };
  EmlintDashLines dashes = { 0 };
  EmlintHeaderLines lines;
  EmlintHeaderLine line;
  const EmlintHeader *header;
  g_autoptr (GString) walk = g_string_new (NULL);
  g_autofree char *name = NULL;
  gsize start, end;
  guint n = 0, number;

  while ((header = emlint_next_header (msg, &cursor, &start)) != NULL)
    {
      ck_assert_uint_eq (start, header->start);
      n++;
    }
  ck_assert_uint_eq (n, 2);
  emlint_header_lines_init (&lines, msg, emlint_message_top (msg), 0);
  while (emlint_header_lines_next (&lines, &line))
    g_string_append_c (walk, line.field == NULL ? '-' : line.first ? 'f' : 'c');
  ck_assert_str_eq (walk->str, "ffc-ff");
  g_string_truncate (walk, 0);
  while (emlint_next_dash_line (msg, &dashes, &number, &start, &end))
    g_string_append_printf (walk, "%u:%.*s ", number, (int) (end - start), text + start);
  ck_assert_str_eq (walk->str, "8:--b 12:--  13:--b-- ");
  name = emlint_field_dup_name (msg, emlint_field_at (msg, strstr (text, "more") - text));
  ck_assert_str_eq (name, "Subject");
  ck_assert_ptr_null (emlint_field_at (msg, strstr (text, "hi") - text));
}
END_TEST

/* The one table of field names: each exact name once, found in any case with its own
 * classes, and prefixes adding theirs. */
START_TEST (test_field_names)
{
  guint n;
  const EmlintFieldName *names = emlint_field_names (&n);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (EmlintMessage) msg = message ("message-id: <a@b>\nX-Spam-Checked-In-Group: a\n"
                                           "List-Whatever: x\nResent-From: a@b\nX-: y\n\n");
  const EmlintHeader *top = emlint_message_top (msg);
  const char *canonical;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s: x\n\n", names[i].name);
      g_autoptr (EmlintMessage) one = message (text);
      const EmlintField *field = emlint_header_field (emlint_message_top (one), 0);

      ck_assert_msg (g_hash_table_add (seen, g_ascii_strdown (names[i].name, -1)), "%s twice",
                     names[i].name);
      ck_assert_msg ((emlint_field_lookup (one, field, &canonical) & names[i].classes)
                       == names[i].classes,
                     "%s", names[i].name);
      if (strchr (names[i].name, '*') == NULL)
        ck_assert_str_eq (canonical, names[i].name);
    }
  ck_assert_uint_eq (emlint_field_lookup (msg, emlint_header_field (top, 0), &canonical),
                     EMLINT_FIELD_MSGID | EMLINT_FIELD_RFC5322 | EMLINT_FIELD_ONCE
                       | EMLINT_FIELD_ORIGINATOR);
  ck_assert_str_eq (canonical, "Message-ID");
  ck_assert_uint_eq (emlint_field_lookup (msg, emlint_header_field (top, 1), &canonical),
                     EMLINT_FIELD_LIST_SERVER | EMLINT_FIELD_SPAM_FILTER | EMLINT_FIELD_TEXT);
  ck_assert_uint_eq (emlint_field_lookup (msg, emlint_header_field (top, 2), &canonical),
                     EMLINT_FIELD_LIST_SERVER);
  ck_assert_ptr_null (canonical);
  ck_assert_uint_eq (emlint_field_lookup (msg, emlint_header_field (top, 3), NULL),
                     EMLINT_FIELD_ADDRESS | EMLINT_FIELD_RFC5322 | EMLINT_FIELD_ORIGINATOR);
  ck_assert_uint_eq (emlint_field_lookup (msg, emlint_header_field (top, 4), NULL),
                     EMLINT_FIELD_TEXT);
}
END_TEST

/* A Received field that names an SMTPUTF8 protocol (RFC 6531 3.7.3) after "with", in any case
 * and across a fold; "with" elsewhere (a TLS comment, a queue id) does not count. */
static const struct {
  const char *received;
  gboolean smtputf8;
} smtputf8_cases[] = {
  { "from a by b (Postfix) with UTF8SMTPS id 4S0Y; Mon, 2 Oct 2023 09:20:05 +0000", TRUE },
  { "from a by b with utf8smtp; Mon, 2 Oct 2023 09:20:05 +0000", TRUE },
  { "from a by b (Exim 4.96) with UTF8SMTPSA\n\tid 1qnh2K; Mon, 2 Oct 2023 09:20:05 +0000", TRUE },
  { "from a by b with\n UTF8LMTP; Mon, 2 Oct 2023 09:20:05 +0000", TRUE },
  { "from a by b with ESMTPS id UTF8X; Mon, 2 Oct 2023 09:20:05 +0000", FALSE },
  { "from a (using TLSv1.3 with cipher UTF8) by b with ESMTP; Mon, 2 Oct 2023 09:20:05 +0000",
    FALSE },
  { "from a by b withUTF8SMTP; Mon, 2 Oct 2023 09:20:05 +0000", FALSE },
};

START_TEST (test_arrived_smtputf8)
{
  g_autofree char *text = g_strconcat ("Received: ", smtputf8_cases[_i].received,
                                       "\nFrom: a@example.com\n\n", NULL);
  g_autoptr (EmlintMessage) msg = message (text);

  ck_assert_msg (emlint_message_arrived_smtputf8 (msg) == smtputf8_cases[_i].smtputf8, "%s",
                 smtputf8_cases[_i].received);
}
END_TEST

/* RFC 5322 3.4 and 4.4, with RFC 5322 Appendix A's examples. */
static const struct {
  const char *value;
  guint n;     /* addresses when valid */
  int verdict; /* 0 valid, 1 obsolete, 2 error */
} address_cases[] = {
  { "Ada <ada@example.com>", 1, 0 },
  { "undisclosed-recipients:;", 1, 0 },
  { "\"Joe Q. Public\" <john.q.public@example.com>, Mary Smith <mary@x.test>, jdoe@example.org, "
    "Who? <one@y.test>",
    4, 0 },
  { "<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>", 2, 0 },
  { "A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;", 1, 0 },
  { "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", 1, 0 },
  { "\"Valdis Kl=?utf-8?Q?=c4=93?=tnieks\" <valdis@example.org>", 1, 0 },
  { "=?utf-8?Q?Se=C3=A1n?= <sean@example.com>", 1, 0 },
  { "J\xC3\xB6rg <j\xC3\xB6rg@example.org>", 1, 0 },
  { "a @ b", 1, 0 },
  { "ada@[192.0.2.1]", 1, 0 },
  { "Joe Q. Public <john.q.public@example.com>", 1, 1 },
  { "<@route.test:a@b.test>", 1, 1 },
  { "a@b.test,, c@d.test", 2, 1 },
  { "a@b.test,", 1, 1 },
  { "a . b@c.test", 1, 1 },
  { "John Doe <jdoe@machine(comment).  example>", 1, 1 },
  { "a@b .c.test", 1, 1 },
  { "", 0, 0 },
  { "ada", 0, 2 },
  { "Ada <ada@example.com", 0, 2 },
  { "a@b.test c@d.test", 0, 2 },
  { "Foo Bar", 0, 2 },
  { "cros-qcom-dts-wat chers@chromium.org", 0, 2 },
  { ":;", 0, 2 },
  { "a@b.test; c@d.test", 0, 2 },
  { "a..b@c.test", 0, 2 },
  { "ada@", 0, 2 },
  { "<>", 0, 2 },
  { "x@y.test>", 0, 2 },
  { "ada@example.com <ada@mail.example.com>", 0, 2 },
  { "G: a@b.test", 0, 2 },
  { "\"unterminated <a@b.test>", 0, 2 },
  { "(unterminated a@b.test", 0, 2 },
};

START_TEST (test_address_parse)
{
  const char *v = address_cases[_i].value;
  EmlintAddressProblem problem;
  guint n;
  gboolean valid = emlint_address_list_parse (v, 0, strlen (v), &n, &problem);
  int verdict = !valid ? 2 : problem.why != NULL ? 1 : 0;

  ck_assert_msg (verdict == address_cases[_i].verdict, "'%s': %d (%s)", v, verdict,
                 problem.why ? problem.why : "-");
  if (valid)
    ck_assert_msg (n == address_cases[_i].n, "'%s': %u addresses", v, n);
  if (problem.why != NULL)
    ck_assert (problem.start < problem.end && problem.end <= strlen (v));
  g_free (problem.why);
}
END_TEST

/* A UTF-8 display name and address under smtputf8: no finding at all. */
START_TEST (test_address_utf8_smtputf8)
{
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  g_autofree char *found = NULL;

  config->smtputf8 = TRUE;
  found = findings (HEAD "To: J\xC3\xB6rg M\xC3\xBCller <j\xC3\xB6rg@example.org>,\n"
                         " \"S\xC3\xB8ren, K.\" <s\xC3\xB8ren@example.dk>\n\nHello.\n",
                    config);
  ck_assert_str_eq (found, "");
}
END_TEST

/* ---- fold points ------------------------------------------------------------------------- */

START_TEST (test_fold_point_octet_78)
{
  /* "Subject: " + 68 x + " " at octet 78 + more: a fold point; at octet 79: none. */
  g_autofree char *x68 = g_strnfill (68, 'x');
  g_autofree char *x69 = g_strnfill (69, 'x');
  g_autofree char *at78 = g_strdup_printf ("Subject: %s yyyyyyyyyy\n\n", x68);
  g_autofree char *at79 = g_strdup_printf ("Subject: %s yyyyyyyyyy\n\n", x69);
  g_autoptr (EmlintMessage) m78 = message (at78);
  g_autoptr (EmlintMessage) m79 = message (at79);

  ck_assert (emlint_fold_point_within (m78, 8, 0, emlint_message_line_end (m78, 0)));
  ck_assert (!emlint_fold_point_within (m79, 8, 0, emlint_message_line_end (m79, 0)));
  /* the gap after the colon is no fold point */
  ck_assert (!emlint_fold_point_within (m79, 8, 0, 9));
}
END_TEST

/* ---- reading mbox files ------------------------------------------------------------------ */

typedef struct {
  GString *joined;
  GArray *first_lines;
  guint count;
} Split;

static gboolean
collect (const EmlintRawMessage *raw, gpointer data)
{
  Split *s = data;
  gsize n;
  const char *p = g_bytes_get_data (raw->envelope, &n);

  g_string_append_len (s->joined, p, (gssize) n);
  p = g_bytes_get_data (raw->bytes, &n);
  g_string_append_len (s->joined, p, (gssize) n);
  g_array_append_val (s->first_lines, raw->first_line);
  ck_assert_uint_eq (raw->index, s->count);
  s->count++;
  return TRUE;
}

static Split *
split (const char *text)
{
  Split *s = g_new0 (Split, 1);
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));

  s->joined = g_string_new (NULL);
  s->first_lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  emlint_split_messages (bytes, collect, s);
  ck_assert_str_eq (s->joined->str, text); /* nothing lost, nothing added */
  return s;
}

static void
split_free (Split *s)
{
  g_string_free (s->joined, TRUE);
  g_array_unref (s->first_lines);
  g_free (s);
}

START_TEST (test_mbox_split)
{
  Split *s = split ("From a Mon\nFrom: x\n\nbody\nFrom here, no blank line before\n\n"
                    "From b Tue\r\nFrom: y\r\n\r\n\r\nFrom c Wed\nFrom: z\n");

  ck_assert_uint_eq (s->count, 3);
  ck_assert_uint_eq (g_array_index (s->first_lines, guint64, 0), 2);
  ck_assert_uint_eq (g_array_index (s->first_lines, guint64, 1), 8);
  ck_assert_uint_eq (g_array_index (s->first_lines, guint64, 2), 12);
  split_free (s);
}
END_TEST

/* Reads @path in segments of @size octets as run.c chains them (each from the first From_ line
 * in it, read again from where the one before ended when that differs), into @s. Returns how
 * many segments had to be read again. */
static guint
split_in_segments (const char *path, gsize len, guint64 size, Split *s)
{
  guint64 next = 0;
  guint index = 0, line = 1, again = 0;

  for (guint64 from = 0; from < len; from += size)
    {
      guint64 limit = from + size < len ? from + size : G_MAXUINT64;
      Split part = { g_string_new (NULL), g_array_new (FALSE, FALSE, sizeof (guint64)), 0 };
      EmlintSegment seg = { G_MAXUINT64, 0, 0, 0 };

      ck_assert (emlint_read_mbox_segment (path, -1, G_MAXUINT64, from, FALSE, limit, collect,
                                           &part, &seg, NULL));
      if (seg.first != next)
        {
          g_string_truncate (part.joined, 0);
          g_array_set_size (part.first_lines, 0);
          part.count = 0;
          seg.first = G_MAXUINT64; /* unless the segment has a message after all: */
          if (next < limit)
            {
              again++;
              ck_assert (emlint_read_mbox_segment (path, -1, G_MAXUINT64, next, TRUE, limit,
                                                   collect, &part, &seg, NULL));
            }
        }
      g_string_append_len (s->joined, part.joined->str, (gssize) part.joined->len);
      for (guint i = 0; i < part.count; i++)
        {
          guint64 first_line = g_array_index (part.first_lines, guint64, i) + line - 1;
          g_array_append_val (s->first_lines, first_line);
        }
      s->count += part.count;
      if (seg.first != G_MAXUINT64)
        {
          ck_assert_uint_eq (seg.messages, part.count);
          next = seg.next;
          index += seg.messages;
          line += seg.newlines;
        }
      g_string_free (part.joined, TRUE);
      g_array_unref (part.first_lines);
    }
  ck_assert_uint_eq (index, s->count);
  return again;
}

/* Every segment size gives the messages that one pass over the file gives. */
START_TEST (test_mbox_segments)
{
  static const char *const texts[] = {
    "From a Mon\nFrom: x\n\nbody\nFrom here, no blank line before\n\n"
    "From b Tue\r\nFrom: y\r\n\r\n\r\nFrom c Wed\nFrom: z\n",
    "\xEF\xBB\xBF"
    "From a\nX: y\n\nFrom b\n\nFrom c\n\n\n\nFrom d\nFrom e\n\nFrom",
    "From a\n\nFrom b\n\r\nFrom c\r\n\r\nFrom d\r\n\nFrom e",
    "X: not an mbox\n\nFrom a\n\nFrom b\n",
    /* mboxcl2: a Content-Length that holds keeps "From " lines in the body and ends a message
     * where no blank line is: segments that start inside one are read again. */
    "From a\nContent-Length: 14\n\nx\n\nFrom inside\nFrom b\nX: y\n\nFrom c\nContent-Length: 3\n\n"
    "abc\nFrom d\n\nbody\n",
  };
  guint again = 0;
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "segments.mbox", NULL);

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      Split *whole = split (texts[t]);
      gsize len = strlen (texts[t]);

      test_write (path, texts[t], (gssize) len);
      for (guint64 size = 1; size <= len; size++)
        {
          Split *s = g_new0 (Split, 1);

          s->joined = g_string_new (NULL);
          s->first_lines = g_array_new (FALSE, FALSE, sizeof (guint64));
          guint n = split_in_segments (path, len, size, s);

          /* Without a Content-Length, every segment finds its first message itself. */
          ck_assert_msg (n == 0 || strstr (texts[t], "Content-Length") != NULL, "text %u, size %u",
                         t, (guint) size);
          again += n;
          ck_assert_str_eq (s->joined->str, texts[t]);
          ck_assert_uint_eq (s->count, whole->count);
          for (guint i = 0; i < s->count; i++)
            ck_assert_uint_eq (g_array_index (s->first_lines, guint64, i),
                               g_array_index (whole->first_lines, guint64, i));
          split_free (s);
        }
      split_free (whole);
    }
  ck_assert_uint_gt (again, 0); /* the mboxcl2 text made some segments read again */
  test_rmtree (dir);
}
END_TEST

START_TEST (test_mbox_bom_and_plain)
{
  Split *s = split ("\xEF\xBB\xBF"
                    "From a\nX: y\n");
  ck_assert_uint_eq (s->count, 1);
  ck_assert_uint_eq (g_array_index (s->first_lines, guint64, 0), 2);
  split_free (s);
  s = split ("From: not an mbox\n\nFrom x\n");
  ck_assert_uint_eq (s->count, 1);
  ck_assert_uint_eq (g_array_index (s->first_lines, guint64, 0), 1);
  split_free (s);
  s = split ("");
  ck_assert_uint_eq (s->count, 1);
  split_free (s);
}
END_TEST

START_TEST (test_mbox_large_crosses_chunks)
{
  /* Separators straddling the reader's 256 KiB chunks are still found. */
  GString *mbox = g_string_new (NULL);
  guint n = 0;

  while (mbox->len < 3 * 256 * 1024)
    {
      g_string_append_printf (mbox, "From m%u Mon\nFrom: a\nDate: b\n\n", n++);
      for (guint k = 0; k < (n * 7) % 97; k++)
        g_string_append (mbox, "body line of a message, some text to fill it\n");
      g_string_append (mbox, "\n");
    }
  Split *s = split (mbox->str);
  ck_assert_uint_eq (s->count, n);
  split_free (s);
  g_string_free (mbox, TRUE);
}
END_TEST

/* ---- escaping ---------------------------------------------------------------------------- */

START_TEST (test_escape_display)
{
  g_autoptr (GString) out = g_string_new (NULL);

  emlint_escape_display (out,
                         "a\033[31mb\xC2\x9B"
                         "c\xFF\xC3\xA9\t",
                         -1);
  ck_assert_str_eq (out->str, "a\\x1B[31mb\\xC2\\x9Bc\\xFF\xC3\xA9\t");
}
END_TEST

START_TEST (test_escape_json)
{
  g_autoptr (GString) out = g_string_new (NULL);

  emlint_escape_json (out, "q\"\\\n\xFF\xC3\xA9", -1);
  ck_assert_str_eq (out->str, "\"q\\\"\\\\\\u000a\\\\xFF\xC3\xA9\"");
}
END_TEST

/* ---- diff ------------------------------------------------------------------------------ */

START_TEST (test_diff_hunks)
{
  g_autoptr (GString) out = g_string_new (NULL);
  const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
  const char *b = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\nthirteen\n";

  emlint_diff_append (out, a, strlen (a), b, strlen (b), 1, 1);
  ck_assert_str_eq (out->str, "@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n"
                              "@@ -9,4 +9,5 @@\n 9\n 10\n 11\n-12\n+twelve\n+thirteen\n");
  g_string_truncate (out, 0);
  emlint_diff_append (out, a, strlen (a), a, strlen (a), 1, 1);
  ck_assert_uint_eq (out->len, 0);
}
END_TEST

/* ---- fixes ------------------------------------------------------------------------------- */

START_TEST (test_apply_fixes_defers_overlaps)
{
  g_autoptr (EmlintMessage) msg = message ("abcdef");
  g_autoptr (GPtrArray) diags = g_ptr_array_new_with_free_func (
    (GDestroyNotify) emlint_diagnostic_free);
  const EmlintRule *rule = emlint_rule_lookup ("msgid-syntax");
  EmlintDiagnostic *a = emlint_diagnostic_new (rule, EMLINT_ERROR, 0, 3, g_strdup ("a"));
  EmlintDiagnostic *b = emlint_diagnostic_new (rule, EMLINT_ERROR, 2, 4, g_strdup ("b"));
  EmlintDiagnostic *c = emlint_diagnostic_new (rule, EMLINT_ERROR, 5, 5, g_strdup ("c"));
  EmlintDiagnostic *d = emlint_diagnostic_new (rule, EMLINT_ERROR, 4, 5, g_strdup ("d"));
  g_autoptr (GBytes) out = NULL;

  emlint_diagnostic_add_edit (a, 0, 2, "X");
  emlint_diagnostic_add_edit (b, 1, 3, "Y"); /* overlaps a: waits */
  emlint_diagnostic_add_edit (c, 6, 6, "!");
  emlint_diagnostic_add_edit (d, 4, 5, "E");
  emlint_diagnostic_set_unsafe (d, "test"); /* unsafe: not applied */
  g_ptr_array_add (diags, a), g_ptr_array_add (diags, b), g_ptr_array_add (diags, c);
  g_ptr_array_add (diags, d);
  out = emlint_apply_fixes (msg, diags, FALSE);
  ck_assert_uint_eq (g_bytes_get_size (out), 6);
  ck_assert (memcmp (g_bytes_get_data (out, NULL), "Xcdef!", 6) == 0);
  ck_assert (a->fixed && !b->fixed && c->fixed && !d->fixed);
}
END_TEST

/* ---- configuration and registry ---------------------------------------------------------- */

START_TEST (test_config_select_ignore)
{
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  g_autoptr (GError) error = NULL;
  guint n;

  emlint_rules (&n);
  ck_assert (emlint_config_select (config, "msgid-syntax, field-count", NULL));
  ck_assert (emlint_config_ignore (config, "field-count", NULL));
  for (guint i = 0; i < n; i++)
    {
      const EmlintRule *rule = emlint_rules (&n)[i];
      gboolean on = config->severity[i] != EMLINT_SEVERITY_OFF;
      ck_assert_msg (on == (strcmp (rule->id, "msgid-syntax") == 0), "%s", rule->id);
    }
  ck_assert (!emlint_config_select (config, "no-such-rule", &error));
  ck_assert (strstr (error->message, "no-such-rule") != NULL);
}
END_TEST

START_TEST (test_config_file_errors_name_line_and_key)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, ".emlint.ini", NULL);
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  g_autoptr (EmlintSettings) settings = emlint_settings_new ();
  g_autoptr (GError) error = NULL;

  test_write (path, "[emlint]\nfail-on = warning\n\n[rules]\nmsgid-syntax = loud\n", -1);
  ck_assert (!emlint_config_load (config, path, &error));
  ck_assert_msg (strstr (error->message, ".emlint.ini:5:") != NULL
                   && strstr (error->message, "msgid-syntax") != NULL,
                 "%s", error->message);
  g_clear_error (&error);
  test_write (path,
              "[emlint]\nfail-on = warning\n[rules]\nmsgid-syntax = off\n"
              "[per-path-ignores]\ntemplates/*.eml = field-count\n",
              -1);
  ck_assert_msg (emlint_config_load (config, path, &error), "%s", error ? error->message : "");
  ck_assert_int_eq (config->fail_on, EMLINT_WARNING);
  ck_assert_int_eq (config->severity[emlint_rule_index (emlint_rule_lookup ("msgid-syntax"))],
                    EMLINT_SEVERITY_OFF);
  ck_assert_msg (emlint_settings_load (settings, path, &error), "%s", error ? error->message : "");
  ck_assert_str_eq (settings->source, path);
  ck_assert (emlint_settings_path_ignores (settings, "templates/a.eml",
                                           emlint_rule_index (emlint_rule_lookup ("field-count"))));
  ck_assert (
    !emlint_settings_path_ignores (settings, "a.eml",
                                   emlint_rule_index (emlint_rule_lookup ("field-count"))));
  test_write (path, "[per-path-ignores]\n\ntemplates/*.eml = field-count, no-such-rule\n", -1);
  emlint_settings_free (settings);
  settings = emlint_settings_new ();
  ck_assert (!emlint_settings_load (settings, path, &error));
  ck_assert_msg (strstr (error->message, ".emlint.ini:3: [per-path-ignores] templates/*.eml: ")
                     != NULL
                   && strstr (error->message, "no-such-rule") != NULL,
                 "%s", error->message);
  test_rmtree (dir);
}
END_TEST

/* [emlint] smtputf8 = true: raw UTF-8 in a header is fine, octets that are not UTF-8 are not. */
START_TEST (test_config_smtputf8)
{
  g_autofree char *dir = test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, ".emlint.ini", NULL);
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  g_autoptr (GError) error = NULL;
  const char *text = "From: a@example.com\nSubject: Caf\xC3\xA9\nTo: \xE9 <b@example.com>\n\n";
  g_autoptr (GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr (EmlintMessage) msg = emlint_message_new (bytes, "t.eml", 0, FALSE, 1);
  g_autoptr (GPtrArray) diags = NULL;
  guint n = 0;

  ck_assert (!config->smtputf8);
  test_write (path, "[emlint]\nsmtputf8 = yes please\n", -1);
  ck_assert (!emlint_config_load (config, path, &error));
  ck_assert_msg (strstr (error->message, "smtputf8") != NULL, "%s", error->message);
  g_clear_error (&error);
  test_write (path, "[emlint]\nsmtputf8 = true\nselect = header-8bit\n", -1);
  ck_assert_msg (emlint_config_load (config, path, &error), "%s", error ? error->message : "");
  ck_assert (config->smtputf8);
  diags = emlint_lint_message (config, msg);
  for (guint i = 0; i < diags->len; i++)
    {
      const EmlintDiagnostic *d = g_ptr_array_index (diags, i);
      ck_assert_str_eq (d->rule->id, "header-8bit");
      ck_assert_int_eq (d->line, 3); /* the Latin-1 To, not the UTF-8 Subject */
      ck_assert_int_eq (d->severity, EMLINT_ERROR);
      n++;
    }
  ck_assert_uint_eq (n, 1);
  test_rmtree (dir);
}
END_TEST

/* ---- the limit of findings per rule ---------------------------------------------------- */

/* HEAD and @n copies of @line, then a body: a new string. */
static char *
repeated (const char *line, guint n)
{
  GString *text = g_string_new (HEAD);

  for (guint i = 0; i < n; i++)
    g_string_append (text, line);
  g_string_append (text, "Subject: hi\n\nbody\n");
  return g_string_free (text, FALSE);
}

/* The findings of @rule that @config gives on @text: a new array (borrowing from @all). */
static GPtrArray *
findings_of_rule (const EmlintConfig *config, const char *text, const char *rule, GPtrArray **all)
{
  g_autoptr (EmlintMessage) msg = message (text);
  GPtrArray *out = g_ptr_array_new ();

  *all = emlint_lint_message (config, msg);
  for (guint i = 0; i < (*all)->len; i++)
    {
      EmlintDiagnostic *d = g_ptr_array_index (*all, i);
      if (strcmp (d->rule->id, rule) == 0)
        g_ptr_array_add (out, d);
    }
  return out;
}

/* 251 Message-IDs are 250 field-count findings: 100 are kept and the 101st, at the first one
 * dropped, counts the 150 others; with the limit off (0), all 250 are kept. */
START_TEST (test_findings_limit_per_rule)
{
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  g_autofree char *text = repeated ("Message-ID: <1@example.com>\n", 250);
  g_autoptr (GPtrArray) all = NULL, unlimited_all = NULL;
  g_autoptr (GPtrArray) kept = findings_of_rule (config, text, "field-count", &all);
  g_autoptr (GPtrArray) unlimited = NULL;
  const EmlintDiagnostic *last;
  g_autoptr (GError) error = NULL;

  ck_assert_uint_eq (config->max_findings_per_rule, 100);
  ck_assert_uint_eq (kept->len, 101);
  last = g_ptr_array_index (kept, 100);
  ck_assert_str_eq (last->message, "... and 150 more like this in this message "
                                   "(--max-findings-per-rule 100)");
  ck_assert_uint_eq (last->line, 3 + 101); /* HEAD, then the 101st finding's field */
  ck_assert (!emlint_diagnostic_has_fix (last));
  ck_assert_uint_eq (((EmlintDiagnostic *) g_ptr_array_index (kept, 99))->line, 3 + 100);

  ck_assert (emlint_config_set_max_findings_per_rule (config, "0", &error));
  unlimited = findings_of_rule (config, text, "field-count", &unlimited_all);
  ck_assert_uint_eq (unlimited->len, 250);
  ck_assert (!emlint_config_set_max_findings_per_rule (config, "-1", &error));
  ck_assert_ptr_nonnull (strstr (error->message, "whole number"));
}
END_TEST

/* Past the limit, a finding with a fix is still kept: `fix` repairs all 150 long fields in one
 * round, and nothing is left. */
START_TEST (test_findings_limit_keeps_fixes)
{
  g_autoptr (EmlintConfig) config = emlint_config_new ();
  g_autoptr (GString) words = g_string_new ("X-Long:");
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  EmlintFixResult *result;

  for (guint i = 0; i < 25; i++)
    g_string_append (words, " word");
  g_string_append_c (words, '\n');
  text = repeated (words->str, 150);
  found = findings_of_rule (config, text, "header-line-length", &all);
  ck_assert_uint_eq (found->len, 150);
  bytes = g_bytes_new_static (text, strlen (text));
  result = emlint_fix_message (config, bytes, "t.eml", 0, FALSE, 1, &error);
  ck_assert_msg (result != NULL, "%s", error->message);
  ck_assert_uint_eq (result->fixed->len, 150);
  ck_assert_uint_eq (result->rounds, 1);
  for (guint i = 0; i < result->remaining->len; i++)
    ck_assert_str_ne (((EmlintDiagnostic *) g_ptr_array_index (result->remaining, i))->rule->id,
                      "header-line-length");
  emlint_fix_result_free (result);
}
END_TEST

/* Every rule: a kebab-case id in sorted order, a summary, an RFC, and a doc with the four parts;
 * every rule file is registered and listed in rules/meson.build. */
START_TEST (test_registry)
{
  guint n;
  const EmlintRule *const *rules = emlint_rules (&n);
  g_autofree char *dir = g_build_filename (test_source_root (), "rules", NULL);
  g_autofree char *meson_path = g_build_filename (dir, "meson.build", NULL);
  g_autoptr (GBytes) meson = test_read (meson_path);
  g_autofree char *meson_text = g_strndup (g_bytes_get_data (meson, NULL),
                                           g_bytes_get_size (meson));
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint files = 0;

  for (guint i = 0; i < n; i++)
    {
      const EmlintRule *r = rules[i];
      ck_assert (g_regex_match_simple ("^[a-z0-9]+(-[a-z0-9]+)*$", r->id, 0, 0));
      ck_assert_msg (i == 0 || strcmp (rules[i - 1]->id, r->id) < 0, "rules.def is not sorted");
      ck_assert (r->summary && *r->summary && r->rfc && g_str_has_prefix (r->rfc, "RFC "));
      ck_assert_msg (strstr (r->doc, "What it does\n") && strstr (r->doc, "Why it is bad\n")
                       && strstr (r->doc, "Example\n") && strstr (r->doc, "Fix\n"),
                     "%s: doc lacks a part", r->id);
      ck_assert (r->check != NULL);
    }
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *id = NULL;
      g_autofree char *quoted = NULL;
      if (!g_str_has_suffix (name, ".c") || strcmp (name, "registry.c") == 0)
        continue;
      files++;
      id = g_strndup (name, strlen (name) - 2);
      quoted = g_strdup_printf ("'%s'", name);
      ck_assert_msg (emlint_rule_lookup (id) != NULL, "rules/%s is not in rules.def", name);
      ck_assert_msg (strstr (meson_text, quoted) != NULL, "rules/%s is not in meson.build", name);
    }
  g_dir_close (d);
  ck_assert_uint_eq (files, n);
}
END_TEST

/* The front end finds a finding's line in the octets (cli/finding.c) as the core's line index
 * does: every offset of awkward texts (CRLF, a bare CR, no final newline, a final one, empty). */
START_TEST (test_cli_mail_line_matches_the_core)
{
  static const char *const texts[] = { "a\r\nbc\n\nd", "x\ry\r\n\r\n",          "one\n", "",
                                       "\n\n",         "A: b\r\n c\r\n\r\nbody" };

  for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      gsize len = strlen (texts[t]);
      g_autoptr (GBytes) bytes = g_bytes_new_static (texts[t], len);
      g_autoptr (EmlintMessage) msg = emlint_message_new_text (bytes, "t");
      EmlintMail mail = { "t", 0, FALSE, 1, texts[t], len };

      for (gsize at = 0; at <= len; at++)
        {
          guint line = emlint_message_line_of (msg, at);
          gsize start, end;

          emlint_mail_line (&mail, at, &start, &end);
          ck_assert_msg (start == emlint_message_line_start (msg, line)
                           && end == emlint_message_line_end (msg, line),
                         "text %u offset %zu: [%zu, %zu)", t, at, start, end);
        }
    }
}
END_TEST

/* A message that starts past line 2^32 of its file is reported at its file's line. */
START_TEST (test_cli_findings_past_2_32_lines)
{
  static const char mail[] = "From: a@example.com\r\nDate: Mon, 02 Oct 2023 09:20:00 +0000\r\n"
                             "\r\nHello.\r\n";
  guint64 first = (G_GUINT64_CONSTANT (1) << 32) + 10;
  EmlintLinter *linter = emlint_linter_new (NULL, NULL);
  EmlintResult *result = emlint_linter_check (linter, mail, strlen (mail));
  g_autoptr (GPtrArray) findings = emlint_cli_findings (result, FALSE, first);
  EmlintMail msg = { "box", 3, TRUE, first, mail, strlen (mail) };
  EmlintReportOptions options = { EMLINT_FORMAT_TEXT };
  EmlintReporter *reporter = emlint_reporter_new (&options, stdout);
  g_autoptr (GString) out = g_string_new (NULL);
  const EmlintCliFinding *f;

  ck_assert_uint_eq (findings->len, 1); /* msgid-missing, at the message's first line */
  f = g_ptr_array_index (findings, 0);
  ck_assert_uint_eq (f->line, first);
  emlint_reporter_format (reporter, &msg, findings, out);
  ck_assert_str_eq (out->str, "box:4294967306:1: warning: the message has no Message-ID field "
                              "(message 3) [msgid-missing]\n");
  emlint_reporter_free (reporter);
  emlint_result_free (result);
  emlint_linter_free (linter);
}
END_TEST

int
main (void)
{
  Suite *suite = suite_create ("unit");
  TCase *tc = tcase_create ("unit");

  emlint_init ();
  tcase_add_test (tc, test_lines_lf_crlf_bare_cr);
  tcase_add_test (tc, test_lines_empty);
  tcase_add_test (tc, test_header_fields);
  tcase_add_test (tc, test_header_bom_and_no_body);
  tcase_add_test (tc, test_header_past_4_gib);
  tcase_add_test (tc, test_mime_part_headers);
  tcase_add_test (tc, test_mime_boundaries);
  tcase_add_test (tc, test_mime_boundary_as_gmime_reads_it);
  tcase_add_test (tc, test_mime_part_header_stops_at_delimiter);
  tcase_add_test (tc, test_mime_deep_nesting_is_linear);
  tcase_add_loop_test (tc, test_msgid_parse, 0, G_N_ELEMENTS (msgid_cases));
  tcase_add_loop_test (tc, test_encoded_word, 0, G_N_ELEMENTS (encoded_cases));
  tcase_add_test (tc, test_encoded_word_offsets);
  tcase_add_test (tc, test_msgid_fields_decoded);
  tcase_add_test (tc, test_msgid_fields_past_the_cache);
  tcase_add_loop_test (tc, test_encoded_msgid_recall, 0, G_N_ELEMENTS (encoded_ids));
  tcase_add_test (tc, test_transit_origin);
  tcase_add_test (tc, test_field_names);
  tcase_add_test (tc, test_header_walks);
  tcase_add_loop_test (tc, test_arrived_smtputf8, 0, G_N_ELEMENTS (smtputf8_cases));
  tcase_add_loop_test (tc, test_address_parse, 0, G_N_ELEMENTS (address_cases));
  tcase_add_test (tc, test_address_utf8_smtputf8);
  tcase_add_test (tc, test_fold_point_octet_78);
  tcase_add_test (tc, test_mbox_split);
  tcase_add_test (tc, test_mbox_bom_and_plain);
  tcase_add_test (tc, test_mbox_segments);
  tcase_add_test (tc, test_mbox_large_crosses_chunks);
  tcase_add_test (tc, test_escape_display);
  tcase_add_test (tc, test_escape_json);
  tcase_add_test (tc, test_diff_hunks);
  tcase_add_test (tc, test_apply_fixes_defers_overlaps);
  tcase_add_test (tc, test_config_select_ignore);
  tcase_add_test (tc, test_config_file_errors_name_line_and_key);
  tcase_add_test (tc, test_config_smtputf8);
  tcase_add_test (tc, test_registry);
  tcase_add_test (tc, test_findings_limit_per_rule);
  tcase_add_test (tc, test_findings_limit_keeps_fixes);
  tcase_add_test (tc, test_cli_mail_line_matches_the_core);
  tcase_add_test (tc, test_cli_findings_past_2_32_lines);
  suite_add_tcase (suite, tc);
  return test_run_suite (suite);
}
