"""The linker's tokenizer: spaCy's English rules, decided once per distinct chunk and cached.

Registered as `kg_tokenizer_v1` (spacy.registry.tokenizers). Token boundaries are exactly those
of spaCy's rule-based English tokenizer with our extra rules (hyphens, underscores and slashes
inside names split, "8xA100" split into count and device, a dot after a capital or digit is
punctuation); only the way they are computed differs:

- the text is split on single spaces into chunks; each distinct chunk is split once and the
  result (pieces, normalized keys, lengths) kept in a dict, so a known chunk costs one lookup;
- a new chunk of a common shape is split by a regular expression, unless spaCy has a special
  case for it ("etc.", "cannot"): a plain ASCII word or number with optional , . ; : after it,
  a number with an optional percent sign ("0.1%,"), a possessive ("actor's"), plain segments
  joined by hyphens in optional parentheses ("(DPO),", "Task-Specific"); nine new chunks in
  ten in abstracts. Each shape was checked against spaCy on ~96k distinct corpus chunks
  (sample, recombined, dev and held-out abstracts; tests/linking/test_tokenizer.py);
- all other new chunks of a document ("Llama-3.1-8B-Instruct", "100K", "and/or") go to spaCy's
  own tokenizer in one call, so their boundaries are spaCy's by construction;
- the Doc is built from the words and spaces (Doc(vocab, words=..., spaces=...)), and the token
  view the components read (texts, keys, char starts, ends, whitespace-after flags) is stored in
  doc.user_data[TV], so components do not rebuild it from the Doc.

Speed (benchmarks/bench_linker.py, one core, shared machine): about as fast as spaCy's
tokenizer on new chunks, where Doc construction and new lexemes dominate; the gain in the
linker comes from handing over the token view and from keep_basic_lex_attrs.

A text with whitespace other than single spaces between words (newlines, tabs, runs of spaces,
leading or trailing spaces) goes to spaCy's tokenizer whole (spaCy makes whitespace tokens);
link_one normalizes whitespace first, so this does not happen in the linker.

Not supported: changing the rules through this object (change `base` and call clear_cache()).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from itertools import accumulate, chain
from operator import add, itemgetter

import spacy
from spacy import attrs
from spacy.attrs import IDX, LENGTH, SPACY
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_suffix_regex

from kg.linking.normalize import normalize_key

TV = "kg.tv"  # token view in doc.user_data: (texts, keys, starts, ends, spaces_after)
# a possessive "'s" is not part of a name ("PRIME's" is not a plural of PRIME): its key is ""
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S"})

# Split hyphens and slashes inside names ("Qwen2.5-VL-7B" -> Qwen2.5 - VL - 7B) so a family
# alias matches the start of a variant; keys fold the separators back.
INFIX_EXTRA = r"(?<=[0-9A-Za-z.])[-–_/](?=[0-9A-Za-z])"
# "8xA100", "8×H100": a device count written against the device name.
INFIX_COUNT = r"(?<=[0-9])[x×](?=[A-Z][0-9])"
# A sentence-final dot after a capital or digit ("LAION-400M.") is punctuation, not part of the name.
SUFFIX_EXTRA = r"(?<=[0-9A-Z])\."

_SIMPLE_RE = re.compile(r"([A-Za-z]+|[0-9]+)([,.;:]?)")
# "(DPO),", "Task-Specific", "ResNet-50": plain segments joined by hyphens, in optional parentheses
_COMPOUND_RE = re.compile(r"(\(?)((?:[A-Za-z]+|[0-9]+)(?:-(?:[A-Za-z]+|[0-9]+))*)(\)?)([,.;:]?)")
_SEGMENT_RE = re.compile(r"-|[^-]+")
# "0.17", "1,398", "10%", "0.1%,": a number, an optional percent sign and punctuation
_NUMBER_RE = re.compile(r"([0-9]+(?:[.,][0-9]+)*)(%?)([,.;:]?)")
# "actor's", "DFT's,": a word and its possessive
_POSSESSIVE_RE = re.compile(r"([A-Za-z]+)('s)([,.;:]?)")
_WS_RE = re.compile(r"\s")
_ONE_SPACE = (1,)
_HARD_ATTRS = [IDX, LENGTH, SPACY]
_PIECES, _KEYS, _SPACES, _ORTHS = (itemgetter(i) for i in range(4))


def spacy_tokenizer(nlp) -> Tokenizer:
    """spaCy's default tokenizer for nlp's language, with our extra infix and suffix rules."""
    tok = spacy.registry.tokenizers.get("spacy.Tokenizer.v1")()(nlp)
    # The default cache keeps only 10,000 chunks and never evicts; the corpus has more.
    tok.max_cache_size = 1_000_000
    tok.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + [INFIX_EXTRA, INFIX_COUNT]).finditer
    tok.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + [SUFFIX_EXTRA]).search
    return tok


# Lexical attributes a new word gets in the vocabulary: the cheap string ones. A new lexeme
# with all of spaCy's English getters costs ~10 us (like_num, shape, like_url, is_stop, ...),
# ~20 new words an abstract; the linker reads none of them. Dropped ones read as False/"".
BASIC_LEX_ATTRS = frozenset({attrs.LOWER, attrs.NORM, attrs.PREFIX, attrs.SUFFIX, attrs.IS_ALPHA, attrs.IS_DIGIT,
                             attrs.IS_LOWER, attrs.IS_UPPER, attrs.IS_TITLE, attrs.IS_SPACE, attrs.LANG})


def keep_basic_lex_attrs(vocab) -> None:
    """Compute only BASIC_LEX_ATTRS for words new to vocab (Token.like_num, .shape_, .is_stop,
    .is_punct and the like are then False/"" on new words)."""
    getters = {k: v for k, v in vocab.lex_attr_getters.items() if k in BASIC_LEX_ATTRS}
    # spaCy's getters for these are Python functions calling a str method or slicing; the method
    # or an itemgetter gives the same value without a Python call per attribute of every new word
    for attr, method in _STR_METHOD_GETTERS.items():
        if attr in getters and getattr(getters[attr], "__name__", "") == _SPACY_GETTER_NAMES[attr]:
            getters[attr] = method
    vocab.lex_attr_getters = getters


_STR_METHOD_GETTERS = {attrs.LOWER: str.lower, attrs.IS_ALPHA: str.isalpha, attrs.IS_DIGIT: str.isdigit,
                       attrs.IS_LOWER: str.islower, attrs.IS_UPPER: str.isupper, attrs.IS_TITLE: str.istitle,
                       attrs.IS_SPACE: str.isspace, attrs.PREFIX: itemgetter(0), attrs.SUFFIX: itemgetter(slice(-3, None))}
_SPACY_GETTER_NAMES = {attrs.LOWER: "lower", attrs.IS_ALPHA: "is_alpha", attrs.IS_DIGIT: "is_digit",
                       attrs.IS_LOWER: "is_lower", attrs.IS_UPPER: "is_upper", attrs.IS_TITLE: "is_title",
                       attrs.IS_SPACE: "is_space", attrs.PREFIX: "prefix", attrs.SUFFIX: "suffix"}


def token_key(text: str) -> str:
    """The matching key of one token (see normalize_key); "" for a possessive."""
    if text.isascii() and text.isalnum():
        return text.lower()  # what normalize_key gives a plain ASCII word, without its regex
    return "" if text in POSSESSIVES else normalize_key(text)


class KGTokenizer:
    """spaCy's tokenization (see module docstring), with a per-chunk cache in front of it."""

    def __init__(self, vocab, base: Tokenizer, *, max_cache_size: int = 1_000_000):
        self.vocab = vocab
        self.base = base
        self.max_cache_size = max_cache_size
        self._cache: dict[str, tuple] = {}
        self._add_string = vocab.strings.add

    def __call__(self, text: str) -> Doc:
        chunks = text.split(" ")
        cache = self._cache
        entries = list(map(cache.get, chunks))
        if None in entries:
            missing = {c for c, e in zip(chunks, entries) if e is None}
            # cached chunks are never empty and hold no whitespace: only new ones need the check
            if "" in missing or _WS_RE.search("".join(missing)):
                return self.base(text)
            if len(cache) + len(missing) > self.max_cache_size:
                cache.clear()  # full: start again (spaCy's own cache just stops adding)
                missing = set(chunks)
            self._add(missing)
            entries = list(map(cache.__getitem__, chunks))
        words = list(chain.from_iterable(map(_PIECES, entries)))
        spaced = list(chain.from_iterable(map(_SPACES, entries)))
        spaced[-1] = 0  # no space after the last chunk
        lens = list(map(len, words))
        starts = list(accumulate(map(add, lens, spaced), initial=0))
        starts.pop()
        ends = list(map(add, starts, lens))
        keys = list(chain.from_iterable(map(_KEYS, entries)))
        # string ids: Doc looks each up in the vocab directly (a str costs two hashes and calls)
        doc = Doc(self.vocab, words=list(chain.from_iterable(map(_ORTHS, entries))), spaces=spaced)
        doc.user_data[TV] = (words, keys, starts, ends, spaced)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def _add(self, chunks) -> None:
        cache = self._cache
        rules = self.base.rules or {}
        hard = []
        for chunk in chunks:
            if chunk in rules:
                hard.append(chunk)
                continue
            if chunk.isascii() and (chunk.isalpha() or chunk.isdigit()):  # most new chunks: one plain word
                cache[chunk] = ((chunk,), (chunk.lower(),), _ONE_SPACE, (self._add_string(chunk),))
                continue
            m = _SIMPLE_RE.fullmatch(chunk)
            if m is not None:
                if m.group(1) in rules:
                    hard.append(chunk)
                else:
                    cache[chunk] = self._entry((m.group(1), m.group(2)) if m.group(2) else (chunk,))
                continue
            m = _NUMBER_RE.fullmatch(chunk) or _POSSESSIVE_RE.fullmatch(chunk)
            if m is not None:
                if m.group(1) in rules or m.group(1) + m.group(2) in rules:
                    hard.append(chunk)
                else:
                    cache[chunk] = self._entry(tuple(g for g in m.groups() if g))
                continue
            m = _COMPOUND_RE.fullmatch(chunk)
            if m is None or chunk.endswith("):"):  # "):" is an emoticon to spaCy
                if self._is_one_token(chunk):
                    cache[chunk] = self._entry((chunk,))
                else:
                    hard.append(chunk)
                continue
            segments = _SEGMENT_RE.findall(m.group(2))
            if not rules.keys().isdisjoint(segments):
                hard.append(chunk)
                continue
            pieces = [m.group(1)] if m.group(1) else []
            pieces += segments
            pieces += [g for g in (m.group(3), m.group(4)) if g]
            cache[chunk] = self._entry(tuple(pieces))
        if hard:
            self._add_hard(sorted(hard))  # sorted: a deterministic order of the one spaCy call

    def _is_one_token(self, chunk: str) -> bool:
        """spaCy keeps a chunk whole when none of its prefix, suffix or infix rules match it
        ("FP8", "A100", "YOLOv8", "pass@1"); special cases are checked before this."""
        base = self.base
        return (base.prefix_search(chunk) is None and base.suffix_search(chunk) is None
                and next(base.infix_finditer(chunk), None) is None)

    def _add_hard(self, hard: list[str]) -> None:
        """Chunks split by spaCy's own tokenizer, all of a document's in one call."""
        joined = " ".join(hard)
        doc = self.base(joined)
        groups: list[tuple[str, ...]] = []
        group: list[str] = []
        for idx, length, space in doc.to_array(_HARD_ATTRS).tolist():
            group.append(joined[idx : idx + length])
            if space:
                groups.append(tuple(group))
                group = []
        if group:
            groups.append(tuple(group))
        if len(groups) != len(hard):  # never seen: a special case spanning chunks; go one by one
            groups = [tuple(t.text for t in self.base(chunk)) for chunk in hard]
        cache = self._cache
        for chunk, pieces in zip(hard, groups):
            cache[chunk] = self._entry(pieces)

    def _entry(self, pieces: tuple[str, ...]) -> tuple:
        """(pieces, their keys, whitespace after each, their string ids) of one chunk."""
        orths = tuple(map(self._add_string, pieces))
        if len(pieces) == 1:
            return (pieces, (token_key(pieces[0]),), _ONE_SPACE, orths)
        return (pieces, tuple(map(token_key, pieces)), (0,) * (len(pieces) - 1) + (1,), orths)

    @contextmanager
    def memory_zone(self, mem=None):
        """Called by nlp.memory_zone(): strings added inside the zone are freed at its end, so
        the chunks cached inside it (whose string ids would dangle) are dropped then."""
        before = set(self._cache)
        try:
            yield mem
        finally:
            for chunk in self._cache.keys() - before:
                del self._cache[chunk]

    def clear_cache(self) -> None:
        self._cache.clear()

    @property
    def rules(self):
        return self.base.rules

    def add_special_case(self, string: str, substrings) -> None:
        self.base.add_special_case(string, substrings)
        self._cache.clear()

    def explain(self, text: str):
        return self.base.explain(text)

    def to_bytes(self, *, exclude=()) -> bytes:
        return self.base.to_bytes(exclude=exclude)

    def from_bytes(self, data: bytes, *, exclude=()) -> "KGTokenizer":
        self.base.from_bytes(data, exclude=exclude)
        self._cache.clear()
        return self

    def to_disk(self, path, *, exclude=()) -> None:
        self.base.to_disk(path, exclude=exclude)

    def from_disk(self, path, *, exclude=()) -> "KGTokenizer":
        self.base.from_disk(path, exclude=exclude)
        self._cache.clear()
        return self


@spacy.registry.tokenizers("kg_tokenizer_v1")
def create_tokenizer(max_cache_size: int = 1_000_000):
    """The registered factory: spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kg_tokenizer_v1"}}})."""

    def make(nlp) -> KGTokenizer:
        return KGTokenizer(nlp.vocab, spacy_tokenizer(nlp), max_cache_size=max_cache_size)

    return make
