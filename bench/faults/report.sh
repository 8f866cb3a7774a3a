#!/usr/bin/env bash
# bench/faults/report.sh [FUZZ_SECONDS] — the fault-injection report (issue 15):
#   kill points tried / survived   (faults_sweep_test: SIGKILL at every write point)
#   I/O faults tried / survived    (the same run with EIO and ENOSPC at every point)
#   hostile files tried / crashes / hangs  (every file of ../shared/corpus/bad indexed
#                                   by the trove binary, and the fuzzers for a budget)
# Uses build/ (configure it as scripts/test.sh does); builds what it needs. Prints
# figures only: pass/fail lives in the tests. Takes minutes (the sweep visits every
# point; FUZZ_SECONDS, default 60, per fuzz target).
set -euo pipefail
cd "$(dirname "$0")/../.."
B="${TROVE_TEST_BUILD:-build}"
FUZZ="${1:-60}"
cmake --build "$B" -j"$(nproc)" --target trove faults_sweep_test >/dev/null

echo "== kill anywhere / I/O errors (every point) =="
"$B/tests/faults/faults_sweep_test" 2>&1 | grep -E '^fault report|FAILED|PASSED' || true

echo "== hostile files: ../shared/corpus/bad, each file on its own =="
bad=../shared/corpus/bad
tried=0 crashes=0 hangs=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while IFS= read -r -d '' f; do
  tried=$((tried + 1))
  rm -rf "$tmp/src" "$tmp/home"
  mkdir -p "$tmp/src"
  cp -P "$f" "$tmp/src/" 2>/dev/null || continue
  set +e
  timeout 60 "$B/cli/trove" --home "$tmp/home" --quiet index "$tmp/src" >/dev/null 2>"$tmp/err"
  rc=$?
  set -e
  if [ $rc -eq 124 ]; then
    hangs=$((hangs + 1))
    echo "hang: $f"
  elif [ $rc -gt 6 ]; then  # 0-6 are trove's exit codes (3: the file failed, recorded)
    crashes=$((crashes + 1))
    echo "crash ($rc): $f"
  fi
done < <(find "$bad" -type f -print0 | sort -z)
echo "hostile files: tried ${tried}, crashes ${crashes}, hangs ${hangs}"

echo "== hostile seeds: the parse fuzzer's seed corpus through every parser =="
cmake --build "$B" -j"$(nproc)" --target fuzz_seed_replay_test >/dev/null
"$B/tests/fuzz/fuzz_seed_replay_test" 2>&1 | grep -E '^\[  (PASSED|FAILED) ' || true

# The libFuzzer targets (clang, ASan + UBSan): tests/fuzz/run.sh builds them in
# build-fuzz/ and runs each for the budget, printing inputs run, crashes and hangs.
echo "== fuzzers (${FUZZ} s each, ASan + UBSan) =="
bash tests/fuzz/run.sh "$FUZZ" || true
