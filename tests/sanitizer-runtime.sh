# sanitizer-runtime.sh, sourced by the tests that load libemlint.so into a program that was not
# built with a sanitizer (the probe, python3). In a sanitizer build the library needs the
# runtime loaded first: GCC's is a shared library, preloaded here; clang links its runtime into
# executables only, so there is nothing to preload and the caller SKIPs (77).
# Usage: preload_sanitizer_runtime LIB; returns 1 when LIB cannot be loaded this way.
preload_sanitizer_runtime() {
  nm -D "$1" 2>/dev/null | grep -q ' U __[at]san_init' || return 0
  runtime=$(ldd "$1" | awk '/lib[at]san\.so/ { print $3 }')
  [ -n "$runtime" ] || return 1
  export LD_PRELOAD="$runtime" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
}
