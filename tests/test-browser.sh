#!/bin/sh
# The HTML report (--format html) in a real browser: headless Chromium renders the report of
# corpus/ plus a hostile message; the counts in the rendered DOM (--dump-dom) equal those of
# --format json; no element from a message became markup; the screenshot is a real PNG of the
# window's size with more than one colour. Without Chromium it exits 77 (SKIP); .ci/browser.sh
# installs Debian's chromium and runs this suite ('browser').
# Needs EMLINT, EMLINT_SOURCE_ROOT, python3. Optional: $1, a path for a copy of the screenshot.
set -u

: "${EMLINT:?EMLINT must name the built emlint}"
: "${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "SKIP: chromium is not installed (apt-get install chromium)"
    exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }

passes=0
failures=0
pass() { passes=$((passes + 1)); echo "ok - $1"; }
fail() { failures=$((failures + 1)); echo "not ok - $1"; }
check() { what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# corpus/ and a message whose every field tries to become markup or script.
mkdir "$work/mail"
cp -r "$EMLINT_SOURCE_ROOT/corpus" "$work/mail/corpus"
printf '%s\n' 'From: <script>document.title="pwned"</script>@x' \
    'Date: Mon, 2 Oct 2023 10:00:00 +0000' \
    'X-Mailer: <img src=x onerror="document.title=1"> Evil/1.0' \
    'Message-ID: <a"><script>document.title=2</script>@b>' \
    'Subject: </pre></li></ul><h1 id="injected">injected</h1> a long subject line past 78 octets' \
    '' 'body' > "$work/mail/hostile.eml"

cd "$work" || exit 1
"$EMLINT" check --isolated --format html mail > report.html
"$EMLINT" check --isolated --format json mail > report.json

# Chromium as root needs --no-sandbox; the rest keeps it from reaching any network service.
browse() {
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" --hide-scrollbars "$@" 2>"$work/chromium.log"
}

browse --dump-dom "file://$work/report.html" > dom.html
check "chromium renders the report (--dump-dom)" grep -q '</html>' dom.html

python3 - "$work/report.json" "$work/dom.html" <<'EOF' > counts.txt
import collections, html.parser, json, sys

findings = json.load(open(sys.argv[1]))
per_rule = collections.Counter(f["rule"] for f in findings)

class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rules, self.ids, self.tags, self.capture, self.text = {}, {}, [], None, {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "tr" and "data-rule" in a:
            self.rules[a["data-rule"]] = int(a["data-findings"])
        if "id" in a:
            self.ids[a["id"]] = tag
            self.capture = a["id"]
    def handle_data(self, data):
        if self.capture:
            self.text[self.capture] = self.text.get(self.capture, "") + data
            self.capture = None

dom = Dom()
dom.feed(open(sys.argv[2]).read())
print("rules", "same" if dom.rules == dict(per_rule) else f"differ {dom.rules} {dict(per_rule)}")
print("total", "same" if int(dom.text.get("total-findings", -1)) == len(findings) else "differ")
print("scripts", dom.tags.count("script") + dom.tags.count("img"))
print("injected", "injected" in dom.ids)
print("rules-found", len(per_rule))
EOF
check "the DOM's findings per rule equal the JSON's" grep -qx 'rules same' counts.txt
check "the DOM's total equals the JSON's" grep -qx 'total same' counts.txt
check "no script or img element came from a message" grep -qx 'scripts 0' counts.txt
check "no element came from a message" grep -qx 'injected False' counts.txt
check "the corpus gives findings of many rules" \
    python3 -c 'import sys; sys.exit(int(open("counts.txt").read().split("rules-found ")[1]) < 10)'
grep -v ' same$' counts.txt | sed 's/^/# /'

browse --screenshot="$work/shot.png" --window-size=1280,2000 "file://$work/report.html" >/dev/null
python3 - "$work/shot.png" <<'EOF' > png.txt
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
# Decode the image data enough to count distinct scanlines: a blank page has one.
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + length]
    pos += 12 + length
raw = zlib.decompress(idat)
stride = len(raw) // height
rows = {raw[i * stride + 1:(i + 1) * stride] for i in range(height)}
print(f"{width}x{height} {len(data)} bytes {len(rows)} distinct rows")
EOF
cat png.txt | sed 's/^/# /'
check "the screenshot is a 1280x2000 PNG" grep -q '^1280x2000 ' png.txt
check "the screenshot is not blank (over 20 KB, many distinct rows)" \
    python3 -c 'import sys; w = open("png.txt").read().split(); sys.exit(not (int(w[1]) > 20000 and int(w[3]) > 100))'
[ $# -ge 1 ] && cp "$work/shot.png" "$1"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
