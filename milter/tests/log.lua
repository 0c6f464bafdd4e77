-- policy log: the message passes unchanged; the log line (checked by the runner) names findings.
dofile(TESTDIR .. "/common.lua")
local conn = start("log.ini")
expect(send(conn, "LOG1", reply_headers()) == SMFIR_CONTINUE, "the message is accepted")
expect(not mt.eom_check(conn, MT_HDRCHANGE), "no field changed")
expect(not mt.eom_check(conn, MT_HDRADD), "no field added")
mt.disconnect(conn)
