#!/usr/bin/env bash
# Installs what Chancery needs to build, run and test on Debian 12.
# Idempotent: installs only the packages that are missing. Run as root (or with sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  clang libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev sqlite3 libpq-dev
  postgresql postgresql-contrib
  libargon2-dev libcli11-dev libtomlplusplus-dev
  libxlsxwriter-dev libmagic-dev libicu-dev
  libreoffice-calc-nogui
  libgtest-dev libgmock-dev libbenchmark-dev
  curl python3 openssl bc jq
  nginx-light
  chromium fonts-noto-core
  softhsm2 opensc libengine-pkcs11-openssl libp11-dev
  libqpdf-dev libfreetype-dev libpng-dev zlib1g-dev qpdf libpodofo-utils poppler-utils gnutls-bin libnss3-tools
  libxml2-dev libxmlsec1-dev xmlsec1
  libpoppler-cpp-dev libzip-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js and npm build the web UI; the machine's own (v20) is used when present.
command -v npm >/dev/null || missing+=(nodejs npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
