"""Time the ready-made SPARQL queries (exports/queries/*.rq) in Oxigraph and in rdflib's own engine.

Graphs:
  * the sample corpus (459 papers), built with the real pipeline (or --graph DIR if built already);
  * synthetic graphs of N papers (default 100,000) in exactly the sample's RDF shape: the sample's
    triples (kg.exporters.rdf.iter_triples) written as N-Triples, then copied N/459 times with every
    paper id and every discovered (kg:known false) entity id suffixed per copy ("-s17"), and
    publication dates shifted by a few months per copy. Knowledge-base entities are shared, so hub
    entities (e.g. reinforcement learning) grow to thousands of papers, as in a real corpus; the
    discovered-entity vocabulary grows with the corpus. Titles and abstracts repeat per copy.

rdflib (in-memory Graph, ~1 GB per million triples) cannot hold the 100k-paper graph (~22M
triples) on this machine, so the rdflib comparison runs on the sample and on a smaller synthetic
graph (--rdflib-papers, default 10,000) with Oxigraph timed on the same graph in the same run.

Each Oxigraph figure is the median of --repeat runs after one warm-up (the warm-up alone when it
takes over 1 s), consuming every result row;
rdflib runs each query in a forked child (so a run can be stopped at --rdflib-limit seconds),
--repeat times on the sample unless a run takes over 1 s, once on larger graphs.

    .venv/bin/python benchmarks/bench_sparql.py [--papers 100000] [--rdflib-papers 10000] [--graph .kg]
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg.sparql import bind_parameters, find_queries, run_query
from kg.sparql.store import GRAPH_FILENAME
from kg.sparql.vocab import prefixes

BASE = "https://kg.example.org/id/"
# The same questions written plainly (one basic graph pattern, constants in place), as a first
# draft would be: rdflib's engine does better on these than on the sub-select forms tuned for
# Oxigraph, so both are timed. Same answers as the ready-made files on the sample (checked below).
PLAIN_FORMS = {
    "evaluation-datasets": """
SELECT ?dataset ?label (COUNT(DISTINCT ?evaluating) AS ?evaluatedIn) (COUNT(DISTINCT ?paper) AS ?mentionedIn)
WHERE {
  ?paper kg:mentions entity:reinforcement-learning ; kg:mentions ?dataset .
  ?dataset a kg:Dataset ; rdfs:label ?label .
  OPTIONAL { ?evaluating kg:evaluatesOn ?dataset . FILTER(?evaluating = ?paper) }
}
GROUP BY ?dataset ?label ORDER BY DESC(?evaluatedIn) DESC(?mentionedIn) ?label ?dataset""",
    "low-precision-hardware": """
SELECT ?hardware ?label (COUNT(DISTINCT ?paper) AS ?papers) (GROUP_CONCAT(DISTINCT ?title; separator=" | ") AS ?titles)
WHERE {
  ?paper kg:mentions ?hardware ; dcterms:title ?title ; dcterms:abstract ?abstract .
  ?hardware a kg:Hardware ; rdfs:label ?label .
  FILTER((REGEX(?title, "FP8|FP6|FP4", "i") || REGEX(?abstract, "FP8|FP6|FP4", "i"))
         && (REGEX(?title, "train", "i") || REGEX(?abstract, "train", "i")))
}
GROUP BY ?hardware ?label ORDER BY DESC(?papers) ?label ?hardware""",
    "method-model-pairs": """
SELECT ?method ?methodLabel ?model ?modelLabel (COUNT(DISTINCT ?paper) AS ?papers)
WHERE {
  ?paper kg:mentions ?method , ?model .
  ?method a kg:Method ; rdfs:label ?methodLabel .
  ?model a kg:Model ; rdfs:label ?modelLabel .
}
GROUP BY ?method ?methodLabel ?model ?modelLabel HAVING (COUNT(DISTINCT ?paper) >= 2)
ORDER BY DESC(?papers) ?methodLabel ?modelLabel LIMIT 100""",
    "method-on-model-family": """
