#!/usr/bin/env bash
# A five-minute tour of trove on the notes in samples/.
#
# Installs the Debian packages, builds a Release binary in build-release/, then, in a
# library of its own (.demo-home/ unless TROVE_HOME is set, so your real library is
# never touched):
#   - pulls the default embedding and answer models if `trove models pull` exists and
#     the network is reachable (otherwise says so and carries on lexical + extractive),
#   - indexes samples/, runs two searches, asks one question, and shows the status.
# Re-running is cheap: the build is incremental, pulled models stay in .demo-home/
# and unchanged notes are not re-indexed.
set -euo pipefail
cd "$(dirname "$0")/.."

export TROVE_HOME="${TROVE_HOME:-$PWD/.demo-home}"
EMBED_MODEL="${TROVE_DEMO_EMBED_MODEL:-bge-small-en-v1.5}"
ANSWER_MODEL="${TROVE_DEMO_ANSWER_MODEL:-qwen2.5-0.5b-instruct}"  # catalogue names: `trove models pull --list`
# TROVE_DEMO_BIN: use this trove binary instead of building one.
TROVE="${TROVE_DEMO_BIN:-$PWD/build-release/cli/trove}"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD="" PLAIN=""; fi
step() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }
# quoted ARGS...: the arguments as a user would type them (multi-word ones in quotes).
quoted() {
  local out="" a
  for a in "$@"; do
    case "$a" in *[[:space:]]*) out+=" \"$a\"" ;; *) out+=" $a" ;; esac
  done
  printf '%s' "${out# }"
}
# has_command NAME: whether this build has the subcommand. (`trove NAME --help` cannot
# tell: for an unknown NAME the --help goes to the top level and exits 0.)
has_command() { "$TROVE" --help 2>/dev/null | grep -qE "^  $1( |\$)"; }
# show CMD...: prints the command as a user would type it, then runs it; a non-zero
# exit is reported, not fatal (exit 1 just means "nothing found").
show() {
  printf '$ trove %s\n' "$(quoted "$@")"
  local rc=0
  "$TROVE" "$@" || rc=$?
  [ $rc -eq 0 ] || echo "(exit status $rc)"
}

if [ -z "${TROVE_DEMO_BIN:-}" ]; then
  step "bootstrap"
  bash scripts/bootstrap.sh

  step "build (Release, trove binary only)"
  cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DTROVE_BUILD_TESTS=OFF -DTROVE_BUILD_BENCH=OFF >/dev/null
  cmake --build build-release -j"$(nproc)" --target trove
fi

echo "library: $TROVE_HOME"
mkdir -p "$TROVE_HOME"
chmod 700 "$TROVE_HOME"

step "models"
if has_command models; then
  for model in "$EMBED_MODEL" "$ANSWER_MODEL"; do
    if "$TROVE" models list 2>/dev/null | grep -q -- "$model"; then
      echo "$model: already in $TROVE_HOME"
      continue
    fi
    printf '$ trove models pull %s\n' "$model"
    if ! "$TROVE" models pull "$model"; then
      echo "could not pull $model (offline?): going on without it;" \
        "search stays lexical and answers are extractive."
    fi
  done
  show models list
else
  echo "'trove models' is not built yet: search is lexical, answers extractive."
fi

step "index the sample notes"
show index samples

step "search"
show search "how did we configure the VPN" -k 3
show search "carpet cleaning deduction" -k 3 --json

step "ask"
if has_command ask; then
  show ask "what did the landlord say about the deposit?"
else
  echo "'trove ask' is not built yet: skipped."
fi

step "status"
show status
