#!/usr/bin/env bash
# CI: the HTML report in a real browser. Installs Debian's chromium when it is missing, then
# runs the meson suite 'browser' (tests/test-browser.sh), which SKIPs only without chromium.
# Needs the build folder that ./bootstrap test made.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
echo "=== the HTML report in headless Chromium"
meson test -C build --suite browser -v --print-errorlogs
