"""Commands over the corpus stage: papers, ingest."""
from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import click
import orjson

from kg.cli.base import main
from kg.cli.options import atomic_output, input_options, papers_from_cli, shorten
from kg.corpus import paper_to_record
from kg.records import Paper

CSV_FIELDS = ("id", "title", "abstract", "date", "upvotes", "authors", "author_count", "links", "sources")
TITLE_WIDTH = 80


def write_jsonl(papers: Iterable[Paper], out: IO[str]) -> None:
    for paper in papers:
        out.write(orjson.dumps(paper_to_record(paper)).decode("utf-8"))
        out.write("\n")


def write_csv(papers: Iterable[Paper], out: IO[str]) -> None:
    writer = None
    for paper in papers:
        if writer is None:  # header only once something was read
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(CSV_FIELDS)
        writer.writerow([
            paper.id, paper.title, paper.abstract, paper.date or "",
            "" if paper.upvotes is None else paper.upvotes, "; ".join(paper.authors),
            "" if paper.author_count is None else paper.author_count,
            " ".join(link.url for link in paper.links),
            " ".join(f"{s.path}:{s.line}" for s in paper.sources),
        ])


def write_table(papers: Iterable[Paper], out: IO[str]) -> None:
    header = False
    for paper in papers:
        if not header:
            out.write(f"{'ID':<12} {'DATE':<10} {'UP':>3}  TITLE\n")
            header = True
        title = shorten(paper.title, TITLE_WIDTH)
        upvotes = "" if paper.upvotes is None else str(paper.upvotes)
        out.write(f"{paper.id:<12} {paper.date or '-':<10} {upvotes:>3}  {title}\n")


WRITERS = {"table": write_table, "jsonl": write_jsonl, "csv": write_csv}


@main.command()
@input_options()
@click.option("--format", "output_format", type=click.Choice(sorted(WRITERS)), default="table",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE instead of stdout.")
def papers(inputs: tuple[Path, ...], input_format: str | None, strict: bool, output_format: str,
           output: Path | None) -> None:
    """List the de-duplicated papers of INPUT files or directories (default: the sample corpus).

    The format of each file (hf-daily page dumps, jsonl, json) is detected from its content.
    Unusable files and records are reported on stderr and skipped.

    \b
    Example:
      kg papers                                  # the bundled sample corpus as a table
      kg papers dumps/ --format jsonl -o papers.jsonl
      kg papers arxiv.jsonl --format csv --strict
    """
    stream = papers_from_cli(inputs, input_format, strict)
    with atomic_output(output) as out:
        WRITERS[output_format](stream, out)
    click.echo(stream.summary(output.as_posix() if output else None), err=True)


@main.command()
@input_options(required=True)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="JSON Lines file to write (one normalized paper per line).")
def ingest(inputs: tuple[Path, ...], input_format: str | None, strict: bool, output: Path) -> None:
    """Write the normalized, de-duplicated corpus of INPUT files or directories as JSON Lines.

    Each line holds id, title, abstract, date, upvotes, authors, links, sources, author_count and
    categories; kg reads the file back unchanged (any command taking INPUT accepts it).

    \b
    Example:
      kg ingest kg/data/hf-daily-papers -o papers.jsonl
      kg ingest arxiv-metadata.jsonl hf-api.json -o papers.jsonl --strict
    """
    stream = papers_from_cli(inputs, input_format, strict)
    with atomic_output(output) as out:
        write_jsonl(stream, out)
    click.echo(stream.summary(output.as_posix()), err=True)
