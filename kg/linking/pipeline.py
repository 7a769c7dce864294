"""The spaCy pipeline of the linker: our own registered components on spacy.blank("en").

    kg_sentences_v1      sentence starts (rule-based, cheap)
    kg_abbreviations_v1  "Long Form (LF)" definitions
    kg_kb_matcher_v1     knowledge-base aliases over normalized token keys
    kg_name_rules_v1     names the KB lacks: model variants and sizes, hardware, "X benchmark",
                         introduced names (title prefix, "we propose X"), list typing
    kg_resolver_v1       one entity per span: overlaps, ambiguity, abbreviations, introduced flag

Components keep their findings as plain tuples in doc.user_data (cheap to make and to pickle);
the resolver also writes doc.spans["kg.entities"] (label_ = type, id_ = entity key) for users of
spaCy. Component state is the knowledge base, shared by reference (see register_kb).

Not supported: training, nlp.pipe(n_process>1) (use link_papers(processes=N) instead).
"""
from __future__ import annotations

import re
from collections import Counter

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from kg.linking import rules
from kg.linking.kb import KnowledgeBase, load_kb
from kg.linking.normalize import letters_of, normalize_key

_KBS: dict[str, KnowledgeBase] = {}
TV = "kg.tv"            # token view: (texts, keys, starts, ends, spaces_after)
SENTS = "kg.sents"      # sentence start token indices
ABBREVS = "kg.abbrevs"  # (long_start, long_end, short_start, short_end)
KB_MATCHES = "kg.kb"    # (start, end, candidate ids, confidence)
FOUND = "kg.found"      # (start, end, type, rule, confidence, introduced, kb id or None, parent)
LINKED = "kg.linked"    # resolver output, see Resolver
ABSTRACT_START = "kg.abstract_start"

JOINERS = frozenset({"-", "–", "_"})
SENT_END = frozenset({".", "!", "?"})


def register_kb(kb: KnowledgeBase) -> str:
    """Make kb reachable by components through their serializable `kb_ref` setting."""
    ref = kb.digest or f"mem-{id(kb)}"
    _KBS[ref] = kb
    return ref


def _get_kb(ref: str) -> KnowledgeBase:
    if ref and ref in _KBS:
        return _KBS[ref]
    kb = load_kb(ref) if ref and not ref.startswith("mem-") and "/" in ref else load_kb()
    _KBS[ref or kb.digest] = kb
    return kb


def token_view(doc: Doc):
    """Token texts, normalized keys, char starts/ends, and whether whitespace follows (cached)."""
    tv = doc.user_data.get(TV)
    if tv is None:
        texts = [t.text for t in doc]
        starts = [t.idx for t in doc]
        ends = [s + len(t) for s, t in zip(starts, texts)]
        keys = [normalize_key(t) for t in texts]
        n = len(texts)
        spaced = [i + 1 < n and ends[i] < starts[i + 1] for i in range(n)]
        tv = (texts, keys, starts, ends, spaced)
        doc.user_data[TV] = tv
    return tv


def title_end_token(doc: Doc) -> int:
    """Index of the first abstract token (all tokens when there is no abstract)."""
    a = doc.user_data.get(ABSTRACT_START)
    texts, keys, starts, ends, spaced = token_view(doc)
    if a is None:
        sents = doc.user_data.get(SENTS) or [0]
        return sents[1] if len(sents) > 1 else len(texts)
    for i, s in enumerate(starts):
        if s >= a:
            return i
    return len(texts)


# ------------------------------------------------------------------------------------------------
@Language.factory("kg_sentences_v1", default_config={})
def make_sentences(nlp: Language, name: str):
    return SentenceSplitter(nlp, name)


