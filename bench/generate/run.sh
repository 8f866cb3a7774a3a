#!/usr/bin/env bash
# bench/generate/run.sh — decoder speed versus llama.cpp on real-shaped models.
#
#   BUILD=build-decoder bench/generate/run.sh
#
# Writes SmolLM2-135M / Qwen2.5-0.5B / Llama-3.2-1B shaped models with random weights
# (Q8_0 and Q4_K_M mixes) to $MODELS (default /tmp/trove-bench-models), measures
# trove's prompt (512 tokens) and decode (128 tokens) speed with $THREADS threads
# (default 2), runs llama-bench ($LLAMA_BENCH, default
# /work/llama.cpp/build/bin/llama-bench; skipped when absent) on the same files, and
# prints the ratios (targets: decode >= 0.8x llama.cpp, prompt >= 0.5x) and decode as
# a fraction of the read-bandwidth roofline.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${BUILD:-$ROOT/build}"
MODELS="${MODELS:-/tmp/trove-bench-models}"
THREADS="${THREADS:-2}"
REPS="${REPS:-3}"
LLAMA_BENCH="${LLAMA_BENCH:-/work/llama.cpp/build/bin/llama-bench}"
NAMES="${NAMES:-smollm2-135m qwen2.5-0.5b llama3.2-1b}"

for exe in make_bench_models bench_generate; do
  if [ ! -x "$BUILD/bench/generate/$exe" ]; then
    echo "run.sh: $BUILD/bench/generate/$exe not built (cmake --build $BUILD --target $exe)" >&2
    exit 2
  fi
done

# shellcheck disable=SC2086
"$BUILD/bench/generate/make_bench_models" "$MODELS" $NAMES
files=()
for n in $NAMES; do
  for q in q8_0 q4_k_m; do files+=("$MODELS/$n-$q.gguf"); done
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$BUILD/bench/generate/bench_generate" -t "$THREADS" -p 512 -n 128 -r "$REPS" "${files[@]}" \
  > "$out/trove.jsonl"

if [ -x "$LLAMA_BENCH" ]; then
  for f in "${files[@]}"; do
    "$LLAMA_BENCH" -m "$f" -p 512 -n 128 -t "$THREADS" -r "$REPS" -o json 2>/dev/null \
      > "$out/$(basename "$f").llama.json" || echo "run.sh: llama-bench failed on $f" >&2
  done
else
  echo "run.sh: llama-bench not found at $LLAMA_BENCH; printing trove's figures only" >&2
fi

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = [json.loads(l) for l in open(os.path.join(out, "trove.jsonl")) if l.strip()]
print(f"{'model':<24}{'pp512 t/s':>11}{'tg128 t/s':>11}{'roofline':>10}"
      f"{'llama pp':>10}{'llama tg':>10}{'pp ratio':>10}{'tg ratio':>10}")
for r in rows:
    name = os.path.basename(r["model"])
    lp = lt = None
    path = os.path.join(out, name + ".llama.json")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        for t in json.load(open(path)):
            if t.get("n_prompt", 0) > 0 and t.get("n_gen", 0) == 0:
                lp = t["avg_ts"]
            elif t.get("n_gen", 0) > 0 and t.get("n_prompt", 0) == 0:
                lt = t["avg_ts"]
    f = lambda v, d=1: "-" if v is None else f"{v:.{d}f}"
    ratio = lambda a, b: None if b is None else a / b
    print(f"{name:<24}{r['pp_tps']:>11.1f}{r['tg_tps']:>11.2f}{r['roofline_fraction']*100:>9.0f}%"
          f"{f(lp):>10}{f(lt, 2):>10}{f(ratio(r['pp_tps'], lp), 2):>10}{f(ratio(r['tg_tps'], lt), 2):>10}")
print(f"read bandwidth {rows[0]['read_bandwidth']/1e9:.2f} GB/s with {rows[0]['threads']} threads; "
      "targets: tg ratio >= 0.8, pp ratio >= 0.5")
PY
