"""link_papers: per-paper map (spaCy pipeline -> plain tuples), then a corpus-level reduce.

The map step is a pure function of a paper and the knowledge base, so it runs in a fork pool
(processes > 1) whose workers return plain tuples (pickling spaCy Docs back is slower than one
process). The reduce step makes one entity per discovered name across papers, with an id that
is the name's normalized key (adding papers never renames an entity; the label is the most
common spelling), resolves short forms that papers define (an ambiguous one only when the whole
corpus agrees on its sense), finds multi-word terms defined in one paper in the others, and
builds the records.

Not supported: streaming the reduce (per-paper results, with their token keys for the corpus
search, are held in memory: a few KB a paper).
"""
from __future__ import annotations

import bisect
import gc
import multiprocessing
from collections import Counter, defaultdict
from contextlib import contextmanager
from typing import Iterable, Iterator

from kg.linking.doc_view import LINKED, SENTS, token_view
from kg.linking.kb import KnowledgeBase, load_kb
from kg.linking.kb_matcher import scan_keys
from kg.linking.normalize import normalize_key
from kg.linking.pipeline import build_nlp, run_pipeline
from kg.linking.rules import map_offsets, prepare_text
from kg.linking.tokenizer import token_offsets
from kg.records import FIELDS, Entity, LinkedEntity, Mention, Paper, PaperEntities

_WORKER: dict = {}


def _nlp_for(kb: KnowledgeBase):
    nlp = _WORKER.get(id(kb))
    if nlp is None or _WORKER.get("kb") is not kb:
        # the map step reads plain tuples, not Span objects or Token attributes
        nlp = build_nlp(kb, spans_key="", lex_attrs="none")
        _WORKER.clear()
        _WORKER[id(kb)] = nlp
        _WORKER["kb"] = kb  # keeps kb alive so its id is not reused
    return nlp


def link_one(nlp, title: str, abstract: str):
    """The map step for one paper: (linked, unresolved, abbreviations, scan) as plain tuples.

    Mention offsets are already mapped back to (field index, start, end) of the original field
    text; sentences are the normalized sentence text. scan keeps the token keys for the
    corpus-level search of names that other papers define.
    """
    text, abstract_start, words = prepare_text(title, abstract)
    doc = run_pipeline(nlp, text, abstract_start)
    linked, unresolved, abbrevs = doc.user_data[LINKED]
    word_starts = [w[0] for w in words]

    def convert(m):
        cs, ce, ss, se, conf = m
        field, fs, fe = map_offsets(words, word_starts, cs, ce)
        return (field, fs, fe, text[cs:ce], text[ss:se], conf)

    # list comprehensions, then tuple(): cheaper than tuple() over a generator
    out = tuple([(key, etype, label, parent, intro, conf, tuple([convert(m) for m in mentions]))
                 for key, etype, label, parent, intro, conf, mentions in linked])
    unres = tuple([(ids, convert(m), letters) for ids, m, letters in unresolved])
    texts, keys, starts, _ends, _spaced = token_view(doc)
    # what the corpus-level step needs to look for names defined in other papers: the token
    # view's texts and keys (strings shared with the tokenizer's cache), not its offsets (~560
    # int objects a paper to hold and for the garbage collector to visit; see token_offsets)
    sents = tuple([starts[i] for i in doc.user_data.get(SENTS, [0])])
    scan = (text, words, texts, keys, sents)
    return out, unres, abbrevs, scan


def _map_worker(args):
    title, abstract = args
    return link_one(_WORKER["nlp"], title, abstract)


