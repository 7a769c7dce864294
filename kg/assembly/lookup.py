"""Reading a built graph: find papers and entities by what a user types, related lists, counts.

Pure functions over the graph (schema.py); the CLI formats what they return.
Matching is case-insensitive; an entity also matches with punctuation and spaces ignored
("llama31" finds "Llama 3.1"). Not supported: fuzzy matching, search in abstracts.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter, defaultdict

import networkx as nx

from kg.assembly.schema import (
    ENTITY_TYPES, INTRODUCES, MENTIONS, PAPER, PAPER_ENTITY_RELATIONS, RELATED_TO, VARIANT_OF,
    entity_node, paper_node,
)

TOP_ENTITIES = 5


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", _fold(text))


def find_papers(graph: nx.MultiDiGraph, query: str) -> list[str]:
    """Paper node keys for an id or a title fragment; one key when the id or a full title matches."""
    query = query.strip()
    for key in (query, paper_node(query)):
        if graph.nodes.get(key, {}).get("kind") == PAPER:
            return [key]
    folded = _fold(query)
    hits = [n for n, d in graph.nodes(data=True) if d.get("kind") == PAPER and folded in _fold(d.get("title", ""))]
    exact = [n for n in hits if _fold(graph.nodes[n]["title"]) == folded]
    return sorted(exact or hits)


def find_entities(graph: nx.MultiDiGraph, query: str) -> list[str]:
    """Entity node keys for an id, a label or an alias (exact, then case-insensitive, then squashed)."""
    query = query.strip()
    for key in (query, entity_node(query)):
        if graph.nodes.get(key, {}).get("kind") in ENTITY_TYPES:
            return [key]
    entities = [(n, d) for n, d in graph.nodes(data=True) if d.get("kind") in ENTITY_TYPES]
    for norm in (_fold, _squash):
        target = norm(query)
        if not target:
            continue
        labels = [n for n, d in entities if norm(d.get("label") or "") == target]
        if labels:
            return sorted(labels)
        aliases = [n for n, d in entities if any(norm(a) == target for a in d.get("aliases", ()))]
        if aliases:
            return sorted(aliases)
    return []


def suggest_entities(graph: nx.MultiDiGraph, query: str, limit: int = 5) -> list[str]:
    """Entity keys whose label contains the query, most-mentioned first (for "did you mean")."""
    folded = _fold(query.strip())
    hits = [(-d.get("paper_count", 0), n) for n, d in graph.nodes(data=True)
            if d.get("kind") in ENTITY_TYPES and folded and folded in _fold(d.get("label") or "")]
    return [n for _, n in sorted(hits)[:limit]]


def related_papers(graph: nx.MultiDiGraph, paper_key: str, k: int | None = None) -> list[tuple[str, dict]]:
    """(paper key, RELATED_TO attributes) of a paper, by rank; at most k."""
    edges = [(v, d) for _, v, key, d in graph.out_edges(paper_key, keys=True, data=True) if key == RELATED_TO]
    edges.sort(key=lambda e: (e[1]["rank"], e[0]))
    return edges if k is None else edges[:k]


def papers_by_relation(graph: nx.MultiDiGraph, entity_key: str) -> dict[str, list[str]]:
    """relation -> paper keys (sorted by date, then id) with that edge to the entity."""
    found: dict[str, list[str]] = defaultdict(list)
    for u, _, key in graph.in_edges(entity_key, keys=True):
        if key in PAPER_ENTITY_RELATIONS:
            found[key].append(u)
    order = {r: i for i, r in enumerate(PAPER_ENTITY_RELATIONS)}
    return {r: sorted(found[r], key=lambda n: (graph.nodes[n].get("date") or "", n))
            for r in sorted(found, key=order.__getitem__)}


def family(graph: nx.MultiDiGraph, entity_key: str) -> tuple[list[str], list[str]]:
    """(ancestors from the parent up, direct variants sorted) of an entity node."""
    ancestors, node, seen = [], entity_key, {entity_key}
    while True:
        parents = [v for _, v, key in graph.out_edges(node, keys=True) if key == VARIANT_OF and v not in seen]
        if not parents:
            break
        node = sorted(parents)[0]
        ancestors.append(node)
        seen.add(node)
    variants = sorted(u for u, _, key in graph.in_edges(entity_key, keys=True) if key == VARIANT_OF)
    return ancestors, variants


def _figures(values: list[int]) -> dict:
    if not values:
        return {"mean": 0.0, "median": 0.0, "max": 0, "zero": 0}
    return {"mean": round(statistics.fmean(values), 2), "median": statistics.median(values),
            "max": max(values), "zero": sum(1 for v in values if v == 0)}


def graph_stats(graph: nx.MultiDiGraph, top: int = TOP_ENTITIES) -> dict:
    """Counts of nodes by kind and edges by relation, top entities per type, degree figures."""
    nodes = Counter(d.get("kind") for _, d in graph.nodes(data=True))
    edges = Counter(key for _, _, key in graph.edges(keys=True))
    papers = [n for n, d in graph.nodes(data=True) if d.get("kind") == PAPER]
    entities_per_paper = [sum(1 for _, _, key in graph.out_edges(p, keys=True) if key == MENTIONS) for p in papers]
    typed_per_paper = [sum(1 for _, _, key in graph.out_edges(p, keys=True)
                           if key in PAPER_ENTITY_RELATIONS and key not in (MENTIONS, INTRODUCES)) for p in papers]
    counts = [d.get("paper_count", 0) for _, d in graph.nodes(data=True) if d.get("kind") in ENTITY_TYPES]
    top_entities = {}
    for etype in ENTITY_TYPES:
        ranked = sorted(((-d.get("paper_count", 0), d.get("label") or n, n) for n, d in graph.nodes(data=True)
                         if d.get("kind") == etype and d.get("paper_count", 0) > 0))
        top_entities[etype] = [(label, -neg) for neg, label, _ in ranked[:top]]
    return {
        "nodes": {kind: nodes.get(kind, 0) for kind in (PAPER,) + ENTITY_TYPES},
        "edges": dict(sorted(edges.items(), key=lambda item: (-item[1], item[0]))),
        "top_entities": top_entities,
        "entities_per_paper": _figures(entities_per_paper),
        "typed_relations_per_paper": _figures(typed_per_paper),
        "papers_per_entity": _figures(counts),
    }
