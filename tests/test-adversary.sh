#!/bin/bash
# test-adversary.sh: what an operator, a new user and an auditor try that nobody planned for
# (the adversarial pass after issues 10, 11 and 15): outputs that name an input, compressed
# files that are not gzip, descriptor and memory limits, hostile names in diffs, TERM=dumb,
# typos in options, a configuration key set twice, the umask. Each failure must be one clear
# line naming the file, other inputs still run, nothing is lost, nothing crashes.
set -u
: "${EMLINT:?run with meson test}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2
passed=0 failed=0 skipped=0

ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }
skip() { skipped=$((skipped + 1)); echo "skip - $1"; }
# expect NAME COMMAND...: one assertion.
expect() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
# all 'CONDITION'...: TRUE when every shell condition holds (for expect).
all() { local c; for c in "$@"; do eval "$c" || return 1; done; }
emlint() { "$EMLINT" "$1" --isolated "${@:2}"; } # emlint COMMAND ARGS...
# A message emlint fixes (In-Reply-To as an encoded-word).
msg() {
  printf 'From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\nMessage-ID: <%s@example.com>\n' "$1"
  printf 'In-Reply-To: =?utf-8?q?=3Cparent%s=40example=2Ecom=3E?=\n\nbody %s\n' "$1" "$1"
}
# survived STATUS: TRUE unless the process was killed by a signal (abort, SIGSEGV, SIGTRAP).
survived() { [ "$1" -le 128 ]; }

# ---- an output that is an input: the mail was replaced or truncated --------------------------

msg 1 > a.eml && cp a.eml a.orig
err=$(emlint fix --quiet -o a.eml a.eml 2>&1); status=$?
expect "fix -o INPUT INPUT: refused (exit $status)" [ $status -eq 2 ]
expect "fix -o INPUT INPUT: one line naming it" \
  [ "$err" = "emlint: a.eml: a.eml is the input itself: not written (--in-place replaces an input)" ]
expect "fix -o INPUT INPUT: the input is untouched" cmp -s a.eml a.orig
mkdir -p box && cp a.eml box/m.eml
emlint fix --quiet --output-dir . box 2>/dev/null; status=$?
expect "fix --output-dir . FOLDER (copies over their inputs): refused (exit $status)" [ $status -eq 2 ]
expect "fix --output-dir . FOLDER: the input is untouched" cmp -s box/m.eml a.orig
ln a.eml a.eml.new
emlint fix --quiet --suffix .new a.eml 2>/dev/null; status=$?
expect "fix --suffix onto a hard link of the input: refused (exit $status)" [ $status -eq 2 ]
expect "fix --suffix onto a hard link: the input is untouched" cmp -s a.eml a.orig
rm -f a.eml.new
for option in --output-file --write-baseline; do
  emlint check "$option" ./a.eml a.eml > out.txt 2> err.txt; status=$?
  err=$(head -1 err.txt)
  expect "check $option INPUT INPUT: refused (exit $status)" [ $status -eq 2 ]
  expect "check $option INPUT INPUT: says why" \
    [ "$err" = "emlint: $option ./a.eml is also an input: writing it would destroy that mail" ]
  expect "check $option INPUT INPUT: the mail is untouched" cmp -s a.eml a.orig
done
mkdir -p nest/mail && msg 10 > nest/mail/a.eml
for run in 1 2; do (cd nest && "$EMLINT" fix --isolated --quiet --output-dir mail/out mail); done
expect "fix --output-dir inside the folder it walks: the copies are not walked again, nor nested" \
  all '[ "$(cd nest && find . -type f | sort | tr "\n" " ")" = "./mail/a.eml ./mail/out/mail/a.eml " ]'
emlint check --write-baseline base.txt a.eml > /dev/null; cp base.txt base.orig
for run in "--baseline base.txt --output-file ./base.txt" "--output-file r.txt --write-baseline r.txt"; do
  err=$(emlint check $run a.eml 2>&1 | head -1)
  expect "check $run: refused, one would destroy the other" \
    all '[[ $err == *" name the same file ("*"): one would destroy the other" ]]'
