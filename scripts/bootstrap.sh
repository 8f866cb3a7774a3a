#!/usr/bin/env bash
# Installs the Debian 12 packages trove needs to build, test and benchmark.
# Idempotent: re-running only installs what is missing. Run as root (or with sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang clang-format clang-tidy libclang-rt-14-dev
  libsqlite3-dev sqlite3
  libfaiss-dev libopenblas-dev libomp-dev
  libpoppler-cpp-dev poppler-data poppler-utils
  libxml2-dev libicu-dev libzip-dev libmd4c-dev libuchardet-dev
  libgmime-3.0-dev
  libtesseract-dev libleptonica-dev tesseract-ocr-eng
  libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev libssl-dev
  libcpp-httplib-dev nlohmann-json3-dev libstemmer-dev
  nodejs npm chromium curl  # test-only: the MCP SDK client and the headless page test
  python3
  python3-sentencepiece sentencepiece  # the test build trains the Unigram test vocabularies (tests/data/unigram)
)

missing=()
for p in "${PACKAGES[@]}"; do
  # A nodejs from elsewhere (e.g. NodeSource) bundles npm and conflicts with Debian's.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
