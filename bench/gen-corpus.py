#!/usr/bin/env python3
"""gen-corpus.py: a seeded generator of a realistic mail corpus for the emlint benchmark.

    gen-corpus.py [--seed N] [--size 1G] [--mbox OUT] [--maildir DIR]
    gen-corpus.py [--seed N] [--scale F] --pathological KIND OUT

The corpus mode writes the same messages as one mbox and/or as a Maildir (both in one pass when
both are given). Messages average ~20 KB with ~3.5 KB of header: Received chains, DKIM and ARC
signatures, Authentication-Results, folded References, RFC 2047 Subjects and display names,
multipart/alternative and multipart/mixed bodies with base64 attachments. A small share carries
the defects emlint looks for, at rates seen in real archives:

    ~2%   Message-ID on a machine host name (Heroku dyno: a UUID plus five labels)
    ~1%   a msg-id field RFC 2047-encoded, as Python's email package writes it
    ~2.5% a non-trace header line over 78 octets with a fold point (an unfolded Subject, a
          long X- field)
    ~0.7% an HTML part on one line over 998 octets
    a few missing Date or Message-ID, duplicated Subject, unbracketed or oversized msg-ids

Ordinary Gmail and Exchange Online mail is reproduced as those services write it, including what
is legal but looks odd (80-octet Message-ID lines, 78-85-octet Exchange ids, a 200-octet
X-Forefront-Antispam-Report line without whitespace, Gmail's one-line Received-SPF).

Speed: 1 GB (mbox and Maildir) in about 25 s. Everything costly (bodies, HTML, base64 attachments, encoded
Subjects) is built once into pools; a message is assembled from pool pieces plus fresh headers.
Only Python 3.11 stdlib; the output depends on --seed alone (one random.Random drives it all).
"""

import argparse
import base64
import os
import quopri
import random
import re
import sys
import time

# ---- vocabulary ---------------------------------------------------------------------------------

WORDS = """
the of and to in is that for it as was with be by on not he this are or his from at which but have
an they you were her she there been one all we their has would when if so no will more can who
out its about said up some what them into than time only could new these two may first then do
any like my now over such our man me even most made after also did many before must through back
years where much your way well down should because each just those people how too little state
good very make world still own see men work long get here between both life being under never day
same another know while last might us great old year off come since against go came right used
take three report budget project meeting schedule review release server deployment invoice order
customer account update change request ticket issue patch version build test results quarter
design draft proposal agreement contract shipment delivery payment receipt support team please
thanks regards attached document spreadsheet presentation numbers figures deadline tomorrow
monday friday week month morning afternoon office remote call agenda notes summary follow
question answer feedback comments approval sign final revised latest database migration backup
""".split()

OPENERS = ["Hi {f},", "Hello {f},", "Dear {f},", "Hey {f},", "Good morning {f},", "{f},",
           "Hi all,", "Hello team,"]
CLOSERS = ["Thanks,", "Best regards,", "Regards,", "Cheers,", "Kind regards,", "Best,", "Thank you,"]
# Sentences that put a line starting with "From " into a body: the mbox writer must escape them.
FROM_SENTENCES = ["From what I can see the numbers are fine.",
                  "From the logs it looks like the job never started.",
                  "From my side everything is ready for the release."]

FIRST = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Lisa Matthew Nancy Anthony Betty
Mark Sandra Paul Ashley Steven Emily Andrew Donna Kevin Michelle Brian Carol George Amanda Timothy
Melissa Ronald Deborah Jason Stephanie Ryan Rebecca Jacob Laura Gary Sharon Nicholas Cynthia Eric
Kathleen Jonathan Amy Stephen Angela Larry Shirley Justin Anna Scott Brenda Brandon Pamela""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez
Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green
Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts""".split()
# Names that need RFC 2047 in a display name.
INTL_NAMES = ["José Müller", "Zoë Çelik", "Søren Østergaard", "Łukasz Wójcik", "François Lefèvre",
              "Ana María Núñez", "Jürgen Groß", "Björk Guðmundsdóttir", "田中 太郎", "Иван Петров",
              "Αλέξανδρος Παππάς", "Çağla Yıldız", "Dvořák Antonín", "Renée Gagné"]
INTL_WORDS = ["réunion", "résultats", "prochaines", "étapes", "Überprüfung", "Bestätigung",
              "Grüße", "presupuesto", "año", "reunião", "próxima", "会議", "資料", "確認", "отчёт",
              "встреча", "προσφορά", "ödeme", "fiyat", "Møde", "kvartalsrapport", "naïve", "café"]

DOMAINS = ["example.com", "example.org", "example.net", "contoso.com", "fabrikam.com",
           "northwind.example", "acme-corp.example", "globex.example", "initech.example",
           "umbrella.example", "hooli.example", "piedpiper.example", "wayne-ent.example",
           "stark-industries.example", "cyberdyne.example", "tyrell.example", "soylent.example"]
LISTS = ["dev", "announce", "users", "general", "security", "infra", "release", "discuss"]
EXCHANGE_REGIONS = ["eurprd04", "eurprd05", "eurprd08", "namprd11", "namprd12", "namprd04",
                    "apcprd06", "gbrprd01", "ausprd01", "jpnprd01"]
EXCHANGE_PREFIX = ["AM0PR04", "DB9PR05", "PAXPR08", "SN6PR11", "DM6PR12", "BN0PR04", "SEZPR06",
                   "LO2P265", "SY4PR01", "OS3PR01", "VI1PR04", "AS8PR08", "CH3PR12", "MW4PR11"]
FILES = [("application/pdf", "pdf", ["invoice", "report", "contract", "statement", "slides"]),
         ("image/png", "png", ["screenshot", "image001", "diagram", "chart"]),
         ("image/jpeg", "jpg", ["photo", "IMG_2041", "scan", "receipt"]),
         ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
          ["budget", "figures", "Q3 numbers", "timesheet"]),
         ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
          ["proposal", "minutes", "draft agreement", "notes"]),
         ("application/zip", "zip", ["logs", "export", "archive"]),
         ("text/calendar", "ics", ["invite"])]

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ZONES = [0, 0, 60, 120, -300, -240, -420, -480, 330, 540, 600, -180, 480]   # minutes east of UTC

GMAIL_ID_CHARS = str.maketrans("/", "_")
QP_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-!*+/")

T0 = 1672531200  # 2023-01-01T00:00:00Z: the archive starts here


def parse_size(text):
    """'100M', '1G', '1.5G', '20000' -> bytes (powers of 1024, like dd and head)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)[iI]?[bB]?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {text!r} (use e.g. 20M, 1G)")
    mult = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[m.group(2).lower()]
    return int(float(m.group(1)) * mult)


def rfc5322_date(ts, zone_min):
    t = time.gmtime(ts + zone_min * 60)
    sign = "+" if zone_min >= 0 else "-"
    z = abs(zone_min)
    return (f"{DAYS[t.tm_wday]}, {t.tm_mday} {MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {sign}{z // 60:02d}{z % 60:02d}")


