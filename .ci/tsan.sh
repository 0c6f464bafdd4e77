#!/usr/bin/env bash
# CI: ThreadSanitizer over what runs on threads. The engine lints on a thread pool (--jobs) and
# libemlint promises thread-safe calls. Builds with -Db_sanitize=thread (GCC) and runs:
#   - the tests 'api' (four threads linting and fixing at once through libemlint.so) and 'cli'
#     (every emlint it runs: --jobs 1, 2, 4 and the default);
#   - check and fix with --jobs 4 over corpus/ and ../shared/corpus-ext (when it is there).
# A report fails the run: TSan exits 66. Suppressions: .ci/tsan.supp (one, explained);
# cli/tsan-glib.c shows TSan GLib's locks. GSlice's allocator would hide frees from TSan.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f build-tsan/build.ninja ] || meson setup build-tsan -Db_sanitize=thread -Db_lundef=false \
  -Dwerror=true -Dbench=false --buildtype=debug >/dev/null
meson compile -C build-tsan >/dev/null
report="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/.ci/tsan.supp"
export TSAN_OPTIONS=$report G_SLICE=always-malloc

echo "=== ThreadSanitizer"
meson test -C build-tsan -v --print-errorlogs api
# The cli test checks every emlint it runs (EMLINT_WRAPPER); the Check harness itself, whose
# GSubprocess and GTask threads are GLib's own business, reports nothing.
TSAN_OPTIONS=report_bugs=0 EMLINT_WRAPPER="env TSAN_OPTIONS=$report" \
  meson test -C build-tsan -v --print-errorlogs cli

inputs=(corpus)
[ -d ../shared/corpus-ext ] && inputs+=(../shared/corpus-ext)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
for command in check "fix --diff"; do
  status=0
  # shellcheck disable=SC2086 # the command's words
  build-tsan/emlint $command --isolated --jobs 4 "${inputs[@]}" >/dev/null 2>"$out/err" || status=$?
  if [ "$status" -gt 1 ]; then
    cat "$out/err"
    echo "tsan: emlint $command --jobs 4 exited $status"
    echo "$passed passed, 1 failed"
    exit 1
  fi
  passed=$((passed + 1))
done
echo "$passed passed, 0 failed"
