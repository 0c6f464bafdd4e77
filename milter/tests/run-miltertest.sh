#!/bin/sh
# Runs every miltertest script of this folder against emlint-milter, each with its own socket,
# and checks the one log line per message that each writes. Exit 77 when miltertest (Debian
# package miltertest) or the milter (built only with libmilter-dev) is missing.
# Usage: run-miltertest.sh MILTER_BINARY [SCRIPT...]
set -u
milter=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v miltertest >/dev/null 2>&1; then
  echo "SKIP: miltertest is not installed (apt-get install miltertest)"
  exit 77
fi
if [ ! -x "$milter" ]; then
  echo "SKIP: emlint-milter was not built (libmilter-dev is missing at meson setup)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ $# -gt 0 ] || set -- "$here"/*.lua
# EMLINT_WRAPPER (e.g. valgrind with --error-exitcode): miltertest starts the milter through it,
# and fails the script when the milter exits non-zero.
if [ -n "${EMLINT_WRAPPER:-}" ]; then
  printf '#!/bin/sh\nexec %s %s "$@"\n' "$EMLINT_WRAPPER" "$milter" >"$work/milter"
  chmod +x "$work/milter"
  milter=$work/milter
fi
passed=0
failed=0
port=$(( 20000 + $$ % 20000 ))

# expect_log SCRIPT PATTERN: the script's log holds a line matching the extended regex.
expect_log() {
  if grep -Eq "$2" "$work/$1.log"; then
    echo "ok: $1 log: $2"
  else
    echo "FAILED: $1 log has no line matching: $2"
    sed 's/^/  | /' "$work/$1.log"
    return 1
  fi
}

check_logs() {
  # A sanitizer or valgrind report from the milter fails the script whatever it asserted.
  if grep -Eq 'ERROR: [A-Za-z]+Sanitizer|runtime error:|==[0-9]+== (Invalid|Conditional|.*definitely lost)' "$work/$1.log"; then
    echo "FAILED: $1: the milter's log holds a sanitizer or valgrind report"
    return 1
  fi
  case $1 in
    fix) expect_log fix 'queue=FIX1 findings=msgid-encoded-word,msgid-encoded-word fixes=msgid-encoded-word,msgid-encoded-word action=fix$' &&
         expect_log fix 'queue=FIX2 findings=- fixes=- action=none$' ;;
    tag) expect_log tag 'queue=TAG1 findings=msgid-encoded-word,msgid-encoded-word fixes=- action=tag$' ;;
    reject) expect_log reject 'queue=REJ1 findings=msgid-encoded-word,msgid-encoded-word fixes=- action=reject$' ;;
    log) expect_log log 'queue=LOG1 findings=msgid-encoded-word,msgid-encoded-word fixes=- action=none$' ;;
    dryrun) expect_log dryrun 'queue=DRY1 findings=msgid-encoded-word,msgid-encoded-word fixes=- action=reject dry-run=yes$' ;;
    unsafe) expect_log unsafe 'queue=UNS1 findings=msgid-long-domain fixes=msgid-long-domain action=fix$' &&
            expect_log unsafe 'queue=UNS2 findings=msgid-long-domain fixes=- action=none$' ;;
    dkim) expect_log dkim 'queue=SIG1 findings=msgid-encoded-word,msgid-encoded-word fixes=msgid-encoded-word action=fix$' ;;
    oversize) expect_log oversize 'queue=BIG1 findings=- fixes=- action=pass reason="header section over max-header-size \(2048 octets\)"$' &&
              expect_log oversize 'queue=JUNK1 findings=[a-z0-9,-]+ fixes=[a-z0-9,-]+ action=' &&
              expect_log oversize 'queue=EMPTY1 findings=[a-z0-9,-]+ fixes=- action=none$' &&
              expect_log oversize 'queue=AFTER1 findings=- fixes=- action=none$' &&
              ! grep -q ABORTED "$work/oversize.log" ;;
    reload) expect_log reload 'queue=HUP1 .* action=none$' &&
            expect_log reload 'configuration reloaded from' &&
            expect_log reload 'queue=HUP2 .* action=fix$' &&
            expect_log reload "reload failed, keeping the configuration in force: .*default: 'shred' is not fix, tag, reject or log" &&
            expect_log reload 'queue=HUP3 .* action=fix$' ;;
    *) true ;;
  esac
}

for script in "$@"; do
  name=$(basename "$script" .lua)
  [ "$name" = common ] && continue
  port=$((port + 1))
  if miltertest -D MILTER="$milter" -D SOCK="inet:$port@127.0.0.1" \
       -D SOCK2="inet:$((port + 10000))@127.0.0.1" -D CONFDIR="$here/conf" \
       -D TESTDIR="$here" -D WORK="$work" -s "$script" >"$work/$name.out" 2>"$work/$name.log" \
     && cat "$work/$name.out" && check_logs "$name"; then
    echo "PASS: $name"
    passed=$((passed + 1))
  else
    cat "$work/$name.out" "$work/$name.log" | sed 's/^/  | /'
    echo "FAIL: $name"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
