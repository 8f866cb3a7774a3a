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
if [ ! -x "$LLAMA_BENCH" ]; then
  echo "run.sh: llama-bench not found at $LLAMA_BENCH; printing trove's figures only" >&2
fi
# Shared machines change speed from one minute to the next, so trove and llama-bench
# take turns on each file, one repetition each, and the ratios are taken per turn
# before the median: a slow minute then slows both sides of one ratio.
for f in "${files[@]}"; do
  b="$(basename "$f")"
  for rep in $(seq "$REPS"); do
    "$BUILD/bench/generate/bench_generate" -t "$THREADS" -p 512 -n 128 -r 1 "$f" \
      >> "$out/$b.trove.jsonl"
    if [ -x "$LLAMA_BENCH" ]; then
      "$LLAMA_BENCH" -m "$f" -p 512 -n 128 -t "$THREADS" -r 1 -o json 2>/dev/null \
        > "$out/$b.llama.$rep.json" || echo "run.sh: llama-bench failed on $f" >&2
    fi
  done
done

python3 - "$out" "$REPS" "${files[@]}" <<'PY'
import json, os, statistics, sys
out, reps, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def llama(path):
    """(pp, tg) tokens/s from one llama-bench JSON file, None where missing."""
    pp = tg = None
    if os.path.exists(path) and os.path.getsize(path) > 0:
        for t in json.load(open(path)):
            if t.get("n_prompt", 0) > 0 and t.get("n_gen", 0) == 0:
                pp = t["avg_ts"]
            elif t.get("n_gen", 0) > 0 and t.get("n_prompt", 0) == 0:
                tg = t["avg_ts"]
    return pp, tg

med = lambda v: statistics.median(v) if v else None
fmt = lambda v, d=1: "-" if v is None else f"{v:.{d}f}"
print(f"{'model':<26}{'pp512':>8}{'tg128':>8}{'roofline':>10}{'llama pp':>10}{'llama tg':>10}"
      f"{'pp ratio':>10}{'tg ratio':>10}")
bws = []
for f in files:
    name = os.path.basename(f)
    rows = [json.loads(l) for l in open(os.path.join(out, name + ".trove.jsonl")) if l.strip()]
    lp, lt, rp, rt = [], [], [], []
    for i, r in enumerate(rows):
        p, t = llama(os.path.join(out, f"{name}.llama.{i + 1}.json"))
        if p: lp.append(p); rp.append(r["pp_tps"] / p)
        if t: lt.append(t); rt.append(r["tg_tps"] / t)
    bws += [r["read_bandwidth"] for r in rows]
    print(f"{name:<26}{med([r['pp_tps'] for r in rows]):>8.1f}{med([r['tg_tps'] for r in rows]):>8.2f}"
          f"{100 * med([r['roofline_fraction'] for r in rows]):>9.0f}%{fmt(med(lp)):>10}{fmt(med(lt), 2):>10}"
          f"{fmt(med(rp), 2):>10}{fmt(med(rt), 2):>10}")
print(f"medians of {reps} alternating turns; read bandwidth {min(bws)/1e9:.1f}-{max(bws)/1e9:.1f} GB/s "
      f"over the run ({rows[0]['threads']} threads); ratios per turn, then median; "
      "targets: tg ratio >= 0.8, pp ratio >= 0.5")
PY