SELECT ?paper ?title ?date ?how (GROUP_CONCAT(DISTINCT ?modelLabel; separator=", ") AS ?models)
WHERE {
  ?model (kg:family|kg:variantOf)* entity:qwen .
  ?paper kg:mentions ?model , entity:supervised-fine-tuning ; dcterms:title ?title .
  ?model a kg:Model ; rdfs:label ?modelLabel .
  OPTIONAL { ?paper dcterms:issued ?date }
  BIND(IF(EXISTS { ?paper kg:introduces entity:supervised-fine-tuning }, "introduces",
       IF(EXISTS { ?paper kg:uses entity:supervised-fine-tuning }, "uses",
       IF(EXISTS { ?paper kg:fineTunes ?model }, "fine-tunes model", "mentions"))) AS ?how)
}
GROUP BY ?paper ?title ?date ?how ORDER BY DESC(?date) ?paper""",
    "model-families": """
SELECT ?family ?label (COUNT(DISTINCT ?paper) AS ?papers) (COUNT(DISTINCT ?variant) AS ?variantCount)
WHERE {
  ?family a kg:Model ; rdfs:label ?label .
  FILTER NOT EXISTS { ?family kg:family ?parent }
  ?variant kg:family+ ?family .
  ?member kg:family* ?family .
  ?paper kg:mentions ?member .
}
GROUP BY ?family ?label ORDER BY DESC(?papers) ?label ?family""",
    "papers-per-month": """
SELECT ?month (COUNT(?paper) AS ?papers)
WHERE {
  ?paper a kg:Paper .
  OPTIONAL { ?paper dcterms:issued ?date }
  BIND(COALESCE(SUBSTR(STR(?date), 1, 7), "undated") AS ?month)
}
GROUP BY ?month ORDER BY ?month""",
}


_DATE_RE = re.compile(r'"(\d{4})-(\d{2})-(\d{2})"\^\^<http://www\.w3\.org/2001/XMLSchema#date>')


def sample_ntriples(graph_dir: Path | None) -> bytes:
    """The sample graph's triples as N-Triples, building the sample corpus when no graph is given."""
    from kg.assembly import build_graph, load_graph
    from kg.exporters.rdf import iter_triples

    if graph_dir is not None and (graph_dir / GRAPH_FILENAME).is_file():
        graph = load_graph(graph_dir)
    else:
        from kg.corpus import read_papers
        from kg.linking import link_papers

        print("building the sample graph (read, link, assemble) ...", file=sys.stderr)
        graph = build_graph(link_papers(read_papers()))
    return ox.serialize(iter_triples(graph), format=ox.RdfFormat.N_TRIPLES)


def _ids_to_rewrite(sample: ox.Store) -> list[str]:
    """Paper ids and discovered-entity ids as they appear in IRIs and in dcterms:identifier."""
    from urllib.parse import unquote

    ids = set()
    query = """SELECT ?n WHERE { { ?n a kg:Paper } UNION { ?n kg:known false } }"""
    for row in sample.query(query, prefixes=prefixes()):
        local = row["n"].value.rsplit("/", 1)[-1]
        ids.update((local, unquote(local)))
    return sorted(ids, key=len, reverse=True)


