#!/usr/bin/env bash
# tests/mcp_sdk/run.sh — the official MCP TypeScript SDK client against `trove mcp`,
# over stdio and over --http.
#
#   run.sh TROVE_BIN SOURCE_DIR WORK_DIR
#
# Installs the SDK from the committed package.json + package-lock.json with `npm ci`
# into WORK_DIR (once per lockfile; node_modules never lands in the source tree),
# indexes samples/ into a temp library, then runs client.mjs both ways.
# Without node/npm (or without the npm registry) it skips with exit 77 and says why,
# except under CI=true, where that is a failure.
set -euo pipefail
BIN="$1"
SRC="$2"
WORK="$3"
HERE="$(cd "$(dirname "$0")" && pwd)"

skip() {
  if [ "${CI:-}" = true ]; then
    echo "FAIL (CI=true, so no skipping): $1"
    exit 1
  fi
  echo "SKIP: $1"
  exit 77
}

command -v node >/dev/null 2>&1 || skip "node is not installed (scripts/bootstrap.sh installs nodejs and npm)"
command -v npm >/dev/null 2>&1 || skip "npm is not installed (scripts/bootstrap.sh installs nodejs and npm)"

mkdir -p "$WORK"
cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/client.mjs" "$WORK/"
stamp="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$WORK/.installed" 2>/dev/null || true)" != "$stamp" ]; then
  (cd "$WORK" && npm ci --no-audit --no-fund --loglevel=error) ||
    skip "npm ci could not install @modelcontextprotocol/sdk (no registry access?)"
  echo "$stamp" >"$WORK/.installed"
fi

home="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$home"
}
trap cleanup EXIT

"$BIN" --home "$home/lib" -q index "$SRC/samples"

query="wireguard tunnel"
expect="home-network/wireguard-vpn.md"
node "$WORK/client.mjs" stdio "$BIN" "$home/lib" "$query" "$expect"

"$BIN" --home "$home/lib" mcp --http --port 0 >"$home/out" 2>"$home/err" &
server=$!
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://[^ ]*/mcp' "$home/out" || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "FAIL: trove mcp --http printed no URL"; cat "$home/err"; exit 1; }
node "$WORK/client.mjs" http "$url" "$query" "$expect"
