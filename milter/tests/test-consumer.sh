#!/bin/sh
# emlint-milter is a consumer of libemlint like any other (issue 13): its sources include no
# header of the core but the public emlint.h (and only adapter.c includes that one), the binary
# needs libemlint.so.0, holds none of the core's code, and finds the library once installed.
# Usage: test-consumer.sh MILTER_BINARY BUILD_DIR. Needs nm and readelf (else SKIP, 77), and
# meson (it installs the build into a scratch folder).
set -u
milter=$1
build=$2
core=$build/lint/libemlint-core.a
src=${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}
if [ ! -x "$milter" ]; then
  echo "SKIP: emlint-milter was not built (libmilter-dev is missing at meson setup)"
  exit 77
fi
if ! command -v nm >/dev/null 2>&1 || ! command -v readelf >/dev/null 2>&1; then
  echo "SKIP: nm or readelf is not installed (binutils)"
  exit 77
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
. "$src/tests/tap.sh"
# expect WHAT: pass when the command before succeeded, else fail showing $work/out.
expect() { if [ "$?" -eq 0 ]; then pass "$1"; else fail "$1"; fi; : >"$work/out"; }

# The headers of lint/ and rules/ other than emlint.h, and what the milter's sources include.
(cd "$src" && ls lint/*.h rules/*.h rules/*.def 2>/dev/null) | sed 's|.*/||' \
  | grep -vx 'emlint.h' | sort >"$work/internal"
sed -n 's/^#include [<"]\([^>"]*\)[>"].*/\1/p' "$src"/milter/*.c "$src"/milter/*.h \
  "$src"/milter/tests/*.c | sed 's|.*/||' | sort -u >"$work/included"
test -s "$work/internal"
expect "the core has internal headers to guard against ($(wc -l <"$work/internal"))"
comm -12 "$work/internal" "$work/included" >"$work/out"
test ! -s "$work/out"
expect "milter/ includes no internal header of the core"
(cd "$src" && grep -l '#include [<"]emlint.h[>"]' milter/*.c milter/*.h milter/tests/*.c) \
  >"$work/out"
test "$(cat "$work/out")" = "milter/adapter.c"
expect "adapter.c is the only file of milter/ that includes emlint.h"

readelf -d "$milter" | grep -q 'NEEDED.*\[libemlint.so.0\]'
expect "emlint-milter needs libemlint.so.0"
# Every symbol the core's archive defines: none of them may be in the milter's binary.
test -f "$core"
expect "the core's archive is there to compare with"
nm --defined-only "$core" 2>/dev/null | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort -u >"$work/core"
nm --defined-only "$milter" | awk '$2 ~ /^[TtDdBbRr]$/ { print $3 }' | sort -u >"$work/milter"
comm -12 "$work/core" "$work/milter" >"$work/out"
test -s "$work/core" && test ! -s "$work/out"
expect "emlint-milter defines none of the core's $(wc -l <"$work/core") symbols"
nm -u "$milter" | grep -q ' emlint_linter_new$'
expect "emlint-milter calls the public API (emlint_linter_new is undefined in it)"

# Installed (into a scratch folder), it finds libemlint.so.0 without an ldconfig run.
meson install -C "$build" --no-rebuild --destdir "$work/dest" >"$work/out" 2>&1
expect "meson install into a scratch folder"
installed=$(find "$work/dest" -name emlint-milter -type f | head -1)
lib=$(find "$work/dest" -name libemlint.so.0 | head -1)
libdir=${lib%/*}
readelf -d "$installed" | grep -E 'R(UN)?PATH' | grep -qF "[${libdir#"$work/dest"}]"
expect "the installed emlint-milter finds libemlint.so.0 in ${libdir#"$work/dest"} by its run path"

tap_summary
