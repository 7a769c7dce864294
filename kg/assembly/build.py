"""Graph building: papers and their linked entities -> one networkx MultiDiGraph (see schema.py).

Per paper (a map step): a Paper node, and for every linked entity a MENTIONS edge, an INTRODUCES
edge when the paper proposes it, and the typed relations its sentences state (relations.py).
Over the corpus (a reduce step): entity nodes with paper counts, the knowledge-base family chain
(VARIANT_OF, with parent entities as nodes even when no paper names them), BUILDS_ON between
papers, and RELATED_TO top-k lists (related.py).

Ids come from upstream and are kept as they are: adding papers never renames a node.
BUILDS_ON needs an unambiguous introduction (credible_introduction, and only one paper in the
corpus): the introduced flag alone is too noisy to link papers on.
An entity the paper introduces gets no typed relation from that paper ("we use COAT" in the COAT
paper is not a use of someone else's work).
Not supported: merging two graphs, removing papers, relations between two entities other than
VARIANT_OF.
"""
from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping

import networkx as nx

from kg.assembly.related import ANCESTOR_WEIGHT, find_related
from kg.assembly.relations import TypedRelation, find_relation, locate_mention
from kg.assembly.schema import (
    BUILDS_ON, EVALUATES_ON, FINE_TUNES, INTRODUCES, MENTIONS, PAPER, RELATED_TO, TRAINS_ON, USES,
    VARIANT_OF, entity_node, paper_node,
)
from kg.records import FIELDS, Entity, LinkedEntity, Mention, Paper, PaperEntities

LOG = logging.getLogger(__name__)

# Relations by which a paper uses an entity, for BUILDS_ON.
USE_RELATIONS = (USES, FINE_TUNES, TRAINS_ON, EVALUATES_ON)
REASON_ENTITIES = 3
_INTRODUCE_CUE = re.compile(r"\b(?:introduc|propos|present|releas|develop)\w*", re.I)


def paper_attributes(paper: Paper) -> dict:
    """The Paper node's attributes (schema.py)."""
    return {
        "kind": PAPER,
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date,
        "upvotes": paper.upvotes,
        "author_count": paper.author_count,
        "authors": tuple(paper.authors),
        "links": tuple((link.url, link.kind) for link in paper.links),
        "sources": tuple(f"{s.path}:{s.line}" for s in paper.sources),
        "categories": tuple(paper.categories),
    }


def entity_attributes(entity: Entity, paper_count: int) -> dict:
    """An entity node's attributes (schema.py); family is the parent entity id."""
    return {
        "kind": entity.type,
        "id": entity.id,
        "label": entity.label,
        "aliases": tuple(entity.aliases),
        "family": entity.parent,
        "description": entity.description,
        "external_ids": tuple(tuple(pair) for pair in entity.external_ids),
        "known": entity.known,
        "paper_count": paper_count,
    }


def _mention_order(mention: Mention) -> tuple:
    field_rank = FIELDS.index(mention.field) if mention.field in FIELDS else len(FIELDS)
    return field_rank, mention.start, mention.end


def _provenance(mention: Mention | None, confidence: float) -> dict:
    if mention is None:
        return {"confidence": confidence, "evidence": None, "field": None, "start": None, "end": None}
    return {"confidence": confidence, "evidence": mention.sentence, "field": mention.field,
            "start": mention.start, "end": mention.end}


_TITLE_NAME = re.compile(r"^\s*(.+?)\s*(?::|\s[-–—]\s)")


def credible_introduction(paper: Paper, linked: LinkedEntity) -> bool:
    """Introduced, and either new to the knowledge base or the name before the title's colon
    ("COAT: Compressing ...", "Direct Preference Optimization: Your Language Model ...")."""
    if not linked.introduced:
        return False
    if not linked.entity.known:
        return True
    match = _TITLE_NAME.match(paper.title)
    return bool(match) and any(
        m.field == "title" and m.start <= match.start(1) and m.end >= match.end(1) for m in linked.mentions)


def self_names(paper_entities: PaperEntities) -> tuple[str, ...]:
    """Surface forms of what the paper introduces: its own work as a sentence subject."""
    names = set()
    for linked in paper_entities.entities:
        if linked.introduced:
            names.update((linked.entity.label, *linked.entity.aliases))
            names.update(m.text for m in linked.mentions)
    return tuple(sorted(n for n in names if n))


