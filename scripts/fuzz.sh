#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] — builds the libFuzzer targets (clang, ASan + UBSan) in
# build-fuzz/ and runs each for SECONDS (default 15) from its committed seed corpus
# (tests/fuzz/seeds/<format>/, plus the regression files). Prints one report line per
# target — inputs tried, crashes, hangs (over 10 s), out-of-memory — and a total.
# Exit status 1 when any target crashed, hung or ran out of memory: each artifact is
# left in build-fuzz/fuzz-out/<target>/ to be added to tests/fuzz/regressions/.
#
# Environment: TROVE_FUZZ_BUILD overrides the build folder; TROVE_FUZZ_TARGETS the list.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-15}"
B="${TROVE_FUZZ_BUILD:-build-fuzz}"
TARGETS="${TROVE_FUZZ_TARGETS:-gguf pdf html markdown text}"
JOBS="${TROVE_TEST_JOBS:-$(nproc)}"

CC=clang CXX=clang++ cmake -S . -B "$B" -G Ninja -DTROVE_FUZZ=ON -DTROVE_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DCMAKE_C_FLAGS_DEBUG="-O1 -g" >/dev/null
targets=()
for t in $TARGETS; do targets+=("${t}_fuzz"); done
cmake --build "$B" -j"$JOBS" --target "${targets[@]}"

status=0
total_runs=0 total_crash=0 total_hang=0 total_oom=0
printf '%-14s %10s %8s %6s %5s\n' target inputs crashes hangs ooms
for t in $TARGETS; do
  out="$B/fuzz-out/$t"
  work="$B/fuzz-work/$t"
  rm -rf "$out" "$work"
  mkdir -p "$out" "$work"
  seeds=(tests/fuzz/seeds/"$t")
  [ -d tests/fuzz/regressions/"$t" ] && seeds+=(tests/fuzz/regressions/"$t")
  log="$out/log"
  # -fork keeps going after a crash so one run counts them all; work/ takes new inputs
  # so the committed seeds stay as they are.
  set +e
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    "$B/tests/fuzz/${t}_fuzz" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
    -ignore_ooms=1 -artifact_prefix="$out/" "$work" "${seeds[@]}" >"$log" 2>&1
  set -e
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' |
    awk '{s+=$1} END {print s+0}')
  if [ "$runs" = 0 ]; then
    runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    runs=${runs:-0}
  fi
  crash=$(find "$out" -name 'crash-*' | wc -l)
  hang=$(find "$out" -name 'timeout-*' | wc -l)
  oom=$(find "$out" -name 'oom-*' | wc -l)
  printf '%-14s %10s %8s %6s %5s\n' "$t" "$runs" "$crash" "$hang" "$oom"
  total_runs=$((total_runs + runs))
  total_crash=$((total_crash + crash))
  total_hang=$((total_hang + hang))
  total_oom=$((total_oom + oom))
  if [ $((crash + hang + oom)) -gt 0 ]; then
    status=1
    tail -40 "$log"
  fi
done
echo "fuzz report: ${SECS} s per target; hostile inputs tried ${total_runs}, crashes ${total_crash}, hangs ${total_hang}, out-of-memory ${total_oom}"
exit $status
