#!/usr/bin/env bash
# CI for emlint-milter (issue 16): installs libmilter-dev and the components of the end-to-end
# test (Postfix, OpenDKIM, swaks, miltertest, dkimpy), reconfigures the build so that the
# milter is built, and runs the suite 'milter'. Postfix is installed without configuration: the
# test runs its own instance on 127.0.0.1 from a temporary folder and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

export DEBIAN_FRONTEND=noninteractive
packages=(libmilter-dev miltertest postfix opendkim opendkim-tools swaks python3-dkim)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "=== emlint-milter (suite milter)"
if [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build >/dev/null
fi
meson compile -C build >/dev/null
test -x build/milter/emlint-milter || { echo "emlint-milter was not built"; exit 1; }
meson test -C build --suite milter -v --print-errorlogs
echo "milter CI: $(( $(date +%s) - start )) s"
