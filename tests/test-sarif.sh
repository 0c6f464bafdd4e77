#!/bin/sh
# `emlint check --format sarif` against the official SARIF 2.1.0 JSON schema (checked with ajv)
# and against the SARIF Multitool's validator with its GitHub rules (--rule-kind "Sarif;Gh").
#
# The npm packages (ajv, ajv-formats, @microsoft/sarif-multitool, whose platform package ships
# the schema as sarif-2.1.0.json) are installed under the build tree, never into the source tree:
# into $1, else $EMLINT_NPM_DIR, else the folder of $EMLINT (the build root) + /npm.
# Exits 77 (meson's "skipped") without node or npm, or when the packages cannot be installed.
# Needs EMLINT (the built binary) and EMLINT_SOURCE_ROOT. Run by meson as the test 'sarif'.
set -u

: "${EMLINT:?EMLINT must name the built emlint}"
: "${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}"
src=$(cd "$EMLINT_SOURCE_ROOT" && pwd) || exit 1
case $EMLINT in /*) ;; *) EMLINT=$PWD/$EMLINT ;; esac
npm_dir=${1:-${EMLINT_NPM_DIR:-$(dirname "$EMLINT")/npm}}

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (the SARIF validators run on node)"
        exit 77
    fi
done

# ---- the validators --------------------------------------------------------------------------

packages="ajv@8 ajv-formats@3 @microsoft/sarif-multitool@5.7.0"
mods=$npm_dir/node_modules
if [ ! -f "$mods/ajv/dist/2020.js" ] || [ ! -d "$mods/ajv-formats" ] ||
    [ ! -d "$mods/@microsoft/sarif-multitool" ]; then
    echo "# npm install --prefix $npm_dir $packages"
    mkdir -p "$npm_dir" || exit 1
    # shellcheck disable=SC2086 # the package list is split on purpose
    if ! npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error $packages \
        >"$npm_dir/install.log" 2>&1; then
        sed 's/^/#   /' "$npm_dir/install.log"
        echo "SKIP: could not install $packages from the npm registry"
        exit 77
    fi
fi
schema=$(find "$mods/@microsoft" -name sarif-2.1.0.json 2>/dev/null | head -n 1)
if [ -z "$schema" ]; then
    echo "FAIL: no sarif-2.1.0.json under $mods/@microsoft (the multitool's platform package" \
        "ships the schema; is there one for $(uname -s) $(uname -m)?)"
    exit 1
fi
echo "# schema: $schema"

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# node check.js SCHEMA EMLINT_VERSION N_RULES FILE...: validates each SARIF log against the
# schema with ajv (draft 2020-12, every error, formats checked), then checks what emlint
# promises beyond the schema. One line per problem, "FILE: where: what"; exit 1 on any.
cat >"$work/check.js" <<'EOF'
'use strict';
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const [schemaPath, version, nRules, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
let bad = 0;
const problem = (file, where, what) => { bad++; console.log(`${file}: ${where}: ${what}`); };
for (const file of files) {
  let log;
  try {
    log = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    problem(file, '(document)', `not JSON: ${e.message}`);
    continue;
  }
  if (!validate(log))
    for (const e of validate.errors)
      problem(file, e.instancePath || '/', `schema: ${e.message} ${JSON.stringify(e.params)}`);
  // What issue 5 asks of emlint's SARIF, beyond what the schema requires.
  const run = (log.runs || [])[0] || {};
  const driver = (run.tool || {}).driver || {};
  if (log.version !== '2.1.0') problem(file, '/version', 'is not 2.1.0');
  if (driver.name !== 'emlint') problem(file, 'tool.driver.name', 'is not emlint');
  if (driver.version !== version) problem(file, 'tool.driver.version', `is not ${version}`);
  if (!driver.informationUri) problem(file, 'tool.driver.informationUri', 'missing');
  const rules = driver.rules || [];
  if (rules.length !== Number(nRules))
    problem(file, 'tool.driver.rules', `${rules.length} rules, emlint rules lists ${nRules}`);
  rules.forEach((r, i) => {
    const at = `tool.driver.rules[${i}]`;
    if (!r.id) problem(file, at, 'no id');
    if (!(r.shortDescription && r.shortDescription.text)) problem(file, at, 'no shortDescription');
    if (!(r.fullDescription && r.fullDescription.text)) problem(file, at, 'no fullDescription');
    if (!(r.help && /RFC \d+/.test(r.help.text || ''))) problem(file, at, 'help names no RFC');
    if (!(r.defaultConfiguration && r.defaultConfiguration.level))
      problem(file, at, 'no defaultConfiguration.level');
  });
  (run.results || []).forEach((res, i) => {
    const at = `results[${i}]`;
    if (!res.ruleId) problem(file, at, 'no ruleId');
    if (res.ruleIndex !== undefined && (rules[res.ruleIndex] || {}).id !== res.ruleId)
      problem(file, at, `ruleIndex ${res.ruleIndex} is not rule ${res.ruleId}`);
    if (!['error', 'warning', 'note'].includes(res.level)) problem(file, at, 'no level');
    if (!(res.message && res.message.text)) problem(file, at, 'no message.text');
    const loc = ((res.locations || [])[0] || {}).physicalLocation || {};
    const uri = (loc.artifactLocation || {}).uri || '';
    // Relative to the working directory, or (a file outside it) an absolute file:// URI.
    const relative = uri && !uri.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(uri) &&
                     !uri.startsWith('../');
    if (!relative && !uri.startsWith('file:///'))
      problem(file, at, `uri '${uri}' is neither relative to the working directory nor a file:// URI`);
    const reg = loc.region || {};
    for (const k of ['startLine', 'startColumn', 'endLine', 'endColumn'])
      if (!Number.isInteger(reg[k]) || reg[k] < 1) problem(file, at, `region.${k} missing`);
    if (!res.partialFingerprints || Object.keys(res.partialFingerprints).length === 0)
      problem(file, at, 'no partialFingerprints');
  });
}
process.exit(bad ? 1 : 0);
EOF

# node count.js FILE: the number of results of a SARIF log, or of a JSON array.
cat >"$work/count.js" <<'EOF'
const d = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
console.log(Array.isArray(d) ? d.length : d.runs[0].results.length);
EOF

# node mutate.js IN OUT: a copy that breaks the schema (a property SARIF does not define) and
# GitHub's rules (a result message without text).
cat >"$work/mutate.js" <<'EOF'
const fs = require('fs');
const d = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
d.runs[0].tool.driver.rules[0].notASarifProperty = 1;
d.runs[0].results[0].message = { id: 'no-such-message' };
fs.writeFileSync(process.argv[3], JSON.stringify(d));
EOF

# ---- the SARIF logs ------------------------------------------------------------------------------

. "$EMLINT_SOURCE_ROOT/tests/tap.sh"

version=$("$EMLINT" --version | sed -n '1s/^emlint \([^ ]*\).*/\1/p')
n_rules=$("$EMLINT" rules | wc -l | tr -d ' ')
logs=""

