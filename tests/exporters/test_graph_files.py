"""GraphML and GEXF: schema validity, read-back by networkx and igraph, what APOC and Gephi need,
and the one flattening function."""
from __future__ import annotations

import subprocess
import warnings

import networkx as nx
import pytest
from lxml import etree

from kg.exporters import _tabular as T
from kg.exporters import write_export
from kg.exporters.graphml import GRAPHML_NS, node_id
from kg.exporters.gexf import GEXF_NS
from kg.records import Mention

from .conftest import shared_schema, tool

G = f"{{{GRAPHML_NS}}}"


@pytest.fixture(scope="module")
def small_graphml(small_graph, tmp_path_factory):
    return write_export(small_graph, "graphml", tmp_path_factory.mktemp("graphml") / "kg.graphml")


@pytest.fixture(scope="module")
def small_gexf(small_graph, tmp_path_factory):
    return write_export(small_graph, "gexf", tmp_path_factory.mktemp("gexf") / "kg.gexf")


def xmllint_schema(path, *schema_parts):
    xmllint = tool("xmllint")
    schema = shared_schema(*schema_parts)
    return subprocess.run([xmllint, "--noout", "--schema", str(schema), str(path)], capture_output=True, text=True)


def read_igraph(path, fmt="graphml"):
    import igraph

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns when it drops something (e.g. a clashing `id`)
        return igraph.Graph.Read_GraphML(str(path))


@pytest.mark.parametrize("attrs, expected", [
    ({"a": None, "b": float("nan"), "c": "", "d": ()}, {}),
    ({"authors": ("Ada Lovelace", "Alan Turing")}, {"authors": "Ada Lovelace; Alan Turing"}),
    ({"links": (("https://github.com/NVlabs/COAT", "code"),)}, {"links": "https://github.com/NVlabs/COAT"}),
    ({"external_ids": (("pwc", "https://paperswithcode.com/method/dpo"),)},
     {"external_ids": "pwc:https://paperswithcode.com/method/dpo"}),
    ({"known": True, "paper_count": 3, "confidence": 0.9}, {"known": True, "paper_count": 3, "confidence": 0.9}),
    ({"mentions": (Mention("BF16", "abstract", 5, 9, "s", 0.9), Mention("BrainFloat16", "abstract", 1, 13, "s", 0.9),
                   Mention("BF16", "title", 0, 4, "t", 0.9))}, {"surface_forms": "BF16; BrainFloat16"}),
    ({"odd": {"x": 1}}, {}),
])
def test_scalar_attributes_table(attrs, expected):
    assert T.scalar_attributes(attrs) == expected


@pytest.mark.parametrize("rows, expected", [
    ([{"x": 1}, {"x": 2.5}], {"x": "double"}),
    ([{"x": 1}, {"x": "a"}], {"x": "string"}),
    ([{"x": True}, {"x": 1}], {"x": "string"}),
    ([{"x": 2**40}, {"x": 1}], {"x": "long"}),
    ([{"b": True}, {"a": 1}], {"a": "int", "b": "boolean"}),
])
def test_infer_types_one_type_per_name(rows, expected):
    assert T.infer_types(rows) == expected


@pytest.mark.parametrize("key, expected", [
    ("paper:2410.12345", "paper:2410.12345"), ("entity:c++", "entity:c_x002B__x002B_"),
    ("entity:tülu-3", "entity:tülu-3"),
])
def test_graphml_node_id_is_nmtoken(key, expected):
    assert node_id(key) == expected


def test_graphml_validates_against_xsd(small_graphml):
    result = xmllint_schema(small_graphml, "graphml", "graphml.xsd")
    assert result.returncode == 0, result.stderr


def test_graphml_read_back_networkx_and_igraph_same_counts(small_graph, small_graphml):
    back = nx.read_graphml(small_graphml)
    assert (back.number_of_nodes(), back.number_of_edges()) == (small_graph.number_of_nodes(),
                                                                  small_graph.number_of_edges())
    assert isinstance(back, nx.MultiDiGraph)
    ig = read_igraph(small_graphml)
    assert (ig.vcount(), ig.ecount()) == (small_graph.number_of_nodes(), small_graph.number_of_edges())
    assert sorted(ig.es["label"]) == sorted(k for _, _, k in small_graph.edges(keys=True))


