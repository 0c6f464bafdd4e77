-- policy reject: a 5xx reply that names the finding and its RFC.
dofile(TESTDIR .. "/common.lua")
local conn = start("reject.ini")
expect(send(conn, "REJ1", reply_headers()) == SMFIR_REPLYCODE, "the message is refused")
local text = "emlint: msgid-encoded-word: In-Reply-To holds an RFC 2047 encoded-word, which " ..
  "no msg-id field may; decoded it reads " .. ID ..
  " (RFC 2047 section 5; RFC 5322 section 3.6.4)"
-- (miltertest compares the reply only when given code, enhanced code and text.)
expect(mt.eom_check(conn, MT_SMTPREPLY, "550", "5.6.0", text),
       "with 550 5.6.0 naming the rule, the finding and the RFC")
expect(not mt.eom_check(conn, MT_HDRCHANGE), "and nothing is changed")
mt.disconnect(conn)
