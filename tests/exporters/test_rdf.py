"""RDF exports (Turtle, N-Triples, JSON-LD) on the small contract graph: IRIs, literals, parsers,
round trips, SHACL, determinism, atomic writes."""
from __future__ import annotations

import subprocess

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.assembly import schema as S
from kg.errors import KGError
from kg.exporters import _attrs, write_export
from kg.exporters import rdf
from kg.exporters.rdf import DEFAULT_BASE_IRI, iter_triples
from kg.exporters.vocab import KG

from .conftest import run_shacl, tool

RDF_FORMATS = {"turtle": ("kg.ttl", ox.RdfFormat.TURTLE, "turtle"),
               "ntriples": ("kg.nt", ox.RdfFormat.N_TRIPLES, "ntriples"),
               "jsonld": ("kg.jsonld", ox.RdfFormat.JSON_LD, "json-ld")}


@pytest.fixture(scope="module")
def small_files(small_graph, tmp_path_factory):
    directory = tmp_path_factory.mktemp("small-rdf")
    return {fmt: write_export(small_graph, fmt, directory / name) for fmt, (name, _, _) in RDF_FORMATS.items()}


def _oxi(path, fmt) -> set:
    return {q.triple for q in ox.parse(path=str(path), format=RDF_FORMATS[fmt][1])}


@pytest.mark.parametrize("value, expected", [
    ("2410.12345", "2410.12345"),
    ("hep-th/9901001", "hep-th%2F9901001"),
    ("c++ library", "c%2B%2B%20library"),
    ("TÜLU 3", "T%C3%9CLU%203"),
    ("llama-3.1_8b~x", "llama-3.1_8b~x"),
])
def test_segment_percent_encodes_everything_but_unreserved(value, expected):
    assert rdf.segment(value) == expected
    ox.NamedNode(rdf.paper_iri(value))  # a valid IRI


@pytest.mark.parametrize("value, expected", [
    (0.9, "0.9"), (1.0, "1.0"), (0, "0.0"), (1e-05, "0.00001"), (2.5e-07, "0.00000025"), (123456.5, "123456.5"),
    (-0.25, "-0.25"), (1e22, "10000000000000000000000.0"),
])
def test_decimal_lexical_is_valid_xsd_decimal(value, expected):
    assert _attrs.decimal_lexical(value) == expected


@pytest.mark.parametrize("base", ["https://example.org/kg/", "urn:kg:", "http://example.org/data#"])
def test_check_base_iri_accepts(base):
    if base == "urn:kg:":
        with pytest.raises(KGError, match="end with / or #"):
            rdf.check_base_iri(base)
    else:
        assert rdf.check_base_iri(base) == base


@pytest.mark.parametrize("base", ["example.org/kg/", "https://example.org/kg", "https://exa mple.org/"])
def test_check_base_iri_rejects_with_hint(base):
    with pytest.raises(KGError, match="Try --base-iri"):
        rdf.check_base_iri(base)


def test_iter_triples_no_blank_nodes_and_typed_literals(small_graph):
    triples = list(iter_triples(small_graph))
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
    by_predicate = {}
    for t in triples:
        by_predicate.setdefault(t.predicate.value, set()).add(
            t.object.datatype.value if isinstance(t.object, ox.Literal) else "IRI")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert by_predicate[str(KG.confidence)] == {xsd + "decimal"}
    assert by_predicate[str(KG.start)] == {xsd + "integer"}
    assert by_predicate[str(KG.rank)] == {xsd + "integer"}
    assert by_predicate[str(KG.known)] == {xsd + "boolean"}
    assert by_predicate["http://purl.org/dc/terms/issued"] == {xsd + "date"}


def test_iter_triples_direct_triple_and_qualified_mention(small_graph):
    triples = set(iter_triples(small_graph))
    for u, v, relation in small_graph.edges(keys=True):
        if relation not in S.PAPER_ENTITY_RELATIONS:
            continue
        paper, entity = (ox.NamedNode(rdf.paper_iri(small_graph.nodes[u]["id"])),
                         ox.NamedNode(rdf.entity_iri(small_graph.nodes[v]["id"])))
        prop = ox.NamedNode(str(rdf.RELATION_PROPERTIES[relation]))
        mention = ox.NamedNode(rdf.mention_iri(small_graph.nodes[u]["id"], relation, small_graph.nodes[v]["id"]))
        assert ox.Triple(paper, prop, entity) in triples
        assert ox.Triple(paper, ox.NamedNode(str(KG.qualifiedMention)), mention) in triples
        assert ox.Triple(mention, ox.NamedNode(str(KG.relation)), prop) in triples
        evidence = small_graph.edges[u, v, relation]["evidence"]
        assert ox.Triple(mention, ox.NamedNode(str(KG.evidence)), ox.Literal(evidence)) in triples


def test_iter_triples_occurrences_follow_mentions(small_graph):
    triples = set(iter_triples(small_graph))
    u, v = S.paper_node("5ce413c7ba"), S.entity_node("bf16")
    mentions = small_graph.edges[u, v, S.MENTIONS]["mentions"]
    for n, m in enumerate(mentions, start=1):
        node = ox.NamedNode(f"{rdf.mention_iri('5ce413c7ba', S.MENTIONS, 'bf16')}/{n}")
        assert ox.Triple(node, ox.NamedNode(str(KG.surfaceForm)), ox.Literal(m.text)) in triples
        xsd_int = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        assert ox.Triple(node, ox.NamedNode(str(KG.start)), ox.Literal(str(m.start), datatype=xsd_int)) in triples


