"""The real sample-corpus graph through every exporter, and the committed exports/ are up to date.

The graph is built once per session (conftest.sample_graph), exactly as `kg build` does; the
exports are written once (conftest.sample_exports).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.exporters import EXPORTERS
from kg.paths import DEFAULT_EXPORTS_DIR

from .conftest import run_shacl, shared_schema, tool
from .test_graph_files import read_igraph
from .test_neo4j import _bundle_db, _check_counts_and_queries

REPO = Path(__file__).resolve().parents[2]
EXPORTS_DIR = REPO / DEFAULT_EXPORTS_DIR
# What exports/ keeps under version control (kg.nt and kg.jsonld are omitted for size; see
# exports/README.md): every file of these exports, byte for byte.
COMMITTED = ("turtle", "graphml", "gexf", "neo4j")


def _triples(path: Path, fmt: ox.RdfFormat) -> set:
    return {q.triple for q in ox.parse(path=str(path), format=fmt)}


def test_sample_rdf_exports_hold_the_same_triples(sample_exports):
    turtle = _triples(sample_exports["turtle"], ox.RdfFormat.TURTLE)
    assert len(turtle) > 10_000
    assert _triples(sample_exports["ntriples"], ox.RdfFormat.N_TRIPLES) == turtle
    assert _triples(sample_exports["jsonld"], ox.RdfFormat.JSON_LD) == turtle


def test_sample_rdf_exports_conform_to_shapes(sample_exports):
    # The three RDF files hold the same triple set (test above), so this validates all of them.
    conforms, text = run_shacl(Graph().parse(sample_exports["ntriples"], format="nt"))
    assert conforms, text[:3000]


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("ntriples", "ntriples")])
def test_sample_rdf_exports_accepted_by_rapper(sample_exports, fmt, parser):
    rapper = tool("rapper")
    result = subprocess.run([rapper, "-i", parser, "-c", str(sample_exports[fmt])], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    n = len(_triples(sample_exports["ntriples"], ox.RdfFormat.N_TRIPLES))
    assert f"returned {n} triples" in result.stderr


@pytest.mark.parametrize("fmt, schema", [("graphml", ("graphml", "graphml.xsd")), ("gexf", ("gexf-1.3", "gexf.xsd"))])
def test_sample_graph_files_validate(sample_exports, fmt, schema):
    xmllint = tool("xmllint")
    result = subprocess.run([xmllint, "--noout", "--schema", str(shared_schema(*schema)), str(sample_exports[fmt])],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_sample_graph_files_read_back_with_same_counts(sample_graph, sample_exports):
    counts = (sample_graph.number_of_nodes(), sample_graph.number_of_edges())
    graphml = nx.read_graphml(sample_exports["graphml"])
    assert (graphml.number_of_nodes(), graphml.number_of_edges()) == counts
    ig = read_igraph(sample_exports["graphml"])
    assert (ig.vcount(), ig.ecount()) == counts
    gexf = nx.read_gexf(sample_exports["gexf"])
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == counts


def test_sample_neo4j_bundle_loads_in_ladybug(sample_graph, sample_exports, tmp_path):
    pytest.importorskip("ladybug")
    conn = _bundle_db(sample_exports["neo4j"], tmp_path / "db")
    _check_counts_and_queries(conn, sample_graph)


def _files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}
    return {path.name: path.read_bytes()}


@pytest.mark.parametrize("fmt", COMMITTED)
def test_committed_exports_are_up_to_date(sample_exports, fmt):
    committed = EXPORTS_DIR / EXPORTERS[fmt].file_name
    assert committed.exists(), f"{committed} is missing: run `kg build && kg export`"
    fresh, saved = _files(sample_exports[fmt]), _files(committed)
    assert sorted(saved) == sorted(fresh)
    stale = [name for name in fresh if fresh[name] != saved[name]]
    assert not stale, f"exports/ is out of date ({', '.join(stale)}): run `kg build && kg export`"
