#!/bin/sh
# contrib/github-workflow.yml against GitHub's workflow schema (the SchemaStore one, checked by
# @action-validator/cli from npm), and that it does what it is there to show: build emlint, lint
# with --format sarif, and upload the log with github/codeql-action/upload-sarif.
# The npm package goes under the build tree: into $1, else the folder of $EMLINT + /npm-workflow.
# Exits 77 (meson's "skipped") without node or npm, or when the package cannot be installed.
set -u

: "${EMLINT:?EMLINT must name the built emlint}"
: "${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}"
workflow=$EMLINT_SOURCE_ROOT/contrib/github-workflow.yml
npm_dir=${1:-$(dirname "$EMLINT")/npm-workflow}

passes=0
failures=0
pass() { passes=$((passes + 1)); echo "ok - $1"; }
fail() { failures=$((failures + 1)); echo "not ok - $1"; }
# has DESCRIPTION ERE: the workflow has a line matching ERE.
has() { if grep -Eq -- "$2" "$workflow"; then pass "$1"; else fail "$1"; fi; }

has "it builds emlint with meson" '^ +meson setup '
has "it lints with --format sarif into a file" 'emlint check --format sarif .*> *emlint\.sarif'
has "it uploads the log with github/codeql-action/upload-sarif" \
    'uses: github/codeql-action/upload-sarif@v[0-9]+'
has "the upload names the log" 'sarif_file: emlint\.sarif'
has "the upload runs when the lint step fails" 'if: always\(\)'
has "it may write security events" 'security-events: write'

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$passes passed, $failures failed"
        echo "SKIP: $tool is not installed (the workflow validator runs on node)"
        [ "$failures" -eq 0 ] && exit 77
        exit 1
    fi
done
validator=$npm_dir/node_modules/.bin/action-validator
if [ ! -x "$validator" ]; then
    mkdir -p "$npm_dir" || exit 1
    if ! npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error \
        @action-validator/cli@0.6 >"$npm_dir/install.log" 2>&1; then
        sed 's/^/#   /' "$npm_dir/install.log"
        echo "$passes passed, $failures failed"
        echo "SKIP: could not install @action-validator/cli from the npm registry"
        [ "$failures" -eq 0 ] && exit 77
        exit 1
    fi
fi

out=$(mktemp) || exit 1
trap 'rm -f "$out" "$out.yml"' EXIT
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
