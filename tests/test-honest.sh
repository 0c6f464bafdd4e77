#!/bin/sh
# The tests themselves, given missing or broken data or tools (issue 11): each must SKIP (exit
# 77, naming what is missing) or FAIL, never pass without testing.
#   test-honest.sh REALWORLD INVARIANTS CORPUS CLI PRECOMMIT_SH: the test programs, the script.
# Needs EMLINT and EMLINT_SOURCE_ROOT (meson's test environment).
set -u

realworld=$1 invariants=$2 corpus=$3 cli=$4 precommit=$5
work=$(mktemp -d) || exit 1
trap 'chmod -R u+rwx "$work"; rm -rf "$work"' EXIT
mkdir "$work/empty" "$work/locked" "$work/nopython"
printf 'path\tsource\nx.eml\ttest\n' >"$work/locked/MANIFEST.tsv"
chmod 000 "$work/locked/MANIFEST.tsv"
chmod 755 "$work" "$work/locked"
# A PATH with what the test programs need but python3, pre-commit, script and setpriv.
for tool in sh git rm chmod mktemp cp sed grep; do
    ln -s "$(command -v "$tool")" "$work/nopython/$tool"
done

passes=0
failures=0
# expect CASE STATUS PATTERN COMMAND...: the command exits STATUS and prints a line matching
# PATTERN (grep -E).
expect()
{
    what=$1 want=$2 pattern=$3
    shift 3
    "$@" >"$work/out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ] && grep -Eq -- "$pattern" "$work/out"; then
        passes=$((passes + 1))
        echo "ok - $what: exit $got"
    else
        failures=$((failures + 1))
        echo "not ok - $what: exit $got, want $want and /$pattern/"
        sed 's/^/#   /' "$work/out" | head -n 20
    fi
}

expect "corpus-ext absent: realworld skips" 77 '^SKIP: corpus-ext not found' \
    env EMLINT_CORPUS_EXT="$work/none" "$realworld"
expect "corpus-ext absent: invariants-ext skips" 77 '^SKIP: corpus-ext not found' \
    env EMLINT_CORPUS_EXT="$work/none" "$invariants" corpus-ext
expect "corpus-ext absent: invariants-ext-python skips" 77 '^SKIP: corpus-ext not found' \
    env EMLINT_CORPUS_EXT="$work/none" "$invariants" corpus-ext --python
expect "an empty corpus-ext: realworld fails" 1 '^FAIL: corpus-ext is there but broken' \
    env EMLINT_CORPUS_EXT="$work/empty" "$realworld"
expect "an empty corpus-ext: invariants-ext fails (no crash)" 1 \
    '^FAIL: corpus-ext is there but broken' \
    env EMLINT_CORPUS_EXT="$work/empty" "$invariants" corpus-ext
if [ "$(id -u)" -ne 0 ]; then
    expect "MANIFEST.tsv unreadable: realworld fails" 1 'FAIL: .*Permission denied' \
        env EMLINT_CORPUS_EXT="$work/locked" "$realworld"
elif command -v setpriv >/dev/null 2>&1; then
    # Root reads any file: the programs run as nobody.
    expect "MANIFEST.tsv unreadable: realworld fails" 1 'FAIL: .*Permission denied' \
        setpriv --reuid=65534 --regid=65534 --clear-groups \
        env EMLINT_CORPUS_EXT="$work/locked" "$realworld"
    expect "MANIFEST.tsv unreadable: invariants-ext fails" 1 'FAIL: .*Permission denied' \
        setpriv --reuid=65534 --regid=65534 --clear-groups \
        env EMLINT_CORPUS_EXT="$work/locked" "$invariants" corpus-ext
else
    echo "# not run: MANIFEST.tsv unreadable (root, and no setpriv to drop privileges)"
fi
expect "python3 absent: invariants-python skips" 77 '^SKIP: python3 not found' \
    env PATH="$work/nopython" "$invariants" corpus --python
expect "EMLINT_RULE=no-such-rule: corpus fails" 1 '^FAIL: EMLINT_RULE=no-such-rule names no rule' \
    env EMLINT_RULE=no-such-rule "$corpus"
expect "util-linux absent: cli-util-linux skips" 77 '^SKIP: script \(util-linux\) not found' \
    env PATH="$work/nopython" "$cli" util-linux
expect "pre-commit absent: precommit-framework skips" 77 '^SKIP: pre-commit is not installed' \
    env PATH="$work/nopython" sh "$precommit" framework

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
