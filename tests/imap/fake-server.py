#!/usr/bin/env python3
"""An IMAP server on stdin/stdout that has two providers' faults (emlint's tests/test-imap-live.sh).

It advertises ID and refuses SELECT/EXAMINE with NO until the client sends ID, as NetEase
(163.com, 126.com) does, and it answers a command it does not know with an untagged
"* BAD Command!" and nothing tagged, as QQ Mail does; then it waits a moment and hangs up, as
QQ drops the connection (here after a second, not minutes). No network: pipes only."""
import sys
import time

out = sys.stdout.buffer
inp = sys.stdin.buffer


def send(line):
    out.write(line.encode() + b"\r\n")
    out.flush()


def main():
    id_sent = False
    send("* OK [CAPABILITY IMAP4rev1 ID AUTH=PLAIN] fake provider ready")
    for raw in inp:
        words = raw.decode("utf-8", "replace").rstrip("\r\n").split(" ")
        tag, name = words[0], (words[1].upper() if len(words) > 1 else "")
        if name == "CAPABILITY":
            send("* CAPABILITY IMAP4rev1 ID AUTH=PLAIN")
            send(tag + " OK CAPABILITY completed")
        elif name == "LOGIN":
            send(tag + " OK LOGIN completed")
        elif name == "ID":
            id_sent = True
            send('* ID ("name" "fake")')
            send(tag + " OK ID completed")
        elif name in ("SELECT", "EXAMINE") and not id_sent:
            send(tag + " NO SELECT Unsafe Login. Please contact kefu@188.com for help")
        elif name in ("SELECT", "EXAMINE"):
            send("* 0 EXISTS")
            send(tag + " OK [READ-WRITE] SELECT completed")
        elif name == "NOOP":
            send(tag + " OK NOOP completed")
        elif name == "LOGOUT":
            send("* BYE bye")
            send(tag + " OK LOGOUT completed")
            return
        else:
            send("* BAD Command!")
            time.sleep(1)
            return


main()
