"""Throughput and peak memory of `kg build` per stage: read, link, assemble, save.

The corpus: N synthetic abstracts recombined from the sample corpus, written as JSON Lines and
read back with kg.corpus.read_papers. Each abstract is 6-10 sentences drawn at random from all
sample abstracts, each title a random sample title; in every sentence each number is replaced
by a random one, ~30% of the lower-case words get a random 2-letter suffix (so most tokens are
new to spaCy's tokenizer cache and to the TF-IDF vocabulary, as on unseen text), and ~20% of the
capitalized words that are not knowledge-base names get a random 2-letter suffix too (new
method/model names for the linker to discover). Knowledge-base names are left intact, so
entity density stays realistic.

Figures per stage: wall and CPU time (CPU time of this process; linker worker processes are
not in it), papers/s, and the peak resident memory *during* that stage (the
kernel's high-water mark is reset before each stage through /proc/self/clear_refs; where that
is unavailable, the process-wide peak so far is printed and marked so). "related" is the part
of assemble spent in kg.assembly.related.find_related.

Usage: .venv/bin/python benchmarks/bench_build.py [--n 100000] [--processes 1] [--top-k 5]
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import string
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson  # noqa: E402

import kg.assembly.build as build_module  # noqa: E402
from kg.assembly import build_graph, save_graph  # noqa: E402
from kg.corpus import read_papers  # noqa: E402
from kg.linking import link_papers, load_kb  # noqa: E402


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_records(n: int, seed: int = 7):
    """N recombined papers as JSON-Lines records (see the module docstring for how)."""
    rng = random.Random(seed)
    papers = list(read_papers())
    sentences = [s for p in papers for s in re.split(r"(?<=[.!?])\s+", " ".join(p.abstract.split())) if len(s) > 20]
    titles = [p.title for p in papers]
    kb = load_kb()
    protected = {w.casefold() for e in kb.entities.values() for name in (e.label, *e.aliases) for w in name.split()}

    def suffix() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(2))

    def mutate(text: str) -> str:
        text = re.sub(r"\d+", lambda m: str(rng.randint(1, 999)), text)
        words = text.split(" ")
        for i, word in enumerate(words):
            if word.isalpha() and word.islower() and rng.random() < 0.3:
                words[i] = word + suffix()
            elif word[:1].isupper() and word.casefold().strip(".,;:()") not in protected and rng.random() < 0.2:
                core = word.rstrip(".,;:)")
                words[i] = core + suffix() + word[len(core):]
        return " ".join(words)

    seen = set()
    for i in range(n):
        abstract = " ".join(mutate(rng.choice(sentences)) for _ in range(rng.randint(6, 10)))
        title = mutate(rng.choice(titles))
        while title.casefold() in seen:  # the reader merges papers with the same title
            title = mutate(rng.choice(titles))
        seen.add(title.casefold())
        yield {"id": f"synthetic-{i:07d}", "title": title, "abstract": abstract}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic abstracts (default 100,000)")
    parser.add_argument("--processes", type=int, default=1, help="linker processes (default 1)")
    parser.add_argument("--top-k", type=int, default=5)
    args = parser.parse_args()

    resettable = _reset_peak()
    mark = "" if resettable else " (process peak so far)"
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "synthetic.jsonl"
        start = time.perf_counter()
        with source.open("wb") as handle:
            for record in synthetic_records(args.n):
                handle.write(orjson.dumps(record) + b"\n")
        print(f"corpus: {args.n:,} synthetic abstracts, {source.stat().st_size / 1e6:.0f} MB JSONL, "
              f"made in {time.perf_counter() - start:.1f} s; linker processes: {args.processes}")

        related_time = [0.0]
        original = build_module.find_related

        def timed_find_related(*a, **kw):
            t = time.perf_counter()
            try:
                return original(*a, **kw)
            finally:
                related_time[0] += time.perf_counter() - t

        build_module.find_related = timed_find_related
        kb = load_kb()
        rows = []

        def stage(name, function):
            _reset_peak()
            t, cpu = time.perf_counter(), time.process_time()
            value = function()
            seconds = time.perf_counter() - t
            rows.append((name, seconds, time.process_time() - cpu, _peak_mb()))
            return value

        papers = stage("read", lambda: list(read_papers([source])))
        linked = stage("link", lambda: list(link_papers(papers, kb=kb, processes=args.processes)))
        graph = stage("assemble", lambda: build_graph(linked, kb=kb, top_k=args.top_k))
        path = stage("save", lambda: save_graph(graph, Path(work) / "kg"))
        size = path.stat().st_size

    n = len(papers)
    print(f"{'stage':<10}{'wall s':>9}{'cpu s':>9}{'papers/s':>11}{'peak RSS MB':>13}   (papers/s by wall time)")
    for name, seconds, cpu, peak in rows:
        print(f"{name:<10}{seconds:>9.1f}{cpu:>9.1f}{n / seconds:>11,.0f}{peak:>13,.0f}{mark}")
    total = sum(row[1] for row in rows)
    print(f"{'total':<10}{total:>9.1f}{sum(row[2] for row in rows):>9.1f}{n / total:>11,.0f}")
    print(f"  of assemble: related papers {related_time[0]:.1f} s")
    kinds: dict[str, int] = {}
    for _, kind in graph.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    edges: dict[str, int] = {}
    for _, _, key in graph.edges(keys=True):
        edges[key] = edges.get(key, 0) + 1
    print(f"graph: {graph.number_of_nodes():,} nodes {kinds}; {graph.number_of_edges():,} edges")
    print(f"  edges by type: {dict(sorted(edges.items(), key=lambda item: -item[1]))}")
    print(f"  graph.json: {size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
