#!/usr/bin/env python3
"""peer.py: emlint's first eight rules, written the way a user would script them in Python 3.

    peer.py PATH...        PATH: an mbox file, a Maildir directory, or a single message file

Prints the number of findings per rule (stdout) and messages, bytes, seconds (stderr).

This is the benchmark's peer: what someone auditing an archive would otherwise write with the
standard library (mailbox + email). It is meant to be honest, not slow on purpose:

- mailbox.mbox / mailbox.Maildir hand out each message's bytes (get_bytes);
- email's BytesParser parses them fully, with a compat32-based policy (the fastest one in the
  stdlib; policy.default would also parse every address and date, which none of these rules
  needs). A full parse, not headersonly=True, because Content-ID is checked in every MIME part;
- line checks run over the raw bytes; the header checks read each field's raw, folded value
  (the policy below keeps it exactly as written, so physical lines can be measured).

The rules follow doc/DESIGN.md "Rules, first set", read as emlint reads them where it leaves room
(see bench/README.md). Counting is one finding per field and rule, except line-length-limit (one
per long line) and field-count (one per extra occurrence, one per missing Date or From).
"""

import argparse
import base64
import binascii
import mailbox
import os
import re
import sys
import time
from email.parser import BytesParser
from email.policy import Compat32

RULES = ["field-count", "header-line-length", "line-length-limit", "msgid-encoded-word",
         "msgid-long-domain", "msgid-missing", "msgid-syntax", "msgid-too-long"]

# Trace and signature fields added in transit: header-line-length leaves them alone. As emlint's
# defaults, which add two that Gmail writes long to doc/DESIGN.md's list: Received-SPF (a trace
# field, RFC 7208 9.1) and X-Google-DKIM-Signature.
TRACE_FIELDS = {"received", "return-path", "authentication-results", "dkim-signature",
                "x-received", "received-spf", "x-google-dkim-signature"}
TOP_MSGID_FIELDS = {"message-id": False, "in-reply-to": True, "references": True,
                    "resent-message-id": False, "original-message-id": False}   # name: is a list
SINGLE_ID_FIELDS = {"message-id", "resent-message-id"}   # msgid-long-domain looks at these
# RFC 5322 3.6: fields that may occur at most once; Date and From exactly once.
AT_MOST_ONCE = {"date", "from", "sender", "reply-to", "to", "cc", "bcc", "message-id",
                "in-reply-to", "references", "subject"}
MSGID_DOMAIN_MAX = 48


class RawPolicy(Compat32):
    """compat32, but a field's value is kept as written: the whitespace after the colon and every
    fold. Compat32 strips the leading whitespace, so a first line could not be measured."""

    def header_source_parse(self, sourcelines):
        name, value = sourcelines[0].split(":", 1)
        return name, (value + "".join(sourcelines[1:])).rstrip("\r\n")

    def header_fetch_parse(self, name, value):
        return value  # no Header objects for 8-bit values: we only measure and match


PARSER = BytesParser(policy=RawPolicy())

# ---- RFC 2047 -------------------------------------------------------------------------------------

# One whole encoded-word: charset and encoding are tokens (no especials), text has no '?' or space.
ENCODED_WORD = re.compile(r'=\?([^\x00-\x20()<>@,;:"/\[\]?.=\x7f-\uffff]+)\?([BbQq])\?'
                          r'([\x21-\x3e\x40-\x7e]*)\?=')


def decode_encoded_word(m):
    charset, enc, text = m.group(1).split("*")[0], m.group(2), m.group(3)
    try:
        if enc in "Qq":
            raw = binascii.a2b_qp(text.encode("ascii"), header=True)
        else:
            raw = base64.b64decode(text + "=" * (-len(text) % 4))
        return raw.decode(charset, "replace")
    except (LookupError, ValueError, binascii.Error):
        return m.group(0)


