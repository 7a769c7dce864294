"""The Oxigraph store beside the build: built from graph.json once, rebuilt when it changes,
shared read-only with other readers."""
from __future__ import annotations

import os
import shutil

import pyoxigraph as ox
import pytest

from kg.errors import GraphNotFoundError, KGError
from kg.exporters.rdf import iter_triples
from kg.sparql import ensure_store, open_store, run_query, store_is_current, store_path, write_store


@pytest.fixture
def graph_copy(sample_graph_dir, tmp_path):
    shutil.copy2(sample_graph_dir / "graph.json", tmp_path / "graph.json")
    return tmp_path


def test_ensure_store_holds_exactly_the_exported_triples(graph_copy, sample_graph):
    assert not store_is_current(graph_copy)
    store = open_store(graph_copy)
    triples = list(iter_triples(sample_graph))
    in_memory = ox.Store()  # Oxigraph writes typed literals canonically ("0.0" decimal -> "0"): compare like with like
    in_memory.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    assert {q.triple for q in store} == {q.triple for q in in_memory}
    assert len(store) == len(set(triples)) > 50_000


def test_ensure_store_reuses_then_rebuilds_when_graph_changes(graph_copy):
    path = ensure_store(graph_copy)
    marker = path / "kg-store.json"
    built = marker.stat().st_mtime_ns
    assert ensure_store(graph_copy) == path and marker.stat().st_mtime_ns == built  # reused
    graph_file = graph_copy / "graph.json"
    stat = graph_file.stat()
    os.utime(graph_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # as `kg build` would leave it
    assert not store_is_current(graph_copy)
    ensure_store(graph_copy)
    assert store_is_current(graph_copy)
    assert marker.stat().st_mtime_ns != built
    assert not [p for p in graph_copy.iterdir() if p.name.startswith(".store-")]  # no temp dirs left
    assert run_query(open_store(graph_copy), "ASK { ?p a kg:Paper }").boolean


def test_open_store_without_graph(tmp_path):
    with pytest.raises(GraphNotFoundError, match="kg build"):
        open_store(tmp_path)


def test_store_is_read_only_and_shared(small_graph_dir):
    first, second = open_store(small_graph_dir), open_store(small_graph_dir)
    with pytest.raises((OSError, RuntimeError)):
        first.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/b"), ox.NamedNode("http://x/c")))
    assert len(first) == len(second) > 0


def test_write_store_replaces_whole(tmp_path):
    a = ox.Triple(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1"))
    b = ox.Triple(ox.NamedNode("http://x/b"), ox.NamedNode("http://x/p"), ox.Literal("2"))
    assert write_store([a, b], tmp_path) == 2
    reader = open_store(tmp_path)  # a reader of the old store keeps working across a rebuild
    assert write_store([b], tmp_path) == 1
    assert {q.triple for q in ox.Store.read_only(str(store_path(tmp_path)))} == {b}
    assert len(reader) in (1, 2)


def test_ensure_store_cannot_write_is_a_clear_error(graph_copy):
    (graph_copy / ".store.lock").mkdir()  # the lock file cannot be created (works as root too)
    with pytest.raises(KGError, match="Cannot build the SPARQL store"):
        ensure_store(graph_copy)
