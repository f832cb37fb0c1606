#!/usr/bin/env bash
# Install the Debian packages Xueshi's sandbox and tests need, only those that are missing.
# chromium: browser tests (Playwright drives Debian's build; no browser download);
# ffmpeg: demo media; libmariadb/pkg-config: mysqlclient; gettext: translations; fonts: CJK text;
# libpango: WeasyPrint (certificate PDFs); poppler-utils and zbar-tools: tests read PDFs back as text and QR codes.
set -euo pipefail
PACKAGES=(chromium ffmpeg pkg-config default-libmysqlclient-dev gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils zbar-tools)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
