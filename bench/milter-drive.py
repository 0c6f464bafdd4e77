#!/usr/bin/python3
"""milter-drive.py: drives emlint-milter directly over the milter protocol (version 6), as an
MTA would, and reports how many messages it judged per second of the milter's own CPU time.

  milter-drive.py --port PORT --pid PID --messages N (--mbox FILE | --message FILE)

One connection; for each message: its queue id (macro {i}), its header fields (the milter asks
for no reply per field, SMFIP_NR_HDR, and no body), end of message, then the milter's edits and
its verdict. --mbox takes the header sections of the messages of an mbox (bench/gen-corpus.py)
in turn; --message sends one message's header every time: bench/milter-run gives it the reply
Python 3.11 writes with encoded ids (milter/tests/e2e-message.py), which the milter repairs
(two smfi_chgheader each: the worst common case). The milter's CPU time is read from
/proc/PID/stat before and after, so the figure is per core and does not count this client.
Prints one line: messages, wall seconds, milter CPU seconds, messages/s per core, edits.
"""
import argparse
import mailbox
import os
import socket
import struct
import sys
import time

SMFIC_OPTNEG, SMFIC_MACRO, SMFIC_HEADER, SMFIC_BODYEOB, SMFIC_QUIT = b"O", b"D", b"L", b"E", b"Q"
FINAL = {b"c": "continue", b"a": "accept", b"r": "reject", b"t": "tempfail", b"y": "reply",
         b"d": "discard"}
EDITS = {b"h": "add", b"m": "change", b"i": "insert"}

def packet(cmd, data=b""):
    return struct.pack(">I", len(data) + 1) + cmd + data


def read_packet(sock):
    head = recv_exact(sock, 4)
    (n,) = struct.unpack(">I", head)
    body = recv_exact(sock, n)
    return body[:1], body[1:]


def recv_exact(sock, n):
    out = bytearray()
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise SystemExit("milter-drive.py: the milter closed the connection")
        out += chunk
    return bytes(out)


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fields_of(header):
    """(name, value) pairs as an MTA passes them: value with its leading space, folds as \\n."""
    out = []
    for line in header.replace(b"\r\n", b"\n").split(b"\n"):
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and out:
            out[-1][1] += b"\n" + line
        elif b":" in line:
            name, value = line.split(b":", 1)
            out.append([name, value])
    return [(n, v) for n, v in out]


def file_fields(path):
    return fields_of(open(path, "rb").read().replace(b"\r\n", b"\n").split(b"\n\n", 1)[0])


def mbox_headers(path, limit):
    out = []
    for msg in mailbox.mbox(path, create=False):
        data = msg.as_bytes()
        out.append(fields_of(data.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]))
        if len(out) >= limit:
            break
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--messages", type=int, default=20000)
    ap.add_argument("--mbox")
    ap.add_argument("--message", help="send this one message every time")
    args = ap.parse_args()
    headers = [file_fields(args.message)] if args.message else mbox_headers(args.mbox, args.messages)
    # Every message as bytes ready to send: the macro, the fields, end of message.
    wire = []
    for i, fields in enumerate(headers):
        parts = [packet(SMFIC_MACRO, b"E" + b"i\0Q%08d\0" % i)]
        parts += [packet(SMFIC_HEADER, n + b"\0" + v + b"\0") for n, v in fields]
        parts.append(packet(SMFIC_BODYEOB))
        wire.append(b"".join(parts))

    sock = socket.create_connection(("127.0.0.1", args.port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # Offer version 6, every action, every protocol step (the milter picks what it needs).
    sock.sendall(packet(SMFIC_OPTNEG, struct.pack(">III", 6, 0x1FF, 0x1FFFFF)))
    cmd, data = read_packet(sock)
    _, _, steps = struct.unpack(">III", data[:12])
    if not steps & 0x80:   # SMFIP_NR_HDR
        sys.exit("milter-drive.py: the milter did not ask for SMFIP_NR_HDR; this driver needs it")

    verdicts, edits = {}, 0
    cpu0, t0 = cpu_seconds(args.pid), time.monotonic()
    for i in range(args.messages):
        sock.sendall(wire[i % len(wire)])
        while True:
            cmd, _ = read_packet(sock)
            if cmd in EDITS:
                edits += 1
            elif cmd in FINAL:
                verdicts[FINAL[cmd]] = verdicts.get(FINAL[cmd], 0) + 1
                break
    wall, cpu = time.monotonic() - t0, cpu_seconds(args.pid) - cpu0
    sock.sendall(packet(SMFIC_QUIT))
    sock.close()
    print("messages=%d wall=%.2fs milter_cpu=%.2fs per_core=%.0f/s edits=%d verdicts=%s"
          % (args.messages, wall, cpu, args.messages / cpu if cpu else float("inf"), edits,
             ",".join("%s:%d" % kv for kv in sorted(verdicts.items()))))


if __name__ == "__main__":
    main()
