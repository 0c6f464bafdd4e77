#!/usr/bin/env bash
# CI: the README's first command, `./bootstrap lint corpus/`, from a fresh clone on a machine
# without the test-only packages. A mount namespace hides their pkg-config files (check.pc,
# json-glib-1.0.pc) and headers; the build packages stay. Passes when the run lints: exit 1
# with `path:line:col: severity:` findings on corpus/ and no bootstrap error.
# .ci/run calls it after `./bootstrap test`, which installed the build packages: installing them
# inside the namespace would write into the hidden copy of the pkg-config folder.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

for tool in gcc meson pkg-config git unshare; do
  command -v "$tool" >/dev/null || { echo "first-command: $tool is not installed" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$src" "$work/clone"

pc=/usr/lib/$(gcc -dumpmachine)/pkgconfig
# shellcheck disable=SC2016 # expanded by the inner bash, from $pc and $work in its environment
hide='
  set -e
  cp -a "$pc/." "$work/pc/"
  rm -f "$work/pc/check.pc" "$work/pc/json-glib-1.0.pc"
  mount --bind "$work/pc" "$pc"
  for h in /usr/include/check.h /usr/include/check_stdint.h; do
    if [ -e "$h" ]; then mount --bind /dev/null "$h"; fi
  done
  if [ -d /usr/include/json-glib-1.0 ]; then mount -t tmpfs none /usr/include/json-glib-1.0; fi
  for p in check json-glib-1.0; do
    if pkg-config --exists "$p"; then echo "first-command: $p is not hidden" >&2; exit 3; fi
  done
  set +e
  cd "$work/clone" && exec ./bootstrap lint corpus/'
mkdir "$work/pc"
status=0
pc=$pc work=$work unshare -m bash -c "$hide" >"$work/out" 2>"$work/err" || status=$?

findings=$(grep -cE '^corpus/[^:]+:[0-9]+:[0-9]+: (error|warning|info): ' "$work/out" || true)
echo "=== first command: ./bootstrap lint corpus/ without Check and json-glib: exit $status," \
  "$findings findings"
if [ "$status" -ne 1 ] || [ "$findings" -eq 0 ] || grep -q '^bootstrap: .*failed' "$work/err"; then
  sed 's/^/  stderr: /' "$work/err"
  head -n 20 "$work/out" | sed 's/^/  stdout: /'
  echo "first-command: 0 passed, 1 failed"
  exit 1
fi
echo "first-command: 1 passed, 0 failed"
