"""Reader for text dumps of the Hugging Face Daily Papers pages (the bundled sample format).

A page is: chrome lines ("new", "Get trending papers in your email inbox!", "Subscribe",
"Daily Papers", "by AK and the research community"), an optional date header ("Sep 2"), then per
paper a title line, an abstract paragraph, and optionally a metadata block:

    • 23 authors          (or an organisation line such as "nvidia NVIDIA")
    ·
    Nov 22, 2024 3        (date, year optional, then upvotes, optional)

Blank lines between parts are optional; the first title may be glued to "Subscribe"
("SubscribeFreePRM: ..."). An abstract split over several paragraphs is joined with a space.

Not supported: authors' names (the pages list only a count), organisation names (skipped),
dates without a year (kept as None: the year cannot be known).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.corpus.normalize import clean_text, find_links, parse_date, title_id
from kg.corpus.registry import OnProblem, register_reader
from kg.errors import InputError
from kg.records import Paper, Source

_CHROME = frozenset({
    "new", "get trending papers in your email inbox!", "get trending papers in your email inbox once a day!",
    "subscribe", "daily papers", "by ak and the research community", "byak and the research community",
})
_GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=[A-Z0-9\"'(\[])")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
_DATE_HEADER = re.compile(rf"^{_MONTH} \d{{1,2}}(?:, \d{{4}})?$")
_META_DATE = re.compile(rf"^({_MONTH} \d{{1,2}}(?:, \d{{4}})?)(?: (\d+))?$")
_AUTHORS = re.compile(r"^[•*·-]?\s*(\d+) authors?$")
_DOT = "·"
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z(]")
MAX_TITLE_CHARS = 300


def looks_like_title(line: str) -> bool:
    """A title is short and is not prose: at most one sentence break ("Step-by-Step! Outperforming")."""
    if len(line) > MAX_TITLE_CHARS:
        return False
    if len(_SENTENCE_BREAK.findall(line)) > 1:
        return False
    return not (line.endswith(".") and len(line) > 150)


def _is_prose(line: str) -> bool:
    return len(line) >= 200 and len(_SENTENCE_BREAK.findall(line)) >= 2


def looks_like_page(text: str) -> bool:
    """Sniffing: Daily Papers chrome in the first lines, or a title line then an abstract paragraph."""
    lines = [line.strip() for line in text.splitlines()[:200] if line.strip()][:30]
    if any(_is_chrome(line) for line in lines[:10]) or any(_GLUED_SUBSCRIBE.match(line) for line in lines[:10]):
        return True
    while lines and _DATE_HEADER.match(lines[0]):
        lines.pop(0)
    if len(lines) < 2 or not (looks_like_title(lines[0]) and _is_prose(lines[1])):
        return False  # a dump without chrome starts with a title and its abstract
    pairs = sum(1 for a, b in zip(lines, lines[1:]) if looks_like_title(a) and _is_prose(b))
    return pairs >= 2 or len(lines) <= 3


def _is_chrome(line: str) -> bool:
    folded = line.casefold()
    return folded in _CHROME or folded.replace(" ", "") == "byakandtheresearchcommunity"


@dataclass
class _Record:
    title: str
    line: int
    abstract: list[str]
    author_count: int | None = None
    date: str | None = None
    upvotes: int | None = None
    in_metadata: bool = False  # inside the "• N authors / · / date" block
    metadata_done: bool = False  # the block ended with its date line


def _lines(path: Path, display: str, on_problem: OnProblem) -> Iterator[tuple[int, str]]:
    """(line number, stripped text) of non-blank lines; one problem per file for bad UTF-8."""
    bad_line = None
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", errors="replace")
                if bad_line is None:
                    bad_line = number
                    on_problem(InputError("not valid UTF-8; undecodable bytes replaced by U+FFFD", display, number))
            text = text.strip()
            if text:
                yield number, text


def _paper(record: _Record, display: str, on_problem: OnProblem) -> Iterator[Paper]:
    title = clean_text(record.title)
    abstract = clean_text(" ".join(record.abstract))
    if not title or not abstract:
        on_problem(InputError("record has no readable title or abstract, skipped", display, record.line))
        return
    yield Paper(
        id=title_id(title), title=title, abstract=abstract, date=record.date,
        author_count=record.author_count, upvotes=record.upvotes, links=find_links(abstract),
        sources=(Source(display, record.line),),
    )


@register_reader("hf-daily", "Hugging Face Daily Papers page dumps (title line, abstract paragraph, metadata)")
def read_hf_daily(path: Path, display: str, on_problem: OnProblem) -> Iterator[Paper]:
    """Papers of one page dump, in page order; a title without abstract is reported, not read."""
    record: _Record | None = None
    after_chrome = True  # the glued "SubscribeTitle" only happens right after the page header
    lines = _lines(path, display, on_problem)
    pending: tuple[int, str] | None = next(lines, None)
    while pending is not None:
        number, line = pending
        pending = next(lines, None)
        if _is_chrome(line):
            after_chrome = True
            continue
        if after_chrome and _GLUED_SUBSCRIBE.match(line):
            line = line[len("Subscribe"):]
        if (match := _AUTHORS.match(line)) or line == _DOT:
            if record is not None and record.abstract:  # metadata block after an abstract
                record.in_metadata = True
                if match:
                    record.author_count = int(match.group(1))
            continue
        if record is not None and record.abstract:
            if pending is not None and pending[1] == _DOT and len(line) <= 80:
                record.in_metadata = True  # organisation line ("nvidia NVIDIA") before the dot
                continue
            if record.in_metadata and (match := _META_DATE.match(line)):
                record.date = parse_date(match.group(1))
                record.upvotes = int(match.group(2)) if match.group(2) else None
                record.in_metadata, record.metadata_done = False, True
                continue
            if not (record.in_metadata or record.metadata_done) and not looks_like_title(line):
                record.abstract.append(line)  # abstract continued in another paragraph
                continue
        if (record is None or record.abstract) and _DATE_HEADER.match(line):
            after_chrome = False
            continue  # page date header ("Sep 2")
        after_chrome = False
        if record is not None and not record.abstract:
            next_is_prose = pending is not None and not looks_like_title(pending[1])
            if not (looks_like_title(line) and next_is_prose):
                record.abstract.append(line)
                continue
            on_problem(InputError(f"title without an abstract, skipped: {record.title[:60]!r}", display, record.line))
            record = None
        if record is not None:
            yield from _paper(record, display, on_problem)
            record = None
        if looks_like_title(line):
            record = _Record(line, number, [])
        else:
            on_problem(InputError("paragraph without a title, skipped", display, number))
    if record is not None:
        if record.abstract:
            yield from _paper(record, display, on_problem)
        else:
            on_problem(InputError(f"title without an abstract, skipped: {record.title[:60]!r}", display, record.line))
