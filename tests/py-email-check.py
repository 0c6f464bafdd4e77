#!/usr/bin/env python3
"""py-email-check.py: a real client's view of emlint's fixes (doc/DESIGN.md "Fix invariants" 4).

Reads pairs of (original, fixed) message files with Python's email package (policy.default,
which decodes RFC 2047 words) and checks that Message-ID, In-Reply-To, References,
Resent-Message-ID and the Content-ID of every part read the same before and after, decoded and
whitespace-normalised.

    py-email-check.py [--domain D] ORIGINAL FIXED [ORIGINAL FIXED ...]
    py-email-check.py [--domain D] --pairs FILE

FILE has one pair a line, tab-separated: a label, the original, the fixed file, and the fields
to which the fix gave a new msg-id ("Message-ID,Resent-Message-ID", or "-"): those are not
compared but must hold one valid msg-id on --domain. Exits 1 naming every pair that differs.
Standard library only.
"""

import argparse
import email
import email.policy
import re
import sys

FIELDS = ("Message-ID", "In-Reply-To", "References", "Resent-Message-ID")
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
DOT_ATOM = ATEXT + r"(?:\." + ATEXT + r")*"


def normalise(value):
    return " ".join(str(value).split())


def read(path):
    """The message; a leading UTF-8 BOM, which emlint (doc/DESIGN.md) and many files carry but
    Python would take for the start of the body, is left out."""
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return email.message_from_bytes(data, policy=email.policy.default)


def field_values(msg, name):
    """Every occurrence of @name, decoded; a parse error reads as the error's type."""
    try:
        return [normalise(v) for v in (msg.get_all(name) or [])]
    except Exception as e:  # a client that cannot read it reads it the same way twice
        return ["<error %s>" % type(e).__name__]


def content_ids(msg):
    ids = []
    try:
        for part in msg.walk():
            ids.append(field_values(part, "Content-ID"))
    except Exception as e:
        ids.append(["<error %s>" % type(e).__name__])
    return ids


def is_new_id(values, domain):
    pattern = r"<" + DOT_ATOM + r"@" + re.escape(domain) + r">"
    return len(values) == 1 and re.fullmatch(pattern, values[0]) is not None


def compare(label, original, fixed, new_ids, domain):
    """Returns a list of what differs, each a line naming the pair."""
    before, after = read(original), read(fixed)
    problems = []
    for name in FIELDS:
        a, b = field_values(before, name), field_values(after, name)
        # A header Python cannot read at all (obsolete syntax on its first line) hides a new
        # field as much as every other one.
        if name.lower() in new_ids and not after.keys():
            continue
        if name.lower() in new_ids:
            if not is_new_id(b, domain or ""):
                problems.append("%s: %s is not one new msg-id on %s: %r"
                                % (label, name, domain, b))
        elif a != b:
            problems.append("%s: %s reads %r before and %r after" % (label, name, a, b))
    a, b = content_ids(before), content_ids(after)
    if a != b:
        problems.append("%s: Content-ID of the parts reads %r before and %r after"
                        % (label, a, b))
    return problems


def read_pairs(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4:
                raise SystemExit("%s: bad line %r" % (path, line))
            new = set() if cols[3] == "-" else {n.lower() for n in cols[3].split(",")}
            yield cols[0], cols[1], cols[2], new


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domain", help="the domain of new msg-ids")
    parser.add_argument("--pairs", help="a file of tab-separated pairs")
    parser.add_argument("files", nargs="*", help="ORIGINAL FIXED ...")
    args = parser.parse_args()
    if len(args.files) % 2 != 0:
        parser.error("files come in pairs: ORIGINAL FIXED")
    pairs = [(args.files[i + 1], args.files[i], args.files[i + 1], set())
             for i in range(0, len(args.files), 2)]
    if args.pairs:
        pairs.extend(read_pairs(args.pairs))
    problems = []
    for label, original, fixed, new_ids in pairs:
        problems.extend(compare(label, original, fixed, new_ids, args.domain))
    for p in problems:
        print(p)
    print("py-email-check: %d pairs, %d differences" % (len(pairs), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
