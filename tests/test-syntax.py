#!/usr/bin/env python3
"""test-syntax.py: the header rules lex through the one syntax module (lint/lex.h).

Fails when a file of rules/ (the IMAP rules aside: they read IMAP's grammar, not a header's)
- holds a list of field names: an array with two or more names of lex.c's table of field
  names (or their prefixes, "Resent-"), or one expression that tests three or more names;
- skips comments or quoted-strings by hand: a nesting counter (depth), a loop that runs to a
  '"' or a '(', or a ')' looked for at all;
- walks header sections by hand: a loop over msg->headers, a header taken from it by index,
  or a "covered" offset that skips the fields a part header repeats.
A rule that names the one field it checks is fine, and so is a loop over one header's fields.
The checks are first run on samples of what they must and must not catch. Needs
$EMLINT_SOURCE_ROOT. Standard library only.
"""

import os
import re

from checks import ROOT, check, finish, read


def field_names():
    """The lower-case names of lex.c's table, and the stems of its prefixes ("resent-")."""
    text = read("lint", "lex.c")
    table = text.split("field_names[] = {", 1)[1].split("\n};", 1)[0]
    return {name.lower().rstrip("*") for name in re.findall(r'^\s*\{ "([^"]+)",', table, re.M)}


def strip_comments(code):
    code = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), code, flags=re.S)
    return re.sub(r"//[^\n]*", "", code)


def code_only(code):
    """@code without comments and string literals (character literals stay)."""
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', strip_comments(code))


def is_field_name(literal, names):
    return literal.lower() in names or (literal.endswith("-") and literal.lower() in names)


def problems(code, names):
    """What the checks find in the C text @code: a list of (line, why)."""
    found = []
    text = strip_comments(code)
    bare = code_only(code)

    def line_of(pos):
        return text.count("\n", 0, pos) + 1

    for m in re.finditer(r"\[\s*\]\s*=\s*\{((?:(?!\};).)*)\};", text, re.S):
        listed = [s for s in re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
                  if is_field_name(s, names)]
        if len(listed) >= 2:
            found.append((line_of(m.start()), f"a list of field names {listed[:3]}: use the "
                          "classes of lex.c's table (emlint_field_in, emlint_field_lookup)"))
    for m in re.finditer(r"[^;{}]+", bare):
        tests = len(re.findall(r"\bemlint_(?:field_is|field_has_prefix|header_find)\s*\(",
                               m.group(0)))
        if tests >= 3:
            found.append((line_of(m.start()), f"{tests} field names tested in one expression: "
                          "a class of lex.c's table"))
    hand = [
        (r"\bdepth\s*(?:\+\+|--|[+-]=)|(?:\+\+|--)\s*depth\b",
         "a comment nesting counter: emlint_comment_end, emlint_skip_cfws"),
        (r"\b(?:for|while)\s*\([^\n]*!=\s*'\"'",
         "a loop to a '\"': emlint_quoted_string_end"),
        (r"\b(?:for|while)\s*\([^\n]*!=\s*'\('",
         "a loop to a '(': emlint_skip_cfws, or memchr"),
        (r"'\)'", "a ')' looked for: emlint_comment_end"),
        (r"\b(?:for|while)\s*\([^\n]*headers->len",
         "a loop over msg->headers: emlint_next_header, emlint_fields_once"),
        (r"g_ptr_array_index\s*\(\s*(?:ctx->)?msg->headers",
         "a header taken by index: emlint_next_header, emlint_fields_once"),
        (r"\bcovered\b", "repeated fields skipped by hand: emlint_fields_once, "
         "emlint_next_header"),
    ]
    for pattern, why in hand:
        for m in re.finditer(pattern, bare):
            found.append((line_of(m.start()), why))
    return sorted(found)


def self_test(names):
    """The checks catch what they are for, and pass what a rule may do."""
    caught = {
        "field list": 'static const char *const names[] = {\n  "From", "Sender",\n};\n',
        "struct field list": 'static const Counted counted[] = {\n  { "Date", TRUE },\n'
                             '  { "In-Reply-To", FALSE },\n};\n',
        "tests chained": 'if (emlint_field_is (msg, f, "To") || emlint_field_is (msg, f, "Cc")\n'
                         '    || emlint_field_has_prefix (msg, f, "Resent-"))\n  n++;\n',
        "comment loop": "for (p++; p < len && depth > 0; p++)\n  if (s[p] == '(')\n"
                        "    depth++;\n",
        "quoted loop": "for (p++; p < len && s[p] != '\"'; p++)\n  ;\n",
        "comment end": "else if (c == ')')\n  n--;\n",
        "header loop": "for (guint h = 0; h < msg->headers->len; h++)\n  f (h);\n",
        "header index": "const EmlintHeader *header = g_ptr_array_index (msg->headers, h);\n",
        "repeated fields": "if (ref.field->start < covered)\n  continue;\n",
    }
    passes = {
        "one field": 'if (!emlint_field_is (msg, f, "Date"))\n  return;\n',
        "two in a message": 'report ("%s", resent ? "Resent-Date" : "Date");\n',
        "words list": 'static const char *const days[] = {\n  "Mon", "Tue", "Wed",\n};\n',
        "a header's fields": "for (guint i = 0; i < top->fields->len; i++)\n  f (i);\n",
        "a comment's text": '/* a ")" in a comment, depth++ and msg->headers->len */\nx = 1;\n',
        "a string": 'g_print ("(depth++) \')\' covered");\n',
    }
    for what, code in caught.items():
        check(problems(code, names), f"the guard catches a {what}: {code!r}")
    for what, code in passes.items():
        found = problems(code, names)
        check(not found, f"the guard passes {what}: {code!r} gave {found}")


names = field_names()
check(len(names) > 50 and {"from", "message-id", "list-", "resent-"} <= names,
      f"lex.c's table of field names is read ({len(names)} names)")
self_test(names)
rules = sorted(f for f in os.listdir(os.path.join(ROOT, "rules"))
               if f.endswith(".c") and not f.startswith("imap-"))
check(len(rules) > 20, f"rules/ holds the rules ({len(rules)} files)")
for name in rules:
    found = problems(read("rules", name), names)
    check(not found, f"rules/{name}: " + "; ".join(f"line {n}: {why}" for n, why in found))
finish()
