"""The ready-made queries on the real sample corpus, each checked against an answer computed
independently from the networkx graph (kg.assembly.load_graph) — not against SPARQL itself."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from kg.assembly.schema import BUILDS_ON, EVALUATES_ON, INTRODUCES, MENTIONS, RELATED_TO, VARIANT_OF
from kg.sparql import bind_parameters, get_query, run_query

ENTITY_BASE = "https://kg.example.org/id/entity/"
PAPER_BASE = "https://kg.example.org/id/paper/"


def _run(store, name, **params):
    query = get_query(name)
    text = bind_parameters(query, params, store)  # as `kg query --name` runs it
    return run_query(store, text, source=str(query.path)).records()


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _nodes(graph, kind):
    return [n for n, d in graph.nodes(data=True) if d["kind"] == kind]


def _mentioned(graph, paper):
    return {v for _, v, k in graph.out_edges(paper, keys=True) if k == MENTIONS}


def _family_members(graph, family):
    """family and every entity below it through `family` attributes or VARIANT_OF edges."""
    children = defaultdict(set)
    for node, data in graph.nodes(data=True):
        if data.get("family"):
            children["entity:" + data["family"]].add(node)
    for u, v, k in graph.edges(keys=True):
        if k == VARIANT_OF:
            children[v].add(u)
    members, todo = {family}, [family]
    while todo:
        for child in children[todo.pop()] - members:
            members.add(child)
            todo.append(child)
    return members


def test_sample_papers_per_month(sample_graph, sample_store):
    expected = Counter((sample_graph.nodes[p].get("date") or "undated")[:7] for p in _nodes(sample_graph, "Paper"))
    rows = _run(sample_store, "papers-per-month")
    assert {r["month"]: r["papers"] for r in rows} == expected
    assert [r["month"] for r in rows] == sorted(expected)
    assert sum(r["papers"] for r in rows) == 459


@pytest.mark.parametrize("params", [{}, {"method": "LoRA", "family": "Llama"}, {"method": "DPO", "family": "qwen"}])
def test_sample_method_on_model_family(sample_graph, sample_store, params):
    query = get_query("method-on-model-family")
    method = params.get("method", "supervised-fine-tuning")
    family = params.get("family", "qwen")
    method_node = next(n for n, d in sample_graph.nodes(data=True) if d["kind"] == "Method" and method.lower() in
                       (d["id"], d["label"].lower(), *[a.lower() for a in d.get("aliases", ())]))
    family_node = next(n for n, d in sample_graph.nodes(data=True) if d["kind"] == "Model" and family.lower() in
                       (d["id"], d["label"].lower()))
    models = {m for m in _family_members(sample_graph, family_node) if sample_graph.nodes[m]["kind"] == "Model"}
    expected = {p[len("paper:"):] for p in _nodes(sample_graph, "Paper")
                if method_node in _mentioned(sample_graph, p) and _mentioned(sample_graph, p) & models}
    rows = _run(sample_store, query.name, **params)
    assert {_local(r["paper"]) for r in rows} == expected
    assert params or len(expected) >= 5  # the default question has a real answer on the sample
    for row in rows:
        assert row["how"] in ("introduces", "uses", "fine-tunes model", "mentions")


def test_sample_evaluation_datasets(sample_graph, sample_store):
    method = "entity:reinforcement-learning"
    papers = [p for p in _nodes(sample_graph, "Paper") if method in _mentioned(sample_graph, p)]
    mentioned, evaluated = Counter(), Counter()
    for p in papers:
        for d in _mentioned(sample_graph, p):
            if sample_graph.nodes[d]["kind"] == "Dataset":
                mentioned[d] += 1
                evaluated[d] += sample_graph.has_edge(p, d, EVALUATES_ON)
    rows = _run(sample_store, "evaluation-datasets")
    got = {"entity:" + _local(r["dataset"]): (r["evaluatedIn"], r["mentionedIn"]) for r in rows}
    assert got == {d: (evaluated[d], mentioned[d]) for d in mentioned}
    assert sum(evaluated.values()) > 0
    ordered = [(-r["evaluatedIn"], -r["mentionedIn"]) for r in rows]
    assert ordered == sorted(ordered)


def test_sample_low_precision_hardware(sample_graph, sample_store):
    precision, activity = re.compile("FP8|FP6|FP4", re.I), re.compile("train", re.I)
    expected = Counter()
    for p in _nodes(sample_graph, "Paper"):
        data = sample_graph.nodes[p]
        text = data["title"] + " " + data["abstract"]
        if precision.search(text) and activity.search(text):
            expected.update(h for h in _mentioned(sample_graph, p) if sample_graph.nodes[h]["kind"] == "Hardware")
    rows = _run(sample_store, "low-precision-hardware")
    assert {"entity:" + _local(r["hardware"]): r["papers"] for r in rows} == expected
    # A real fact of the field: FP8/FP4 training papers run on NVIDIA Hopper/Blackwell-class parts.
    assert any(re.search(r"H100|H200|Hopper|Blackwell|B200|GB200", r["label"]) for r in rows)
    titles = {sample_graph.nodes[p]["title"] for p in _nodes(sample_graph, "Paper")}
    for row in rows:
        assert set(row["titles"].split(" | ")) <= titles


def test_sample_low_precision_hardware_fp4_only(sample_store):
    rows = _run(sample_store, "low-precision-hardware", precision="FP4")
    assert rows, "the sample has FP4 training papers that name hardware"
    assert all(r["papers"] >= 1 for r in rows)
    assert len(rows) <= len(_run(sample_store, "low-precision-hardware"))


def test_sample_paper_lineage(sample_graph, sample_store):
    default = get_query("paper-lineage").parameters[0].default  # written as paper:ID in the file
    paper = "paper:" + re.split(r"[:/]", default.strip("<>"))[-1]
    introduced = {v for _, v, k in sample_graph.out_edges(paper, keys=True) if k == INTRODUCES}
    later = {(via, u) for u, _, k, d in sample_graph.in_edges(paper, keys=True, data=True) if k == BUILDS_ON
             for via in d["via"]}
    rows = _run(sample_store, "paper-lineage")
    assert {"entity:" + _local(r["introduced"]) for r in rows} == introduced
    assert {("entity:" + _local(r["introduced"]), "paper:" + _local(r["laterPaper"])) for r in rows if "laterPaper" in r} \
        == {(f"entity:{via}" if not via.startswith("entity:") else via, u) for via, u in later}
    assert later, "the default paper should have a paper building on it"
    for row in rows:
        assert row["type"] == sample_graph.nodes["entity:" + _local(row["introduced"])]["kind"]


def test_sample_related_papers_with_reasons(sample_graph, sample_store):
    paper = next(p for p in _nodes(sample_graph, "Paper")
                 if sum(1 for _, _, k in sample_graph.out_edges(p, keys=True) if k == RELATED_TO) >= 3)
    title = sample_graph.nodes[paper]["title"]
    edges = sorted((d["rank"], v, d) for _, v, k, d in sample_graph.out_edges(paper, keys=True, data=True) if k == RELATED_TO)
    rows = _run(sample_store, "related-papers", paper=title)
    assert [(r["rank"], "paper:" + _local(r["related"])) for r in rows] == [(rank, v) for rank, v, _ in edges]
    for row, (_, _, data) in zip(rows, edges):
        assert row["reason"] == data["reason"]
        assert row["score"] == pytest.approx(data["score"], abs=1e-6)
        shared_labels = {sample_graph.nodes["entity:" + e.removeprefix("entity:")]["label"] for e in data["shared"]}
        assert set(filter(None, row.get("shared", "").split(", "))) == shared_labels


def test_sample_method_model_pairs(sample_graph, sample_store):
    pairs = Counter()
    for p in _nodes(sample_graph, "Paper"):
        ents = _mentioned(sample_graph, p)
        methods = [e for e in ents if sample_graph.nodes[e]["kind"] == "Method"]
        models = [e for e in ents if sample_graph.nodes[e]["kind"] == "Model"]
        pairs.update((m, n) for m in methods for n in models)
    label = lambda n: sample_graph.nodes[n]["label"]  # noqa: E731
    expected = sorted(((m, n, c) for (m, n), c in pairs.items() if c >= 2),
                      key=lambda t: (-t[2], label(t[0]), label(t[1])))[:100]
    rows = _run(sample_store, "method-model-pairs")
    assert [("entity:" + _local(r["method"]), "entity:" + _local(r["model"]), r["papers"]) for r in rows] == expected
    assert len(rows) >= 5


def test_sample_model_families(sample_graph, sample_store):
    children = defaultdict(set)
    for node, data in sample_graph.nodes(data=True):
        if data.get("family"):
            children["entity:" + data["family"]].add(node)

    def below(node):
        found, todo = set(), [node]
        while todo:
            for child in children[todo.pop()] - found:
                found.add(child)
                todo.append(child)
        return found

    expected = {}
    for family in _nodes(sample_graph, "Model"):
        variants = below(family)
        if sample_graph.nodes[family].get("family") or not variants:
            continue
        papers = {p for m in variants | {family} for p, _, k in sample_graph.in_edges(m, keys=True) if k == MENTIONS}
        if papers:
            expected[family] = (len(papers), len(variants))
    rows = _run(sample_store, "model-families")
    assert {"entity:" + _local(r["family"]): (r["papers"], r["variantCount"]) for r in rows} == expected
    by_id = {_local(r["family"]): r for r in rows}
    assert "Llama 2" in by_id["llama"]["variants"].split(", ")  # a real family with a real variant
    assert by_id["qwen"]["variants"].split(", ") == sorted(by_id["qwen"]["variants"].split(", "))
    assert [r["papers"] for r in rows] == sorted((r["papers"] for r in rows), reverse=True)


def test_cli_query_name_on_sample_json(sample_graph_dir):
    import json

    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["query", "--name", "low-precision-hardware", "--param", "precision=FP8",
                                       "--format", "json", "--graph", str(sample_graph_dir)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["head"]["vars"] == ["hardware", "label", "papers", "titles"]
    rows = doc["results"]["bindings"]
    assert rows
    assert any(r["label"]["value"] == "H100" for r in rows)  # "FP8 vs. BF16 Training" runs on H100
    assert all(r["papers"]["datatype"].endswith("#integer") for r in rows)