def fold_date(date):
    """'Mon, 1 Jan 2024 09:12:34 +0000' folded before the time, as Exchange and Gmail trace
    fields do: 'Mon, 1 Jan 2024\n 09:12:34 +0000'."""
    day, clock, zone = date.rsplit(" ", 2)
    return f"{day}\n {clock} {zone}"


def asctime_utc(ts):
    t = time.gmtime(ts)
    return (f"{DAYS[t.tm_wday]} {MONTHS[t.tm_mon - 1]} {t.tm_mday:2d} "
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} {t.tm_year}")


# ---- RFC 2047 and folding --------------------------------------------------------------------

def q_encode_words(text, charset="utf-8", first_room=78):
    """RFC 2047 Q-encoding split into encoded-words the way Python's email package folds them: each
    line (the first one shares its room with the field name) stays within 78 octets."""
    units = []
    for b in text.encode("utf-8"):
        if b == 0x20:
            units.append("_")
        elif b in QP_SAFE:
            units.append(chr(b))
        else:
            units.append(f"={b:02X}")
    head, tail = f"=?{charset}?q?", "?="
    words, cur, room = [], head, first_room
    for u in units:
        if len(cur) + len(u) + len(tail) > room:
            words.append(cur + tail)
            cur, room = head, 78 - 1  # continuation lines start with one space
        cur += u
    words.append(cur + tail)
    return words


def b_encode_words(text, charset="UTF-8", first_room=77):
    """RFC 2047 B-encoding, never splitting a character between two encoded-words; the first word
    fits @first_room octets, the others a continuation line (77 after the folding whitespace)."""
    words, chunk = [], ""
    room = (first_room - len(charset) - 7) // 4 * 3  # raw bytes that fit one word
    for ch in text:
        if len((chunk + ch).encode("utf-8")) > room:
            words.append(chunk)
            chunk = ""
            room = (77 - len(charset) - 7) // 4 * 3
        chunk += ch
    words.append(chunk)
    return [f"=?{charset}?B?{base64.b64encode(w.encode()).decode()}?=" for w in words if w]


def fold_tokens(name, tokens, sep=" ", indent=" ", width=78):
    """'Name: t1 t2' greedily filled to @width, folding between tokens (a token longer than a line
    stands alone on its line, as every mailer does with long msg-ids)."""
    out = f"{name}:"
    line_len = len(out)
    for i, tok in enumerate(tokens):
        piece = (" " if i == 0 else sep) + tok
        if i > 0 and line_len + len(piece) > width:
            out += sep.rstrip() + "\n" + indent + tok
            line_len = len(indent) + len(tok)
        else:
            out += piece
            line_len += len(piece)
    return out + "\n"


def address_tokens(addrs):
    """Fold points of an address list: between addresses, and between the words of a display name
    and its <address> (a quoted display name stays whole)."""
    tokens = []
    for i, a in enumerate(addrs):
        disp, _, addr = a.rpartition(" ")
        tokens += ([disp] if disp.startswith('"') else disp.split(" ")) if disp else []
        tokens.append(addr + ("," if i < len(addrs) - 1 else ""))
    return tokens


def fold_blob(prefix, blob, first, cont, indent):
    """A base64 signature value cut into fixed-width pieces (DKIM allows FWS anywhere in b=)."""
    parts = [blob[:first]] + [blob[i:i + cont] for i in range(first, len(blob), cont)]
    return prefix + ("\n" + indent).join(p for p in parts if p)


# ---- the generator -------------------------------------------------------------------------------

# The slice of the defect draw in message() that the rare header defects use.
DEFECT_SLICE = 0.039


