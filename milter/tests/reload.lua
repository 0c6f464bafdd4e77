-- SIGHUP reloads the configuration; a broken one is refused and the old one stays in force.
dofile(TESTDIR .. "/common.lua")
local config = WORK .. "/reload.ini"

local function write(text)
  local f = assert(io.open(config, "w"))
  f:write(text)
  f:close()
end

write("[milter]\ndefault = log\n")
mt.startfilter(MILTER, "-f", "-p", SOCK, "-c", config)
local conn = mt.connect(SOCK, 100, 0.05)
expect(conn ~= nil, "connected")
expect(send(conn, "HUP1", reply_headers()) == SMFIR_CONTINUE, "accepted under policy log")
expect(not mt.eom_check(conn, MT_HDRCHANGE), "policy log: nothing changed")
mt.disconnect(conn)

write("[milter]\ndefault = fix\n")
mt.signal(1)
mt.sleep(0.5)
conn = mt.connect(SOCK, 100, 0.05)
expect(conn ~= nil, "still listening after SIGHUP")
expect(send(conn, "HUP2", reply_headers()) == SMFIR_CONTINUE, "accepted under policy fix")
expect(mt.eom_check(conn, MT_HDRCHANGE, "In-Reply-To", " " .. ID), "policy fix after reload")
mt.disconnect(conn)

write("[milter]\ndefault = shred\n")
mt.signal(1)
mt.sleep(0.5)
conn = mt.connect(SOCK, 100, 0.05)
expect(conn ~= nil, "still listening after a SIGHUP with a broken file")
expect(send(conn, "HUP3", reply_headers()) == SMFIR_CONTINUE, "accepted")
expect(mt.eom_check(conn, MT_HDRCHANGE, "In-Reply-To", " " .. ID), "policy fix still in force")
mt.disconnect(conn)
