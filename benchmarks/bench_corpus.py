"""Throughput and memory of kg.corpus.read_papers on a generated JSON Lines corpus.

    .venv/bin/python benchmarks/bench_corpus.py                  # 1 GB file in /tmp, read once
    .venv/bin/python benchmarks/bench_corpus.py --size-mb 100 --size-mb 1000

How the corpus is made: arXiv-snapshot-style records whose abstracts recombine sentences of the
bundled sample abstracts in random order with random numbers and names mixed in, and titles made
of random sample-title words plus a serial number, so nearly every record is distinct text. A
share of records (--dup-rate, default 5%) repeats an earlier paper's arXiv id with a re-cased
title, so de-duplication has work to do.

The bundled sample corpus (5 HF Daily Papers dumps) is measured first, then each size, each in a
fresh child process; it prints records/s, unique papers/s and the peak
resident memory (ru_maxrss) of that process next to its memory right after imports, so the
difference is what reading cost.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import orjson


def _sample_parts():
    from kg.corpus import read_papers

    sentences, words = [], []
    for paper in read_papers():
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", paper.abstract) if len(s) > 30]
        words += [w for w in re.findall(r"[A-Za-z][\w-]+", paper.title)]
    return sentences, words


def generate(path: Path, size_mb: int, dup_rate: float, seed: int = 7) -> int:
    """Write about size_mb MB of JSON Lines to path; returns the number of records."""
    rng = random.Random(seed)
    sentences, words = _sample_parts()
    target = size_mb * 1_000_000
    written = count = 0
    temp = path.with_suffix(".partial")
    with temp.open("wb") as out:
        while written < target:
            count += 1
            if count > 10 and rng.random() < dup_rate:
                serial = rng.randrange(1, count)
                rng_dup = random.Random(serial)
                title = " ".join(rng_dup.choice(words) for _ in range(rng_dup.randint(5, 12))).upper()
            else:
                serial = count
                rng_title = random.Random(serial)
                title = " ".join(rng_title.choice(words) for _ in range(rng_title.randint(5, 12)))
            abstract = " ".join(
                rng.choice(sentences).replace("LLM", rng.choice(("LLM", f"Model-{rng.randrange(10**5)}")))
                for _ in range(rng.randint(6, 11))
            ) + f" Evaluated with {rng.randrange(10**6)} samples."
            record = {
                "id": f"{2000 + serial // 100_000:04d}.{serial % 100_000:05d}",
                "submitter": "A. Author",
                "authors": ", ".join(f"{rng.choice(words)} {rng.choice(words)}" for _ in range(rng.randint(1, 6))),
                "title": f"{title} {serial}",
                "comments": "12 pages",
                "categories": rng.choice(("cs.LG", "cs.CL cs.LG", "cs.CV", "stat.ML cs.LG")),
                "abstract": abstract,
                "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
                "update_date": "2024-01-0%d" % rng.randint(1, 9),
            }
            line = orjson.dumps(record) + b"\n"
            out.write(line)
            written += len(line)
    temp.replace(path)
    return count


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def measure(path: Path) -> None:
    """Run in the child: read every paper, print one line of figures."""
    from kg.corpus import ReadStats, read_papers

    from kg.paths import SAMPLE_CORPUS_DIR

    base = _rss_mb()
    stats = ReadStats()
    sample = str(path) == "sample"  # the bundled HF Daily Papers dumps, read 20 times
    start = time.perf_counter()
    for _ in range(20 if sample else 1):
        stats = ReadStats()
        for _ in read_papers(None if sample else path, stats=stats):
            pass
    elapsed = (time.perf_counter() - start) / (20 if sample else 1)
    size = (sum(p.stat().st_size for p in SAMPLE_CORPUS_DIR.iterdir()) if sample else path.stat().st_size) / 1e6
    print(f"{size:8.0f} MB  {stats.records:>9,} records  {stats.papers:>9,} papers  {elapsed:7.1f} s  "
          f"{stats.records / elapsed:8,.0f} records/s (both passes)  {size / elapsed:5.1f} MB/s  "
          f"peak RSS {_rss_mb():6.0f} MB (after imports {base:4.0f} MB)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, action="append", help="corpus size(s) in MB (default 1000)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp"), help="where to keep the generated files")
    parser.add_argument("--dup-rate", type=float, default=0.05)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # child process mode
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    subprocess.run([sys.executable, __file__, "--measure", "sample"], check=True)
    for size in args.size_mb or [1000]:
        path = args.dir / f"kg-bench-corpus-{size}mb.jsonl"
        if not path.exists():
            start = time.perf_counter()
            count = generate(path, size, args.dup_rate)
            print(f"generated {path} ({count:,} records) in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True)


if __name__ == "__main__":
    main()