def link_papers(papers: Iterable[Paper], *, kb: KnowledgeBase | None = None, processes: int = 1) -> Iterator[PaperEntities]:
    """Find and link the entities of every paper; yields PaperEntities in input order."""
    kb = kb if kb is not None else load_kb()
    papers = list(papers)
    items = [(p.title or "", p.abstract or "") for p in papers]
    nlp = _nlp_for(kb)
    with gc_paused():
        if processes > 1 and len(papers) > 50 and "fork" in multiprocessing.get_all_start_methods():
            # workers inherit the built pipeline through fork and return plain tuples
            _WORKER["nlp"] = nlp
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(processes) as pool:
                results = pool.map(_map_worker, items, chunksize=max(1, len(items) // (processes * 8)))
        else:
            results = [link_one(nlp, t, a) for t, a in items]
    yield from reduce_corpus(papers, results, kb)


@contextmanager
def gc_paused():
    """The cyclic garbage collector off for the map step: link_one makes no reference cycles (a
    test checks), but the results kept make the collector traverse the whole heap (the knowledge
    base, spaCy) again and again as they grow: 15-25% of the map step on the sample."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
    for _linked, _unres, abbrevs, _scan in results:
        for letters, key in abbrevs:
            defined[letters][key] += 1
    # discovered names: type votes and surface counts across the corpus
    type_votes: dict[str, Counter] = defaultdict(Counter)
    surfaces: dict[str, Counter] = defaultdict(Counter)
    for linked, _unres, _abbrevs, _scan in results:
        for key, etype, label, parent, intro, conf, mentions in linked:
            if key[0] == "new":
                type_votes[key[1]][etype] += 2 if intro else 1
                for m in mentions:
                    surfaces[key[1]][" ".join(m[3].split())] += 1
    # a bare discovered short form defined elsewhere as one long form joins that entity
    alias_of: dict[str, tuple] = {}
    for letters, keys in defined.items():
        if len(keys) == 1:
            target = next(iter(keys))
            k = normalize_key(letters)
            if ("new", k) != target:
                alias_of[k] = target
    new_ids: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
    for k, votes in type_votes.items():
        etype = max(sorted(votes), key=lambda t: votes[t])
        # the label is the spelling used most ("COAT" over its long form), ties to the longer
        forms = surfaces[k]
        label = max(sorted(forms), key=lambda f: (forms[f], len(f)))
        aliases = tuple(sorted({f for f in forms if f != label and not f.endswith(("'s", "’s"))}))[:12]
        new_ids[k] = (new_entity_id(k, etype, kb), etype, label, aliases)
    variant_ids = {key[1] for linked, _u, _a, _s in results for key, *_ in linked if key[0] == "variant"}
    gazetteer = _gazetteer(results)
    for paper, (linked, unresolved, _abbrevs, scan) in zip(papers, results):
        linked = linked + _find_defined_terms(scan, linked, gazetteer)
        yield PaperEntities(paper=paper, entities=tuple(_build(linked, unresolved, defined, alias_of, new_ids, variant_ids, kb)))


def _gazetteer(results):
    """Multi-word terms that some paper defines ("Tensor Parallelism (TP)") -> their entity key.

    A defined long form is a term of the field, so its plain uses in other papers are mentions
    too. Short forms are not searched across papers (too many collide), nor one-word names.
    """
    terms: dict[str, tuple] = {}
    for linked, _unres, abbrevs, _scan in results:
        defined_keys = {key for _letters, key in abbrevs}
        for key, etype, label, parent, intro, conf, mentions in linked:
            if key[0] != "new" or key not in defined_keys:
                continue
            for m in mentions:
                if len(m[3].split()) >= 2:
                    terms.setdefault(normalize_key(m[3]), (key, etype, label))
    lookup = {k: (k, False) for k in terms}
    prefixes = frozenset(k[:i] for k in terms for i in range(1, len(k) + 1))
    return terms, lookup, prefixes


def _find_defined_terms(scan, linked, gazetteer):
    terms, lookup, prefixes = gazetteer
    if not terms:
        return ()
    text, words, texts, keys, sents = scan
    hits = scan_keys(texts, keys, None, lookup, prefixes)
    if not hits:
        return ()  # most papers
    starts, ends = token_offsets(text, texts)
    word_starts = [w[0] for w in words]
    have = {key for key, *_ in linked}
    taken = {(m[0], m[1]) for *_, mentions in linked for m in mentions}
    found: dict[tuple, list] = {}
    for s, e, k, _plural in hits:
        key, etype, label = terms[k]
        if key in have:
            continue  # this paper already names it (its own mentions were found in the map step)
        cs, ce = starts[s], ends[e - 1]
        field, fs, fe = map_offsets(words, word_starts, cs, ce)
        if (field, fs) in taken:
            continue
        i = bisect.bisect_right(sents, cs) - 1
        ss = sents[i]
        se = sents[i + 1] - 1 if i + 1 < len(sents) else len(text)
        found.setdefault((key, etype, label), []).append((field, fs, fe, text[cs:ce], text[ss:se].strip(), 0.6))
    return tuple((key, etype, label, None, False, 0.6, tuple(ms)) for (key, etype, label), ms in found.items())


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
        nid, ntype, nlabel, aliases = new_ids[key[1]]
        return Entity(id=nid, type=ntype, label=nlabel, aliases=aliases, known=False)

    for key, etype, label, parent, intro, conf, mentions in linked:
        ent = entity_for(key, etype, label, parent)
        if ent is not None:
            add(ent, intro, conf, mentions)
    for ids, mention, letters in unresolved:
        keys = defined.get(letters)
        hits = [k for k in (keys or ()) if k[0] == "kb" and k[1] in ids]
        if len(hits) == 1 and hits[0][1] not in kb.generic:
            add(kb.entities[hits[0][1]], False, 0.6, (mention,))
    out = []
    for eid in order:
        g = groups[eid]
        ms = sorted(set(g["mentions"]), key=lambda m: (m[0], m[1], m[2]))
        # positional: Mention(text, field, start, end, sentence, confidence), ~8 a paper
        mentions = tuple([Mention(m[3], FIELDS[m[0]], m[1], m[2], m[4], m[5]) for m in ms])
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
