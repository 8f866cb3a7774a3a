#!/usr/bin/env bash
# tests/web/run.sh — headless Chromium renders trove serve's page at /?q=… and the hit
# must be in the rendered DOM; the page, its script and stylesheet reference no
# external URL, and the CSP header forbids loading any.
#
#   run.sh TROVE_BIN SOURCE_DIR
#
# Without chromium it skips (exit 77) and says why, except under CI=true.
set -euo pipefail
BIN="$1"
SRC="$2"

skip() {
  if [ "${CI:-}" = true ]; then
    echo "FAIL (CI=true, so no skipping): $1"
    exit 1
  fi
  echo "SKIP: $1"
  exit 77
}
CHROME="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$CHROME" ] || skip "chromium is not installed (scripts/bootstrap.sh installs it)"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"

home="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$home"
}
trap cleanup EXIT

"$BIN" --home "$home/lib" -q index "$SRC/samples"
"$BIN" --home "$home/lib" serve --port 0 >"$home/out" 2>"$home/err" &
server=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://[^ ]*/' "$home/out" | head -1 || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "FAIL: trove serve printed no URL"; cat "$home/err"; exit 1; }

fail() { echo "FAIL: $1"; exit 1; }

# No external URL anywhere in what the page loads.
for part in "" app.js app.css; do
  curl -s "$url$part" >"$home/part"
  [ -s "$home/part" ] || fail "$url$part is empty"
  if grep -Eo '(https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}' "$home/part" | grep -v '^//$' >"$home/ext"; then
    fail "$url$part references external URLs: $(tr '\n' ' ' <"$home/ext")"
  fi
done
curl -sI "$url" | grep -qi "^content-security-policy: default-src 'none'" || fail "no CSP header on /"
echo "ok: the page references no external URL and its CSP allows none"

"$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --user-data-dir="$home/chrome" --no-first-run --disable-extensions \
  --virtual-time-budget=10000 --dump-dom "${url}?q=wireguard%20tunnel" >"$home/dom" 2>"$home/chrome.log" ||
  { cat "$home/chrome.log"; fail "chromium failed"; }
grep -q 'class="hit' "$home/dom" || { head -c 3000 "$home/dom"; fail "no hit rendered for /?q=wireguard tunnel"; }
grep -q 'home-network/wireguard-vpn.md' "$home/dom" || fail "the expected document is not in the rendered hits"
grep -q '<mark>' "$home/dom" || fail "matched terms are not highlighted"
echo "ok: /?q=wireguard tunnel renders the hit for home-network/wireguard-vpn.md with highlights"
