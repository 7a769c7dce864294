"""The linker's tokenizer: spaCy's English rules, decided once per distinct chunk and cached.

Registered as `kg_tokenizer_v1` (spacy.registry.tokenizers). Token boundaries are exactly those
of spaCy's rule-based English tokenizer with our extra rules (hyphens, underscores and slashes
inside names split, "8xA100" split into count and device, a dot after a capital or digit is
punctuation); only the way they are computed differs:

- the text is split on single spaces into chunks; each distinct chunk is split once and the
  result (pieces, normalized keys, whitespace, string ids) kept in a dict, so a known chunk costs
  one lookup;
- a new chunk of a common shape is split by a regular expression, unless spaCy has a special
  case for it ("etc.", "cannot"): a plain ASCII word or number with optional , . ; : ? ! after it,
  a number with an optional percent sign ("0.1%,"), a possessive ("actor's"), plain segments
  joined by hyphens in optional parentheses ("(DPO),", "Task-Specific"); nine new chunks in
  ten in abstracts;
- a new chunk of name-like characters in optional parentheses with , . ; : ? ! after it
  ("GPT-4o.", "(4B)", "8xA100", "https://github.com/org/repo.") is split by spaCy's own prefix,
  suffix, URL and infix regexes, applied to its core the way spaCy's tokenizer applies them;
  pieces that spell a special case together ("a." in "x-a.") send the chunk to spaCy, which
  would merge them. The shortcuts were checked against spaCy on 130k distinct chunks (sample,
  recombined, dev and held-out abstracts) and 750k random ones (tests/linking/test_tokenizer.py
  has both kinds of check);
- all other new chunks of a document ("~14%.", "100K", '"shared"') go to spaCy's own tokenizer
  in one call, so their boundaries are spaCy's by construction;
- the Doc is built from the pieces' cached string ids and spaces (Doc(vocab, words=ids,
  spaces=...): no per-token hashing; memory_zone() drops chunks cached inside a zone), and the token
  view the components read (texts, keys, char starts, ends, whitespace-after flags) is stored in
  doc.user_data[TV], so components do not rebuild it from the Doc.

Speed (benchmarks/bench_linker.py, one core): 1.1-1.3x spaCy's tokenizer with the same lexical
attributes on the sample corpus with a fresh vocabulary (new chunks, new lexemes and Doc
construction dominate); more in the linker from handing over the token view and from fewer
lexical attributes. memory_zone() costs a pass over the cache keys.

A text with whitespace other than single spaces between words (newlines, tabs, runs of spaces,
leading or trailing spaces) goes to spaCy's tokenizer whole (spaCy makes whitespace tokens);
link_one normalizes whitespace first, so this does not happen in the linker.

Not supported: changing the rules through this object (change `base` and call clear_cache()).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from itertools import chain, repeat
from operator import itemgetter

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

# spaCy's English suffix rules and ours match at most 5 characters after at most 2 of look-behind,
# or a run of dots (which the last two characters show as well): whether one matches at the end of
# a core is seen in its last 8 characters, and the search of a long core (URLs) costs no more
SUFFIX_TAIL = 8

_SIMPLE_RE = re.compile(r"([A-Za-z]+|[0-9]+)([,.;:?!]?)")
# "(DPO),", "Task-Specific", "ResNet-50": plain segments joined by hyphens, in optional parentheses
_COMPOUND_RE = re.compile(r"(\(?)((?:[A-Za-z]+|[0-9]+)(?:-(?:[A-Za-z]+|[0-9]+))*)(\)?)([,.;:]?)")
# "0.17", "1,398", "10%", "0.1%,": a number, an optional percent sign and punctuation
_NUMBER_RE = re.compile(r"([0-9]+(?:[.,][0-9]+)*)(%?)([,.;:]?)")
# "actor's", "DFT's,": a word and its possessive
_POSSESSIVE_RE = re.compile(r"([A-Za-z]+)('s)([,.;:]?)")
# other chunks of a name-like core or URL in optional parentheses with punctuation after: "GPT-4o.", "(4B)"
_CORE_RE = re.compile(r"(\(?)([0-9A-Za-z][0-9A-Za-z.+@_/×–:~#?=&%-]*?)(\)?)([,.;:?!]?)")
_WS_RE = re.compile(r"\s")
_HARD_ATTRS = [IDX, LENGTH, SPACY]


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


def _joins_special_case(pieces, rules, prefixes) -> bool:
    """Whether a run of two or more pieces spells a special case ("a" "." -> "a."), which spaCy's
    tokenizer would merge back into one token; prefixes: every prefix of every special case."""
    n = len(pieces)
    for i in range(n - 1):
        run = pieces[i]
        j = i + 1
        while run in prefixes and j < n:
            run += pieces[j]
            j += 1
            if run in rules:
                return True
    return False


def token_key(text: str) -> str:
    """The matching key of one token (see normalize_key); "" for a possessive."""
    if text.isascii() and text.isalnum():
        return text.lower()  # what normalize_key gives a plain ASCII word, without its regex
    return "" if text in POSSESSIVES else normalize_key(text)


def token_offsets(text: str, texts: list[str]) -> tuple[list[int], list[int]]:
    """Char starts and ends of the tokens texts of a text split on single spaces (spaCy's
    token.idx): in order, each written as it is, nothing or one space between two. A typed loop:
    compiled, a tenth of the cost of doc.to_array and .tolist()."""
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for t in texts:
        if text[pos] == " ":
            pos += 1
        starts.append(pos)
        pos += len(t)
        ends.append(pos)
    return starts, ends


class KGTokenizer:
    """spaCy's tokenization (see module docstring), with a per-chunk cache in front of it."""

    def __init__(self, vocab, base: Tokenizer, *, max_cache_size: int = 1_000_000):
        self.vocab = vocab
        self.base = base
        self.max_cache_size = max_cache_size
        self._cache: dict[str, tuple] = {}
        self._specials: tuple = (None, frozenset())  # (identity of the rules, prefixes of special cases)
        self._add_string = vocab.strings.add
        self._puncts: dict[str, tuple] = {}  # entry of a punctuation mark that ends a chunk

    def __call__(self, text: str) -> Doc:
        chunks = text.split(" ")
        cache = self._cache
        entries: list = list(map(cache.get, chunks))
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
        # an entry is (piece, key, space after, string id) four by four: one pass flattens them all
        flat = list(chain.from_iterable(entries))
        spaced = flat[2::4]
        spaced[-1] = False  # no space after the last chunk
        # string ids: Doc looks each up in the vocab directly (a str costs two hashes and calls)
        doc = Doc(self.vocab, words=flat[3::4], spaces=spaced)
        texts: list[str] = flat[0::4]
        starts, ends = token_offsets(text, texts)
        doc.user_data[TV] = (texts, flat[1::4], starts, ends, spaced)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def _add(self, chunks) -> None:
        cache = self._cache
        rules = self.base.rules or {}
        if self._specials[0] != (id(rules), len(rules)):
            self._specials = ((id(rules), len(rules)), frozenset(k[:i] for k in rules for i in range(1, len(k) + 1)))
        prefixes = self._specials[1]
        # half the new chunks are one plain ASCII word or number: cached in one C-level pass
        plain = [c for c in chunks if (c.isalpha() or c.isdigit()) and c.isascii() and c not in rules]
        cache.update(zip(plain, zip(plain, map(str.lower, plain), repeat(True), map(self._add_string, plain))))
        hard = []
        for chunk in chunks:
            if chunk in cache:
                continue
            if chunk in rules:
                hard.append(chunk)
                continue
            if "-" not in chunk:  # the next three shapes have no hyphen
                m = _SIMPLE_RE.fullmatch(chunk)
                if m is not None:
                    word, punct = m.groups()
                    if word in rules:
                        hard.append(chunk)
                    elif punct:  # "models," "work." : a plain word, then a punctuation entry made once
                        cache[chunk] = (word, word.lower(), False, self._add_string(word)) + self._punct_entry(punct)
                    else:
                        cache[chunk] = self._entry((chunk,))
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
                pieces = self._split_by_rules(chunk, rules, prefixes)
                if pieces is None:
                    hard.append(chunk)
                else:
                    cache[chunk] = self._entry(pieces)
                continue
            opening, core, closing, punct = m.groups()
            segments = core.split("-")
            parts = ["-"] * (2 * len(segments) - 1)  # the segments with a hyphen between each two
            parts[::2] = segments
            if opening:
                parts.insert(0, opening)
            if closing:
                parts.append(closing)
            if punct:
                parts.append(punct)
            if _joins_special_case(parts, rules, prefixes):
                hard.append(chunk)
            else:
                cache[chunk] = self._entry(tuple(parts))
        if hard:
            self._add_hard(sorted(hard))  # sorted: a deterministic order of the one spaCy call

    def _split_by_rules(self, chunk: str, rules, prefixes) -> tuple[str, ...] | None:
        """The pieces spaCy makes of a core in optional parentheses with optional , . ; : ? ! after
        it ("GPT-4o.", "(4B)", "FP8", "8xA100", URLs), or None when spaCy must decide: its prefix,
        suffix, URL and infix rules are applied to the core here as its tokenizer applies them
        (an infix at an edge or next to another, a special case on the way, go to spaCy)."""
        m = _CORE_RE.fullmatch(chunk)
        if m is None or chunk.endswith("):"):  # "):" is an emoticon to spaCy
            return None
        opening, core, closing, punct = m.groups()
        if punct == "." and not closing and not core[-1].isalnum():
            return None  # spaCy splits a final dot only after some characters ("9@." stays whole)
        n = len(chunk)
        # spaCy looks up its special cases on every string left as it strips the affixes
        for a in range(len(opening) + 1):
            for b in range(len(closing) + len(punct) + 1):
                if chunk[a : n - b] in rules:
                    return None
        base = self.base
        if base.prefix_search(core) is not None or base.suffix_search(core[-SUFFIX_TAIL:]) is not None:
            return None
        pieces = [opening] if opening else []
        if (base.token_match is not None and base.token_match(core)) or (base.url_match is not None and base.url_match(core)):
            pieces.append(core)  # a URL stays whole ("https://github.com/org/repo")
        else:
            start = 0
            for infix in base.infix_finditer(core):
                if infix.start() <= start or infix.end() >= len(core):
                    return None
                pieces += (core[start : infix.start()], infix.group())
                start = infix.end()
            pieces.append(core[start:])
        pieces += [g for g in (closing, punct) if g]
        return None if _joins_special_case(pieces, rules, prefixes) else tuple(pieces)

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

    def _punct_entry(self, punct: str) -> tuple:
        entry = self._puncts.get(punct)
        if entry is None:
            entry = self._puncts[punct] = self._entry((punct,))
        return entry

    def _entry(self, pieces: tuple[str, ...]) -> tuple:
        """The cache entry of one chunk: (piece, key, whitespace after, string id) for each piece, flat."""
        if len(pieces) == 1:
            p = pieces[0]
            return (p, token_key(p), True, self._add_string(p))
        entry: list = []
        for p in pieces:  # a plain loop: half the cost of chaining zip and map iterators for 2-5 pieces
            entry += (p, token_key(p), False, self._add_string(p))
        entry[-2] = True  # whitespace after the last piece
        return tuple(entry)

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
            self._puncts.clear()

    def clear_cache(self) -> None:
        self._cache.clear()

    @property
    def rules(self) -> dict:
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
