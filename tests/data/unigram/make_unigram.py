#!/usr/bin/python3
"""Trains the Unigram (SentencePiece) test models and their reference token ids.

The build runs it (tests/CMakeLists.txt) with Debian's python3-sentencepiece, which
scripts/bootstrap.sh installs, so that no model file is kept in the repository:

    /usr/bin/python3 tests/data/unigram/make_unigram.py OUT_DIR [../shared/corpus/dev]

Writes, into OUT_DIR:
  <name>.gguf      vocabulary-only GGUF (tokenizer.ggml.model = "t5") converted from
                   the trained .model the way llama.cpp's converter does for XLM-R and T5
                   (tokens, scores, token types, add_space_prefix,
                   remove_extra_whitespaces, precompiled_charsmap)
  <name>.inp/.out  test strings (llama.cpp's .inp/.out convention) and the ids that
                   sentencepiece itself gives them: the ground truth
The .model files are not kept: the GGUF holds everything the encoder needs.

Two models, so that normaliser flags really are read from the file:
  unigram-nfkc     8000 pieces, nmt_nfkc (precompiled charsmap), dummy prefix, extra
                   whitespace removed, byte fallback, one user-defined symbol
  unigram-ident    1500 pieces, identity normaliser (no charsmap), no dummy prefix,
                   whitespace kept, no byte fallback (unknown runs merge into one <unk>)
Training is not bit-reproducible across sentencepiece versions. With Debian 12's 0.1.97
the output is byte-identical from run to run, which the checksums in tests/data/rerank
(encoders built on unigram-nfkc's vocabulary) rely on.
"""
import os
import random
import struct
import sys
import tempfile

import sentencepiece as spm

SEP = "\n__ggml_vocab_test__\n"

# ---------------------------------------------------------------- corpus text


def corpus_lines(root):
    """Lines of .txt/.md files in several languages, in a fixed order."""
    picks = [
        ("debian-reference-ja", 400_000),  # Japanese
        ("texlive-lang-chinese", 200_000),  # Chinese
        ("texlive-lang-cyrillic", 200_000),  # Russian, Bulgarian, Ukrainian ...
        ("debian-reference-en", 250_000),  # English
        ("manpages", 150_000),
        ("vim-runtime", 150_000),
        ("texlive-humanities-doc", 100_000),
    ]
    out = []
    for sub, budget in picks:
        files = []
        for dirpath, _, names in os.walk(os.path.join(root, sub)):
            for n in names:
                if n.endswith((".txt", ".md")):
                    files.append(os.path.join(dirpath, n))
        used = 0
        for path in sorted(files):
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    line = line.rstrip("\n")
                    if len(line.strip()) < 4:
                        continue
                    out.append(line)
                    used += len(line.encode())
                    if used > budget:
                        break
            if used > budget:
                break
    return out


# ---------------------------------------------------------------- test strings

FRAGMENTS = [
    "Hello world", "hello   world", "  leading", "trailing  ", "\ttab\tseparated\t",
    "line\nbreak", "\n\n\n", "   ", " ", "a  b   c    d", "\u3000全角スペース\u3000",
    "日本語の文章です。", "中文分词测试，你好世界！", "Привет, мир!", "Українська мова",
    "Ελληνικά γράμματα", "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "ภาษาไทย",
    "한국어 텍스트", "Tiếng Việt có dấu", "Ünïcödé àçcénts", "naïve café résumé",
    "👍", "👍🏽", "👨\u200d👩\u200d👧", "🇯🇵🇫🇷", "🧬🦀🫠", "emoji 😀 in text 🎉!",
    "ＡＢＣ１２３", "ﬁnance ﬂow", "①②③", "ｶﾀｶﾅ ﾊﾝｶｸ", "x² + y³", "Å vs A\u030a",
    "ﾟ゛", "\u200bzero\u200bwidth", "\ufeffbom", "\x01\x02ctrl\x7f", "soft\u00adhyphen",
    "𠀋𠂢𠂤", "𐀀𐀁 linear b", "\U0001D49C math script", "ꙮ", "⿰⿱", "\ue000private",
    "<mask>", "a<mask>b", "<mask><mask>", " <mask> ", "<mas k>", "▁", "▁▁x", "x▁y",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ーーーー", "!!!???...", "1234567890",
    "3.14159 2,718", "https://example.org/a/b?c=d&e=f#g", "user@example.com",
    "int main() { return 0; }", "def f(x): return x**2", "$HOME/.config/trove",
    "C:\\Windows\\System32", "¯\\_(ツ)_/¯", "«guillemets» „Anführungszeichen“",
    "It's a test—with dashes – and … ellipsis", "ß ẞ ǅ ǈ ǋ", "İstanbul ıi",
    "Ⅻ Ⅳ ⅷ", "㍻ ㋿ ㌔", "½ ¼ ¾", "™ © ®", "µ Ω Å K",
]


