"""Tests of the emlint binding, written as the check an app's own test suite would carry.

The app: it answers mail, building each reply with Python's email package and policy.SMTP,
and sends it with smtplib. Python 3.11 RFC 2047-encodes a References or In-Reply-To whose line
would pass 78 octets: an 80-octet Exchange Message-ID is enough. Threading then breaks in the
recipients' clients. The test finds that with emlint.check() and shows that emlint.fix() gives
octets that smtplib sends unchanged.

Run: EMLINT_LIBRARY=/path/to/libemlint.so.0 python3 -m unittest -v test_emlint (or pytest).
"""

import email
import email.policy
import smtplib
import socketserver
import threading
import unittest
from email.message import EmailMessage

import emlint

# An Exchange Online Message-ID of 80 octets (Exchange's run from about 70 to 90).
EXCHANGE_ID = "<DB9PR07MB8926A1B2C3D4E5F60718293A4B5C6@DB9PR07MB8926.eurprd07.prod.outlook.com>"
ORIGINAL = (b"From: Dana Example <dana@example.org>\r\nTo: Ada Example <ada@example.com>\r\n"
            b"Subject: Quarterly report\r\nDate: Mon, 02 Oct 2023 09:15:42 +0000\r\n"
            b"Message-ID: " + EXCHANGE_ID.encode() + b"\r\n\r\nThe figures are attached.\r\n")


def build_reply(original: bytes) -> EmailMessage:
    """The app's code under test: a reply, as many apps write it."""
    parent = email.message_from_bytes(original, policy=email.policy.SMTP)
    reply = EmailMessage(policy=email.policy.SMTP)
    reply["From"] = "Ada Example <ada@example.com>"
    reply["To"] = parent["From"]
    reply["Subject"] = "Re: " + parent["Subject"]
    reply["Date"] = "Mon, 02 Oct 2023 09:20:00 +0000"
    reply["Message-ID"] = "<169623840000.4711@example.com>"
    reply["In-Reply-To"] = parent["Message-ID"]
    reply["References"] = parent["Message-ID"]
    reply.set_content("Thanks Dana, got them.\n")
    return reply


class Recorder(socketserver.StreamRequestHandler):
    """A minimal SMTP server that keeps the DATA it receives (dot-unstuffed) in server.received."""

    def handle(self):
        self.wfile.write(b"220 test ESMTP\r\n")
        for line in self.rfile:
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                lines = []
                for body_line in self.rfile:
                    if body_line == b".\r\n":
                        break
                    lines.append(body_line[1:] if body_line.startswith(b".") else body_line)
                self.server.received.append(b"".join(lines))
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class AppRepliesTest(unittest.TestCase):
    """The example an app copies: lint what it sends, fix it, send the fixed octets."""

    def test_python_encodes_the_reply_and_emlint_finds_it(self):
        raw = build_reply(ORIGINAL).as_bytes()
        self.assertIn(b"In-Reply-To: =?utf-8?q?=3CDB9PR07MB8926", raw)  # Python 3.11 did it
        findings = emlint.check(raw)
        encoded = [f for f in findings if f.rule == "msgid-encoded-word"]
        self.assertEqual(["error", "error"], [f.severity for f in encoded], findings)
        self.assertTrue(all(f.fixable for f in encoded))
        self.assertTrue(raw.splitlines()[encoded[0].line - 1].startswith(b"In-Reply-To: "))
        self.assertIn(EXCHANGE_ID, encoded[0].message)

    def test_the_fixed_reply_is_clean_and_otherwise_the_same(self):
        raw = build_reply(ORIGINAL).as_bytes()
        result = emlint.fix_result(raw)
        self.assertEqual(["msgid-encoded-word"] * 2, [f.rule for f in result.fixed])
        self.assertEqual([], [str(f) for f in result.remaining if f.severity == "error"])
        self.assertEqual(result.data, emlint.fix(raw))
        fixed = result.data
        self.assertIn(b"\r\nIn-Reply-To: " + EXCHANGE_ID.encode() + b"\r\n", fixed)
        self.assertIn(b"\r\nReferences: " + EXCHANGE_ID.encode() + b"\r\n", fixed)
        # Bytes are edited, not re-serialised: the other lines come back as they were.
        edited = (b"In-Reply-To", b"References")
        untouched = [l for l in raw.split(b"\r\n") if not l.startswith(edited + (b" ",))]
        self.assertEqual(untouched, [l for l in fixed.split(b"\r\n") if not l.startswith(edited)])
        self.assertEqual([], emlint.check(fixed, select=["msgid-encoded-word"]))

    def test_sendmail_sends_the_fixed_octets_and_send_message_does_not(self):
        fixed = emlint.fix(build_reply(ORIGINAL).as_bytes())
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Recorder)
        server.received = []
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with smtplib.SMTP(*server.server_address) as smtp:
                smtp.sendmail("ada@example.com", ["dana@example.org"], fixed)
                # What not to do: parsing the fixed octets again and sending the Message
                # re-serialises it with policy.SMTP, which encodes the long id again.
                smtp.send_message(email.message_from_bytes(fixed, policy=email.policy.SMTP))
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual(fixed, server.received[0])
        self.assertEqual([], emlint.check(server.received[0], select="msgid-encoded-word"))
        self.assertIn(b"In-Reply-To: =?utf-8?q?", server.received[1])


class BindingTest(unittest.TestCase):
    def test_version(self):
        self.assertRegex(emlint.version(), r"^\d+\.\d+\.\d+$")

    def test_rules(self):
        rules = {r.id: r for r in emlint.rules()}
        self.assertEqual([r.id for r in emlint.rules()], sorted(rules))
        self.assertEqual(rules["msgid-encoded-word"].fixable, "fix")
        self.assertEqual(rules["msgid-encoded-word"].severity, "error")
        self.assertFalse(rules["msgid-encoded-word"].transcript)
        self.assertTrue(rules["imap-unknown-tag"].transcript)
        self.assertIn("RFC", rules["msgid-syntax"].rfc)

    def test_positions_point_at_the_octets(self):
        raw = build_reply(ORIGINAL).as_bytes()
        for f in emlint.check(raw):
            line_start = sum(len(l) for l in raw.splitlines(keepends=True)[:f.line - 1])
            self.assertEqual(line_start + f.column - 1, f.start, f)

    def test_options(self):
        raw = build_reply(ORIGINAL).as_bytes()
        self.assertEqual({"msgid-encoded-word"},
                         {f.rule for f in emlint.check(raw, select="msgid-encoded-word")})
        self.assertNotIn("msgid-encoded-word",
                         {f.rule for f in emlint.check(raw, ignore=["msgid-encoded-word"])})
        no_id = ORIGINAL.replace(b"Message-ID: " + EXCHANGE_ID.encode() + b"\r\n", b"")
        self.assertIn(b"\r\nMessage-ID: <",
                      emlint.fix(no_id, msgid_domain="example.org", unsafe_fixes=True))
        # Unsafe fixes are not applied without unsafe_fixes.
        self.assertEqual(no_id, emlint.fix(no_id, msgid_domain="example.org"))

    def test_errors(self):
        with self.assertRaisesRegex(emlint.EmlintError, "no-such-rule"):
            emlint.check(ORIGINAL, select="no-such-rule")
        with self.assertRaisesRegex(emlint.EmlintError, "not a domain"):
            emlint.fix(ORIGINAL, msgid_domain="not a domain")
        with self.assertRaises(TypeError):
            emlint.check(ORIGINAL.decode())


if __name__ == "__main__":
    unittest.main()