def decode_msgid_value(value):
    """(decoded value, encoded?) for an unfolded value: every whitespace-separated token that is a
    whole encoded-word is decoded; whitespace between two encoded-words goes (RFC 2047 6.2)."""
    if "=?" not in value:
        return value, False
    out, found, last_encoded = [], False, False
    for gap, token in re.findall(r"([ \t]*)([^ \t]*)", value):
        m = ENCODED_WORD.fullmatch(token) if token else None
        if m:
            if not last_encoded:
                out.append(gap)
            out.append(decode_encoded_word(m))
            found = last_encoded = True
        else:
            out.append(gap + token)
            last_encoded = False
    return "".join(out), found


# ---- RFC 5322 msg-id syntax ---------------------------------------------------------------------

# atext, with UTF-8 characters (RFC 6532 3.2; the value is decoded from UTF-8 when it is valid).
ATEXT = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\ud7ff\ue000-\U0010ffff]"
DOT_ATOM = rf"{ATEXT}+(?:\.{ATEXT}+)*"
# The strict form, which nearly every id has: checked with one regex, the obsolete forms below.
STRICT_ID = rf"<{DOT_ATOM}@(?:{DOT_ATOM}|\[[\x21-\x5a\x5e-\x7e]*\])>"
STRICT_SINGLE = re.compile(rf"[ \t]*({STRICT_ID})[ \t]*")
STRICT_LIST = re.compile(rf"[ \t]*(?:{STRICT_ID}[ \t]*)+")
STRICT_ID_RE = re.compile(STRICT_ID)
# Content-ID may lack the '@': Gmail writes inline images' ids as "<ii_18c3...>", and as every
# reader matches cid: URLs as strings, emlint does not report it.
STRICT_CID = re.compile(rf"[ \t]*<{DOT_ATOM}(?:@(?:{DOT_ATOM}|\[[\x21-\x5a\x5e-\x7e]*\]))?>[ \t]*")
ATEXT_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                        "!#$%&'*+-/=?^_`{|}~")


def is_atext(c):
    return c in ATEXT_ASCII or (c >= "\x80" and not "\ud800" <= c <= "\udfff")


class MsgidScanner:
    """The obsolete forms of RFC 5322 4.5.4 (CFWS inside an id, quoted id-left, comments and
    phrases between the ids of a list), for the few values the strict regex rejects."""

    def __init__(self, s, at_optional=False):
        self.s, self.pos, self.ids, self.at_optional = s, 0, [], at_optional

    def peek(self):
        return self.s[self.pos] if self.pos < len(self.s) else ""

    def skip_cfws(self):
        s = self.s
        while self.pos < len(s):
            c = s[self.pos]
            if c in " \t\r\n":
                self.pos += 1
            elif c == "(":
                depth = 0
                while True:
                    c = s[self.pos]
                    self.pos += 1
                    if c == "\\" and self.pos < len(s):
                        self.pos += 1
                    elif c == "(":
                        depth += 1
                    elif c == ")":
                        depth -= 1
                    if depth == 0 or self.pos >= len(s):
                        break
                if depth > 0:
                    raise ValueError("unterminated comment")
            else:
                return

    def quoted_string(self):
        self.pos += 1
        while self.pos < len(self.s):
            c = self.s[self.pos]
            self.pos += 1
            if c == "\\":
                self.pos += 1
            elif c == '"':
                return
        raise ValueError("unterminated quoted-string")

    def dotted(self, allow_quoted):
        while True:
            self.skip_cfws()
            if self.peek() == '"' and allow_quoted:
                self.quoted_string()
            elif self.peek() and is_atext(self.peek()):
                while self.peek() and is_atext(self.peek()):
                    self.pos += 1
            else:
                raise ValueError("bad dot-atom")
            self.skip_cfws()
            if self.peek() != ".":
                return
            self.pos += 1

    def literal(self):
        self.pos += 1
        while self.pos < len(self.s):
            c = self.s[self.pos]
            self.pos += 1
            if c == "]":
                return
            if c == "\\":
                self.pos += 1
            elif c not in " \t" and not ("\x21" <= c <= "\x7e") or c == "[":
                raise ValueError("bad domain literal")
        raise ValueError("unterminated domain literal")

    def msgid(self):
        start = self.pos
        self.pos += 1
        self.dotted(True)
        if self.peek() == ">" and self.at_optional:
            self.pos += 1
            self.ids.append((start, self.pos - 1, self.pos))  # "at": the '>', as emlint has it
            return
        if self.peek() != "@":
            raise ValueError("no @")
        at = self.pos
        self.pos += 1
        self.skip_cfws()
        if self.peek() == "[":
            self.literal()
        else:
            self.dotted(False)
        self.skip_cfws()
        if self.peek() != ">":
            raise ValueError("no closing >")
        self.pos += 1
        self.ids.append((start, at, self.pos))

    def phrase_word(self):
        c = self.peek()
        if c == '"':
            self.quoted_string()
            return True
        if c == "." or (c and is_atext(c)):
            self.pos += 1
            while self.peek() and is_atext(self.peek()):
                self.pos += 1
            return True
        return False

    def parse(self, is_list):
        while True:
            self.skip_cfws()
            if self.pos >= len(self.s):
                break
            if self.peek() == "<":
                self.msgid()
            elif not (is_list and self.phrase_word()):
                raise ValueError("unexpected character")
        if not self.ids:
            raise ValueError("no msg-id")
        if not is_list and len(self.ids) > 1:
            raise ValueError("more than one msg-id")


