"""kg_name_rules_v1: names the knowledge base lacks, typed from their shape and context.

Model variants and sizes, hardware, benchmark shapes, "X benchmark/dataset/model", FP8-style
techniques, introduced names (title prefix, "we propose X", "X, a novel ..."), list members.
Writes (start, end, type, rule, confidence, introduced, kb id or None, parent) tuples to
doc.user_data[FOUND]; the resolver chooses among them and the KB matches. An introduced name
with no type clue gets type None: the resolver makes it a Method unless another mention of the
name is typed (a default must not outvote evidence).
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.linking import rules
from kg.linking.doc_view import (
    ABBREVS, FOUND, JOINERS, KB_MATCHES, SENT_END, compound_around, doc_text, sentence_bounds, title_end_token,
    KBMatch, TokenView, token_index, token_view,
)

Covered = list[int | None]  # token -> index of the KB match covering it
from kg.linking.kb_registry import get_kb
from kg.linking.normalize import normalize_key


@Language.factory("kg_name_rules_v1", default_config={"kb_ref": ""})
def make_name_rules(nlp: Language, name: str, *, kb_ref: str):
    return NameRules(nlp, name, kb_ref=kb_ref)


def _token_spans(doc: Doc, matches, group: int = 0):
    """(start token, end token, match) for regex matches whose edges fall on token edges."""
    at_start, at_end = token_index(doc)
    for m in matches:
        s = at_start.get(m.start(group))
        e = at_end.get(m.end(group))
        if s is not None and e is not None:
            yield s, e + 1, m


class NameRules:
    """Names the knowledge base lacks, typed from their shape and context."""

    def __init__(self, nlp: Language, name: str, *, kb_ref: str = ""):
        self.name = name
        self.kb = get_kb(kb_ref)

    def __call__(self, doc: Doc) -> Doc:
        tv = token_view(doc)
        texts, keys, starts, ends, spaced = tv
        kb_matches: list[KBMatch] = doc.user_data.get(KB_MATCHES, [])
        text = doc_text(doc)
        n = len(texts)
        covered: Covered = [None] * n
        for mi, (s, e, cands, conf) in enumerate(kb_matches):
            covered[s:e] = [mi] * (e - s)
        found: list[tuple] = []
        title_end = title_end_token(doc)
        self._variants(doc, tv, kb_matches, found)
        self._glued(doc, tv, kb_matches, covered, found)
        # candidates come from regular expressions over the text (fast), mapped back to tokens
        # a compound name with a size segment: Canary-1B, Skywork-PRM-7B, Nemotron-Nano-12B-v2
        at_start, at_end = token_index(doc)
        seen: set[int] = set()
        hardware, size, format_technique = rules.shape_rules_may_match(text)
        for m in rules.SIZE_TOKEN_RE.finditer(text) if size else ():
            k = at_start.get(m.start(1))
            if k is None or k in seen:
                continue
            s, e = compound_around(texts, keys, spaced, k)
            seen.update(range(s, e))
            if s == k or covered[s] is not None or not texts[s][:1].isalpha():
                continue  # a KB name at the start makes it a variant (see _variants)
            if rules.is_name_like(text[starts[s] : ends[e - 1]]):
                # "the OC-2M subset", "LAION-5B dataset": sizes count samples too
                etype = "Dataset" if e < n and rules.HEAD_TYPE.get(texts[e].lower()) == "Dataset" else "Model"
                found.append((s, e, etype, "size-shape", 0.8, False, None, None))
        own = {"".join(keys[a:b]) for _ls, _le, a, b in doc.user_data.get(ABBREVS, ())}
        for m in rules.VARIANT_SUFFIX_RE.finditer(text):
            k = at_end.get(m.end())
            if k is None or k in seen:
                continue
            s, e = compound_around(texts, keys, spaced, k)
            seen.update(range(s, e))
            if e == k + 1 and s < k - 1 and covered[s] is None and texts[s][:1].isalpha() and rules.is_name_like(text[starts[s] : ends[e - 1]]):
                if "".join(keys[s : k - 1]) in own:
                    continue  # "APOLLO-Mini": a variant of the paper's own (typed) name, see the resolver
                found.append((s, e, "Model", "size-shape", 0.75, False, None, None))
        for s, e, m in _token_spans(doc, rules.HARDWARE_RE.finditer(text)) if hardware else ():
            if covered[s] is None and (len(m.group()) >= 4 or self._near_hw_word(texts, s, e)):
                if s > 0 and spaced[s - 1] and keys[s - 1] in rules.HARDWARE_VENDOR_KEYS:
                    s -= 1  # "NVIDIA L40S": the maker is part of a hardware product's name
                found.append((s, e, "Hardware", "hardware-shape", 0.8, False, None, None))
        for m in rules.DATASET_SUFFIX_RE.finditer(text) if any(x in text for x in rules.DATASET_SUFFIXES) else ():
            k = at_end.get(m.end())
            if k is None:
                continue
            s, e = compound_around(texts, keys, spaced, k)
            name = text[starts[s] : ends[e - 1]]
            if e == k + 1 and covered[s] is None and rules.DATASET_SHAPE_RE.fullmatch(name) and rules.is_name_like(name):
                found.append((s, e, "Dataset", "dataset-shape", 0.75, False, None, None))
        for m in rules.FORMAT_TECHNIQUE_RE.finditer(text) if format_technique else ():
            k = at_end.get(m.start())
            if k is not None and k + 1 < n and rules.is_number_format(texts[k]):
                found.append((k, k + 2, "Method", "format-technique", 0.75, False, None, None))
        # "X benchmark", "the X dataset", "X models": a coined name right before a type noun
        for m in rules.find_matches_at(rules.HEAD_NOUN_RE, text, rules.HEAD_NOUN_STARTS):
            h = at_start.get(m.start(1))
            if h is None or h < 1 or texts[h - 1] in JOINERS or not keys[h - 1]:
                continue
            if h > 2 and texts[h - 2] in JOINERS and texts[h - 1].lower() in rules.NAME_END_MODIFIERS:
                continue  # "a larger LM-only model": the modifier, not a name, precedes the noun
            s, e = compound_around(texts, keys, spaced, h - 1)
            if any(covered[k] is not None for k in range(s, e)):
                continue
            name = text[starts[s] : ends[e - 1]]
            if rules.is_short_acronym(name):
                continue  # "NMT models", "VLA models", "CT dataset": a class or a field, not a name
            etype = rules.HEAD_TYPE[m.group(1).lower()]
            if rules.is_name_like(name) and not rules.is_hardware_shape(name) and not rules.is_number_format(name):
                found.append((s, e, etype, "head-noun", 0.7, False, None, None))
            elif etype == "Dataset" and name[:1].isupper():
                # "the Falling Tower dataset": a run of capitalized words naming a dataset
                k = s
                while k > 0 and s - k < 3 and texts[k - 1][:1].isupper() and keys[k - 1] and covered[k - 1] is None:
                    k -= 1
                if k < s and k > 0 and texts[k - 1] not in SENT_END and texts[k - 1][:1].islower():
                    found.append((k, e, etype, "head-noun", 0.65, False, None, None))
        for m in _score_on_matches(text):
            k = at_start.get(m.end())
            if k is None or covered[k] is not None:
                continue
            s, e = compound_around(texts, keys, spaced, k)
            name = text[starts[s] : ends[e - 1]]
            if s == k and rules.is_name_like(name) and not rules.is_short_acronym(name) and not rules.is_number_format(name):
                found.append((s, e, "Dataset", "score-on", 0.65, False, None, None))
        self._title_prefix(doc, tv, title_end, covered, kb_matches, found)
        self._proposed(doc, tv, covered, kb_matches, found)
        self._novel_appositives(doc, tv, title_end, covered, kb_matches, found)
        self._our_named(doc, tv, covered, found)
        self._described(doc, tv, covered, found)
        self._own_name_variants(doc, tv, covered, found)
        self._examples(doc, tv, covered, found)
        self._list_members(doc, tv, title_end, covered, kb_matches, found)
        doc.user_data[FOUND] = found
        return doc

    def _novel_appositives(self, doc: Doc, tv: TokenView, title_end: int, covered: Covered, kb_matches: list[KBMatch],
                           found: list[tuple]):
        """"X, a novel framework for ...": X is introduced, typed by the appositive's head.

        Also an abstract that opens with "X is a/an ...": the paper presents X.
        """
        texts, keys, starts, ends, spaced = tv
        _at_start, at_end = token_index(doc)
        text = doc_text(doc)
        a = title_end
        if a + 3 < len(texts) and texts[a + 1] in ("is", "are") and texts[a + 2].lower() in ("a", "an") and covered[a] is None:
            s, e = compound_around(texts, keys, spaced, a)
            name = text[starts[s] : ends[e - 1]]
            if s == a and e == a + 1 and rules.is_name_like(name):
                etype = rules.type_from_name(name) or rules.type_from_head_words(_head_scan(texts[a + 2 : a + 10]))
                found.append((s, e, etype, "proposed", 0.75, True, None, None))
        for m in rules.NOVEL_APPOSITIVE_RE.finditer(text):
            k = at_end.get(m.start())
            if k is None or not keys[k]:
                continue  # "(PCSR), a novel ...": the definition is handled by the abbreviation rules
            s, e = compound_around(texts, keys, spaced, k)
            if e != k + 1:
                continue
            mi = covered[s]
            if mi is not None:
                ids = kb_matches[mi][2]
                ms = kb_matches[mi][0]
                before = texts[ms - 1].lower() if ms > 0 else "."
                # only when the KB name is the whole name ("introduces Sparse MeZO, a novel ..." is not MeZO)
                verb = before in rules.INTRO_VERBS or before in rules.NAMING_WORDS
                if kb_matches[mi][1] == e and len(ids) == 1 and self._coined_kb(ids[0]) and (verb or before in (".", ",", "(", ":")):
                    # "we propose CISPO, a novel RL algorithm": introduced even if the KB knows it
                    found.append((ms, e, None, "novel-kb" if verb else "proposed-kb", 0.75, True, ids[0], None))
                continue
            name = text[starts[s] : ends[e - 1]]
            if not rules.is_name_like(name):
                continue
            etype = rules.type_from_name(name) or self._type_around(texts, s, e)
            found.append((s, e, etype, "proposed", 0.75, True, None, None))
        at_start, _at_end = token_index(doc)
        for m in rules.RESULTING_NAME_RE.finditer(text):
            j = at_start.get(m.end())
            if j is None or not keys[j]:
                continue
            if covered[j] is not None:
                ms, me, ids, _conf = kb_matches[covered[j]]
                if ms == j and len(ids) == 1 and self._coined_kb(ids[0]):
                    found.append((ms, me, None, "proposed-kb", 0.75, True, ids[0], None))
                continue
            s, e = compound_around(texts, keys, spaced, j)
            name = text[starts[s] : ends[e - 1]]
            if s == j and rules.is_name_like(name):
                etype = rules.type_from_name(name) or rules.HEAD_TYPE.get(m.group(1).lower()) or "Model"
                found.append((s, e, etype, "proposed", 0.75, True, None, None))
        for m in rules.OUR_APPOSITIVE_RE.finditer(text):
            k = at_end.get(m.start())
            if k is None or not keys[k] or covered[k] is not None:
                continue  # a known name before "our ..." is compared with, not introduced
            s, e = compound_around(texts, keys, spaced, k)
            name = text[starts[s] : ends[e - 1]]
            if e != k + 1 or not rules.is_name_like(name) or rules.is_short_acronym(name):
                continue
            etype = rules.type_from_name(name) or rules.HEAD_TYPE.get(m.group(1).lower()) or "Method"
            found.append((s, e, etype, "proposed", 0.75, True, None, None))

    def _own_name_variants(self, doc: Doc, tv: TokenView, covered: Covered, found: list[tuple]):
        """Other versions and sizes of a name the paper introduces: "RLIPv1" beside the title's
        "RLIPv2" (an entity of the same type, not introduced); "the MoMa 1.4B model" (a sized
        variant: a Model, and evidence that MoMa itself is a model)."""
        texts, keys, starts, ends, spaced = tv
        n = len(texts)
        own: dict[str, tuple] = {}
        for f in found:
            if f[5] and f[3] in ("title-prefix", "proposed") and f[1] - f[0] == 1:
                own.setdefault(texts[f[0]], f)
        if not own:
            return
        taken = {(f[0], f[1]) for f in found}
        versions = {}
        for name, f in own.items():
            m = _VERSIONED_RE.fullmatch(name)
            if m and len(m.group(1)) >= 3:
                versions[m.group(1)] = (m.group(2), f)
        for i in _token_positions(doc, own):
            if i + 1 < n and spaced[i] and rules.is_size(texts[i + 1]) and (i, i + 2) not in taken:
                # "MoMa 1.4B": the introduced name with a parameter count
                if i + 2 >= n or not keys[i + 2] or spaced[i + 1]:
                    found.append((i, i + 2, "Model", "size-shape", 0.8, False, None, None))
                    found.append((i, i + 1, "Model", "repeat", 0.8, False, None, None))
                    taken.add((i, i + 2))
        if not versions:
            return
        at_start, _at_end = token_index(doc)
        for base, (version, f) in versions.items():
            for m in re.finditer(re.escape(base) + r"(v?\d+(?:\.\d+)?)(?![\w.-])", doc_text(doc)):
                i = at_start.get(m.start())
                if i is None or m.group(1) == version or covered[i] is not None or (i, i + 1) in taken:
                    continue
                if ends[i] == m.end() and compound_around(texts, keys, spaced, i) == (i, i + 1):
                    found.append((i, i + 1, f[2], "list", 0.7, False, None, None))
                    taken.add((i, i + 1))

    def _described(self, doc: Doc, tv: TokenView, covered: Covered, found: list[tuple]):
        """"GigaVerbo, a concatenation of deduplicated Portuguese text corpora", "TRACLM, a family of
        LLMs", "ChartSFT, a comprehensive dataset": a coined name the knowledge base lacks, described
        by an appositive whose head noun types it. Introduced when the sentence speaks of "we"/"our"
        (the "a novel/new ..." appositives are _novel_appositives')."""
        texts, keys, starts, ends, spaced = tv
        text = doc_text(doc)
        _at_start, at_end = token_index(doc)
        seen = {(f[0], f[1]) for f in found}
        for m in rules.DESCRIBED_APPOSITIVE_RE.finditer(text):
            k = at_end.get(m.start())
            if k is None or not keys[k] or covered[k] is not None:
                continue
            s, e = compound_around(texts, keys, spaced, k)
            if e != k + 1 or (s, e) in seen or any(covered[i] is not None for i in range(s, e)):
                continue
            name = text[starts[s] : ends[e - 1]]
            if not rules.is_name_like(name) or rules.is_short_acronym(name) or normalize_key(name) in rules.ORG_KEYS:
                continue
            if s > 0 and keys[s - 1] and (texts[s - 1][:1].isupper() or rules.is_name_like(texts[s - 1])):
                continue  # "REcycling the Web with guIded REwrite, a method": the end of a longer name
            etype = rules.type_from_appositive(rules.skip_quantity_noun(texts[e + 1 : e + 12]))
            if etype not in ("Model", "Dataset", "Method"):
                continue
            lo, hi = sentence_bounds(doc, s)
            intro = any(t.lower() in ("we", "our") for t in texts[lo:hi])
            found.append((s, e, etype, "described", 0.7, intro, None, None))

    def _examples(self, doc: Doc, tv: TokenView, covered: Covered, found: list[tuple]):
        """"synthetic datasets, including ToCa, SS1M, and ST+MJ", "datasets from Carolina and BrWac",
        "benchmarks (e.g., AIME24/25, AMC23, etc.)": names listed as examples of a typed head noun.

        Items are capitalized or coined names separated by commas, "and", "or"; the list ends at
        a lowercase word or punctuation other than a comma.
        """
        texts, keys, starts, ends, spaced = tv
        text = doc_text(doc)
        at_start, at_end = token_index(doc)
        for m in rules.find_matches_at(rules.EXAMPLES_CUE_RE, text, rules.EXAMPLES_CUE_STARTS):
            k = at_end.get(m.end())
            if k is None:
                continue
            start = m.start() - 1 if text[m.start() - 1 : m.start()] == "," else m.start()  # "datasets, such as"
            head = text[max(0, start - 12) : start].rsplit(" ", 1)[-1].lower()
            etype = rules.EXAMPLE_HEAD_TYPE.get(head)
            if etype is None:
                continue
            if (m.group().endswith("from") or m.group() == " (") and etype != "Dataset":
                continue  # "large language models (LLMs)": a bare parenthesis lists only datasets
            j = k + 1
            _lo, hi = sentence_bounds(doc, k)
            for _item in range(8):
                conj = False  # the item is reached through "and"/"or", not a bare comma
                while j < hi and (texts[j] == "," or texts[j].lower() in ("and", "or")):
                    conj = conj or texts[j] != ","
                    j += 1
                if j >= hi or not keys[j] or not (texts[j][:1].isupper() or rules.is_name_like(texts[j])):
                    break
                if covered[j] is not None:
                    j += 1
                    while j < hi and covered[j] is not None and covered[j] == covered[j - 1]:
                        j += 1
                    continue
                s, e = compound_around(texts, keys, spaced, j)
                if s != j:
                    break
                # a multi-word name: following capitalized words or numbers ("Open Catalyst 2020")
                while e < hi and e - s < 4 and spaced[e - 1] and keys[e] and covered[e] is None and (
                        texts[e][:1].isupper() or texts[e].isdigit()) and texts[e].lower() not in ("and", "or"):
                    e = compound_around(texts, keys, spaced, e)[1]
                if (_item == 0 or not conj) and e < hi and spaced[e - 1] and texts[e][:1].islower() and texts[e].lower() not in ("and", "or", "etc"):
                    # "techniques such as P2P conversion": the name only modifies a noun phrase;
                    # "models like T-NLG, T3 speeds up ...": after a bare comma a clause begins
                    break
                name = text[starts[s] : ends[e - 1]]
                key = normalize_key(name)
                if key and key not in rules.GENERIC_KEYS and key not in rules.ORG_KEYS and not rules.is_number_format(name):
                    if etype != "Model" or rules.is_name_like(name) or e - s == 1:
                        found.append((s, e, etype, "example", 0.65, False, None, None))
                j = e
                if j < hi and texts[j] not in (",",) and texts[j].lower() not in ("and", "or"):
                    break

    def _our_named(self, doc: Doc, tv: TokenView, covered: Covered, found: list[tuple]):
        """"Our first approach is Batch-Scheduled Sampling", "a novel ... technique (Variance Horizon)":
        the paper names its own contribution after a type noun; typed by that noun, introduced."""
        texts, keys, starts, ends, spaced = tv
        text = doc_text(doc)
        at_start, _at_end = token_index(doc)
        for regex, paren in ((rules.OUR_HEAD_IS_RE, False), (rules.HEAD_PAREN_NAME_RE, True)):
            for m in regex.finditer(text):
                j = at_start.get(m.end())
                if j is None or covered[j] is not None:
                    continue
                if paren:  # only after a type noun, and only what the paper calls new or its own
                    head = text[max(0, m.start() - 14) : m.start()].rsplit(" ", 1)[-1].lower()
                    if head not in rules.PAREN_NAME_HEADS:
                        continue
                    before = text[max(0, m.start() - 60) : m.start()].lower()
                    if not any(w in before.split() for w in ("novel", "new", "our", "proposed")):
                        continue
                _lo, hi = sentence_bounds(doc, j)
                e = j + 1
                while e < hi and e - j < 10 and keys[e] and (
                        (not spaced[e - 1]) or (texts[e][:1].isupper() and texts[e - 1] not in JOINERS)):
                    e += 1
                while e < hi and texts[e] in JOINERS and not spaced[e - 1] and e + 1 < hi and keys[e + 1] and not spaced[e]:
                    e += 2  # a hyphenated word continues the name
                    while e < hi and keys[e] and not spaced[e - 1]:
                        e += 1
                    while e < hi and e - j < 10 and keys[e] and texts[e][:1].isupper() and spaced[e - 1]:
                        e += 1
                if paren and (e >= len(texts) or texts[e] != ")"):
                    continue
                name = text[starts[j] : ends[e - 1]]
                if normalize_key(name) in rules.GENERIC_KEYS or (e - j == 1 and not rules.is_name_like(name) and not paren):
                    continue
                etype = rules.type_from_name(name) or rules.HEAD_TYPE.get(head if paren else m.group(1).lower()) or "Method"
                found.append((j, e, etype, "proposed", 0.75, True, None, None))

    def _list_members(self, doc: Doc, tv: TokenView, title_end: int, covered: Covered, kb_matches: list[KBMatch],
                      found: list[tuple]):
        """"Whisper, Seamless, OWSM, and Canary-1B": unknown names listed with typed ones share their type.

        Only coined-looking names join (or any capitalized name when two listed items agree on
        the type); the list must be plain (commas, "and", "or", parenthesised figures).
        """
        texts, keys, starts, ends, spaced = tv
        n = len(texts)
        typed: dict[tuple[int, int], str] = {}
        for s, e, ids, conf in kb_matches:
            if len(ids) == 1:
                typed[(s, e)] = self.kb.entities[ids[0]].type
        for f in found:
            if f[2] in ("Model", "Dataset", "Method", "Hardware") and f[3] in ("variant", "size-shape", "hardware-shape"):
                typed[(f[0], f[1])] = f[2]
        if len(typed) < 1:
            return
        taken = {k for f in found for k in range(f[0], f[1])}
        for _round in range(3):
            added = False
            for (s, e), etype in list(typed.items()):
                for cand in (self._right_item(texts, keys, spaced, e), self._left_item(texts, keys, spaced, s)):
                    if cand is None or cand in typed:
                        continue
                    cs, ce = cand
                    if any(covered[k] is not None or k in taken for k in range(cs, ce)):
                        continue
                    name = doc_text(doc)[starts[cs] : ends[ce - 1]]
                    if ce < n and texts[ce] == "et":
                        continue  # "(IMP, Han et al., 2015)": a cited author, not a name
                    if (cs > 0 and texts[cs - 1] == "," and ce < n and spaced[ce - 1] and texts[ce][:1].islower()
                            and texts[ce].lower() not in ("and", "or", "etc")):
                        continue  # "models like T-NLG, T3 speeds up ...": after a bare comma a clause begins
                    if not name[:1].isupper() or normalize_key(name) in rules.GENERIC_KEYS or rules.is_number_format(name):
                        continue
                    if (cs == 0 or texts[cs - 1] in SENT_END or cs < title_end) and not rules.is_name_like(name):
                        continue  # "Moreover, ..." or a Title Case title: a capital proves nothing
                    neighbours = sum(1 for c in (self._right_item(texts, keys, spaced, ce), self._left_item(texts, keys, spaced, cs))
                                     if c is not None and typed.get(c) == etype)
                    if not (rules.is_name_like(name) or neighbours >= 2 or len(_list_types(typed, etype)) >= 2 and neighbours):
                        continue
                    typed[cand] = etype
                    taken.update(range(cs, ce))
                    found.append((cs, ce, etype, "list", 0.6, False, None, None))
                    added = True
            if not added:
                break

    @staticmethod
    def _right_item(texts: list[str], keys: list[str], spaced: list[bool], e: int):
        n = len(texts)
        j = e
        while j + 1 < n and texts[j] == "/" and texts[j + 1].isdigit():
            j += 2  # "Kinetics-400/600/700, Moments-in-Time": the other versions, then the next item
        if j < n and texts[j] == "(":  # "Llama-2 (7B)" / "EurusPRM (31.3%)"
            k = j + 1
            while k < n and k - j < 8 and texts[k] != ")":
                k += 1
            if k >= n or texts[k] != ")":
                return None
            j = k + 1
        sep = j
        if j < n and texts[j] == ",":
            j += 1
        if j < n and texts[j].lower() in ("and", "or"):
            j += 1
        if j == sep or j >= n or not keys[j]:
            return None
        return compound_around(texts, keys, spaced, j) if texts[j][:1].isalnum() else None

    @staticmethod
    def _left_item(texts: list[str], keys: list[str], spaced: list[bool], s: int):
        j = s - 1
        if j >= 0 and texts[j].lower() in ("and", "or"):
            j -= 1
        if j >= 0 and texts[j] == ",":
            j -= 1
        if j == s - 1 or j < 0:
            return None
        if texts[j] == ")":
            k = j - 1
            while k >= 0 and j - k < 8 and texts[k] != "(":
                k -= 1
            if k < 1 or texts[k] != "(":
                return None
            j = k - 1
        if not keys[j] or not texts[j][:1].isalnum():
            return None
        cs, ce = compound_around(texts, keys, spaced, j)
        return (cs, ce) if ce == j + 1 else None

    @staticmethod
    def _near_hw_word(texts: list[str], s: int, e: int) -> bool:
        nxt = texts[e].lower() if e < len(texts) else ""
        prev = texts[s - 1].lower() if s > 0 else ""
        return nxt in ("gpu", "gpus", "tpu", "tpus") or prev in ("nvidia", "amd", "google", "intel")

    def _variants(self, doc: Doc, tv: TokenView, kb_matches: list[KBMatch], found: list[tuple]):
        """A KB model followed by size/version/variant segments: a variant of that model."""
        texts, keys, starts, ends, spaced = tv
        n = len(texts)
        for s, e, cands, conf in kb_matches:
            if len(cands) != 1 or self.kb.entities[cands[0]].type != "Model":
                continue
            if s > 1 and texts[s - 1] in JOINERS and not spaced[s - 2] and not spaced[s - 1]:
                continue  # "RLHFlow-PRM-Mistral-8B" is not a Mistral variant: the compound is the name
            j = e
            last = e
            while j < n:
                if texts[j] in JOINERS and j + 1 < n and not spaced[j] and not spaced[j - 1]:
                    seg = texts[j + 1]
                    if seg.lower() in rules.NAME_END_MODIFIERS:
                        break  # "Autoencoder-Based Codes": a modifier, not a variant
                    if rules.is_variant_segment(seg) or (seg[:1].isupper() and len(seg) > 1):
                        j += 2
                        last = j
                        continue
                    break
                seg = texts[j]
                if not spaced[j - 1] and (rules.is_variant_segment(seg) or (seg in _UNIT_LETTERS and texts[j - 1].isdigit())):
                    # "MiniCPM-128K" comes tokenized as "128" "K": the unit belongs to the segment
                    j += 1
                    last = j
                    continue
                if spaced[j - 1] and (rules.is_size(seg) or (seg[:1].isupper() and seg.lower() in rules.VARIANT_WORDS)):
                    j += 1
                    last = j
                    continue
                break
            if last > e and not any(s < m[0] < last and m[1] >= last for m in kb_matches):
                found.append((s, last, "Model", "variant", 0.85, False, cands[0], None))

    def _glued(self, doc: Doc, tv: TokenView, kb_matches: list[KBMatch], covered: Covered, found: list[tuple]):
        """"B-STaR", "FC-MLP", "Dist-DGL", "Batch-Scheduled Sampling": a capitalized or coined word
        glued by a hyphen to the front of a known name makes a different, longer name (typed like
        the known one). Not when the front is itself known ("CNN-LSTM"), a vendor or a plain
        lowercase modifier ("multi-", "non-")."""
        texts, keys, starts, ends, spaced = tv
        text = doc_text(doc)
        defined = {"".join(keys[a:b]) for _ls, _le, a, b in doc.user_data.get(ABBREVS, ())}
        for s, e, ids, conf in kb_matches:
            if len(ids) != 1 or s < 2 or texts[s - 1] not in JOINERS or spaced[s - 1] or spaced[s - 2] or not keys[s - 2]:
                continue
            cs, _ce = compound_around(texts, keys, spaced, s - 2)
            if any(covered[k] is not None for k in range(cs, s - 1)):
                continue
            front = text[starts[cs] : ends[s - 2]]
            fkey = normalize_key(front)
            if (not (front[:1].isupper() or rules.is_name_like(front)) or fkey in rules.ORG_KEYS
                    or fkey in rules.GENERIC_KEYS or rules.is_number_format(front) or front[:1].isdigit()):
                continue
            etype = self.kb.entities[ids[0]].type
            whole = "".join(keys[cs:e])
            if etype == "Hardware" or whole in defined or whole[:-1] in defined:
                continue  # "IIR-SNNs" after "... (IIR-SNN)": a defined short form, found as such
            found.append((cs, e, etype, "glued", 0.75, False, None, None))
        # "VL RewardBench", "Multimodal RewardBench": a modality word or short acronym before a known
        # benchmark names a derived benchmark
        for s, e, ids, conf in kb_matches:
            if len(ids) != 1 or s < 2 or not spaced[s - 1] or covered[s - 1] is not None:
                continue
            if self.kb.entities[ids[0]].type != "Dataset" or texts[s - 2] in SENT_END:
                continue
            front = texts[s - 1]
            if (front.isupper() and 2 <= len(front) <= 3 and front.isalpha() and normalize_key(front) not in rules.GENERIC_KEYS) \
                    or front.lower() in rules.MODALITY_WORDS and front[:1].isupper():
                found.append((s - 1, e, "Dataset", "glued", 0.7, False, None, None))

    def _title_prefix(self, doc: Doc, tv: TokenView, title_end: int, covered: Covered, kb_matches: list[KBMatch],
                      found: list[tuple]):
        """"Name: subtitle" titles introduce Name."""
        texts, keys, starts, ends, spaced = tv
        colon = next((i for i in range(min(title_end, 8)) if texts[i] == ":"), None)
        if not colon:
            return
        words = [w for w in doc_text(doc)[starts[0] : ends[colon - 1]].split()]
        if len(words) > 3 or (len(words) >= 2 and words[-1].lower() in ("report", "card")):
            return  # "Qwen2.5-Math Technical Report: ..." is about a model named elsewhere
        if not all(w[:1].isupper() or rules.is_name_like(w) for w in words):
            return
        if words[0].lower() in ("the", "a", "an", "on", "towards", "toward", "why", "how", "what", "when"):
            return
        if len(words) >= 2 and _GERUND_RE.fullmatch(words[0]):
            return  # "Revisiting ResNets: ...", "Rethinking X: ...": a verb phrase about X, not a name
        if len(words) >= 2 and rules.is_plural_class(words) and not any(rules.is_name_like(w) for w in words):
            return  # "Sleeper Agents: ...": a catch phrase naming a kind of thing, not one thing
        key = normalize_key(" ".join(words))
        if not key or key in rules.GENERIC_KEYS or rules.is_number_format(words[0]):
            return
        mi = covered[0]
        if mi is not None and kb_matches[mi][0] == 0 and kb_matches[mi][1] == colon:
            found.append((0, colon, None, "title-kb", 0.9, True, kb_matches[mi][2][0] if len(kb_matches[mi][2]) == 1 else None, None))
            return
        if len(words) >= 2 and not any(rules.is_name_like(w) for w in words):
            # "Treasure Hunt: ...": ordinary words are a name only if the abstract uses them again
            if not any(title_end <= i <= len(keys) - colon and "".join(keys[i : i + colon]) == key
                       for i in _indices(keys, keys[0])):
                return
        etype = (rules.type_from_name(" ".join(words)) or (rules.type_from_long_form(words) if len(words) > 1 else None)
                 or self._context_type(doc, tv, 0, colon))
        sub = texts[colon + 1 : title_end]
        if etype is None and sub and sub[0].lower() in ("a", "an", "the"):
            # "UniVL: A Unified Video and Language Pre-Training Model ...": the subtitle says what X
            # is; "LLaVolta: Efficient Multi-modal Models via ..." only what X improves
            etype = rules.type_from_head_words(_head_scan(sub))
        found.append((0, colon, etype, "title-prefix", 0.85, True, None, None))

    def _context_type(self, doc: Doc, tv: TokenView, s: int, e: int) -> str | None:
        """Type from "X, a/an ... HEAD", "X is a ... HEAD", "X HEAD" or "HEAD X" anywhere in the doc."""
        texts, keys, starts, ends, spaced = tv
        key = "".join(keys[s:e])
        votes: dict[str, int] = {}  # insertion-ordered: a tie goes to the first type seen
        span_len = e - s
        first = keys[s]
        last_end = -1
        for i in _indices(keys, first):
            if i >= last_end and "".join(keys[i : i + span_len]) == key:
                t = self._type_around(texts, i, i + span_len)
                if t:
                    votes[t] = votes.get(t, 0) + 1
                last_end = i + span_len
        return max(votes, key=votes.__getitem__) if votes else None

    @staticmethod
    def _type_around(texts: list[str], s: int, e: int) -> str | None:
        n = len(texts)
        if e < n:
            t = rules.HEAD_TYPE.get(texts[e].lower())
            if t:
                return t
        if s > 0:
            t = rules.HEAD_TYPE.get(texts[s - 1].lower())
            if t and t != "Hardware":
                return t
        if s > 1 and texts[s - 1] == "," and e < n and texts[e] == ",":
            # "Our reward model, R1-Reward, trained ...": the name set off after a type noun
            t = rules.HEAD_TYPE.get(texts[s - 2].lower())
            if t and t != "Hardware":
                return t
        if s > 1 and texts[s - 1].lower() in rules.NAMING_WORDS | {"the"}:
            # "an architecture, named Primer" / "a framework called X": the head before the naming word
            k = s - 1
            while k > 0 and texts[k].lower() in rules.NAMING_WORDS | {"the", ","}:
                k -= 1
            window = texts[max(0, k - 5) : k + 1]
            t = rules.type_from_head_words(window[-1:]) or None
            if t:
                return t
        j = e
        if j < n and texts[j] in (",", "(") or (j + 1 < n and texts[j] == "is"):
            window = texts[j + 1 : j + 9]
            if window and window[0].lower() in ("a", "an", "the", "our", "which", "is"):
                return rules.type_from_head_words(_head_scan(window))
        return None

    def _proposed(self, doc: Doc, tv: TokenView, covered: Covered, kb_matches: list[KBMatch], found: list[tuple]):
        """"we propose/introduce/present X", "... named X": the coined name the paper introduces.

        After the verb, determiners, adjectives and type nouns may precede the name ("we propose
        a novel framework, X"); a preposition first means the object is not a name ("a new
        paradigm in PRM training").
        """
        texts, keys, starts, ends, spaced = tv
        n = len(texts)
        abbrevs = doc.user_data.get(ABBREVS, [])
        intro = rules.INTRO_TOKENS
        own = {texts[f[0]] for f in found if f[3] == "title-prefix" and f[1] - f[0] == 1}
        for i in _token_positions(doc, intro.intersection(texts)):
            low = texts[i].lower()
            naming = low in rules.NAMING_WORDS
            if low not in rules.INTRO_VERBS and not naming:
                continue
            lo, hi = sentence_bounds(doc, i)
            if _AUTHOR_WORDS.isdisjoint(map(str.lower, texts[lo:i])) and not (
                    i - 1 >= lo and texts[i - 1] in own and low in ("introduces", "proposes", "presents")):
                # "RLIPv2 introduces Asymmetric Language-Image Fusion (ALIF)": the paper's own named
                # thing (the title's name) introducing a part of it speaks for the paper
                continue
            j = i + 1
            limit = min(hi, i + 16)
            while j < limit:
                t = texts[j]
                tl = t.lower()
                if t in (".", ";", ":") or tl in _PROPOSE_STOP:
                    break
                if naming and j == i + 1 and t[:1].islower():
                    # "named gradual pruning with zero-cost neuroregeneration (GraNet)": a lowercase
                    # long form right after the naming word, defined by its short form
                    ab = next((a for a in abbrevs if a[0] == j), None)
                    if ab is not None:
                        found.append((ab[0], ab[1], None, "proposed-long", 0.8, True, None, (ab[2], ab[3])))
                        break
                if not keys[j] or tl in _PROPOSE_SKIP or (t[:1].islower() and not rules.is_name_like(t)):
                    j += 1
                    continue
                if not t[:1].isalpha() and not rules.is_digit_led_name(t):
                    break
                # a name: a run of capitalized or coined words, with its hyphen/digit continuations
                e = j + 1
                while e < hi and (
                    (not spaced[e - 1] and (keys[e] or texts[e] in JOINERS) and texts[e] not in ("'s", "’s")
                     and not (texts[e] in JOINERS and e + 1 < n and texts[e + 1] in _DASH_DETERMINERS)
                     and not (texts[e] in JOINERS and e + 1 < n and texts[e + 1].lower() in rules.NAME_END_MODIFIERS
                              and not _title_case_goes_on(texts, spaced, e + 2, hi)))
                    or (e - j < 8 and keys[e] and (texts[e][:1].isupper() or rules.is_version(texts[e])) and texts[e - 1] not in JOINERS and texts[e].lower() not in _PROPOSE_SKIP)
                ):
                    e += 1
                while e - 1 > j and not keys[e - 1]:
                    e -= 1
                if (e < hi and e - j >= 2 and spaced[e - 1] and texts[e][:1].isupper() and texts[e].lower() in _NAME_HEADS
                        and (covered[e] is None or covered[e] == covered[e - 1])):
                    e += 1  # "Style-Extracting Diffusion Models": a Title Case name keeps its capitalized head noun
                surface = doc_text(doc)[starts[j] : ends[e - 1]]
                ab = next((a for a in abbrevs if a[0] <= j < a[1] or a[2] == j), None)
                if ab is not None:
                    found.append((ab[0], ab[1], None, "proposed-long", 0.8, True, None, (ab[2], ab[3])))
                    break
                mj = covered[j]
                if mj is not None:
                    m = kb_matches[mj]
                    if (m[0] == j and m[1] >= e and len(m[2]) == 1 and (naming or rules.is_name_like(surface)) and self._coined_kb(m[2][0])
                            and not _kind_of_known(texts, spaced, i + 1, m[0], m[1])):
                        found.append((m[0], m[1], None, "proposed-kb", 0.8, True, m[2][0], None))
                    break
                words = surface.split()
                if words[-1].lower() in rules.NON_ENTITY_HEADS:
                    break  # "we propose the Babel Tower Hypothesis": not a method, model or dataset
                # "We propose Aquila-Med, a ...": a capitalized compound right after the verb, then an appositive
                direct = (j == i + 1 and "-" in surface and surface[:1].isupper() and texts[i][:1].islower()
                          and e < n and texts[e] in (",", "("))
                # "We present a simple model, Me-Retriever, which ...": a capitalized name set off
                # by a comma right after the type noun is the object's name
                appositive = (j >= i + 3 and texts[j - 1] == "," and texts[j - 2].lower() in rules.HEAD_TYPE
                              and surface[:1].isupper() and e < n and (texts[e] in (",", "(", ".", ";") or texts[e].lower() in ("which", "that")))
                if (naming or direct or appositive or rules.is_name_like(surface) or rules.is_digit_led_name(surface) or (len(words) >= 2 and all(w[:1].isupper() for w in words))) and normalize_key(surface) not in rules.GENERIC_KEYS:
                    shape = rules.type_from_name(surface)
                    etype = (shape or (rules.type_from_long_form(words) if len(words) > 1 else None)
                             or (rules.HEAD_TYPE[texts[j - 2].lower()] if appositive else None)
                             or self._context_type(doc, tv, j, e))
                    if shape == "Model" and not any(rules.is_size(w) for w in rules.NAME_SEGMENTS_RE.split(surface)):
                        # "Mindspeed-MLLM, a distributed ... training framework": the appositive
                        # says what it is; a name ending in LLM/Net only suggests a model
                        etype = self._context_type(doc, tv, j, e) or etype
                    found.append((j, e, etype, "proposed", 0.8, True, None, None))
                    self._coordinated(doc, tv, e, hi, covered, etype, found)
                break

    def _coordinated(self, doc: Doc, tv: TokenView, e: int, hi: int, covered: Covered, etype: str | None,
                     found: list[tuple]):
        """"we introduce TokenAdapt and ColorAdapt": coined names coordinated with an introduced one."""
        texts, keys, starts, ends, spaced = tv
        for _ in range(3):
            j = e
            if j < hi and texts[j] == ",":
                j += 1
            if j < hi and texts[j].lower() in ("and", "or"):
                j += 1
            if j == e or j >= hi or not keys[j] or covered[j] is not None:
                return
            s, e = compound_around(texts, keys, spaced, j)
            name = doc_text(doc)[starts[s] : ends[e - 1]]
            if s != j or not rules.is_name_like(name):
                return
            found.append((s, e, rules.type_from_name(name) or etype, "proposed", 0.75, True, None, None))

    def _coined_kb(self, eid: str) -> bool:
        # a KB entity can be the one a paper introduces only when it is a specific named thing
        return self.kb.entities[eid].type in ("Model", "Dataset") or eid not in self.kb.case_sensitive


_ON_CAPITAL_RE = re.compile(r" on (?:the )?(?=[A-Z])")


def _score_on_matches(text: str):
    """rules.SCORE_ON_RE.finditer(text), searched only in the 40 characters before each
    " on (the) Capital" (the pattern's fixed tail): a scan of the whole text tries the pattern's
    alternation at every character (~25x slower, a tenth of the pipeline's time)."""
    seen = set()
    for o in _ON_CAPITAL_RE.finditer(text):
        for m in rules.SCORE_ON_RE.finditer(text, max(0, o.start() - 40), o.end() + 1):
            if m.end() not in seen:
                seen.add(m.end())
                yield m


_PHRASE_END = frozenset(
    "for of with via to in on by using through from that which who where aims aiming designed is are can : , . ( ;".split()
)


# Words before "propose/introduce/..." that make the paper the subject ("we", "this paper")
_AUTHOR_WORDS = frozenset("we our paper work study article report here".split())
_PROPOSE_SKIP = frozenset(
    """a an the our two three this these novel new simple effective efficient general unified scalable
    first principled lightweight generalizable versatile powerful large small comprehensive open
    open-source fully yet highly robust practical""".split()
) | frozenset(rules.HEAD_TYPE) | {","}
_PROPOSE_STOP = frozenset(
    "in of on to for by with from at as which that who where when while and or but based".split()
)


_UNIT_LETTERS = frozenset("KMBT")
_GERUND_RE = re.compile(r"[A-Z][a-z]+ing")
# "RLIPv2" -> ("RLIP", "v2"); "Quamba2" -> ("Quamba", "2"): a coined name with a version number
_VERSIONED_RE = re.compile(r"([A-Za-z][A-Za-z-]*[A-Za-z])(v?\d+(?:\.\d+)?)")
_NAME_HEADS = frozenset("model models network networks transformer transformers".split())
# "we propose ULTRAEDIT-a fundamentally new ...": a hyphen written for a dash before a determiner ends the name
_DASH_DETERMINERS = frozenset("a an the".split())


def _title_case_goes_on(texts: list[str], spaced: list[bool], k: int, hi: int) -> bool:
    """"Correlation-guided Compression": a capitalized word after a hyphenated modifier means the
    Title Case name goes on (in running text "LLM-based framework" ends the name)."""
    return k < hi and spaced[k - 1] and texts[k][:1].isupper() and texts[k].lower() not in _PROPOSE_SKIP


def _kind_of_known(texts: list[str], spaced: list[bool], obj_start: int, s: int, e: int) -> bool:
    """"we build a general GNN training system", "we introduce a compact VAE": the known name only
    modifies the object, or the object is a new instance of a known kind ("a ... VAE"), so the
    paper does not introduce the known entity itself."""
    between = [t.lower() for t in texts[obj_start:s]]
    if ("a" in between or "an" in between) and "," not in between and rules.NAMING_WORDS.isdisjoint(between):
        return True
    return e < len(texts) and spaced[e - 1] and texts[e][:1].islower() and texts[e].lower() not in _OBJECT_END


_OBJECT_END = frozenset("and or which that for to with in on as by via from is are was were".split())


def _token_positions(doc: Doc, words) -> list[int]:
    """Indices of the tokens whose text is one of words, ascending. str.find over the text costs
    a fraction of a pass over the token list (a comprehension or compress/map: ~300 instructions
    a token); the set of words present comes cheaply from set.intersection(texts)."""
    texts, _keys, _starts, _ends, _spaced = token_view(doc)
    text = doc_text(doc)
    at_start, _at_end = token_index(doc)
    out = []
    for w in words:
        p = text.find(w)
        while p >= 0:
            k = at_start.get(p)
            if k is not None and texts[k] == w:
                out.append(k)
            p = text.find(w, p + 1)
    out.sort()
    return out


def _indices(items: list, value) -> list[int]:
    """Where value occurs in items, in order. list.count and list.index compare in C: about half
    the instructions of a comprehension over enumerate() of the tokens."""
    out = []
    i = -1
    for _ in range(items.count(value)):
        i = items.index(value, i + 1)
        out.append(i)
    return out


def _list_types(typed, etype):
    return [k for k, t in typed.items() if t == etype]


def _head_scan(words):
    """Words of a subtitle or appositive up to the first word that ends its noun phrase."""
    out = []
    for w in words:
        if w.lower() in _PHRASE_END:
            break
        out.append(w)
    return out or words[:1]
