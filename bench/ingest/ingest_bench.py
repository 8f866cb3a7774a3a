#!/usr/bin/env python3
"""Indexing throughput of the trove binary on the dev corpus; prints a table.

Measures, each in a fresh temporary library (TROVE_HOME) so nothing is shared:
  - files/s and MB/s per file type: the corpus files of one type are hard-linked
    (copied if linking fails) into a folder of their own, keeping relative paths,
    and indexed in a separate run, because `trove index` reports one total;
  - files/s and MB/s for the whole corpus in one run;
  - PDF pages/s against `pdftotext` run sequentially over the same PDFs
    (pages = pdfinfo page counts; target: trove >= 0.9x pdftotext);
  - a second run with nothing changed: median of N runs (target < 1 s);
  - lexical search latency p50/p99 over 100 queries on the whole-corpus library:
    in-process by bench/search's search_bench program when it is built (the target,
    p50 < 10 ms, is about search, not process start-up), and through the CLI by
    bench/search/search_bench.py.

Libraries are lexical-only unless TROVE_BENCH_MODELS_FROM names a library whose
models/ folder should be linked in (then indexing includes embedding).

Usage: bench/ingest/ingest_bench.py path/to/trove [--corpus DIR] [--runs 5]
       [--types pdf,html,md,txt] [--search-bench PATH] [--no-search] [--keep] [--json]
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TYPES = {
    "pdf": (".pdf",),
    "html": (".html", ".htm", ".xhtml"),
    "md": (".md", ".markdown"),
    "txt": (".txt",),
}


def file_type(name):
    lower = name.lower()
    for t, exts in TYPES.items():
        if lower.endswith(exts):
            return t
    return "other"


def corpus_files(corpus):
    """Relative paths of the regular files under corpus (symlinks are not followed)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for f in sorted(filenames):
            full = os.path.join(dirpath, f)
            if os.path.isfile(full) and not os.path.islink(full):
                out.append(os.path.relpath(full, corpus))
    return out


def mirror(corpus, rels, dest):
    """Hard-links (or copies) corpus files into dest, keeping relative paths and mtimes."""
    for rel in rels:
        src, dst = os.path.join(corpus, rel), os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


LAST_CPU = [0.0]  # CPU seconds (user + sys) of the last run_trove call


