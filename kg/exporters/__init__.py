"""exporters stage: the assembled graph -> files other tools load (RDF, GraphML, GEXF, Neo4j).

Exporters are found by name in a registry (EXPORTERS); `write_export` writes one, `write_all`
every one into a directory under fixed file names. Every writer streams, writes to a temporary
file (or directory) renamed into place, and gives byte-identical output for the same graph.
The vocabulary is ontology/kg.ttl, mirrored by kg.exporters.vocab.KG.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from kg.errors import UnknownNameError
from kg.exporters.gexf import write_gexf
from kg.exporters.graphml import write_graphml
from kg.exporters.jsonld import write_jsonld
from kg.exporters.neo4j import write_neo4j_bundle
from kg.exporters.rdf import DEFAULT_BASE_IRI, check_base_iri, iter_triples, write_ntriples, write_turtle


@dataclass(frozen=True)
class Exporter:
    """A registered export format: its writer, the file name `write_all` uses, what it is for."""

    name: str
    write: Callable[..., int]
    file_name: str
    description: str
    unit: str = "triples"
    directory: bool = False


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", write_turtle, "kg.ttl", "RDF Turtle in the kg ontology (readable prefixes)"),
        Exporter("ntriples", write_ntriples, "kg.nt", "RDF N-Triples, one triple per line (canonical)"),
        Exporter("jsonld", write_jsonld, "kg.jsonld", "RDF as JSON-LD 1.1 with a prefix @context"),
        Exporter("graphml", write_graphml, "kg.graphml", "GraphML for Gephi, igraph, networkx, Neo4j APOC",
                 unit="nodes+edges"),
        Exporter("gexf", write_gexf, "kg.gexf", "GEXF 1.3 for Gephi (node type as partition attribute)",
                 unit="nodes+edges"),
        Exporter("neo4j", write_neo4j_bundle, "neo4j", "Neo4j bundle: CSV for neo4j-admin import, load.cypher",
                 unit="rows", directory=True),
    )
}


def get_exporter(fmt: str) -> Exporter:
    """The registered exporter called `fmt`, or UnknownNameError listing the available ones."""
    try:
        return EXPORTERS[fmt]
    except KeyError:
        raise UnknownNameError("export format", fmt, list(EXPORTERS), option="--format") from None


def write_export(graph: nx.MultiDiGraph, fmt: str, path: str | os.PathLike, *,
                 base_iri: str = DEFAULT_BASE_IRI) -> Path:
    """Write `graph` in format `fmt` to `path` (a directory for neo4j); return the path."""
    exporter = get_exporter(fmt)
    check_base_iri(base_iri)
    exporter.write(graph, path, base_iri=base_iri)
    return Path(path)


def write_all(graph: nx.MultiDiGraph, directory: str | os.PathLike, *,
              base_iri: str = DEFAULT_BASE_IRI) -> list[Path]:
    """Write every format into `directory` under its file name (kg.ttl, kg.graphml, neo4j/, ...)."""
    check_base_iri(base_iri)
    directory = Path(directory)
    return [write_export(graph, name, directory / e.file_name, base_iri=base_iri) for name, e in EXPORTERS.items()]


__all__ = ["DEFAULT_BASE_IRI", "EXPORTERS", "Exporter", "get_exporter", "iter_triples", "write_all", "write_export"]
