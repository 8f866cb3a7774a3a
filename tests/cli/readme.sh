#!/usr/bin/env bash
# tests/cli/readme.sh — README.md and the trove binary agree, so the documentation of
# the command-line contract (issue 11) cannot drift from the code:
#   the "Exit codes" table is `trove help exit-codes --markdown` (cli/exit_codes.h);
#   the JSON keys README lists for search, ask, status and index --json are the keys
#   those commands print (on a small lexical library), and keys serve/json_schema.cc
#   writes;
#   `trove completions bash|zsh|fish` (generated from the command table) is valid shell
#   and completes commands, subcommands and flags; `trove man` is a man page.
#
# Usage: readme.sh TROVE_BIN SOURCE_DIR   (ctest passes them)
# Prints one line per check; exits 1 if any failed.
set -uo pipefail
TROVE="$(realpath "$1")"
SRC="$2"
README="$SRC/README.md"
T="$(mktemp -d /tmp/trove-readme-XXXXXX)"
trap 'rm -rf "$T"' EXIT
H="$T/home"
# shellcheck source=../support/checks.sh
. "$SRC/tests/support/checks.sh"

# --- exit codes: README's table is the header's table ---
"$TROVE" help exit-codes --markdown >"$T/codes.md"
# The table in README: from its header row to the first line that is not a table row.
awk '/^\| code \| name \| meaning \|$/ { on = 1 } on && !/^\|/ { exit } on' "$README" >"$T/readme-codes.md"
check "README's exit-code table is trove help exit-codes --markdown" -- \
  diff -u "$T/codes.md" "$T/readme-codes.md"
check "the table has every code 0-6" -- [ "$(grep -cE '^\| [0-6] \|' "$T/codes.md")" = 7 ]
expect 0 "trove help exit-codes" -- "$TROVE" help exit-codes
check "the plain table names every code too" -- \
  [ "$(grep -cE '^  [0-6]  ' "$T/out")" = 7 ]

# --- JSON keys: README's lists are what the commands print ---
# README lists them as lines "- `COMMAND --json`: `key`, `key`, ..." (top-level keys).
readme_keys() {
  grep -F -- "- \`$1\`:" "$README" | head -1 | sed 's/^[^:]*://' | grep -o '`[a-z_]*`' |
    tr -d '`' | sort -u
}
# printed_keys FILE: the sorted union of the top-level keys of the JSON lines in FILE.
printed_keys() {
  python3 -c 'import json,sys
keys=set()
for line in open(sys.argv[1]):
    if line.strip(): keys |= set(json.loads(line))
print("\n".join(sorted(keys)))' "$1"
}
# same_keys "COMMAND --json" FILE: every key FILE's JSON has is in README's list for
# COMMAND (nothing undocumented), and every key README lists is one serve/json_schema.cc
# (or the command, for a key only the CLI adds) writes (nothing renamed or removed). Keys that only some runs print (note, error, ...)
# are in README's list with what brings them.
same_keys() {
  readme_keys "$1" >"$T/want"
  printed_keys "$2" >"$T/got"
  local ok=0 k
  [ -s "$T/want" ] || { echo "     README has no line \"- \`$1\`: ...\""; return 1; }
  for k in $(comm -13 "$T/want" "$T/got"); do echo "     $1 prints '$k', README does not list it"; ok=1; done
  for k in $(cat "$T/want"); do
    grep -q "\"$k\"" "$SRC/serve/json_schema.cc" "$SRC"/cli/cmd_*.cc ||
      { echo "     README lists '$k' for $1; neither serve/json_schema.cc nor cli/ writes it"; ok=1; }
  done
  return $ok
}
D="$T/docs"
cp -r "$SRC/samples" "$D"
"$TROVE" --home "$H" -q index --json "$D" >"$T/index.json" 2>"$T/err"
check "index --json: README lists its keys" -- same_keys "index --json" "$T/index.json"
"$TROVE" --home "$H" search --json --mode lexical deposit >"$T/search.json" 2>"$T/err"
check "search --json: README lists a hit's keys" -- same_keys "search --json" "$T/search.json"
"$TROVE" --home "$H" ask --json --no-llm "what about the deposit?" >"$T/ask.json" 2>"$T/err"
check "ask --json: README lists its keys" -- same_keys "ask --json" "$T/ask.json"
"$TROVE" --home "$H" status --json >"$T/status.json" 2>"$T/err"
check "status --json: README lists its keys" -- same_keys "status --json" "$T/status.json"
# first_key_is_version FILE: every JSON line in FILE starts with "json_version": 1, the
# version README promises (a script checks it before reading anything else).
first_key_is_version() {
  python3 -c 'import json,sys
lines=[l for l in open(sys.argv[1]) if l.strip()]
assert lines, "no JSON printed"
for l in lines:
    first=next(iter(json.loads(l).items()))
    assert first == ("json_version", 1), first' "$1"
}
for f in index search ask status; do
  check "$f --json: every document starts with json_version 1" -- first_key_is_version "$T/$f.json"
done

# --- completions ---
"$TROVE" completions bash >"$T/trove.bash"
check "bash completion is valid bash" -- bash -n "$T/trove.bash"
# complete WORDS...: what bash completion offers for the command line WORDS (the last
# word the one being completed), one a line.
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _trove; printf "%s\n" "${COMPREPLY[@]}"' _ "$T/trove.bash" "$@"
}
offers() { complete_words "${@:2}" >"$T/offered"; grep -qx -- "$1" "$T/offered"; }
check "bash completes a command (trove sea -> search)" -- offers search trove sea
check "bash completes a subcommand (trove models pu -> pull)" -- offers pull trove models pu
check "bash completes a command's flag (search --js -> --json)" -- offers --json trove search --js
check "bash completes a global flag (--ho -> --home)" -- offers --home trove --ho
check "bash completes a flag after the query (search x --cou -> --count)" -- \
  offers --count trove search x --cou
expect 0 "zsh completion is printed" -- "$TROVE" completions zsh
check "it is a zsh completion file" -- has "#compdef trove" "$T/out"
if command -v zsh >/dev/null; then
  check "zsh completion is valid zsh" -- zsh -n "$T/out"
fi
expect 0 "fish completion is printed" -- "$TROVE" completions fish
check "it completes search's --json" -- has "complete -c trove -n '__fish_seen_subcommand_from search' -l 'json'" "$T/out"
if command -v fish >/dev/null; then
  check "fish completion is valid fish" -- fish --no-execute "$T/out"
fi
expect 0 "trove man" -- "$TROVE" man
check "the man page is roff" -- grep -q '^\.TH TROVE 1' "$T/out"
check "it documents search's flags" -- grep -q '^\.SS "trove search"' "$T/out"
check "it has the exit-code table" -- grep -q '^\.SH EXIT STATUS' "$T/out"
expect 2 "an unknown shell is a usage error" -- "$TROVE" completions tcsh
check "it says what was expected" -- has "bash, zsh or fish" "$T/err"

echo "$((N - FAILED))/$N README checks hold"
[ "$FAILED" -eq 0 ]
