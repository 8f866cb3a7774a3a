#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] — build the libFuzzer targets and run each for a time
# budget (issue 15: "the fuzzers run in CI for a fixed time budget under ASan/UBSan
# with a committed seed corpus"). scripts/test.sh runs it as its "fuzz" phase;
# bench/faults/report.sh reuses it for the report's figures.
#
# What it does: configures build-fuzz/ with clang (-DTROVE_FUZZ=ON: ASan + UBSan +
# libFuzzer, see tests/fuzz/CMakeLists.txt), builds gguf_fuzz and parse_fuzz, writes
# their seed corpora (make_corpus.py from the fixtures, make_parse_corpus.py from the
# shared corpus and hand-made hostile inputs) and runs both targets at once, one core
# each, for SECONDS (default 60) each, with the committed regression inputs
# (tests/data/fuzz/<target>/, inputs that once crashed a parser) as seeds too. New
# inputs go to build-fuzz/<target>_work, so no committed file is ever written.
#
# Fails (exit 1) on any crash, hang (an input over 25 s), memory blow-up (over 2 GiB)
# or leak, printing the input's path and how to keep it as a regression file; prints
# per target: inputs run, corpus size, crashes, hangs.
#
# Environment: TROVE_FUZZ_BUILD (default build-fuzz), TROVE_TEST_JOBS (build
# parallelism, default nproc).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH="${1:-60}"
F="${TROVE_FUZZ_BUILD:-build-fuzz}"
JOBS="${TROVE_TEST_JOBS:-$(nproc)}"

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ not found (scripts/bootstrap.sh installs clang)" >&2
  exit 1
fi
if [ ! -f "$F/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$F" -G Ninja -DTROVE_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$F" -j"$JOBS" --target gguf_fuzz parse_fuzz >/dev/null

python3 tests/fuzz/make_corpus.py "$F/gguf_corpus" >/dev/null
python3 tests/fuzz/make_parse_corpus.py "$F/parse_corpus" >/dev/null

run_target() {  # NAME MAX_LEN
  local t="$1" max_len="$2"
  local work="$F/${t}_work" art="$F/${t}_crashes"
  mkdir -p "$work" "$art"
  local seeds=("$F/${t}_corpus")
  [ -d "tests/data/fuzz/$t" ] && seeds+=("tests/data/fuzz/$t")
  # -timeout: a linear parser of 256 KiB takes milliseconds even under ASan; 25 s is a
  # hang. -rss_limit_mb: parsers are bounded well under this (ParseBudget).
  set +e
  "$F/tests/fuzz/${t}_fuzz" -max_total_time="$SECONDS_EACH" -max_len="$max_len" \
    -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" "$work" "${seeds[@]}" >"$F/$t.log" 2>&1
  echo $? >"$F/$t.rc"
  set -e
}

run_target gguf 65536 &
run_target parse 262144 &
wait

fail=0
for t in gguf parse; do
  rc=$(cat "$F/$t.rc")
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$F/$t.log" | grep -oE '[0-9]+$' || true)
  units=$(find "$F/${t}_work" -type f | wc -l)
  crashes=$(find "$F/${t}_crashes" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  hangs=$(find "$F/${t}_crashes" -type f -name 'timeout-*' | wc -l)
  echo "fuzz $t: ${runs:-?} inputs in ${SECONDS_EACH} s, ${units} new corpus units, ${crashes} crashes, ${hangs} hangs (exit $rc)"
  if [ "$rc" != 0 ] || [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    fail=1
    grep -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY:' "$F/$t.log" | head -5 >&2 || true
    find "$F/${t}_crashes" -type f | sed 's/^/  input: /' >&2
    echo "  log: $F/$t.log; replay: $F/tests/fuzz/${t}_fuzz INPUT; once fixed, keep the input as" \
      "tests/data/fuzz/$t/<what-it-broke> (a seed of every later run)" >&2
  fi
done
exit $fail
