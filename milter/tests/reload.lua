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

-- Writes @text over the file, sends SIGHUP, and sends the reply again on a new connection.
local function reload_and_send(text, qid, what)
  write(text)
  mt.signal(1)
  mt.sleep(0.5)
  local c = mt.connect(SOCK, 100, 0.05)
  expect(c ~= nil, "still listening after SIGHUP (" .. what .. ")")
  expect(send(c, qid, reply_headers()) == SMFIR_CONTINUE, "accepted (" .. what .. ")")
  expect(mt.eom_check(c, MT_HDRCHANGE, "In-Reply-To", " " .. ID), "policy fix (" .. what .. ")")
  mt.disconnect(c)
end

reload_and_send("[milter]\ndefault = fix\n", "HUP2", "reloaded to fix")
reload_and_send("[milter]\ndefault = shred\n", "HUP3", "a broken file keeps fix in force")
