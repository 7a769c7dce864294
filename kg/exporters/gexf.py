"""GEXF 1.3 for Gephi: node type (`kind`) as a string attribute to partition and colour by,
parallel edges kept apart by their relation in the edge `kind` and `label`.

Attributes go through the same flattening as GraphML (_tabular: scalars only, lists joined with
"; ", None dropped, one declared type per attribute); the paper/entity id is `kg_id`. Written as
a stream of text to a temporary file renamed into place. No `lastmodifieddate`, so that the same
graph gives the same bytes.
Not supported: viz (colours, positions, sizes), dynamics, hierarchy.
"""
from __future__ import annotations

import os

import networkx as nx

from kg.exporters import _tabular as T
from kg.exporters._io import write_text_batched
from kg.exporters.graphml import edge_rows, node_rows

GEXF_NS = "http://gexf.net/1.3"
_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<gexf xmlns="{GEXF_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    f' xsi:schemaLocation="{GEXF_NS} http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
    "  <meta>\n    <creator>kg</creator>\n"
    "    <description>Papers and the ML methods, models, datasets and hardware they mention</description>\n"
    "  </meta>\n"
)
NODE_FIRST = ("kind", "kg_id", "labels")
# GraphML type names -> GEXF type names
_GEXF_TYPES = {T.BOOLEAN: "boolean", T.INT: "integer", T.LONG: "long", T.DOUBLE: "double", T.STRING: "string"}


def write_gexf(graph: nx.MultiDiGraph, path: str | os.PathLike, **_ignored) -> int:
    """Write the graph as GEXF 1.3; return the number of nodes plus edges written."""
    nodes = [(node, {k: v for k, v in row.items() if k != "label"}, row.get("label", ""))
             for node, row in node_rows(graph)]
    node_types = T.infer_types((row for _, row, _ in nodes), NODE_FIRST)
    edge_types = T.infer_types(({k: v for k, v in row.items() if k != "label"} for _, _, row in edge_rows(graph)))
    node_ids = {name: str(i) for i, name in enumerate(node_types)}
    edge_ids = {name: str(i) for i, name in enumerate(edge_types)}
    counter = [0]
    write_text_batched(_pieces(graph, nodes, node_types, edge_types, node_ids, edge_ids, counter), path)
    return counter[0]


def _pieces(graph, nodes, node_types, edge_types, node_ids, edge_ids, counter: list[int]):
    """The file's text in small pieces; counter[0] counts the nodes and edges written."""
    esc = T.escape_attribute
    yield _HEADER
    yield '  <graph defaultedgetype="directed" mode="static">\n'
    for cls, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
        yield f'    <attributes class="{cls}">\n'
        for name, t in types.items():
            yield f'      <attribute id="{ids[name]}" title="{esc(name)}" type="{_GEXF_TYPES[t]}"/>\n'
        yield "    </attributes>\n"
    yield f'    <nodes count="{len(nodes)}">\n'
    for node, row, label in nodes:
        yield f'      <node id="{esc(node)}" label="{esc(label)}">\n'
        yield from _attvalues(row, node_types, node_ids)
        yield "      </node>\n"
        counter[0] += 1
    yield "    </nodes>\n    <edges>\n"
    for i, (u, v, row) in enumerate(edge_rows(graph)):
        relation = row.pop("label")
        yield f'      <edge id="e{i}" source="{esc(u)}" target="{esc(v)}" kind="{relation}" label="{relation}">\n'
        yield from _attvalues(row, edge_types, edge_ids)
        yield "      </edge>\n"
        counter[0] += 1
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _attvalues(row: dict, types: dict, ids: dict) -> list[str]:
    values = [f'          <attvalue for="{ids[name]}" value="{T.escape_attribute(text)}"/>\n'
              for name, text in T.present_values(row, types)]
    return ["        <attvalues>\n", *values, "        </attvalues>\n"] if values else []
