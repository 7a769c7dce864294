"""Readers for JSON Lines ("jsonl", streamed line by line) and JSON documents ("json": an array
or a sequence of pretty-printed objects).

Record schemas, recognised per record by their keys (one file may mix them):
- arXiv metadata snapshot: id, title, abstract, authors (string) / authors_parsed, categories
  (space-separated), versions[0].created (first-version date), update_date;
- Hugging Face daily papers API: {"paper": {id, title, summary, authors: [{name}], publishedAt,
  upvotes, githubRepo?, projectPage?}, ...} or the same fields flat;
- minimal: {id?, title, abstract}; and kg's own output (`kg ingest`, `kg papers --format jsonl`:
  id, title, abstract, date, upvotes, authors, links, sources, author_count, categories), read
  back losslessly: its sources are kept instead of the file's own line.

An `id` that is not an arXiv id is kept as the paper id (as in shared/gold/dev_input.jsonl).

Not supported: a JSON document is read whole (arrays are not streamed; JSON Lines are);
compressed files (.gz) must be decompressed first.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import orjson

from kg.corpus.normalize import clean_text, find_links, parse_arxiv_id, parse_date, title_id
from kg.corpus.registry import OnProblem, register_reader
from kg.errors import InputError
from kg.records import Link, Paper, Source

_LINK_KINDS = ("code", "project", "other")


def _first(records: tuple[dict, ...], *keys: str):
    for record in records:
        for key in keys:
            value = record.get(key)
            if value not in (None, "", [], {}):
                return value
    return None


def _authors(value, parsed) -> tuple[str, ...]:
    if isinstance(parsed, list) and parsed:  # arXiv authors_parsed: [[last, first, suffix], ...]
        names = []
        for item in parsed:
            if isinstance(item, list) and item and all(isinstance(p, str) for p in item):
                last, first, suffix = (list(item) + ["", ""])[:3]
                names.append(" ".join(p for p in (first, last, suffix) if p))
        if names:
            return tuple(clean_text(n) for n in names if clean_text(n))
    if isinstance(value, str):
        parts = re.split(r",|\band\b|;", clean_text(value))
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, list):
        names = [a.get("name") if isinstance(a, dict) else a for a in value]
        return tuple(clean_text(n) for n in names if isinstance(n, str) and clean_text(n))
    return ()


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _links(record: dict, inner: dict, abstract: str) -> tuple[Link, ...]:
    links: dict[str, Link] = {}
    given = record.get("links")
    for item in given if isinstance(given, list) else ():
        if isinstance(item, dict) and isinstance(item.get("url"), str):
            kind = item.get("kind") if item.get("kind") in _LINK_KINDS else "other"
            links.setdefault(item["url"], Link(item["url"], kind))
        elif isinstance(item, str):
            links.setdefault(item, Link(item))
    for key, kind in (("githubRepo", "code"), ("projectPage", "project")):
        url = _first((inner, record), key)
        if isinstance(url, str):
            links.setdefault(url, Link(url, kind))
    for link in find_links(abstract):
        links.setdefault(link.url, link)
    return tuple(links.values())


def _sources(record: dict, display: str, line: int) -> tuple[Source, ...]:
    given = record.get("sources")
    if isinstance(given, list):
        sources = tuple(
            Source(s["path"], s["line"]) for s in given
            if isinstance(s, dict) and isinstance(s.get("path"), str) and _int(s.get("line")) is not None
        )
        if sources:
            return sources
    return (Source(display, line),)


def _date(record: dict, inner: dict) -> str | None:
    versions = record.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        if date := parse_date(versions[0].get("created")):
            return date
    return parse_date(_first((inner, record), "date", "publishedAt", "published", "update_date"))


def paper_from_record(record: object, display: str, line: int, *, keys_only: bool = False) -> Paper:
    """One Paper from a JSON record of any supported schema; InputError if it has no title/abstract.

    keys_only: only id, title and abstract filled (what de-duplication's first pass needs).
    """
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}", display, line)
    inner = record.get("paper") if isinstance(record.get("paper"), dict) else {}
    both = (inner, record)
    title = _first(both, "title")
    abstract = _first(both, "abstract", "summary")
    title = clean_text(title) if isinstance(title, str) else ""
    abstract = clean_text(abstract) if isinstance(abstract, str) else ""
    if not title or not abstract:
        missing = " and ".join(n for n, v in (("title", title), ("abstract", abstract)) if not v)
        raise InputError(f"record has no {missing}, skipped", display, line)
    raw_id = _first(both, "id", "arxiv_id", "paper_id")
    raw_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    paper_id = parse_arxiv_id(raw_id) or raw_id or title_id(title)
    if keys_only:
        return Paper(id=paper_id, title=title, abstract=abstract)
    categories = _first(both, "categories")
    if isinstance(categories, str):
        categories = tuple(categories.split())
    elif isinstance(categories, list):
        categories = tuple(c for c in categories if isinstance(c, str))
    else:
        categories = ()
    return Paper(
        id=paper_id,
        title=title,
        abstract=abstract,
        date=_date(record, inner),
        authors=_authors(_first(both, "authors"), record.get("authors_parsed")),
        author_count=_int(_first(both, "author_count", "num_authors")),
        upvotes=_int(_first(both, "upvotes")),
        links=_links(record, inner, abstract),
        sources=_sources(record, display, line),
        categories=categories,
    )


def _records(value: object, display: str, line: int, on_problem: OnProblem, keys_only: bool) -> Iterator[Paper]:
    for item in value if isinstance(value, list) else (value,):
        try:
            yield paper_from_record(item, display, line, keys_only=keys_only)
        except InputError as err:
            on_problem(err)


@register_reader("jsonl", "JSON Lines: one record per line (arXiv snapshot, HF daily papers API, {id?, title, abstract})",
                 keys_only=True)
def read_jsonl(path: Path, display: str, on_problem: OnProblem, *, keys_only: bool = False) -> Iterator[Paper]:
    """One record per line, streamed: memory stays that of one line."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError as err:
                reason = "not valid UTF-8" if "UTF-8" in str(err) else "invalid or truncated JSON"
                on_problem(InputError(f"{reason}, line skipped", display, number))
                continue
            yield from _records(value, display, number, on_problem, keys_only)


# A JSON token scanner: strings (so brackets inside them are ignored) and brackets.
_TOKEN = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]|"', re.S)


