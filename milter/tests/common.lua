-- common.lua: what every emlint-milter miltertest script shares. The runner (run-miltertest.sh)
-- defines MILTER (the binary), SOCK and SOCK2 (sockets for this script), CONFDIR, TESTDIR and
-- WORK (a scratch folder) with -D.

unpack = unpack or table.unpack

-- An 80-octet Exchange Online-style msg-id, and the RFC 2047 form Python's policy.SMTP gives it.
ID = "<PH0PR11MB4928A1B2C3D4E5F60718293A4B5C6@PH0PR11MB4928.namprd11.prod.outlook.com>"
ENCODED = " =?utf-8?q?=3CPH0PR11MB4928A1B2C3D4E5F60718293A4B5C6=40PH0PR11MB4?=\n" ..
          " =?utf-8?q?928=2Enamprd11=2Eprod=2Eoutlook=2Ecom=3E?="

-- A reply whose In-Reply-To and References hold that id encoded (values keep their leading
-- space: the runner's milter negotiates SMFIP_HDR_LEADSPC, as Postfix does).
function reply_headers()
  return {
    {"From", " App <app@example.test>"},
    {"To", " user@example.test"},
    {"Subject", " Re: hello"},
    {"Date", " Thu, 26 Nov 2026 01:00:00 +0000"},
    {"Message-ID", " <abc.123@example.test>"},
    {"In-Reply-To", ENCODED},
    {"References", ENCODED},
    {"MIME-Version", " 1.0"},
  }
end

function expect(cond, what)
  if not cond then
    -- miltertest does not print a script's error: say it first.
    mt.echo("FAILED: " .. what)
    error("FAILED: " .. what, 2)
  end
  mt.echo("ok: " .. what)
end

-- Starts a milter with configuration file CONFDIR/<conf> (nil: none) on @sock (default SOCK; a
-- script that starts a second one passes SOCK2) and connects.
function start(conf, sock)
  sock = sock or SOCK
  local args = {"-f", "-p", sock}
  if conf ~= nil then
    table.insert(args, "-c")
    table.insert(args, CONFDIR .. "/" .. conf)
  end
  mt.startfilter(MILTER, unpack(args))
  local conn = mt.connect(sock, 100, 0.05)
  expect(conn ~= nil, "connected to the milter on " .. sock)
  return conn
end

-- Sends one message's header fields with queue id @qid; returns the end-of-message reply. The
-- milter asks to skip every other step (SMFIP_NO*), and miltertest must not send them then.
function send(conn, qid, headers)
  mt.macro(conn, SMFIC_MAIL, "i", qid)
  for _, h in ipairs(headers) do
    if mt.header(conn, h[1], h[2]) ~= nil then
      error("mt.header(" .. h[1] .. ") failed")
    end
  end
  if mt.eom(conn) ~= nil then
    error("mt.eom() failed")
  end
  return mt.getreply(conn)
end
