#!/bin/sh
# Real transcripts, made here, linted by `emlint imap` (suite 'imap'):
#   dovecot  Dovecot's imap binary (Debian's dovecot-imapd), logged in (preauth) over a pipe with
#            a temporary Maildir and rawlog_dir set, driven by Python's imaplib.IMAP4_stream:
#            its rawlog pair and imaplib's debug log lint clean, and a rawlog whose literal size
#            is changed gives imap-literal-size at that line;
#   fake     tests/imap/fake-server.py, which answers like QQ Mail (untagged BAD) and NetEase
#            (NO on SELECT until ID): imaplib's debug log of the session gives imap-id-required
#            at the NO, imap-untagged-bad at the BAD and imap-no-completion at the command.
# No network: the servers run on pipes. Exits 77 (skipped), naming what is missing, without
# python3 or (for dovecot) /usr/lib/dovecot/imap.
set -u

: "${EMLINT:?EMLINT must name the built emlint}"
: "${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}"
scenario=${1:?usage: test-imap-live.sh dovecot|fake}
imap_dir=$(cd "$EMLINT_SOURCE_ROOT/tests/imap" && pwd) || exit 1
dovecot_imap=${DOVECOT_IMAP:-/usr/lib/dovecot/imap}

if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 is not installed"
    exit 77
fi
if [ "$scenario" = dovecot ] && [ ! -x "$dovecot_imap" ]; then
    echo "SKIP: $dovecot_imap not found (Debian package dovecot-imapd)"
    exit 77
fi

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
passes=0
failures=0
pass() { passes=$((passes + 1)); echo "ok - $1"; }
fail()
{
    failures=$((failures + 1))
    echo "not ok - $1"
    [ -s "$work/out" ] && sed 's/^/#   /' "$work/out"
}
# emlint ARGS...: runs the built emlint (behind EMLINT_WRAPPER, e.g. valgrind) into $work/out;
# sets $status.
emlint()
{
    # shellcheck disable=SC2086 # the wrapper is a command line
    ${EMLINT_WRAPPER:-} "$EMLINT" "$@" >"$work/out" 2>&1
    status=$?
}
# expect_finding RULE LINE: the jsonl in $work/out has RULE at LINE.
expect_finding()
{
    grep -q "\"line\":$2,.*\"rule\":\"$1\"" "$work/out"
}

dovecot()
{
    mkdir -p "$work/mail" "$work/rawlog"
    chmod 755 "$work"
    if [ "$(id -u)" = 0 ]; then
        # Dovecot will not touch mail as root: the session runs as nobody.
        chown -R nobody:nogroup "$work/mail" "$work/rawlog"
        uid=nobody gid=nogroup
    else
        uid=$(id -u) gid=$(id -g)
    fi
    cat >"$work/dovecot.conf" <<CONF
base_dir = $work/run
state_dir = $work/state
log_path = $work/dovecot.log
ssl = no
mail_location = maildir:$work/mail
mail_uid = $uid
mail_gid = $gid
protocol imap {
  rawlog_dir = $work/rawlog
}
CONF
    if ! python3 "$imap_dir/drive-imaplib.py" "$work/imaplib.log" dovecot \
        env USER=emlint HOME="$work" "$dovecot_imap" -c "$work/dovecot.conf" >"$work/out" 2>&1
    then
        cat "$work/dovecot.log" >>"$work/out" 2>/dev/null
        fail "imaplib drives dovecot's imap through a session"
        return
    fi
    pass "imaplib drives dovecot's imap through a session"
    in=$(ls "$work"/rawlog/*.in 2>/dev/null | head -n 1)
    if [ -n "$in" ] && [ -f "${in%.in}.out" ]; then pass "dovecot wrote a rawlog pair"; else
        fail "dovecot wrote a rawlog pair"; return; fi
    cp "$in" "$work/session.in" && cp "${in%.in}.out" "$work/session.out"

    emlint imap --isolated --statistics --format jsonl "$work/session.in"
    if [ $status = 0 ] && grep -q '^1 transcripts' "$work/out" && ! grep -q '^{' "$work/out" \
        && ! grep -q 'not checked' "$work/out"; then
        pass "the rawlog pair lints clean, every rule checked"
    else fail "the rawlog pair lints clean, every rule checked"; fi

    emlint imap --isolated --statistics --format jsonl "$work/imaplib.log"
    if [ $status = 0 ] && grep -q '^1 transcripts' "$work/out" && ! grep -q '^{' "$work/out" \
        && grep -q 'not checked: imap-literal-size in 1 transcript (no literal payloads' "$work/out"
    then pass "imaplib's debug log lints clean; --statistics names what it cannot check"
    else fail "imaplib's debug log lints clean; --statistics names what it cannot check"; fi

    # The same session with the APPEND literal announced one octet short.
    append=$(grep -n ' APPEND .*{[0-9]*}' "$work/session.in" | head -n 1 | cut -d: -f1)
    sed 's/\( APPEND .*\){\([0-9]*\)}/\1{41}/' "$work/session.in" >"$work/short.in"
    cp "$work/session.out" "$work/short.out"
    emlint imap --isolated --format jsonl "$work/short.in"
    payload_end=$((append + 4))  # the 4th line of the message: "body", where 41 octets end
    if [ $status = 1 ] && [ -n "$append" ] && expect_finding imap-literal-size "$payload_end"; then
        pass "a rawlog literal one octet short gives imap-literal-size where it ends"
    else fail "a rawlog literal one octet short gives imap-literal-size where it ends"; fi
}

fake()
{
    if ! python3 "$imap_dir/drive-imaplib.py" "$work/fake.log" fake \
        python3 "$imap_dir/fake-server.py" >"$work/out" 2>&1; then
        fail "imaplib's session with the fake server ends"
        return
    fi
    pass "imaplib's session with the fake server ends"
    no=$(grep -n "NO SELECT Unsafe Login" "$work/fake.log" | head -n 1 | cut -d: -f1)
    bad=$(grep -n "< b'\* BAD Command!'" "$work/fake.log" | cut -d: -f1)
    xxx=$(grep -n "> b'[A-Z]*[0-9]* XXX " "$work/fake.log" | cut -d: -f1)
    emlint imap --isolated --format jsonl "$work/fake.log"
    if [ $status = 1 ] && [ -n "$no" ] && expect_finding imap-id-required "$no"; then
        pass "NetEase's NO on SELECT: imap-id-required at line $no"
    else fail "NetEase's NO on SELECT: imap-id-required at line ${no:-?}"; fi
    if [ -n "$bad" ] && expect_finding imap-untagged-bad "$bad"; then
        pass "QQ's untagged BAD: imap-untagged-bad at line $bad"
    else fail "QQ's untagged BAD: imap-untagged-bad at line ${bad:-?}"; fi
    if [ -n "$xxx" ] && expect_finding imap-no-completion "$xxx"; then
        pass "the command QQ never completes: imap-no-completion at line $xxx"
    else fail "the command QQ never completes: imap-no-completion at line ${xxx:-?}"; fi
    if [ "$(grep -c '^{' "$work/out")" = 3 ]; then pass "no other finding"
    else fail "no other finding"; fi
    emlint imap --isolated --source "$work/fake.log"
    if grep -q 'hunter2-secret' "$work/fake.log" && ! grep -q 'hunter2-secret' "$work/out"; then
        pass "the LOGIN password in the log is not in the report"
    else fail "the LOGIN password in the log is not in the report"; fi
}

"$scenario"
echo "$passes passed, $failures failed"
[ "$failures" = 0 ]
