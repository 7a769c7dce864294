"""Export throughput: our streaming Turtle/N-Triples writers vs rdflib's serializers, same graph, same run.

The graph: the sample corpus graph (loaded from --graph DIR if built, else built here) copied
--copies times with every paper and entity id suffixed, so ids, IRIs and node count grow while
text, degrees and attribute mix stay those of real data. Figures: triples/s by wall clock and by
process CPU time (CPU is the fairer number on a busy machine), best of --repeat runs; rdflib is
timed on its serializer alone (its Graph is filled beforehand, also reported), once.

    .venv/bin/python benchmarks/bench_export.py                # ~1M triples
    .venv/bin/python benchmarks/bench_export.py --copies 2 --repeat 1
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.exporters.rdf import iter_triples, prefixes, write_ntriples, write_turtle  # noqa: E402


def sample_graph(graph_dir: Path) -> nx.MultiDiGraph:
    from kg.assembly import build_graph, load_graph
    from kg.corpus import read_papers
    from kg.linking import link_papers, load_kb

    if (graph_dir / "graph.json").exists():
        return load_graph(graph_dir)
    kb = load_kb()
    return build_graph(link_papers(read_papers(), kb=kb), kb=kb)


def scaled(graph: nx.MultiDiGraph, copies: int) -> nx.MultiDiGraph:
    parts = []
    for i in range(copies):
        copy = nx.relabel_nodes(graph, {n: f"{n}-{i}" for n in graph})
        for _, data in copy.nodes(data=True):
            data["id"] = f"{data['id']}-{i}"
        for _, _, data in copy.edges(data=True):
            for key in ("shared", "via"):
                if key in data:
                    data[key] = tuple(f"{x}-{i}" for x in data[key])
        parts.append(copy)
    return nx.union_all(parts)


def timed(function, repeat: int) -> tuple[float, float, int]:
    """(best wall s, best CPU s, result) over `repeat` runs."""
    best_wall = best_cpu = float("inf")
    result = 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=Path(".kg"), help="built sample graph (else built here)")
    parser.add_argument("--copies", type=int, default=10, help="copies of the sample graph (10 ~ 1M triples)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of our writers (best is reported)")
    args = parser.parse_args()

    graph = scaled(sample_graph(args.graph), args.copies)
    print(f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges "
          f"({args.copies} copies of the sample graph); {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f} (wall rates drop when other work shares the CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = {}
        for name, writer, file in (("turtle", write_turtle, "ours.ttl"), ("ntriples", write_ntriples, "ours.nt")):
            wall, cpu, n = timed(lambda: writer(graph, tmp / file), args.repeat)
            results[name] = (n, wall, cpu)
            print(f"ours     {name:9s} {n:>10,} triples  {n / wall:>11,.0f}/s wall  {n / cpu:>11,.0f}/s CPU  "
                  f"{os.path.getsize(tmp / file) / 2**20:7.1f} MB")

        import pyoxigraph as ox

        for name, fmt in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES)):
            wall, cpu, _ = timed(lambda: ox.serialize(iter_triples(graph), str(tmp / f"oxi.{name}"), fmt,
                                                      prefixes=prefixes() if name == "turtle" else None), 1)
            n = results[name][0]
            print(f"pyoxigraph fed by iter_triples {name:9s} {n / wall:>11,.0f}/s wall  {n / cpu:>11,.0f}/s CPU")

        from rdflib import Graph

        rdflib_graph = Graph()
        for prefix, namespace in prefixes().items():
            rdflib_graph.bind(prefix, namespace)
        wall, cpu = time.perf_counter(), time.process_time()
        rdflib_graph.parse(tmp / "ours.nt", format="nt")
        n = len(rdflib_graph)
        print(f"rdflib   Graph filled with {n:,} triples in {time.perf_counter() - wall:.1f} s (not counted below)")
        for name, fmt in (("turtle", "turtle"), ("ntriples", "nt")):
            wall, cpu, _ = timed(lambda: rdflib_graph.serialize(destination=str(tmp / f"rdflib.{name}"), format=fmt,
                                                                  encoding="utf-8"), 1)
            ours_n, ours_wall, ours_cpu = results[name]
            print(f"rdflib   {name:9s} {n:>10,} triples  {n / wall:>11,.0f}/s wall  {n / cpu:>11,.0f}/s CPU  "
                  f"-> ours is {(ours_n / ours_wall) / (n / wall):.1f}x (wall), "
                  f"{(ours_n / ours_cpu) / (n / cpu):.1f}x (CPU) faster")


if __name__ == "__main__":
    main()