class SentenceSplitter:
    """Sentence starts after . ! ? before a capital or digit, and at the abstract start."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        texts, keys, starts, ends, spaced = token_view(doc)
        a = doc.user_data.get(ABSTRACT_START)
        out = [0] if texts else []
        for i in range(1, len(texts)):
            if (texts[i - 1] in SENT_END and spaced[i - 1] and (texts[i][:1].isupper() or texts[i][:1].isdigit())) or (
                a is not None and starts[i] == a
            ):
                out.append(i)
        doc.user_data[SENTS] = out
        return doc


def sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    sents = doc.user_data.get(SENTS) or [0]
    n = len(doc)
    lo, hi = 0, n
    for s in sents:
        if s <= i:
            lo = s
        else:
            hi = s
            break
    return lo, hi


# ------------------------------------------------------------------------------------------------
@Language.factory("kg_abbreviations_v1", default_config={})
def make_abbreviations(nlp: Language, name: str):
    return AbbreviationFinder(nlp, name)


class AbbreviationFinder:
    """Finds "Long Form (LF)": a short form alone in parentheses right after its long form."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        texts, keys, starts, ends, spaced = token_view(doc)
        found = []
        n = len(texts)
        for i in range(1, n - 2):
            if texts[i] != "(":
                continue
            # the short form: one compound (tokens joined without spaces) then ")"
            j = i + 1
            while j < n and texts[j] != ")" and not spaced[j - 1 if j > i + 1 else j] and j - i <= 6:
                j += 1
            if j >= n or texts[j] != ")" or j == i + 1:
                continue
            if any(spaced[k] for k in range(i + 1, j - 1)):
                continue
            short = "".join(texts[i + 1 : j])
            if not rules.is_short_form(short):
                continue
            lo, _hi = sentence_bounds(doc, i)
            left = max(lo, i - 16)
            words = texts[left:i]
            start = rules.find_abbreviation(words, short)
            if start is None:
                continue
            found.append((left + start, i, i + 1, j))
        doc.user_data[ABBREVS] = found
        return doc


# ------------------------------------------------------------------------------------------------
def compile_alias_index(kb: KnowledgeBase):
    """keys -> ((id, exact letters or None), ...), plus every prefix of every key for the scan."""
    index: dict[str, list[tuple[str, str | None]]] = {}
    for eid, ent in kb.entities.items():
        exact_all = eid in kb.case_sensitive
        for surface in (ent.label, *ent.aliases):
            key = normalize_key(surface)
            if not key or key in rules.GENERIC_KEYS:
                continue
            letters = letters_of(surface)
            short = len(key) <= 4 and any(c.isupper() for c in surface)
            exact = letters if (exact_all or short) else None
            entry = index.setdefault(key, [])
            if (eid, exact) not in entry:
                entry.append((eid, exact))
    prefixes = set()
    for key in index:
        for k in range(1, len(key) + 1):
            prefixes.add(key[:k])
    return {k: tuple(v) for k, v in index.items()}, frozenset(prefixes)


def scan_keys(texts, keys, spaced, index, prefixes, max_tokens: int = 12):
    """Longest matches of index keys over concatenated token keys.

    Tokens join across whitespace and hyphens; any other punctuation ends a candidate. Yields
    (start, end, key, plural) with end exclusive; plural means a trailing "s" was dropped.
    """
    n = len(texts)
    out = []
    i = 0
    while i < n:
        k0 = keys[i]
        if not k0 or k0 not in prefixes:
            if k0.endswith("s") and k0[:-1] in index:
                out.append((i, i + 1, k0[:-1], True))
            i += 1
            continue
        key = k0
        best = None
        j = i
        while True:
            if key in index and keys[j]:
                best = (i, j + 1, key, False)
            elif key.endswith("s") and key[:-1] in index and keys[j]:
                best = (i, j + 1, key[:-1], True)
            j += 1
            if j >= n or j - i >= max_tokens:
                break
            nk = keys[j]
            if not nk and texts[j] not in JOINERS:
                break
            key2 = key + nk
            if key2 not in prefixes:
                if nk.endswith("s") and key2[:-1] in index:
                    best = (i, j + 1, key2[:-1], True)
                break
            key = key2
        if best is not None:
            out.append(best)
            i = best[1]
        else:
            i += 1
    return out


@Language.factory("kg_kb_matcher_v1", default_config={"kb_ref": "", "max_tokens": 12})
def make_kb_matcher(nlp: Language, name: str, *, kb_ref: str, max_tokens: int):
    return KBMatcher(nlp, name, kb_ref=kb_ref, max_tokens=max_tokens)