def parse_msgids(value, is_list, at_optional=False):
    """(ok, [(start, at, end)]) for an unfolded, decoded msg-id field value."""
    m = (STRICT_LIST if is_list else STRICT_SINGLE).fullmatch(value)
    if m:
        ids = []
        for idm in STRICT_ID_RE.finditer(value):
            ids.append((idm.start(), value.rindex("@", idm.start(), idm.end()), idm.end()))
        return True, ids
    if at_optional and STRICT_CID.fullmatch(value):
        start, end = value.index("<"), value.rindex(">") + 1
        return True, [(start, end - 1, end)]
    sc = MsgidScanner(value, at_optional)
    try:
        sc.parse(is_list)
        return True, sc.ids
    except (ValueError, IndexError):
        return False, sc.ids  # the ids read before the error still count for msgid-too-long


# ---- the rules ------------------------------------------------------------------------------------

FOLD_POINT = re.compile(r"[^ \t][ \t]")


def check_header_lines(name, value, counts):
    """header-line-length: a line over 78 octets with whitespace after a non-whitespace octet of
    the field body before octet 79 (the gap after the colon and leading whitespace do not count)."""
    if name.strip().lower() in TRACE_FIELDS or name.strip().lower().startswith("arc-"):
        return
    if len(name) + 1 + len(value) <= 78:
        return  # fast path: the whole field fits one line
    body_start = len(name) + 1
    for i, line in enumerate((name + ":" + value).split("\n")):
        line = line.rstrip("\r")
        if len(line) > 78 and FOLD_POINT.search(line, body_start if i == 0 else 0, 78):
            counts["header-line-length"] += 1
            return


def unfold(value):
    return value.replace("\r\n", "").replace("\n", "")


def octets(s):
    return len(s) if s.isascii() else len(s.encode("utf-8", "surrogateescape"))


def check_msgid_field(lname, value, is_list, counts):
    """The msg-id rules judge an encoded field by its decoded value; one defect, one finding: an
    encoded field whose decoded value is no msg-id is msgid-encoded-word's alone."""
    value = unfold(value)
    if not value.isascii():  # 8-bit octets arrive as surrogates: read them as UTF-8 if they are
        try:
            value = value.encode("ascii", "surrogateescape").decode("utf-8")
        except UnicodeDecodeError:
            pass
    decoded, encoded = decode_msgid_value(value)
    if encoded:
        counts["msgid-encoded-word"] += 1
    ok, ids = parse_msgids(decoded, is_list, at_optional=(lname == "content-id"))
    if not ok and not encoded:
        counts["msgid-syntax"] += 1
    # The ids read before a syntax error still count (e.g. the first of two in a Message-ID).
    if ids and max(octets(decoded[start:end]) for start, _, end in ids) > 250:
        counts["msgid-too-long"] += 1
    if ids and lname in SINGLE_ID_FIELDS:
        start, at, end = ids[0]
        if octets(decoded[at + 1:end - 1]) > MSGID_DOMAIN_MAX:
            counts["msgid-long-domain"] += 1


