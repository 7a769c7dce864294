"""GraphML for Gephi, igraph, networkx and Neo4j APOC (`apoc.import.graphml(file, {readLabels: true})`).

What the readers need (checked against their sources, see ../shared/ECOSYSTEM.md):
- one <key> per attribute name and domain with one declared type (_tabular.infer_types), scalar
  values only (_tabular.scalar_attributes: lists joined with "; ", None dropped);
- node data `labels` (key id exactly "labels", value ":Paper" or ":Model:Entity") for APOC's
  node labels, and `label` (the title or entity label) that Gephi displays;
- every edge's first data element is key "label" = the relation (MENTIONS, USES, ...): APOC
  takes the relationship type from it, Gephi shows it; parallel edges stay distinct;
- unique edge ids e0, e1, ... in a fixed order; node ids are the graph's node keys
  ("paper:<id>", "entity:<id>"), with characters an XML NMTOKEN cannot hold written as _xHHHH_;
  the paper/entity id itself is the attribute `kg_id` (igraph and Gephi reserve `id`).

Written as a stream of text (no DOM), to a temporary file renamed into place.
Not supported: graph-level attributes, hyperedges, ports, nested graphs.
"""
from __future__ import annotations

import os
import re

import networkx as nx

from kg.exporters import _attrs as A
from kg.exporters import _tabular as T
from kg.exporters._io import write_text_batched

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<graphml xmlns="{GRAPHML_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    f' xsi:schemaLocation="{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
NODE_FIRST = ("labels", "label", "kind", "kg_id")
_NMTOKEN_BAD = re.compile(r"[^\w.:-]")


def node_id(node: str) -> str:
    """A GraphML node id (an XML NMTOKEN) for a graph node key."""
    return _NMTOKEN_BAD.sub(lambda m: f"_x{ord(m.group()):04X}_", node)


def node_rows(graph: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    rows = []
    for node, data in A.sorted_nodes(graph):
        row = {"labels": T.node_labels(data["kind"]), "label": T.display_label(data)}
        row.update(T.renamed(T.scalar_attributes(data), row))
        rows.append((node, row))
    return rows


def edge_rows(graph: nx.MultiDiGraph):
    for u, v, relation, data in A.sorted_edges(graph):
        row = {"label": relation}
        row.update((k, val) for k, val in T.scalar_attributes(data).items() if k != "label")
        yield u, v, row


def _key_id(domain: str, name: str) -> str:
    if (domain, name) in (("node", "labels"), ("edge", "label")):
        return name  # the ids APOC looks for
    return f"{domain[0]}_{_NMTOKEN_BAD.sub('_', name)}"


def write_graphml(graph: nx.MultiDiGraph, path: str | os.PathLike, **_ignored) -> int:
    """Write the graph as GraphML; return the number of nodes plus edges written."""
    nodes = node_rows(graph)
    node_types = T.infer_types((row for _, row in nodes), NODE_FIRST)
    edge_types = T.infer_types((row for _, _, row in edge_rows(graph)), ("label",))
    node_keys = {name: _key_id("node", name) for name in node_types}
    edge_keys = {name: _key_id("edge", name) for name in edge_types}
    counter = [0]
    write_text_batched(_pieces(graph, nodes, node_types, edge_types, node_keys, edge_keys, counter), path)
    return counter[0]


def _pieces(graph, nodes, node_types, edge_types, node_keys, edge_keys, counter: list[int]):
    """The file's text in small pieces; counter[0] counts the nodes and edges written."""
    yield _HEADER
    for domain, types, keys in (("node", node_types, node_keys), ("edge", edge_types, edge_keys)):
        for name, declared in types.items():
            yield (f'  <key id="{keys[name]}" for="{domain}" attr.name="{T.escape_attribute(name)}"'
                   f' attr.type="{declared}"/>\n')
    yield '  <graph id="kg" edgedefault="directed">\n'
    for node, row in nodes:
        yield f'    <node id="{T.escape_attribute(node_id(node))}">\n'
        yield from _data(row, node_types, node_keys)
        yield "    </node>\n"
        counter[0] += 1
    for i, (u, v, row) in enumerate(edge_rows(graph)):
        yield (f'    <edge id="e{i}" source="{T.escape_attribute(node_id(u))}"'
               f' target="{T.escape_attribute(node_id(v))}">\n')
        yield from _data(row, edge_types, edge_keys)
        yield "    </edge>\n"
        counter[0] += 1
    yield "  </graph>\n</graphml>\n"


def _data(row: dict, types: dict, keys: dict) -> list[str]:
    return [f'      <data key="{keys[name]}">{T.escape_text(text)}</data>\n'
            for name, text in T.present_values(row, types)]
