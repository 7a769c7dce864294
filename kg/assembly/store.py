"""Persistence of the built graph: DIRECTORY/graph.json, deterministic and byte-identical.

Layout: {"format": "kg-graph", "version": 1, "graph": {...}, "nodes": [[key, {attrs}], ...],
"edges": [[source, target, relation, {attrs}], ...]}; nodes sorted by key, edges by (source,
target, relation), attribute keys sorted (orjson OPT_SORT_KEYS). Tuples become JSON arrays and
Mention records objects; load_graph turns them back, so a loaded graph equals the built one.
The file is written to a temporary file in the same directory and renamed into place.
Not supported: appending to a saved graph, other attribute value types than those in schema.py.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import networkx as nx
import orjson

from kg.errors import GraphNotFoundError, KGError
from kg.records import Mention

GRAPH_FILE = "graph.json"
FORMAT = "kg-graph"
VERSION = 1
# Attributes stored as tuples in memory (schema.py); everything else is a scalar.
_TUPLES_OF_TUPLES = {"links", "external_ids"}
_TUPLES = {"authors", "sources", "categories", "aliases", "via", "shared"}


def _jsonable(value):
    if isinstance(value, Mention):
        return {"text": value.text, "field": value.field, "start": value.start, "end": value.end,
                "sentence": value.sentence, "confidence": value.confidence}
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    return value


def _restore(attrs: dict) -> dict:
    for name, value in attrs.items():
        if not isinstance(value, list):
            continue
        if name == "mentions":
            attrs[name] = tuple(Mention(**m) for m in value)
        elif name in _TUPLES_OF_TUPLES:
            attrs[name] = tuple(tuple(v) for v in value)
        else:
            attrs[name] = tuple(value)
    return attrs


_OPTIONS = orjson.OPT_SORT_KEYS


def _node_items(graph: nx.MultiDiGraph):
    for key, attrs in sorted(graph.nodes(data=True), key=lambda item: item[0]):
        yield orjson.dumps([key, {k: _jsonable(v) for k, v in attrs.items()}], option=_OPTIONS)


def _edge_items(graph: nx.MultiDiGraph):
    for u, v, key in sorted(graph.edges(keys=True)):
        attrs = graph.edges[u, v, key]
        yield orjson.dumps([u, v, key, {k: _jsonable(val) for k, val in attrs.items()}], option=_OPTIONS)


def iter_graph_chunks(graph: nx.MultiDiGraph):
    """The serialized graph in pieces, one node or edge at a time (memory stays flat).

    Byte for byte what orjson.dumps(document, OPT_SORT_KEYS) gives, plus a final newline.
    """
    yield b'{"edges":['
    for i, item in enumerate(_edge_items(graph)):
        yield item if i == 0 else b"," + item
    yield b'],"format":' + orjson.dumps(FORMAT)
    yield b',"graph":' + orjson.dumps({k: _jsonable(v) for k, v in graph.graph.items()}, option=_OPTIONS)
    yield b',"nodes":['
    for i, item in enumerate(_node_items(graph)):
        yield item if i == 0 else b"," + item
    yield b'],"version":' + orjson.dumps(VERSION) + b"}\n"


def graph_to_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The serialized graph (what save_graph writes)."""
    return b"".join(iter_graph_chunks(graph))


def graph_from_bytes(data: bytes, source: str = GRAPH_FILE) -> nx.MultiDiGraph:
    """The graph back from graph_to_bytes output; KGError when it is not a kg graph."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise KGError(f"{source}: not a kg graph file ({err}). Rebuild it with `kg build`.") from err
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KGError(f"{source}: not a kg graph file. Rebuild it with `kg build`.")
    if document.get("version") != VERSION:
        raise KGError(f"{source}: graph format version {document.get('version')} is not {VERSION}. "
                      "Rebuild it with `kg build`.")
    graph = nx.MultiDiGraph(**_restore(document.get("graph", {})))
    graph.add_nodes_from((key, _restore(attrs)) for key, attrs in document["nodes"])
    graph.add_edges_from((u, v, key, _restore(attrs)) for u, v, key, attrs in document["edges"])
    return graph


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_graph(graph: nx.MultiDiGraph, directory: str | os.PathLike) -> Path:
    """Write DIRECTORY/graph.json (created if needed) atomically; returns its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / GRAPH_FILE
    fd, tmp = tempfile.mkstemp(prefix=f".{GRAPH_FILE}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            for chunk in iter_graph_chunks(graph):
                handle.write(chunk)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; a graph is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_graph(directory: str | os.PathLike) -> nx.MultiDiGraph:
    """The graph saved in DIRECTORY; GraphNotFoundError when there is none."""
    path = Path(directory) / GRAPH_FILE
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError) as err:
        raise GraphNotFoundError(str(directory)) from err
    return graph_from_bytes(data, str(path))
