#!/usr/bin/env bash
# tests/cli/contract.sh — the command-line and cron contract (issue 11), checked on a
# real library with an embedding model from ../shared/fixtures/: every exit code
# (cli/exit_codes.h), forget/unforget, empty and missing mount points, the locked
# --json document, permissions under a permissive umask, vector-index validation,
# model changes, run history, and the README's crontab command under env -i.
#
# Usage: contract.sh TROVE_BIN SOURCE_DIR [SHARED_DIR]   (ctest passes them)
# Prints one line per check; exits 1 if any failed, 77 (skip) if the fixture is missing.
set -uo pipefail
TROVE="$(realpath "$1")"
SRC="$2"
SHARED="${3:-$SRC/../shared}"
FIXTURE="$SHARED/fixtures/models/bert-mean-f16.gguf"
[ -f "$FIXTURE" ] || { echo "skip: $FIXTURE missing"; exit 77; }

T="$(mktemp -d /tmp/trove-contract-XXXXXX)"
trap 'rm -rf "$T"' EXIT
H="$T/home"
D="$T/docs"
cp -r "$SRC/samples" "$D"
# The library's model is a private copy, so the model cases can change and remove it.
MODEL="$T/fixture.gguf"
cp "$FIXTURE" "$MODEL"
# shellcheck source=../support/checks.sh
. "$SRC/tests/support/checks.sh"

t() { "$TROVE" --home "$H" "$@"; }
mode_of() { stat -c %a "$1"; }
# json EXPR: true when EXPR, over the JSON document in $T/out as d, holds (a missing
# key or no JSON at all is false, not an error that passes).
json() { python3 -c "import json,sys; d=json.load(open('$T/out')); sys.exit(0 if ($1) else 1)" 2>/dev/null; }

umask 022

# --- 9. permissions, even when `models` runs before anything else ---
expect 0 "models add before anything" -- t models add "$MODEL" --role embed --name fixture
check "home is 0700" -- [ "$(mode_of "$H")" = 700 ]
check "models/ is 0700" -- [ "$(mode_of "$H/models")" = 700 ]
check "registry.tsv is 0600" -- [ "$(mode_of "$H/models/registry.tsv")" = 600 ]

# --- 4. nothing to index ---
expect 2 "index with no source and no path" -- t index
check "says what to do" -- has "nothing to index" "$T/err"
expect 2 "index --json with no source" -- t index --json
check "index --json prints one JSON document when it cannot start" -- json "d['error']"
expect 2 "index with no source, from cron (env -i, cron's PATH, a fresh home)" -- \
  env -i HOME="$T" PATH=/usr/bin:/bin "$TROVE" --home "$T/fresh" -q index
check "says what to do, on stderr for cron's mail" -- has "nothing to index" "$T/err"

# --- a real library ---
expect 0 "index DOCS" -- t index "$D"
for f in trove.db trove.lock vectors.faiss; do
  check "$f is 0600" -- [ "$(mode_of "$H/$f")" = 600 ]
