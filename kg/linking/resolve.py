"""Per-document resolution: one entity per span, abbreviations applied, introduced names flagged.

The Resolver (spaCy factory kg_resolver_v1) turns the candidates of the matcher and the name rules
into a list of linked entities (plain tuples, in doc.user_data["kg.linked"]) and
doc.spans["kg.entities"].

Entity keys are tuples so the corpus-level reduce can tell their origin:
    ("kb", id)                    a knowledge-base entity
    ("variant", id, parent_id)    a size/variant of a KB model, id = parent id + "-" + suffix slug
    ("new", key)                  a discovered name, key = its normalized surface form
Ambiguous short forms that nothing in the document resolves are kept apart (``unresolved``)
so the corpus-level step can resolve them from other papers' definitions, or drop them.
"""
from __future__ import annotations

from collections import Counter
from itertools import compress

from spacy.language import Language
from spacy.tokens import Doc

from kg.linking import rules
from kg.linking.doc_view import (
    ABBREVS, FOUND, JOINERS, KB_MATCHES, LINKED, TokenView, doc_text, sentence_bounds, title_end_token, token_view,
)
from kg.linking.kb import KnowledgeBase
from kg.linking.kb_matcher import scan_keys, with_plurals
from kg.linking.kb_registry import get_kb
from kg.linking.normalize import letters_of, normalize_key, slugify

# priority when two candidate spans have the same length (lower wins)
_PRIORITY = {"kb": 0, "variant": 0, "abbrev": 1, "title-prefix": 1, "proposed": 1, "proposed-long": 1,
             "format-technique": 1, "glued": 3, "example": 1, "described": 2, "size-shape": 2, "dataset-shape": 2, "score-on": 3, "hardware-shape": 2, "head-noun": 3, "list": 4, "repeat": 2}


@Language.factory("kg_resolver_v1", default_config={"kb_ref": "", "spans_key": "kg.entities"})
def make_resolver(nlp: Language, name: str, *, kb_ref: str, spans_key: str):
    return Resolver(nlp, name, kb=get_kb(kb_ref), spans_key=spans_key)


