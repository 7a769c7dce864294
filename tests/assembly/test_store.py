"""Persistence: round trip, byte-identical output, clear errors."""
import networkx as nx
import orjson
import pytest
from handmade import entity, kb_of, link

from kg.assembly import build_graph, load_graph, save_graph
from kg.assembly.store import GRAPH_FILE
from kg.corpus import read_papers
from kg.errors import GraphNotFoundError, KGError
from kg.records import Mention, PaperEntities


@pytest.fixture(scope="module")
def graph():
    papers = {p.id: p for p in read_papers()}
    coat, tulu = papers["5ce413c7ba"], papers["d38e362e52"]
    fp8 = entity("fp8-training", "Method", "FP8 training", parent="low-precision-training")
    parent = entity("low-precision-training", "Method", "low-precision training")
    linked = [PaperEntities(coat, (link(coat, entity("coat", "Method", "COAT", known=False), introduced=True),
                                   link(coat, fp8, "FP8 training", "FP8"))),
              PaperEntities(tulu, (link(tulu, entity("llama-3.1", "Model", "Llama 3.1")),)),
              *(PaperEntities(p) for p in list(papers.values())[:20])]
    return build_graph(linked, kb=kb_of(fp8, parent), top_k=3)


def test_save_graph_round_trip_equal(graph, tmp_path):
    save_graph(graph, tmp_path / "kg")
    loaded = load_graph(tmp_path / "kg")
    assert nx.utils.graphs_equal(graph, loaded)
    mentions = loaded.edges["paper:5ce413c7ba", "entity:coat", "MENTIONS"]["mentions"]
    assert isinstance(mentions, tuple) and isinstance(mentions[0], Mention)
    assert isinstance(loaded.nodes["paper:5ce413c7ba"]["links"][0], tuple)


def test_save_graph_byte_identical(graph, tmp_path):
    first = save_graph(graph, tmp_path / "a").read_bytes()
    second = save_graph(load_graph(tmp_path / "a"), tmp_path / "b").read_bytes()
    assert first == second
    assert not [p for p in (tmp_path / "a").iterdir() if p.name != GRAPH_FILE]  # no temp file left


def test_load_graph_missing_raises_graph_not_found(tmp_path):
    with pytest.raises(GraphNotFoundError, match="kg build"):
        load_graph(tmp_path / "nothing")


def test_load_graph_rejects_other_json(tmp_path):
    (tmp_path / GRAPH_FILE).write_text('{"nodes": []}')
    with pytest.raises(KGError, match="not a kg graph"):
        load_graph(tmp_path)
    (tmp_path / GRAPH_FILE).write_text("not json")
    with pytest.raises(KGError, match="not a kg graph"):
        load_graph(tmp_path)


def test_graph_chunks_equal_one_orjson_document(graph):
    from kg.assembly.store import FORMAT, VERSION, _jsonable, graph_to_bytes

    document = {
        "format": FORMAT, "version": VERSION, "graph": dict(graph.graph),
        "nodes": [[k, {a: _jsonable(v) for a, v in d.items()}] for k, d in sorted(graph.nodes(data=True))],
        "edges": [[u, v, k, {a: _jsonable(x) for a, x in d.items()}]
                  for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])],
    }
    assert graph_to_bytes(graph) == orjson.dumps(document, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