done
expect 0 "status" -- t status --json
check "status: last run completed" -- json "d['last_run']['status']=='completed'"
DOCS0=$(t status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
VEC0=$(t status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["embeddings"]["vectors"])')

# --- 1. nothing found exits 1 in every mode; empty query is usage ---
for m in lexical semantic hybrid; do
  expect 1 "search gibberish --mode $m" -- t search qzxvbnmwq --mode "$m"
  expect 2 "search '' --mode $m" -- t search "" --mode "$m"
  expect 2 "search '   ' --mode $m" -- t search "   " --mode "$m"
done
expect 0 "search sourdough" -- t search sourdough
expect 0 "search --min-similarity 0 --mode semantic keeps every hit" -- t search qzxvbnmwq --mode semantic --min-similarity 0
# ask retrieves through the same floor, and the one flag means the same for it.
expect 1 "ask --no-llm gibberish --mode semantic finds nothing" -- t ask --no-llm qzxvbnmwq --mode semantic
expect 0 "ask --no-llm --min-similarity 0 --mode semantic keeps every hit, as search" -- \
  t ask --no-llm qzxvbnmwq --mode semantic --min-similarity 0
expect 0 "ask --no-llm finds what search finds" -- t ask --no-llm sourdough

# --- 3. forget sticks ---
expect 0 "forget a folder inside a source" -- t forget "$D/travel"
expect 0 "index after forget" -- t index
expect 1 "forgotten folder stays out" -- t search lisbon --mode lexical
expect 0 "status" -- t status --json
check "status lists the forgotten path" -- json "'$D/travel' in d['forgotten']"
expect 0 "unforget" -- t unforget "$D/travel"
expect 0 "index after unforget" -- t index
expect 0 "unforgotten folder is back" -- t search lisbon --mode lexical
expect 0 "forget a file" -- t forget "$D/travel/lisbon-packing-checklist.md"
expect 0 "index PATH of exactly the forgotten file brings it back" -- t index "$D/travel/lisbon-packing-checklist.md"
expect 0 "it is back" -- t search lisbon --mode lexical
expect 2 "forget ''" -- t forget ""
expect 2 "forget . outside any source" -- bash -c 'cd "$0" && "$1" --home "$2" forget .' "$T" "$TROVE" "$H"
expect 2 "forget a path matching nothing" -- t forget "$D/no-such-file.md"
expect 2 "unforget a path never forgotten" -- t unforget "$D/kitchen"

# --- 8. locked ---
flock "$H/trove.lock" sleep 4 &
LOCKER=$!
sleep 0.5
expect 4 "index while locked" -- t index
expect 4 "index --json while locked" -- t index --json
check "locked JSON names the holder" -- json "d['error']=='locked' and d['holder_pid']>0"
expect 0 "search while locked" -- t search sourdough
wait "$LOCKER"

# --- 5. partial runs and run history ---
printf '%%PDF-1.4\nthis is not a pdf at all' >"$D/broken.pdf"
expect 3 "a new file fails: partial" -- t index
check "the failure is listed on stderr off a terminal" -- has "broken.pdf" "$T/err"
expect 0 "next nightly run: old failure does not make it partial" -- t index
expect 0 "status" -- t status --json
check "old failure still listed in status" -- json "any(f['path'].endswith('broken.pdf') for f in d['failures'])"
python3 - "$H/trove.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO runs(started_at_ms, status) VALUES (1, 'running')")
db.commit()
PY
expect 0 "status" -- t status --json
check "a run killed mid-way shows as interrupted" -- json "d['last_run']['status']=='interrupted'"

# --- 2. vector-index validation loses nothing ---
for f in 'HNSW99999999' 'garbage!!' 'IVF99999,Flat' 'PQ7' 'IVF4,PQ7'; do
  expect 2 "--vector-index $f is refused" -- t index --vector-index "$f"
done
expect 0 "status" -- t status --json
check "vector count unchanged" -- json "d['embeddings']['vectors']==$VEC0"
expect 0 "index still works" -- t index
expect 0 "search still works" -- t search sourdough --mode semantic --min-similarity 0
expect 0 "--vector-index HNSW32 rebuilds beside and swaps" -- t index --vector-index HNSW32
expect 0 "status" -- t status --json
check "vector count unchanged after the swap" -- json "d['embeddings']['vectors']==$VEC0"
expect 0 "semantic search on HNSW" -- t search sourdough --mode semantic --min-similarity 0

# --- 10. empty and missing mount points ---
mv "$D" "$T/away"
mkdir "$D"
expect 3 "empty source folder: partial, documents kept" -- t index
check "says it kept them" -- has "kept" "$T/err"
rmdir "$D"
expect 3 "missing source folder: partial, documents kept" -- t index
expect 0 "status" -- t status --json
check "documents kept" -- json "d['documents']>=$DOCS0"
mkdir "$D"
expect 0 "--allow-empty forgets them deliberately" -- t index --allow-empty
expect 0 "status" -- t status --json
check "documents gone" -- json "d['documents']==0"
rmdir "$D"
mv "$T/away" "$D"
rm "$D/broken.pdf"
expect 0 "index again" -- t index

