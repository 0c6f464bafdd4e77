#!/usr/bin/env bash
# CI for `emlint imap` (issue 17): installs Dovecot's imap binary (Debian's dovecot-imapd) without
# leaving a system dovecot running, then runs the test suite 'imap' in build/ (made by
# ./bootstrap test): the corpus/imap cases, Dovecot driven by imaplib over a pipe, and the fake
# QQ/NetEase server. No network but apt: the servers run on pipes.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive

missing=()
for pkg in dovecot-imapd python3; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  # The package starts the system's dovecot on install; a policy-rc.d that says 101 forbids it.
  policy=/usr/sbin/policy-rc.d
  made_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ -z "$made_policy" ] || rm -f "$policy"
fi
# Where a service manager started it anyway, stop the system's dovecot and keep it stopped.
if [ -d /run/systemd/system ]; then
  systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
elif pidof dovecot >/dev/null 2>&1; then
  service dovecot stop >/dev/null 2>&1 || true
fi

[ -f build/build.ninja ] || meson setup build >/dev/null
meson test -C build --suite imap -v --print-errorlogs
echo "imap: $(($(date +%s) - started)) s (install and suite)"