done
expect "the baseline is untouched" cmp -s base.txt base.orig
out=$(emlint check --output-file - a.eml 2>/dev/null)
expect "--output-file - is standard output (as -o - is), not a file named '-'" \
  all '[[ $out == *msgid-encoded-word* ]]' '[ ! -e ./- ]'
err=$(emlint check --write-baseline - a.eml 2>&1 >/dev/null | head -1)
expect "--write-baseline - with the report on standard output: refused, not mixed" \
  all '[[ $err == "emlint: --write-baseline - would mix the baseline into the report"* ]]'
emlint check --output-file report.txt a.eml >/dev/null 2>&1; status=$?
expect "check --output-file NEW INPUT still works (exit $status)" \
  all '[ $status -eq 1 ]' 'grep -q msgid-encoded-word report.txt'

# ---- compressed data that is not gzip under a .gz name -------------------------------------

packers=()
for tool in bzip2 xz zstd lzip; do
  if command -v $tool >/dev/null; then packers+=("$tool"); else skip "$tool data: $tool not installed"; fi
done
for tool in "${packers[@]}"; do
  $tool -c < a.eml > "packed.$tool.eml" 2>/dev/null
  cp "packed.$tool.eml" "packed.$tool.orig"
  err=$(emlint check "packed.$tool.eml" a.eml 2>&1 >/dev/null); status=$?
  expect "$tool data named .eml: refused in one line (exit $status)" \
    all '[ $status -eq 2 ]' '[ "$(echo "$err" | wc -l)" -eq 1 ]' '[[ $err == *"$tool data: not read"* ]]'
  emlint fix --quiet --in-place --unsafe-fixes --msgid-domain example.com "packed.$tool.eml" \
    2>/dev/null
  expect "$tool data: fix --unsafe-fixes leaves it as it was (no Message-ID before the magic)" \
    cmp -s "packed.$tool.eml" "packed.$tool.orig"
done
gzip -c < a.eml > gzip-no-suffix.eml
err=$(emlint check gzip-no-suffix.eml 2>&1); status=$?
expect "gzip data without a .gz name: refused (exit $status), not linted as noise" \
  all '[ $status -eq 2 ]' '[[ $err == *"gzip data without a .gz name: not read"* ]]'
if command -v iconv >/dev/null; then
  { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE < a.eml; } > utf16.eml && cp utf16.eml utf16.orig
  err=$(emlint check utf16.eml 2>&1); status=$?
  expect "UTF-16 text (Notepad's 'Unicode'): refused (exit $status), with the iconv to run" \
    all '[ $status -eq 2 ]' '[[ $err == *"UTF-16 text: not read (mail is ASCII or UTF-8; iconv"* ]]'
  emlint fix --quiet --in-place --unsafe-fixes --msgid-domain example.com utf16.eml 2>/dev/null
  expect "UTF-16 text: fix leaves it as it was" cmp -s utf16.eml utf16.orig
else
  skip "UTF-16 text: iconv not installed"
fi
gzip -c < a.eml > ok.eml.gz
emlint check ok.eml.gz >/dev/null 2>&1; status=$?
expect "gzip data under a .gz name is still read (exit $status)" [ $status -eq 1 ]

# ---- an append-only folder: no rename, and no copy of the mail left behind --------------------

mkdir -p appendonly && msg 9 > appendonly/m.eml && cp appendonly/m.eml append.orig
if chattr +a appendonly 2>/dev/null; then
  err=$(emlint fix --quiet --in-place appendonly/m.eml 2>&1); status=$?
  chattr -a appendonly
  expect "fix --in-place in an append-only folder: refused (exit $status) before a temporary is named" \
    all '[ $status -eq 2 ]' '[[ $err == *"the folder appendonly is append-only (chattr)"* ]]' \
    '[ "$(ls -A appendonly)" = m.eml ]' 'cmp -s appendonly/m.eml append.orig'
else
  skip "an append-only folder: chattr +a needs root and ext4, xfs or btrfs"
fi

