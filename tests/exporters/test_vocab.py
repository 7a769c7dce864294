"""The closed vocabulary in kg/exporters/vocab.py and ontology/kg.ttl declare the same terms."""
from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.exporters.vocab import KG, KG_NAMESPACE
from kg.paths import ONTOLOGY_DIR

DECLARING_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")


def _declared(ontology: Graph) -> set[str]:
    return {
        str(s)[len(KG_NAMESPACE):]
        for t in DECLARING_TYPES
        for s in ontology.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(KG_NAMESPACE)
    }


def test_vocab_matches_ontology_terms(ontology):
    python_terms = set(KG.__annotations__)
    assert _declared(ontology) == python_terms


def test_vocab_every_kg_iri_in_ontology_is_declared(ontology):
    used = {
        str(t)[len(KG_NAMESPACE):]
        for t in ontology.all_nodes()
        if isinstance(t, URIRef) and str(t).startswith(KG_NAMESPACE)
    }
    assert used <= _declared(ontology)


def test_vocab_terms_have_label_and_comment(ontology):
    for name in KG.__annotations__:
        term = URIRef(KG_NAMESPACE + name)
        assert ontology.value(term, RDFS.label) is not None, name
        assert ontology.value(term, RDFS.comment) is not None, name


def test_vocab_unknown_term_raises():
    with pytest.raises(AttributeError):
        KG.Papr  # noqa: B018