class Corpus:
    def __init__(self, seed, defect_rate=None):
        self.rng = random.Random(seed)
        # None: the realistic rates of the module docstring. A number: that share of the messages
        # gets one header defect each (drawn evenly from the rare defects and an encoded
        # In-Reply-To), the rest none, so a findings-heavy corpus (1.0) can be set against a clean
        # one (0.0) of the same messages otherwise.
        self.defect_rate = defect_rate
        self.threads = []        # [list of msg-ids] of recent conversations, for References
        self.serial = 0
        self._build_pools()

    # -- pools: built once, reused with variation --------------------------------------------------

    def _sentence(self):
        r = self.rng
        words = r.choices(WORDS, k=r.randint(6, 18))
        if r.random() < 0.08:
            words[r.randrange(len(words))] = r.choice(INTL_WORDS)
        s = " ".join(words)
        return s[0].upper() + s[1:] + r.choice(".....?!")

    def _paragraph(self):
        r = self.rng
        sents = [self._sentence() for _ in range(r.randint(1, 6))]
        if r.random() < 0.04:
            sents.insert(0, r.choice(FROM_SENTENCES))
        return " ".join(sents)

    @staticmethod
    def _wrap(text, width=72):
        lines, cur = [], ""
        for w in text.split(" "):
            if cur and len(cur) + 1 + len(w) > width:
                lines.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        lines.append(cur)
        return "\n".join(lines)

    def _build_pools(self):
        r = self.rng
        # Plain-text bodies: greeting, paragraphs, signature, sometimes a quoted earlier message.
        self.texts = []
        for _ in range(400):
            paras = [self._paragraph() for _ in range(int(r.expovariate(1 / 4)) + 1)]
            body = [r.choice(OPENERS).format(f=r.choice(FIRST)), ""]
            for p in paras:
                body += [self._wrap(p), ""]
            body += [r.choice(CLOSERS), r.choice(FIRST), ""]
            if r.random() < 0.5:
                quoted = [self._wrap(self._paragraph(), 70) for _ in range(r.randint(1, 8))]
                body.append(f"On {rfc5322_date(T0 + r.randrange(10**7), 0)}, "
                            f"{r.choice(FIRST)} {r.choice(LAST)} wrote:")
                for q in quoted:
                    body += ["> " + line for line in q.split("\n")] + [">"]
            text = "\n".join(body) + "\n"
            self.texts.append((text, paras))
        # HTML bodies (as quoted-printable, the way Gmail and Outlook send them).
        self.htmls = []
        for text, paras in self.texts:
            outlook = r.random() < 0.4
            head = ""
            if outlook:  # Outlook's HTML carries a large style block
                rules = "".join(f"p.MsoNormal{i}, li.MsoNormal{i}, div.MsoNormal{i}\n"
                                f"\t{{margin:0cm;font-size:11.0pt;font-family:\"Calibri\",sans-serif;}}\n"
                                for i in range(r.randint(10, 40)))
                head = (f"<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n"
                        f"<style><!--\n{rules}--></style>\n</head>\n")
            ps = "".join(f"<p class=\"MsoNormal\">{p}</p>\n" if outlook else f"<div>{p}</div>\n"
                         for p in paras)
            html = f"<html>\n{head}<body>\n<div dir=\"ltr\">\n{ps}</div>\n</body>\n</html>\n"
            qp = quopri.encodestring(html.encode("utf-8"))
            self.htmls.append(qp)
        self.texts_bytes = []
        for text, _ in self.texts:
            raw = text.encode("utf-8")
            if raw.isascii():
                self.texts_bytes.append((b"7bit", raw))
            elif r.random() < 0.5:
                self.texts_bytes.append((b"8bit", raw))
            else:
                self.texts_bytes.append((b"quoted-printable", quopri.encodestring(raw)))
        # One-line HTML, as some marketing tools send it: the line-length-limit defect.
        self.oneline_htmls = []
        for _ in range(20):
            cells = "".join(f"<td style=\"padding:8px;font-family:Arial,sans-serif;color:#333333\">"
                            f"{self._sentence()}</td>" for _ in range(r.randint(8, 40)))
            self.oneline_htmls.append(f"<html><body><table><tr>{cells}</tr></table></body></html>\n"
                                      .encode())
        # Base64 attachment pool: 76-column lines sliced out of one random blob.
        blob = base64.encodebytes(r.randbytes(3 << 20))  # 76-char lines, each with "\n"
        self.b64 = blob
        self.b64_lines = len(blob) // 77
        # Subjects, with their header lines pre-folded (plain, RFC 2047 B, RFC 2047 Q).
        self.subjects = []
        for _ in range(600):
            words = r.choices(WORDS, k=r.randint(2, 12))
            kind = r.random()
            if kind < 0.4:
                for _ in range(r.randint(1, 3)):
                    words[r.randrange(len(words))] = r.choice(INTL_WORDS)
            text = " ".join(words)
            text = text[0].upper() + text[1:]
            if r.random() < 0.3:
                text = r.choice(["Re: ", "RE: ", "Fwd: ", "AW: ", "TR: "]) + text
            self.subjects.append(text)
        self.subject_lines = {}

    def subject_field(self, name, text):
        """Folded Subject (or Thread-Topic) line for @text, memoised: subjects come from a pool."""
        key = (name, text)
        line = self.subject_lines.get(key)
        if line is None:
            if text.isascii():
                line = fold_tokens(name, text.split(" "))
            elif len(text) % 3:  # a stable choice per subject between B and Q, like mixed mailers
                line = fold_tokens(name, b_encode_words(text, first_room=78 - len(name) - 2),
                                   indent="\t")
            else:
                line = fold_tokens(name, q_encode_words(text, first_room=78 - len(name) - 2))
            self.subject_lines[key] = line
        return line

    # -- small random pieces -----------------------------------------------------------------------

    def hexs(self, n):
        return f"{self.rng.getrandbits(n * 4):0{n}x}"

    def b64s(self, n):
        return base64.b64encode(self.rng.randbytes(n * 3 // 4 + 3)).decode()[:n]

    def uuid(self):
        h = self.hexs(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def ip(self):
        r = self.rng
        return f"{r.choice([209, 40, 52, 198, 203, 185])}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"

    def ip6(self):
        r = self.rng
        return f"2603:10a6:{r.randrange(16**3):x}:{r.randrange(16**3):x}::{r.randrange(16**2):x}"

    def person(self, domain=None):
        r = self.rng
        if r.random() < 0.1:
            name = r.choice(INTL_NAMES)
            local = "user" + str(r.randrange(1000))
        else:
            f, l = r.choice(FIRST), r.choice(LAST)
            name = f"{f} {l}"
            local = r.choice([f"{f}.{l}", f"{f[0]}{l}", f"{f}"]).lower()
        domain = domain or r.choice(DOMAINS)
        addr = f"{local}@{domain}"
        if name.isascii():
            disp = f'"{l}, {f}"' if r.random() < 0.15 else name
        elif r.random() < 0.5:
            disp = " ".join(b_encode_words(name, first_room=70))
        else:
            disp = " ".join(q_encode_words(name, first_room=70))
        return f"{disp} <{addr}>", addr

    def exchange_host(self):
        r = self.rng
        return f"{r.choice(EXCHANGE_PREFIX)}MB{r.randrange(1000, 10000)}", r.choice(EXCHANGE_REGIONS)

    # -- msg-ids, as the common generators make them ----------------------------------------------

    def id_gmail(self):
        # "CA" + base64-ish: 68 octets with brackets, an 80-octet Message-ID line.
        return f"<CA{self.b64s(2).upper()}{self.b64s(47).translate(GMAIL_ID_CHARS)}@mail.gmail.com>"

    def id_exchange(self):
        # 78-85 octets, id-right of 39 (outlook.com) or 44 (exchangelabs.com) octets.
        host, region = self.exchange_host()
        right = f"{host}.{region}.prod.outlook.com"
        if self.rng.random() < 0.1:
            right = f"{host}.{region}.prod.exchangelabs.com"
        left = host + self.hexs(self.rng.randint(75 - len(host) - len(right),
                                                  82 - len(host) - len(right))).upper()
        return f"<{left}@{right}>"

    def id_generic(self):
        r = self.rng
        k = r.random()
        d = r.choice(DOMAINS)
        if k < 0.3:
            return f"<{self.uuid()}@{d}>"                                   # Thunderbird
        if k < 0.45:
            return f"<{self.uuid().upper()}@{d}>"                           # Apple Mail
        if k < 0.6:                                                         # git send-email
            return f"<2024{r.randrange(10**10):010d}.{r.randrange(10**5)}-1-user@{d}>"
        if k < 0.75:                                                        # Amazon SES
            return (f"<0100018c{self.hexs(8)}-{self.uuid()}-000000@email.amazonses.com>")
        if k < 0.9:                                                         # make_msgid(), short host
            return (f"<{T0 + r.randrange(10**8)}{r.randrange(100)}.{r.randrange(1, 99)}."
                    f"{r.getrandbits(63)}@web-{r.randrange(10)}.{d}>")
        return f"<{self.hexs(16)}.{self.hexs(8)}@mx.{d}>"

    def id_heroku(self):
        # Python's make_msgid() on a Heroku dyno: id-right is a UUID plus five labels (58 octets).
        r = self.rng
        return (f"<{T0 + r.randrange(10**8)}{r.randrange(100):02d}.{r.randint(2, 9)}."
                f"{r.getrandbits(64)}@{self.uuid()}.prvt.dyno.rt.heroku.com>")

    def some_id(self):
        k = self.rng.random()
        if k < 0.4:
            return self.id_gmail()
        if k < 0.7:
            return self.id_exchange()
        if k < 0.98:
            return self.id_generic()
        return self.id_heroku()

    # -- header blocks -----------------------------------------------------------------------------

    def dkim(self, name, d, sel, ts, h, indent="        "):
        bh = self.b64s(43) + "="
        b = self.b64s(342) + "=="
        return (f"{name}: v=1; a=rsa-sha256; c=relaxed/relaxed;\n{indent}d={d}; s={sel}; t={ts};\n"
                f"{indent}h={h};\n{indent}bh={bh};\n"
                + fold_blob(f"{indent}b=", b, 68, 68, indent + " ") + "\n")

    def trace_gmail(self, env, rcpt, sdom, ts, date):
        """What Gmail's MX puts on top of an incoming message."""
        r = self.rng
        host = f"mail-{r.choice(['sor', 'ej1', 'pl1', 'lf1', 'wr1'])}-f{r.randrange(200)}.{sdom}"
        ip = self.ip()
        spf = (f"pass (google.com: domain of {env} designates {ip} as permitted sender) "
               f"smtp.mailfrom={env}")
        ar = (f"mx.google.com;\n       dkim=pass header.i=@{sdom} header.s=s{r.randrange(9)} "
              f"header.b={self.b64s(8)};\n       spf={spf};\n"
              f"       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from={sdom}")
        aseal = fold_blob("ARC-Seal: i=1; a=rsa-sha256; t=%d; cv=none;\n        d=google.com; "
                          "s=arc-20160816;\n        b=" % ts, self.b64s(342) + "==", 66, 70,
                          "         ")
        ams = ("ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; "
               "s=arc-20160816;\n        h=to:subject:message-id:date:from:mime-version"
               ":dkim-signature;\n        bh=" + self.b64s(43) + "=;\n"
               + fold_blob("        b=", self.b64s(342) + "==", 66, 70, "         ") + "\n")
        return "".join([
            f"Delivered-To: {rcpt}\n",
            f"Received: by 2002:a05:{self.hexs(4)}:{self.hexs(3)}:b0:{self.hexs(3)}:{self.hexs(4)}:"
            f"{self.hexs(4)} with SMTP id {self.hexs(3)}csp{r.randrange(10**7)};\n"
            f"        {date}\n",
            f"X-Google-Smtp-Source: AGHT+I{self.b64s(82)}\n",
            f"X-Received: by 2002:a17:90a:{self.hexs(4)}:b0:{self.hexs(3)}:{self.hexs(4)}:{self.hexs(4)}"
            f" with SMTP id {self.b64s(10).lower()}.{r.randrange(100)}.{ts}{r.randrange(1000):03d};\n"
            f"        {date}\n",
            # ARC only on some (forwarded, list) mail: keeps the mean header near 3 KB.
            (aseal + "\n" + ams + f"ARC-Authentication-Results: i=1; {ar}\n")
            if r.random() < 0.3 else "",
            f"Return-Path: <{env}>\n",
            f"Received: from {host} ({host}. [{ip}])\n        by mx.google.com with SMTPS id "
            f"{self.b64s(10).lower()}.{r.randrange(10**6)}.2024.{r.randrange(10**6)}\n"
            f"        for <{rcpt}>\n        (Google Transport Security);\n        {date}\n",
            # Gmail writes Received-SPF on one ~150-octet line.
            f"Received-SPF: {spf.replace(' smtp.mailfrom=' + env, '')} client-ip={ip};\n",
            f"Authentication-Results: {ar}\n",
        ])

    def trace_exchange(self, env, sdom, ts, date):
        """What Exchange Online puts on top of an incoming message (headers are long)."""
        r = self.rng
        h1, reg1 = self.exchange_host()
        h2, reg2 = self.exchange_host()
        short = f"{h1}.{reg1}.prod.outlook.com"
        arc = r.random() < 0.5
        return "".join([
            f"Received: from {short} ({self.ip6()})\n by {h2}.{reg2}.prod.outlook.com with HTTPS; "
            f"{fold_date(date)}\n",
            fold_blob("ARC-Seal: i=1; a=rsa-sha256; s=arcselector9901; d=microsoft.com; cv=none;\n b=",
                      self.b64s(342) + "==", 76, 77, " ") + "\n" if arc else "",
            "" if not arc else "ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com;\n "
            "s=arcselector9901;\n h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:"
            "X-MS-Exchange-AntiSpam-MessageData-ChunkCount:X-MS-Exchange-AntiSpam-MessageData-0:"
            "X-MS-Exchange-AntiSpam-MessageData-1;\n bh=" + self.b64s(43) + "=;\n"
            + fold_blob(" b=", self.b64s(342) + "==", 76, 77, " ") + "\n",
            "" if not arc else
            f"ARC-Authentication-Results: i=1; mx.microsoft.com 1; spf=pass\n smtp.mailfrom={sdom}; "
            f"dmarc=pass action=none header.from={sdom};\n dkim=pass header.d={sdom}; arc=none\n",
            f"Authentication-Results: spf=pass (sender IP is {self.ip()})\n smtp.mailfrom={sdom}; "
            f"dkim=pass (signature was verified)\n header.d={sdom};dmarc=pass action=none\n "
            f"header.from={sdom};compauth=pass reason=100\n",
            f"Received-SPF: Pass (protection.outlook.com: domain of {sdom} designates\n {self.ip()} "
            f"as permitted sender) receiver=protection.outlook.com;\n client-ip={self.ip()}; "
            f"helo=mail.{sdom}; pr=C\n",
            f"Received: from mail.{sdom} ({self.ip()}) by\n {h1}.mail.protection.outlook.com "
            f"({self.ip6()}) with Microsoft SMTP\n Server (version=TLS1_2, "
            f"cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id\n 15.20.{r.randrange(7000, 8000)}."
            f"{r.randrange(10, 40)} via Frontend Transport; {date}\n",
            f"Return-Path: {env}\n",
            f"X-MS-Exchange-Organization-ExpirationStartTime: {date[5:]}\n",
            f"X-MS-Exchange-Organization-Network-Message-Id:\n {self.uuid()}\n",
            f"X-Forefront-Antispam-Report:\n CIP:{self.ip()};CTRY:US;LANG:en;SCL:1;SRV:;IPV:NLI;"
            f"SFV:NSPM;H:mail.{sdom};PTR:mail.{sdom};CAT:NONE;SFS:(13230031)(4636009)(376002)"
            f"(39860400002)(366004);DIR:INB;\n",
        ])

    def trace_relay(self, env, rcpt, sdom, ts, date, hops):
        """Postfix and friends: a chain of @hops Received fields, each on long folded lines."""
        r = self.rng
        out = [f"Return-Path: <{env}>\n", f"Delivered-To: {rcpt}\n"]
        rdom = rcpt.split("@")[1]
        for i in range(hops):
            inner = f"mx{i}.{rdom}" if i < hops - 1 else f"smtp.{sdom}"
            out.append(f"Received: from {inner} ({inner} [{self.ip()}])\n\tby mail{i}.{rdom} "
                       f"(Postfix) with ESMTPS id {self.hexs(10).upper()}\n\tfor <{rcpt}>; {date}\n")
            if i == 0:
                out.append(f"Authentication-Results: mail0.{rdom}; dkim=pass (2048-bit key; "
                           f"unprotected) header.d={sdom} header.i=@{sdom} header.a=rsa-sha256 "
                           f"header.s=default header.b={self.b64s(8)}; spf=pass smtp.mailfrom={env}\n")
        return "".join(out)

    # -- bodies ----------------------------------------------------------------------------------

    def attachment(self, boundary, inline=False):
        r = self.rng
        # Encoded size: mostly a few KB to tens of KB, sometimes hundreds (a photo, a PDF).
        lines = min(int(r.lognormvariate(5.4, 1.0)) + 2, self.b64_lines - 1)
        start = r.randrange(self.b64_lines - lines)
        data = self.b64[start * 77:(start + lines) * 77]
        data += base64.b64encode(r.randbytes(r.randint(1, 50))) + b"\n"  # padded last line
        if inline:  # an image of an HTML part, referenced by its Content-ID
            ctype, fname = "image/png", f"image{r.randrange(1, 20):03d}.png"
            # Gmail's ids have no '@' (not msg-id syntax); Outlook's do.
            cid = (f"<ii_{self.hexs(16)}>" if r.random() < 0.5
                   else f"<{fname}@01DA{self.hexs(4).upper()}.{self.hexs(8).upper()}>")
            disp, extra = "inline", f"Content-ID: {cid}\n"
        else:
            ctype, ext, names = r.choice(FILES)
            fname = f"{r.choice(names)}.{ext}"
            disp = "attachment"
            extra = f"X-Attachment-Id: f_{self.hexs(9)}\n" if r.random() < 0.4 else ""
        ct = f"Content-Type: {ctype}; name=\"{fname}\""
        if len(ct) > 78:  # fold before the parameter, as mailers do
            ct = f"Content-Type: {ctype};\n\tname=\"{fname}\""
        head = (f"--{boundary}\n{ct}\nContent-Disposition: {disp}; filename=\"{fname}\"\n"
                f"Content-Transfer-Encoding: base64\n{extra}\n")
        return head.encode() + data + b"\n"

    def text_part(self):
        cte, body = self.texts_bytes[self.rng.randrange(len(self.texts_bytes))]
        return (b"Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: "
                + cte + b"\n\n" + body)

    def html_part(self):
        r = self.rng
        if r.random() < 0.011:  # ~0.7% of messages (65% have an HTML part): one line of 1-6 KB
            return (b"Content-Type: text/html; charset=\"UTF-8\"\nContent-Transfer-Encoding: 7bit\n\n"
                    + r.choice(self.oneline_htmls))
        return (b"Content-Type: text/html; charset=\"UTF-8\"\n"
                b"Content-Transfer-Encoding: quoted-printable\n\n" + r.choice(self.htmls))

    def boundary(self, style):
        if style == "gmail":
            return "000000000000" + self.hexs(12)
        if style == "exchange":
            return f"_000_{self.hexs(20).upper()}namprd11prodoutlookcom_"
        return "===============" + str(self.rng.getrandbits(62)) + "=="

    def body(self, style):
        """(Content-Type field, body bytes). 35% plain, 35% alternative, 30% mixed/related."""
        r = self.rng
        k = r.random()
        if k < 0.35:
            part = self.text_part()
            head, _, rest = part.partition(b"\n\n")
            return head.decode() + "\n", rest
        b1 = self.boundary(style)
        alt = (f"--{b1}\n".encode() + self.text_part() + b"\n"
               + f"--{b1}\n".encode() + self.html_part() + b"\n"
               + f"--{b1}--\n".encode())
        if k < 0.7:
            return f"Content-Type: multipart/alternative;\n\tboundary=\"{b1}\"\n", alt
        b0 = self.boundary(style)
        kind = "related" if r.random() < 0.25 else "mixed"
        parts = [f"--{b0}\nContent-Type: multipart/alternative;\n\tboundary=\"{b1}\"\n\n".encode() + alt
                 + b"\n"]
        for _ in range(1 if r.random() < 0.7 else r.randint(2, 3)):
            parts.append(self.attachment(b0, inline=(kind == "related")))
        parts.append(f"--{b0}--\n".encode())
        return f"Content-Type: multipart/{kind};\n\tboundary=\"{b0}\"\n", b"".join(parts)

    # -- one message ---------------------------------------------------------------------------

    def message(self):
        """Returns (message bytes, envelope sender, unix time)."""
        r = self.rng
        self.serial += 1
        ts = T0 + self.serial * 600 + r.randrange(600)
        zone = r.choice(ZONES)
        date = rfc5322_date(ts, zone)
        date_utc = rfc5322_date(ts + r.randint(1, 5), 0)

        style = r.choices(["gmail", "exchange", "list", "app"], [40, 28, 17, 15])[0]
        sender, saddr = self.person("gmail.com" if style == "gmail" and r.random() < 0.7 else None)
        sdom = saddr.split("@")[1]
        rcpt_disp, rcpt = self.person()
        tos = [rcpt_disp] + [self.person()[0] for _ in range(int(r.expovariate(1.2)))]
        ccs = [self.person()[0] for _ in range(int(r.expovariate(1.0)))] if r.random() < 0.3 else []
        python311 = style == "app" and r.random() < 0.15   # the app is a Python 3.11 one
        env = saddr if style != "app" else f"bounces+{r.randrange(10**7)}-{self.hexs(4)}@em.{sdom}"

        # msg-ids
        if style == "gmail":
            msgid = self.id_gmail()
        elif style == "exchange":
            msgid = self.id_exchange()
        elif style == "app" and r.random() < 0.13:
            msgid = self.id_heroku()          # ~2% of all messages
        else:
            msgid = self.id_generic()
        refs = []
        if self.threads and r.random() < 0.5:
            thread = self.threads[r.randrange(len(self.threads))]
            refs = thread[-r.randint(1, 15):]
            thread.append(msgid)
            del thread[:-20]
        else:
            thread = [msgid]
            if r.random() < 0.3:
                thread.insert(0, self.some_id())  # a reply to something outside the archive
                refs = thread[:1]
            self.threads.append(thread)
            if len(self.threads) > 400:
                self.threads.pop(r.randrange(200))

        subject = r.choice(self.subjects)
        if refs and not subject.startswith(("Re:", "RE:")):
            subject = "Re: " + subject
        h = []
        # Trace fields, newest on top: depend on the receiving system.
        rx = r.random()
        if rx < 0.45:
            h.append(self.trace_gmail(env, rcpt, sdom, ts, date_utc))
        elif rx < 0.75:
            h.append(self.trace_exchange(env, sdom, ts, date_utc))
        else:
            h.append(self.trace_relay(env, rcpt, sdom, ts, date_utc, r.randint(3, 8)))

        defect = r.random()  # one draw for the rare header defects, so their rates add up simply
        if self.defect_rate is not None:
            # An extra draw only here, so the default corpus stays the same for a seed.
            forced = r.random() < self.defect_rate
            defect = r.uniform(0, DEFECT_SLICE) if forced else DEFECT_SLICE + defect * (1 - DEFECT_SLICE)
            python311 = forced and defect < DEFECT_SLICE / 8
            if python311 and not refs:
                refs = [self.id_exchange()]   # an encoded In-Reply-To needs a long id to reply to
        dkim_h = "to:subject:message-id:date:from:mime-version"
        if style == "gmail":
            h.append(self.dkim("DKIM-Signature", sdom, "20230601", ts,
                               "mime-version:from:date:message-id:subject:to:cc\n         "
                               ":content-type:x-gm-message-state:from:to:cc:subject:date:message-id"
                               ":reply-to"))
            if r.random() < 0.5:
                h.append(self.dkim("X-Google-DKIM-Signature", "1e100.net", "20230601", ts, dkim_h))
            h.append(f"X-Gm-Message-State: AOJu0Y{self.b64s(60)}\n\t{self.b64s(40)}\n")
            h.append(f"X-Received: by 2002:a17:906:{self.hexs(4)}:b0:{self.hexs(3)}:{self.hexs(4)} "
                     f"with SMTP id {self.b64s(8).lower()}.{r.randrange(100)}.{ts}{r.randrange(1000):03d};"
                     f" {fold_date(date)}\n")
            h.append("MIME-Version: 1.0\n")
        elif style == "list":
            lname = r.choice(LISTS)
            ldom = f"lists.{r.choice(DOMAINS)}"
            h.append(self.dkim("DKIM-Signature", ldom, "default", ts, dkim_h, indent="\t"))
            h.append(f"List-Id: {lname.title()} discussion list <{lname}.{ldom}>\n")
            h.append(f"List-Unsubscribe: <https://{ldom}/mailman/options/{lname}>,\n"
                     f" <mailto:{lname}-request@{ldom}?subject=unsubscribe>\n")
            h.append(f"List-Archive: <https://{ldom}/pipermail/{lname}/>\n")
            h.append(f"List-Post: <mailto:{lname}@{ldom}>\n")
            h.append(f"List-Help: <mailto:{lname}-request@{ldom}?subject=help>\n")
            h.append(f"Precedence: list\nSender: \"{lname}\" <{lname}-bounces@{ldom}>\n")
            h.append(f"Errors-To: {lname}-bounces@{ldom}\nX-Mailman-Version: 2.1.29\n")
            h.append("MIME-Version: 1.0\n")
        elif style == "app":
            h.append(self.dkim("DKIM-Signature", sdom, "s1", ts, dkim_h))
            h.append(f"X-SG-EID:\n =?us-ascii?Q?{self.b64s(60)}?=\n =?us-ascii?Q?{self.b64s(60)}?=\n")
            h.append(f"Feedback-ID: {r.randrange(10**6)}:SG\n")
            h.append(f"List-Unsubscribe: <https://u{r.randrange(10**7)}.ct.sendgrid.net/asm/"
                     f"unsubscribe/?user_id={r.randrange(10**7)}&data={self.b64s(120)}>\n")
            h.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click\n")
            h.append("MIME-Version: 1.0\n")
            if r.random() < 0.5:
                h.append(f"X-Mailer: {r.choice(['PHPMailer 6.8.1', 'Django', 'Flask-Mail', 'Rails'])}\n")
        if style == "exchange":
            h.append(fold_tokens("From", address_tokens([sender])))
            h.append(fold_tokens("To", address_tokens(tos)))
            if ccs:
                h.append(fold_tokens("CC", address_tokens(ccs)))
            h.append(self.subject_field("Subject", subject))
            h.append(self.subject_field("Thread-Topic", subject.removeprefix("Re: ")))
            h.append(f"Thread-Index: AQHa{self.b64s(r.choice([28, 52, 76]))}\n")
            if defect >= 0.003:
                h.append(f"Date: {date}\n")
            h.append(f"Message-ID: {msgid}\n")
        else:
            if defect >= 0.003:
                h.append(f"Date: {date}\n")
            h.append(fold_tokens("From", address_tokens([sender])))
            h.append(fold_tokens("To", address_tokens(tos)))
            if ccs:
                h.append(fold_tokens("Cc", address_tokens(ccs)))
            h.append(self.subject_field("Subject", subject))
            if not 0.003 <= defect < 0.006:
                h.append(f"Message-ID: {msgid}\n")
        if refs:
            if python311 and any(len(x) > 77 for x in refs):
                # Python 3.11's email package RFC 2047-encodes every id over 77 octets in
                # In-Reply-To and References; replying to Exchange Online makes it common.
                def enc(x, room):  # room: on the field's first line, or 77 on a continuation
                    return q_encode_words(x, first_room=room) if len(x) > 77 else [x]
                h.append(fold_tokens("In-Reply-To", enc(refs[-1], 78 - len("In-Reply-To: "))))
                h.append(fold_tokens("References", [w for i, x in enumerate(refs)
                                                    for w in enc(x, 66 if i == 0 else 77)]))
            else:
                h.append(f"In-Reply-To: {refs[-1]}\n")
                h.append(fold_tokens("References", refs, indent="\t" if style == "list" else " "))
        if style == "exchange":
            h.append("Accept-Language: en-US\nContent-Language: en-US\n")
            h.append(f"X-MS-Has-Attach:\nX-MS-TNEF-Correlator:\n")
            h.append(f"x-ms-traffictypediagnostic: {self.exchange_host()[0]}:EE_|"
                     f"{self.exchange_host()[0]}:EE_\n")
            h.append(f"x-ms-office365-filtering-correlation-id: {self.uuid()}\n")
            h.append("x-microsoft-antispam: BCL:0;ARA:13230031|366004|376002|1800799012|38070700009;\n")
            h.append("x-microsoft-antispam-message-info:\n"
                     + "".join(f" {self.b64s(76)}\n" for _ in range(r.randint(4, 8))))
            h.append("x-ms-exchange-antispam-messagedata-chunkcount: 1\n"
                     "x-ms-exchange-antispam-messagedata-0:\n"
                     + "".join(f" =?us-ascii?Q?{self.b64s(60)}?=\n" for _ in range(r.randint(4, 10))))
            h.append("MIME-Version: 1.0\n")

        # Rare defects (defect is uniform in [0, 1); the low slices are used above).
        if 0.006 <= defect < 0.009:
            h.append(self.subject_field("Subject", r.choice(self.subjects)))   # duplicated Subject
        elif 0.009 <= defect < 0.024:
            # An unfolded long Subject (a template engine that writes the field in one go).
            words = r.choices(WORDS, k=r.randint(16, 26))
            h = [x for x in h if not x.startswith("Subject:")]
            h.append("Subject: " + " ".join(words).capitalize() + "\n")
        elif 0.024 <= defect < 0.034:
            h.append("X-Report-Abuse: Please report abuse for this campaign here: "
                     f"https://abuse.{sdom}/report?id={self.hexs(16)} or write to abuse@{sdom}\n")
        elif 0.034 <= defect < 0.037:
            h.append(f"Resent-Message-ID: {msgid[1:-1]}\n")                   # no angle brackets
        elif 0.037 <= defect < 0.038:
            h.append(f"Resent-Message-ID: {self.id_generic()} {self.id_generic()}\n")  # two ids
        elif 0.038 <= defect < 0.039:
            h.append(f"Original-Message-ID: <{self.b64s(300).replace('/', '_')}@{sdom}>\n")  # >250

        # The Python 3.7 defect: an app wrote its own (long) Message-ID RFC 2047-encoded.
        if (style == "app" and msgid.endswith("heroku.com>") and self.defect_rate is None
                and r.random() < 0.2):
            h = [x for x in h if not x.startswith("Message-ID:")]
            h.append(fold_tokens("Message-ID", q_encode_words(msgid, first_room=66)))

        ctype, body = self.body(style)
        h.append(ctype)
        msg = "".join(h).encode() + b"\n" + body
        return msg, env, ts


# ---- writers -------------------------------------------------------------------------------------

FROM_LINE = re.compile(rb"^From ", re.M)


def mbox_bytes(msg, env, ts):
    """One mbox entry: the From_ line, the message with body 'From ' lines escaped, a blank line."""
    if b"\nFrom " in msg:
        msg = FROM_LINE.sub(b">From ", msg)
    return b"From " + env.encode() + b" " + asctime_utc(ts).encode() + b"\n" + msg + b"\n"


class Maildir:
    def __init__(self, path, rng):
        self.path = path
        self.rng = rng
        # Never mix two corpora: a leftover file would silently change every count.
        if os.path.isdir(path) and os.listdir(path):
            sys.exit(f"gen-corpus.py: {path} exists and is not empty; remove it first")
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        self.files = 0
        self.bytes = 0

    def add(self, msg, ts):
        r = self.rng
        base = f"{ts}.M{r.randrange(10**6)}P{r.randrange(100, 40000)}.bench"
        if r.random() < 0.1:                      # unread mail, never seen by a client yet
            name = os.path.join(self.path, "new", base)
        else:
            name = os.path.join(self.path, "cur", base + ":2," + r.choice(["S", "S", "RS", "FS", ""]))
        with open(name, "wb") as f:
            f.write(msg)
        self.files += 1
        self.bytes += len(msg)


def generate_corpus(args):
    gen = Corpus(args.seed, args.defect_rate)
    mbox = open(args.mbox, "wb", buffering=1 << 20) if args.mbox else None
    maildir = Maildir(args.maildir, random.Random(args.seed + 1)) if args.maildir else None
    total = count = 0
    started = time.monotonic()
    while True:
        msg, env, ts = gen.message()
        entry = mbox_bytes(msg, env, ts)
        # The mbox size decides the message count, so mbox and Maildir hold the same messages.
        if total + len(entry) > args.size and count > 0:
            break
        total += len(entry)
        count += 1
        if mbox:
            mbox.write(entry)
        if maildir:
            maildir.add(msg, ts)
        if args.progress and count % 5000 == 0:
            rate = total / (time.monotonic() - started) / 1e6
            print(f"\r{count} messages, {total >> 20} MiB, {rate:.1f} MB/s", end="",
                  file=sys.stderr, flush=True)
    if mbox:
        mbox.close()
    if args.progress:
        print(file=sys.stderr)
    # key=value lines: bench/run keeps them beside the cached corpus.
    print(f"messages={count}")
    print(f"mbox_bytes={total}")
    if maildir:
        print(f"maildir_files={maildir.files}")
        print(f"maildir_bytes={maildir.bytes}")
    print(f"seconds={time.monotonic() - started:.1f}")


# ---- pathological inputs -------------------------------------------------------------------------
# Each takes time proportional to its size in a linear tool; --scale multiplies the size.

def patho_header_fields(out, scale, rng):
    n = int(100_000 * scale)
    out.write(b"From: a@example.com\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n"
              b"Message-ID: <fields@example.com>\nSubject: many fields\n")
    chunk = []
    for i in range(n):
        chunk.append(b"X-Field-%d: value %d\n" % (i, rng.getrandbits(32)))
        if len(chunk) == 10000:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk) + b"\nbody\n")


def patho_folded(out, scale, rng):
    """One References field of ~10 MB: msg-ids folded one per line, the worst case for a parser
    that rescans the field (or re-unfolds it) per id."""
    target = int(10 * (1 << 20) * scale)
    out.write(b"From: a@example.com\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n"
              b"Message-ID: <folded@example.com>\nSubject: folded\nReferences:")
    written = 0
    chunk = []
    while written < target:
        line = b" <%016x.%d@example.com>\n" % (rng.getrandbits(64), written)
        chunk.append(line)
        written += len(line)
        if len(chunk) == 10000:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk) + b"\nbody\n")


