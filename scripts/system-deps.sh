#!/usr/bin/env bash
# Installs the Debian packages Gemeinsam needs, when they are missing.
#   run:  libharfbuzz-subset0 (WeasyPrint 2.4x faster), pango, gettext, xmlsec1 (BundID SAML signatures)
#   test: the above, plus chromium (browser tests), clamav-daemon (tests start their own clamd) and
#         valgrind (the bench smoke run counts instructions with callgrind)
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext fonts-dejavu-core xmlsec1)
[ "${1:-run}" = "test" ] && want+=(chromium clamav clamav-daemon valgrind)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "Missing Debian packages: ${missing[*]} — install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
