"""The graph as RDF in the kg ontology (ontology/kg.ttl): triples, Turtle and N-Triples writers.

One generator, `iter_statements`, walks the graph in a fixed order (papers then entities, each
subject's triples together, then its qualified nodes) and yields plain string tuples; the
writers format those directly (no term objects, ~1M triples/s), and `iter_triples` wraps them as
pyoxigraph Triples for stores. Same graph -> same order -> byte-identical files.

Every node gets a deterministic IRI under `base_iri` (no blank nodes); ids are percent-encoded
into one path segment each. The modelling note at the top of ontology/kg.ttl shows what a paper,
entity, mention and related-paper node look like.

Not supported: named graphs, RDF-star, language tags (all text is xsd:string); paper links whose
URL cannot be made a valid absolute IRI are skipped (logged); attributes that schema.py does not
list are not exported.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import quote

import networkx as nx
from pyoxigraph import Literal, NamedNode, Triple

from kg.assembly.schema import (
    BUILDS_ON, COMPARES_WITH, EVALUATES_ON, FINE_TUNES, INTRODUCES, MENTIONS, OUTPERFORMS, PAPER,
    PAPER_ENTITY_RELATIONS, RELATED_TO, RUNS_ON, TRAINS_ON, USES, VARIANT_OF, entity_node,
)
from kg.errors import KGError
from kg.exporters import _attrs as A
from kg.exporters._io import write_text_batched
from kg.exporters.vocab import KG, KG_NAMESPACE

log = logging.getLogger(__name__)

DEFAULT_BASE_IRI = "https://kg.example.org/id/"

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA_NS = "https://schema.org/"
OWL_NS = "http://www.w3.org/2002/07/owl#"
PROV_NS = "http://www.w3.org/ns/prov#"

VOCABULARY_PREFIXES = {
    "kg": KG_NAMESPACE, "rdf": RDF_NS, "rdfs": RDFS_NS, "xsd": XSD_NS, "dcterms": DCTERMS_NS,
    "skos": SKOS_NS, "schema": SCHEMA_NS, "owl": OWL_NS, "prov": PROV_NS,
}

RELATION_PROPERTIES = {
    MENTIONS: KG.mentions, INTRODUCES: KG.introduces, USES: KG.uses, EVALUATES_ON: KG.evaluatesOn,
    TRAINS_ON: KG.trainsOn, FINE_TUNES: KG.fineTunes, RUNS_ON: KG.runsOn,
    COMPARES_WITH: KG.comparesWith, OUTPERFORMS: KG.outperforms, VARIANT_OF: KG.variantOf,
    BUILDS_ON: KG.buildsOn, RELATED_TO: KG.relatedTo,
}
KIND_CLASSES = {"Paper": KG.Paper, "Method": KG.Method, "Model": KG.Model, "Dataset": KG.Dataset,
                "Hardware": KG.Hardware}

# A statement is (subject IRI, predicate IRI, object, datatype): datatype None means the object
# is an IRI, "" a plain string literal, anything else the literal's datatype IRI.
Statement = tuple[str, str, str, "str | None"]
Block = tuple[str, list[tuple[str, str, "str | None"]]]
IRI = None
STRING = ""
XSD_INTEGER = XSD_NS + "integer"
XSD_DECIMAL = XSD_NS + "decimal"
XSD_DATE = XSD_NS + "date"
XSD_BOOLEAN = XSD_NS + "boolean"

_LINK_ORDER = {"code": 0, "project": 1}
# Characters that may stay as they are in a URL taken from the corpus; the rest is %-encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def data_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """Prefixes for the data IRIs under `base_iri`."""
    return {"paper": base_iri + "paper/", "entity": base_iri + "entity/"}


def prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """All prefixes an export declares, vocabulary first."""
    return {**VOCABULARY_PREFIXES, **data_prefixes(base_iri)}


def check_base_iri(base_iri: str) -> str:
    """Return `base_iri` if it is an absolute IRI ending in / or #, else raise KGError."""
    problem = None
    try:
        NamedNode(base_iri)
    except ValueError as err:
        problem = str(err)
    if problem is None and not (_ABSOLUTE.match(base_iri) and base_iri.endswith(("/", "#"))):
        problem = "it must be absolute and end with / or #"
    if problem is not None:
        raise KGError(f"Invalid base IRI '{base_iri}': {problem}. Try --base-iri {DEFAULT_BASE_IRI}")
    return base_iri