def make_cases(lines, n_corpus, n_mixed, seed):
    rng = random.Random(seed)
    cases = list(FRAGMENTS)
    step = max(1, len(lines) // n_corpus)
    for i in range(0, len(lines), step):
        line = lines[i][:240]
        if line:
            cases.append(line)
        if len(cases) >= len(FRAGMENTS) + n_corpus:
            break
    spaces = [" ", "  ", "   ", "\t", "\n", "\u3000", "", ""]
    pool = FRAGMENTS + [lines[rng.randrange(len(lines))][:60] for _ in range(200)]
    for _ in range(n_mixed):
        k = rng.randint(1, 4)
        parts = [rng.choice(spaces)]
        for _ in range(k):
            parts.append(rng.choice(pool))
            parts.append(rng.choice(spaces))
        cases.append("".join(parts))
    seen, out = set(), []
    for c in cases:
        if SEP.strip() in c or c in seen or c == "":
            continue
        seen.add(c)
        out.append(c)
    return out


# ---------------------------------------------------------------- protobuf (ModelProto)


def varint(buf, pos):
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def fields(buf):
    """(field number, wire type, value) of one protobuf message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, pos = varint(buf, pos)
        elif wt == 1:
            val, pos = buf[pos:pos + 8], pos + 8
        elif wt == 2:
            n, pos = varint(buf, pos)
            val, pos = buf[pos:pos + n], pos + n
        elif wt == 5:
            val, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        yield num, wt, val


def parse_model(data):
    pieces, norm = [], {}
    for num, _, val in fields(data):
        if num == 1:  # SentencePiece {piece=1, score=2, type=3}
            p = {"piece": b"", "score": 0.0, "type": 1}
            for n, _, v in fields(val):
                if n == 1:
                    p["piece"] = bytes(v)
                elif n == 2:
                    p["score"] = struct.unpack("<f", v)[0]
                elif n == 3:
                    p["type"] = v
            pieces.append(p)
        elif num == 3:  # NormalizerSpec
            for n, _, v in fields(val):
                norm[n] = v
    return pieces, norm


# ---------------------------------------------------------------- GGUF writer (metadata only)

T_U8, T_I32, T_F32, T_BOOL, T_STR, T_ARR, T_U32 = 0, 5, 6, 7, 8, 9, 4


def gguf_str(b):
    return struct.pack("<Q", len(b)) + b


def gguf_kv(key, vtype, val, elem=None):
    out = gguf_str(key.encode()) + struct.pack("<I", vtype)
    if vtype == T_STR:
        out += gguf_str(val.encode() if isinstance(val, str) else val)
    elif vtype == T_BOOL:
        out += struct.pack("<B", 1 if val else 0)
    elif vtype == T_U32:
        out += struct.pack("<I", val)
    elif vtype == T_ARR:
        out += struct.pack("<IQ", elem, len(val))
        if elem == T_STR:
            out += b"".join(gguf_str(v) for v in val)
        elif elem == T_F32:
            out += struct.pack("<%df" % len(val), *val)
        elif elem == T_I32:
            out += struct.pack("<%di" % len(val), *val)
        elif elem == T_U8:
            out += bytes(val)
    return out


# SentencePiece piece types -> llama.cpp token types (1 normal, 2 unknown, 3 control,
# 4 user-defined, 5 unused, 6 byte): the same numbers.
def write_gguf(path, name, pieces, norm):
    tokens = [p["piece"] for p in pieces]
    kvs = [
        gguf_kv("general.architecture", T_STR, "t5"),
        gguf_kv("general.name", T_STR, name),
        gguf_kv("tokenizer.ggml.model", T_STR, "t5"),
        gguf_kv("tokenizer.ggml.pre", T_STR, "default"),
        gguf_kv("tokenizer.ggml.tokens", T_ARR, tokens, T_STR),
        gguf_kv("tokenizer.ggml.scores", T_ARR, [p["score"] for p in pieces], T_F32),
        gguf_kv("tokenizer.ggml.token_type", T_ARR, [p["type"] for p in pieces], T_I32),
        gguf_kv("tokenizer.ggml.add_space_prefix", T_BOOL, bool(norm.get(3, 1))),
        gguf_kv("tokenizer.ggml.remove_extra_whitespaces", T_BOOL, bool(norm.get(4, 1))),
    ]
    for key, piece in (("unknown", b"<unk>"), ("bos", b"<s>"), ("eos", b"</s>")):
        if piece in tokens:
            kvs.append(gguf_kv("tokenizer.ggml.%s_token_id" % key, T_U32, tokens.index(piece)))
    charsmap = norm.get(2, b"")
    if charsmap:
        kvs.append(gguf_kv("tokenizer.ggml.precompiled_charsmap", T_ARR, charsmap, T_U8))
    header = b"GGUF" + struct.pack("<IQQ", 3, 0, len(kvs))
    with open(path, "wb") as f:
        f.write(header + b"".join(kvs))


# ---------------------------------------------------------------- main

MODELS = [
    ("unigram-nfkc", dict(vocab_size=8000, normalization_rule_name="nmt_nfkc",
                          byte_fallback=True, user_defined_symbols=["<mask>"],
                          character_coverage=0.9995)),
    ("unigram-ident", dict(vocab_size=1500, normalization_rule_name="identity",
                           add_dummy_prefix=False, remove_extra_whitespaces=False,
                           byte_fallback=False, character_coverage=0.98)),
]


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: make_unigram.py OUT_DIR [CORPUS_DIR]")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.join("..", "shared", "corpus", "dev")
    lines = corpus_lines(root)
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "train.txt")
        with open(text, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        for seed, (name, opts) in enumerate(MODELS):
            prefix = os.path.join(tmp, name)
            spm.SentencePieceTrainer.train(input=text, model_prefix=prefix, model_type="unigram",
                                           num_threads=1, input_sentence_size=0,
                                           minloglevel=2, **opts)
            with open(prefix + ".model", "rb") as f:
                data = f.read()
            pieces, norm = parse_model(data)
            write_gguf(os.path.join(out, name + ".gguf"), name, pieces, norm)
            sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
            cases = make_cases(lines, 180, 200, seed + 1)
            with open(os.path.join(out, name + ".inp"), "w", encoding="utf-8", newline="") as f:
                f.write(SEP.join(cases))
            with open(os.path.join(out, name + ".out"), "w", encoding="utf-8") as f:
                for c in cases:
                    f.write(" ".join(str(i) for i in sp.encode(c)) + "\n")
            print("%s: %d pieces, %d cases" % (name, len(pieces), len(cases)))


if __name__ == "__main__":
    main()
