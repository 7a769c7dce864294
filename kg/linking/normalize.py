"""Surface-form normalization shared by the KB index, the matcher and the corpus-level resolver.

One normalized key per surface form: NFKC, lowercase, every character that is not a letter or
digit removed, except a dot between two digits (versions: "3.1" stays distinct from "31") and
"+" and "#" (HumanEval+ is not HumanEval, QuIP# is not QuIP).
So "Llama3.1-8B", "LLaMA 3.1 8B" and "llama-3.1 8b" share the key "llama3.18b", and
"fine-tuning" == "fine tuning" == "finetuning". Keys built token by token (the matcher
concatenates token keys) equal the key of the whole string, because only separators vanish.

Not supported: stemming (plurals are tried by the matcher, not here), transliteration.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DROP_RE = re.compile(r"[^\w.+#]|_|(?<!\d)\.|\.(?!\d)")
_SLUG_SEP_RE = re.compile(r"[^0-9a-z.+]+")
# ASCII text (NFKC leaves it unchanged) takes two C-speed passes instead of _DROP_RE: the dots
# not between digits go first (decided on the original text, as _DROP_RE's look-arounds are),
# then bytes.translate deletes every other character that is not a letter, digit, ".", "+" or "#"
# (str.translate with a deletion dict looks each character up in the dict: about 4x slower).
_LONE_DOT_RE = re.compile(r"(?<!\d)\.|\.(?!\d)")
_DASHES_RE = re.compile(r"-{2,}")
_KEEP = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+#")
_ASCII_DROP = bytes(c for c in range(128) if chr(c) not in _KEEP)


@lru_cache(maxsize=200_000)
def normalize_key(text: str) -> str:
    """The matching key of a surface form (see module docstring)."""
    if text.isascii():
        return _drop_ascii(text.lower())
    return _DROP_RE.sub("", unicodedata.normalize("NFKC", text).lower())


def slugify(text: str) -> str:
    """A readable lowercase id for a discovered name: "Self-Evolving Training" -> "self-evolving-training"."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = s.replace("&", "")
    s = _SLUG_SEP_RE.sub("-", s)
    s = _LONE_DOT_RE.sub("-", s)
    s = _DASHES_RE.sub("-", s).strip("-.+")
    return s or "x"


def letters_of(text: str) -> str:
    """Text without separators, case kept: the form compared by case-exact rules."""
    if text.isascii():
        return _drop_ascii(text)
    return _DROP_RE.sub("", unicodedata.normalize("NFKC", text))


def _drop_ascii(text: str) -> str:
    """_DROP_RE.sub("", text) for ASCII text."""
    if text.isalnum():
        return text
    if "." in text:
        text = _LONE_DOT_RE.sub("", text)
    return text.encode("ascii").translate(None, _ASCII_DROP).decode("ascii")