def run_trove(trove, home, args, check=True):
    """Runs trove with a library of its own; returns (seconds, exit code, stdout)."""
    env = dict(os.environ, TROVE_HOME=home, NO_COLOR="1")
    c0, t0 = children_cpu(), time.perf_counter()
    p = subprocess.run([trove, "--home", home] + args, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    secs = time.perf_counter() - t0
    LAST_CPU[0] = children_cpu() - c0
    if check and p.returncode not in (0, 1):
        sys.stderr.write("trove %s failed (%d):\n%s\n" % (" ".join(args), p.returncode,
                                                          p.stderr[-2000:]))
    return secs, p.returncode, p.stdout


def json_objects(text):
    """Every JSON object printed one per line (non-JSON lines are ignored)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def fresh_home(tmp, name):
    home = os.path.join(tmp, "home-" + name)
    os.makedirs(home, mode=0o700)
    models_from = os.environ.get("TROVE_BENCH_MODELS_FROM")
    if models_from:
        os.symlink(os.path.join(os.path.abspath(models_from), "models"),
                   os.path.join(home, "models"))
    return home


def index_once(trove, tmp, name, folder):
    """Indexes folder into a fresh library; returns (seconds, rc, summary, home)."""
    home = fresh_home(tmp, name)
    secs, rc, out = run_trove(trove, home, ["index", folder, "--json"])
    objs = json_objects(out)
    return secs, rc, (objs[-1] if objs else {}), home


def pdf_pages(paths):
    total, unknown = 0, 0
    for p in paths:
        r = subprocess.run(["pdfinfo", p], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True, errors="replace")
        pages = [l.split()[-1] for l in r.stdout.splitlines() if l.startswith("Pages:")]
        if pages and pages[0].isdigit():
            total += int(pages[0])
        else:
            unknown += 1
    return total, unknown


def time_pdftotext(paths):
    """Runs pdftotext over paths one after another; returns (wall s, CPU s, failures)."""
    c0, t0 = children_cpu(), time.perf_counter()
    failed = 0
    for p in paths:
        r = subprocess.run(["pdftotext", "-q", p, "/dev/null"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        failed += r.returncode != 0
    return time.perf_counter() - t0, children_cpu() - c0, failed


def pdf_comparison(corpus, rels, trove_run):
    """pages/s of pdftotext (sequential) on the same PDFs that trove just indexed."""
    pdfs = [os.path.join(corpus, r) for r in rels]
    pages, unknown = pdf_pages(pdfs)
    wall, cpu, failed = time_pdftotext(pdfs)
    return {"files": len(pdfs), "pages": pages, "pdfinfo_unknown": unknown,
            "pdftotext_s": wall, "pdftotext_cpu_s": cpu, "pdftotext_failed": failed,
            "trove_s": trove_run["seconds"], "trove_cpu_s": trove_run["cpu_seconds"]}


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("trove", help="path to the trove binary")
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "dev"))
    ap.add_argument("--runs", type=int, default=5, help="unchanged re-runs (median)")
    ap.add_argument("--types", default="pdf,html,md,txt", help="per-type runs; '' for none")
    ap.add_argument("--no-search", action="store_true", help="skip the search latency part")
    ap.add_argument("--search-bench", help="the in-process search_bench program (default: "
                    "bench/search/search_bench in the trove binary's build folder)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary libraries")
    ap.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = ap.parse_args()
    trove = os.path.abspath(args.trove)
    corpus = os.path.abspath(args.corpus)

    files = corpus_files(corpus)
    by_type = {}
    for rel in files:
        by_type.setdefault(file_type(rel), []).append(rel)
    size = lambda rels: sum(os.path.getsize(os.path.join(corpus, r)) for r in rels)

    tmp = tempfile.mkdtemp(prefix="trove-ingest-bench-")
    rows, figures = [], {"corpus": corpus, "files": len(files)}
    try:
        # Per-type runs.
        for t in [t for t in args.types.split(",") if t]:
            rels = by_type.get(t, [])
            if not rels:
                continue
            folder = os.path.join(tmp, "only-" + t)
            mirror(corpus, rels, folder)
            secs, rc, summary, _ = index_once(trove, tmp, t, folder)
            mb = size(rels) / 1e6
            rows.append((t, len(rels), mb, secs, rc, summary))
            figures["type_" + t] = {"files": len(rels), "mb": mb, "seconds": secs, "rc": rc,
                                    "cpu_seconds": LAST_CPU[0], "summary": summary}
            if t == "pdf":  # pdftotext right after, so both see the same machine load
                figures["pdf"] = pdf_comparison(corpus, rels, figures["type_" + t])

        # The whole corpus in one run, then unchanged re-runs.
        secs, rc, summary, home = index_once(trove, tmp, "all", corpus)
        mb = size(files) / 1e6
        rows.append(("all", len(files), mb, secs, rc, summary))
        figures["all"] = {"files": len(files), "mb": mb, "seconds": secs, "rc": rc,
                          "summary": summary}
        reruns = [run_trove(trove, home, ["index", corpus, "--json"])[0]
                  for _ in range(args.runs)]
        figures["unchanged_rerun_median_s"] = statistics.median(reruns) if reruns else None
        _, _, status_out = run_trove(trove, home, ["status", "--json"])
        status = (json_objects(status_out) or [{}])[-1]
        figures["status"] = status

        # Search latency on the whole-corpus library: in-process when the C++ program
        # is built, and through the CLI.
        if not args.no_search:
            figures["search"] = []
            native = args.search_bench or os.path.join(
                os.path.dirname(os.path.dirname(trove)), "bench", "search", "search_bench")
            commands = [[sys.executable, os.path.join(ROOT, "bench", "search", "search_bench.py"),
                         trove, "--home", home, "--json"]]
            if os.access(native, os.X_OK):
                commands.insert(0, [native, "--home", home, "--json"])
            else:
                print("no in-process search_bench at %s: CLI figures only" % native)
            for cmd in commands:
                r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
                objs = json_objects(r.stdout)
                figures["search"].append(
                    objs[-1] if objs else {"error": "%s exited %d" % (cmd[0], r.returncode)})
    finally:
        if args.keep:
            print("kept temporary libraries in", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print_table(rows, figures, args.runs)
    if args.json:
        print(json.dumps(figures, sort_keys=True))


def print_table(rows, figures, runs):
    print("\ntrove indexing on %s (%d files), lexical-only libraries unless models linked"
          % (figures["corpus"], figures["files"]))
    print("%-6s %6s %8s %9s %9s %8s  %s" % ("type", "files", "MB", "seconds", "files/s",
                                            "MB/s", "trove --json summary"))
    for t, n, mb, secs, rc, summary in rows:
        if summary:
            note = "%s added, %s failed, %s s by trove's clock" % (
                summary.get("added", "?"), summary.get("failed", "?"),
                fmt(summary.get("seconds"), ".2f"))
        else:
            note = "(no JSON summary)"
        if rc not in (0, 1):
            note = "exit %d; %s" % (rc, note)
        print("%-6s %6d %8.1f %9.2f %9.1f %8.2f  %s" % (t, n, mb, secs, n / secs, mb / secs, note))
    pdf = figures.get("pdf")
    if pdf:
        p2t = pdf["pages"] / pdf["pdftotext_s"]
        tr = pdf["pages"] / pdf["trove_s"] if pdf.get("trove_s") else None
        print("\nPDF: %d files, %d pages (pdfinfo; %d unknown)" % (pdf["files"], pdf["pages"],
                                                                   pdf["pdfinfo_unknown"]))
        print("  pdftotext sequential: %7.2f s wall %8.1f pages/s   %7.2f s CPU  (%d failed)"
              % (pdf["pdftotext_s"], p2t, pdf["pdftotext_cpu_s"], pdf["pdftotext_failed"]))
        if tr:
            print("  trove index (PDFs):   %7.2f s wall %8.1f pages/s   %7.2f s CPU"
                  % (pdf["trove_s"], tr, pdf["trove_cpu_s"]))
            print("  trove / pdftotext pages/s: %.2fx by wall clock, %.2fx by CPU time "
                  "(target >= 0.9x)" % (tr / p2t, pdf["pdftotext_cpu_s"] / pdf["trove_cpu_s"]))
    med = figures.get("unchanged_rerun_median_s")
    print("\nunchanged re-run (median of %d): %s s (target < 1 s)" % (runs, fmt(med, ".3f")))
    status = {k: v for k, v in figures.get("status", {}).items() if not isinstance(v, (list, dict))}
    if status:
        print("status: %s" % json.dumps(status, sort_keys=True)[:300])
    for s in figures.get("search", []):
        if "p50_ms" in s:
            extra = (", process start-up alone p50 %.2f ms" % s["startup_p50_ms"]
                     if "startup_p50_ms" in s else "")
            print("search %s, %d queries, %s: p50 %.2f ms, p99 %.2f ms%s (target p50 < 10 ms)"
                  % (s.get("mode", "lexical"), s.get("queries", 0), s.get("how", "?"),
                     s["p50_ms"], s["p99_ms"], extra))
        else:
            print("search: %s" % json.dumps(s))


if __name__ == "__main__":
    main()