def type_mentions(paper: Paper, linked: LinkedEntity, names: Iterable[str] = ()) -> dict[str, tuple[TypedRelation, Mention]]:
    """Typed relations of one linked entity in one paper: relation -> (best relation, its mention).

    Best = highest confidence (cue confidence x mention confidence), earliest mention on ties.
    """
    best: dict[str, tuple[TypedRelation, Mention]] = {}
    names = tuple(names)
    for mention in sorted(linked.mentions, key=_mention_order):
        field_text = getattr(paper, mention.field, None) if mention.field in FIELDS else None
        span = locate_mention(mention.sentence, mention.text, mention.start, field_text)
        if span is None:
            continue
        found = find_relation(mention.sentence, span[0], span[1], linked.entity.type, self_names=names)
        if found is None:
            continue
        found = TypedRelation(found.relation, found.cue, round(found.confidence * mention.confidence, 4))
        current = best.get(found.relation)
        if current is None or found.confidence > current[0].confidence:
            best[found.relation] = (found, mention)
    return best


def add_paper(graph: nx.MultiDiGraph, paper_entities: PaperEntities) -> None:
    """The map step: one Paper node and its edges to entity nodes (entity attributes come later)."""
    paper = paper_entities.paper
    source = paper_node(paper.id)
    graph.add_node(source, **paper_attributes(paper))
    names = self_names(paper_entities)
    for linked in paper_entities.entities:
        target = entity_node(linked.entity.id)
        mentions = tuple(sorted(linked.mentions, key=_mention_order))
        first = mentions[0] if mentions else None
        graph.add_edge(source, target, key=MENTIONS, **_provenance(first, linked.confidence),
                       mention_count=len(mentions), mentions=mentions)
        if linked.introduced:
            cue = next((m for m in mentions if _INTRODUCE_CUE.search(m.sentence)), first)
            graph.add_edge(source, target, key=INTRODUCES, **_provenance(cue, linked.confidence))
            continue
        for relation, (typed, mention) in type_mentions(paper, linked, names).items():
            graph.add_edge(source, target, key=relation, **_provenance(mention, typed.confidence), cue=typed.cue)


def _merge_linked(paper_entities: PaperEntities) -> PaperEntities:
    """One LinkedEntity per entity id (the linker should already give that; be safe)."""
    seen: dict[str, LinkedEntity] = {}
    for linked in paper_entities.entities:
        old = seen.get(linked.entity.id)
        if old is None:
            seen[linked.entity.id] = linked
        else:
            seen[linked.entity.id] = LinkedEntity(
                old.entity, old.introduced or linked.introduced, max(old.confidence, linked.confidence),
                old.mentions + linked.mentions)
    if len(seen) == len(paper_entities.entities):
        return paper_entities
    return PaperEntities(paper_entities.paper, tuple(seen.values()))


def _family_chain(entity_id: str, known: Mapping[str, Entity]) -> list[str]:
    chain, seen = [], {entity_id}
    parent = known[entity_id].parent if entity_id in known else None
    while parent is not None and parent in known and parent not in seen:
        chain.append(parent)
        seen.add(parent)
        parent = known[parent].parent
    return chain


def add_entities(graph: nx.MultiDiGraph, found: Mapping[str, Entity], paper_counts: Mapping[str, int],
                 kb_entities: Mapping[str, Entity]) -> dict[str, tuple[str, ...]]:
    """Entity nodes, their family chain and VARIANT_OF edges; returns entity id -> ancestors."""
    known = {**found, **kb_entities}
    ancestors: dict[str, tuple[str, ...]] = {}
    for entity_id in list(found):
        chain = _family_chain(entity_id, known)
        ancestors[entity_id] = tuple(chain)
        missing = found[entity_id].parent
        if missing is not None and missing not in known:
            LOG.warning("entity %s: parent %s is not in the knowledge base; no VARIANT_OF edge", entity_id, missing)
        for child, parent in zip([entity_id] + chain, chain):
            graph.add_edge(entity_node(child), entity_node(parent), key=VARIANT_OF)
    for entity_id in list(found) + sorted({a for chain in ancestors.values() for a in chain} - set(found)):
        entity = kb_entities.get(entity_id) or found[entity_id]
        graph.add_node(entity_node(entity_id), **entity_attributes(entity, paper_counts.get(entity_id, 0)))
    return ancestors


