#!/usr/bin/env bash
# Computes the llama.cpp references for the encoder fixtures of
# tests/embed/encoder_fixtures.h. Run from the repository root after building
# make_encoder_fixture; LLAMA_BIN is llama.cpp's build/bin (c392e5094 was used):
#
#   LLAMA_BIN=/path/to/llama.cpp/build/bin tests/data/rerank/make_refs.sh build
#
# Writes into tests/data/rerank/:
#   <fixture>.sha256   the fixture file the references belong to
#   <fixture>.scores   llama-embedding --pooling rank, one raw score per line of pairs.tsv
#                      (BERT: the pair as "query[SEP]passage", XLM-R as
#                      "query</s></s>passage", so both read the Hugging Face pair form)
#   <kind>.tokens      llama.cpp's token ids of each pair / text (--verbose-prompt)
#   <fixture>.emb.json llama-embedding (mean pooling, L2) of each line of texts.txt
# llama.cpp adds token type 0 to every token, so the BERT scores are those of a
# passage read as "sentence A" (trove's passage_type_1 = false).
set -euo pipefail
build=${1:-build}
bin=${LLAMA_BIN:?set LLAMA_BIN to llama.cpp build/bin}
out=tests/data/rerank
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

join_pairs() {  # $1: separator between query and passage
  awk -F'\t' -v sep="$1" '{ printf "%s%s%s\n", $1, sep, $2 }' "$out/pairs.tsv"
}

# "     0 -> '<s>'" lines of --verbose-prompt (stdout), one run of them per prompt.
ids_of() {
  /usr/bin/python3 -c '
import re, sys
prompts, cur = [], None
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"^\s*(\d+) -> \x27", line)
    if m:
        if cur is None:
            cur = []
            prompts.append(cur)
        cur.append(m.group(1))
    elif line.strip() == "" or not line.startswith(" "):
        cur = None
for p in prompts:
    print(" ".join(p))
' "$1"
}

# First value of each row of --embd-output-format array (rank pooling puts the
# score first; the other n_embd - 1 values are whatever the buffer held, nan included,
# so the rows are split as text rather than parsed as JSON).
first_values() {
  /usr/bin/python3 -c '
import sys
text = open(sys.argv[1]).read()
body = text[text.index("[[") + 2:text.index("]]")]
for row in body.split("],["):
    print(repr(float(row.split(",")[0])))
' "$1"
}

for kind in bert-rerank xlmr-rerank; do
  sep='[SEP]'
  [ "$kind" = xlmr-rerank ] && sep='</s></s>'
  join_pairs "$sep" > "$tmp/$kind.prompts"
  for type in f32 f16 q8_0; do
    f="$tmp/$kind-$type.gguf"
    "$build/tests/embed/make_encoder_fixture" "$kind" "$type" "$f"
    sha256sum "$f" | cut -d' ' -f1 > "$out/$kind-$type.sha256"
    "$bin/llama-embedding" -m "$f" -f "$tmp/$kind.prompts" --pooling rank -c 2048 -b 2048 \
      -ub 2048 -t 2 --embd-normalize -1 --embd-output-format array --verbose-prompt \
      > "$tmp/out" 2> "$tmp/err"
    first_values "$tmp/out" > "$out/$kind-$type.scores"
    [ "$type" = f32 ] && ids_of "$tmp/out" > "$out/$kind.tokens"
  done
done

for type in f32 f16 q8_0; do
  f="$tmp/xlmr-embed-$type.gguf"
  "$build/tests/embed/make_encoder_fixture" xlmr-embed "$type" "$f"
  sha256sum "$f" | cut -d' ' -f1 > "$out/xlmr-embed-$type.sha256"
  "$bin/llama-embedding" -m "$f" -f "$out/texts.txt" -c 2048 -b 2048 -ub 2048 -t 2 \
    --embd-normalize 2 --embd-output-format json --verbose-prompt > "$tmp/out" 2> "$tmp/err"
  sed -n '/^{/,/^}/p' "$tmp/out" > "$out/xlmr-embed-$type.emb.json"
  [ "$type" = f32 ] && ids_of "$tmp/out" > "$out/xlmr-embed.tokens"
done
echo "make_refs: references written to $out"
