#!/usr/bin/env python3
"""test-docs.py: the hand-written rule lists agree with the registry (`emlint rules`).

Checks the README's rules table, the man page's RULES section and corpus/: the same rule ids,
each rule's default severity, and whether it fixes (and whether unsafely), as rules/*.c
declare them (.severity, .fixable). corpus/README.md's case tables list exactly the cases in
corpus/. Needs $EMLINT and $EMLINT_SOURCE_ROOT. Standard library only.
"""

import os
import re
import subprocess

from checks import ROOT, check, finish, read


def registry():
    out = subprocess.run([os.environ["EMLINT"], "rules"], check=True, capture_output=True,
                         text=True).stdout
    rules = {}
    for line in out.splitlines():
        rule_id, severity, fixable = line.split()[:3]
        rules[rule_id] = (severity, fixable)
    return rules


def readme_rules():
    """{id: (severity cell, fix cell)} from the README's rules tables: the message rules of
    "Rules" (whose fourth column is the fix) and the rules of "IMAP transcripts" (None: theirs
    says what a rule needs, and they never fix)."""
    text = read("README.md")
    rows = {}
    for heading, has_fix in (("\n## Rules\n", True), ("\n## IMAP transcripts\n", False)):
        if heading not in text:
            continue
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        for line in section.splitlines():
            m = re.match(r"\| `([a-z0-9-]+)` \| ([^|]+) \|(?:[^|]|\\\|)+\| ([^|]+) \| [^|]+ \|$",
                         line)
            if m:
                rows[m.group(1)] = (m.group(2).strip(), m.group(3).strip() if has_fix else None)
    return rows


def man_rules():
    """{id: (severity, text)} from the man page's RULES section (its lists of message and of
    IMAP rules)."""
    section = read("doc", "emlint.1").split("\n.Sh RULES\n", 1)[1].split("\n.Sh ", 1)[0]
    entries = {}
    for chunk in re.split(r"\n\.It Cm (?=[a-z0-9-]+ Pq )", section)[1:]:
        chunk = chunk.split("\n.El\n", 1)[0]
        head, _, text = chunk.partition("\n")
        m = re.match(r"([a-z0-9-]+) Pq (\w+)$", head)
        check(m is not None, f"man page: an entry heads '.It Cm {head}'")
        if m:
            entries[m.group(1)] = (m.group(2), text)
    return entries


def check_readme(rules):
    rows = readme_rules()
    check(set(rows) == set(rules), f"README rules table: ids {sorted(set(rows) ^ set(rules))} "
          "are in only one of the table and `emlint rules`")
    for rule_id, (severity, fix) in rows.items():
        if rule_id not in rules:
            continue
        default, fixable = rules[rule_id]
        check(severity.startswith(default), f"README: {rule_id} severity '{severity}', "
              f"registry {default}")
        if fix is None:
            kind = "none"
        else:
            kind = "none" if fix == "none" else "unsafe" if fix.startswith("unsafe") else "fix"
        check(kind == fixable, f"README: {rule_id} fix '{fix}', registry says '{fixable}'")


def check_man(rules):
    entries = man_rules()
    check(set(entries) == set(rules), f"man page RULES: ids {sorted(set(entries) ^ set(rules))} "
          "are in only one of the page and `emlint rules`")
    for rule_id, (severity, text) in entries.items():
        if rule_id not in rules:
            continue
        default, fixable = rules[rule_id]
        check(severity == default, f"man page: {rule_id} (Pq {severity}), registry {default}")
        kind = "unsafe" if "Unsafe fix" in text else "fix" if "Fix:" in text else "none"
        check(kind == fixable, f"man page: {rule_id} says fix '{kind}', registry '{fixable}'")


def subfolders(*path):
    where = os.path.join(ROOT, *path)
    return {d for d in os.listdir(where) if os.path.isdir(os.path.join(where, d))}


def check_corpus(rules):
    # Message rules in corpus/<id>/, IMAP rules in corpus/imap/<id>/ (their cases are listed
    # by corpus/imap/, not corpus/README.md).
    folders = subfolders("corpus") - {"imap"}
    imap = subfolders("corpus", "imap") if "imap" in subfolders("corpus") else set()
    check(folders | imap == set(rules), f"corpus/: folders {sorted((folders | imap) ^ set(rules))} "
          "are in only one of corpus/ and `emlint rules`")
    cases = {f"{d}/{name}" for d in folders for name in os.listdir(os.path.join(ROOT, "corpus", d))
             if re.match(r"(bad|good)-.*\.(eml|mbox)(\.gz)?$", name) and ".fixed." not in name}
    listed = set(re.findall(r"^\| `([a-z0-9-]+/[^`]+)` \|", read("corpus", "README.md"), re.M))
    check(cases == listed, f"corpus/README.md: cases {sorted(cases ^ listed)} "
          "are in only one of corpus/ and its tables")


rules = registry()
check(len(rules) > 0, "`emlint rules` lists rules")
check_readme(rules)
check_man(rules)
check_corpus(rules)
finish()
