-- Failure paths: a header section over max-header-size, and header fields the core finds
-- broken beyond repair, pass unchanged, each with one log line (the runner checks them).
dofile(TESTDIR .. "/common.lua")
local conn = start("small.ini")
local big = reply_headers()
for i = 1, 40 do
  table.insert(big, {"X-Filler-" .. i, " " .. string.rep("x", 60)})
end
expect(send(conn, "BIG1", big) == SMFIR_CONTINUE, "an oversize header is accepted")
expect(not mt.eom_check(conn, MT_HDRCHANGE), "and not changed")
expect(not mt.eom_check(conn, MT_HDRADD), "nothing added")
mt.disconnect(conn)

-- Junk: 8-bit octets, no colon-worthy value, an empty header. Accepted, nothing to fix.
conn = mt.connect(SOCK, 100, 0.05)
expect(send(conn, "JUNK1", {{"Subject", " \255\254 caf\233"}, {"X-Empty", ""},
                            {"From", " <<<@@@>>>"}}) == SMFIR_CONTINUE, "junk fields accepted")
expect(send(conn, "EMPTY1", {}) == SMFIR_CONTINUE, "an empty header is accepted")
mt.disconnect(conn)

-- A message aborted half-way leaves nothing behind for the next one.
conn = mt.connect(SOCK, 100, 0.05)
mt.macro(conn, SMFIC_MAIL, "i", "ABORTED")
mt.header(conn, "In-Reply-To", ENCODED)
mt.abort(conn)
expect(send(conn, "AFTER1", {{"From", " a@example.test"}, {"Subject", " hi"},
                             {"Date", " Thu, 26 Nov 2026 01:00:00 +0000"},
                             {"Message-ID", " <x.1@example.test>"}}) == SMFIR_CONTINUE,
       "the message after an abort is accepted")
mt.disconnect(conn)
