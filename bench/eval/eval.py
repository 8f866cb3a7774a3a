#!/usr/bin/env python3
"""Retrieval evaluation: recall@10 and MRR per search mode on a question set.

Every line of the questions file is `question<TAB>path-regex`, the regex matching the
path (relative to the corpus root) of the document(s) that answer the question. For
each mode, each question goes to `trove search --mode M --json -k 50`; the results
(chunks) are reduced to their first 10 distinct documents, and
  recall@10 = questions whose answering document is among those 10,
  MRR       = mean of 1/rank of the first answering document (0 when absent).
A mode the library cannot serve (no embedding model, say) is reported and skipped.
Each mode is measured without reranking (--no-rerank) and, when the library has a
rerank model, with it (--rerank: the top 30 reordered by the cross-encoder), with
the median rerank time per question (from -v); --rerank off|on|both picks.

Usage: bench/eval/eval.py [--trove build/cli/trove] [--home LIBRARY]
       [--modes lexical,semantic,hybrid] [--corpus ../shared/corpus/dev]
       [--questions ../shared/eval/questions-dev.tsv] [--rerank both|off|on] [-v] [--json]
Without --home, a fresh library of the corpus is built in a temporary folder (lexical
only, unless --models-from names a library whose models/ to link in) and removed.
Works with any library and any model: it only calls the CLI.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
REFERENCE = ("lexical BM25 over whole documents (reference)", 21, 26, 0.588)
DISTINCT = 10


def load_questions(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            q, sep, rx = line.partition("\t")
            if not sep:
                sys.exit("%s:%d: expected question<TAB>path-regex" % (path, n))
            out.append((q.strip(), re.compile(rx.strip())))
    return out


def relative_to_corpus(path, corpus):
    """The result's path relative to the corpus root, whatever form trove printed."""
    if os.path.isabs(path):
        for root in (corpus, os.path.realpath(corpus)):
            if path.startswith(root.rstrip("/") + "/"):
                return os.path.relpath(path, root)
    marker = "corpus/dev/"
    if marker in path:
        return path.split(marker, 1)[1]
    return path[2:] if path.startswith("./") else path


RERANKED = re.compile(r"reranked (\d+) passages in ([0-9.]+) ms")


def run_search(trove, home, mode, question, k, rerank):
    """Returns (exit code, result objects, stderr)."""
    cmd = [trove, "--home", home, "-v", "search", question, "--mode", mode, "--json", "-k", str(k),
           "--rerank" if rerank else "--no-rerank"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, NO_COLOR="1"))
    results = []
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and "path" in obj:
                results.append(obj)
    return p.returncode, results, p.stderr


def distinct_documents(results, corpus, limit):
    docs = []
    for r in results:
        rel = relative_to_corpus(str(r["path"]), corpus)
        if rel not in docs:
            docs.append(rel)
            if len(docs) == limit:
                break
    return docs


def evaluate(trove, home, mode, questions, corpus, k, verbose, rerank=False):
    """Returns a dict of figures, or {"skipped": reason}."""
    hits, rr_sum, per_question, rerank_ms = 0, 0.0, [], []
    for i, (q, rx) in enumerate(questions):
        rc, results, err = run_search(trove, home, mode, q, k, rerank)
        if rc == 2:
            if i == 0:  # the mode itself is unavailable (e.g. no embedding model)
                return {"skipped": (err.strip().splitlines() or ["exit 2"])[-1]}
            sys.stderr.write("%s: %r failed: %s\n" % (mode, q, err.strip()[-300:]))
        if rerank:
            m = RERANKED.search(err)
            if m:
                rerank_ms.append(float(m.group(2)))
            elif i == 0 and "not reranked" in err:  # no (usable) rerank model
                line = next(l for l in err.splitlines() if "not reranked" in l)
                return {"skipped": line.split("not reranked: ", 1)[-1]}
        docs = distinct_documents(results, corpus, DISTINCT)
        rank = next((n for n, d in enumerate(docs, 1) if rx.fullmatch(d)), None)
        if rank:
            hits += 1
            rr_sum += 1.0 / rank
        per_question.append({"question": q, "rank": rank, "top": docs[:3]})
        if verbose:
            print("  %-4s %-66s %s" % (rank or "-", q[:66], docs[0] if docs else "(none)"))
    n = len(questions)
    out = {"hits": hits, "questions": n, "recall_at_10": hits / n if n else 0.0,
           "mrr": rr_sum / n if n else 0.0, "per_question": per_question}
    if rerank_ms:
        out["rerank_ms_median"] = sorted(rerank_ms)[len(rerank_ms) // 2]
    return out


def build_library(trove, corpus, models_from):
    home = tempfile.mkdtemp(prefix="trove-eval-")
    os.chmod(home, 0o700)
    if models_from:
        os.symlink(os.path.join(os.path.abspath(models_from), "models"),
                   os.path.join(home, "models"))
    print("indexing %s into %s ..." % (corpus, home), flush=True)
    p = subprocess.run([trove, "--home", home, "index", corpus],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        sys.stderr.write("indexing exited %d:\n%s\n" % (p.returncode, p.stderr[-2000:]))
    return home


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trove", default=os.path.join(ROOT, "build", "cli", "trove"))
    ap.add_argument("--home", help="library to evaluate (default: index the corpus afresh)")
    ap.add_argument("--models-from", help="with no --home: link this library's models/ in")
    ap.add_argument("--modes", default="lexical,semantic,hybrid")
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "dev"))
    ap.add_argument("--questions",
                    default=os.path.join(ROOT, "..", "shared", "eval", "questions-dev.tsv"))
    ap.add_argument("-k", type=int, default=50, help="chunks asked for per question")
    ap.add_argument("--rerank", choices=("both", "off", "on"), default="both",
                    help="measure without and/or with the library's rerank model")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each question's rank")
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = ap.parse_args()

    trove = os.path.abspath(args.trove)
    corpus = os.path.abspath(args.corpus)
    questions = load_questions(args.questions)
    home = args.home or build_library(trove, corpus, args.models_from)
    figures = {}
    try:
        variants = {"both": (False, True), "off": (False,), "on": (True,)}[args.rerank]
        for mode in [m for m in args.modes.split(",") if m]:
            for rerank in variants:
                name = mode + (" + rerank" if rerank else "")
                if args.verbose:
                    print("%s:" % name)
                figures[name] = evaluate(trove, home, mode, questions, corpus, args.k,
                                         args.verbose, rerank)
    finally:
        if not args.home:
            shutil.rmtree(home, ignore_errors=True)

    print("\nretrieval on %s: %d questions, first %d distinct documents of -k %d chunks"
          % (os.path.basename(args.questions), len(questions), DISTINCT, args.k))
    print("%-48s %12s %7s" % ("mode", "recall@10", "MRR"))
    for mode, f in figures.items():
        if "skipped" in f:
            print("%-48s %s" % (mode, "skipped: " + f["skipped"][:90]))
        else:
            extra = ("   rerank %.0f ms median" % f["rerank_ms_median"]
                     if "rerank_ms_median" in f else "")
            print("%-48s %6d/%-5d %7.3f%s" % (mode, f["hits"], f["questions"], f["mrr"], extra))
    name, hits, n, mrr = REFERENCE
    print("%-48s %6d/%-5d %7.3f" % (name, hits, n, mrr))
    if args.json:
        print(json.dumps({m: {k: v for k, v in f.items() if k != "per_question"}
                          for m, f in figures.items()}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
