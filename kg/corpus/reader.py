"""read_papers: files and directories in, de-duplicated Papers out, problems reported not raised."""
from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.corpus.merge import KeyIndex, merge_stream, paper_keys
from kg.corpus.registry import SNIFF_BYTES, OnProblem, get_reader, is_binary, sniff_format
from kg.errors import InputError
from kg.paths import PACKAGE_DIR, SAMPLE_CORPUS_DIR
from kg.records import Paper

log = logging.getLogger(__name__)

PathLike = str | os.PathLike


@dataclass
class ReadStats:
    """Counts filled in while read_papers runs (pass one to read them after the iterator ends)."""

    files: int = 0
    records: int = 0
    papers: int = 0
    problems: int = 0
    formats: dict[str, int] = field(default_factory=dict)

    @property
    def duplicates(self) -> int:
        return self.records - self.papers


def _warn(err: InputError) -> None:
    log.warning("%s", err)


@dataclass(frozen=True)
class _InputFile:
    path: Path
    display: str


def _display(path: Path, bundled: bool) -> str:
    if bundled:  # the bundled sample: a path that is the same on every machine
        return path.resolve().relative_to(PACKAGE_DIR.parent).as_posix()
    return path.as_posix()


def _walk(directory: Path) -> Iterator[Path]:
    """Files under directory in sorted path order (a/y before b/x before z), hidden entries skipped."""
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.is_file():
            yield entry


def _expand(paths: Iterable[PathLike], bundled: bool, on_problem: OnProblem) -> Iterator[_InputFile]:
    """Files to read: each path given, directories recursed in sorted order (hidden entries skipped)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield _InputFile(file, _display(file, bundled))
            if not found:
                on_problem(InputError("directory has no files", path.as_posix()))
        elif path.is_file():
            yield _InputFile(path, _display(path, bundled))
        elif path.exists():
            on_problem(InputError("not a regular file, skipped", path.as_posix()))
        else:
            on_problem(InputError("no such file or directory", path.as_posix()))


def _read_file(item: _InputFile, input_format: str | None, on_problem: OnProblem,
               stats: ReadStats | None, keys_only: bool = False) -> Iterator[Paper]:
    try:
        with item.path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as err:
        on_problem(InputError(f"cannot read: {err.strerror or err}", item.display))
        return
    if not head.strip():
        on_problem(InputError("empty file", item.display))
        return
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        on_problem(InputError("UTF-16 text is not supported, skipped; convert it to UTF-8", item.display))
        return
    if is_binary(head):
        on_problem(InputError("binary file, not text; skipped", item.display))
        return
    name = input_format or sniff_format(head)
    if name is None:
        on_problem(InputError(
            "format not recognised (not JSON, not a Daily Papers page dump); skipped. "
            "Pass --input-format NAME to force one", item.display))
        return
    if stats is not None:
        stats.files += 1
        stats.formats[name] = stats.formats.get(name, 0) + 1
    problems = 0

    def counting(err: InputError) -> None:
        nonlocal problems
        problems += 1
        on_problem(err)

    count = 0
    try:
        reader = get_reader(name)
        for paper in (reader.read_keys if keys_only else reader.read)(item.path, item.display, counting):
            count += 1
            yield paper
    except OSError as err:
        counting(InputError(f"cannot read: {err.strerror or err}", item.display))
    if count == 0 and problems == 0:
        on_problem(InputError(f"no papers found (read as {name})", item.display))


def _records(files: list[_InputFile], input_format: str | None, on_problem: OnProblem,
             stats: ReadStats | None) -> Iterator[Paper]:
    for item in files:
        yield from _read_file(item, input_format, on_problem, stats)


def _ignore(_err: InputError) -> None:
    pass


def read_papers(paths: Iterable[PathLike] | PathLike | None = None, *, input_format: str | None = None,
                on_problem: OnProblem | None = None, stats: ReadStats | None = None) -> Iterator[Paper]:
    """De-duplicated papers from files and directories (None: the bundled sample corpus).

    The format of each file is detected from its content unless `input_format` names a reader
    (UnknownNameError, raised at once, lists the available ones). Each unusable file or record
    is passed to `on_problem` as one InputError naming the file and line (default:
    logging.warning) and skipped; the rest is still read. Files are read twice (see
    kg.corpus.merge) so that memory stays bounded by the number of unique papers.
    """
    if input_format is not None:
        get_reader(input_format)
    on_problem = on_problem or _warn
    bundled = paths is None
    if paths is None:
        paths = [SAMPLE_CORPUS_DIR]
    elif isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return _read_papers(list(paths), bundled, input_format, on_problem, stats)


def _read_papers(paths: list, bundled: bool, input_format: str | None, on_problem: OnProblem,
                 stats: ReadStats | None) -> Iterator[Paper]:
    files: list[_InputFile] = []  # fixed by the first pass, so both passes read the same files

    def counting(err: InputError) -> None:
        if stats is not None:
            stats.problems += 1
        on_problem(err)

    index = KeyIndex()
    for item in _expand(paths, bundled, counting):  # lazily: problems come in input order
        files.append(item)
        for paper in _read_file(item, input_format, counting, stats, keys_only=True):
            if stats is not None:
                stats.records += 1
            index.add(paper_keys(paper))
    for paper in merge_stream(_records(files, input_format, _ignore, None), index):
        if stats is not None:
            stats.papers += 1
        yield paper