class Resolver:
    """Chooses non-overlapping spans, links each to an entity key and groups mentions."""

    def __init__(self, nlp: Language, name: str, *, kb: KnowledgeBase, spans_key: str = "kg.entities"):
        self.name = name
        self.kb = kb
        self.spans_key = spans_key  # "" skips the Span objects (link_papers needs only the tuples)

    def __call__(self, doc: Doc) -> Doc:
        tv = token_view(doc)
        texts, keys, starts, ends, spaced = tv
        ents = self.kb.entities
        kb_matches = doc.user_data.get(KB_MATCHES, [])
        found = doc.user_data.get(FOUND, [])
        title_end = title_end_token(doc)
        abbrevs = doc.user_data.get(ABBREVS, [])
        # candidate spans: (start, end, rule, entity key or None, type, confidence, cands)
        cands = []
        unique_ids = set()
        for s, e, ids, conf in kb_matches:
            if len(ids) == 1:
                unique_ids.add(ids[0])
        introduced_keys = set()
        new_types: dict[tuple, Counter] = {}
        labels: dict[tuple, str] = {}
        for s, e, ids, conf in kb_matches:
            cands.append([s, e, "kb", ("kb", ids[0]) if len(ids) == 1 else None, None, conf, ids])
        abbrev_map: dict[str, tuple] = {}  # short form letters -> entity key
        abbrev_keys: dict[tuple[int, int], tuple] = {}
        blocked: set[str] = set()  # short forms this paper defines as tasks or classes
        disowned: set[str] = set()  # short forms of KB entities this paper defines otherwise
        for ls, le, ss, se in abbrevs:
            key = self._abbrev_entity(doc, tv, ls, le, ss, se, kb_matches, new_types, labels, cands)
            short_letters = letters_of("".join(texts[ss:se]))
            if key is not None:
                abbrev_map[short_letters] = key
                abbrev_keys[(ls, le)] = key
            elif any(m[0] == ss and m[1] == se and len(m[2]) == 1 for m in kb_matches):
                disowned.add(short_letters)  # defined here as something else, which is not an entity
            elif _names_task_or_class([w for w, k in zip(texts[ls:le], keys[ls:le]) if k]):
                blocked.add(short_letters)
                blocked.add(short_letters.rstrip("s"))
        for lt, k in list(abbrev_map.items()):
            # "Neural Memory Networks (NMNs)" ... "the NMN controllers": the singular is the same name
            if lt.endswith("s") and sum(c.isupper() for c in lt) >= 2:
                abbrev_map.setdefault(lt[:-1], k)
        for s, e, etype, rule, conf, intro, kb_id, extra in found:
            if rule in ("title-kb", "proposed-kb", "novel-kb"):
                # a known method is introduced only by the paper that names it in its title too
                # ("we propose a VAE-based ..." does not introduce the VAE) or calls it new right
                # after the verb ("novel-kb": "we propose CISPO, a novel RL algorithm"); known models
                # and datasets include recent releases, which papers do introduce
                if kb_id and (rule in ("title-kb", "novel-kb") or self.kb.entities[kb_id].type != "Method" or any(
                        m[2] == (kb_id,) and m[0] < title_end for m in kb_matches)):
                    introduced_keys.add(("kb", kb_id))
                continue
            if rule == "variant":
                key = self._variant_key(doc, tv, s, e, kb_id, kb_matches)
                cands.append([s, e, "variant", key, "Model", conf, ()])
                continue
            if rule == "proposed-long":
                ekey = abbrev_keys.get((s, e))
                if ekey is None:
                    # an introduced "Long Form (LF)" that no rule typed: type it from context
                    ss, se = extra
                    long_surface = doc_text(doc)[starts[s] : ends[e - 1]]
                    if normalize_key(long_surface) in rules.GENERIC_KEYS or (
                            _names_task_or_class(texts[s:e]) and not _named_as_own_thing(texts, s)):
                        continue  # "a new task, Multi-event Video-Text Retrieval (MeVTR)"
                    long_words = [w for w, k in zip(texts[s:e], keys[s:e]) if k]
                    etype = (_type_after(texts, se) or rules.type_from_name(long_surface) or rules.type_from_name("".join(texts[ss:se]))
                             or rules.type_from_long_form(long_words) or self._kb_head_type(kb_matches, s, e)
                             or _type_of_appositive(texts, se) or "Method")
                    if etype == "Model" and all(w.islower() for w in long_words):
                        continue  # "we train a reward model (RM)": a kind of model, not a name
                    ekey = ("new", normalize_key(long_surface))
                    new_types.setdefault(ekey, Counter())[etype] += 2
                    labels.setdefault(ekey, long_surface)
                    cands.append([s, e, "abbrev", ekey, etype, 0.8, ()])
                    cands.append([ss, se, "abbrev", ekey, etype, 0.8, ()])
                    short_letters = letters_of("".join(texts[ss:se]))
                    abbrev_map[short_letters] = ekey
                    blocked.discard(short_letters)
                if not (ekey[0] == "kb" and self.kb.entities[ekey[1]].type == "Method" and s >= title_end
                        and not any(m[2] == (ekey[1],) and m[0] < title_end for m in kb_matches)):
                    # "we develop a ... Direct Preference Optimization (DPO) dataset" does not
                    # introduce DPO: a known method is introduced only with the title
                    introduced_keys.add(ekey)
                continue
            surface = doc_text(doc)[starts[s] : ends[e - 1]]
            surface_letters = letters_of(surface)
            if surface_letters in blocked:
                continue
            # a name this paper also defines as a short form ("Re-ReST: ..." and "Long Form (Re-ReST)")
            defined = abbrev_map.get(surface_letters)
            key = defined or ("new", normalize_key(surface))
            if defined is None and not intro and rule not in ("title-prefix", "proposed"):
                # "such as Bert, GPT and ViT": a name the KB knows in another case, found by a rule
                # that typed it the same way, is that KB entity
                ids = self._kb_by_other_case(key[1], surface)
                if len(ids) == 1 and self.kb.entities[ids[0]].type == etype and ids[0] not in self.kb.generic:
                    cands.append([s, e, rule, ("kb", ids[0]), etype, conf, ()])
                    continue
            if defined is None:  # a definition's type (from its long form) outranks other clues
                # an introduced name no clue typed (etype None) casts no vote: it becomes a Method
                # (see below) unless another mention of it is typed
                if etype is not None:
                    new_types.setdefault(key, Counter())[etype] += 2 if intro else 1
            labels.setdefault(key, surface)
            if intro:
                introduced_keys.add(key)
            cands.append([s, e, rule, key, etype, conf, ()])
        # a short form this paper defines is that name throughout the paper, not a KB entity of the
        # same letters: "Sharpness-Aware Minimization (SAM)" is not the Segment Anything Model
        redefined = {lt: k for lt, k in abbrev_map.items() if k[0] in ("new", "kb")}
        if redefined or disowned:
            kept = []
            for c in cands:
                if c[2] == "kb" and c[1] - c[0] <= 3:
                    lt = letters_of("".join(texts[c[0] : c[1]]))
                    if lt in disowned and lt not in abbrev_map:
                        continue
                    hit = redefined.get(lt)
                    if hit is not None and c[3] != hit:
                        c[2], c[3] = "repeat", hit
                kept.append(c)
            cands = kept
        # resolve ambiguous KB spans from this document's context
        for c in cands:
            if c[3] is None and c[2] == "kb":
                # (a name of its own: after `c[3] is None`, mypy types c[3] as None even once
                # reassigned, and the compiled `c[3] is not None` was always False)
                sense = c[3] = self._disambiguate(doc, tv, c, abbrev_map, unique_ids)
                if sense is not None:
                    # the sense used here counts at corpus level: other papers' bare uses of
                    # this short form resolve only when every paper agrees on one sense
                    abbrev_map.setdefault(letters_of("".join(texts[c[0] : c[1]])), sense)
        # later mentions of discovered names and defined short forms
        self._suffixed_variants(doc, tv, cands, abbrev_map, introduced_keys, new_types, labels)
        self._repeats(doc, tv, cands, abbrev_map, labels)
        chosen = _select(cands)
        # "GemNet-OC: ..." found both as a variant of GemNet and as the title's name: introduced
        intro_spans = {(f[0], f[1]) for f in found if f[5] and f[3] in ("title-prefix", "proposed")}
        for c in chosen:
            if c[2] == "variant" and (c[0], c[1]) in intro_spans:
                introduced_keys.add(c[3])
        # group mentions per entity key
        order: list[tuple] = []
        by_key: dict[tuple, list] = {}
        unresolved = []
        span_list = []
        generic = self.kb.generic
        for s, e, rule, key, etype, conf, ids in chosen:
            if key is not None and key[0] == "kb" and key[1] in generic:
                continue  # a broad class ("diffusion models"): its words are covered, not reported
            lo, hi = sentence_bounds(doc, s)
            mention = (starts[s], ends[e - 1], starts[lo], ends[hi - 1], conf)
            if key is None:
                unresolved.append((ids, mention, letters_of(doc_text(doc)[starts[s] : ends[e - 1]])))
                continue
            if key not in by_key:
                by_key[key] = []
                order.append(key)
            by_key[key].append(mention)
        linked = []
        for key in order:
            mentions = tuple(by_key[key])
            if key[0] == "kb":
                ent = ents[key[1]]
                etype, label, parent = ent.type, ent.label, ent.parent
            elif key[0] == "variant":
                etype, parent = "Model", key[2]
                label = doc_text(doc)[mentions[0][0] : mentions[0][1]]
            else:
                votes = new_types.get(key) or Counter({"Method": 1})
                etype = max(sorted(votes), key=lambda t: votes[t])
                label, parent = labels.get(key) or doc_text(doc)[mentions[0][0] : mentions[0][1]], None
            conf = max(m[4] for m in mentions)
            linked.append((key, etype, label, parent, key in introduced_keys, conf, mentions))
            for m in mentions:
                span_list.append((m[0], m[1], etype, key))
        doc.user_data[LINKED] = (tuple(linked), tuple(unresolved), tuple(abbrev_map.items()))
        if self.spans_key:
            spans = []
            for cs, ce, etype, key in span_list:
                span = doc.char_span(cs, ce, label=etype, kb_id="/".join(key[:2]))
                if span is not None:
                    spans.append(span)
            doc.spans[self.spans_key] = spans
        return doc

    # --------------------------------------------------------------------------------------------
    def _abbrev_entity(self, doc: Doc, tv: TokenView, ls, le, ss, se, kb_matches, new_types, labels, cands):
        """The entity a "Long Form (LF)" pair names; adds candidate spans for both parts."""
        texts, keys, starts, ends, spaced = tv
        # the long form must be exactly a KB name: "visual reinforcement learning (VRL)" is not RL
        long_kb = [m for m in kb_matches if m[1] == le and m[0] == ls and len(m[2]) == 1]
        short_kb = [m for m in kb_matches if m[0] == ss and m[1] == se]
        short = "".join(texts[ss:se])
        if long_kb:
            key = ("kb", long_kb[0][2][0])
            cands.append([ss, se, "abbrev", key, None, 0.9, ()])
            return key
        if short_kb and len(short_kb[0][2]) == 1 and not self._long_form_disagrees(short_kb[0][2][0], texts[ls:le], keys[ls:le]):
            key = ("kb", short_kb[0][2][0])
            words = texts[ls:le]
            if len(words) >= 2 and any(w[:1].isupper() for w, k in zip(words, keys[ls:le]) if k):
                cands.append([ls, le, "abbrev", key, None, 0.8, ()])
            return key
        if short_kb and len(short_kb[0][2]) > 1:
            # an ambiguous short form defined here: pick the candidate whose alias is the long form
            long_key = "".join(keys[ls:le])
            for eid in short_kb[0][2]:
                ent = self.kb.entities[eid]
                if any(normalize_key(a) == long_key for a in (ent.label, *ent.aliases)):
                    key = ("kb", eid)
                    cands.append([ss, se, "abbrev", key, None, 0.9, ()])
                    return key
        words = [w for w, k in zip(texts[ls:le], keys[ls:le]) if k]
        if not words:
            return None
        long_surface = doc_text(doc)[starts[ls] : ends[le - 1]]
        lkey = normalize_key(long_surface)
        if lkey in rules.GENERIC_KEYS or normalize_key(short) in rules.GENERIC_KEYS:
            return None
        if words[-1].lower() in rules.NAME_END_MODIFIERS:
            return None  # "verifier-based (VB) methods": a modifier, not a name
        if rules.is_modality_task(words):
            return None  # "neural text-to-speech (TTS) methods": a task
        if rules.is_plural_class(words):
            # "Neural Memory Networks (NMNs)": a named kind of a known architecture is a model;
            # other plural classes ("reward models (RMs)") are not entities
            if not (words[0][:1].isupper() and self._kb_head_type(kb_matches, ls, le) == "Model"):
                return None
        etype = _type_after(texts, se) or rules.type_from_long_form(words)
        if etype is None and words[-1].lower() not in rules.TASK_HEADS:
            etype = rules.type_from_name(short) or self._kb_head_type(kb_matches, ls, le) or _type_of_appositive(texts, se)
        if etype is None:
            return None
        if etype == "Model" and not (any(rules.is_name_like(w) for w in words) or self._kb_head_type(kb_matches, ls, le)):
            # "Deep Neural Network (DNN)", "reward model (RM)": a kind of model, not a named one
            # (an introduced one is still taken, through the "we propose" rule)
            return None
        if etype == "Method" and all(w.islower() for w in words) and len(words) == 1:
            return None
        key = ("new", lkey)
        new_types.setdefault(key, Counter())[etype] += 1
        labels.setdefault(key, long_surface)
        cands.append([ls, le, "abbrev", key, etype, 0.75, ()])
        cands.append([ss, se, "abbrev", key, etype, 0.75, ()])
        return key

    def _kb_by_other_case(self, key: str, surface: str) -> tuple[str, ...]:
        """KB ids for a rule-found name: exact spelling first (also its plural: "ViTs" -> ViT,
        not the TTS model VITS), then any case for entities without case rules ("Bert" -> BERT)."""
        lt = letters_of(surface)
        pool = set(self.kb.aliases.get(key, ())) | (set(self.kb.aliases.get(key[:-1], ())) if key.endswith("s") else set())
        exact = sorted(i for i in pool if any(letters_of(a) in (lt, lt[:-1]) for a in (self.kb.entities[i].label, *self.kb.entities[i].aliases)))
        if exact:
            return tuple(exact)
        ids = self.kb.aliases.get(key, ())
        if surface[:1].isupper() and len(key) >= 4:
            return ids  # a capitalized name typed by the rule as the KB entity is
        return tuple(i for i in ids if i not in self.kb.case_sensitive)

    def _suffixed_variants(self, doc: Doc, tv: TokenView, cands, abbrev_map, introduced_keys, new_types, labels):
        """"STAT-Sel and STAT-Syn", "(FST-D) and (FST-W)": a paper's own short name with a hyphenated
        suffix names a variant of it: another entity of the same type, introduced when the base is."""
        texts, keys, starts, ends, spaced = tv
        bases: dict[str, tuple] = {}
        for letters, key in abbrev_map.items():
            if key[0] == "new":
                bases[letters] = key
        for c in cands:
            if c[3] is not None and c[3][0] == "new" and c[3] in introduced_keys and c[1] - c[0] == 1:
                bases.setdefault(letters_of(texts[c[0]]), c[3])
        if not bases:
            return
        n = len(texts)
        text = doc_text(doc)
        seen = set()
        # only tokens that are a base name (a C-level filter; the checks below cost more per token)
        for i in compress(range(n - 2), map(bases.__contains__, texts)):
            base = bases[texts[i]]
            if texts[i + 1] not in JOINERS or spaced[i] or spaced[i + 1] or not (texts[i + 2][:1].isupper() or texts[i + 2][:1].isdigit()):
                continue
            if i > 0 and not spaced[i - 1] and (keys[i - 1] or texts[i - 1] in JOINERS):
                continue  # the base is itself the end of a longer compound
            e = i + 3
            while e + 1 < n and texts[e] in JOINERS and not spaced[e - 1] and not spaced[e] and keys[e + 1]:
                e += 2
            if texts[e - 1].lower() in rules.NAME_END_MODIFIERS:
                continue  # "STAT-based": a modifier, not a variant
            same = [c for c in cands if c[0] == i and c[1] == e and c[3] is not None]
            if same:  # another rule found this name ("CoMP-SigLIP", a model): it is the base's variant
                if base in introduced_keys:
                    introduced_keys.add(same[0][3])
                continue
            surface = text[starts[i] : ends[e - 1]]
            key = ("new", normalize_key(surface))
            votes = new_types.get(base)
            etype = rules.type_from_name(surface) or (max(sorted(votes), key=lambda t: votes[t]) if votes else None)
            new_types.setdefault(key, Counter())[etype or "Method"] += 2
            labels.setdefault(key, surface)
            if base in introduced_keys:
                introduced_keys.add(key)
            if (i, e) not in seen:
                seen.add((i, e))
                cands.append([i, e, "proposed", key, etype, 0.75, ()])

    def _long_form_disagrees(self, eid, words, keys) -> bool:
        """"Sparse Spectral Training (SST)" is not the Stanford Sentiment Treebank: the paper's own
        long form shares no word with any multi-word name of the KB entity of that short form."""
        content = {k[:4] for w, k in zip(words, keys) if k and len(k) > 2 and w.lower() not in _STOP}
        if not content:
            return False
        ent = self.kb.entities[eid]
        names = [n for n in (ent.label, *ent.aliases) if len(n.split()) >= 2 or "-" in n]
        if not names:
            return False  # nothing to compare with: keep the KB sense
        for n in names:
            theirs = {normalize_key(w)[:4] for w in n.replace("-", " ").split() if len(normalize_key(w)) > 2}
            if len(content & theirs) * 2 >= min(len(content), len(theirs)):
                return False
        return True

    def _kb_head_type(self, kb_matches, s, e) -> str | None:
        """Type of a phrase whose last word is a KB name: "Language augmented CLIP" -> Model."""
        for m in kb_matches:
            if m[1] == e and m[0] > s and len(m[2]) == 1:
                return self.kb.entities[m[2][0]].type
        return None

    def _variant_key(self, doc: Doc, tv: TokenView, s, e, family_id, kb_matches):
        texts, keys, starts, ends, spaced = tv
        m_end = next(m[1] for m in kb_matches if m[0] == s)
        suffix = doc_text(doc)[starts[m_end] : ends[e - 1]]
        suffix_slug = slugify(suffix)
        vid = f"{family_id}-{suffix_slug}"
        parent = family_id
        segs = [t for t in texts[m_end:e] if t not in JOINERS]
        size_at = next((i for i, t in enumerate(segs) if rules.is_size(t)), None)
        if size_at is not None and size_at + 1 < len(segs):
            parent = f"{family_id}-{slugify('-'.join(segs[: size_at + 1]))}"
        if vid in self.kb.entities:
            return ("kb", vid)
        return ("variant", vid, parent)

    def _disambiguate(self, doc: Doc, tv: TokenView, c, abbrev_map, unique_ids):
        s, e, _rule, _key, _t, _conf, ids = c
        texts = tv[0]
        letters = letters_of("".join(texts[s:e]))
        key = abbrev_map.get(letters)
        if key is not None and key[0] == "kb" and key[1] in ids:
            return key
        present = [i for i in ids if i in unique_ids or any(p in unique_ids for p in self.kb.children.get(i, ()))]
        if len(present) == 1:
            return ("kb", present[0])
        # one candidate is the family of all the others: the family is a safe, not guessed, answer
        for i in ids:
            if all(o == i or i in self.kb.parent_chain(o) for o in ids):
                return ("kb", i)
        return None

    def _repeats(self, doc: Doc, tv: TokenView, cands, abbrev_map, labels):
        """Other occurrences in this document of discovered names and defined short forms."""
        texts, keys, starts, ends, spaced = tv
        text = doc_text(doc)
        index: dict[str, tuple] = {}
        exact: dict[str, str] = {}
        capitals: set[str] = set()  # one-word names with inner capitals ("ESPORT", "REcycling", "UltraEdit")
        for c in cands:
            key = c[3]
            if key is None or key[0] == "kb" or c[2] in ("head-noun",):
                continue
            surface = text[starts[c[0]] : ends[c[1] - 1]]
            k = normalize_key(surface)
            if k and k not in index:
                index[k] = (key, c[4])
                if len(k) <= 5:
                    exact[k] = letters_of(surface)
                elif any(ch.isupper() for ch in surface[1:]) and not any(ch in " -–_" for ch in surface):
                    capitals.add(k)
        for letters, key in abbrev_map.items():
            k = normalize_key(letters)
            if k and k not in index:
                index[k] = (key, None)
                exact[k] = letters
        if not index:
            return
        lookup, prefixes = with_plurals(index)
        existing = {(c[0], c[1]) for c in cands}
        for s, e, k, plural in scan_keys(texts, keys, spaced, lookup, prefixes):
            if (s, e) in existing:
                continue
            if k in exact:
                lt = letters_of(text[starts[s] : ends[e - 1]])
                if lt != exact[k] and not (plural and lt == exact[k] + "s"):
                    continue
            elif k in capitals and not any(ch.isupper() for ch in text[starts[s] + 1 : ends[e - 1]]):
                continue  # "esports" is not the paper's ESPORT: a stylized name keeps its inner capitals
            key, etype = index[k]
            cands.append([s, e, "repeat", key, etype, 0.8, ()])


