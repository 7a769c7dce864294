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


def rate(papers, nlp) -> float:
    start = time.perf_counter()
    for p in papers:
        link_one(nlp, p.title, p.abstract)
    return len(papers) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000, help="recombined abstracts")
    ap.add_argument("--processes", type=int, default=2, help="also time link_papers with this many processes")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        import os

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
    nlp = build_nlp(kb)
    print(f"pipeline build: {(time.perf_counter() - t) * 1000:.0f} ms")

    sample = list(read_papers())
    print(f"sample corpus: {len(sample)} papers, {sum(len(p.abstract) for p in sample) / len(sample):,.0f} chars/abstract")
    print(f"  map step, fresh pipeline (cold tokenizer cache): {rate(sample, nlp):8,.0f} abstracts/s")
    print(f"  map step, second pass (warm cache):              {rate(sample, nlp):8,.0f} abstracts/s")
    t = time.perf_counter()
    n_ents = sum(len(pe.entities) for pe in link_papers(sample, kb=kb))
    print(f"  link_papers end to end (map + reduce):           {len(sample) / (time.perf_counter() - t):8,.0f} abstracts/s ({n_ents:,} entity links)")

    synth = recombined_corpus(sample, args.n)
    nlp2 = build_nlp(kb)
    print(f"recombined corpus: {len(synth):,} abstracts (random sentences, new numbers, 30% words suffixed)")
    print(f"  map step, fresh pipeline:                        {rate(synth, nlp2):8,.0f} abstracts/s")
    # the spaCy tokenizer alone on the same text, for the ratio
    nlp3 = build_nlp(kb)
    start = time.perf_counter()
    for p in synth:
        nlp3.make_doc(p.title + ". " + " ".join(p.abstract.split()))
    tok = len(synth) / (time.perf_counter() - start)
    print(f"  tokenizer alone (fresh):                         {tok:8,.0f} abstracts/s (linker = {rate(synth[:1], nlp3) and 0 or ''}"
          f"{1 / tok:.2e} s + rules)")
    if args.processes > 1:
        t = time.perf_counter()
        list(link_papers(synth, kb=kb, processes=args.processes))
        print(f"  link_papers with {args.processes} processes:                 {len(synth) / (time.perf_counter() - t):8,.0f} abstracts/s")
        t = time.perf_counter()
        list(link_papers(synth, kb=kb, processes=1))
        print(f"  link_papers with 1 process:                      {len(synth) / (time.perf_counter() - t):8,.0f} abstracts/s")


if __name__ == "__main__":
    main()