# sarif NAME EXPECTED_STATUS DIR ARGS...: runs `emlint check --isolated --format sarif ARGS` in
# DIR into $work/NAME.sarif and checks its exit status.
sarif()
{
    name=$1 want=$2 dir=$3
    shift 3
    (cd "$dir" && "$EMLINT" check --isolated --format sarif "$@") >"$work/$name.sarif" \
        2>"$work/out"
    status=$?
    if [ "$status" -eq "$want" ]; then
        pass "$name: emlint check --format sarif $* exits $want"
    else
        fail "$name: emlint check --format sarif $* exits $want (got $status)"
    fi
    logs="$logs $work/$name.sarif"
}

# The whole corpus, as a CI job would run it from the top of the repository.
sarif corpus 1 "$src" corpus/
(cd "$src" && "$EMLINT" check --isolated --format json corpus/) >"$work/corpus.json" 2>/dev/null
n_sarif=$(node "$work/count.js" "$work/corpus.sarif")
n_json=$(node "$work/count.js" "$work/corpus.json")
if [ "$n_sarif" -gt 0 ] && [ "$n_sarif" -eq "$n_json" ]; then
    pass "corpus: $n_sarif SARIF results, one for each json finding"
else
    : >"$work/out"
    fail "corpus: one SARIF result for each json finding (sarif $n_sarif, json $n_json)"
fi
# Absolute paths under the working directory still give relative URIs.
sarif absolute 1 "$src" "$src/corpus/msgid-encoded-word" "$src/corpus/field-count/bad-mbox.mbox"
# No findings: an empty results array.
sarif clean 0 "$src" corpus/msgid-syntax/good-domain-literal.eml
# Standard input with --stdin-filename, an mbox.
sarif stdin 1 "$src" --stdin-filename corpus/field-count/bad-mbox.mbox - \
    <"$src/corpus/field-count/bad-mbox.mbox"
# Names that need percent-encoding, and a hostile message: control characters, invalid UTF-8.
mkdir -p "$work/odd/sub dir" || exit 1
cp "$src/corpus/msgid-encoded-word/bad-py311-in-reply-to.eml" "$work/odd/sub dir/a b%c é#1.eml"
printf 'From: a@example.com\nDate: Mon, 02 Oct 2023 09:20:00 +0000\nMessage-ID: <ab\377\033[31m@x>\nIn-Reply-To: =?utf-8?q?=3Cx=FF=1B@y=3E?=\nSubject: \303\050 \r bad\n\nbody\n' \
    >"$work/odd/hostile-$(printf '\377').eml"
