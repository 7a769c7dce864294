"""Any text and any id survive every writer: property tests with hypothesis (quotes, backslashes,
control characters, non-ASCII, ids with /, spaces, +, %)."""
from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.assembly import schema as S
from kg.exporters import write_export
from kg.exporters._tabular import xml_text
from kg.exporters.rdf import iter_triples
from kg.records import Mention

TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(lambda s: s.strip())
IDS = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(lambda s: s.strip())


def _graph(paper_id: str, entity_id: str, title: str, sentence: str, alias: str) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    p, e = S.paper_node(paper_id), S.entity_node(entity_id)
    g.add_node(p, kind=S.PAPER, id=paper_id, title=title, abstract=sentence, date=None, upvotes=None,
               author_count=None, authors=(alias,), links=(), sources=("a.txt:1",))
    g.add_node(e, kind="Model", id=entity_id, label=alias, aliases=(title,), family=None, description=sentence,
               external_ids=(), known=False, paper_count=1)
    m = Mention(alias, "abstract", 0, len(alias), sentence, 0.5)
    g.add_edge(p, e, key=S.MENTIONS, confidence=0.5, evidence=sentence, field="abstract", start=0, end=len(alias),
               mention_count=1, mentions=(m,))
    g.add_edge(p, e, key=S.USES, confidence=0.25, evidence=sentence, field="abstract", start=0, end=len(alias))
    return g


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paper_id=IDS, entity_id=IDS, title=TEXT, sentence=TEXT, alias=TEXT)
def test_rdf_writers_round_trip_any_text(tmp_path, paper_id, entity_id, title, sentence, alias):
    g = _graph(paper_id, entity_id, title, sentence, alias)
    expected = set(iter_triples(g))
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                            ("jsonld", ox.RdfFormat.JSON_LD)):
        path = write_export(g, fmt, tmp_path / f"x.{fmt}")
        assert {q.triple for q in ox.parse(path=str(path), format=rdf_format)} == expected, fmt


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paper_id=IDS, entity_id=IDS, title=TEXT, sentence=TEXT, alias=TEXT)
def test_graph_writers_round_trip_any_text(tmp_path, paper_id, entity_id, title, sentence, alias):
    g = _graph(paper_id, entity_id, title, sentence, alias)
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = read(write_export(g, fmt, tmp_path / f"x.{fmt}"))
        assert back.number_of_edges() == 2
        titles = [d.get("title") for _, d in back.nodes(data=True) if d.get("kind") == S.PAPER]
        # XML 1.0 cannot carry some control characters: they are dropped, nothing else changes.
        assert titles == [xml_text(title) or None], fmt
