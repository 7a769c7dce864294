"""kg_kb_matcher_v1: knowledge-base aliases over normalized token keys.

Case rules for short acronyms and stylized names, vendor prefixes trimmed; writes
(start, end, candidate ids, confidence) tuples to doc.user_data[KB_MATCHES]. The matcher saves its
compiled alias index with to_disk/from_disk.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.linking import rules
from kg.linking.doc_view import JOINERS, KB_MATCHES, doc_text, title_end_token, token_view
from kg.linking.kb import KnowledgeBase
from kg.linking.kb_registry import get_kb
from kg.linking.normalize import letters_of, normalize_key


def compile_alias_index(kb: KnowledgeBase):
    """keys -> ((id, exact letters or None, stylized, camel), ...), plus every prefix of every key.

    exact: short acronyms (<= 4 characters with a capital) and case_sensitive entries match
    only their exact spelling. stylized: names with capitals after the first letter never match
    an all-lowercase word ("multiple" is not MultiPL-E, "reinforce" is not REINFORCE). camel: the
    letters of a one-word CamelCase name ("EfficientZero"); written apart it must keep their case
    ("Flash Attention" is FlashAttention, "Ada in" is not AdaIN, "the open LLaMA-2" is not
    OpenLLaMA), and ordinary words do not match it when the match cuts a hyphenated word
    ("Efficient Zero-Knowledge").
    """
    index: dict[str, list[tuple[str, str | None, bool, str | None]]] = {}
    for eid, ent in kb.entities.items():
        exact_all = eid in kb.case_sensitive
        for surface in (ent.label, *ent.aliases):
            key = normalize_key(surface)
            if not key or key in rules.GENERIC_KEYS:
                continue
            letters = letters_of(surface)
            short = len(key) <= 4 and any(c.isupper() for c in surface)
            exact = letters if (exact_all or short) else None
            # stylized: capitals after the first letter (PaLM, MultiPL-E, LLaMA, REINFORCE)
            stylized = any(c.isupper() for c in letters[1:])
            camel = letters if _CAMEL_JOIN_RE.search(surface) and not _SEPARATOR_RE.search(surface) else None
            entry = index.setdefault(key, [])
            if (eid, exact, stylized, camel) not in entry:
                entry.append((eid, exact, stylized, camel))
    return {k: tuple(v) for k, v in index.items()}


_CAMEL_JOIN_RE = re.compile(r"[a-z][A-Z]")
_SEPARATOR_RE = re.compile(r"[\s_-]")
_PLAIN_WORD_RE = re.compile(r"[A-Za-z][a-z]+")
# a possessive token whose "s" the normalized key of a name keeps ("humanityslastexam")
_INNER_POSSESSIVES = frozenset({"'s", "’s", "'S"})


def _plain_words_apart(surface: str) -> bool:
    """"Efficient Zero": two or more ordinary words separated by spaces (no inner capitals or digits)."""
    parts = surface.split()
    return len(parts) >= 2 and all(_PLAIN_WORD_RE.fullmatch(p) for p in parts)


def scan_keys(texts: list[str], keys: list[str], spaced: list[bool] | None, index: dict[str, tuple[str, bool]],
              prefixes: frozenset[str], max_tokens: int = 12) -> list[tuple[int, int, str, bool]]:
    """Longest matches of index keys over concatenated token keys.

    Tokens join across whitespace and hyphens, and across a slash written without spaces
    ("ViT-B/16", "CNN/DailyMail"; spaced is None: never); a possessive inside a name adds its "s"
    ("Humanity's Last Exam", never at the end: "PRIME's" is not PRIMEs); any other punctuation ends a candidate. index
    maps a key to (base key, plural) -- plural forms are indexed too, so the loop only does
    set and dict lookups. Returns the longest match starting at each token (overlaps are left
    to the resolver) as (start, end, base key, plural) with end exclusive.
    """
    n = len(keys)
    out = []
    get = index.get
    for i in range(n):
        key = keys[i]
        if key not in prefixes:
            continue  # about half the tokens start no indexed key
        best = get(key)
        j = i + 1
        if best is None and j < n and keys[j] and key + keys[j] not in prefixes:
            continue  # most candidates: a word that starts some key ("the"), but not with the next word
        end = j if best is not None else 0
        stop = i + max_tokens
        if stop > n:
            stop = n
        while j < stop:
            nk = keys[j]
            if not nk:
                if texts[j] in JOINERS or (texts[j] == "/" and spaced is not None and not spaced[j - 1] and not spaced[j]):
                    j += 1
                    continue
                if texts[j] in _INNER_POSSESSIVES and key + "s" in prefixes:
                    key += "s"  # no hit is taken here: one must follow the possessive
                    j += 1
                    continue
                break
            key = key + nk
            if key not in prefixes:
                break
            j += 1
            hit = get(key)
            if hit is not None:
                best, end = hit, j
        if best is not None:
            out.append((i, end, best[0], best[1]))
    return out


def with_plurals(index: dict) -> tuple[dict, frozenset]:
    """key -> (key, False) plus key+"s" -> (key, True), and every prefix of those keys."""
    lookup: dict[str, tuple[str, bool]] = {}
    for key in index:
        if key[-1:].isalpha() and len(key) >= 2:
            lookup.setdefault(key + "s", (key, True))
    for key in index:
        lookup[key] = (key, False)
    # a plural's prefixes are its base key's and itself
    prefixes = {k[:i] for k in index for i in range(1, len(k) + 1)}
    prefixes.update(lookup)
    return lookup, frozenset(prefixes)


@Language.factory("kg_kb_matcher_v1", default_config={"kb_ref": "", "max_tokens": 12})
def make_kb_matcher(nlp: Language, name: str, *, kb_ref: str, max_tokens: int):
    return KBMatcher(nlp, name, kb_ref=kb_ref, max_tokens=max_tokens)


class KBMatcher:
    """Knowledge-base aliases matched on normalized keys; short acronyms need their exact case."""

    def __init__(self, nlp: Language, name: str, *, kb_ref: str = "", max_tokens: int = 12):
        self.name = name
        self.max_tokens = max_tokens
        self.kb = get_kb(kb_ref)
        self.index = compile_alias_index(self.kb)
        self.lookup, self.prefixes = with_plurals(self.index)

    def __call__(self, doc: Doc) -> Doc:
        texts, keys, starts, ends, spaced = token_view(doc)
        matches = []
        text = doc_text(doc)
        reach = 0
        for start, end, key, plural in scan_keys(texts, keys, spaced, self.lookup, self.prefixes, self.max_tokens):
            if end <= reach:
                continue  # inside a longer match
            # a match that stops inside a hyphenated word ("Efficient Zero|-Knowledge") cuts it
            cut = end + 1 < len(texts) and texts[end] in JOINERS and not spaced[end - 1] and bool(keys[end + 1])
            cands = self._filter(self.index[key], text[starts[start] : ends[end - 1]], plural, cut)
            if cands and (rules.is_verb_use(texts, start, end) or rules.is_not_a_mention(texts, spaced, start, end)):
                cands = ()
            if cands and end - start >= 2 and keys[start] in rules.ORG_KEYS:
                start = self._without_vendor(keys, start, end, cands)
            if cands:
                reach = end
                conf = 0.9 if len(cands) == 1 else 0.5
                matches.append((start, end, cands, conf))
        if matches:
            title_end = title_end_token(doc)
            if matches[0][0] < title_end:
                matches = self._without_title_case_words(texts, keys, title_end, matches)
        doc.user_data[KB_MATCHES] = matches
        return doc

    @staticmethod
    def _without_title_case_words(texts, keys, title_end, matches):
        """"Coconut Palm Tree Counting on Drone Images": a one-word KB name that is an ordinary word
        capitalized by the title's Title Case is not the KB entity (Coconut, a reasoning method)
        when the abstract writes that word in lowercase only and never names the entity itself."""
        kept = []
        in_abstract = {eid for m in matches if m[0] >= title_end for eid in m[2]}
        for m in matches:
            s, e = m[0], m[1]
            if (s < title_end and e - s == 1 and _PLAIN_WORD_RE.fullmatch(texts[s]) and texts[s][1:].islower()
                    and not in_abstract.issuperset(m[2])):
                same = [i for i in range(title_end, len(keys)) if keys[i] == keys[s]]
                if same and all(texts[i].islower() for i in same):
                    continue
            kept.append(m)
        return kept

    def to_disk(self, path, *, exclude=()) -> None:
        """Write the compiled alias index (JSON), so a saved pipeline needs no KB files."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = {"kb_digest": self.kb.digest, "max_tokens": self.max_tokens,
                "index": {k: [list(v) for v in vals] for k, vals in sorted(self.index.items())}}
        (path / "aliases.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def from_disk(self, path, *, exclude=()) -> "KBMatcher":
        data = json.loads((Path(path) / "aliases.json").read_text(encoding="utf-8"))
        self.max_tokens = data["max_tokens"]
        self.index = {k: tuple(tuple(v) for v in vals) for k, vals in data["index"].items()}
        self.lookup, self.prefixes = with_plurals(self.index)
        return self

    def _without_vendor(self, keys, start, end, cands) -> int:
        """"OpenAI o1-preview" -> "o1-preview": the organization is not part of the mention,
        when the rest is itself a name of the same entity. Hardware keeps its maker: "NVIDIA
        A100", "Apple M2" are the products' names (the gold guideline's own example)."""
        if any(self.kb.entities[eid].type == "Hardware" for eid in cands):
            return start
        rest = "".join(keys[start + 1 : end])
        hit = self.lookup.get(rest)
        if hit is not None and set(cands) <= {entry[0] for entry in self.index[hit[0]]}:
            k = start + 1
            while k < end and not keys[k]:
                k += 1
            return k
        return start

    @staticmethod
    def _filter(entries, surface: str, plural: bool, cut: bool = False) -> tuple[str, ...]:
        """Ids whose alias accepts this surface's case (see compile_alias_index); cut: the surface
        is followed by a hyphen and more of the same word."""
        got = []
        letters = letters_of(surface)
        stem = letters[:-1] if plural else letters
        lower = letters.islower()
        apart = None
        for eid, exact, stylized, camel in entries:
            if camel is not None:
                if " " in surface and stem != camel:
                    continue  # "Ada in" is not AdaIN: written apart, a CamelCase name keeps its case
                if cut:
                    if apart is None:
                        apart = _plain_words_apart(surface)
                    if apart:
                        continue  # "Efficient Zero-Knowledge Proofs" is not EfficientZero
            if exact is not None:
                # "PALM" for "PaLM": an all-capitals spelling of a mixed-case acronym is the same name
                if stem != exact and not (stylized and stem.isupper() and stem == exact.upper()):
                    continue
            elif stylized and lower and not any(c.isdigit() for c in letters):
                # "multiple" is not MultiPL-E: a stylized name is never written all lowercase,
                # unless it has digits, as in model ids ("gpt-4o-mini", "llama-2-7b")
                continue
            if eid not in got:
                got.append(eid)
        return tuple(got)