_STOP = frozenset("of the a an for and with in on to via by from".split())


def _type_after(texts: list[str], short_end: int) -> str | None:
    """"the Multi-View Caption (MVCap) dataset": a type noun right after the definition."""
    k = short_end + 1 if short_end < len(texts) and texts[short_end] == ")" else short_end
    if k < len(texts):
        t = rules.HEAD_TYPE.get(texts[k].lower())
        if t in ("Dataset", "Model", "Method"):
            return t
    return None


def _type_of_appositive(texts: list[str], short_end: int) -> str | None:
    """"Physics Context Builders (PCBs), specialized VLMs fine-tuned to ...": the head of an
    appositive after the definition (a last resort: the long form's own words come first)."""
    k = short_end + 1 if short_end < len(texts) and texts[short_end] == ")" else short_end
    if k < len(texts) and texts[k] == ",":
        t = rules.type_from_appositive(texts[k + 1 : k + 10])
        if t in ("Dataset", "Model", "Method"):
            return t
    return None


def _named_as_own_thing(texts: list[str], s: int) -> bool:
    """"a novel approach called Image Prompt Segmentation (IPSeg)", "a new method, X": the words
    before the name say it names a method, model or dataset, even when it ends in a task word."""
    k = s - 1
    if k >= 0 and texts[k].lower() in rules.NAMING_WORDS:
        k -= 1
    elif k >= 0 and texts[k] == ",":
        k -= 1
    else:
        return False
    return k >= 0 and rules.HEAD_TYPE.get(texts[k].lower()) in ("Method", "Model", "Dataset")


def _names_task_or_class(words) -> bool:
    """"open-vocabulary semantic segmentation (OVS)", "reward models (RMs)": not entities."""
    return bool(words) and (words[-1].lower() in rules.TASK_HEADS or words[-1].lower() in rules.NON_ENTITY_HEADS
                            or rules.is_plural_class(words) or rules.is_modality_task(words))


def _select(cands):
    """Non-overlapping spans: longest first, then by rule priority, then leftmost."""
    ordered = sorted(cands, key=lambda c: (-(c[1] - c[0]), _PRIORITY.get(c[2], 5), c[0]))
    taken: set[int] = set()
    chosen = []
    for c in ordered:
        rng = range(c[0], c[1])
        if not taken.isdisjoint(rng):
            continue
        taken.update(rng)
        chosen.append(c)
    chosen.sort(key=lambda c: c[0])
    return chosen