def patho_tiny(out, scale, rng):
    n = int(1_000_000 * scale)
    chunk = []
    for i in range(n):
        chunk.append(b"From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\n"
                     b"Date: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <%d@example.com>\n"
                     b"Subject: tiny %d\n\nbody\n\n" % (i, i))
        if len(chunk) == 10000:
            out.write(b"".join(chunk))
            chunk = []
    out.write(b"".join(chunk))


def patho_line(out, scale, rng):
    """One Subject line of ~10 MB, with spaces: every fold point of it has to be considered."""
    target = int(10 * (1 << 20) * scale)
    out.write(b"From: a@example.com\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n"
              b"Message-ID: <line@example.com>\nSubject:")
    words = [w.encode() for w in WORDS]
    written = 0
    while written < target:
        piece = b" " + b" ".join(rng.choices(words, k=10000))
        out.write(piece)
        written += len(piece)
    out.write(b"\n\nbody\n")


def patho_nul(out, scale, rng):
    n = int((1 << 20) * scale)
    block = b"\0" * (1 << 16)
    while n > 0:
        out.write(block[:n])
        n -= len(block)


HEAD = (b"From: a@example.com\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n"
        b"Message-ID: <%s@example.com>\nMIME-Version: 1.0\n")


def patho_continuations(out, scale, rng):
    """One Subject field of 1,000,000 continuation lines."""
    n = int(1_000_000 * scale)
    out.write(HEAD % b"continued" + b"Subject: start\n")
    for i in range(0, n, 10000):
        out.write(b"".join(b" word %d\n" % j for j in range(i, min(n, i + 10000))))
    out.write(b"\nbody\n")