class KBMatcher:
    """Knowledge-base aliases matched on normalized keys; short acronyms need their exact case."""

    def __init__(self, nlp: Language, name: str, *, kb_ref: str = "", max_tokens: int = 12):
        self.name = name
        self.max_tokens = max_tokens
        self.kb = _get_kb(kb_ref)
        self.index, self.prefixes = compile_alias_index(self.kb)

    def __call__(self, doc: Doc) -> Doc:
        texts, keys, starts, ends, spaced = token_view(doc)
        matches = []
        text = doc.text
        for start, end, key, plural in scan_keys(texts, keys, spaced, self.index, self.prefixes, self.max_tokens):
            cands = self._filter(self.index[key], text[starts[start] : ends[end - 1]], plural)
            if cands:
                conf = 0.9 if len(cands) == 1 else 0.5
                matches.append((start, end, cands, conf))
        doc.user_data[KB_MATCHES] = matches
        return doc

    @staticmethod
    def _filter(entries, surface: str, plural: bool) -> tuple[str, ...]:
        got = []
        letters = None
        for eid, exact in entries:
            if exact is not None:
                if letters is None:
                    letters = letters_of(surface)
                if letters != exact and not (plural and letters == exact + "s"):
                    continue
            if eid not in got:
                got.append(eid)
        return tuple(got)


# ------------------------------------------------------------------------------------------------
@Language.factory("kg_name_rules_v1", default_config={"kb_ref": ""})
def make_name_rules(nlp: Language, name: str, *, kb_ref: str):
    return NameRules(nlp, name, kb_ref=kb_ref)


def compounds(texts, keys, spaced, lo: int, hi: int):
    """Maximal runs of tokens written without spaces, joined only by hyphens/underscores/dots.

    Yields (start, end) with end exclusive; trailing joiners are not included.
    """
    i = lo
    while i < hi:
        if not keys[i]:
            i += 1
            continue
        j = i + 1
        while j < hi and not spaced[j - 1] and (keys[j] or texts[j] in JOINERS):
            j += 1
        while j - 1 > i and not keys[j - 1]:
            j -= 1
        yield i, j
        i = j


