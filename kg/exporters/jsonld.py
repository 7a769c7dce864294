"""JSON-LD 1.1: the same triples as the Turtle export, with a readable @context.

One node object per subject in "@graph", one line each, in the Turtle order. Compact IRIs use
the same prefixes as Turtle (kg:, dcterms:, skos:, paper:, entity:, ...); typed literals are
written as {"@value": "...", "@type": "xsd:integer"} (never as JSON numbers, which JSON-LD would
read as xsd:double), plain strings as JSON strings. Streamed to a temporary file renamed into
place.
Not supported: framing, embedding qualified nodes inside their paper (they are top-level nodes).
"""
from __future__ import annotations

import os

import networkx as nx
import orjson

from kg.exporters._io import atomic_file
from kg.exporters.rdf import DEFAULT_BASE_IRI, IRI, RDF_NS, STRING, iter_subjects, prefixes


class _Compactor:
    """IRI -> compact IRI ("kg:Paper") when a prefix matches and the rest is not empty."""

    def __init__(self, prefix_map: dict[str, str]):
        self._namespaces = sorted(((ns, name) for name, ns in prefix_map.items()), key=lambda x: -len(x[0]))
        self._cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        short = self._cache.get(iri)
        if short is None:
            short = iri
            for ns, name in self._namespaces:
                if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                    short = f"{name}:{iri[len(ns):]}"
                    break
            if len(self._cache) < 200_000:
                self._cache[iri] = short
        return short


def node_object(subject: str, po, compact) -> dict:
    """One JSON-LD node object for a subject's (predicate, object, datatype) list."""
    node: dict = {"@id": compact(subject)}
    rdf_type = RDF_NS + "type"
    for p, o, datatype in po:
        if p == rdf_type and datatype is IRI:
            node.setdefault("@type", []).append(compact(o))
            continue
        if datatype is IRI:
            value = {"@id": compact(o)}
        elif datatype == STRING:
            value = o
        else:
            value = {"@value": o, "@type": compact(datatype)}
        key = compact(p)
        existing = node.get(key)
        if existing is None:
            node[key] = value
        elif isinstance(existing, list):
            existing.append(value)
        else:
            node[key] = [existing, value]
    if len(node.get("@type", ())) == 1:
        node["@type"] = node["@type"][0]
    return node


def write_jsonld(graph: nx.MultiDiGraph, path: str | os.PathLike, *, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write JSON-LD; return the number of triples."""
    prefix_map = prefixes(base_iri)
    compact = _Compactor(prefix_map)
    count = 0
    with atomic_file(path, "wb") as handle:
        context = orjson.dumps({"@context": prefix_map}, option=orjson.OPT_INDENT_2)
        handle.write(context[:-2] + b',\n  "@graph": [\n')
        parts: list[bytes] = []
        separator = b"    "
        for subject, po in iter_subjects(graph, base_iri=base_iri):
            count += len(po)
            parts.append(separator + orjson.dumps(node_object(subject, po, compact)))
            separator = b",\n    "
            if len(parts) >= 4096:
                handle.write(b"".join(parts))
                parts.clear()
        parts.append(b"\n  ]\n}\n")
        handle.write(b"".join(parts))
    return count
