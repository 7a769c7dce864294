"""The kg vocabulary as a closed rdflib namespace, mirroring ontology/kg.ttl term for term.

`KG.Paper` works, `KG.Papr` raises AttributeError (``_fail = True``), so a typo in an exporter
or a query helper fails at import time instead of minting an undeclared IRI. A test checks that
this class and the ontology declare the same terms.
"""
from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

KG_NAMESPACE = "https://kg.example.org/ontology#"


class KG(DefinedNamespace):
    """kg ontology: papers, the ML entities they mention, and how we know."""

    _fail = True
    _NS = Namespace(KG_NAMESPACE)

    # Classes
    Paper: URIRef
    Entity: URIRef
    Method: URIRef
    Model: URIRef
    Dataset: URIRef
    Hardware: URIRef
    Mention: URIRef
    Occurrence: URIRef
    Relatedness: URIRef
    BuildsOnLink: URIRef

    # Direct relations (graph edges)
    mentions: URIRef
    introduces: URIRef
    uses: URIRef
    evaluatesOn: URIRef
    trainsOn: URIRef
    fineTunes: URIRef
    runsOn: URIRef
    comparesWith: URIRef
    outperforms: URIRef
    variantOf: URIRef
    buildsOn: URIRef
    relatedTo: URIRef

    # Qualification links and qualified-node properties
    qualifiedMention: URIRef
    qualifiedRelatedness: URIRef
    qualifiedBuildsOn: URIRef
    paper: URIRef
    entity: URIRef
    relation: URIRef
    occurrence: URIRef
    relatedPaper: URIRef
    earlierPaper: URIRef
    sharedEntity: URIRef
    via: URIRef
    confidence: URIRef
    evidence: URIRef
    field: URIRef
    start: URIRef
    end: URIRef
    mentionCount: URIRef
    cue: URIRef
    position: URIRef
    surfaceForm: URIRef
    rank: URIRef
    score: URIRef
    entityScore: URIRef
    textScore: URIRef
    reason: URIRef

    # Paper and entity attributes
    upvotes: URIRef
    authorCount: URIRef
    author: URIRef
    sourceRecord: URIRef
    category: URIRef
    link: URIRef
    codeLink: URIRef
    projectLink: URIRef
    family: URIRef
    known: URIRef
    paperCount: URIRef
    externalId: URIRef
