#!/usr/bin/env bash
# tests/cli/manners.sh — command-line manners (issue 11), ripgrep as the model, on a
# real library (samples/ with the embedding model from ../shared/fixtures/):
#   search output off a terminal (`path:line: text`, one hit a line, the line that
#   holds the match), grouped and coloured on a terminal (a pty through script(1)),
#   -l, --count, a query from stdin (`-`), --heading/--no-heading/--color;
#   ask taking global flags after the command and sharing search's flags;
#   output that cannot be written (/dev/full) failing; trove doctor on a healthy and
#   on damaged libraries.
#
# Usage: manners.sh TROVE_BIN SOURCE_DIR [SHARED_DIR]   (ctest passes them)
# Prints one line per check; exits 1 if any failed, 77 (skip) if the fixture is missing.
set -uo pipefail
TROVE="$(realpath "$1")"
SRC="$2"
SHARED="${3:-$SRC/../shared}"
FIXTURE="$SHARED/fixtures/models/bert-mean-f16.gguf"
[ -f "$FIXTURE" ] || { echo "skip: $FIXTURE missing"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 missing"; exit 77; }

T="$(mktemp -d /tmp/trove-manners-XXXXXX)"
trap 'rm -rf "$T"' EXIT
H="$T/home"
D="$T/docs"
cp -r "$SRC/samples" "$D"
MODEL="$T/fixture.gguf" # a private copy: the doctor case changes it
cp "$FIXTURE" "$MODEL"
# shellcheck source=../support/checks.sh
. "$SRC/tests/support/checks.sh"
unset NO_COLOR

t() { "$TROVE" --home "$H" "$@"; }
# py CODE: runs Python with out (stdout of the last expect), err, and j (the JSON lines
# in $T/j, when a check saved some) loaded; true when CODE exits 0.
py() {
  python3 - "$T" <<EOF 2>"$T/py-err"
import json, os, re, sys
T = sys.argv[1]
out = open(T + "/out", encoding="utf-8", errors="replace").read()
err = open(T + "/err", encoding="utf-8", errors="replace").read()
j = [json.loads(l) for l in open(T + "/j")] if os.path.exists(T + "/j") else []
$1
EOF
}
# on_tty COMMAND...: runs COMMAND with stdout on a pseudo-terminal (script(1)); its
# output (with CRs removed) in $T/out.
on_tty() {
  local cmd
  printf -v cmd '%q ' "$@"
  TERM=xterm script -qec "$cmd" /dev/null | tr -d '\r' >"$T/out"
}

expect 0 "models add" -- t models add "$MODEL" --role embed --name fixture
expect 0 "index DOCS" -- t index "$D"
mkdir -p "$T/other"
printf '# Spare router\n\nThe spare router lives in the loft, in its box.\n' >"$T/other/spare.md"
expect 0 "index a second source" -- t index "$T/other"

# --- search off a terminal: path:line: text, one hit a line ---
for m in lexical hybrid semantic; do
  q=router
  floor=()
  # The tiny fixture model's scores sit below the per-query floor: keep every hit.
  [ $m = semantic ] && q="the vpn tunnel to my home network" && floor=(--min-similarity 0)
  t search "$q" --mode $m "${floor[@]}" --json >"$T/j" 2>/dev/null
  expect 0 "search --mode $m on a pipe" -- t search "$q" --mode $m "${floor[@]}"
  check "$m: one line per hit, as many as --json has" -- py "
lines = out.splitlines()
sys.exit(0 if len(j) > 0 and len(lines) == len(j) else 1)"
  check "$m: each line is path:location: text, in --json's order" -- py "
for l, h in zip(out.splitlines(), j):
    if not l.startswith(h['path'] + ':'): sys.exit(1)
    rest = l[len(h['path']) + 1:]
    if h['page_start']:
        if not rest.startswith('p. ' + str(h['page_start'])): sys.exit(1)
    elif h['line_start']:
        m = re.match(r'(\d+): \S', rest)
        if not m: sys.exit(1)
        n = int(m.group(1))
        if not h['line_start'] <= n <= max(h['line_start'], h['line_end']): sys.exit(1)
sys.exit(0)"
  check "$m: no escape bytes on a pipe" -- py "sys.exit(1 if '\x1b' in out else 0)"
done
rm -f "$T/j"

expect 0 "search router --mode lexical" -- t search router --mode lexical -k 20
check "the line named holds the match (read from the file)" -- py "
seen = 0
for l in out.splitlines():
    m = re.match(r'(/.*?):(\d+): ', l)
    if not m: continue
    seen += 1
    src = open(m.group(1), encoding='utf-8').read().split('\n')
    if 'router' not in src[int(m.group(2)) - 1].lower(): sys.exit(1)
sys.exit(0 if seen >= 2 else 1)"
expect 0 "a PDF hit is located by page" -- t search boiler --type pdf --mode lexical
check "path:p. N: text" -- py "
sys.exit(0 if all(re.match(r'/.*\.pdf:p\. \d+: \S', l) for l in out.splitlines()) else 1)"

# --- -l and --count ---
t search router --mode lexical --json -k 1000 >"$T/j" 2>/dev/null
expect 0 "search -l" -- t search router --mode lexical -l
check "-l: each file with a hit once, best first" -- py "
want = []
for h in j:
    if h['path'] not in want: want.append(h['path'])
sys.exit(0 if out.splitlines() == want else 1)"
expect 0 "search --count" -- t search router --mode lexical --count
check "--count: path:N per file, N its hits" -- py "
want = {}
for h in j: want[h['path']] = want.get(h['path'], 0) + 1
got = {}
for l in out.splitlines():
    p, _, n = l.rpartition(':')
    got[p] = int(n)
sys.exit(0 if got == want and len(want) >= 2 else 1)"
expect 0 "search -l -k 1" -- t search router --mode lexical -l -k 1
check "-l honours -k" -- py "sys.exit(0 if len(out.splitlines()) == 1 else 1)"
expect 1 "search -l with nothing found" -- t search qzxvbnmwq --mode lexical -l
check "-l with nothing found prints nothing" -- [ ! -s "$T/out" ]
expect 2 "-l with --json is a usage error" -- t search router -l --json
expect 2 "--count with -l is a usage error" -- t search router -l --count
rm -f "$T/j"

# --- the query from stdin ---
t search wireguard router --mode lexical >"$T/want" 2>/dev/null
expect 0 "search - reads the query from stdin" -- bash -c 'printf "wireguard\nrouter\n" | "$0" --home "$1" search - --mode lexical' "$TROVE" "$H"
check "same hits as the query given as words" -- cmp -s "$T/out" "$T/want"
expect 2 "search - with empty stdin" -- t search - </dev/null
check "says the query on stdin is empty" -- has "on stdin" "$T/err"
expect 0 "ask - reads the question from stdin" -- bash -c 'echo "which router port" | "$0" --home "$1" ask - --no-llm --json' "$TROVE" "$H"

# --- layout and colour flags ---
expect 0 "--heading off a terminal groups" -- t search router --mode lexical --heading
check "grouped: each path once, alone on its line" -- py "
paths = [l for l in out.splitlines() if l.startswith('/')]
sys.exit(0 if paths and len(paths) == len(set(paths)) and all(':' not in p for p in paths) else 1)"
expect 0 "--color always off a terminal" -- t search router --mode lexical --color always
check "--color always colours the match" -- py "sys.exit(0 if '\x1b[1;31m' in out else 1)"

# --- search on a terminal: grouped and coloured ---
if command -v script >/dev/null; then
  N=$((N + 1))
  on_tty "$TROVE" --home "$H" search router --mode lexical
  echo "ok   search on a terminal ran"
  check "tty: paths coloured, each once on its own line" -- py "
paths = re.findall(r'^\x1b\[35m([^\x1b]*)\x1b\[0m$', out, re.M)
sys.exit(0 if len(paths) >= 2 and len(paths) == len(set(paths)) else 1)"
  check "tty: matches coloured, line numbers before each hit" -- py "
sys.exit(0 if re.search(r'\x1b\[1;31mrouter', out, re.I) and re.search(r'^\x1b\[32m\d+\x1b\[0m: ', out, re.M) else 1)"
  on_tty env NO_COLOR=1 "$TROVE" --home "$H" search router --mode lexical
  check "tty with NO_COLOR: grouped, no escapes" -- py "
sys.exit(0 if '\x1b' not in out and re.search(r'^/\S+\.md$', out, re.M) else 1)"
  on_tty "$TROVE" --home "$H" search router --mode lexical --no-heading --color never
  check "tty with --no-heading: path:line: text" -- py "
ls = out.splitlines()
sys.exit(0 if ls and all(re.match(r'/\S+:\d+: ', l) for l in ls) else 1)"
  # Progress on a 40-column terminal: every redraw fits (a wrapped line cannot be
  # redrawn in place with \r). A fresh home, so every file is new work.
  printf -v cmd '%q ' "$TROVE" --home "$T/home-narrow" index "$D"
  TERM=xterm script -qec "stty cols 40 rows 20; $cmd" /dev/null >"$T/out" 2>&1
  check "tty: progress is drawn and fits a 40-column terminal" -- py "
segs = [re.sub(r'\x1b\[[0-9;]*[A-Za-z]', '', x) for x in re.split(r'[\r\n]', out)]
prog = [x for x in segs if re.search(r'\d+/\d+ files', x)]
sys.exit(0 if prog and all(len(x) < 40 for x in prog) else 1)"
else
  echo "skip terminal checks: script(1) missing"
fi

# --- -v adds timings on stderr; without it there are none ---
expect 0 "search -v" -- t search router --mode lexical -v
check "search -v prints the hits and the time taken" -- py "sys.exit(0 if re.search(r'\d+ hits in [0-9.]+ ms \(lexical\)', err) else 1)"
expect 0 "search without -v" -- t search router --mode lexical
check "search without -v prints no timing" -- py "sys.exit(0 if ' ms' not in err else 1)"
expect 0 "ask -v --no-llm" -- t ask "which router port" -v --no-llm
check "ask -v prints the retrieval time" -- py "sys.exit(0 if re.search(r'retrieval [0-9.]+ ms \(\d+ passages', err) else 1)"

# --- ask takes global flags after the command, and search's flags ---
expect 0 "ask Q --home H (global flag after the command)" -- "$TROVE" ask "which router port" --home "$H" --no-llm
expect 0 "ask Q -q --home H" -- "$TROVE" ask "which router port" -q --home "$H" --no-llm
check "-q after ask silences the note" -- [ ! -s "$T/err" ]
expect 2 "ask Q --home H --bogus" -- "$TROVE" ask router --home "$H" --bogus
check "names the unknown flag, not --home" -- bash -c 'grep -q -- "--bogus" "$0" && ! grep -q -- "--home" "$0"' "$T/err"
expect 2 "ask --type checked as in search" -- t ask router --type spreadsheet --no-llm
expect 2 "search --type checked" -- t search router --type spreadsheet
expect 2 "ask -k 0 refused as in search" -- t ask router -k 0 --no-llm
expect 2 "search -k 0 refused" -- t search router -k 0
expect 0 "ask --source (search's filter)" -- t ask "router" --source "$T/other" --no-llm --json --mode lexical
check "ask --source keeps only that source" -- py "
d = json.loads(out)
sys.exit(0 if d['sources'] and all(s['path'].startswith('$T/other/') for s in d['sources']) else 1)"
t search --help >"$T/search-help"
t ask --help >"$T/ask-help"
for f in -k --path --type --source --mode --min-similarity --rerank --no-rerank; do
  check "search and ask describe $f the same way" -- bash -c '
    a=$(grep -E "^ +$0( |,)" "$1" | sed -E "s/\(default [0-9.]+\)//; s/default: [^)]*//")
    b=$(grep -E "^ +$0( |,)" "$2" | sed -E "s/\(default [0-9.]+\)//; s/default: [^)]*//")
    [ -n "$a" ] && [ "$a" = "$b" ]' "$f" "$T/search-help" "$T/ask-help"
done

# --- output that cannot be written fails ---
expect_nonzero "search > /dev/full" -- bash -c '"$0" --home "$1" search router --mode lexical >/dev/full' "$TROVE" "$H"
check "says the output could not be written" -- has "cannot write" "$T/err"
expect_nonzero "search --json > /dev/full" -- bash -c '"$0" --home "$1" search router --json >/dev/full' "$TROVE" "$H"
expect_nonzero "search -l > /dev/full" -- bash -c '"$0" --home "$1" search router -l >/dev/full' "$TROVE" "$H"
expect_nonzero "status > /dev/full" -- bash -c '"$0" --home "$1" status >/dev/full' "$TROVE" "$H"
expect_nonzero "status --json > /dev/full" -- bash -c '"$0" --home "$1" status --json >/dev/full' "$TROVE" "$H"
expect_nonzero "ask --no-llm > /dev/full" -- bash -c '"$0" --home "$1" ask router --no-llm >/dev/full' "$TROVE" "$H"
expect_nonzero "doctor > /dev/full" -- bash -c '"$0" --home "$1" doctor >/dev/full' "$TROVE" "$H"
expect_nonzero "--help > /dev/full" -- bash -c '"$0" --help >/dev/full' "$TROVE"
expect_nonzero "help exit-codes > /dev/full" -- bash -c '"$0" help exit-codes >/dev/full' "$TROVE"

# --- trove doctor ---
expect 0 "doctor on a healthy library" -- t doctor
for s in home database models "vector index" cpu; do
  check "doctor names the $s check" -- grep -q "^$s\$" "$T/out"
done
check "doctor: no FAIL on a healthy library" -- bash -c '! grep -q FAIL "$0"' "$T/out"

cp -r "$H" "$T/home-model"
printf 'x' >>"$MODEL"
expect 6 "doctor with a changed model" -- t doctor
check "says which model and what to do" -- bash -c 'grep -q FAIL "$0" && grep -q "fix:" "$0" && grep -q "models verify" "$0"' "$T/out"
expect 0 "models verify accepts it" -- t models verify fixture

cp -r "$H" "$T/home-db"
printf 'this is not a database' | dd of="$T/home-db/trove.db" bs=1 seek=0 conv=notrunc status=none
expect 5 "doctor with a damaged database" -- "$TROVE" --home "$T/home-db" doctor
check "names the database and what to do" -- bash -c 'grep -q "trove.db" "$0" && grep -q "fix:" "$0"' "$T/out"

rm -f "$T/home-model/vectors.faiss"
cp "$H/models/registry.tsv" "$T/home-model/models/registry.tsv"
expect 5 "doctor with the vector index missing" -- "$TROVE" --home "$T/home-model" doctor
check "says how to rebuild it" -- bash -c 'grep -q "fix:" "$0" && grep -q "trove index" "$0"' "$T/out"

echo "$((N - FAILED))/$N manners checks hold"
[ "$FAILED" -eq 0 ]