def test_iter_triples_base_iri_changes_every_data_iri(small_graph):
    base = "https://example.org/other/"
    subjects = {t.subject.value for t in iter_triples(small_graph, base_iri=base)}
    assert subjects and all(s.startswith(base) for s in subjects)


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_rdf_exports_same_triples_as_iter_triples(small_graph, small_files, fmt):
    assert _oxi(small_files[fmt], fmt) == set(iter_triples(small_graph))


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_rdf_exports_rdflib_round_trip_isomorphic(small_files, fmt):
    reference = Graph().parse(small_files["ntriples"], format="nt")
    assert isomorphic(Graph().parse(small_files[fmt], format=RDF_FORMATS[fmt][2]), reference)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_rdf_exports_accepted_by_rapper(small_files, fmt):
    rapper = tool("rapper")
    result = subprocess.run([rapper, "-i", fmt, "-c", str(small_files[fmt])], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"returned {len(_oxi(small_files[fmt], fmt))} triples" in result.stderr


def test_turtle_uses_readable_prefixes(small_files):
    text = small_files["turtle"].read_text(encoding="utf-8")
    assert text.startswith("@prefix kg: <https://kg.example.org/ontology#> .\n")
    assert "\npaper:5ce413c7ba a kg:Paper ;\n" in text
    assert "kg:uses entity:fp8" in text


def test_jsonld_has_context_and_typed_values(small_files):
    import json

    document = json.loads(small_files["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"]["kg"] == "https://kg.example.org/ontology#"
    paper = next(n for n in document["@graph"] if n["@id"] == "paper:d38e362e52")
    assert paper["@type"] == "kg:Paper"
    assert paper["dcterms:issued"] == {"@value": "2024-11-22", "@type": "xsd:date"}
    assert paper["kg:upvotes"] == {"@value": "3", "@type": "xsd:integer"}


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_rdf_exports_conform_to_shapes(small_files, fmt):
    conforms, text = run_shacl(Graph().parse(small_files[fmt], format=RDF_FORMATS[fmt][2]))
    assert conforms, text


@pytest.mark.parametrize("drop, component", [
    (("qualifiedMention", None), "SPARQLConstraintComponent"),  # direct triple without its Mention link
    (("evidence", "integer"), "DatatypeConstraintComponent"),  # a wrongly typed literal
    (("type-entity", None), "ClassConstraintComponent"),  # an entity without its kg:Entity type
])
def test_shapes_catch_broken_data(small_files, drop, component):
    graph = Graph().parse(small_files["ntriples"], format="nt")

    kg = "https://kg.example.org/ontology#"
    name, how = drop
    if name == "type-entity":
        graph.remove((URIRef(rdf.entity_iri("fp8")), RDF.type, URIRef(kg + "Entity")))
    else:
        s, p, o = next(iter(graph.triples((None, URIRef(kg + name), None))))
        graph.remove((s, p, o))
        if how == "integer":
            graph.add((s, p, Literal("7", datatype=XSD.integer)))
    conforms, text = run_shacl(graph)
    assert not conforms
    assert component in text


@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
def test_rdf_exports_byte_identical_twice(small_graph, tmp_path, fmt):
    first = write_export(small_graph, fmt, tmp_path / "a").read_bytes()
    second = write_export(small_graph, fmt, tmp_path / "b").read_bytes()
    assert first == second


def test_interrupted_export_keeps_previous_file(small_graph, tmp_path, monkeypatch):
    target = tmp_path / "kg.ttl"
    target.write_text("previous\n")

    original = rdf.iter_subjects

    def failing(*args, **kwargs):
        yield from list(original(*args, **kwargs))[:3]
        raise KeyboardInterrupt

    monkeypatch.setattr(rdf, "iter_subjects", failing)
    with pytest.raises(KeyboardInterrupt):
        write_export(small_graph, "turtle", target)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_default_base_iri_is_the_documented_one():
    from kg.paths import ONTOLOGY_DIR

    assert DEFAULT_BASE_IRI in (ONTOLOGY_DIR / "kg.ttl").read_text(encoding="utf-8")


def test_categories_and_cue_exported(small_graph, tmp_path):
    graph = small_graph.copy()
    paper, entity = S.paper_node("af63364d46"), S.entity_node("bf16")
    graph.nodes[paper]["categories"] = ("cs.LG", "cs.AI")
    graph.edges[paper, entity, S.COMPARES_WITH]["cue"] = "compared to"
    triples = set(iter_triples(graph))
    subject = ox.NamedNode(rdf.paper_iri("af63364d46"))
    mention = ox.NamedNode(rdf.mention_iri("af63364d46", S.COMPARES_WITH, "bf16"))
    assert ox.Triple(subject, ox.NamedNode(str(KG.category)), ox.Literal("cs.LG")) in triples
    assert ox.Triple(mention, ox.NamedNode(str(KG.cue)), ox.Literal("compared to")) in triples
    conforms, text = run_shacl(Graph().parse(write_export(graph, "ntriples", tmp_path / "kg.nt"), format="nt"))
    assert conforms, text
    bundle = write_export(graph, "neo4j", tmp_path / "neo4j")
    assert "cs.LG;cs.AI" in (bundle / "nodes_Paper.csv").read_text(encoding="utf-8")
    assert ",compared to," in (bundle / "rels_COMPARES_WITH.csv").read_text(encoding="utf-8")