def test_graphml_what_apoc_and_gephi_need(small_graph, small_graphml):
    root = etree.parse(str(small_graphml)).getroot()
    keys = {(k.get("for"), k.get("attr.name")): k for k in root.iter(G + "key")}
    assert keys[("node", "labels")].get("id") == "labels"
    assert keys[("edge", "label")].get("id") == "label"
    assert ("node", "label") in keys
    names = [(k.get("for"), k.get("attr.name")) for k in root.iter(G + "key")]
    assert len(names) == len(set(names))  # one declared type per attribute
    edges = list(root.iter(G + "edge"))
    assert len({e.get("id") for e in edges}) == len(edges) == small_graph.number_of_edges()
    for edge in edges:
        first = edge[0]
        assert first.get("key") == "label" and first.text in {"MENTIONS", "INTRODUCES", "USES", "EVALUATES_ON",
                                                             "TRAINS_ON", "FINE_TUNES", "RUNS_ON", "COMPARES_WITH",
                                                             "OUTPERFORMS", "VARIANT_OF", "BUILDS_ON", "RELATED_TO"}
    labels = {n.get("id"): n.find(f"{G}data[@key='labels']").text for n in root.iter(G + "node")}
    assert labels["paper:5ce413c7ba"] == ":Paper"
    assert labels["entity:tulu-3"] == ":Model:Entity"


def test_graphml_parallel_edges_kept_apart(small_graph, small_graphml):
    back = nx.read_graphml(small_graphml)
    u, v = "paper:5ce413c7ba", "entity:fp8"
    assert sorted(d["label"] for d in back.get_edge_data(u, v).values()) == sorted(small_graph.get_edge_data(u, v))


def test_gexf_validates_against_xsd(small_gexf):
    result = xmllint_schema(small_gexf, "gexf-1.3", "gexf.xsd")
    assert result.returncode == 0, result.stderr


def test_gexf_read_back_and_partition_attribute(small_graph, small_gexf):
    back = nx.read_gexf(small_gexf)
    assert (back.number_of_nodes(), back.number_of_edges()) == (small_graph.number_of_nodes(),
                                                                  small_graph.number_of_edges())
    root = etree.parse(str(small_gexf)).getroot()
    ns = f"{{{GEXF_NS}}}"
    titles = {a.get("title"): a.get("type") for a in root.find(f"{ns}graph").find(f"{ns}attributes")}
    assert titles["kind"] == "string"
    kinds = {d["kind"] for _, d in back.nodes(data=True)}
    assert kinds == {d["kind"] for _, d in small_graph.nodes(data=True)}
    edge_kinds = sorted(e.get("kind") for e in root.iter(f"{ns}edge"))
    assert edge_kinds == sorted(k for _, _, k in small_graph.edges(keys=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_byte_identical_twice(small_graph, tmp_path, fmt):
    assert write_export(small_graph, fmt, tmp_path / "a").read_bytes() == \
        write_export(small_graph, fmt, tmp_path / "b").read_bytes()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_drop_characters_xml_cannot_carry(small_graph, tmp_path, fmt):
    graph = small_graph.copy()
    graph.nodes["paper:5ce413c7ba"]["title"] = "COAT\x0b: a \x00title & <more>"
    path = write_export(graph, fmt, tmp_path / f"x.{fmt}")
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert back.nodes["paper:5ce413c7ba"]["title"] == "COAT: a title & <more>"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "turtle", "neo4j"])
def test_exports_do_not_depend_on_attribute_order(small_graph, tmp_path, fmt):
    """A graph reloaded from graph.json has its attribute keys sorted; the files must not change."""
    shuffled = nx.MultiDiGraph()
    for node, data in small_graph.nodes(data=True):
        shuffled.add_node(node, **dict(reversed(list(data.items()))))
    for u, v, k, data in small_graph.edges(keys=True, data=True):
        shuffled.add_edge(u, v, key=k, **dict(reversed(list(data.items()))))

    def files(path):
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())} if path.is_dir() else path.read_bytes()

    assert files(write_export(small_graph, fmt, tmp_path / "a")) == files(write_export(shuffled, fmt, tmp_path / "b"))