# ---- a Maildir's tmp/: a message still being delivered -------------------------------------

mkdir -p maildir/cur maildir/new maildir/tmp
msg 4 > maildir/tmp/1.host && cp maildir/tmp/1.host tmp.orig && msg 5 > maildir/new/2.host
err=$(emlint fix --quiet --in-place maildir/tmp/1.host maildir/new/2.host 2>&1); status=$?
expect "fix --in-place of a file in a Maildir's tmp/: refused (exit $status)" \
  all '[ $status -eq 2 ]' \
  '[ "$err" = "emlint: maildir/tmp/1.host: in a Maildir'"'"'s tmp/, a message still being delivered: left as it is" ]'
expect "tmp/: the message being delivered is untouched" cmp -s maildir/tmp/1.host tmp.orig
expect "tmp/: the other input (in new/) is still fixed" \
  grep -q '^In-Reply-To: <parent5@example.com>' maildir/new/2.host

# ---- closed standard descriptors: no message lands in a file that took their number ----------

emlint check --write-baseline closed.txt a.eml >&- 2>&-; status=$?
expect "stdout and stderr closed: exit $status (stdout's write failure) and no error text in the baseline" \
  all '[ $status -eq 2 ]' '! grep -q emlint: closed.txt' '[ "$(wc -l < closed.txt)" -eq 1 ]'
msg 11 > closed.eml
"$EMLINT" fix --isolated --in-place closed.eml <&- >&- 2>&-
msg 11 | "$EMLINT" fix --isolated --quiet -o closed.want - 2>/dev/null
expect "all three closed, fix --in-place: the mail is the repaired message, nothing else" \
  cmp -s closed.eml closed.want

# ---- a stale dotlock: refused, and said to be stale -----------------------------------------

{ printf 'From a@example.com Mon Oct  2 10:00:00 2023\n'; msg 6; } > box.mbox && cp box.mbox box.orig
sh -c 'echo $$' > box.mbox.lock # a pid that has ended
err=$(EMLINT_LOCK_TIMEOUT=1 "$EMLINT" fix --isolated --quiet --in-place box.mbox 2>&1); status=$?
expect "a stale dotlock: the mbox is refused (exit $status) and untouched" \
  all '[ $status -eq 2 ]' 'cmp -s box.mbox box.orig' '[ -e box.mbox.lock ]'
expect "a stale dotlock: the error says its process no longer runs" \
  all '[[ $err == *"box.mbox.lock names process "*", which no longer runs here"* ]]'
echo $$ > box.mbox.lock # this shell: alive
err=$(EMLINT_LOCK_TIMEOUT=1 "$EMLINT" fix --isolated --quiet --in-place box.mbox 2>&1)
expect "a live dotlock: no such note" all '[[ $err != *"no longer runs"* ]]'
rm -f box.mbox.lock
err=$(EMLINT_LOCK_TIMEOUT=abc "$EMLINT" fix --isolated --quiet --in-place box.mbox 2>&1 | head -1)
expect "EMLINT_LOCK_TIMEOUT=abc: a usage error, not 30 s in silence" \
  [ "$err" = "emlint: EMLINT_LOCK_TIMEOUT takes whole seconds from 0 to 3600, not 'abc'" ]
err=$("$EMLINT" check --isolated --msgid-domain-max -1 a.eml 2>&1 | head -1)
expect "--msgid-domain-max -1 (the library's 'unset'): a usage error, not the default" \
  [ "$err" = "emlint: --msgid-domain-max takes a number from 1 to 255, not -1" ]

# ---- descriptors and memory: one file fails, the run goes on, nothing aborts ------------------

mkdir -p md/cur md/new md/tmp
for i in $(seq 1 200); do msg $i > "md/cur/$i.host:2,S"; done
out=$( (ulimit -n 16 && "$EMLINT" check --isolated --format jsonl -j 2 md) 2>err.txt); status=$?
expect "ulimit -n 16, 200-message Maildir: every message linted (exit $status)" \
  all '[ $status -eq 1 ]' '[ "$(echo "$out" | grep -c msgid-encoded-word)" -eq 200 ]' '[ ! -s err.txt ]'
