"""Throughput of the entity linker (one core unless --processes), printed as abstracts/s.

Corpora:
  sample       the bundled sample corpus (read_papers()), linked once with a fresh pipeline
               (cold tokenizer cache) and once more (warm cache).
  recombined   N synthetic abstracts made of sentences drawn at random from the sample corpus,
               with every number changed and ~30% of the words given a random 2-letter
               suffix, so most tokens are new to spaCy's tokenizer cache (as on real unseen text).

Also reports the knowledge-base load time (cold parse vs warm compiled cache) and the
pipeline build time. Usage: .venv/bin/python benchmarks/bench_linker.py [--n 5000] [--processes 1]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import string
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.corpus import read_papers  # noqa: E402
from kg.linking import kb as kb_module  # noqa: E402
from kg.linking.link import link_one, link_papers  # noqa: E402
from kg.linking.pipeline import build_nlp  # noqa: E402
from kg.records import Paper  # noqa: E402


def recombined_corpus(papers: list[Paper], n: int, seed: int = 13) -> list[Paper]:
    rng = random.Random(seed)
    sentences = [s for p in papers for s in re.split(r"(?<=[.!?])\s+", " ".join(p.abstract.split())) if len(s) > 20]
    titles = [p.title for p in papers]

    def mutate(text: str) -> str:
        text = re.sub(r"\d+", lambda m: str(rng.randint(1, 999)), text)
        words = text.split(" ")
        for i, w in enumerate(words):
            if w.isalpha() and rng.random() < 0.3:
                words[i] = w + "".join(rng.choice(string.ascii_lowercase) for _ in range(2))
        return " ".join(words)

    out = []
    for i in range(n):
        abstract = " ".join(mutate(rng.choice(sentences)) for _ in range(rng.randint(6, 10)))
        out.append(Paper(id=f"r{i}", title=mutate(rng.choice(titles)), abstract=abstract))
    return out


def rate(papers, nlp) -> tuple[float, float]:
    """(abstracts/s by wall clock, abstracts/s by this process's CPU time) for the map step."""
    wall, cpu = time.perf_counter(), time.process_time()
    for p in papers:
        link_one(nlp, p.title, p.abstract)
    return len(papers) / (time.perf_counter() - wall), len(papers) / (time.process_time() - cpu)


def fmt(r: tuple[float, float]) -> str:
    return f"{r[0]:8,.0f} abstracts/s wall, {r[1]:8,.0f} /s CPU"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000, help="recombined abstracts")
    ap.add_argument("--processes", type=int, default=2, help="also time link_papers with this many processes")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        os.environ["KG_CACHE_DIR"] = cache
        kb_module._MEMO.clear()
        t = time.perf_counter()
        kb = kb_module.load_kb()
        cold = time.perf_counter() - t
        kb_module._MEMO.clear()
        t = time.perf_counter()
        kb = kb_module.load_kb()
        warm = time.perf_counter() - t
    print(f"knowledge base: {len(kb):,} entities; load cold {cold * 1000:.0f} ms, warm (compiled cache) {warm * 1000:.1f} ms")

    t = time.perf_counter()
    nlp = build_nlp(kb, spans_key="")
    print(f"pipeline build: {(time.perf_counter() - t) * 1000:.0f} ms")

    sample = list(read_papers())
    print(f"machine load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"sample corpus: {len(sample)} papers, {sum(len(p.abstract) for p in sample) / len(sample):,.0f} chars/abstract")
    print(f"  map step, fresh pipeline (cold tokenizer cache): {fmt(rate(sample, nlp))}")
    print(f"  map step, second pass (warm cache):              {fmt(rate(sample, nlp))}")
    list(link_papers(sample[:1], kb=kb))  # builds and caches link_papers' own pipeline
    t, c = time.perf_counter(), time.process_time()
    n_ents = sum(len(pe.entities) for pe in link_papers(sample, kb=kb))
    rates = (len(sample) / (time.perf_counter() - t), len(sample) / (time.process_time() - c))
    print(f"  link_papers end to end (map + reduce), cold:     {fmt(rates)} ({n_ents:,} entity links)")

    synth = recombined_corpus(sample, args.n)
    print(f"recombined corpus: {len(synth):,} abstracts (random sentences, new numbers, 30% words suffixed)")
    print(f"  map step, fresh pipeline:                        {fmt(rate(synth, build_nlp(kb, spans_key='')))}")
    nlp3 = build_nlp(kb, spans_key="")
    wall, cpu = time.perf_counter(), time.process_time()
    for p in synth:
        nlp3.make_doc(p.title + ". " + " ".join(p.abstract.split()))
    print(f"  spaCy tokenizer alone, fresh (for the ratio):    "
          f"{fmt((len(synth) / (time.perf_counter() - wall), len(synth) / (time.process_time() - cpu)))}")
    if args.processes > 1:
        t = time.perf_counter()
        list(link_papers(synth, kb=kb, processes=args.processes))
        multi = len(synth) / (time.perf_counter() - t)
        t = time.perf_counter()
        list(link_papers(synth, kb=kb, processes=1))
        single = len(synth) / (time.perf_counter() - t)
        print(f"  link_papers, {args.processes} processes vs 1: {multi:,.0f} vs {single:,.0f} abstracts/s wall"
              f" (ratio {multi / single:.2f}; second run has a warm tokenizer cache)")


if __name__ == "__main__":
    main()
