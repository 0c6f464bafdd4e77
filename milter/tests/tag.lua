-- policy tag: nothing changes; an X-Emlint: field lists the findings.
dofile(TESTDIR .. "/common.lua")
local conn = start("tag.ini")
expect(send(conn, "TAG1", reply_headers()) == SMFIR_CONTINUE, "the message is accepted")
expect(not mt.eom_check(conn, MT_HDRCHANGE), "no field changed")
expect(mt.eom_check(conn, MT_HDRADD, "X-Emlint", " msgid-encoded-word"),
       "X-Emlint: msgid-encoded-word added")
mt.disconnect(conn)