# --- 7 and 6. models: not present, changed, removed ---
expect 6 "models use NAME not present" -- t models use no-such-model
check "says how to get it" -- has "trove models" "$T/err"
printf 'x' >>"$MODEL"
expect 3 "changed model file: lexical indexing goes on, vectors refused" -- t index
check "names the model and what changed" -- has "changed since it was registered" "$T/err"
expect 6 "search --mode semantic with a changed model" -- t search sourdough --mode semantic
check "says why" -- has "changed since it was registered" "$T/err"
expect 0 "search still works lexically, with a note" -- t search sourdough
check "the note says lexical only" -- has "lexical" "$T/err"
expect 0 "status" -- t status --json
check "the failed vector step is recorded as failed" -- json "d['last_run']['status']=='failed'"
expect 0 "models verify accepts the changed file" -- t models verify fixture
expect 3 "vectors of two models never mixed: refused without --reembed" -- t index
check "says to re-embed" -- has "reembed" "$T/err"
expect 0 "status" -- t status --json
check "vector count unchanged (no vectors of the new file mixed in)" -- json "d['embeddings']['vectors']==$VEC0"
expect 0 "index --reembed with the accepted file" -- t index --reembed
cp "$FIXTURE" "$T/copy.gguf"
expect 0 "models add a second model" -- t models add "$T/copy.gguf" --role embed --name copy
expect 0 "models remove it" -- t models remove copy
expect 6 "models remove a name that is not registered (as models use: a model problem)" -- t models remove copy
expect 0 "models remove the library's model" -- t models remove fixture
rm "$MODEL"
expect 0 "index without any model: lexical only" -- t index
check "the summary says lexical only" -- has "lexical only" "$T/out"
expect 0 "status" -- t status
check "status says lexical only" -- has "lexical only" "$T/out"
expect 0 "search runs lexically" -- t search sourdough

# --- 11. the catalogue shows licences and pins ---
expect 0 "models pull --list" -- t models pull --list
check "Qwen2.5-3B's licence is marked not open" -- grep -qE '^qwen2\.5-3b-instruct .*\(not open\)' "$T/out"
check "Llama 3.2's licence is marked not open" -- grep -qE '^llama-3\.2-1b-instruct .*Llama 3\.2 Community License \(not open\)' "$T/out"
check "an entry without a published size and hash says unpinned" -- has "unpinned" "$T/out"
check "every entry shows a licence" -- python3 -c 'import re, sys
rows = [l for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if rows and all(re.search(r"(MIT|Apache-2\.0|License)", l) for l in rows) else 1)' "$T/out"

# --- manners: did-you-mean, --version, names with escape bytes or not UTF-8 ---
expect 2 "a misspelt command" -- t serch sourdough
check "suggests the command" -- has "did you mean search" "$T/err"
expect 2 "a misspelt flag" -- t search sourdough --jsn
check "suggests the flag" -- has "did you mean --json" "$T/err"
expect 0 "--version" -- "$TROVE" --version
check "--version prints version, commit and kernel level" -- \
  grep -qE '^trove [0-9]+\.[0-9]+\.[0-9]+ \(commit [^,]+, kernels (scalar|avx2|avx512)\)$' "$T/out"
printf 'zebrafinch \033[31m song\n' >"$D/$(printf '\033[31mred.md')"
printf 'zebrafinch latin\n' >"$D/$(printf 'caf\351.md')"
expect 0 "index names with an escape sequence and not UTF-8" -- t index
expect 0 "search finds both" -- t search zebrafinch --mode lexical
check "no raw escape byte is printed (name or text)" -- \
  python3 -c 'import sys; sys.exit(b"\x1b" in open(sys.argv[1], "rb").read())' "$T/out"
check "the escape in the name is printed escaped" -- has '\\x1b\[31mred\.md' "$T/out"
check "the name that is not UTF-8 is printed escaped" -- has 'caf\\xe9\.md' "$T/out"

# --- exit-code table ---
expect 0 "help exit-codes" -- t help exit-codes
for c in 0 1 2 3 4 5 6; do check "help exit-codes lists $c" -- grep -qE "^  $c  " "$T/out"; done

# --- the README's crontab command, under env -i with a minimal PATH ---
expect 0 "cron: env -i trove index" -- env -i HOME="$T" PATH="/usr/bin:/bin" "$TROVE" --home "$H" --quiet index
check "cron run is silent on success" -- [ ! -s "$T/out" ]

echo "$((N - FAILED))/$N contract checks hold"
[ "$FAILED" -eq 0 ]
