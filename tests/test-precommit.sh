#!/bin/sh
# shellcheck disable=SC2016 # sh -c scripts take their arguments as $1, $2
# test-precommit.sh hook: contrib/pre-commit in a real git repository: a template with an
# encoded In-Reply-To is refused, the same file fixed is committed, and what is checked is the
# STAGED content, not the work tree.
# test-precommit.sh framework: .pre-commit-hooks.yaml through the pre-commit framework.
# Needs EMLINT (the built binary) and EMLINT_SOURCE_ROOT. Run by meson as the tests 'precommit'
# and 'precommit-framework'; exit 77 (skipped) without git, or (framework) without pre-commit.
set -u
part=${1:-hook}

: "${EMLINT:?EMLINT must name the built emlint}"
: "${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}"
src=$(cd "$EMLINT_SOURCE_ROOT" && pwd) || exit 1
case $EMLINT in /*) ;; *) EMLINT=$PWD/$EMLINT ;; esac

if ! command -v git >/dev/null 2>&1; then
    echo "SKIP: git is not installed"
    exit 77
fi
if [ "$part" = framework ] && ! command -v pre-commit >/dev/null 2>&1; then
    echo "SKIP: pre-commit is not installed (apt-get install pre-commit): the" \
        ".pre-commit-hooks.yaml part was not tested"
    exit 77
fi

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
# Only this test's settings: no user or system git configuration (hooksPath, templates, ...).
GIT_CONFIG_GLOBAL=/dev/null
GIT_CONFIG_NOSYSTEM=1
GIT_TERMINAL_PROMPT=0
export GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM GIT_TERMINAL_PROMPT
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE EMLINT_ARGS EMLINT_HOOK_PATTERN

. "$EMLINT_SOURCE_ROOT/tests/tap.sh"
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { d=$1; shift; if "$@"; then pass "$d"; else fail "$d"; fi; }

git_() { git -c user.name=t -c user.email=t@example.com "$@"; }
# commit MESSAGE: git commit in the repository, its output (hook included) in $work/out.
commit() { (cd "$repo" && git_ commit -q -m "$1") >"$work/out" 2>&1; }
head_rev() { git -C "$repo" rev-parse -q --verify HEAD; }
out_has() { grep -q -- "$1" "$work/out"; }

bad_template()
{
    cat <<'EOF'
From: Shop <shop@example.com>
To: {{ customer_email }}
Subject: Re: your order {{ order_id }}
In-Reply-To: =?utf-8?q?=3C20231002091542=2E7f3e9a1c5b2d4e6f8=2E0b20231002091?=
 =?utf-8?q?542=2E7f3e9a1c5b2d4e=40app=2Eexample=2Ecom=3E?=
Content-Type: text/plain; charset="utf-8"

Hello {{ name }},
your order has shipped.
EOF
}

# Templates leave Date and Message-ID to the sending library: profile = template.
emlint_ini() { printf '[emlint]\nprofile = template\n' >"$1/.emlint.ini"; }

# ---- the plain git hook --------------------------------------------------------------------

hook_part()
{

repo=$work/repo
mkdir "$repo" && git init -q "$repo" || exit 1
cp "$src/contrib/pre-commit" "$repo/.git/hooks/pre-commit" || exit 1
chmod +x "$repo/.git/hooks/pre-commit"
export EMLINT # the hook runs $EMLINT

emlint_ini "$repo"
(cd "$repo" && git add .emlint.ini) && commit "configuration"
check "a commit without mail files passes the hook" test -n "$(head_rev)"
first=$(head_rev)

bad_template >"$repo/welcome.tmpl"
(cd "$repo" && git add welcome.tmpl)
if commit "bad template"; then
    fail "a template with an encoded In-Reply-To is refused"
else
    pass "a template with an encoded In-Reply-To is refused"
fi
check "nothing was committed" test "$(head_rev)" = "$first"
check "the finding is printed: welcome.tmpl:4:1 ... [msgid-encoded-word]" \
    out_has 'welcome.tmpl:4:1: error: In-Reply-To holds an RFC 2047 encoded-word.*\[msgid-encoded-word\]'
check "the configuration applies to the staged content (no Date or Message-ID finding)" \
    sh -c '! grep -q "field-count\|msgid-missing" "$1"' sh "$work/out"
# Without the configuration the same template also lacks Date: the hook saw .emlint.ini.
(cd "$repo" && "$EMLINT" check --isolated welcome.tmpl) >"$work/out" 2>&1
check "(without .emlint.ini it would also be a field-count error)" out_has '\[field-count\]'

# Fix the work tree only: the index still holds the bad template, so the commit is refused.
(cd "$repo" && "$EMLINT" fix --in-place welcome.tmpl) >"$work/out" 2>&1
check "emlint fix --in-place repairs the work tree copy" \
    sh -c 'cd "$1" && "$2" check welcome.tmpl && ! grep -q "=?utf-8?" welcome.tmpl' sh \
    "$repo" "$EMLINT"
if commit "fixed in the work tree only"; then
    fail "the staged content is checked: fixed in the work tree but not staged, still refused"
else
    pass "the staged content is checked: fixed in the work tree but not staged, still refused"
fi
check "nothing was committed" test "$(head_rev)" = "$first"
check "the finding names the staged file" out_has 'welcome.tmpl:4:1: .*\[msgid-encoded-word\]'

# Stage the fix, then break the work tree again: the staged (fixed) content is committed.
(cd "$repo" && git add welcome.tmpl)
bad_template >"$repo/welcome.tmpl"
if commit "fixed template"; then
    pass "the fixed template is committed (the bad work tree copy is not what is checked)"
else
    fail "the fixed template is committed (the bad work tree copy is not what is checked)"
fi
check "the commit holds the fixed In-Reply-To" sh -c \
    'git -C "$1" show HEAD:welcome.tmpl | grep -q "^In-Reply-To: <20231002091542\.7f3e9a1c5b2d4e6f8\.0b20231002091542\.7f3e9a1c5b2d4e@app\.example\.com>$"' \
    sh "$repo"
fixed=$(head_rev)
(cd "$repo" && git checkout -q -- welcome.tmpl)

# Files that do not match the pattern are not linted; warnings do not stop a commit.
bad_template >"$repo/notes.txt"
(cd "$repo" && git add notes.txt)
check "other files (notes.txt) are not linted" commit "notes"
{
    printf 'From: Shop <shop@example.com>\nSubject:'
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do printf ' order'; done
    printf '\n\nHello.\n'
} >"$repo/long.tmpl"
(cd "$repo" && git add long.tmpl)
check "a warning (header-line-length) does not stop the commit" commit "long subject"
check "... but it is printed" out_has 'long.tmpl:2:79: warning: .*\[header-line-length\]'

# EMLINT_ARGS passes options: --fail-on=warning makes the warning stop the commit.
printf 'From: Shop <shop@example.com>\nSubject:%s\n\nHi.\n' \
    ' order order order order order order order order order order order order order' \
    >"$repo/long2.tmpl"
(cd "$repo" && git add long2.tmpl)
before=$(head_rev)
if EMLINT_ARGS=--fail-on=warning commit "long subject, strict"; then
    fail "EMLINT_ARGS=--fail-on=warning: a warning stops the commit"
else
    pass "EMLINT_ARGS=--fail-on=warning: a warning stops the commit"
fi
check "nothing was committed" test "$(head_rev)" = "$before"
(cd "$repo" && git reset -q long2.tmpl && rm -f long2.tmpl)

# A missing emlint stops the commit with a clear message instead of passing silently.
bad_template >"$repo/other.eml"
(cd "$repo" && git add other.eml)
if EMLINT=$work/no-such-emlint commit "no emlint"; then
    fail "without emlint the hook refuses, and says why"
else
    check "without emlint the hook refuses, and says why" out_has 'emlint not found'
fi
if commit "bad eml"; then
    fail "a bad .eml file is refused as well"
else
    check "a bad .eml file is refused as well" out_has 'other.eml:4:1: .*\[msgid-encoded-word\]'
fi
(cd "$repo" && git rm -q --cached other.eml && rm -f other.eml)
check "the history holds the fixed template" sh -c \
    'git -C "$1" merge-base --is-ancestor "$2" HEAD' sh "$repo" "$fixed"
}

# ---- .pre-commit-hooks.yaml through the pre-commit framework -------------------------------

framework_part()
{
    # The hooks as a repository of their own (the source tree may have uncommitted changes).
    hooks=$work/hooks
    mkdir "$hooks" && git init -q "$hooks" && cp "$src/.pre-commit-hooks.yaml" "$hooks/" &&
        (cd "$hooks" && git add .pre-commit-hooks.yaml && git_ commit -q -m hooks) || exit 1
    bin=$work/bin
    mkdir "$bin" && ln -s "$EMLINT" "$bin/emlint"
    PRE_COMMIT_HOME=$work/pre-commit-cache
    export PRE_COMMIT_HOME
    pre-commit validate-manifest "$src/.pre-commit-hooks.yaml" >"$work/out" 2>&1
    check "pre-commit validate-manifest accepts .pre-commit-hooks.yaml" test $? -eq 0

    fw=$work/fw
    mkdir "$fw" && git init -q "$fw" && emlint_ini "$fw" || exit 1
    bad_template >"$fw/welcome.tmpl"
    bad_template >"$fw/notes.txt"
    (cd "$fw" && git add .emlint.ini welcome.tmpl notes.txt) || exit 1
    (cd "$fw" && PATH=$bin:$PATH pre-commit try-repo "$hooks" emlint --all-files) \
        >"$work/out" 2>&1
    status=$?
    if [ $status -ne 0 ] && out_has 'welcome.tmpl:4:1: .*\[msgid-encoded-word\]' &&
        ! out_has 'notes.txt'; then
        pass "pre-commit hook 'emlint' fails on the bad template (and skips notes.txt)"
    else
        fail "pre-commit hook 'emlint' fails on the bad template (and skips notes.txt)"
    fi
    (cd "$fw" && PATH=$bin:$PATH pre-commit try-repo "$hooks" emlint-fix --all-files) \
        >"$work/out" 2>&1
    status=$?
    if [ $status -ne 0 ] && out_has 'files were modified by this hook' &&
        ! grep -q '=?utf-8?' "$fw/welcome.tmpl" && grep -q '=?utf-8?' "$fw/notes.txt"; then
        pass "pre-commit hook 'emlint-fix' repairs the template in place (and not notes.txt)"
    else
        fail "pre-commit hook 'emlint-fix' repairs the template in place (and not notes.txt)"
    fi
    (cd "$fw" && git add welcome.tmpl && PATH=$bin:$PATH pre-commit try-repo "$hooks" emlint \
        --all-files) >"$work/out" 2>&1
    check "pre-commit hook 'emlint' passes on the fixed template" test $? -eq 0
}

case $part in
    hook) hook_part ;;
    framework) framework_part ;;
    *) echo "usage: test-precommit.sh hook|framework" >&2; exit 2 ;;
esac

tap_summary
