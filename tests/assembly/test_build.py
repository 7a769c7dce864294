"""build_graph on hand-linked real papers (the entities chosen by hand, the text real)."""
import pytest
from handmade import entity, kb_of, link

from kg.assembly import build_graph
from kg.assembly.build import credible_introduction
from kg.assembly.schema import EDGE_TYPES, NODE_KINDS, entity_node, paper_node
from kg.corpus import read_papers
from kg.records import PaperEntities

TULU, COAT, FP8_BACK = "d38e362e52", "5ce413c7ba", "af63364d46"
LLAMA = entity("llama", "Model", "Llama")
LLAMA31 = entity("llama-3.1", "Model", "Llama 3.1", parent="llama")
LLAMA31_8B = entity("llama-3.1-8b", "Model", "Llama 3.1 8B", parent="llama-3.1")
TULU3 = entity("tulu-3", "Model", "TÜLU 3", known=False)
DPO = entity("dpo", "Method", "Direct Preference Optimization", ["DPO"])
COAT_E = entity("coat", "Method", "COAT", known=False)
FP8 = entity("fp8-training", "Method", "FP8 training")
BF16 = entity("bf16", "Method", "BF16")
KB = kb_of(LLAMA, LLAMA31, LLAMA31_8B, DPO, FP8, BF16)


@pytest.fixture(scope="module")
def papers():
    return {p.id: p for p in read_papers()}


@pytest.fixture(scope="module")
def linked(papers):
    tulu, coat, back = papers[TULU], papers[COAT], papers[FP8_BACK]
    return [
        PaperEntities(tulu, (link(tulu, TULU3, "TÜLU 3", introduced=True), link(tulu, LLAMA31),
                             link(tulu, DPO, "Direct Preference Optimization", "DPO"))),
        PaperEntities(coat, (link(coat, COAT_E, introduced=True), link(coat, FP8, "FP8 training", "FP8"),
                             link(coat, BF16))),
        PaperEntities(back, (link(back, FP8, "FP8"), link(back, BF16))),
    ]


@pytest.fixture(scope="module")
def graph(linked):
    return build_graph(linked, kb=KB, top_k=2)


def test_build_graph_nodes_follow_schema(graph):
    for _, data in graph.nodes(data=True):
        assert data["kind"] in NODE_KINDS
    for _, _, key in graph.edges(keys=True):
        assert key in EDGE_TYPES
    paper = graph.nodes[paper_node(TULU)]
    assert paper["title"].startswith("TÜLU 3") and paper["sources"][0].startswith("kg/data/hf-daily-papers/")
    tulu3 = graph.nodes[entity_node("tulu-3")]
    assert (tulu3["label"], tulu3["known"], tulu3["paper_count"], tulu3["family"]) == ("TÜLU 3", False, 1, None)


def test_build_graph_tulu_mentions_llama_and_introduces_tulu(graph):
    edges = graph[paper_node(TULU)]
    assert "MENTIONS" in edges[entity_node("llama-3.1")]
    assert {"MENTIONS", "INTRODUCES"} <= set(edges[entity_node("tulu-3")])
    uses = edges[entity_node("llama-3.1")]["USES"]
    assert "builds on Llama 3.1" in uses["evidence"] and uses["cue"] == "builds on"
    assert "OUTPERFORMS" in edges[entity_node("llama-3.1")]  # "surpassing ... versions of Llama 3.1"
    mentions = edges[entity_node("llama-3.1")]["MENTIONS"]
    assert mentions["mention_count"] == len(mentions["mentions"]) == 2
    # what the paper introduces gets no typed relation from that paper
    assert set(edges[entity_node("tulu-3")]) == {"MENTIONS", "INTRODUCES"}


def test_build_graph_coat_introduces_coat_and_is_fp8_work(graph):
    edges = graph[paper_node(COAT)]
    assert "INTRODUCES" in edges[entity_node("coat")]
    assert "MENTIONS" in edges[entity_node("fp8-training")]
    assert edges[entity_node("bf16")]["COMPARES_WITH"]["cue"] == "compared to"
    related = {v: d for _, v, k, d in graph.out_edges(paper_node(COAT), keys=True, data=True) if k == "RELATED_TO"}
    top = next(v for v, d in related.items() if d["rank"] == 1)
    assert top == paper_node(FP8_BACK) and "fp8-training" in related[top]["shared"]
    assert "FP8 training" in related[top]["reason"]


def test_build_graph_family_chain_adds_parent_nodes(graph):
    assert graph.has_edge(entity_node("llama-3.1"), entity_node("llama"), key="VARIANT_OF")
    parent = graph.nodes[entity_node("llama")]
    assert parent["paper_count"] == 0 and parent["kind"] == "Model"
    assert not graph.has_node(entity_node("llama-3.1-8b"))  # only the chain upwards, not siblings


def test_build_graph_related_never_self_and_top_k(graph):
    for node in (paper_node(TULU), paper_node(COAT), paper_node(FP8_BACK)):
        related = [(v, d) for _, v, k, d in graph.out_edges(node, keys=True, data=True) if k == "RELATED_TO"]
        assert node not in {v for v, _ in related} and len(related) <= 2
        ranked = sorted(related, key=lambda r: r[1]["rank"])
        assert [d["score"] for _, d in ranked] == sorted((d["score"] for _, d in ranked), reverse=True)


def test_build_graph_builds_on_introducing_paper(papers):
    # "achieving top performance on Datacomp" (EVALUATES_ON) in the data-filtering paper; the
    # DataComp paper introduces DataComp, named before its title's colon.
    datacomp = entity("datacomp", "Dataset", "DataComp")
    introducer_paper, user_paper = papers["163d8734a5"], papers["5516c01bf1"]
    introducer = PaperEntities(introducer_paper, (link(introducer_paper, datacomp, introduced=True),))
    user = PaperEntities(user_paper, (link(user_paper, datacomp, "Datacomp"),))
    assert credible_introduction(introducer_paper, introducer.entities[0])
    graph = build_graph([introducer, user], kb=KB, top_k=0)
    assert "EVALUATES_ON" in graph[paper_node("5516c01bf1")][entity_node("datacomp")]
    assert graph[paper_node("5516c01bf1")][paper_node("163d8734a5")]["BUILDS_ON"]["via"] == ("datacomp",)
    assert not graph.has_edge(paper_node("163d8734a5"), paper_node("5516c01bf1"))
    # an introduced flag on a known entity that is not the title's name is not credible enough
    back = papers[FP8_BACK]
    assert not credible_introduction(back, link(back, entity("fp8", "Method", "FP8"), "FP8", introduced=True))


def test_build_graph_keeps_first_of_duplicate_papers(linked):
    graph = build_graph([linked[0], linked[0]], kb=KB, top_k=1)
    assert sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "Paper") == 1
    assert graph.nodes[entity_node("llama-3.1")]["paper_count"] == 1


def test_build_graph_adding_papers_keeps_ids(linked):
    small = build_graph(linked[:1], kb=KB, top_k=1)
    large = build_graph(linked, kb=KB, top_k=1)
    assert set(small.nodes) <= set(large.nodes)
