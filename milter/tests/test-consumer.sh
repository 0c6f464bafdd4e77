#!/bin/sh
# emlint-milter is a consumer of libemlint like any other (issue 13): its sources include no
# header of the core but the public emlint.h (and only adapter.c includes that one), the binary
# needs libemlint.so.0, and it holds none of the core's code.
# Usage: test-consumer.sh MILTER_BINARY BUILD_DIR. Needs nm and readelf (else SKIP, 77).
set -u
milter=$1
build=$2
src=${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}
[ -x "$milter" ] || { echo "SKIP: emlint-milter was not built (libmilter-dev is missing at meson setup)"; exit 77; }
for tool in nm readelf; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool is not installed (binutils)"; exit 77; }
done

passed=0 failed=0
check() {  # check NAME CONDITION...: one assertion
  name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"
  else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT

# The headers of lint/ and rules/ other than emlint.h, and what the milter's sources include.
(cd "$src" && ls lint/*.h rules/*.h rules/*.def 2>/dev/null) | sed 's|.*/||' \
  | grep -vx 'emlint.h' | sort >"$work/internal"
sed -n 's/^#include [<"]\([^>"]*\)[>"].*/\1/p' "$src"/milter/*.c "$src"/milter/*.h \
  "$src"/milter/tests/*.c | sed 's|.*/||' | sort -u >"$work/included"
comm -12 "$work/internal" "$work/included" >"$work/bad"
check "the core has internal headers to guard against ($(wc -l <"$work/internal"))" \
  test -s "$work/internal"
check "milter/ includes no internal header of the core" test ! -s "$work/bad" \
  || sed 's/^/  included: /' "$work/bad"
check "adapter.c is the only file of milter/ that includes emlint.h" \
  test "$(cd "$src" && grep -l '#include [<"]emlint.h[>"]' milter/*.c milter/*.h milter/tests/*.c)" \
  = "milter/adapter.c"

check "emlint-milter needs libemlint.so.0" \
  sh -c "readelf -d '$milter' | grep -q 'NEEDED.*\[libemlint.so.0\]'"
# Every function the core's archive defines: none of them may be in the milter's binary.
core=$build/lint/libemlint-core.a
check "the core's archive is there to compare with" test -f "$core"
nm --defined-only "$core" 2>/dev/null | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort -u >"$work/core"
nm --defined-only "$milter" | awk '$2 ~ /^[TtDdBbRr]$/ { print $3 }' | sort -u >"$work/milter"
comm -12 "$work/core" "$work/milter" >"$work/both"
check "emlint-milter defines none of the core's $(wc -l <"$work/core") symbols" \
  test ! -s "$work/both" || head "$work/both" | sed 's/^/  defined: /'
check "emlint-milter calls the public API (emlint_linter_new is undefined in it)" \
  sh -c "nm -u '$milter' | grep -q ' emlint_linter_new$'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
