#!/bin/bash
# The bash completion (doc/emlint.bash-completion): sources it and checks COMPREPLY for typical
# command lines. Needs EMLINT (the built binary: rule ids come from `emlint rules`) and
# EMLINT_SOURCE_ROOT. Run by meson as the test 'completion'.
set -u

: "${EMLINT:?EMLINT must name the built emlint}"
: "${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}"
[[ $EMLINT == /* ]] || EMLINT=$PWD/$EMLINT

# shellcheck disable=SC1091 # sourced from the source tree
source "$EMLINT_SOURCE_ROOT/doc/emlint.bash-completion" || exit 1

failures=0
passes=0
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
mkdir -p maildir/cur maildir/new outbox
: > mail.eml
: > notes.txt

# complete_words "LINE": sets COMP_WORDS to the words of LINE after `emlint` and runs the
# completion. The last word is the one being completed; a LINE that ends in a space (or is
# empty) completes a new, empty word. Write the words as bash splits them: `--format=js` is the
# three words `--format = js`.
complete_words()
{
    local words=()
    read -ra words <<<"$1"
    [[ -z $1 || $1 == *" " ]] && words+=("")
    COMP_WORDS=("$EMLINT" "${words[@]}")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _emlint
}

sorted() { printf '%s\n' "$@" | LC_ALL=C sort; }

pass() { passes=$((passes + 1)); echo "ok - $1"; }
fail()
{
    failures=$((failures + 1))
    echo "not ok - $1"
    shift
    printf '#   %s\n' "$@"
}

# expect_exactly "WORDS" EXPECTED...: COMPREPLY is exactly EXPECTED (in any order).
expect_exactly()
{
    local line=$1
    shift
    complete_words "$line"
    local got want
    got=$(sorted "${COMPREPLY[@]}")
    want=$(sorted "$@")
    if [[ $got == "$want" ]]; then
        pass "'emlint $line' completes to exactly: $*"
    else
        fail "'emlint $line' completes to exactly: $*" "got: ${COMPREPLY[*]}"
    fi
}

# expect_has "WORDS" EXPECTED...: COMPREPLY holds each of EXPECTED.
expect_has()
{
    local line=$1 want w missing=()
    shift
    complete_words "$line"
    for want in "$@"; do
        local found=0
        for w in "${COMPREPLY[@]}"; do [[ $w == "$want" ]] && found=1; done
        ((found)) || missing+=("$want")
    done
    if ((${#missing[@]} == 0)); then
        pass "'emlint $line' offers: $*"
    else
        fail "'emlint $line' offers: $*" "missing: ${missing[*]}" "got: ${COMPREPLY[*]}"
    fi
}

# expect_lacks "WORDS" UNWANTED...: COMPREPLY holds none of UNWANTED.
expect_lacks()
{
    local line=$1 bad w present=()
    shift
    complete_words "$line"
    for bad in "$@"; do
        for w in "${COMPREPLY[@]}"; do [[ $w == "$bad" ]] && present+=("$bad"); done
    done
    if ((${#present[@]} == 0)); then
        pass "'emlint $line' does not offer: $*"
    else
        fail "'emlint $line' does not offer: $*" "offered: ${present[*]}"
    fi
}

mapfile -t rules < <("$EMLINT" rules | while read -r id _; do echo "$id"; done)
mapfile -t msgid_rules < <(printf '%s\n' "${rules[@]}" | grep '^msgid-')
if ((${#rules[@]} < 8)) || ((${#msgid_rules[@]} < 1)); then
    fail "'emlint rules' lists the rules" "got: ${rules[*]}"
fi

# It is registered for the command name.
if [[ $(complete -p emlint 2>/dev/null) == "complete -F _emlint emlint" ]]; then
    pass "registered: complete -F _emlint emlint"
else
    fail "registered: complete -F _emlint emlint" "got: $(complete -p emlint 2>&1)"
fi

# Commands in the first position, with the files there.
expect_has "" check fix rules explain mail.eml maildir outbox
expect_exactly "fi" fix
expect_exactly "ex" explain
expect_exactly "ma" mail.eml maildir
# Files after a command; not the commands again.
expect_exactly "check ma" mail.eml maildir
expect_lacks "check " check fix rules explain

# Options, per command.
expect_exactly "--for" --format
expect_has "check --" --format --select --ignore --fail-on --color --stdin-filename --config \
    --isolated --quiet --statistics --no-source --version
expect_lacks "check --" --in-place --diff --output --output-dir --suffix --unsafe-fixes
expect_has "fix --" --in-place --diff --output --output-dir --suffix --unsafe-fixes --format \
    --select
expect_exactly "fix --in" --in-place --include
expect_exactly "rules -" --format --help -h
expect_exactly "rules --format " text json
expect_has "check --" --group-by --exit-zero --output-file --baseline --write-baseline
expect_exactly "explain --" --help

# Option values: separate word, --opt=value as bash splits it, and as one word.
expect_exactly "--format " text json jsonl sarif github html
expect_exactly "--group-by " generator sender-domain msgid-domain month
expect_exactly "--group-by = m" msgid-domain month
expect_exactly "--baseline no" notes.txt
expect_exactly "--output-file ma" mail.eml maildir
expect_exactly "check --format j" json jsonl
expect_exactly "--format =" text json jsonl sarif github html
expect_exactly "--format = s" sarif
expect_exactly "--fail-on " error warning info
expect_exactly "--fail-on = w" warning
expect_exactly "--color " auto always never
expect_exactly "fix --color a" auto always
# With '=' taken out of COMP_WORDBREAKS, --opt=value is one word.
expect_exactly "--format=js" --format=json --format=jsonl
expect_exactly "--select=field" --select=field-count

# Rule ids, from `emlint rules`.
expect_exactly "--select " "${rules[@]}"
expect_exactly "--ignore msgid-" "${msgid_rules[@]}"
expect_exactly "check --select = field" field-count
expect_exactly "--ignore field-count,msgid-enc" field-count,msgid-encoded-word
expect_lacks "--ignore field-count," field-count,field-count
expect_exactly "explain " "${rules[@]}"
expect_exactly "explain msgid-too" msgid-too-long
expect_exactly "explain msgid-too-long " # one rule only

# Files and folders as option values; files after options and after --.
expect_exactly "--config ma" mail.eml maildir
expect_exactly "fix --output-dir " maildir outbox
expect_exactly "fix --output-dir =" maildir outbox
expect_exactly "fix -o no" notes.txt
expect_exactly "check --isolated --format json no" notes.txt
expect_exactly "--stdin-filename ma" mail.eml maildir
expect_exactly "check -- --" # after --, paths only: no options
expect_exactly "--msgid-domain " # free text

echo "$passes passed, $failures failed"
((failures == 0))
