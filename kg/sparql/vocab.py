"""Prefixes and class IRIs the SPARQL stage declares for queries: the exporters' vocabulary."""
from __future__ import annotations

import pyoxigraph as ox

from kg.exporters.rdf import DEFAULT_BASE_IRI, prefixes as export_prefixes
from kg.exporters.vocab import KG_NAMESPACE

ENTITY_CLASSES = ("Method", "Model", "Dataset", "Hardware")
KG_CLASSES = {name: ox.NamedNode(KG_NAMESPACE + name) for name in ENTITY_CLASSES + ("Entity", "Paper")}


def prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The prefixes every kg query may use without declaring them (a query's own PREFIX wins):
    the standard ones, kg:, and paper:/entity: for the data under base_iri."""
    from kg.sparql.query import STANDARD_PREFIXES

    return {**STANDARD_PREFIXES, **export_prefixes(base_iri)}
