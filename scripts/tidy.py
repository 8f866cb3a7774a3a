"""scripts/tidy.py — clang-tidy over every project source, in parallel, failing on a finding.

Usage: tidy.py BUILD_DIR [-j JOBS] [--update-baseline] [--only REGEX]
(scripts/test.sh runs it as the "clang-tidy" phase, after the build.) --only checks the
translation units whose path matches REGEX (a quick look at one's own files): it fails
on their findings beyond the baseline, but cannot say which baseline counts went down.

What is checked: every translation unit in BUILD_DIR/compile_commands.json that lies in
the repository outside the build folders (answer/ bench/ cli/ core/ embed/ generate/
index/ ingest/ serve/ tests/ — nothing is vendored), and through the header filter the
project headers they include. Config: the repository's .clang-tidy (clang-tidy-14, as
Debian 12 ships it). GCC-only warning flags in the compile commands (and GCC pragmas)
are not findings: clang is told to ignore warning options it does not know.

Findings: each is reported once (a header's findings once, not once per file that
includes it). The phase fails on any finding that is not in scripts/tidy-baseline.txt,
the findings that were in the tree when the phase was added and are not fixed yet
(count, check, file). The baseline may only shrink: a (check, file) with fewer
findings than listed fails too, saying to lower the count (--update-baseline rewrites
the file from this run; a diff that raises a count is a new finding, not an update).

Why a cache: clang-tidy costs 3-30 s of CPU per translation unit here (parsing alone is
1-8 s: CLI11, gtest and FAISS are big headers; performance-unnecessary-value-param is
about 40% of the checks' time in a CLI11 file), about half an hour of CPU for the whole
tree, so a cold run over everything cannot fit in the test script's budget on 2 cores.
Like ccache for the build, a translation unit whose inputs are byte-identical to one
already checked is not checked again: its recorded output is used. The key covers
everything clang-tidy's answer depends on: clang-tidy's version, every .clang-tidy, the
header filter, the compile command (the repository's path replaced, so worktrees share
entries), and the path and content of the source and of every header it includes (the
dependency list ninja recorded when the build compiled it). A translation unit ninja
has no current dependency list for is always checked, and so is one whose clang-tidy
run failed without findings (a crash, a parse error): that is never recorded.

Environment: TROVE_TIDY_CACHE=DIR (default ${XDG_CACHE_HOME:-~/.cache}/trove-tidy),
TROVE_TIDY_CACHE=off checks everything; TROVE_TIDY_BIN (default clang-tidy-14).
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import time

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), ".."))
PROJECT_DIRS = ("answer", "bench", "cli", "core", "embed", "generate", "index", "ingest",
                "serve", "tests")
# Anchored at this checkout, so no system header can match; the .clang-tidy file's own
# HeaderFilterRegex is the same idea for editors that run clang-tidy without this script.
HEADER_FILTER = "^" + re.escape(ROOT) + "/(" + "|".join(PROJECT_DIRS) + ")/"
BASELINE = os.path.join(ROOT, "scripts", "tidy-baseline.txt")
FINDING = re.compile(r"^(/[^:]+):(\d+):(\d+): (?:error|warning): (.*) \[([a-z0-9.-]+)(?:,-warnings-as-errors)?\]$")
EXTRA_ARGS = ["--extra-arg=-Wno-unknown-warning-option"]
NOISE = re.compile(r"^(\d+ warnings? (and \d+ errors? )?generated\.|Suppressed \d+ warnings.*|"
                   r"Use -header-filter=.*|Error while processing .*)$")


def project_sources(build):
    """The repository's translation units, once each, in compile_commands order."""
    with open(os.path.join(build, "compile_commands.json"), encoding="utf-8") as f:
        db = json.load(f)
    build_real = os.path.realpath(build)
    seen, out = set(), []
    for e in db:
        path = os.path.realpath(os.path.join(e["directory"], e["file"]))
        rel = os.path.relpath(path, ROOT)
        if rel.startswith("..") or path.startswith(build_real + os.sep):
            continue
        if rel.split(os.sep)[0] not in PROJECT_DIRS:
            sys.exit(f"tidy: {rel} is outside the known project folders; add its folder "
                     "to PROJECT_DIRS (and the header filter) or say why it is not ours")
        if path not in seen:
            seen.add(path)
            out.append((rel, e))
    return out