class NameRules:
    """Names the knowledge base lacks, typed from their shape and context."""

    def __init__(self, nlp: Language, name: str, *, kb_ref: str = ""):
        self.name = name
        self.kb = _get_kb(kb_ref)

    def __call__(self, doc: Doc) -> Doc:
        tv = token_view(doc)
        texts, keys, starts, ends, spaced = tv
        kb_matches = doc.user_data.get(KB_MATCHES, [])
        n = len(texts)
        covered = [None] * n  # token -> kb match index
        for mi, (s, e, cands, conf) in enumerate(kb_matches):
            for k in range(s, e):
                covered[k] = mi
        found = []
        title_end = title_end_token(doc)
        self._variants(doc, tv, kb_matches, found)
        comps = list(compounds(texts, keys, spaced, 0, n))
        for s, e in comps:
            if any(covered[k] is not None for k in range(s, e)):
                continue
            surface = doc.text[starts[s] : ends[e - 1]]
            segs = [texts[k] for k in range(s, e) if keys[k]]
            compact = "".join(segs)
            if rules.is_number_format(compact):
                continue
            if rules.is_hardware_shape(compact) and (len(compact) >= 4 or self._near_hw_word(texts, s, e)):
                found.append((s, e, "Hardware", "hardware-shape", 0.8, False, None, None))
            elif len(segs) >= 2 and segs[0][:1].isalpha() and any(rules.is_size(x) for x in segs[1:]) and rules.is_name_like(surface):
                found.append((s, e, "Model", "size-shape", 0.8, False, None, None))
        self._number_format_methods(doc, tv, found)
        self._title_prefix(doc, tv, title_end, covered, kb_matches, found)
        self._proposed(doc, tv, covered, kb_matches, found)
        self._head_nouns(doc, tv, comps, covered, found)
        doc.user_data[FOUND] = found
        return doc

    @staticmethod
    def _near_hw_word(texts, s, e) -> bool:
        nxt = texts[e].lower() if e < len(texts) else ""
        prev = texts[s - 1].lower() if s > 0 else ""
        return nxt in ("gpu", "gpus", "tpu", "tpus") or prev in ("nvidia", "amd", "google", "intel")

    def _variants(self, doc, tv, kb_matches, found):
        """A KB model followed by size/version/variant segments: a variant of that model."""
        texts, keys, starts, ends, spaced = tv
        n = len(texts)
        for s, e, cands, conf in kb_matches:
            if len(cands) != 1 or self.kb.entities[cands[0]].type != "Model":
                continue
            j = e
            last = e
            while j < n:
                if texts[j] in JOINERS and j + 1 < n and not spaced[j] and not spaced[j - 1]:
                    seg = texts[j + 1]
                    if rules.is_variant_segment(seg) or (seg[:1].isupper() and len(seg) > 1):
                        j += 2
                        last = j
                        continue
                    break
                seg = texts[j]
                if not spaced[j - 1] and rules.is_variant_segment(seg):
                    j += 1
                    last = j
                    continue
                if spaced[j - 1] and (rules.is_size(seg) or (seg[:1].isupper() and seg.lower() in rules.VARIANT_WORDS)):
                    j += 1
                    last = j
                    continue
                break
            if last > e:
                found.append((s, last, "Model", "variant", 0.85, False, cands[0], None))

    @staticmethod
    def _number_format_methods(doc, tv, found):
        """"FP8 training", "INT4 quantization": a numeric format named as a technique is a Method."""
        texts, keys, starts, ends, spaced = tv
        for i in range(len(texts) - 1):
            if rules.is_number_format(texts[i]) and texts[i + 1].lower() in ("training", "quantization", "inference"):
                found.append((i, i + 2, "Method", "format-technique", 0.75, False, None, None))

    def _title_prefix(self, doc, tv, title_end, covered, kb_matches, found):
        """"Name: subtitle" titles introduce Name."""
        texts, keys, starts, ends, spaced = tv
        colon = next((i for i in range(min(title_end, 8)) if texts[i] == ":"), None)
        if not colon:
            return
        words = [w for w in doc.text[starts[0] : ends[colon - 1]].split()]
        if len(words) > 3:
            return
        if not all(w[:1].isupper() or rules.is_name_like(w) for w in words):
            return
        if words[0].lower() in ("the", "a", "an", "on", "towards", "toward", "why", "how", "what", "when"):
            return
        key = normalize_key(" ".join(words))
        if not key or key in rules.GENERIC_KEYS or rules.is_number_format(words[0]):
            return
        mi = covered[0]
        if mi is not None and kb_matches[mi][0] == 0 and kb_matches[mi][1] == colon:
            found.append((0, colon, None, "title-kb", 0.9, True, kb_matches[mi][2][0] if len(kb_matches[mi][2]) == 1 else None, None))
            return
        etype = rules.type_from_name(" ".join(words)) or self._context_type(doc, tv, 0, colon)
        if etype is None:
            sub = texts[colon + 1 : title_end]
            etype = rules.type_from_head_words(_head_scan(sub)) or "Method"
        found.append((0, colon, etype, "title-prefix", 0.85, True, None, None))

    def _context_type(self, doc, tv, s, e) -> str | None:
        """Type from "X, a/an ... HEAD", "X is a ... HEAD", "X HEAD" or "HEAD X" anywhere in the doc."""
        texts, keys, starts, ends, spaced = tv
        key = "".join(keys[s:e])
        n = len(texts)
        votes = Counter()
        span_len = e - s
        i = 0
        while i < n:
            if keys[i] and key.startswith(keys[i]) and "".join(keys[i : i + span_len]) == key:
                t = self._type_around(texts, i, i + span_len)
                if t:
                    votes[t] += 1
                i += span_len
            else:
                i += 1
        return votes.most_common(1)[0][0] if votes else None

    @staticmethod
    def _type_around(texts, s, e) -> str | None:
        n = len(texts)
        if e < n:
            t = rules.HEAD_TYPE.get(texts[e].lower())
            if t:
                return t
        if s > 0:
            t = rules.HEAD_TYPE.get(texts[s - 1].lower())
            if t and t != "Hardware":
                return t
        j = e
        if j < n and texts[j] in (",", "(") or (j + 1 < n and texts[j] == "is"):
            window = texts[j + 1 : j + 9]
            if window and window[0].lower() in ("a", "an", "the", "our", "which", "is"):
                return rules.type_from_head_words(_head_scan(window))
        return None

    def _proposed(self, doc, tv, covered, kb_matches, found):
        """"we propose/introduce/present X": the first coined name after the verb."""
        texts, keys, starts, ends, spaced = tv
        n = len(texts)
        abbrevs = doc.user_data.get(ABBREVS, [])
        for i in range(n):
            if texts[i].lower() not in rules.INTRO_VERBS:
                continue
            lo, hi = sentence_bounds(doc, i)
            before = {t.lower() for t in texts[lo:i]}
            if not before & {"we", "paper", "work", "study", "article", "report", "here"}:
                continue
            j = i + 1
            limit = min(hi, i + 16)
            while j < limit:
                if texts[j] in (".", ";") or texts[j].lower() in ("which", "that", "to", "for", "by", "with"):
                    break
                named = texts[j - 1].lower() in rules.NAMING_WORDS
                if keys[j]:
                    e = j + 1
                    while e < hi and not spaced[e - 1] and (keys[e] or texts[e] in JOINERS):
                        e += 1
                    while e - 1 > j and not keys[e - 1]:
                        e -= 1
                    surface = doc.text[starts[j] : ends[e - 1]]
                    ab = next((a for a in abbrevs if a[0] <= j < a[1]), None)
                    if ab is not None:
                        found.append((ab[0], ab[1], None, "proposed-long", 0.8, True, None, (ab[2], ab[3])))
                        break
                    if covered[j] is not None:
                        m = kb_matches[covered[j]]
                        if m[0] == j and len(m[2]) == 1 and (named or rules.is_name_like(surface)) and self._coined_kb(m[2][0]):
                            found.append((m[0], m[1], None, "proposed-kb", 0.8, True, m[2][0], None))
                            break
                        j = m[1]
                        continue
                    if (named and surface[:1].isupper()) or rules.is_name_like(surface):
                        etype = rules.type_from_name(surface) or self._context_type(doc, tv, j, e) or "Method"
                        found.append((j, e, etype, "proposed", 0.8, True, None, None))
                        break
                    j = e
                    continue
                j += 1

    def _coined_kb(self, eid: str) -> bool:
        # a KB entity can be the one a paper introduces only when it is a specific named thing
        return self.kb.entities[eid].type in ("Model", "Dataset") or eid not in self.kb.case_sensitive

    @staticmethod
    def _head_nouns(doc, tv, comps, covered, found):
        """"X benchmark", "the X dataset", "X models": a coined name right before a type noun."""
        texts, keys, starts, ends, spaced = tv
        n = len(texts)
        for s, e in comps:
            if e >= n or any(covered[k] is not None for k in range(s, e)):
                continue
            t = rules.HEAD_TYPE.get(texts[e].lower())
            if t not in ("Dataset", "Model"):
                continue
            surface = doc.text[starts[s] : ends[e - 1]]
            if rules.is_name_like(surface) and not rules.is_hardware_shape(surface):
                found.append((s, e, t, "head-noun", 0.7, False, None, None))


