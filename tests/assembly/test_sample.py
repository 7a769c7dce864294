"""The whole pipeline on the sample corpus: real reader, real linker, real assembly."""
import networkx as nx
from kg.assembly import build_graph, load_graph, save_graph
from kg.assembly.lookup import find_entities, find_papers, graph_stats, related_papers
from kg.assembly.schema import ENTITY_TYPES, paper_node

TULU, COAT = "d38e362e52", "5ce413c7ba"


def _targets(graph, paper, relation):
    return {graph.nodes[v]["label"] for _, v, k in graph.out_edges(paper_node(paper), keys=True) if k == relation}


def test_sample_graph_has_every_paper(sample_graph):
    assert graph_stats(sample_graph)["nodes"]["Paper"] == 459


def test_sample_tulu_mentions_llama_and_introduces_tulu(sample_graph):
    assert any(label.startswith("Llama 3.1") for label in _targets(sample_graph, TULU, "MENTIONS"))
    assert any("3" in label and label.casefold().replace("ü", "u").startswith("tulu")
               for label in _targets(sample_graph, TULU, "INTRODUCES"))


def test_sample_coat_introduces_coat_and_is_fp8_work(sample_graph):
    assert "COAT" in _targets(sample_graph, COAT, "INTRODUCES")
    assert any("FP8" in label for label in _targets(sample_graph, COAT, "MENTIONS"))
    related = related_papers(sample_graph, paper_node(COAT))
    assert any("FP8" in sample_graph.nodes[p]["title"] for p, _ in related[:3])


def test_sample_related_ranked_never_self(sample_graph):
    for node, kind in sample_graph.nodes(data="kind"):
        if kind != "Paper":
            continue
        related = related_papers(sample_graph, node)
        assert node not in [p for p, _ in related] and len(related) <= 5
        scores = [d["score"] for _, d in related]
        assert scores == sorted(scores, reverse=True)


def test_sample_variant_of_points_to_family(sample_graph):
    variants = [(u, v) for u, v, k in sample_graph.edges(keys=True) if k == "VARIANT_OF"]
    assert variants
    for u, v in variants:
        assert sample_graph.nodes[u]["family"] == sample_graph.nodes[v]["id"]
        assert sample_graph.nodes[u]["kind"] in ENTITY_TYPES


def test_sample_typed_relations_present(sample_graph):
    relations = graph_stats(sample_graph)["edges"]
    for relation in ("USES", "EVALUATES_ON", "COMPARES_WITH", "RUNS_ON"):
        assert relations.get(relation, 0) > 0, relation
    assert relations["MENTIONS"] > relations.get("USES", 0)


def test_sample_build_is_byte_identical(sample_linked, sample_graph, tmp_path):
    kb, linked = sample_linked
    first = save_graph(sample_graph, tmp_path / "a").read_bytes()
    second = save_graph(build_graph(linked, kb=kb, top_k=5), tmp_path / "b").read_bytes()
    assert first == second
    assert nx.utils.graphs_equal(load_graph(tmp_path / "a"), sample_graph)


def test_sample_lookup_by_title_and_label(sample_graph):
    assert find_papers(sample_graph, "COAT: Compressing") == [paper_node(COAT)]
    assert len(find_papers(sample_graph, "training")) > 1
    coat = next(v for _, v, k in sample_graph.out_edges(paper_node(COAT), keys=True)
                if k == "INTRODUCES" and sample_graph.nodes[v]["label"] == "COAT")
    assert find_entities(sample_graph, "coat") == [coat]
    assert find_entities(sample_graph, "no such thing at all") == []
