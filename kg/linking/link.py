"""link_papers: per-paper map (spaCy pipeline -> plain tuples), then a corpus-level reduce.

The map step is a pure function of a paper and the knowledge base, so it runs in a fork pool
(processes > 1) whose workers return plain tuples (pickling spaCy Docs back is slower than one
process). The reduce step makes one entity per discovered name across papers, with an id that
is the name's normalized key (adding papers never renames an entity; the label is the most
common spelling), resolves short forms that papers define, and builds the records.

Not supported: streaming the reduce (all per-paper results are held in memory, ~1 KB a paper).
"""
from __future__ import annotations

import bisect
import multiprocessing
import os
from collections import Counter, defaultdict
from typing import Iterable, Iterator

from kg.linking.kb import KnowledgeBase, load_kb
from kg.linking.normalize import normalize_key
from kg.linking.pipeline import LINKED, build_nlp, run_pipeline
from kg.linking.rules import map_offsets, prepare_text
from kg.records import FIELDS, Entity, LinkedEntity, Mention, Paper, PaperEntities

_WORKER: dict = {}


def _nlp_for(kb: KnowledgeBase):
    nlp = _WORKER.get(id(kb))
    if nlp is None:
        nlp = build_nlp(kb)
        _WORKER.clear()
        _WORKER[id(kb)] = nlp
        _WORKER["kb"] = kb
    return nlp


def link_one(nlp, title: str, abstract: str):
    """The map step for one paper: (linked, unresolved, abbreviations) as plain tuples.

    Mention offsets are already mapped back to (field index, start, end) of the original field
    text; sentences are the normalized sentence text.
    """
    text, abstract_start, words = prepare_text(title, abstract)
    doc = run_pipeline(nlp, text, abstract_start)
    linked, unresolved, abbrevs = doc.user_data[LINKED]
    word_starts = [w[0] for w in words]

    def convert(m):
        cs, ce, ss, se, conf = m
        field, fs, fe = map_offsets(words, word_starts, cs, ce)
        return (field, fs, fe, text[cs:ce], text[ss:se], conf)

    out = []
    for key, etype, label, parent, intro, conf, mentions in linked:
        out.append((key, etype, label, parent, intro, conf, tuple(convert(m) for m in mentions)))
    unres = tuple((ids, convert(m), letters) for ids, m, letters in unresolved)
    return tuple(out), unres, abbrevs


def _map_worker(args):
    title, abstract = args
    return link_one(_WORKER["nlp"], title, abstract)


def _init_worker(kb):
    _WORKER["nlp"] = build_nlp(kb)


