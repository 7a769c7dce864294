"""Readers found by name, and the content sniffing that picks one when no name is given.

A reader is a function `(path, display, on_problem) -> Iterator[Paper]` that yields one Paper
per record (not yet de-duplicated), with Source(display, line), and reports each bad record as
an InputError to on_problem instead of raising.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from kg.errors import InputError, UnknownNameError
from kg.records import Paper

OnProblem = Callable[[InputError], None]
ReaderFunction = Callable[[Path, str, OnProblem], Iterator[Paper]]

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Reader:
    name: str
    read: ReaderFunction
    description: str
    read_keys: ReaderFunction  # same records, only id/title/abstract filled: de-dup's cheap first pass


_READERS: dict[str, Reader] = {}


def register_reader(name: str, description: str, *, keys_only: bool = False) -> Callable[[ReaderFunction], ReaderFunction]:
    """Decorator: make a reader function available under `name` (for --input-format).

    keys_only=True: the function also takes `keys_only=True` to skip the fields that
    de-duplication does not need; it must then yield exactly the same records.
    """

    def decorate(function: ReaderFunction) -> ReaderFunction:
        keys = functools.partial(function, keys_only=True) if keys_only else function
        _READERS[name] = Reader(name, function, description, keys)
        return function

    return decorate


def available_readers() -> tuple[str, ...]:
    _load_builtin_readers()
    return tuple(sorted(_READERS))


def get_reader(name: str) -> Reader:
    """The reader registered as `name`; UnknownNameError listing the available ones otherwise."""
    _load_builtin_readers()
    try:
        return _READERS[name]
    except KeyError:
        raise UnknownNameError("input format", name, available_readers(), "--input-format") from None


def _load_builtin_readers() -> None:
    from kg.corpus import hf_daily, jsonl  # noqa: F401  (importing registers them)


def is_binary(head: bytes) -> bool:
    """NUL bytes or mostly control characters in the first block: not a text file."""
    if b"\x00" in head:
        return True
    sample = head[:4096]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) // 10


def sniff_format(head: bytes) -> str | None:
    """Reader name for a file starting with `head` (its first SNIFF_BYTES bytes), None if unknown.

    "[" -> json (array); "{" whose first line is a whole JSON value -> jsonl; "{" spread over
    lines -> json (pretty-printed objects); text with Daily Papers page chrome, or starting with
    a title line followed by an abstract paragraph -> hf-daily.
    """
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"["):
        return "json"
    if text.startswith(b"{"):
        first, newline, _ = text.partition(b"\n")
        if not newline:
            return "jsonl"  # one long line (or a file shorter than the sniffed block)
        try:
            orjson.loads(first)
        except orjson.JSONDecodeError:
            return "json"
        return "jsonl"
    from kg.corpus.hf_daily import looks_like_page

    if looks_like_page(text.decode("utf-8", errors="replace")):
        return "hf-daily"
    return None