def patho_nesting(out, scale, rng):
    """Multiparts nested 10,000 deep, each closed at the end."""
    n = int(10_000 * scale)
    out.write(HEAD % b"nested")
    for i in range(n):
        out.write(b"Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n" % (i, i))
    out.write(b"Content-Type: text/plain\n\ninnermost\n")
    for i in reversed(range(n)):
        out.write(b"--b%d--\n" % i)


def patho_parts(out, scale, rng):
    """One multipart of 100,000 parts, each with a Content-ID."""
    n = int(100_000 * scale)
    out.write(HEAD % b"parts" + b"Content-Type: multipart/mixed; boundary=\"p\"\n\n")
    for i in range(0, n, 10000):
        out.write(b"".join(b"--p\nContent-Type: text/plain\nContent-ID: <part%d@example.com>\n\n"
                           b"part %d\n" % (j, j) for j in range(i, min(n, i + 10000))))
    out.write(b"--p--\n")


def patho_encoded_word(out, scale, rng):
    """An In-Reply-To whose one encoded-word is 1 MB."""
    n = int((1 << 20) * scale)
    out.write(HEAD % b"encoded" + b"In-Reply-To: =?utf-8?q?=3C")
    out.write(b"a" * n)
    out.write(b"=40example=2Ecom=3E?=\n\nbody\n")


