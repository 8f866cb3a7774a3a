#!/usr/bin/env bash
# bench/embed/compare_llama.sh — embedding throughput of trove vs llama.cpp's
# llama-embedding on the same random-weight GGUF files and the same texts.
#
#   bench/embed/compare_llama.sh [LLAMA_BIN_DIR]     (or LLAMA_BIN=/path/to/llama.cpp/build/bin)
#
# Env: BUILD (trove build folder, default build), THREADS (2), CHUNKS (64),
#      CHUNK_TOKENS (250), REPEAT (5), MODELS ("bge-small minilm-l6"), TYPES ("f16 q8_0"),
#      UBATCHES ("512 2048": llama.cpp ubatch sizes tried; the fastest is reported).
# Generates the models with bench/tools/make_model into a temp folder, cuts CHUNKS
# texts of ~CHUNK_TOKENS tokens from the corpus, then runs each engine REPEAT times
# with THREADS threads and prints the median tokens/s of each and trove/llama.cpp.
# llama.cpp is timed by its own "prompt eval time" (model loading excluded, like
# trove's); for a non-causal model it must put whole sequences in one ubatch and
# attends across all tokens of a ubatch, so it runs at each UBATCHES size and the
# fastest is reported.
# Skips (exit 0) when llama-embedding is not there.
set -euo pipefail

ROOT="${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
LLAMA_BIN="${1:-${LLAMA_BIN:-/work/llama.cpp/build/bin}}"
BUILD="${BUILD:-$ROOT/build}"
THREADS="${THREADS:-2}"
CHUNKS="${CHUNKS:-64}"
CHUNK_TOKENS="${CHUNK_TOKENS:-250}"
REPEAT="${REPEAT:-5}"
MODELS="${MODELS:-bge-small minilm-l6}"
TYPES="${TYPES:-f16 q8_0}"
UBATCHES="${UBATCHES:-512 2048}"

if [ ! -x "$LLAMA_BIN/llama-embedding" ]; then
  echo "compare_llama: skipped: no llama-embedding in '$LLAMA_BIN' (pass the llama.cpp bin folder)"
  exit 0
fi
for tool in "$BUILD/bench/tools/make_model" "$BUILD/bench/embed/embed_bench"; do
  if [ ! -x "$tool" ]; then
    echo "compare_llama: build $tool first (cmake --build $BUILD --target make_model embed_bench)" >&2
    exit 2
  fi
done

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# tokens/s from one llama-embedding run (its prompt eval line), or empty on failure.
llama_rate() {
  local model=$1 ub=$2
  "$LLAMA_BIN/llama-embedding" -m "$model" -f "$TMP/texts.txt" -t "$THREADS" -tb "$THREADS" \
    -c "$ub" -b "$ub" -ub "$ub" --no-warmup --embd-output-format json >/dev/null 2>"$TMP/llama.log" ||
    return 0
  grep "prompt eval time" "$TMP/llama.log" | sed -E 's/.*, +([0-9.]+) tokens per second.*/\1/'
}

printf "%-22s %14s %14s %8s\n" "model" "trove tok/s" "llama tok/s" "ratio"
for m in $MODELS; do
  for t in $TYPES; do
    model="$TMP/$m-$t.gguf"
    "$BUILD/bench/tools/make_model" --model "$m" --type "$t" --out "$model" >/dev/null
    if [ ! -f "$TMP/texts.txt" ]; then
      "$BUILD/bench/embed/embed_bench" --model "$model" --make-texts "$TMP/texts.txt" \
        --chunks "$CHUNKS" --chunk-tokens "$CHUNK_TOKENS" >/dev/null
    fi
    trove=$("$BUILD/bench/embed/embed_bench" --model "$model" --texts "$TMP/texts.txt" \
      --threads "$THREADS" --repeat "$REPEAT" | sed -E 's/.* = ([0-9.]+) tokens\/s = .*/\1/')
    best_llama=0
    for ub in $UBATCHES; do
      "$LLAMA_BIN/llama-embedding" -m "$model" -f "$TMP/texts.txt" -t "$THREADS" -c "$ub" \
        -b "$ub" -ub "$ub" >/dev/null 2>&1 || true  # warm the page cache
      rates=""
      for _ in $(seq "$REPEAT"); do rates="$rates $(llama_rate "$model" "$ub")"; done
      med=$(echo $rates | tr ' ' '\n' | grep . | median || true)
      echo "  llama.cpp $m-$t ubatch $ub: runs [$rates ] median ${med:-n/a} tok/s" >&2
      if [ -n "$med" ] && awk "BEGIN {exit !($med > $best_llama)}"; then best_llama=$med; fi
    done
    ratio=$(awk "BEGIN {if ($best_llama > 0) printf \"%.2f\", $trove / $best_llama; else print \"n/a\"}")
    printf "%-22s %14s %14s %8s\n" "$m-$t" "$trove" "$best_llama" "${ratio}x"
  done
done
echo "(${CHUNKS} chunks of ~${CHUNK_TOKENS} tokens, ${THREADS} threads, median of ${REPEAT}; target ratio >= 1.3)"
