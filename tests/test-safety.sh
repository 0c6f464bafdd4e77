#!/bin/bash
# test-safety.sh: the write path of `emlint fix` against what an operator meets on a live mail
# server (issue 10; README "Safety"): special files as destinations, gzip, a user who swaps a
# file for a symlink between read and rename, symlinks inside folders, owners, ACLs and extended
# attributes, delivery agents appending under the mbox locks, two fixes at once, kill -9.
# Runs as root (CI does); the cases that need root, setpriv or setfacl skip without them.
set -u
: "${EMLINT:?run with meson test}" "${EMLINT_FAULT_SHIM:?}" "${EMLINT_MBOX_LOCK:?}"
T=$(mktemp -d)
cleanup() { [ "$BASHPID" = $$ ] || return; chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T" "${K:-}"; }
trap cleanup EXIT
chmod 755 "$T" && cd "$T" || exit 2
passed=0 failed=0 skipped=0
ROOT=$([ "$(id -u)" -eq 0 ] && echo yes || echo no)

ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1"; }
skip() { skipped=$((skipped + 1)); echo "skip - $1"; }
# expect NAME COMMAND...: one assertion.
expect() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
fix() { "$EMLINT" fix --isolated --quiet "$@"; }
as_user() { setpriv --reuid="$1" --regid="$2" --groups="$3" -- "${@:4}"; }
shim=(env LD_PRELOAD="$EMLINT_FAULT_SHIM" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0")
# with_fault FAULT COMMAND ARGS...: emlint fix ARGS under the fault shim, which runs the shell
# COMMAND at FAULT (fsync-run: after the read; renameat2-run: in the rename) or fails a call.
with_fault() {
  EMLINT_FAULT=$1 EMLINT_FAULT_RUN=$2 "${shim[@]}" "$EMLINT" fix --isolated --quiet "${@:3}"
}

# A message emlint fixes (In-Reply-To as an encoded-word), and what it becomes.
msg() {
  printf 'From: a@example.com\nDate: Mon, 2 Oct 2023 10:00:00 +0000\nMessage-ID: <%s@example.com>\n' "$1"
  printf 'In-Reply-To: =?utf-8?q?=3Cparent%s=40example=2Ecom=3E?=\n\nbody %s\n' "$1" "$1"
}
fixed_msg() { msg "$1" | "$EMLINT" fix --isolated --quiet -o - - 2>/dev/null; }
clean_msg() { fixed_msg "$1"; }
mbox_of() { for i in "$@"; do printf 'From x@example.com Mon Oct  2 10:00:00 2023\n'; msg "$i"; echo; done; }

# ---- destinations that are not regular files ----------------------------------------------

msg 1 > in.eml
fixed_msg 1 > want.eml
expect "the repaired message is the one expected (the rest compares against it)" \
  [ "$(grep '^In-Reply-To' want.eml)" = "In-Reply-To: <parent1@example.com>" ]
if [ "$ROOT" = yes ]; then
  mknod -m 666 dev c 1 3
  fix -o dev in.eml; status=$?
  expect "-o on a character device: written as a stream (exit $status)" [ $status -eq 0 ]
  expect "-o on a character device: the device is still one" [ -c dev ]
  err=$(fix --in-place dev 2>&1); status=$?
  expect "--in-place on a character device: refused (exit $status)" [ $status -eq 2 ]
  expect "--in-place on a character device: in one line" \
    [ "$err" = "emlint: dev: not a regular file: --in-place replaces regular files only" ]
  expect "--in-place on a character device: still one" [ -c dev ]
else
  skip "-o on a character device: mknod needs root"
fi
mkfifo out.fifo
cat out.fifo > from-fifo & reader=$!
fix -o out.fifo in.eml; status=$?
wait $reader
expect "-o on a FIFO: exit 0" [ $status -eq 0 ]
expect "-o on a FIFO: still a FIFO" [ -p out.fifo ]
expect "-o on a FIFO: the reader got the repaired message" cmp -s from-fifo want.eml
if command -v python3 >/dev/null; then
  python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind("out.sock"); s.listen(1); print("ready", flush=True)
c, _ = s.accept(); data = b""
while True:
    b = c.recv(65536)
    if not b: break
    data += b
open("from-socket", "wb").write(data)' > sock-ready & listener=$!
  n=0; while ! grep -q ready sock-ready 2>/dev/null && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
  fix -o out.sock in.eml; status=$?
  wait $listener
  expect "-o on a socket: written as a stream (exit $status)" [ $status -eq 0 ]
  expect "-o on a socket: still a socket" [ -S out.sock ]
  expect "-o on a socket: the listener got the repaired message" cmp -s from-socket want.eml
else
  skip "-o on a socket: python3 missing"
fi
mkfifo in.fifo
err=$(fix --in-place in.fifo 2>&1); status=$?
expect "--in-place on a FIFO: exit 2" [ $status -eq 2 ]
expect "--in-place on a FIFO: one line naming it" \
  [ "$err" = "emlint: in.fifo: not a regular file: --in-place replaces regular files only" ]
expect "--in-place on a FIFO: still a FIFO" [ -p in.fifo ]

# ---- gzip: every destination writes gzip ----------------------------------------------------

mbox_of 1 2 3 > plain.mbox
"$EMLINT" fix --isolated --quiet -o want.mbox plain.mbox
mkdir gz && gzip -c plain.mbox > gz/a.mbox.gz
cp gz/a.mbox.gz gz/b.mbox.gz && cp gz/a.mbox.gz gz/c.mbox.gz
fix --in-place gz/a.mbox.gz
fix -o gz/out.mbox.gz gz/b.mbox.gz
fix --suffix .fixed gz/c.mbox.gz
fix --output-dir o gz/c.mbox.gz
for f in gz/a.mbox.gz gz/out.mbox.gz gz/c.mbox.gz.fixed o/gz/c.mbox.gz; do
  expect "gzip: $f passes gzip -t" gzip -t "$f"
  expect "gzip: zcat $f gives the repaired text" cmp -s <(zcat "$f") want.mbox
done
expect "gzip: a plain input written under a .gz name is compressed" \
  sh -c "\"$EMLINT\" fix --isolated --quiet -o named.gz plain.mbox && gzip -t named.gz"
# Several members (cat a.gz b.gz, as logrotate and pigz make): every message is kept.
mbox_of 1 2 | gzip -c > m1.gz
mbox_of 3 | gzip -c > m2.gz
cat m1.gz m2.gz > multi.mbox.gz
if [ "$("$EMLINT" check --isolated --select msgid-encoded-word multi.mbox.gz | wc -l)" -lt 3 ]; then
  skip "gzip of several members: the reader stops at the first member (the read side of issue 10)"
else
  fix --in-place multi.mbox.gz
  expect "gzip of several members: fixed in place, all 3 messages kept" \
    [ "$(zcat multi.mbox.gz | grep -c '^From x')" -eq 3 ]
  expect "gzip of several members: and repaired" cmp -s <(zcat multi.mbox.gz) want.mbox
fi

# ---- symlinks and races ---------------------------------------------------------------------

if [ "$ROOT" = yes ] && command -v setpriv >/dev/null; then
  # A user's Maildir; root fixes it in place; the user swaps cur/0001 for a symlink to a
  # root-owned file between emlint's read and its rename (the shim runs the swap at fsync).
  mkdir -p race/Maildir/cur race/Maildir/new race/Maildir/tmp
  msg 1 > race/Maildir/cur/0001
  msg 2 > race/Maildir/cur/0002
  printf 'root secret\n' > race/secret && chmod 600 race/secret
  chown -R 65534:65534 race/Maildir && chmod 755 race
  swap="cd $T/race/Maildir/cur && setpriv --reuid=65534 --regid=65534 --clear-groups -- \
sh -c 'mv 0001 0001.saved && ln -s $T/race/secret 0001'"
  err=$(with_fault fsync-run "$swap" --jobs 1 --in-place race/Maildir 2>&1); status=$?
  expect "race: exit 2" [ $status -eq 2 ]
  expect "race: the swapped name is reported, left as it is" \
    [ "$err" = "emlint: race/Maildir/cur/0001: changed since it was read (written to, renamed or replaced): left as it is" ]
  expect "race: the root-owned file is untouched" [ "$(cat race/secret)" = "root secret" ]
  expect "race: the symlink is still a symlink" [ -L race/Maildir/cur/0001 ]
  expect "race: the user's file is untouched" cmp -s race/Maildir/cur/0001.saved <(msg 1)
  # The same swap in the very instant of the rename, after emlint's last look (the shim runs it
  # inside renameat2): the exchange brings the symlink out, so emlint trades back.
  mv race/Maildir/cur/0001.saved race/Maildir/cur/0001.tmp
  rm race/Maildir/cur/0001 && mv race/Maildir/cur/0001.tmp race/Maildir/cur/0001
  err=$(with_fault renameat2-run "$swap" --in-place race/Maildir/cur/0001 2>&1); status=$?
  expect "race at the rename: exit 2" [ $status -eq 2 ]
  expect "race at the rename: reported" [ "$err" = "emlint: race/Maildir/cur/0001: changed since it was read (written to, renamed or replaced): left as it is" ]
  expect "race at the rename: the root-owned file is untouched" [ "$(cat race/secret)" = "root secret" ]
  expect "race at the rename: the symlink is back at its name" [ -L race/Maildir/cur/0001 ]
  expect "race at the rename: no temporary left" [ -z "$(ls -A race/Maildir/cur | grep emlint)" ]
  expect "race at the rename: the user's file is untouched" cmp -s race/Maildir/cur/0001.saved <(msg 1)
  # The user swaps the folder itself: cur/ moved away, a symlink to a root folder in its place.
  # emlint holds the folder's descriptor: the rename lands in the moved folder, not behind the
  # symlink.
  mkdir -p race/rootdir race/M2/cur race/M2/new race/M2/tmp && msg 13 > race/M2/cur/0001
  chown -R 65534:65534 race/M2
  swap="cd $T/race/M2 && setpriv --reuid=65534 --regid=65534 --clear-groups -- \
sh -c 'mv cur cur.moved && ln -s $T/race/rootdir cur'"
  with_fault fsync-run "$swap" --in-place race/M2 2>/dev/null
  expect "folder swap: nothing written behind the symlink" [ -z "$(ls -A race/rootdir)" ]
  expect "folder swap: the fix landed in the folder that was read" \
    cmp -s race/M2/cur.moved/0001 <(fixed_msg 13)
  # A Maildir message that a reader rewrites between emlint's read and its rename (the same
  # inode, a new size): left alone, reported. A message starting with a From_ line is no mbox
  # there: no dotlock appears in cur/ for Maildir readers to see.
  { printf 'From x@example.com Mon Oct  2 10:00:00 2023\n'; msg 12; } > race/Maildir/cur/0003
  append="echo 'flagged by the reader' >> $T/race/Maildir/cur/0003; ls -A $T/race/Maildir/cur > $T/cur-listing"
  err=$(with_fault fsync-run "$append" --in-place race/Maildir/cur/0003 2>&1); status=$?
  expect "changed: a Maildir file written to since the read is refused (exit $status)" [ $status -eq 2 ]
  expect "changed: and reported" [ "$err" = "emlint: race/Maildir/cur/0003: changed since it was read (written to, renamed or replaced): left as it is" ]
  expect "changed: the reader's change is kept" [ "$(tail -n 1 race/Maildir/cur/0003)" = "flagged by the reader" ]
  expect "changed: no dotlock in a Maildir folder" [ -s cur-listing -a -z "$(grep lock cur-listing)" ]
  # Named from inside cur/ (the folder is "."): still a Maildir, still no dotlock.
  cp race/Maildir/cur/0003 race/Maildir/cur/0004 && printf 'From x\n' > race/Maildir/cur/0004.lock
  (cd race/Maildir/cur && EMLINT_LOCK_TIMEOUT=1 "$EMLINT" fix --isolated --quiet --in-place 0004)
  status=$?
  expect "Maildir from inside cur/: no lock taken or waited for (exit $status)" [ $status -eq 0 ]
  rm -f race/Maildir/cur/0004 race/Maildir/cur/0004.lock
  # A symlink already in a folder: the walk skips it (and counts it), never written through.
  rm -f race/Maildir/cur/0001.saved
  err=$("$EMLINT" fix --isolated --in-place race/Maildir 2>&1); status=$?
  expect "walk: a symlink in a folder is skipped (exit $status)" [ $status -eq 0 ]
  expect "walk: the summary counts it" grep -q 'symlinks: 1' <<< "$err"
  expect "walk: its target is untouched" [ "$(cat race/secret)" = "root secret" ]
  expect "walk: the other file is fixed" cmp -s race/Maildir/cur/0002 <(fixed_msg 2)
else
  skip "race: needs root and setpriv"
fi
# A symlink named on the command line is followed: its target is fixed, the link stays.
msg 3 > target.eml && ln -s target.eml named-link.eml
fix --in-place named-link.eml
expect "named symlink: followed, its target fixed" cmp -s target.eml <(fixed_msg 3)
expect "named symlink: still a symlink" [ -L named-link.eml ]
# A folder symlink below a walked folder: not followed, nothing behind it written.
mkdir -p walk/real elsewhere && msg 4 > elsewhere/x.eml && ln -s ../elsewhere walk/real/sub
msg 16 > walk/real/y.eml
fix --in-place walk 2>/dev/null; status=$?
expect "walk: a folder symlink is skipped (exit $status)" [ $status -eq 0 ]
expect "walk: the file behind it is untouched" cmp -s elsewhere/x.eml <(msg 4)
expect "walk: the real file beside it is fixed" cmp -s walk/real/y.eml <(fixed_msg 16)
# --output-dir never leaves itself: out/in is a symlink elsewhere.
mkdir -p in out outside && msg 5 > in/x.eml && ln -s ../outside out/in
err=$(fix --output-dir out in/x.eml 2>&1); status=$?
expect "--output-dir: a symlink inside it is refused (exit $status)" [ $status -eq 2 ]
expect "--output-dir: nothing written outside it" [ -z "$(ls -A outside)" ]
expect "--output-dir: the error names the symlink" [ "$err" = "emlint: in/x.eml: in is a symlink or not a folder: not followed" ]

# ---- metadata -------------------------------------------------------------------------------

if [ "$ROOT" = yes ] && command -v setpriv >/dev/null; then
  mkdir meta && chmod 755 meta
  msg 6 > meta/suid.eml && chown 1000:8 meta/suid.eml && chmod 6750 meta/suid.eml
  fix --in-place meta/suid.eml
  expect "metadata: setuid, setgid, owner and group survive" \
    [ "$(stat -c '%a %u %g' meta/suid.eml)" = "6750 1000 8" ]
  expect "metadata: and the file is fixed" cmp -s meta/suid.eml <(fixed_msg 6)
  # A group member of mail (not root) on alice:mail 0660 cannot keep alice as owner: refused.
  mkdir spool && chown 0:8 spool && chmod 2775 spool
  msg 7 > spool/alice && chown 1000:8 spool/alice && chmod 660 spool/alice
  err=$(as_user 1001 1001 8 "$EMLINT" fix --isolated --quiet --in-place spool/alice 2>&1); status=$?
  expect "metadata: a group member's fix is refused (exit $status)" [ $status -eq 2 ]
  expect "metadata: the error says owner and group" \
    [ "$err" = "emlint: spool/alice: cannot keep its owner 1000 and group 8 (Operation not permitted): left as it is" ]
  expect "metadata: alice's file is untouched" \
    [ "$(stat -c '%U %u %g %a' spool/alice)" = "$(stat -c '%U' spool/alice) 1000 8 660" ]
  expect "metadata: alice's file keeps its text" cmp -s spool/alice <(msg 7)
  expect "metadata: no file left in the spool" [ "$(ls -A spool)" = alice ]
else
  skip "metadata: owners need root and setpriv"
fi
msg 8 > attrs.eml
if command -v setfacl >/dev/null && command -v setfattr >/dev/null \
   && setfattr -n user.emlint -v kept attrs.eml 2>/dev/null && setfacl -m u:1234:rw attrs.eml 2>/dev/null; then
  chmod 640 attrs.eml  # the ACL mask becomes r--
  acl_before=$(getfacl -c attrs.eml 2>/dev/null)
  fix --in-place attrs.eml
  expect "xattrs: user.* kept" [ "$(getfattr --only-values -n user.emlint attrs.eml 2>/dev/null)" = kept ]
  expect "xattrs: the POSIX ACL (system.posix_acl_access) kept, mask and all" \
    [ "$(getfacl -c attrs.eml 2>/dev/null)" = "$acl_before" ]
  expect "xattrs: mode kept" [ "$(stat -c %a attrs.eml)" = 640 ]
  expect "xattrs: fixed" cmp -s attrs.eml <(fixed_msg 8)
  # A folder's default ACL is not given to a file that had none.
  mkdir dacl && setfacl -d -m u:1234:rwx dacl && msg 9 > dacl/x.eml && setfacl -b dacl/x.eml
  chmod 600 dacl/x.eml
  fix --in-place dacl/x.eml
  expect "xattrs: no ACL inherited from the folder" [ -z "$(getfattr -m - -d dacl/x.eml 2>/dev/null)" ]
  expect "xattrs: mode still 600" [ "$(stat -c %a dacl/x.eml)" = 600 ]
else
  skip "xattrs: setfacl/setfattr missing or the file system has no user xattrs or ACLs"
fi

# ---- locks ------------------------------------------------------------------------------------

# A delivery agent appends 150 messages under the locks while two emlint processes fix the
# mbox in place over and over: every message arrives, and every one is repaired in the end.
mbox_of 0 > spool.mbox
"$EMLINT_MBOX_LOCK" spool.mbox append 150 & agent=$!
fixer() { while kill -0 $agent 2>/dev/null; do fix --in-place spool.mbox 2>>fix-errors; done; }
fixer & f1=$!
fixer & f2=$!
wait $agent; wait $f1 $f2
fix --in-place spool.mbox
expect "locks: all 151 messages present" [ "$(grep -c '^From ' spool.mbox)" -eq 151 ]
expect "locks: each appended message once" [ "$(grep '^appended ' spool.mbox | sort -u | wc -l)" -eq 150 ]
expect "locks: nothing left to fix" [ "$(grep -c '=?utf-8?' spool.mbox)" -eq 0 ]
expect "locks: no dotlock or temporary left" [ -z "$(ls -A | grep -e '\.lock$' -e '^\.emlint-')" ]
expect "locks: no fix failed (serialised)" [ ! -s fix-errors ]
[ -s fix-errors ] && sed 's/^/# /' fix-errors | sort | uniq -c | head -5
# The same mbox named twice: its second fix waits for the first (not for its own locks).
mbox_of 1 > twice.mbox
err=$(EMLINT_LOCK_TIMEOUT=5 "$EMLINT" fix --isolated --quiet --in-place twice.mbox twice.mbox 2>&1)
status=$?
expect "locks: an mbox named twice is fixed once, no error (exit $status: $err)" [ $status -eq 0 ]
expect "locks: and repaired" cmp -s twice.mbox <(mbox_of 1 | "$EMLINT" fix --isolated --quiet -o - -)
# A lock held longer than the timeout: refused, untouched.
mbox_of 1 > held.mbox
coproc HOLDER { "$EMLINT_MBOX_LOCK" held.mbox hold 3; }
read -r _ <&"${HOLDER[0]}"
err=$(EMLINT_LOCK_TIMEOUT=1 "$EMLINT" fix --isolated --quiet --in-place held.mbox 2>&1); status=$?
expect "locks: a lock held past the timeout refuses the file (exit $status)" [ $status -eq 2 ]
expect "locks: the error names the dotlock" \
  [ "$err" = "emlint: held.mbox: still locked by another program after 1 s (an fcntl lock or held.mbox.lock): left as it is" ]
expect "locks: untouched" cmp -s held.mbox <(mbox_of 1)
wait "$HOLDER_PID"
# SIGTERM or SIGINT while waiting for a lock: the dotlock emlint already holds (on a.mbox) goes
# too, and nothing is written.
mbox_of 2 > a.mbox
for sig in TERM INT; do
  coproc HOLDER { "$EMLINT_MBOX_LOCK" held.mbox hold 3; }
  read -r _ <&"${HOLDER[0]}"
  "$EMLINT" fix --isolated --quiet --in-place a.mbox held.mbox 2>/dev/null & pid=$!
  n=0; while [ ! -e a.mbox.lock ] && [ $n -lt 100 ]; do sleep 0.02; n=$((n + 1)); done
  kill -$sig $pid; wait $pid; status=$?
  wait "$HOLDER_PID"
  expect "locks: SIG$sig ends emlint (status $status)" [ $status -eq $((128 + $(kill -l $sig))) ]
  expect "locks: SIG$sig leaves no dotlock of emlint's" [ ! -e a.mbox.lock ]
  expect "locks: and no file changed" cmp -s a.mbox <(mbox_of 2)
done

# ---- clean files, long names, read-only folders -------------------------------------------

mkdir -p clean/cur && clean_msg 10 > clean/cur/1 && touch -d @1000000000 clean/cur
fix --in-place clean
expect "clean: the folder's mtime is unchanged" [ "$(stat -c %Y clean/cur)" = 1000000000 ]
if [ "$ROOT" = yes ] && command -v setpriv >/dev/null; then
  chmod 555 clean/cur && chmod 755 clean
  err=$(as_user 65534 65534 65534 "$EMLINT" fix --isolated --quiet --in-place clean 2>&1); status=$?
  expect "clean: a read-only folder of clean files is no error (exit $status: $err)" [ $status -eq 0 ]
  chmod 755 clean/cur
fi
long=$(printf 'x%.0s' $(seq 1 255))
msg 11 > "$long"
fix --in-place "$long"; status=$?
expect "long names: a 255-octet name is fixed in place (exit $status)" [ $status -eq 0 ]
expect "long names: and repaired" cmp -s "$long" <(fixed_msg 11)

# ---- a file system without O_TMPFILE (the shim says so): named temporaries ------------------

mkdir -p notmp && msg 14 > notmp/a.eml && clean_msg 15 > notmp/b.eml && touch -d @1000000000 notmp
with_fault otmpfile "" --in-place notmp/a.eml; status=$?
expect "no O_TMPFILE: fixed in place through a named temporary (exit $status)" [ $status -eq 0 ]
expect "no O_TMPFILE: repaired" cmp -s notmp/a.eml <(fixed_msg 14)
expect "no O_TMPFILE: no temporary left" [ "$(ls -A notmp)" = "$(printf 'a.eml\nb.eml')" ]
# SIGTERM while a named temporary is being written (its input a pipe that stays open): the
# handler removes it.
mkfifo notmp/in.fifo
(for i in $(seq 1 300); do printf 'From x@example.com Mon Oct  2 10:00:00 2023\n'; msg "p$i"; echo; done
 sleep 30) > notmp/in.fifo & writer=$!
EMLINT_FAULT=otmpfile "${shim[@]}" "$EMLINT" fix --isolated --quiet --jobs 1 -o notmp/out.mbox - \
  < notmp/in.fifo & pid=$!  # env, not a function: $! must be emlint itself
n=0; while [ -z "$(ls -A notmp | grep emlint-)" ] && [ $n -lt 200 ]; do sleep 0.02; n=$((n + 1)); done
expect "no O_TMPFILE: the named temporary exists while writing" [ -n "$(ls -A notmp | grep emlint-)" ]
kill -TERM $pid; wait $pid; status=$?
kill $writer 2>/dev/null; wait $writer 2>/dev/null
expect "no O_TMPFILE: SIGTERM ends emlint (status $status)" [ $status -eq 143 ]
expect "no O_TMPFILE: SIGTERM removes the named temporary" [ -z "$(ls -A notmp | grep emlint-)" ]
expect "no O_TMPFILE: and writes no copy" [ ! -e notmp/out.mbox ]

# ---- kill -9 ----------------------------------------------------------------------------------

# 50 random kill -9 during fix --in-place of a Maildir and of an mbox: every file is byte for
# byte its old or its new version. A kill between naming the temporary and renaming it may leave
# a .emlint-* file (hidden, ignored by Maildir readers); it never replaces a message.
# On tmpfs where there is one, so that fsync does not set the pace (a run takes ~25 ms there).
K=$(mktemp -d /dev/shm/emlint-kill-XXXXXX 2>/dev/null) || K=$(mktemp -d -p "$T")
ln -s "$K" kill
mkdir -p kill/Maildir/cur kill/Maildir/new kill/Maildir/tmp kill/old kill/new
for i in $(seq 1 20); do msg "k$i" > "kill/old/$i"; fixed_msg "k$i" > "kill/new/$i"; done
for i in $(seq 1 400); do printf 'From x@example.com Mon Oct  2 10:00:00 2023\n'; msg "b$i"; echo; done > kill/old.mbox
"$EMLINT" fix --isolated --quiet -o kill/new.mbox kill/old.mbox
# The allowed contents, as checksums: old and new of each file (one md5sum per round).
(cd kill/new && md5sum * | sed 's|  |  Maildir/cur/|'; md5sum ../new.mbox | sed 's|\.\./new|box|') \
  > kill/allowed-new
(cd kill/old && md5sum * | sed 's|  |  Maildir/cur/|'; md5sum ../old.mbox | sed 's|\.\./old|box|') \
  | cat - kill/allowed-new > kill/allowed
# Kills land anywhere in a run: time one whole run first (a sanitizer build is slower).
restore() {
  rm -f kill/Maildir/cur/* kill/Maildir/cur/.emlint-* kill/box.mbox.lock kill/.emlint-*
  cp kill/old/* kill/Maildir/cur/ && cp kill/old.mbox kill/box.mbox
}
restore
start=$(date +%s%N)
(cd kill && "$EMLINT" fix --isolated --quiet --in-place Maildir box.mbox)
run_ms=$((($(date +%s%N) - start) / 1000000 + 1))
echo "# a whole run takes $run_ms ms"
bad=0 mid=0 none=0
for round in $(seq 1 50); do
  restore
  (cd kill && exec "$EMLINT" fix --isolated --quiet --in-place Maildir box.mbox 2>/dev/null) & pid=$!
  ms=$((RANDOM % run_ms))
  sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
  sums=$(cd kill && md5sum Maildir/cur/* box.mbox)
  wrong=$(echo "$sums" | grep -v -x -F -f kill/allowed)
  changed=$(echo "$sums" | grep -c -x -F -f kill/allowed-new)
  [ "$changed" -gt 0 ] && [ "$changed" -lt 21 ] && mid=$((mid + 1))
  [ "$changed" -eq 0 ] && none=$((none + 1))
  [ -z "$wrong" ] || { bad=$((bad + 1)); echo "# round $round: neither old nor new: $wrong"; }
done
echo "# of 50 kills, $mid landed while some files were new and others old, $none before any change"
expect "kill -9: 50 kills, every file its old or its new version" [ $bad -eq 0 ]

echo "$passed passed, $failed failed ($skipped skipped)"
[ $failed -eq 0 ] || exit 1
[ $passed -gt 0 ] || exit 77
exit 0
