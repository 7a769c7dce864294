"""kg_abbreviations_v1: "Long Form (LF)", "Long Form, or LF" and "LF (Long Form)" definitions.

Writes (long_start, long_end, short_start, short_end) tuples to doc.user_data[ABBREVS]; the
matching of short to long form is rules.find_abbreviation.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.linking import rules
from kg.linking.doc_view import ABBREVS, JOINERS, compound_around, doc_text, sentence_bounds, token_index, token_view

_LONG_PAREN_RE = re.compile(r"\((?=[A-Z][^()]{4,100}\))")
_PAREN_RE = re.compile(r"\((?=[^()\s]{2,14}\))")
# literal first (a letter must precede the comma, checked in code): 15x faster than "[a-zA-Z], or"
_COMMA_OR_RE = re.compile(r", or ([A-Z][A-Za-z0-9&+-]{1,11})(?=,| for short| \()")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


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
        at_start, _at_end = token_index(doc)
        for m in _PAREN_RE.finditer(doc_text(doc)):
            i = at_start.get(m.start())
            if i is None or i < 1:
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
            # words of the long form, without hyphen tokens (they would count as words)
            idx = [k for k in range(max(lo, i - 24), i) if keys[k]]
            start = rules.find_abbreviation([texts[k] for k in idx], short)
            if start is None:
                continue
            ls = idx[start]
            if ls > 1 and texts[ls - 1] in JOINERS and not spaced[ls - 1] and not spaced[ls - 2] and keys[ls - 2]:
                # "self-supervised learning (SSL)": the long form starts with the whole compound
                cs, _ce = compound_around(texts, keys, spaced, ls - 2)
                if keys[cs][:1] == short[:1].lower():
                    ls = cs
            found.append((ls, i, i + 1, j))
        self._comma_or(doc, texts, keys, spaced, found)
        self._short_then_long(doc, texts, keys, spaced, found)
        doc.user_data[ABBREVS] = found
        return doc

    @staticmethod
    def _comma_or(doc: Doc, texts: list[str], keys: list[str], spaced: list[bool], found):
        """"Meta Reinforcement Fine-Tuning, or MRT, ...", "Leave-One-Out K-Nearest-Neighbor, or LOOK for short"."""
        at_start, _at_end = token_index(doc)
        text = doc_text(doc)
        for m in _COMMA_OR_RE.finditer(text):
            i = at_start.get(m.start(1))
            if i is None or i < 3 or text[m.start() - 1] not in _ASCII_LETTERS:
                continue
            s, e = compound_around(texts, keys, spaced, i)
            if s != i:
                continue
            short = "".join(texts[s:e])
            if not rules.is_short_form(short) or not short[:1].isupper():
                continue
            comma = i - 2  # "," "or" SHORT
            lo, _hi = sentence_bounds(doc, comma)
            idx = [k for k in range(max(lo, comma - 24), comma) if keys[k]]
            start = rules.find_abbreviation([texts[k] for k in idx], short)
            if start is None or not texts[idx[start]][:1].isupper():
                continue
            found.append((idx[start], comma, s, e))

    @staticmethod
    def _short_then_long(doc: Doc, texts: list[str], keys: list[str], spaced: list[bool], found):
        """"PRIME (Process Reinforcement through IMplicit rEwards)": the long form in parentheses."""
        at_start, _at_end = token_index(doc)
        n = len(texts)
        for m in _LONG_PAREN_RE.finditer(doc_text(doc)):
            i = at_start.get(m.start())
            if i is None or i < 1 or not keys[i - 1]:
                continue
            s, e = compound_around(texts, keys, spaced, i - 1)
            if e != i:
                continue
            short = "".join(texts[s:e])
            if not rules.is_short_form(short) or not short[:1].isupper():
                continue
            close = i + 1
            while close < n and texts[close] != ")" and close - i < 16:
                close += 1
            if close >= n or texts[close] != ")":
                continue
            idx = [k for k in range(i + 1, close) if keys[k]]
            words = [texts[k] for k in idx]
            # the whole parenthesis must be the long form, its words starting with capitals
            if len(words) < 2 or rules.find_abbreviation(words, short) != 0 or not words[0][:1].isupper():
                continue
            found.append((idx[0], idx[-1] + 1, s, e))
