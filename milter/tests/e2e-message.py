#!/usr/bin/python3
"""e2e-message.py: the two Python halves of the end-to-end test.

  e2e-message.py build OUT [OCTETS]
      Writes the reply an app on Python 3.11 sends to an Exchange Online message: its
      In-Reply-To and References hold an 80-octet msg-id, which email.policy.SMTP writes
      RFC 2047-encoded (the id cannot fit a 78-octet line). With OCTETS, the body is padded
      to about that size (bench/milter-run sends 20 KB messages).

  e2e-message.py verify SENT DELIVERED DNS_TXT
      Checks the Maildir file: the ids are plain, the body is the body that was sent, the
      DKIM signature (which must cover In-Reply-To and References) verifies with dkimpy
      given the test key's TXT record. Prints one line per check, then "N passed, N failed".
"""
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

ID = "<PH0PR11MB4928A1B2C3D4E5F60718293A4B5C6@PH0PR11MB4928.namprd11.prod.outlook.com>"


def build(out, octets=0):
    assert len(ID) == 80
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = "App <app@example.test>"
    msg["To"] = "user@example.test"
    msg["Subject"] = "Re: quarterly numbers"
    msg["Date"] = "Thu, 26 Nov 2026 01:00:00 +0000"
    msg["Message-ID"] = "<reply.1764118800.42@example.test>"
    msg["In-Reply-To"] = ID
    msg["References"] = ID
    line = "line %d of the reply, with some text to fill it\n"
    lines = max(40, int(octets) // len(line % 1000))
    msg.set_content("Thanks, the numbers are attached below.\n\n"
                    + "".join(line % i for i in range(lines)))
    data = msg.as_bytes()
    if b"=?utf-8?q?" not in data:
        sys.exit("e2e-message.py: Python did not encode the ids; the test would prove nothing")
    with open(out, "wb") as f:
        f.write(data)


def split(data):
    """Header and body of a message whose lines end in CRLF or LF, body with CRLF."""
    data = data.replace(b"\r\n", b"\n")
    header, _, body = data.partition(b"\n\n")
    return header, body.replace(b"\n", b"\r\n")


def verify(sent_path, delivered_path, txt_path):
    import dkim  # python3-dkim; imported here so that `build` needs only the standard library

    results = []

    def check(ok, what):
        results.append(ok)
        print(("ok: " if ok else "FAILED: ") + what)

    sent = open(sent_path, "rb").read()
    delivered = open(delivered_path, "rb").read()
    msg = BytesParser(policy=policy.compat32).parsebytes(delivered)
    for name in ("In-Reply-To", "References"):
        raw = msg.get(name, "")
        check(raw.strip() == ID, "%s is the plain id (%r)" % (name, raw))
    # The transport stores lines with LF (Maildir) where SMTP carried CRLF: nothing else differs.
    check(split(sent)[1] == split(delivered)[1], "the body is byte-identical to the one sent")
    sig = msg.get("DKIM-Signature", "")
    signed = "".join(sig.split()).lower()
    check("d=example.test" in signed, "OpenDKIM signed the message")
    check("in-reply-to" in signed and "references" in signed,
          "the signature covers In-Reply-To and References")
    txt = open(txt_path).read()
    record = "".join(part for part in txt.split('"')[1::2]).encode()

    def dnsfunc(name, timeout=5):
        return record if name.startswith(b"test._domainkey.example.test") else None

    wire = delivered.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    try:
        ok = dkim.verify(wire, dnsfunc=dnsfunc)
    except dkim.DKIMException as e:
        print("dkim: %s" % e)
        ok = False
    check(ok, "the DKIM signature verifies (dkimpy, the test key's DNS record)")
    failed = results.count(False)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return failed == 0


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(*sys.argv[2:4])
    else:
        sys.exit(0 if verify(*sys.argv[2:5]) else 1)
