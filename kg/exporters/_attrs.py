"""Read node and edge attributes of the assembled graph (kg/assembly/schema.py) uniformly.

A graph fresh from build_graph holds tuples and kg.records objects; one reloaded from
graph.json may hold lists and dicts instead. Every exporter reads attributes through these
helpers so both look the same, and iterates nodes and edges in one sorted order so that the
same graph always gives byte-identical files.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import networkx as nx

from kg.assembly.schema import EDGE_TYPES, NODE_KINDS, PAPER
from kg.records import Mention

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*(\.[A-Z]{2})?/\d{7})(v\d+)?")
EDGE_ORDER = {name: i for i, name in enumerate(EDGE_TYPES)}


def sorted_nodes(graph: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    """Nodes with a known kind, papers first, each group by node key."""
    nodes = [(n, d) for n, d in graph.nodes(data=True) if d.get("kind") in NODE_KINDS]
    return sorted(nodes, key=lambda item: (item[1]["kind"] != PAPER, item[0]))


def sorted_out_edges(graph: nx.MultiDiGraph, node: str) -> list[tuple[str, str, dict]]:
    """(target, relation, attributes) of known relations, by relation order then target."""
    edges = [(v, k, d) for _, v, k, d in graph.out_edges(node, keys=True, data=True) if k in EDGE_ORDER]
    return sorted(edges, key=lambda e: (EDGE_ORDER[e[1]], e[0]))


def sorted_edges(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict]]:
    """All edges of known relations: by source (in sorted_nodes order), relation, target."""
    for node, _ in sorted_nodes(graph):
        for target, relation, data in sorted_out_edges(graph, node):
            yield node, target, relation, data


def text(value: Any) -> str | None:
    """A non-empty string or None."""
    if value is None:
        return None
    value = str(value)
    return value if value.strip() else None


def integer(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def decimal_lexical(value: float) -> str:
    """xsd:decimal lexical form of a float: shortest round-trip digits, no exponent, has a dot."""
    lexical = repr(float(value))
    if "e" in lexical or "E" in lexical:
        lexical = format(Decimal(lexical), "f")
    if "." not in lexical:
        lexical += ".0"
    return lexical


def iso_date(value: Any) -> str | None:
    value = text(value)
    return value if value is not None and _ISO_DATE.fullmatch(value) else None


def strings(value: Any) -> tuple[str, ...]:
    """A tuple of non-empty strings from a list/tuple (None and blanks dropped)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = (value,)
    return tuple(s for s in (text(v) for v in value) if s is not None)


def pairs(value: Any, first: str, second: str) -> tuple[tuple[str, str], ...]:
    """(a, b) pairs from tuples, lists, dicts or objects with attributes `first`/`second`."""
    out = []
    for item in value or ():
        if isinstance(item, dict):
            a, b = item.get(first), item.get(second)
        elif isinstance(item, (list, tuple)):
            a, b = (tuple(item) + (None, None))[:2]
        else:
            a, b = getattr(item, first, None), getattr(item, second, None)
        a = text(a)
        if a is not None:
            out.append((a, text(b) or ""))
    return tuple(out)


def links(value: Any) -> tuple[tuple[str, str], ...]:
    """(url, kind) pairs of a paper; kind defaults to "other"."""
    return tuple((url, kind or "other") for url, kind in pairs(value, "url", "kind"))


def external_ids(value: Any) -> tuple[tuple[str, str], ...]:
    return pairs(value, "scheme", "value")


def mentions(value: Any) -> tuple[Mention, ...]:
    """An edge's `mentions` (kg.records.Mention objects, dicts or lists) as Mention records."""
    fields = ("text", "field", "start", "end", "sentence", "confidence")
    out = []
    for item in value or ():
        if type(item) is Mention:
            out.append(item)
            continue
        if isinstance(item, dict):
            raw = [item.get(f) for f in fields]
        elif isinstance(item, (list, tuple)):
            raw = (list(item) + [None] * 6)[:6]
        else:
            raw = [getattr(item, f, None) for f in fields]
        out.append(Mention(
            text=text(raw[0]) or "", field=text(raw[1]) or "", start=integer(raw[2]) or 0,
            end=integer(raw[3]) or 0, sentence=text(raw[4]) or "", confidence=number(raw[5]) or 0.0,
        ))
    return tuple(out)


def arxiv_id(paper_id: str) -> str | None:
    return paper_id if _ARXIV_ID.fullmatch(paper_id) else None
