#!/bin/bash
# test-memory.sh: memory for one message stays a small multiple of its size (issue 10; README
# "Safety"). Each generated pathological message is linted by check and by fix, --jobs 1 and 2,
# and the peak resident set (tests/peak-rss) must stay within 4x the message + 30 MB. The shapes
# are those that cost most per octet: a record per field or per msg-id would show as a multiple.
# Not a timing test. SKIP under sanitizers and valgrind, whose own memory the bound cannot hold.
set -u
: "${EMLINT:?run with meson test}" "${EMLINT_PEAK_RSS:?}"
if [ -n "${EMLINT_WRAPPER:-}" ] || nm "$EMLINT" 2>/dev/null | grep -q '__[at]san_init' \
  || nm -D "$EMLINT" 2>/dev/null | grep -q '__[at]san_init'; then
  echo "SKIP: emlint runs under a sanitizer or valgrind: its memory is not emlint's"
  exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
work=$T
. "$(dirname "$0")/tap.sh"

head_fields() { printf 'From: a@example.com\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <m@example.com>\n'; }
# The shapes, at a quarter of bench/run's sizes (bench/README.md has the full-size figures).
{ head_fields; yes 'Message-ID: <a@b>' | head -n 1000000; printf '\nbody\n'; } >"$T/dup-msgid.eml"
{ head_fields; seq 1 1000000 | sed 's/.*/X-&: v/'; printf '\nbody\n'; } >"$T/short-fields.eml"
{ head_fields; seq 1 1000000 | sed 's/.*/In-Reply-To: <&@b>/'; printf '\nbody\n'; } >"$T/reply-fields.eml"
{ head_fields; printf 'References:'; seq 1 500000 | sed 's/.*/ <&@example.com>/'; printf '\nbody\n'; } >"$T/references.eml"
{ head_fields; printf 'Subject: start\n'; seq 1 1000000 | sed 's/.*/ word &/'; printf '\nbody\n'; } >"$T/continuations.eml"
# One Subject of 250,000 encoded-words, three to a line: a record per word (and a decoded
# array per word in encoded-word-malformed) showed as 12x the message.
{ head_fields; printf 'Subject:'; seq 1 250000 | sed 's/.*/ =?utf-8?q?w=C3=A9rd&?=/' | paste -d '' - - -
  printf '\nbody\n'; } >"$T/subject-words.eml"

# within_bound FILE COMMAND...: runs emlint COMMAND... FILE; true when it exits 0 or 1 and its
# peak RSS is at most 4x FILE + 30 MB. Says what it measured.
within_bound() {
  local file=$1 rc kib bound
  shift
  "$EMLINT_PEAK_RSS" "$T/rss" "$EMLINT" "$@" --isolated --quiet "$file" >"$T/out" 2>&1
  rc=$?
  kib=$(cat "$T/rss" 2>/dev/null || echo 0)
  bound=$(( (4 * $(stat -c %s "$file") + 30000000) / 1024 ))
  echo "# $(basename "$file") $*: exit $rc, peak RSS $((kib / 1024)) MiB, bound $((bound / 1024)) MiB"
  # The measure itself: the message is read whole, so the peak is at least its size.
  [ "$rc" -le 1 ] && [ "$kib" -ge $(( $(stat -c %s "$file") / 1024 )) ] && [ "$kib" -le "$bound" ]
}

for f in dup-msgid short-fields reply-fields references continuations subject-words; do
  for jobs in 1 2; do
    if within_bound "$T/$f.eml" check --jobs "$jobs"; then
      pass "$f: check --jobs $jobs within 4x + 30 MB"
    else
      fail "$f: check --jobs $jobs within 4x + 30 MB"
    fi
    if within_bound "$T/$f.eml" fix --jobs "$jobs" -o "$T/fixed.eml"; then
      pass "$f: fix --jobs $jobs within 4x + 30 MB"
    else
      fail "$f: fix --jobs $jobs within 4x + 30 MB"
    fi
  done
done
tap_summary
