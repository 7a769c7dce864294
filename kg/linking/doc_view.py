"""What the linker's spaCy components share: their doc.user_data keys and cached views of a Doc.

Components keep their findings as plain tuples in doc.user_data (cheap to make and to pickle)
under the keys below; the token view (texts, normalized keys, char offsets, spaces) is computed
once per doc and cached there too (the char offset -> token index maps over it, for the last doc).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.attrs import IDX, ORTH, SPACY
from spacy.tokens import Doc

from kg.linking import rules
from kg.linking.tokenizer import TV, token_key

_TV_ATTRS = [ORTH, IDX, SPACY]
_ORTH_CACHE: dict[int, tuple[str, str, int]] = {}  # orth id -> (text, key, length)
# TV ("kg.tv"): token view (texts, keys, starts, ends, spaces_after), set by kg_tokenizer_v1
SENTS = "kg.sents"      # sentence start token indices
ABBREVS = "kg.abbrevs"  # (long_start, long_end, short_start, short_end)
KB_MATCHES = "kg.kb"    # (start, end, candidate ids, confidence)
FOUND = "kg.found"      # (start, end, type, rule, confidence, introduced, kb id or None, parent)
LINKED = "kg.linked"    # resolver output, see Resolver
ABSTRACT_START = "kg.abstract_start"
TEXT = "kg.text"

# (texts, keys, char starts, char ends, whitespace after) of a doc's tokens; typed for mypyc
TokenView = tuple[list[str], list[str], list[int], list[int], list[bool]]
KBMatch = tuple[int, int, tuple[str, ...], float]  # (start, end, candidate ids, confidence)

JOINERS = frozenset({"-", "–", "_"})
SENT_END = frozenset({".", "!", "?"})


def doc_text(doc: Doc) -> str:
    """doc.text, cached: spaCy rebuilds the string from the tokens on every access."""
    text = doc.user_data.get(TEXT)
    if text is None:
        text = doc.user_data[TEXT] = doc.text
    return text


def token_view(doc: Doc) -> TokenView:
    """Token texts, normalized keys, char starts/ends, and whether whitespace follows (cached)."""
    tv = doc.user_data.get(TV)
    if tv is None:
        arr = doc.to_array(_TV_ATTRS)
        orths = arr[:, 0].tolist()
        starts = arr[:, 1].tolist()
        strings = doc.vocab.strings
        get = _ORTH_CACHE.get
        texts, keys, ends = [], [], []
        for o, s in zip(orths, starts):
            hit = get(o)
            if hit is None:
                t = strings[o]
                hit = _ORTH_CACHE[o] = (t, token_key(t), len(t))  # a possessive "'s" gets the key ""
            texts.append(hit[0])
            keys.append(hit[1])
            ends.append(s + hit[2])
        spaced = list(map(bool, arr[:, 2].tolist()))  # whether whitespace follows the token
        tv = (texts, keys, starts, ends, spaced)
        doc.user_data[TV] = tv
    return tv


class OffsetIndex:
    """char offset -> index of the token starting (or ending) there, over ascending token offsets.

    Read-only and dict-like (get, [], in). A lookup is a binary search: the components look up
    ~20 offsets a document, and a dict of all its ~280 tokens cost more to build than they saved.
    """

    __slots__ = ("offsets",)

    def __init__(self, offsets: list[int]):
        self.offsets = offsets

    def get(self, offset: int, default=None):
        offsets = self.offsets
        i = bisect_left(offsets, offset)
        return i if i < len(offsets) and offsets[i] == offset else default

    def __getitem__(self, offset: int) -> int:
        i = self.get(offset)
        if i is None:
            raise KeyError(offset)
        return i

    def __contains__(self, offset) -> bool:
        return self.get(offset) is not None


# (token starts, token index) of the last doc asked for: its components ask ~15 times in a row.
# Not kept in doc.user_data, which Doc.to_bytes serializes with msgpack (plain data only).
_LAST_INDEX: tuple = (None, None)


def token_index(doc: Doc) -> tuple[OffsetIndex, OffsetIndex]:
    """char start -> token index, char end -> token index (over the cached token view)."""
    global _LAST_INDEX
    starts, ends = token_view(doc)[2:4]
    last_starts, ix = _LAST_INDEX
    if last_starts is not starts:  # the cached view's list, held here: its id cannot be reused
        ix = (OffsetIndex(starts), OffsetIndex(ends))
        _LAST_INDEX = (starts, ix)
    return ix


def compound_around(texts: list[str], keys: list[str], spaced: list[bool], k: int) -> tuple[int, int]:
    """The run of tokens written without spaces (joined by hyphens) that contains token k."""
    s = k
    while s > 0 and not spaced[s - 1] and (keys[s - 1] or texts[s - 1] in JOINERS):
        s -= 1
    while s < k and not keys[s]:
        s += 1
    e = k + 1
    n = len(texts)
    while e < n and not spaced[e - 1] and (keys[e] or texts[e] in JOINERS):
        if texts[e] in JOINERS and e + 1 < n and texts[e + 1].lower() in rules.NAME_END_MODIFIERS:
            break
        if texts[e] in ("'s", "’s", "'"):
            break
        e += 1
    while e - 1 > k and not keys[e - 1]:
        e -= 1
    return s, e



def title_end_token(doc: Doc) -> int:
    """Index of the first abstract token (all tokens when there is no abstract)."""
    a = doc.user_data.get(ABSTRACT_START)
    texts, keys, starts, ends, spaced = token_view(doc)
    if a is None:
        sents = doc.user_data.get(SENTS) or [0]
        return sents[1] if len(sents) > 1 else len(texts)
    return bisect_left(starts, a)  # token starts ascend: the first token starting at or after a


def sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the sentence holding token i (sentence starts ascend: a binary search)."""
    sents = doc.user_data.get(SENTS) or [0]
    k = bisect_right(sents, i)
    return (sents[k - 1] if k else 0), (sents[k] if k < len(sents) else len(doc))