def _top_level_values(data: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each object/array at the top level of an array, or of a sequence of
    values; (start, -1) for a value cut off by the end of the data."""
    stripped = data.lstrip()
    base = 1 if stripped.startswith(b"[") else 0
    depth, start = 0, None
    for match in _TOKEN.finditer(data):
        token = match.group(0)
        if token == b'"':
            break  # unterminated string: the rest is truncated
        if token in (b"[", b"{"):
            depth += 1
            if depth == base + 1:
                start = match.start()
        elif token in (b"]", b"}"):
            depth -= 1
            if depth == base and start is not None:
                yield start, match.end()
                start = None
            if depth < 0:
                return
    if start is not None:
        yield start, -1


@register_reader("json", "JSON document: an array of records or pretty-printed records (read whole)", keys_only=True)
def read_json(path: Path, display: str, on_problem: OnProblem, *, keys_only: bool = False) -> Iterator[Paper]:
    """Each top-level record parsed on its own, so one broken record does not lose the others."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    newlines, counted_to, line = 0, 0, 1
    found = False
    for start, end in _top_level_values(data):
        newlines += data.count(b"\n", counted_to, start)
        counted_to, line = start, newlines + 1
        found = True
        if end < 0:
            on_problem(InputError("truncated JSON record, skipped", display, line))
            break
        try:
            value = orjson.loads(data[start:end])
        except orjson.JSONDecodeError as err:
            reason = "not valid UTF-8" if "UTF-8" in str(err) else "invalid JSON record"
            on_problem(InputError(f"{reason}, skipped", display, line))
            continue
        yield from _records(value, display, line, on_problem, keys_only)
    if not found:
        on_problem(InputError("no JSON object found", display, 1))


def paper_to_record(paper: Paper) -> dict:
    """The JSON form of a Paper written by `kg ingest` / `kg papers --format jsonl`.

    Reading it back with read_jsonl gives an equal Paper (sources included).
    """
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "date": paper.date,
        "upvotes": paper.upvotes,
        "authors": list(paper.authors),
        "links": [{"url": link.url, "kind": link.kind} for link in paper.links],
        "sources": [{"path": source.path, "line": source.line} for source in paper.sources],
        "author_count": paper.author_count,
        "categories": list(paper.categories),
    }
