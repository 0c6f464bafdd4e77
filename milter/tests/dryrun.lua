-- dry-run: a reject policy decides, logs, and neither refuses nor changes anything.
dofile(TESTDIR .. "/common.lua")
local conn = start("dryrun.ini")
expect(send(conn, "DRY1", reply_headers()) == SMFIR_CONTINUE, "the message is accepted")
expect(not mt.eom_check(conn, MT_HDRCHANGE), "no field changed")
mt.disconnect(conn)
