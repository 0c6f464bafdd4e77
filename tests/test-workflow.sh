#!/bin/sh
# contrib/github-workflow.yml.
#   test-workflow.sh lint: it does what it is there to show: build emlint, lint with --format
#     sarif, upload the log with github/codeql-action/upload-sarif; and its Lint step, run on a
#     mail/ folder that holds only a bad .tmpl, writes a SARIF result and records status 1.
#   test-workflow.sh schema [NPM_DIR]: it is valid against GitHub's workflow schema (the
#     SchemaStore one, checked by @action-validator/cli from npm). The npm package goes under
#     the build tree: into NPM_DIR, else the folder of $EMLINT + /npm-workflow. Exits 77
#     (meson's "skipped") without node or npm, or when the package cannot be installed.
set -u

: "${EMLINT:?EMLINT must name the built emlint}"
: "${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}"
case $EMLINT in /*) ;; *) EMLINT=$PWD/$EMLINT ;; esac
workflow=$(cd "$EMLINT_SOURCE_ROOT" && pwd)/contrib/github-workflow.yml
part=${1:-lint}
npm_dir=${2:-$(dirname "$EMLINT")/npm-workflow}

passes=0
failures=0
pass() { passes=$((passes + 1)); echo "ok - $1"; }
fail() { failures=$((failures + 1)); echo "not ok - $1"; }
# has DESCRIPTION ERE: the workflow has a line matching ERE.
has() { if grep -Eq -- "$2" "$workflow"; then pass "$1"; else fail "$1"; fi; }

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# The Lint step's script, run as the runner would: emlint on PATH, MAIL_PATHS from the
# workflow's env, in a checkout whose mail/ holds only a template with an encoded In-Reply-To.
run_lint_step()
{
    mail_paths=$(sed -n 's/^  MAIL_PATHS: *//p' "$workflow")
    awk '/^      - name: Lint$/ { step = 1; next }
         step && /^      - name:/ { exit }
         step && run { sub(/^          /, ""); print; next }
         step && /^        run: \|$/ { run = 1 }' "$workflow" >"$work/lint.sh"
    mkdir -p "$work/bin" "$work/repo/mail/templates"
    ln -sf "$EMLINT" "$work/bin/emlint"
    printf '%s\n' 'From: Shop <shop@example.com>' 'To: {{ customer_email }}' \
        'Subject: Re: your order' 'Date: Mon, 02 Oct 2023 09:20:00 +0000' \
        'Message-ID: <169623814200.4711@example.com>' \
        'In-Reply-To: =?utf-8?q?=3C20231002091542=2E7f3e9a1c5b2d4e6f8=40app=2Eexample=2Ecom=3E?=' \
        '' 'Hello.' >"$work/repo/mail/templates/welcome.tmpl"
    : >"$work/output"
    (cd "$work/repo" && PATH=$work/bin:$PATH MAIL_PATHS=$mail_paths GITHUB_ACTIONS=true \
        GITHUB_OUTPUT=$work/output sh -e "$work/lint.sh") >"$work/log" 2>&1
}

if [ "$part" = lint ]; then
has "it builds emlint with meson" '^ +meson setup '
has "it lints with --format sarif into a file" 'emlint check --format sarif .*> *emlint\.sarif'
has "it uploads the log with github/codeql-action/upload-sarif" \
    'uses: github/codeql-action/upload-sarif@v[0-9]+'
has "the upload names the log" 'sarif_file: emlint\.sarif'
has "the upload runs when the lint step fails" 'if: always\(\)'
has "it may write security events" 'security-events: write'
has "its comment and MAIL_PATHS agree: mail/" '^  MAIL_PATHS: mail/$'
run_lint_step
if grep -q '"ruleId": *"msgid-encoded-word"' "$work/repo/emlint.sarif" 2>/dev/null; then
    pass "the Lint step on mail/ holding only a bad .tmpl writes a SARIF result"
else
    fail "the Lint step on mail/ holding only a bad .tmpl writes a SARIF result"
    sed 's/^/#   /' "$work/log" "$work/lint.sh"
fi
if grep -qx 'status=1' "$work/output"; then
    pass "... and records status 1, so that 'Fail on findings' fails the job"
else
    fail "... and records status 1, so that 'Fail on findings' fails the job"
    sed 's/^/#   /' "$work/output"
fi
if grep -q '^::error file=templates/welcome.tmpl\|^::error file=mail/templates/welcome.tmpl' \
    "$work/log"; then
    pass "... and annotates the template (--format github)"
else
    fail "... and annotates the template (--format github)"
fi
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
exit
fi

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (the workflow validator runs on node)"
        exit 77
    fi
done
validator=$npm_dir/node_modules/.bin/action-validator
if [ ! -x "$validator" ]; then
    mkdir -p "$npm_dir" || exit 1
    if ! npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error \
        @action-validator/cli@0.6 >"$npm_dir/install.log" 2>&1; then
        sed 's/^/#   /' "$npm_dir/install.log"
        echo "SKIP: could not install @action-validator/cli from the npm registry"
        exit 77
    fi
fi

out=$work/out
if "$validator" "$workflow" >"$out" 2>&1; then
    pass "action-validator: contrib/github-workflow.yml is a valid workflow"
else
    fail "action-validator: contrib/github-workflow.yml is a valid workflow"
    sed 's/^/#   /' "$out"
fi
# The validator is not vacuous: a misspelt key is refused.
sed 's/runs-on:/runs-onn:/' "$workflow" >"$out.yml"
if ! "$validator" "$out.yml" >"$out" 2>&1 && grep -q "runs-onn" "$out"; then
    pass "action-validator refuses a misspelt key (control)"
else
    fail "action-validator refuses a misspelt key (control)"
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