def mime_parts(part):
    """The message and its MIME parts, as emlint sees them: Python's walk() would also descend
    into message/* parts (an attached message's own header, the field blocks of a
    message/delivery-status), which are content, not headers of this message's parts."""
    yield part
    if part.is_multipart() and part.get_content_maintype() != "message":
        for sub in part.get_payload():
            yield from mime_parts(sub)


# The trace fields that make a message received mail (emlint's lint/transit.c).
RECEIVED_TRACE = {"received", "return-path", "delivered-to", "x-original-to"}


def check_message(raw, counts):
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 BOM is no part of the first field name
    # line-length-limit: every physical line (LF or CRLF), header and body.
    lines = raw.split(b"\n")
    if max(map(len, lines)) > 998:
        counts["line-length-limit"] += sum(1 for line in lines
                                           if len(line) - line.endswith(b"\r") > 998)

    msg = PARSER.parsebytes(raw)
    # header-line-length leaves received mail (a message with trace fields) alone, as emlint's
    # default does (received-line-length = false).
    received = any(k.strip().lower() in RECEIVED_TRACE for k in msg.keys())
    seen = {}
    for part in mime_parts(msg):
        top = part is msg
        for name, value in part.items():
            lname = name.strip().lower()
            if not received:
                check_header_lines(name, value, counts)
            if top:
                seen[lname] = seen.get(lname, 0) + 1
                if lname in TOP_MSGID_FIELDS:
                    check_msgid_field(lname, value, TOP_MSGID_FIELDS[lname], counts)
                    continue
            if lname == "content-id":
                check_msgid_field(lname, value, False, counts)

    if "message-id" not in seen:
        counts["msgid-missing"] += 1
    for lname in AT_MOST_ONCE:
        n = seen.get(lname, 0)
        if n > 1:
            counts["field-count"] += n - 1
    counts["field-count"] += ("date" not in seen) + ("from" not in seen)


# ---- inputs -------------------------------------------------------------------------------------

def messages(path):
    """Yields the raw bytes of every message of @path."""
    if os.path.isdir(path):
        box = mailbox.Maildir(path, factory=None, create=False)
    else:
        with open(path, "rb") as f:
            head = f.read(8)
        if not head.removeprefix(b"\xef\xbb\xbf").startswith(b"From "):
            with open(path, "rb") as f:
                yield f.read()
            return
        box = mailbox.mbox(path, factory=None, create=False)
    try:
        for key in box.iterkeys():
            yield box.get_bytes(key)
    finally:
        box.close()


def main():
    ap = argparse.ArgumentParser(description="emlint's first eight rules in Python (benchmark peer)")
    ap.add_argument("paths", nargs="+", metavar="PATH", help="mbox file, Maildir or message file")
    args = ap.parse_args()

    counts = dict.fromkeys(RULES, 0)
    n_messages = n_bytes = 0
    started = time.monotonic()
    for path in args.paths:
        for raw in messages(path):
            n_messages += 1
            n_bytes += len(raw)
            check_message(raw, counts)
    elapsed = time.monotonic() - started

    for rule in RULES:
        print(f"{rule}\t{counts[rule]}")
    print(f"messages {n_messages}, {n_bytes} bytes, {elapsed:.2f} s, "
          f"{n_bytes / 1e6 / max(elapsed, 1e-9):.1f} MB/s", file=sys.stderr)


if __name__ == "__main__":
    main()