def ninja_deps(build):
    """object path (relative to the build folder) -> the files it was compiled from."""
    try:
        text = subprocess.run(["ninja", "-C", build, "-t", "deps"], capture_output=True,
                              text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    deps, cur = {}, None
    for line in text.splitlines():
        if line and not line[0].isspace():
            obj, _, info = line.partition(": #deps")
            cur = obj if "(VALID)" in info else None
            if cur:
                deps[cur] = []
        elif cur and line.strip():
            deps[cur].append(line.strip())
    return deps


def object_of(entry):
    args = shlex.split(entry["command"]) if "command" in entry else entry["arguments"]
    for i, a in enumerate(args[:-1]):
        if a == "-o":
            return args[i + 1]
    return None


class Hasher:
    """File content hashes, each file read once per run."""

    def __init__(self):
        self.memo = {}

    def file(self, path):
        if path not in self.memo:
            h = hashlib.sha256()
            with open(path, "rb") as f:
                h.update(f.read())
            self.memo[path] = h.hexdigest()
        return self.memo[path]


def cache_key(base, entry, deps, build, hasher):
    h = hashlib.sha256(base)
    h.update(entry.get("command", " ".join(entry.get("arguments", []))).replace(ROOT, "@ROOT@")
             .encode())
    for d in deps:
        path = os.path.realpath(os.path.join(build, d))
        h.update(b"\0" + path.replace(ROOT, "@ROOT@").encode() + b"\0")
        h.update(hasher.file(path).encode())
    return h.hexdigest()


def run_tidy(tidy, build, rel):
    t0 = time.monotonic()
    p = subprocess.run([tidy, "-p", build, "--quiet", f"--header-filter={HEADER_FILTER}",
                        *EXTRA_ARGS, os.path.join(ROOT, rel)],
                       capture_output=True, text=True, cwd=ROOT)
    text = "\n".join(l for l in (p.stdout + p.stderr).splitlines() if not NOISE.match(l))
    return rel, p.returncode, text.strip(), time.monotonic() - t0


def findings_of(text):
    """[(file, line, col, check, message), display lines] for each finding in clang-tidy's
    output; the display is the finding's line and those that follow it (source, caret,
    notes)."""
    out = []
    for line in text.splitlines():
        m = FINDING.match(line)
        if m and m.group(1).startswith(ROOT + "/"):
            f = os.path.relpath(m.group(1), ROOT)
            out.append([(f, int(m.group(2)), int(m.group(3)), m.group(5), m.group(4)), [line]])
        elif out:
            out[-1][1].append(line)
    return out


def read_baseline():
    base = {}
    if os.path.exists(BASELINE):
        with open(BASELINE, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    n, check, path = line.split()
                    base[(check, path)] = int(n)
    return base


def write_baseline(counts):
    with open(BASELINE, "w", encoding="utf-8") as f:
        f.write("# scripts/tidy-baseline.txt: clang-tidy findings not fixed yet (count check file).\n"
                "# Only ever lower a count or delete a line: scripts/tidy.py fails on any finding\n"
                "# beyond these, and on a count higher than what it finds.\n")
        for (check, path), n in sorted(counts.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            f.write(f"{n} {check} {path}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--only", help="check only translation units whose path matches")
    args = ap.parse_args()
    tidy = os.environ.get("TROVE_TIDY_BIN", "clang-tidy-14")
    cache = os.environ.get("TROVE_TIDY_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "trove-tidy")
    use_cache = cache != "off"

    t_start = time.monotonic()
    sources = project_sources(args.build)
    if args.only:
        if args.update_baseline:
            sys.exit("tidy: --update-baseline needs every translation unit (drop --only)")
        sources = [(r, e) for r, e in sources if re.search(args.only, r)]
    deps = ninja_deps(args.build) if use_cache else {}
    base = hashlib.sha256()
    base.update(subprocess.run([tidy, "--version"], capture_output=True, check=True).stdout)
    base.update(HEADER_FILTER.replace(ROOT, "@ROOT@").encode())
    base.update(" ".join(EXTRA_ARGS).encode())
    for d, _, files in os.walk(ROOT):
        if os.path.relpath(d, ROOT).split(os.sep)[0].startswith((".git", "build")):
            continue
        if ".clang-tidy" in files:
            with open(os.path.join(d, ".clang-tidy"), "rb") as f:
                base.update(os.path.relpath(d, ROOT).encode() + b"\0" + f.read())
    base = base.digest()

    hasher, todo, keys, results = Hasher(), [], {}, {}
    for rel, entry in sources:
        obj = object_of(entry)
        if use_cache and obj in deps:
            try:
                keys[rel] = cache_key(base, entry, deps[obj], args.build, hasher)
                with open(os.path.join(cache, keys[rel]), encoding="utf-8") as f:
                    results[rel] = f.read()
                continue
            except OSError:  # not in the cache, or a header the build saw is gone
                pass
        todo.append(rel)
    cached = len(results)
    if use_cache:
        os.makedirs(cache, exist_ok=True)

    entries = dict(sources)

    def recheck_key(rel):
        try:
            return cache_key(base, entries[rel], deps[object_of(entries[rel])], args.build,
                             Hasher())
        except OSError:
            return None

    broken, times = [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        for rel, rc, text, secs in pool.map(lambda r: run_tidy(tidy, args.build, r), todo):
            times.append((secs, rel))
            if rc != 0 and not findings_of(text):
                broken.append(rel)  # not a finding: clang-tidy could not check the file
                print(f"--- {rel}: clang-tidy exited {rc}\n{text}", flush=True)
                continue
            results[rel] = text
            # Recorded only when the inputs did not change while clang-tidy read them.
            if use_cache and rel in keys and keys[rel] == recheck_key(rel):
                tmp = os.path.join(cache, keys[rel] + f".{os.getpid()}")
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(text)
                os.replace(tmp, os.path.join(cache, keys[rel]))

    found = {}  # (file, line, col, check, message) -> display lines, once each
    for rel in sorted(results):
        for key, display in findings_of(results[rel]):
            found.setdefault(key, display)
    counts = {}
    for f, _, _, check, _ in found:
        counts[(check, f)] = counts.get((check, f), 0) + 1

    times.sort(reverse=True)
    print(f"tidy: {len(sources)} translation units: {cached} unchanged since last checked, "
          f"{len(todo)} checked in {time.monotonic() - t_start:.0f} s "
          f"({sum(t for t, _ in times):.0f} s of clang-tidy over -j{args.j})")
    if times:
        print("tidy: slowest: " + ", ".join(f"{r} {t:.0f} s" for t, r in times[:5]))
    if args.update_baseline:
        write_baseline(counts)
        print(f"tidy: wrote {len(found)} findings to {os.path.relpath(BASELINE, ROOT)}")
        return 1 if broken else 0

    baseline = read_baseline()
    new = {k for k, n in counts.items() if n > baseline.get(k, 0)}
    for key in sorted(found):
        if (key[3], key[0]) in new:
            print("\n".join(found[key]))
    fewer = [] if args.only else sorted(k for k, n in baseline.items() if counts.get(k, 0) < n)
    for check, f in fewer:
        print(f"tidy: {f}: {baseline[(check, f)] - counts.get((check, f), 0)} fewer {check} "
              f"than scripts/tidy-baseline.txt lists: lower its count (or delete the line)")
    known = sum(min(n, baseline.get(k, 0)) for k, n in counts.items())
    print(f"tidy: {len(found)} findings, {known} of them known (scripts/tidy-baseline.txt), "
          f"{sum(counts[k] - baseline.get(k, 0) for k in new)} new")
    return 1 if new or fewer or broken else 0


if __name__ == "__main__":
    sys.exit(main())
