#!/bin/sh
# libemlint as another program sees it: installs the build into a scratch DESTDIR, compiles
# tests/probe.c (emlint.h only) with the flags of the installed emlint.pc, runs it, and checks
# that libemlint.so exports emlint.h's functions and nothing else (no cli/, no internals).
# Usage: test-probe.sh BUILD_DIR. Needs meson, cc, pkg-config, nm and readelf (else SKIP, 77).
set -u
build=$1
src=${EMLINT_SOURCE_ROOT:?EMLINT_SOURCE_ROOT must name the source tree}
cc=${CC:-cc}
for tool in meson "$cc" pkg-config nm readelf; do
  command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool is not installed"; exit 77; }
done

passed=0 failed=0
check() {  # check NAME CONDITION...: one assertion
  name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"
  else failed=$((failed + 1)); echo "FAIL: $name"; fi
}
dest=$(mktemp -d) || exit 1
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --no-rebuild --destdir "$dest" >"$dest/install.log" 2>&1 \
  || { cat "$dest/install.log"; echo "0 passed, 1 failed"; exit 1; }
pc=$(find "$dest" -name emlint.pc)
lib=$(find "$dest" -name 'libemlint.so.0' -type l)
check "emlint.pc and libemlint.so.0 are installed" test -n "$pc" -a -n "$lib"
export PKG_CONFIG_PATH="${pc%/*}" PKG_CONFIG_SYSROOT_DIR="$dest"
incdir=$(pkg-config --cflags-only-I emlint | sed 's/^ *-I//; s/ *$//')
check "the only header installed is emlint.h" \
  test "$(find "$incdir" -type f -printf '%f\n')" = "emlint.h"

# shellcheck disable=SC2046 # the flags are words
check "probe.c compiles and links with pkg-config's flags alone" \
  "$cc" -std=c99 -Wall -Werror -o "$dest/probe" "$src/tests/probe.c" $(pkg-config --cflags --libs emlint)
. "$src/tests/sanitizer-runtime.sh"
preload_sanitizer_runtime "$lib" \
  || { echo "SKIP: $lib needs a sanitizer runtime a plain program cannot load"; exit 77; }
LD_LIBRARY_PATH="${lib%/*}" "$dest/probe" >"$dest/out" 2>&1
check "probe runs" test $? -eq 0
check "probe lints: the encoded In-Reply-To, at 4:1-4:70, fixable" \
  grep -q '^4:1-4:70 msgid-encoded-word In-Reply-To holds .* \[fixable\]$' "$dest/out"
check "probe fixes: the decoded id, CRLF kept" \
  grep -q "$(printf '^In-Reply-To: <20231002091542.4711@example.org>\r$')" "$dest/out"
check "probe uses API 2: a linter, the registry" \
  grep -q '^API 2: [0-9]* rules; msgid-encoded-word (error, fix); linted again: 1$' "$dest/out"
check "probe needs libemlint.so.0" sh -c "readelf -d '$dest/probe' | grep -q 'NEEDED.*libemlint.so.0'"
check "libemlint.so holds nothing of cli/ (run, walk, input, report, output, diff, settings)" \
  sh -c "! nm '$lib' | grep -E ' emlint_(run|walk|read_messages|reporter_|output_|diff|settings_|escape)'"
check "libemlint's soname is versioned" \
  sh -c "readelf -d '$lib' | grep -q 'SONAME.*libemlint.so.0]'"

# The emlint program is one more consumer: it includes emlint.h alone of the core's headers,
# needs libemlint.so.0, and holds none of the core's code.
internal=$(cd "$src/lint" && ls ./*.h | sed 's|^\./||' | grep -vx emlint.h)
included=$(cat "$src"/cli/*.c "$src"/cli/*.h | sed -n 's/^#include "\([^"]*\)".*/\1/p' | sort -u)
leaked=$(printf '%s\n' "$included" | grep -Fx "$internal")
check "cli/ includes no header of lint/ but emlint.h${leaked:+ (it includes: $leaked)}" \
  test -z "$leaked"
check "build/emlint needs libemlint.so.0" \
  sh -c "readelf -d '$build/emlint' | grep -q 'NEEDED.*libemlint.so.0'"
installed=$(find "$dest" -name emlint -type f -perm -u+x | head -1)
libdir=${lib%/*}
check "the installed emlint finds libemlint.so.0 in ${libdir#"$dest"} without ldconfig" \
  sh -c "readelf -d '$installed' | grep -E 'R(UN)?PATH' | grep -qF '[${libdir#"$dest"}]'"
nm --defined-only "$build/lint/libemlint-core.a" 2>/dev/null | awk '$2 == "T" { print $3 }' \
  | sort -u >"$dest/core"
nm --defined-only "$build/emlint" | awk '{ print $3 }' | sort -u >"$dest/emlint-defines"
core=$(comm -12 "$dest/core" "$dest/emlint-defines" | head -5)
check "the core's archive has functions to compare with" test -s "$dest/core"
check "build/emlint defines none of the core's functions${core:+ (it defines: $core)}" \
  test -z "$core"

# emlint.h's functions, and what libemlint.so exports: the same list.
sed -n 's/^EMLINT_PUBLIC [^(]*[ *]\(emlint_[a-z_]*\) (.*/\1/p' "$src/lint/emlint.h" | sort >"$dest/api"
nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort >"$dest/exported"
check "emlint.h declares the API ($(wc -l <"$dest/api") functions)" test -s "$dest/api"
check "libemlint.so exports exactly emlint.h's functions" cmp -s "$dest/api" "$dest/exported" \
  || diff "$dest/api" "$dest/exported"
nm -D --defined-only "$lib" | awk '$2 ~ /[DBR]/ { print }' >"$dest/data"
check "libemlint.so exports no variables (no globals)" test ! -s "$dest/data"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
