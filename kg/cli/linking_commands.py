"""Commands over the linking stage: entities, eval."""
from __future__ import annotations

import json
import time
from pathlib import Path

import click
import orjson

from kg.cli.base import main
from kg.cli.options import atomic_output, input_options, papers_from_cli, shorten
from kg.errors import InputError
from kg.linking import load_kb
from kg.linking.evaluation import evaluate, format_table
from kg.linking.output import entities_record, summarize, type_counts
from kg.records import ENTITY_TYPES

LABEL_WIDTH = 40


def _write_table(results, out) -> tuple[int, int]:
    papers = ents = 0
    for pe in results:
        papers += 1
        ents += len(pe.entities)
        out.write(f"{pe.paper.id}  {pe.paper.title}\n")
        for le in pe.entities:
            mark = "*" if le.introduced else " "
            forms = sorted({m.text for m in le.mentions})
            out.write(f"  {mark} {le.entity.type:<8} {le.entity.id:<32} {le.confidence:4.2f}  {' | '.join(forms)}\n")
    return papers, ents


def _write_jsonl(results, out) -> tuple[int, int]:
    papers = ents = 0
    for pe in results:
        papers += 1
        ents += len(pe.entities)
        out.write(orjson.dumps(entities_record(pe)).decode("utf-8"))
        out.write("\n")
    return papers, ents


def _write_summary(results, out) -> tuple[int, int]:
    results = list(results)
    rows = summarize(results)
    counts = type_counts(rows)
    out.write(f"{'TYPE':<9} {'PAPERS':>6}  {'ID':<36} LABEL\n")
    for etype, eid, label, n, known in rows:
        label = shorten(label, LABEL_WIDTH)
        out.write(f"{etype:<9} {n:>6}  {eid:<36} {label}{'' if known else '  (new)'}\n")
    out.write("\n")
    for etype in ENTITY_TYPES:
        total, new = counts.get(etype, (0, 0))
        out.write(f"{etype:<9} {total:>6} entities ({new} not in the knowledge base)\n")
    return len(results), len(rows)


@main.command()
@input_options()
@click.option("--format", "output_format", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="table: readable list per paper; jsonl: one JSON record per paper (stable shape).")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE instead of stdout.")
@click.option("--summary", is_flag=True, help="Print a corpus-level table of entities by type with paper counts instead.")
@click.option("--processes", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for the per-paper step.")
def entities(inputs, input_format, strict, output_format, output, summary, processes) -> None:
    """Find the methods, models, datasets and hardware named in each paper, linked to canonical ids.

    With --format jsonl each line is {"paper", "title", "entities": [{"id", "type", "label",
    "introduced", "confidence", "mentions": [{"text", "field", "start", "end"}]}]}; offsets are
    character offsets into the paper's title or abstract. In the table, * marks an entity the
    paper introduces.

    \b
    Example:
      kg entities                                   # the bundled sample corpus
      kg entities papers.jsonl --format jsonl -o entities.jsonl
      kg entities --summary                         # entities by type with paper counts
    """
    start = time.perf_counter()
    stream = papers_from_cli(inputs, input_format, strict)
    from kg.linking import link_papers  # imports spaCy: only in the commands that link

    kb = load_kb()
    results = link_papers(stream, kb=kb, processes=processes)
    writer = _write_summary if summary else (_write_jsonl if output_format == "jsonl" else _write_table)
    with atomic_output(output) as out:
        papers, ents = writer(results, out)
    seconds = time.perf_counter() - start
    target = f" -> {output.as_posix()}" if output else ""
    what = "distinct entities" if summary else "entity links"
    click.echo(f"Linked {papers:,} papers, {ents:,} {what} in {seconds:.1f} s{target}", err=True)


def _read_jsonl(path: Path) -> list[dict]:
    records = []
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        records.append(json.loads(line))
                    except json.JSONDecodeError as err:
                        raise InputError(f"not valid JSON ({err.msg}). Give a JSON Lines gold file.", str(path), n) from err
    except OSError as err:
        raise InputError(f"cannot read ({err.strerror}). Check the path.", str(path)) from err
    return records


@main.command("eval")
@click.option("--gold", "gold_path", type=click.Path(path_type=Path, dir_okay=False, exists=True), required=True,
              help="Gold annotations (JSON Lines, see ../shared/gold/GUIDELINE.md).")
@click.option("--input", "input_path", type=click.Path(path_type=Path, exists=True), default=None,
              help="Papers to link (default: dev_input.jsonl next to the gold file).")
@click.option("--predictions", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Score this `kg entities --format jsonl` file instead of running the linker.")
@click.option("--show-errors", is_flag=True, help="Also list misses, false hits and linking disagreements.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_command(gold_path, input_path, predictions, show_errors, as_json) -> None:
    """Score the linker against gold annotations: P/R/F1 per type, linking and introduced accuracy.

    Scoring follows the gold README: a predicted entity matches a gold one of the same type
    when a mention text equals a gold surface form after normalization (one-to-one).

    \b
    Example:
      kg eval --gold ../shared/gold/dev.jsonl
      kg eval --gold ../shared/gold/dev.jsonl --show-errors
    """
    gold = _read_jsonl(gold_path)
    if predictions is not None:
        predicted = _read_jsonl(predictions)
    else:
        input_path = input_path or gold_path.with_name("dev_input.jsonl")
        if not input_path.exists():
            raise InputError("no input papers next to the gold file. Pass --input FILE.", str(input_path))
        stream = papers_from_cli((input_path,), None, False)
        from kg.linking import link_papers

        predicted = [entities_record(pe) for pe in link_papers(stream, kb=load_kb())]
    ev = evaluate(gold, predicted)
    if as_json:
        click.echo(json.dumps(ev.as_dict(), indent=2))
    else:
        click.echo(format_table(ev))
    if show_errors:
        for pid, kind, etype, text in ev.errors:
            click.echo(f"{kind:17} {etype:8} {pid}  {text}")
        for a_text, a_gold, a_pred, b_text, b_gold, b_pred in ev.link_errors:
            click.echo(f"{'link':17} {a_text!r} gold={a_gold} pred={a_pred}  vs  {b_text!r} gold={b_gold} pred={b_pred}")
    micro = ev.rows()["micro"]
    click.echo(f"Scored {len(gold)} gold papers: micro F1 {micro[2]:.3f}, linking {ev.linking_accuracy:.3f}", err=True)