@lru_cache(maxsize=1 << 16)
def segment(value: str) -> str:
    """One IRI path segment: everything but RFC 3986 unreserved characters percent-encoded."""
    return quote(value, safe="-._~")


def relation_segment(relation: str) -> str:
    return relation.lower().replace("_", "-")


def paper_iri(paper_id: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    return f"{base_iri}paper/{segment(paper_id)}"


def entity_iri(entity_id: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    return f"{base_iri}entity/{segment(entity_id)}"


def mention_iri(paper_id: str, relation: str, entity_id: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    return f"{base_iri}mention/{segment(paper_id)}/{relation_segment(relation)}/{segment(entity_id)}"


def occurrence_iri(paper_id: str, entity_id: str, position: int, base_iri: str = DEFAULT_BASE_IRI) -> str:
    return f"{mention_iri(paper_id, MENTIONS, entity_id, base_iri)}/{position}"


def related_iri(paper_id: str, other_id: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    return f"{base_iri}related/{segment(paper_id)}/{segment(other_id)}"


def builds_on_iri(paper_id: str, earlier_id: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    return f"{base_iri}builds-on/{segment(paper_id)}/{segment(earlier_id)}"


def url_iri(url: str) -> str | None:
    """A URL from the corpus as an absolute IRI, percent-encoding what IRIs forbid; else None."""
    iri = quote(url.strip(), safe=_URL_SAFE)
    try:
        NamedNode(iri)
    except ValueError:
        iri = None
    if iri is None or not _ABSOLUTE.match(iri):
        log.info("skipping a link that is not a valid absolute IRI: %r", url)
        return None
    return iri


def _node_id(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("id") or node.split(":", 1)[1])


def iter_subjects(graph: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[Block]:
    """Yield (subject IRI, [(predicate, object, datatype), ...]) blocks, one per subject."""
    check_base_iri(base_iri)
    a = RDF_NS + "type"
    k = KG_NAMESPACE
    relation_iri = {rel: str(iri) for rel, iri in RELATION_PROPERTIES.items()}
    kind_class = {kind: str(iri) for kind, iri in KIND_CLASSES.items()}
    iris: dict[str, str] = {}

    def node_iri(node: str) -> str:
        iri = iris.get(node)
        if iri is None:
            make = paper_iri if graph.nodes[node].get("kind") == PAPER else entity_iri
            iri = iris[node] = make(_node_id(graph, node), base_iri)
        return iri

    def entity_ref(entity_id: str) -> str:
        node = entity_node(entity_id)
        return node_iri(node) if node in graph else entity_iri(entity_id, base_iri)

    for node, data in A.sorted_nodes(graph):
        s = node_iri(node)
        ident = _node_id(graph, node)
        kind = data["kind"]
        edges = A.sorted_out_edges(graph, node)
        if kind == PAPER:
            po = _paper_block(ident, data)
        else:
            po = [(a, kind_class[kind], IRI), (a, k + "Entity", IRI)]
            _entity_block(po, ident, data, base_iri)
        add = po.append
        for target, relation, _ in edges:
            add((relation_iri[relation], node_iri(target), IRI))
        if kind != PAPER:
            yield s, po
            continue
        qualified = []
        for target, relation, attrs in edges:
            target_id = _node_id(graph, target)
            if relation in PAPER_ENTITY_RELATIONS:
                q = mention_iri(ident, relation, target_id, base_iri)
                add((k + "qualifiedMention", q, IRI))
            elif relation == RELATED_TO:
                q = related_iri(ident, target_id, base_iri)
                add((k + "qualifiedRelatedness", q, IRI))
            elif relation == BUILDS_ON:
                q = builds_on_iri(ident, target_id, base_iri)
                add((k + "qualifiedBuildsOn", q, IRI))
            else:
                continue
            qualified.append((q, target, relation, attrs))
        yield s, po
        for q, target, relation, attrs in qualified:
            o = node_iri(target)
            if relation in PAPER_ENTITY_RELATIONS:
                yield from _mention_blocks(q, s, o, relation, attrs, relation_iri[relation])
            elif relation == RELATED_TO:
                qo = [(a, k + "Relatedness", IRI), (k + "paper", s, IRI), (k + "relatedPaper", o, IRI)]
                if (rank := A.integer(attrs.get("rank"))) is not None:
                    qo.append((k + "rank", str(rank), XSD_INTEGER))
                for key, name in (("score", "score"), ("entity_score", "entityScore"), ("text_score", "textScore")):
                    if (value := A.number(attrs.get(key))) is not None:
                        qo.append((k + name, A.decimal_lexical(value), XSD_DECIMAL))
                if (reason := A.text(attrs.get("reason"))) is not None:
                    qo.append((k + "reason", reason, STRING))
                for shared in A.strings(attrs.get("shared")):
                    qo.append((k + "sharedEntity", entity_ref(shared), IRI))
                yield q, qo
            else:
                qo = [(a, k + "BuildsOnLink", IRI), (k + "paper", s, IRI), (k + "earlierPaper", o, IRI)]
                for via in A.strings(attrs.get("via")):
                    qo.append((k + "via", entity_ref(via), IRI))
                yield q, qo


def iter_statements(graph: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[Statement]:
    """Yield the graph as (subject, predicate, object, datatype) string tuples (see Statement)."""
    for s, po in iter_subjects(graph, base_iri=base_iri):
        for p, o, datatype in po:
            yield s, p, o, datatype


def _paper_block(ident: str, data: dict) -> list:
    k = KG_NAMESPACE
    po = [(RDF_NS + "type", k + "Paper", IRI), (DCTERMS_NS + "identifier", ident, STRING)]
    add = po.append
    if (title := A.text(data.get("title"))) is not None:
        add((RDFS_NS + "label", title, STRING))
        add((DCTERMS_NS + "title", title, STRING))
    if (abstract := A.text(data.get("abstract"))) is not None:
        add((DCTERMS_NS + "abstract", abstract, STRING))
    if (date := A.iso_date(data.get("date"))) is not None:
        add((DCTERMS_NS + "issued", date, XSD_DATE))
    if (upvotes := A.integer(data.get("upvotes"))) is not None:
        add((k + "upvotes", str(upvotes), XSD_INTEGER))
    if (count := A.integer(data.get("author_count"))) is not None:
        add((k + "authorCount", str(count), XSD_INTEGER))
    for author in A.strings(data.get("authors")):
        add((k + "author", author, STRING))
    link_predicate = {"code": k + "codeLink", "project": k + "projectLink"}
    for url, kind in sorted(A.links(data.get("links")), key=lambda link: (_LINK_ORDER.get(link[1], 2), link[0])):
        if (iri := url_iri(url)) is not None:
            add((link_predicate.get(kind, k + "link"), iri, IRI))
    for source in A.strings(data.get("sources")):
        add((k + "sourceRecord", source, STRING))
    for category in A.strings(data.get("categories")):
        add((k + "category", category, STRING))
    if (arxiv := A.arxiv_id(ident)) is not None:
        add((SCHEMA_NS + "sameAs", "https://arxiv.org/abs/" + arxiv, IRI))
    return po


def _entity_block(po: list, ident: str, data: dict, base_iri: str) -> None:
    k = KG_NAMESPACE
    add = po.append
    add((DCTERMS_NS + "identifier", ident, STRING))
    if (label := A.text(data.get("label"))) is not None:
        add((SKOS_NS + "prefLabel", label, STRING))
        add((RDFS_NS + "label", label, STRING))
    for alias in A.strings(data.get("aliases")):
        if alias != label:
            add((SKOS_NS + "altLabel", alias, STRING))
    if (description := A.text(data.get("description"))) is not None:
        add((DCTERMS_NS + "description", description, STRING))
    if (family := A.text(data.get("family"))) is not None and family != ident:
        add((k + "family", entity_iri(family, base_iri), IRI))
    if (known := data.get("known")) is not None:
        add((k + "known", "true" if known else "false", XSD_BOOLEAN))
    if (count := A.integer(data.get("paper_count"))) is not None:
        add((k + "paperCount", str(count), XSD_INTEGER))
    others = []
    for scheme, value in A.external_ids(data.get("external_ids")):
        if value.startswith(("http://", "https://")) and (iri := url_iri(value)) is not None:
            add((SCHEMA_NS + "sameAs", iri, IRI))
        elif scheme.lower() == "wikidata" and value[:1] == "Q" and value[1:].isdigit():
            add((SCHEMA_NS + "sameAs", "http://www.wikidata.org/entity/" + value, IRI))
        elif value:
            others.append(f"{scheme}:{value}")
    for other in others:
        add((k + "externalId", other, STRING))


_OCCURRENCE = (RDF_NS + "type", KG_NAMESPACE + "Occurrence", IRI)
_P = {name: KG_NAMESPACE + name for name in ("position", "surfaceForm", "field", "start", "end", "evidence",
                                               "confidence", "occurrence")}


def _mention_blocks(q: str, s: str, o: str, relation: str, attrs: dict, relation_iri: str) -> Iterator[Block]:
    k = KG_NAMESPACE
    po = [(RDF_NS + "type", k + "Mention", IRI), (k + "paper", s, IRI), (k + "entity", o, IRI),
          (k + "relation", relation_iri, IRI)]
    add = po.append
    if (confidence := A.number(attrs.get("confidence"))) is not None:
        add((k + "confidence", A.decimal_lexical(confidence), XSD_DECIMAL))
    if (evidence := A.text(attrs.get("evidence"))) is not None:
        add((k + "evidence", evidence, STRING))
    if (field := A.text(attrs.get("field"))) is not None:
        add((k + "field", field, STRING))
    for key in ("start", "end"):
        if (value := A.integer(attrs.get(key))) is not None:
            add((k + key, str(value), XSD_INTEGER))
    if (cue := A.text(attrs.get("cue"))) is not None:
        add((k + "cue", cue, STRING))
    if relation != MENTIONS:
        yield q, po
        return
    occurrences = A.mentions(attrs.get("mentions"))
    count = A.integer(attrs.get("mention_count"))
    if count is None and occurrences:
        count = len(occurrences)
    if count is not None:
        add((k + "mentionCount", str(count), XSD_INTEGER))
    nodes = [f"{q}/{n}" for n in range(1, len(occurrences) + 1)]
    occurrence = _P["occurrence"]
    po.extend((occurrence, node, IRI) for node in nodes)
    yield q, po
    P = _P
    decimal = A.decimal_lexical
    for n, (node, m) in enumerate(zip(nodes, occurrences), start=1):
        block = [_OCCURRENCE, (P["position"], str(n), XSD_INTEGER), (P["surfaceForm"], m.text, STRING),
                 (P["field"], m.field, STRING), (P["start"], str(m.start), XSD_INTEGER),
                 (P["end"], str(m.end), XSD_INTEGER)]
        if m.sentence:
            block.append((P["evidence"], m.sentence, STRING))
        block.append((P["confidence"], decimal(m.confidence), XSD_DECIMAL))
        yield node, block


def iter_triples(graph: nx.MultiDiGraph, *, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[Triple]:
    """Yield the graph as pyoxigraph Triples, in the order the files are written.

    To fill a store: ``store.extend(Quad(t.subject, t.predicate, t.object) for t in ...)``.
    """
    nodes: dict[str, NamedNode] = {}

    def named(iri: str) -> NamedNode:
        node = nodes.get(iri)
        if node is None:
            node = NamedNode(iri)
            if len(nodes) < 200_000:  # predicates, classes, entities repeat; keep memory bounded
                nodes[iri] = node
        return node

    for s, p, o, datatype in iter_statements(graph, base_iri=base_iri):
        if datatype is IRI:
            obj = named(o)
        elif datatype == STRING:
            obj = Literal(o)
        else:
            obj = Literal(o, datatype=named(datatype))
        yield Triple(named(s), named(p), obj)


# ---------------------------------------------------------------- text formatting

_ESCAPES = {i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F)}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
# A prefixed name's local part we write unescaped: ASCII PN_LOCAL without backslash escapes.
_LOCAL_NAME = re.compile(r"[A-Za-z0-9_:](?:[A-Za-z0-9_.:-]*[A-Za-z0-9_:-])?")
_TURTLE_INTEGER = re.compile(r"[+-]?[0-9]+")
_TURTLE_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")


def quote_literal(value: str) -> str:
    """A double-quoted N-Triples/Turtle string (canonical N-Triples escapes)."""
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"'


def iter_ntriples_chunks(blocks, counter: list[int] | None = None) -> Iterator[str]:
    """N-Triples text in chunks of many lines; counter[0] counts the triples."""
    needs_escape = _NEEDS_ESCAPE.search
    escapes = _ESCAPES
    lines: list[str] = []
    append = lines.append
    n = 0
    for s, po in blocks:
        n += len(po)
        s = f"<{s}> <"
        for p, o, datatype in po:
            if datatype is IRI:
                append(f"{s}{p}> <{o}> .\n")
            else:
                if needs_escape(o):
                    o = o.translate(escapes)
                if datatype == STRING:
                    append(f'{s}{p}> "{o}" .\n')
                else:
                    append(f'{s}{p}> "{o}"^^<{datatype}> .\n')
        if len(lines) >= 8192:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)
    if counter is not None:
        counter[0] = n


class _Abbreviator:
    """Turns IRIs into prefixed names where the local part needs no escaping, caching results."""

    def __init__(self, prefix_map: dict[str, str]):
        # Longest namespace first so that a namespace inside another wins.
        self._namespaces = sorted(((ns, name) for name, ns in prefix_map.items()), key=lambda x: -len(x[0]))
        self._cache: dict[str, str] = {RDF_NS + "type": "a"}

    def __call__(self, iri: str) -> str:
        short = self._cache.get(iri)
        if short is not None:
            return short
        short = f"<{iri}>"
        for ns, name in self._namespaces:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if local == "" or _LOCAL_NAME.fullmatch(local):
                    short = f"{name}:{local}"
                break
        if len(self._cache) < 200_000:
            self._cache[iri] = short
        return short

    def object(self, o: str, datatype: str | None) -> str:
        if datatype is IRI:
            short = self(o)
            return short if short != "a" else f"<{o}>"
        if datatype == STRING:
            return quote_literal(o)
        if datatype == XSD_INTEGER and _TURTLE_INTEGER.fullmatch(o):
            return o
        if datatype == XSD_DECIMAL and _TURTLE_DECIMAL.fullmatch(o):
            return o
        if datatype == XSD_BOOLEAN and o in ("true", "false"):
            return o
        return f"{quote_literal(o)}^^{self(datatype)}"


def turtle_header(prefix_map: dict[str, str]) -> str:
    return "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in prefix_map.items()) + "\n"


def iter_turtle_chunks(blocks, prefix_map: dict[str, str], counter: list[int] | None = None) -> Iterator[str]:
    """Turtle text: the prefixes, then one block per subject (`;` between predicates, `,` between
    consecutive objects of one predicate). counter[0] counts the triples."""
    short = _Abbreviator(prefix_map)
    cached = short._cache.get
    obj = short.object
    needs_escape = _NEEDS_ESCAPE.search
    escapes = _ESCAPES
    rdf_type = f"<{RDF_NS}type>"
    bare = (XSD_INTEGER, XSD_DECIMAL)
    next_predicate = " ;\n    "
    yield turtle_header(prefix_map)
    parts: list[str] = []
    append = parts.append
    n = 0
    for s, po in blocks:
        n += len(po)
        append(cached(s) or short(s))
        predicate = None
        for p, o, datatype in po:
            if datatype == STRING:
                if needs_escape(o):
                    o = o.translate(escapes)
                o = f'"{o}"'
            elif datatype is IRI:
                o = cached(o) or short(o)
                if o == "a":
                    o = rdf_type
            elif datatype not in bare:
                o = obj(o, datatype)
            # else: an integer or decimal that iter_subjects wrote in canonical form, bare in Turtle
            if p == predicate:
                append(f" ,\n        {o}")
            else:
                append(f"{' ' if predicate is None else next_predicate}{cached(p) or short(p)} {o}")
                predicate = p
        append(" .\n")
        if len(parts) >= 8192:
            yield "".join(parts)
            parts.clear()
    yield "".join(parts)
    if counter is not None:
        counter[0] = n


def write_turtle(graph: nx.MultiDiGraph, path: str | os.PathLike, *, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write Turtle with readable prefixes, streaming; return the number of triples."""
    counter = [0]
    chunks = iter_turtle_chunks(iter_subjects(graph, base_iri=base_iri), prefixes(base_iri), counter)
    write_text_batched(chunks, path, batch=1)  # the chunks are already large
    return counter[0]


def write_ntriples(graph: nx.MultiDiGraph, path: str | os.PathLike, *, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write canonical N-Triples, streaming; return the number of triples."""
    counter = [0]
    write_text_batched(iter_ntriples_chunks(iter_subjects(graph, base_iri=base_iri), counter), path, batch=1)
    return counter[0]
