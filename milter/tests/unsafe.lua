-- Unsafe fixes run only when configured: a Message-ID on a machine host name gets a new id on
-- msgid-domain with unsafe-fixes = true, and keeps its id without.
dofile(TESTDIR .. "/common.lua")
local long = " <176.42.1@ip-10-0-3-17.eu-west-1.compute.internal.build-runner-pool-7.example.test>"
local headers = {{"From", " a@example.test"}, {"Date", " Thu, 26 Nov 2026 01:00:00 +0000"},
                 {"Message-ID", long}, {"Subject", " hi"}}

local conn = start("unsafe.ini")
expect(send(conn, "UNS1", headers) == SMFIR_CONTINUE, "the message is accepted")
expect(mt.eom_check(conn, MT_HDRCHANGE, "Message-ID"), "unsafe-fixes: Message-ID replaced")
local id = mt.getheader(conn, "Message-ID", 0)
mt.disconnect(conn)

-- miltertest stops only the filter it started last: stop this one first.
mt.signal(15)
conn = start("safe.ini", SOCK2)
expect(send(conn, "UNS2", headers) == SMFIR_CONTINUE, "the message is accepted")
expect(not mt.eom_check(conn, MT_HDRCHANGE), "without unsafe-fixes: nothing changed")
mt.disconnect(conn)