def _head_scan(words):
    """Words of a subtitle or appositive up to the first preposition that ends its head phrase."""
    out = []
    for w in words:
        if w.lower() in ("for", "of", "with", "via", "to", "in", "on", "by", "using", "through", "from", ":", ",", "."):
            break
        out.append(w)
    return out or words[:1]


# ------------------------------------------------------------------------------------------------
@Language.factory("kg_resolver_v1", default_config={"kb_ref": ""})
def make_resolver(nlp: Language, name: str, *, kb_ref: str):
    from kg.linking.resolve import Resolver

    return Resolver(nlp, name, kb=_get_kb(kb_ref))


# ------------------------------------------------------------------------------------------------
INFIX_EXTRA = r"(?<=[0-9A-Za-z.])[-–_/](?=[0-9A-Za-z])"
PIPES = ("kg_sentences_v1", "kg_abbreviations_v1", "kg_kb_matcher_v1", "kg_name_rules_v1", "kg_resolver_v1")


def build_nlp(kb: KnowledgeBase | None = None) -> Language:
    """spacy.blank("en") with hyphen-splitting infixes, a large tokenizer cache and our components."""
    kb = kb if kb is not None else load_kb()
    ref = register_kb(kb)
    nlp = spacy.blank("en")
    # The default cache keeps only 10,000 chunks and never evicts; the corpus has more.
    nlp.tokenizer.max_cache_size = 1_000_000
    infixes = list(nlp.Defaults.infixes) + [INFIX_EXTRA]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    for factory in PIPES:
        config = {"kb_ref": ref} if factory not in ("kg_sentences_v1", "kg_abbreviations_v1") else {}
        nlp.add_pipe(factory, name=factory[3:-3], config=config)
    return nlp


def run_pipeline(nlp: Language, text: str, abstract_start: int) -> Doc:
    """Tokenize and run every component, with the abstract start known to the components."""
    doc = nlp.make_doc(text)
    doc.user_data[ABSTRACT_START] = abstract_start
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


_WS_RE = re.compile(r"\s+")