def link_papers(papers: Iterable[Paper], *, kb: KnowledgeBase | None = None, processes: int = 1) -> Iterator[PaperEntities]:
    """Find and link the entities of every paper; yields PaperEntities in input order."""
    kb = kb if kb is not None else load_kb()
    papers = list(papers)
    items = [(p.title or "", p.abstract or "") for p in papers]
    if processes > 1 and len(papers) > 50 and "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processes, initializer=_init_worker, initargs=(kb,)) as pool:
            results = pool.map(_map_worker, items, chunksize=max(1, len(items) // (processes * 8)))
    else:
        nlp = _nlp_for(kb)
        results = [link_one(nlp, t, a) for t, a in items]
    yield from reduce_corpus(papers, results, kb)


def new_entity_id(key: str, etype: str, kb: KnowledgeBase) -> str:
    """Id of a discovered name: its normalized key, so every spelling ("pre-training",
    "Pretraining") and every corpus gives the same id; never a KB id of another entity."""
    slug = key.replace("#", "-sharp").strip(".+") or "x"
    if slug in kb.entities:
        slug = f"{slug}-{etype.lower()}"
    return slug


def reduce_corpus(papers: list[Paper], results, kb: KnowledgeBase) -> Iterator[PaperEntities]:
    """Corpus-level step: one node per discovered name, short forms resolved across papers."""
    # short form (exact letters) -> entity keys defined for it anywhere in the corpus
    defined: dict[str, Counter] = defaultdict(Counter)
    for _linked, _unres, abbrevs in results:
        for letters, key in abbrevs:
            defined[letters][key] += 1
    # discovered names: type votes and surface counts across the corpus
    type_votes: dict[str, Counter] = defaultdict(Counter)
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for linked, _unres, _abbrevs in results:
        for key, etype, label, parent, intro, conf, mentions in linked:
            if key[0] == "new":
                type_votes[key[1]][etype] += 2 if intro else 1
                surfaces[key[1]][label] += 1
    # a bare discovered short form defined elsewhere as one long form joins that entity
    alias_of: dict[str, tuple] = {}
    for letters, keys in defined.items():
        if len(keys) == 1:
            target = next(iter(keys))
            k = normalize_key(letters)
            if ("new", k) != target:
                alias_of[k] = target
    new_ids: dict[str, tuple[str, str, str]] = {}
    for k, votes in type_votes.items():
        etype = max(sorted(votes), key=lambda t: votes[t])
        label = max(sorted(surfaces[k]), key=lambda s: surfaces[k][s])
        new_ids[k] = (new_entity_id(k, etype, kb), etype, label)
    variant_ids = {key[1] for linked, _u, _a in results for key, *_ in linked if key[0] == "variant"}
    for paper, (linked, unresolved, _abbrevs) in zip(papers, results):
        yield PaperEntities(paper=paper, entities=tuple(_build(linked, unresolved, defined, alias_of, new_ids, variant_ids, kb)))


def _build(linked, unresolved, defined, alias_of, new_ids, variant_ids, kb):
    groups: dict[str, dict] = {}
    order: list[str] = []

    def add(entity: Entity, intro: bool, conf: float, mentions):
        g = groups.get(entity.id)
        if g is None:
            g = groups[entity.id] = {"entity": entity, "intro": False, "conf": 0.0, "mentions": []}
            order.append(entity.id)
        g["intro"] |= intro
        g["conf"] = max(g["conf"], conf)
        g["mentions"].extend(mentions)

    def entity_for(key, etype, label, parent) -> Entity | None:
        if key[0] == "new" and key[1] in alias_of:
            key = alias_of[key[1]]
        if key[0] == "kb":
            return kb.entities[key[1]]
        if key[0] == "variant":
            vid, parent = key[1], key[2]
            if parent not in kb.entities and parent not in variant_ids:
                parent = next((p for p in _family_chain(vid, kb)), None)
            return Entity(id=vid, type="Model", label=label, parent=parent, known=False)
        nid, ntype, nlabel = new_ids[key[1]]
        return Entity(id=nid, type=ntype, label=nlabel, known=False)

    for key, etype, label, parent, intro, conf, mentions in linked:
        ent = entity_for(key, etype, label, parent)
        if ent is not None:
            add(ent, intro, conf, mentions)
    for ids, mention, letters in unresolved:
        keys = defined.get(letters)
        hits = [k for k in (keys or ()) if k[0] == "kb" and k[1] in ids]
        if len(hits) == 1:
            add(kb.entities[hits[0][1]], False, 0.6, (mention,))
    out = []
    for eid in order:
        g = groups[eid]
        ms = sorted(set(g["mentions"]), key=lambda m: (m[0], m[1], m[2]))
        mentions = tuple(Mention(text=m[3], field=FIELDS[m[0]], start=m[1], end=m[2], sentence=m[4], confidence=m[5]) for m in ms)
        out.append(LinkedEntity(entity=g["entity"], introduced=g["intro"], confidence=round(g["conf"], 3), mentions=mentions))
    out.sort(key=lambda le: (le.mentions[0].field != "title", le.mentions[0].start) if le.mentions else (True, 0))
    return out


def _family_chain(vid: str, kb: KnowledgeBase):
    """KB ids that prefix a variant id, longest first: llama-3.1-8b-instruct -> llama-3.1-8b, llama-3.1."""
    parts = vid.split("-")
    for n in range(len(parts) - 1, 0, -1):
        cand = "-".join(parts[:n])
        if cand in kb.entities:
            yield cand


def default_processes() -> int:
    return max(1, min(4, os.cpu_count() or 1))
