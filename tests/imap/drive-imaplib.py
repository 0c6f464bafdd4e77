#!/usr/bin/env python3
"""Drives an IMAP server on a pipe with imaplib and writes imaplib's debug log (Debug = 4).

usage: drive-imaplib.py LOG SCENARIO COMMAND...
  SCENARIO fake:    LOGIN, SELECT (refused until ID), an unknown command (answered with an
                    untagged BAD, then the server hangs up); the session ends on EOF
  SCENARIO dovecot: a clean session (CAPABILITY, CREATE, SELECT, APPEND with a literal, SEARCH,
                    STATUS, FETCH with a literal, ID, NOOP, LOGOUT) against a preauth server
Every wait is bounded: an alarm ends a session that would hang."""
import imaplib
import signal
import sys


def fake(m):
    m.login("user@163.com", "hunter2-secret")
    try:
        m.select("INBOX")
    except imaplib.IMAP4.error:
        pass
    try:
        m.xatom("XXX", '("name" "aaa")')
    except imaplib.IMAP4.abort:
        pass


def dovecot(m):
    m.create("Work")
    m.select("INBOX")
    m.append("INBOX", None, None, b"From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n")
    m.search(None, "ALL")
    m.status("Work", "(MESSAGES UNSEEN)")
    m.fetch("1", "(FLAGS BODY[])")
    m.xatom("ID", '("name" "emlint-test")')
    m.noop()
    m.logout()


def main():
    log, scenario, command = sys.argv[1], sys.argv[2], " ".join(sys.argv[3:])
    signal.alarm(20)
    with open(log, "w") as f:
        sys.stderr = f
        imaplib.Debug = 4
        m = imaplib.IMAP4_stream(command)
        {"fake": fake, "dovecot": dovecot}[scenario](m)


main()
