"""Prefixes and class IRIs the SPARQL stage declares for queries (the exporters' vocabulary)."""
from __future__ import annotations

import pyoxigraph as ox

from kg.exporters.vocab import KG_NAMESPACE

DEFAULT_BASE_IRI = "https://kg.example.org/id/"  # the exporters' default --base-iri (see ontology/kg.ttl)
ENTITY_CLASSES = ("Method", "Model", "Dataset", "Hardware")
KG_CLASSES = {name: ox.NamedNode(KG_NAMESPACE + name) for name in ENTITY_CLASSES + ("Entity", "Paper")}


def prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The prefixes every kg query may use without declaring them (a query's own PREFIX wins)."""
    from kg.sparql.query import STANDARD_PREFIXES

    return {
        **STANDARD_PREFIXES,
        "kg": KG_NAMESPACE,
        "schema": "https://schema.org/",
        "paper": base_iri + "paper/",
        "entity": base_iri + "entity/",
    }
