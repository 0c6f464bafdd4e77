#!/bin/sh
# bench/review, the precision-review script: over a folder of known cases it prints the rule
# table, counts received list mail, and samples findings with their source lines. Needs EMLINT,
# EMLINT_SOURCE_ROOT and python3 (SKIP without it). Run by meson as the test 'review'.
: "${EMLINT:?EMLINT must name the built emlint}"
: "${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}"
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 not found (install python3)"
    exit 77
fi

passes=0
failures=0
pass() { passes=$((passes + 1)); echo "ok - $1"; }
fail() { failures=$((failures + 1)); echo "not ok - $1"; }
check() { name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
review="$EMLINT_SOURCE_ROOT/bench/review"
corpus="$EMLINT_SOURCE_ROOT/corpus"

# Four known cases: two received list messages (one with a long Subject), two address errors.
mkdir "$work/mail" "$work/mail/skipped" || exit 1
for f in header-line-length/good-mailman3-received.eml header-line-length/good-received-subject-long.eml \
         address-syntax/bad-no-domain.eml address-syntax/bad-missing-comma.eml; do
    cp "$corpus/$f" "$work/mail/" || exit 1
done
cp "$corpus/address-syntax/bad-no-domain.eml.expect" "$work/mail/skipped/" || exit 1

python3 "$review" --emlint "$EMLINT" "$work/mail" >"$work/out" 2>"$work/err"
check "it runs (exit 0)" test $? -eq 0
check "it counts the files emlint reads (not the .expect) and the received list mail" \
    grep -q '^files: 4  messages: 4  received list messages: 2$' "$work/out"
check "a row per rule: findings, errors, warnings, messages, files" \
    grep -q '^| address-syntax | 2 | 2 | 0 | 2 | 2 |$' "$work/out"
check "received list mail without a finding by default" \
    grep -q '^received list messages with a finding: 0 of 2 (0.0%); with an error: 0 (0.0%)$' \
    "$work/out"
printf '[emlint]\nreceived-line-length = true\n' >"$work/on.ini"
python3 "$review" --emlint "$EMLINT" "$work/mail" -- --config "$work/on.ini" >"$work/out" 2>"$work/err"
check "the received list message with a finding is counted (options after --)" \
    grep -q '^received list messages with a finding: 1 of 2 (50.0%); with an error: 0 (0.0%)$' \
    "$work/out"

python3 "$review" --emlint "$EMLINT" --sample 1 --rule address-syntax "$work/mail" \
    >"$work/out" 2>"$work/err"
check "--sample prints the picked findings of the rule asked for" \
    grep -q '^## address-syntax: 1 of 2$' "$work/out"
check "each with the source line it points at" grep -q '^    | To: ' "$work/out"
check "and no other rule's" sh -c '! grep -q "^## header-line-length" "$1"' sh "$work/out"

python3 "$review" --emlint "$EMLINT" --received-list "$work/mail" -- --config "$work/on.ini" \
    >"$work/out" 2>&1
check "--received-list keeps only findings in received list mail" \
    sh -c 'grep -q "^| header-line-length | 1 | 0 | 1 | 1 | 1 |$" "$1" && ! grep -q "^| address-syntax" "$1"' \
    sh "$work/out"

python3 "$review" --emlint "$EMLINT" --save "$work/default.jsonl" "$work/mail" >/dev/null 2>&1
check "--save writes emlint's jsonl of the run" grep -q '"rule":"address-syntax"' "$work/default.jsonl"
python3 "$review" --emlint "$EMLINT" --compare "$work/default.jsonl" "$work/mail" \
    -- --config "$work/on.ini" >"$work/out" 2>&1
check "--compare counts what another configuration gained and lost per rule" \
    sh -c 'grep -q "^against .*default.jsonl: 1 gained, 0 lost$" "$1" && grep -q "^  header-line-length: +1 -0$" "$1"' \
    sh "$work/out"
check "each with the finding gained" grep -q '^    + .*good-received-subject-long.eml:.*header line is' "$work/out"
python3 "$review" --emlint "$EMLINT" --compare "$work/no-such.jsonl" "$work/mail" >/dev/null 2>&1
check "a missing --compare file is an error (exit 2)" test $? -eq 2

python3 "$review" --emlint "$work/no-such-emlint" "$work/mail" >"$work/out" 2>&1
check "a missing emlint is an error (exit 2), not an empty table" test $? -eq 2

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