cp -r md md-fix
( ulimit -n 16 && "$EMLINT" fix --isolated --quiet --in-place md-fix ) 2>err.txt; status=$?
expect "ulimit -n 16, fix --in-place of that Maildir: no abort (exit $status)" survived $status
expect "ulimit -n 16, fix --in-place: every file fixed" \
  [ "$(grep -l '^In-Reply-To: <parent' md-fix/cur/* | wc -l)" -eq 200 ]
( ulimit -n 12 && "$EMLINT" fix --isolated --quiet --in-place md-fix ) 2>err.txt; status=$?
expect "ulimit -n 12: errors, not an abort in GIO (exit $status)" survived $status

if ldd "$EMLINT" 2>/dev/null | grep -q 'lib[at]san'; then
  skip "ulimit -v: a sanitizer build reserves terabytes of shadow memory"
else
  { printf 'From: a@example.com\nSubject: big\n\n'; head -c 150000000 /dev/zero | tr '\0' a; } > big.eml
  ( ulimit -v 400000 && "$EMLINT" check --isolated big.eml a.eml ) > out.txt 2> err.txt; status=$?
  expect "ulimit -v 400000, a 150 MB message: no abort (exit $status)" [ $status -eq 2 ]
  expect "ulimit -v: one line naming the file" \
    all '[ "$(wc -l < err.txt)" -eq 1 ]' "grep -q '^emlint: big.eml: out of memory reading a message' err.txt"
  expect "ulimit -v: the other file is still linted" grep -q '^a.eml:.*msgid-encoded-word' out.txt
  rm -f big.eml
  # Too little address space for the threads' stacks: GLib hands back a pool short of threads,
  # on which queued work would wait for ever.
  ( ulimit -v 24000 && timeout 60 "$EMLINT" check --isolated --jobs 4 a.eml ) > out.txt 2> err.txt
  status=$?
  expect "ulimit -v 24000, --jobs 4: threads that cannot start, no hang (exit $status)" [ $status -eq 1 ]
  expect "ulimit -v 24000, --jobs 4: one warning, then linted on one thread" \
    all "grep -q '^emlint: warning: cannot start 4 threads' err.txt" \
    "grep -q '^a.eml:.*msgid-encoded-word' out.txt"
fi

# ---- a bare CR where some readers end the header -------------------------------------------

# Python's email ends lines at a bare CR too: "hello\r\r" ends its header, and the rest of the
# long Subject line is its body. A fold there would edit that body.
printf 'From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\nMessage-ID: <1@example.com>\nSubject: hello\r\rthis body line has many words in it so that the whole physical line runs past 78\n\nbody\n' \
  > cr.eml && cp cr.eml cr.orig
out=$(emlint fix --in-place cr.eml 2>&1)
expect "a fold after a bare CR CR (the header's end for Python): held back, the file untouched" \
  all 'cmp -s cr.eml cr.orig' '[[ $out == *"fix held back: it edits the header after a bare CR on line 4"* ]]'
if command -v python3 >/dev/null; then
  expect "python3 agrees: its header ends there, and the long line is its body" \
    python3 -c 'import email, sys; m = email.message_from_bytes(open("cr.eml", "rb").read())
sys.exit(m["Subject"] != "hello" or not m.get_payload().startswith("this body line"))'
else
  skip "python3 reads that header as said: python3 not installed"
fi

# ---- names that would break a diff ---------------------------------------------------------

mkdir names && cd names || exit 2
hostile=$(printf 'x\n+++ b"c\\d\033.eml')
msg 2 > "$hostile" && cp "$hostile" ../hostile.orig
"$EMLINT" fix --isolated --diff -- "$hostile" > p.diff 2>/dev/null
expect "fix --diff to a file: a name with a newline is C-quoted in ---/+++" \
  all '[ "$(grep -c "^--- \|^+++ " p.diff)" -eq 2 ]' \
  "grep -qxF -- '--- \"x\\n+++ b\\\"c\\\\d\\033.eml\"' p.diff"
