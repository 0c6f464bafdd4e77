#!/bin/bash
# End to end, all on loopback: a Postfix instance of our own (its own config and queue in a
# temporary folder, listening on 127.0.0.1 only, delivering to a Maildir through virtual(8),
# everything else bounced by default_transport = error), emlint-milter, then OpenDKIM signing
# after it with a fresh test key. swaks submits the reply Python 3.11 built with encoded ids; the
# delivered file must have plain ids, the sent body, nothing emlint would still fix, and a DKIM
# signature that dkimpy verifies. Every service started here is stopped on exit.
#
# Usage: test-e2e.sh EMLINT_MILTER EMLINT
# Exit 77, naming what is missing, without root, postfix, opendkim, swaks or python3-dkim.
set -u
milter=$1
emlint=$2
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3

missing=()
[ "$(id -u)" -eq 0 ] || missing+=("root (Postfix starts as root)")
[ -x "$milter" ] || missing+=("emlint-milter (libmilter-dev at meson setup)")
for tool in postfix opendkim opendkim-genkey swaks; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
"$python" -c 'import dkim' 2>/dev/null || missing+=("python3-dkim")
if [ ${#missing[@]} -gt 0 ]; then
  echo "SKIP: missing: ${missing[*]} (apt-get install postfix opendkim opendkim-tools swaks python3-dkim)"
  exit 77
fi
export PATH="$PATH:/usr/sbin"
. "$here/postfix-instance.sh"

# Not under /tmp: OpenDKIM refuses a configuration below a folder others may write to.
T=$(mktemp -d /run/emlint-e2e.XXXXXX)
chmod 755 "$T"
pids=()
postfix_up=false
cleanup() {
  $postfix_up && postfix_stop "$T"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  [ -n "${KEEP:-}" ] && echo "kept $T" || rm -rf "$T"
}
trap cleanup EXIT

passed=0
failed=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then
    echo "ok: $what"
    passed=$((passed + 1))
  else
    echo "FAILED: $what"
    failed=$((failed + 1))
  fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && exit 0 || exit 1
}
die() {
  echo "FAILED: $*"
  for log in "$T"/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -n 30 "$log"; }; done
  failed=$((failed + 1))
  finish
}

read -r smtp_port milter_port dkim_port < <(free_ports 3)
mkdir -p "$T/dkim"
# emlint-milter first, OpenDKIM after it: the signature covers the repaired fields. (tempfail
# here, so that a dead milter fails the test instead of passing mail unrepaired; operators
# choose accept, see README.)
postfix_write_config "$T" "$smtp_port" \
  "inet:127.0.0.1:$milter_port, inet:127.0.0.1:$dkim_port" tempfail || die "postfix config"

# OpenDKIM with a fresh key for example.test, selector "test".
opendkim-genkey -D "$T/dkim" -d example.test -s test || die "opendkim-genkey"
chmod 600 "$T/dkim/test.private"
cat >"$T/opendkim.conf" <<EOF
Syslog no
Mode s
Domain example.test
Selector test
KeyFile $T/dkim/test.private
Socket inet:$dkim_port@127.0.0.1
Canonicalization relaxed/simple
InternalHosts 127.0.0.1
PidFile $T/opendkim.pid
EOF
opendkim -f -x "$T/opendkim.conf" >"$T/opendkim.log" 2>&1 &
pids+=($!)

cat >"$T/milter.ini" <<'EOF'
[milter]
default = fix
EOF
"$milter" -f -p "inet:$milter_port@127.0.0.1" -c "$T/milter.ini" >"$T/milter.log" 2>&1 &
pids+=($!)

postfix -c "$T/etc" start >"$T/postfix-start.log" 2>&1 || die "postfix -c $T/etc start"
postfix_up=true

wait_port "$milter_port" || die "emlint-milter did not start"
wait_port "$dkim_port" || die "opendkim did not start"
wait_port "$smtp_port" || die "postfix did not start"

"$python" "$here/e2e-message.py" build "$T/sent.eml" || die "building the message"
# swaks ends the DATA with CRLF . CRLF after the text it is given: give it the message without
# its final line ending, so that what arrives is exactly sent.eml.
head -c -2 "$T/sent.eml" >"$T/swaks-data.eml"
swaks --server 127.0.0.1 --port "$smtp_port" --from app@example.test --to user@example.test \
  --data "$T/swaks-data.eml" >"$T/swaks.log" 2>&1 || die "swaks could not submit the message"

delivered=
for _ in $(seq 300); do
  delivered=$(find "$T/mail/user/new" -type f 2>/dev/null | head -n 1)
  [ -n "$delivered" ] && break
  sleep 0.1
done
[ -n "$delivered" ] || die "nothing delivered to the Maildir within 30 s"
echo "ok: delivered to $delivered"
passed=$((passed + 1))

"$python" "$here/e2e-message.py" verify "$T/sent.eml" "$delivered" "$T/dkim/test.txt"
status=$?
check "the delivered message passes the Python checks above" [ "$status" -eq 0 ]

# emlint finds nothing it would still fix. A signature makes every fix of a signed field unsafe
# (so not fixable); the check is on the message without OpenDKIM's field, which the milter saw.
"$python" - "$delivered" >"$T/unsigned.eml" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
sys.stdout.buffer.write(re.sub(rb"(?m)^DKIM-Signature:.*\n(?:[ \t].*\n)*", b"", data, count=1))
EOF
fixable() {  # fixable FILE: emlint check finds a finding with a fix in FILE
  "$emlint" check --format json "$1" >"$T/check.json"
  "$python" -c "import json, sys; sys.exit(not any(f['fixable'] for f in json.load(open(sys.argv[1]))))" \
    "$T/check.json"
}
check "emlint check finds the fixable findings in the message sent" fixable "$T/sent.eml"
check "emlint check finds nothing fixable in the delivered message" \
  eval '! fixable "$T/unsigned.eml"' 
check "no sanitizer report in the milter's log" \
  eval "! grep -Eq 'ERROR: [A-Za-z]+Sanitizer|runtime error:' \"\$T/milter.log\""
check "emlint-milter logged one line with the fixes" \
  grep -Eq 'queue=[0-9A-Za-z]+ findings=msgid-encoded-word,msgid-encoded-word fixes=msgid-encoded-word,msgid-encoded-word action=fix$' "$T/milter.log"
[ "$failed" -eq 0 ] || for log in "$T"/*.log; do echo "--- $log"; tail -n 20 "$log"; done
finish
