-- policy fix (the default): the encoded msg-ids are decoded in place with smfi_chgheader.
dofile(TESTDIR .. "/common.lua")
local conn = start("fix.ini")
mt.negotiate(conn, nil, nil, nil)
expect(mt.test_option(conn, SMFIP_NOBODY), "the milter asks for no body")
expect(mt.test_option(conn, SMFIP_HDR_LEADSPC), "and for values with their leading space")
expect(mt.test_action(conn, SMFIF_CHGHDRS), "it may change fields")
expect(send(conn, "FIX1", reply_headers()) == SMFIR_CONTINUE, "the message is accepted")
expect(mt.eom_check(conn, MT_HDRCHANGE, "In-Reply-To", " " .. ID), "In-Reply-To decoded")
expect(mt.eom_check(conn, MT_HDRCHANGE, "References", " " .. ID), "References decoded")
expect(not mt.eom_check(conn, MT_HDRCHANGE, "Subject"), "Subject left alone")
expect(not mt.eom_check(conn, MT_HDRADD), "no field added")
expect(not mt.eom_check(conn, MT_HDRINSERT), "no field inserted")
expect(not mt.eom_check(conn, MT_BODYCHANGE), "body untouched")
-- A second message on the same connection starts from a clean state (the runner checks its log
-- line: no findings, action none; miltertest's eom_check would still see the first message's).
local clean = {{"From", " a@example.test"}, {"Date", " Thu, 26 Nov 2026 01:00:00 +0000"},
               {"Message-ID", " <x.1@example.test>"}, {"Subject", " hi"}}
expect(send(conn, "FIX2", clean) == SMFIR_CONTINUE, "a clean second message is accepted")
mt.disconnect(conn)
