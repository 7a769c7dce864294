"""Options shared by every command that reads a corpus or the built graph, and atomic output files.

    @main.command()
    @input_options()
    def my_command(inputs, input_format, strict):
        papers = papers_from_cli(inputs, input_format, strict)
        for paper in papers: ...
        click.echo(papers.summary(), err=True)
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import click

from kg.assembly.schema import PAPER
from kg.corpus import ReadStats, available_readers, get_reader, read_papers
from kg.errors import InputError
from kg.paths import DEFAULT_GRAPH_DIR
from kg.records import Paper


def input_options(required: bool = False) -> Callable:
    """Decorator adding INPUT... (files or directories), --input-format NAME and --strict.

    With required=False and no INPUT, the bundled sample corpus is read.
    """

    def decorate(function: Callable) -> Callable:
        function = click.option(
            "--strict", is_flag=True,
            help="Fail (exit 2) on the first unusable file or record instead of warning and skipping it.",
        )(function)
        function = click.option(
            "--input-format", metavar="NAME", default=None,
            help=f"Read every input as this format instead of detecting it: {', '.join(available_readers())}.",
        )(function)
        return click.argument(
            "inputs", nargs=-1, required=required, metavar="INPUT..." if required else "[INPUT]...",
            type=click.Path(path_type=Path, dir_okay=True, file_okay=True),
        )(function)

    return decorate


def graph_option(function: Callable) -> Callable:
    """--graph DIR: where `kg build` saved the graph (every command that reads it)."""
    return click.option(
        "--graph", "graph_dir", type=click.Path(path_type=Path, file_okay=False), default=str(DEFAULT_GRAPH_DIR),
        show_default=True, help="Directory of the built graph (written by `kg build --out`).",
    )(function)


def shorten(text: str, width: int) -> str:
    """text cut to at most `width` characters, ending in "…" when cut (titles and labels in tables)."""
    return text if len(text) <= width else text[:width - 1] + "…"


def graph_counts(graph) -> str:
    """"459 papers, 1,077 entities, 5,012 edges": the figures of a graph for a summary line."""
    n_papers = sum(1 for _, kind in graph.nodes(data="kind") if kind == PAPER)
    return (f"{n_papers:,} papers, {graph.number_of_nodes() - n_papers:,} entities, "
            f"{graph.number_of_edges():,} edges")


class PaperStream:
    """The papers of the CLI inputs, iterated once; warnings to stderr; counts in .stats.

    Iterating raises InputError at the end when nothing usable was read, and at the first
    problem when strict.
    """

    def __init__(self, inputs: tuple[Path, ...] | list[Path], input_format: str | None, strict: bool):
        if input_format is not None:
            get_reader(input_format)  # unknown name: fail before reading anything
        self.inputs = tuple(inputs)
        self.input_format = input_format
        self.strict = strict
        self.stats = ReadStats()

    def _on_problem(self, err: InputError) -> None:
        if self.strict:
            raise InputError(f"{err} (--strict turns warnings into errors)") from err
        click.echo(f"warning: {err}", err=True)

    def __iter__(self) -> Iterator[Paper]:
        self.stats = ReadStats()  # counts of the latest pass over the inputs
        yield from read_papers(self.inputs or None, input_format=self.input_format,
                               on_problem=self._on_problem, stats=self.stats)
        if self.stats.papers == 0:
            where = ", ".join(p.as_posix() for p in self.inputs) or "the sample corpus"
            warned = f" ({self.stats.problems} warning{'s' * (self.stats.problems != 1)} above)" if self.stats.problems else ""
            raise InputError(
                f"No papers read from {where}{warned}. Give files in a supported format "
                f"({', '.join(available_readers())}) or pass --input-format NAME."
            )

    def summary(self, target: str | None = None) -> str:
        """One line for stderr: "459 papers (489 records in 5 files, 30 duplicates merged) -> out"."""
        s = self.stats
        text = (f"{s.papers:,} papers ({s.records:,} records in {s.files:,} file{'s' * (s.files != 1)}, "
                f"{s.duplicates:,} duplicates merged, {s.problems:,} warning{'s' * (s.problems != 1)})")
        return f"{text} -> {target}" if target else text


def papers_from_cli(inputs, input_format: str | None, strict: bool) -> PaperStream:
    """The papers of a command's INPUT arguments (none: the bundled sample corpus), streamed."""
    return PaperStream(inputs, input_format, strict)


@contextlib.contextmanager
def atomic_output(path: Path | str | None) -> Iterator[IO[str]]:
    """A text stream for `path` ("-" or None: stdout), written to a hidden temp file in the same
    directory and moved into place only when the block succeeds (no half-written files)."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"cannot write {path}: directory {directory} does not exist")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