if command -v patch >/dev/null; then
  patch -s -p0 < p.diff; status=$?
  expect "patch applies that diff to the hostile name (exit $status)" \
    all '[ $status -eq 0 ]' 'grep -q "^In-Reply-To: <parent2@example.com>" "$hostile"'
else
  skip "patch applies the quoted diff: patch not installed"
fi
cd .. || exit 2

# ---- the new user: terminals, typos, configuration mistakes --------------------------------

if command -v script >/dev/null; then
  TERM=dumb script -qc "'$EMLINT' check --isolated a.eml" /dev/null > dumb.txt
  expect "TERM=dumb: no escape sequence (colours, progress) on the terminal" \
    all '[ -s dumb.txt ]' "! grep -q $'\\033' dumb.txt"
  TERM=xterm script -qc "'$EMLINT' check --isolated a.eml" /dev/null > xterm.txt
  expect "TERM=xterm: colours still (the check above can fail)" grep -q $'\033\\[' xterm.txt
else
  skip "TERM=dumb: script (util-linux) not installed"
fi
err=$(emlint check --fromat json a.eml 2>&1 | head -1)
expect "--fromat: did you mean '--format'?" \
  [ "$err" = "emlint: Unknown option --fromat; did you mean '--format'?" ]
err=$(emlint check --in-place a.eml 2>&1 | head -1)
expect "check --in-place: it is an option of 'emlint fix'" \
  [ "$err" = "emlint: Unknown option --in-place; --in-place is an option of 'emlint fix'" ]
err=$("$EMLINT" --isolated fix --in-place a.eml 2>&1 | head -1)
expect "a command after an option: said to come first, not linted as a path" \
  [ "$err" = "emlint: 'fix' is a command: it comes first ('emlint fix [OPTION...] PATH...')" ]
err=$(emlint check - - < a.eml 2>&1 | head -1)
expect "'-' named twice: a usage error, not an 'empty input' finding for the second" \
  [ "$err" = "emlint: '-' (standard input) is named twice (as a path or --files-from); it can be read only once" ]
err=$(echo a.eml | emlint check --files-from - - 2>&1 | head -1)
expect "--files-from - and '-': a usage error, not the list linted as a message" \
  [ "$err" = "emlint: '-' (standard input) is named twice (as a path or --files-from); it can be read only once" ]
for run in "rules x" "explain msgid-syntax x"; do
  set -- $run
  err=$("$EMLINT" "$@" 2>&1 >/dev/null | head -1); status=$?
  expect "'emlint $run': the extra word is a usage error, not ignored" \
    [ "$err" = "emlint: $1 takes $([ "$1" = rules ] && echo 'no argument' || echo 'one rule id'), not 'x'" ]
done
mkdir cfg && msg 3 > cfg/m.eml
printf '[emlint]\nselect = msgid-encoded-word\n\n[rules]\nmsgid-syntax = off\n[emlint]\nselect = msgid-syntax\n' \
  > cfg/.emlint.ini
err=$("$EMLINT" check cfg/m.eml 2>&1 | head -1); status=$?
expect "a key set twice in .emlint.ini (two [emlint] groups): an error naming both lines" \
  [ "$err" = "emlint: $T/cfg/.emlint.ini:7: [emlint] select: set twice (first on line 2); keep one" ]

# ---- a baseline matches however the path is spelled, from any folder ------------------------

mkdir -p audit/mail sub && msg 7 > audit/mail/m.eml
(cd audit && "$EMLINT" check --isolated --write-baseline .emlint-baseline mail > /dev/null)
for spelling in "audit mail" "audit ./mail/" "audit $T/audit/mail/m.eml" "sub ../audit/mail"; do
  set -- $spelling
  baseline=$(realpath --relative-to="$1" audit/.emlint-baseline)
  out=$(cd "$1" && "$EMLINT" check --isolated --baseline "$baseline" "$2" 2>&1); status=$?
  expect "--baseline written as 'mail', read from $1/ as '$2': nothing new (exit $status)" \
    all '[ $status -eq 0 ]' '[ -z "$out" ]'