def add_builds_on(graph: nx.MultiDiGraph, paper_ids: list[str], introducers: Mapping[str, list[str]]) -> int:
    """paper -BUILDS_ON-> paper when the first uses (USE_RELATIONS) what the second introduces."""
    added = 0
    for paper_id in paper_ids:
        source = paper_node(paper_id)
        date = graph.nodes[source]["date"]
        via: dict[str, set[str]] = defaultdict(set)
        for _, target, relation in graph.out_edges(source, keys=True):
            if relation not in USE_RELATIONS:
                continue
            entity_id = graph.nodes[target]["id"]
            for other in introducers.get(entity_id, ()):
                other_date = graph.nodes[paper_node(other)]["date"]
                if other != paper_id and not (date and other_date and date < other_date):
                    via[other].add(entity_id)
        for other in sorted(via):
            graph.add_edge(source, paper_node(other), key=BUILDS_ON, via=tuple(sorted(via[other])))
            added += 1
    return added


def _reason(graph: nx.MultiDiGraph, shared: tuple[str, ...], text_score: float) -> str:
    labels = [graph.nodes[entity_node(e)]["label"] for e in shared[:REASON_ENTITIES]]
    similarity = f"text similarity {text_score:.2f}"
    if not labels:
        return similarity
    more = f" (+{len(shared) - len(labels)} more)" if len(shared) > len(labels) else ""
    return f"shares {', '.join(labels)}{more}; {similarity}"


def add_related(graph: nx.MultiDiGraph, papers: list[PaperEntities], ancestors: Mapping[str, tuple[str, ...]],
                top_k: int) -> int:
    """RELATED_TO top-k edges per paper (related.py); returns the number added."""
    weights = []
    for pe in papers:
        direct = {linked.entity.id: 1.0 for linked in pe.entities}
        family = {a: ANCESTOR_WEIGHT for e in direct for a in ancestors.get(e, ()) if a not in direct}
        weights.append({**family, **direct})
    texts = [f"{pe.paper.title}. {pe.paper.abstract}" for pe in papers]
    ids = [pe.paper.id for pe in papers]
    added = 0
    for pe, related in zip(papers, find_related(ids, weights, texts, top_k=top_k)):
        for item in related:
            graph.add_edge(
                paper_node(pe.paper.id), paper_node(ids[item.target]), key=RELATED_TO,
                score=item.score, entity_score=item.entity_score, text_score=item.text_score,
                rank=item.rank, shared=item.shared, reason=_reason(graph, item.shared, item.text_score),
            )
            added += 1
    return added


def build_graph(paper_entities: Iterable[PaperEntities], *, kb=None, top_k: int = 5) -> nx.MultiDiGraph:
    """The knowledge graph of the linked papers (schema.py).

    kb: the knowledge base (anything with `.entities: dict[id, Entity]`) for family chains and
    canonical labels; None loads the default one with kg.linking.load_kb.
    top_k: RELATED_TO edges per paper (0 for none). A paper id seen twice keeps the first.
    """
    if kb is None:
        from kg.linking import load_kb  # the linker stage owns the knowledge base

        kb = load_kb()
    kb_entities: Mapping[str, Entity] = getattr(kb, "entities", {}) or {}
    graph = nx.MultiDiGraph(top_k=top_k)
    papers: list[PaperEntities] = []
    found: dict[str, Entity] = {}
    paper_counts: Counter = Counter()
    introducers: dict[str, list[str]] = defaultdict(list)
    for pe in paper_entities:
        if graph.has_node(paper_node(pe.paper.id)):
            LOG.warning("paper %s appears twice; keeping the first", pe.paper.id)
            continue
        pe = _merge_linked(pe)
        add_paper(graph, pe)
        papers.append(pe)
        for linked in pe.entities:
            found.setdefault(linked.entity.id, linked.entity)
            paper_counts[linked.entity.id] += 1
            if credible_introduction(pe.paper, linked):
                introducers[linked.entity.id].append(pe.paper.id)
    ancestors = add_entities(graph, found, paper_counts, kb_entities)
    # Only an unambiguous introduction (one paper, named in its title) makes a BUILDS_ON target.
    introducers = {e: ids for e, ids in introducers.items() if len(ids) == 1}
    builds_on = add_builds_on(graph, [pe.paper.id for pe in papers], introducers)
    related = add_related(graph, papers, ancestors, top_k) if top_k > 0 else 0
    LOG.info("built graph: %d papers, %d entities, %d edges (%d BUILDS_ON, %d RELATED_TO)",
             len(papers), graph.number_of_nodes() - len(papers), graph.number_of_edges(), builds_on, related)
    return graph