def scaled_ntriples(sample_nt: bytes, copies: int):
    """Yield N-Triples chunks (one per copy) of a graph `copies` times the sample's size."""
    text = sample_nt.decode("utf-8")
    store = ox.Store()
    store.load(sample_nt, format=ox.RdfFormat.N_TRIPLES)
    alternatives = "|".join(re.escape(i) for i in _ids_to_rewrite(store))
    slot_re = re.compile(r'(?<=/)(?:' + alternatives + r')(?=[/>])|(?<=")(?:' + alternatives + r')(?=")|'
                         + _DATE_RE.pattern)
    chunks, slots, pos = [], [], 0
    for match in slot_re.finditer(text):
        chunks.append(text[pos:match.start()])
        if match.group(1):  # a date: keep (y, m, d) to shift per copy
            slots.append((int(match.group(1)), int(match.group(2)), int(match.group(3))))
        else:
            slots.append(match.group(0))
        pos = match.end()
    tail = text[pos:]
    for k in range(copies):
        suffix = f"-s{k}" if k else ""
        parts = []
        for chunk, slot in zip(chunks, slots):
            parts.append(chunk)
            if isinstance(slot, tuple):
                y, m, d = slot
                months = y * 12 + (m - 1) - (k % 48)  # spread copies over four years back
                date = dt.date(months // 12, months % 12 + 1, min(d, 28))
                parts.append(f'"{date.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>')
            else:
                parts.append(slot + suffix)
        parts.append(tail)
        yield "".join(parts).encode("utf-8")


class _ChunkReader(io.RawIOBase):
    """A binary file over an iterator of byte chunks, so one bulk_load streams every copy."""

    def __init__(self, chunks):
        self._chunks, self._buffer = iter(chunks), b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            self._buffer = next(self._chunks, None)
            if self._buffer is None:
                self._buffer = b""
                return 0
        size = min(len(target), len(self._buffer))
        target[:size], self._buffer = self._buffer[:size], self._buffer[size:]
        return size


def load_oxigraph(chunks, directory: Path) -> tuple[ox.Store, float]:
    started = time.perf_counter()
    store = ox.Store(str(directory))
    store.bulk_load(io.BufferedReader(_ChunkReader(chunks), 1 << 20), format=ox.RdfFormat.N_TRIPLES)
    store.optimize()
    del store
    return ox.Store.read_only(str(directory)), time.perf_counter() - started


def load_rdflib(chunks):
    import rdflib

    started = time.perf_counter()
    graph = rdflib.Graph()
    for chunk in chunks:
        graph.parse(data=chunk.decode("utf-8"), format="nt")
    return graph, time.perf_counter() - started


def time_oxigraph(store, text: str, repeat: int) -> tuple[float, int]:
    """Median ms of `repeat` runs after a warm-up (just the warm-up when that takes over 1 s)."""
    started = time.perf_counter()
    rows = len(run_query(store, text))
    if time.perf_counter() - started > 1.0:
        return (time.perf_counter() - started) * 1000, rows
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run_query(store, text)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, rows


def _rdflib_worker(graph, text: str, conn) -> None:
    ns = prefixes()
    started = time.perf_counter()
    rows = len(list(graph.query(text, initNs=ns)))
    conn.send((time.perf_counter() - started, rows))


def time_rdflib(graph, text: str, repeat: int, limit_s: float) -> tuple[float | None, int | None]:
    """Median ms of up to `repeat` rdflib runs, each in a forked child (the graph is shared
    copy-on-write) so a run longer than limit_s can be stopped: (None, None) if the first one is.
    No more runs after one slower than 1 s."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    times, rows = [], None
    for _ in range(max(1, repeat)):
        parent, child = context.Pipe(duplex=False)
        process = context.Process(target=_rdflib_worker, args=(graph, text, child))
        process.start()
        finished = parent.poll(limit_s)
        if finished:
            seconds, rows = parent.recv()
        else:
            process.kill()
        process.join()
        if not finished:
            break
        times.append(seconds)
        if seconds > 1.0:
            break
    return (statistics.median(times) * 1000, rows) if times else (None, None)


def _ms(value: float | None, limit_s: float | None = None) -> str:
    if value is not None:
        return f"{value:.1f}"
    return f">{limit_s * 1000:.0f}" if limit_s else "-"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(label: str, chunks_factory, work: Path, repeat: int, with_rdflib: bool, rdflib_repeat: int,
          rdflib_limit: float = 120.0) -> None:
    queries = find_queries()
    directory = work / label
    store, ox_load = load_oxigraph(chunks_factory(), directory)
    triples = len(store)
    print(f"\n== {label}: {triples:,} triples; Oxigraph bulk load {ox_load:.1f} s "
          f"({triples / ox_load:,.0f} triples/s), store {_du(directory):.0f} MB")
    graph = None
    if with_rdflib:
        graph, rdf_load = load_rdflib(chunks_factory())
        print(f"   rdflib parse into memory {rdf_load:.1f} s ({triples / rdf_load:,.0f} triples/s), "
              f"peak RSS so far {peak_rss_mb():,.0f} MB")
    header = f"   {'query':24} {'rows':>6} {'oxigraph ms':>12} {'plain form':>11}"
    if graph is not None:
        header += f" {'rdflib ms':>11} {'plain form':>11} {'ratio':>8}"
    print(header + ("   (ratio: rdflib's better form / Oxigraph's ready-made query)" if graph is not None else ""))
    for name, query in queries.items():
        text = bind_parameters(query, {}, store)  # defaults, as `kg query --name NAME` runs it
        ox_ms, rows = time_oxigraph(store, text, repeat)
        plain = PLAIN_FORMS.get(name) if graph is not None else None  # plain forms: only beside rdflib
        ox_plain_ms, plain_rows = time_oxigraph(store, plain, repeat) if plain else (None, None)
        line = f"   {name:24} {rows:>6} {ox_ms:>12.1f} {_ms(ox_plain_ms):>11}"
        flags = [] if plain_rows in (None, rows) else ["plain form rows differ"]
        if graph is not None:
            rdf_ms, rdf_rows = time_rdflib(graph, text, rdflib_repeat, rdflib_limit)
            rdf_plain_ms, _ = time_rdflib(graph, plain, rdflib_repeat, rdflib_limit) if plain else (None, None)
            best = min((t for t in (rdf_ms, rdf_plain_ms) if t is not None), default=None)
            ratio = f"{best / ox_ms:.0f}x" if best is not None else f">{rdflib_limit * 1000 / ox_ms:.0f}x"
            line += f" {_ms(rdf_ms, rdflib_limit):>11} {_ms(rdf_plain_ms, rdflib_limit if plain else None):>11} {ratio:>8}"
            if rdf_rows not in (None, rows):
                flags.append("rdflib rows differ")
        print(line + ("  (" + "; ".join(flags) + ")" if flags else ""), flush=True)
    del graph, store


def _du(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graph", type=Path, default=Path(".kg"), help="a built graph dir (else the sample is built)")
    parser.add_argument("--papers", type=int, default=100_000, help="papers in the large synthetic graph (0: skip)")
    parser.add_argument("--rdflib-papers", type=int, default=10_000,
                        help="papers in the synthetic graph compared with rdflib (0: skip)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-limit", type=float, default=120.0, help="seconds before an rdflib run is stopped")
    args = parser.parse_args()

    sample_nt = sample_ntriples(args.graph)
    sample_papers = sample_nt.count(b"<https://kg.example.org/ontology#Paper> .")
    print(f"sample: {sample_papers} papers; machine load average {', '.join(f'{x:.1f}' for x in __import__('os').getloadavg())}")
    work = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    try:
        bench("sample", lambda: [sample_nt], work, args.repeat, True, args.repeat, args.rdflib_limit)
        if args.rdflib_papers:
            copies = max(1, round(args.rdflib_papers / sample_papers))
            bench(f"synthetic-{copies * sample_papers}", lambda: scaled_ntriples(sample_nt, copies), work,
                  args.repeat, True, 0, args.rdflib_limit)
        if args.papers:
            copies = max(1, round(args.papers / sample_papers))
            bench(f"synthetic-{copies * sample_papers}", lambda: scaled_ntriples(sample_nt, copies), work,
                  args.repeat, False, 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\npeak RSS {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