sarif odd 1 "$work/odd" .

# A file outside the working directory gets an absolute file:// URI.
mkdir "$work/elsewhere" || exit 1
(cd "$work/elsewhere" && "$EMLINT" check --isolated --format sarif \
    "$src/corpus/msgid-syntax/bad-no-at.eml") >"$work/outside.sarif" 2>/dev/null
logs="$logs $work/outside.sarif"

# ---- 1. the SARIF 2.1.0 JSON schema, with ajv ---------------------------------------------------

# shellcheck disable=SC2086 # $logs is a list of paths without spaces ($work has none)
if NODE_PATH=$mods node "$work/check.js" "$schema" "$version" "$n_rules" $logs >"$work/out" 2>&1
then
    pass "ajv: every log is valid SARIF 2.1.0 with the fields issue 5 asks for"
else
    fail "ajv: every log is valid SARIF 2.1.0 with the fields issue 5 asks for"
fi
# The validator is not vacuous: a broken copy is refused.
node "$work/mutate.js" "$work/corpus.sarif" "$work/broken.sarif"
if ! NODE_PATH=$mods node "$work/check.js" "$schema" "$version" "$n_rules" \
    "$work/broken.sarif" >"$work/out" 2>&1 && grep -q notASarifProperty "$work/out"; then
    pass "ajv refuses a log with a property SARIF does not define (control)"
else
    fail "ajv refuses a log with a property SARIF does not define (control)"
fi

# ---- 2. the SARIF Multitool: validate --rule-kind "Sarif;Gh" ----------------------------------

# Called directly, not through `npx @microsoft/sarif-multitool`: its bin.js passes the arguments
# through a shell, which splits "Sarif;Gh" at the ';'.
multitool=$(NODE_PATH=$mods node -p "require('@microsoft/sarif-multitool')" 2>/dev/null)
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 # it needs no ICU then
DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT DOTNET_CLI_TELEMETRY_OPTOUT
: >"$work/out"
why=""
if [ -z "$multitool" ]; then
    why="@microsoft/sarif-multitool has no build for $(uname -s) $(uname -m)"
elif [ ! -x "$multitool" ]; then
    why="$multitool is missing or not executable"
elif ! "$multitool" --version >"$work/out" 2>&1; then
    why="$multitool --version failed"
fi
if [ -n "$why" ]; then
    sed 's/^/#   /' "$work/out"
    echo "# SKIP the SARIF Multitool part (--rule-kind \"Sarif;Gh\"): it cannot run here: $why"
else
    echo "# $(head -n 1 "$work/out")"
    # multitool LOG: its findings (level error or warning; notes are shown, not counted) on
    # stdout as "ruleId level: message", and the number of counted ones as the exit status.
    cat >"$work/findings.js" <<'EOF'
const d = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
let n = 0;
for (const r of (d.runs[0].results || [])) {
  const level = r.level || 'warning'; // SARIF's default level
  const args = (r.message && r.message.arguments) || [];
  console.log(`${r.ruleId} ${level}: ${args.join(' | ')}`);
  if (level === 'error' || level === 'warning') n++;
}
for (const inv of (d.runs[0].invocations || []))
  for (const note of [...(inv.toolExecutionNotifications || []),
                      ...(inv.toolConfigurationNotifications || [])])
    if (note.level === 'error') { console.log(`tool error: ${note.message.text}`); n++; }
process.exit(Math.min(n, 100));
EOF
    for log in $logs "$work/broken.sarif"; do
        name=$(basename "$log")
        rm -f "$work/validation.sarif"
        "$multitool" validate --rule-kind "Sarif;Gh" --output "$work/validation.sarif" "$log" \
            >"$work/console" 2>&1
        if [ ! -s "$work/validation.sarif" ]; then
            cp "$work/console" "$work/out"
            fail "multitool validate --rule-kind Sarif;Gh ran on $name"
            continue
        fi
        node "$work/findings.js" "$work/validation.sarif" >"$work/out" 2>&1
        status=$?
        if [ "$log" = "$work/broken.sarif" ]; then
            if [ $status -ne 0 ] && grep -q '^JSON1005 ' "$work/out" && grep -q '^GH' "$work/out"
            then
                pass "multitool refuses the broken copy: schema (JSON1005) and GitHub (GH*) rules (control)"
            else
                fail "multitool refuses the broken copy: schema (JSON1005) and GitHub (GH*) rules (control)"
            fi
        elif [ $status -eq 0 ]; then
            [ -s "$work/out" ] && sed 's/^/#   note: /' "$work/out"
            pass "multitool validate --rule-kind \"Sarif;Gh\": $name has no error or warning"
        else
            fail "multitool validate --rule-kind \"Sarif;Gh\": $name has no error or warning"
        fi
    done
fi

tap_summary
