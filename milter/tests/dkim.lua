-- A message signed over In-Reply-To keeps it (the fix would break the signature); with
-- unsafe-fixes it is decoded all the same. References, not signed, is decoded in both.
dofile(TESTDIR .. "/common.lua")
local signed = reply_headers()
table.insert(signed, 1, {"DKIM-Signature", " v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.test;\n" ..
  "\ts=sel; h=from:to:subject:date:message-id:in-reply-to; bh=AAAA; b=BBBB"})

local conn = start("fix.ini")
expect(send(conn, "SIG1", signed) == SMFIR_CONTINUE, "the signed message is accepted")
expect(not mt.eom_check(conn, MT_HDRCHANGE, "In-Reply-To"), "signed In-Reply-To kept")
expect(mt.eom_check(conn, MT_HDRCHANGE, "References", " " .. ID), "unsigned References decoded")
mt.disconnect(conn)

-- miltertest stops only the filter it started last: stop this one first.
mt.signal(15)
conn = start("unsafe.ini", SOCK2)
expect(send(conn, "SIG2", signed) == SMFIR_CONTINUE, "the signed message is accepted")
expect(mt.eom_check(conn, MT_HDRCHANGE, "In-Reply-To", " " .. ID),
       "unsafe-fixes: signed In-Reply-To decoded")
mt.disconnect(conn)