done
msg 8 > audit/mail/new.eml
out=$(cd audit && "$EMLINT" check --isolated --baseline .emlint-baseline ./mail 2>&1); status=$?
expect "--baseline still reports a new finding (exit $status)" \
  all '[ $status -eq 1 ]' '[[ $out == *"mail/new.eml:"*msgid-encoded-word* ]]' '[[ $out != *m.eml* ]]'

# ---- another user's FIFO in /tmp's way would receive the mail ---------------------------------

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  mkdir -m 1777 sticky && chmod o+x "$T"
  setpriv --reuid=65534 --regid=65534 --clear-groups mkfifo sticky/out.eml
  (timeout 5 cat sticky/out.eml > leaked.txt &)
  err=$(timeout 10 "$EMLINT" fix --isolated --quiet -o sticky/out.eml a.eml 2>&1); status=$?
  timeout 2 sh -c ': > sticky/out.eml' & # let the reader go, should emlint not have opened it
  wait $!
  expect "-o onto another user's FIFO in a sticky folder: refused (exit $status)" \
    all '[ $status -eq 2 ]' '[[ $err == *"out.eml is a FIFO of another user (uid 65534) in a sticky folder: not written" ]]'
  expect "that FIFO's reader got nothing" [ ! -s leaked.txt ]
  mkfifo sticky/mine.eml && (timeout 5 cat sticky/mine.eml > mine.txt &)
  timeout 10 "$EMLINT" fix --isolated --quiet -o sticky/mine.eml a.eml; status=$?
  sleep 0.2
  expect "-o onto one's own FIFO there: written (exit $status)" \
    all '[ $status -eq 0 ]' 'grep -q "^In-Reply-To: <parent1@example.com>" mine.txt'
  # Symlinks and files another user put in /tmp (fs.protected_* may be off, and emlint
  # resolves a named symlink itself): root's -o, --output-dir, --write-baseline and
  # --output-file would overwrite or leak through them.
  echo precious > victim && cp victim victim.orig
  for name in o.eml dir bl report; do
    setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$T/victim" "sticky/$name"
  done
  setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'umask 0; : > sticky/theirs.txt'
  for run in "fix -o sticky/o.eml a.eml" "fix --output-dir sticky/dir a.eml" \
    "check --write-baseline sticky/bl a.eml" "check --output-file sticky/report a.eml" \
    "check --output-file sticky/theirs.txt a.eml"; do
    set -- $run
    err=$("$EMLINT" "$1" --isolated --quiet "${@:2}" 2>&1 >/dev/null); status=$?
    expect "$run, the name another user's in a sticky folder: refused (exit $status)" \
      all '[ $status -eq 2 ]' '[[ $err == *"another user (uid 65534) in a sticky folder"* ]]'
  done
  expect "the symlinks' target is untouched" cmp -s victim victim.orig
  expect "their file got no report" [ ! -s sticky/theirs.txt ]
else
  skip "another user's FIFO, symlink or file in a sticky folder: needs root and setpriv"
fi

# ---- every count says how many inputs failed -------------------------------------------------

out=$(emlint check --statistics a.eml nonexistent.eml 2>/dev/null)
expect "--statistics counts the inputs with errors, as the terminal summary and HTML do" \
  all '[[ $out == *"1 input with errors (exit 2)"* ]]'

# ---- the umask applies to copies, as with cp -------------------------------------------------

chmod 644 a.eml
( umask 077 && "$EMLINT" fix --isolated --quiet -o private.eml a.eml )
expect "umask 077: a copy of a 0644 input is 0600" [ "$(stat -c %a private.eml)" = 600 ]
chmod 600 a.eml
( umask 000 && "$EMLINT" fix --isolated --quiet -o open.eml a.eml )
expect "umask 000: a copy of a 0600 input stays 0600" [ "$(stat -c %a open.eml)" = 600 ]

echo "$passed passed, $failed failed ($skipped skipped)"
[ $failed -eq 0 ] || exit 1
[ $passed -gt 0 ] || exit 77
exit 0