def patho_invalid_utf8(out, scale, rng):
    """A header and body of 1 MB where every other octet is a stray UTF-8 continuation octet."""
    n = int((1 << 20) * scale)
    out.write(HEAD % b"utf8")
    line = bytes(rng.choice(b"\x80\xbf\xc3\xff") if i % 2 else 0x61 for i in range(200))
    lines = n // 400
    for i in range(lines // 2):
        out.write(b"X-Junk-%d: " % i + line + b"\n")
    out.write(b"\n")
    for i in range(lines // 2):
        out.write(line + b"\n")


LONG_VALUE = b" ".join([b"word"] * 20)  # ~100 octets with fold points: header-line-length refolds it


def patho_dkim_h(out, scale, rng):
    """One DKIM-Signature whose h= lists 250,000 names, and 1,000 long refoldable fields: the
    worst case for a guard that re-reads the signature per fixable finding."""
    n, fields = int(250_000 * scale), int(1_000 * scale)
    out.write(HEAD % b"dkim" + b"DKIM-Signature: v=1; a=rsa-sha256; c=simple/simple;"
              b" d=example.com; s=sel;\n h=")
    for i in range(0, n, 10000):
        out.write(b"".join(b"x-name-%d:\n " % j for j in range(i, min(n, i + 10000))))
    out.write(b"subject; bh=AAAA; b=AAAA\n")
    for i in range(fields):
        out.write(b"X-Long-%d: " % i + LONG_VALUE + b"\n")
    out.write(b"\nbody\n")


def patho_refold(out, scale, rng):
    """40,000 long refoldable fields (a DKIM-Signature signs From only)."""
    n = int(40_000 * scale)
    out.write(HEAD % b"refold" + b"DKIM-Signature: v=1; d=example.com; s=sel; h=from; bh=A; b=A\n")
    for i in range(0, n, 10000):
        out.write(b"".join(b"X-Long-%d: " % j + LONG_VALUE + b"\n"
                           for j in range(i, min(n, i + 10000))))
    out.write(b"\nbody\n")


def patho_mixed_eol(out, scale, rng):
    """40,000 fields whose line endings alternate CRLF and LF."""
    n = int(40_000 * scale)
    out.write(HEAD % b"eol" + b"DKIM-Signature: v=1; d=example.com; s=sel; h=from; bh=A; b=A\n")
    for i in range(0, n, 10000):
        out.write(b"".join(b"X-F-%d: v\r\n" % j if j % 2 else b"X-F-%d: v\n" % j
                           for j in range(i, min(n, i + 10000))))
    out.write(b"\nbody\n")


# Shapes for memory (bench/run --pathological, the memory table): one message each, whose parts
# are as small as they can be, so that any per-part record of the model shows as a multiple of
# the message.

def write_lines(out, n, make):
    """Writes make(i) for i in range(n), in chunks."""
    for i in range(0, n, 10000):
        out.write(b"".join(make(j) for j in range(i, min(n, i + 10000))))


def patho_dup_msgid(out, scale, rng):
    """4,000,000 duplicated Message-ID lines (72 MB)."""
    out.write(b"From: a@example.com\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nSubject: dup\n")
    line = b"Message-ID: <a@b>\n" * 10000
    for i in range(0, int(4_000_000 * scale), 10000):
        out.write(line)
    out.write(b"\nbody\n")


def patho_short_fields(out, scale, rng):
    """4,000,000 distinct short fields X-N: v."""
    out.write(HEAD % b"fields")
    write_lines(out, int(4_000_000 * scale), lambda j: b"X-%d: v\n" % j)
    out.write(b"\nbody\n")


def patho_reply_fields(out, scale, rng):
    """4,000,000 In-Reply-To and References lines, alternating."""
    out.write(HEAD % b"replies")
    write_lines(out, int(4_000_000 * scale),
                lambda j: b"In-Reply-To: <%d@b>\n" % j if j % 2 else b"References: <%d@b>\n" % j)
    out.write(b"\nbody\n")


def patho_references_ids(out, scale, rng):
    """One References field of 2,000,000 ids, one per line."""
    out.write(HEAD % b"refs" + b"References:")
    write_lines(out, int(2_000_000 * scale), lambda j: b" <%d@example.com>\n" % j)
    out.write(b"\nbody\n")


def patho_subject_words(out, scale, rng):
    """One Subject of 1,000,000 encoded-words, three to a line."""
    out.write(HEAD % b"words" + b"Subject:")
    write_lines(out, int(1_000_000 * scale),
                lambda j: b" =?utf-8?q?w=C3=A9rd%d?=%s" % (j, b"\n" if j % 3 == 2 else b""))
    out.write(b"\n\nbody\n")


def patho_to_addresses(out, scale, rng):
    """One To field of 1,000,000 addresses, three to a line."""
    n = int(1_000_000 * scale)
    out.write(HEAD % b"to" + b"To:")
    write_lines(out, n, lambda j: b" user%d@example.com%s%s" % (
        j, b"," if j + 1 < n else b"", b"\n" if j % 3 == 2 or j + 1 == n else b""))
    out.write(b"\nbody\n")


def patho_big_message(out, scale, rng):
    """One message of 1 GB: a plain header and a body of 76-octet lines."""
    out.write(HEAD % b"big" + b"Subject: big\n\n")
    line = b"x" * 75 + b"\n"
    block = line * 13797  # ~1 MiB
    for i in range(int(1024 * scale)):
        out.write(block)


PATHOLOGICAL = {
    "continuations-1m": patho_continuations,
    "nesting-10k": patho_nesting,
    "parts-100k": patho_parts,
    "encoded-word-1mb": patho_encoded_word,
    "invalid-utf8-1mb": patho_invalid_utf8,
    "header-100k-fields": patho_header_fields,
    "folded-10mb": patho_folded,
    "mbox-1m-tiny": patho_tiny,
    "line-10mb": patho_line,
    "nul-1mb": patho_nul,
    "dkim-h-250k": patho_dkim_h,
    "refold-40k": patho_refold,
    "mixed-eol-40k": patho_mixed_eol,
    "dup-msgid-4m": patho_dup_msgid,
    "short-fields-4m": patho_short_fields,
    "reply-fields-4m": patho_reply_fields,
    "references-2m-ids": patho_references_ids,
    "subject-1m-words": patho_subject_words,
    "to-1m-addresses": patho_to_addresses,
    "message-1gb": patho_big_message,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--size", type=parse_size, default=parse_size("1G"),
                    help="mbox size, e.g. 100M, 1G (default 1G); the Maildir gets the same messages")
    ap.add_argument("--mbox", metavar="OUT", help="write the corpus as one mbox file")
    ap.add_argument("--maildir", metavar="DIR", help="write the corpus as a Maildir")
    ap.add_argument("--pathological", nargs=2, metavar=("KIND", "OUT"),
                    help="write one pathological input: " + ", ".join(PATHOLOGICAL))
    ap.add_argument("--scale", type=float, default=1.0,
                    help="size factor for --pathological (default 1)")
    ap.add_argument("--defect-rate", type=float, metavar="R",
                    help="share of messages (0 to 1) that get one header defect each, the others "
                         "none (default: the realistic rates above)")
    ap.add_argument("--progress", action="store_true", help="progress on stderr")
    args = ap.parse_args()

    if args.pathological:
        kind, out = args.pathological
        if kind not in PATHOLOGICAL:
            ap.error(f"unknown pathological kind {kind!r}; one of: {', '.join(PATHOLOGICAL)}")
        with open(out, "wb", buffering=1 << 20) as f:
            PATHOLOGICAL[kind](f, args.scale, random.Random(args.seed))
        print(f"bytes={os.path.getsize(out)}")
        return
    if not args.mbox and not args.maildir:
        ap.error("give --mbox OUT, --maildir DIR (or both), or --pathological KIND OUT")
    generate_corpus(args)


if __name__ == "__main__":
    main()
