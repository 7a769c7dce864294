"""Commands that write the graph for other tools: export (files) and load neo4j (a server)."""
from __future__ import annotations

import time
from pathlib import Path

import click

from kg.assembly import load_graph
from kg.cli.base import main
from kg.cli.options import graph_counts, graph_option
from kg.exporters import DEFAULT_BASE_IRI, EXPORTERS, get_exporter, write_export
from kg.exporters.rdf import check_base_iri
from kg.paths import DEFAULT_EXPORTS_DIR


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def _human(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} GB"


@main.command("export")
@click.option("--format", "-f", "fmt", metavar="NAME", default=None,
              help=f"One format: {', '.join(EXPORTERS)}. Default: all of them into the -o directory.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help=f"File (or directory for neo4j) to write, or an existing directory to write into; with "
                   f"no --format, the directory for all formats. Default: {DEFAULT_EXPORTS_DIR}/ with each "
                   f"format's file name.")
@graph_option
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True,
              help="Namespace for the IRIs of papers, entities and mentions in RDF exports.")
def export_command(fmt, output, graph_dir, base_iri):
    """Export the built graph for other tools: RDF, GraphML, GEXF, a Neo4j bundle.

    Formats: turtle (kg.ttl), ntriples (kg.nt), jsonld (kg.jsonld), graphml (kg.graphml, Gephi
    and Neo4j APOC), gexf (kg.gexf, Gephi), neo4j (neo4j/: CSV for neo4j-admin import plus
    load.cypher). Prints the paths written; the summary goes to stderr.

    \b
    Example:
      kg export                          # all formats -> exports/
      kg export --format turtle -o kg.ttl --base-iri https://example.org/kg/
      kg export -f graphml --graph my-kg -o my-kg.graphml
    """
    exporters = [get_exporter(fmt)] if fmt is not None else list(EXPORTERS.values())
    check_base_iri(base_iri)
    started = time.perf_counter()
    graph = load_graph(graph_dir)
    if fmt is not None:
        target = output or DEFAULT_EXPORTS_DIR / exporters[0].file_name
        if target.is_dir() and not exporters[0].directory:
            target = target / exporters[0].file_name  # -o DIR: the format's usual name inside it
        targets = [target]
    else:
        directory = output or DEFAULT_EXPORTS_DIR
        if directory.exists() and not directory.is_dir():
            raise click.BadParameter(f"{directory} is a file; with no --format, -o names a directory.",
                                     param_hint="--output")
        targets = [directory / e.file_name for e in exporters]
    for exporter, target in zip(exporters, targets):
        path = write_export(graph, exporter.name, target, base_iri=base_iri)
        click.echo(str(path))
    total = sum(_size(t) for t in targets)
    where = targets[0] if len(targets) == 1 else f"{targets[0].parent}/"
    click.echo(f"Wrote {graph_counts(graph)} as {', '.join(e.name for e in exporters)} -> {where} "
               f"({_human(total)}, {time.perf_counter() - started:.1f} s)", err=True)


@main.group("load")
def load_group():
    """Push the built graph into a running database.

    \b
    Example:
      kg load neo4j --uri bolt://localhost:7687 --user neo4j --password secret
    """


@load_group.command("neo4j")
@click.option("--uri", default="bolt://localhost:7687", show_default=True, help="Neo4j server (bolt:// or neo4j://).")
@click.option("--user", default="neo4j", show_default=True, help="User name.")
@click.option("--password", envvar="NEO4J_PASSWORD", required=True,
              help="Password (or set NEO4J_PASSWORD).")
@click.option("--database", default=None, help="Database name (default: the server's default database).")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=2000, show_default=True,
              help="Rows per UNWIND ... MERGE transaction.")
@graph_option
def load_neo4j_command(uri, user, password, database, batch_size, graph_dir):
    """Push the graph to a running Neo4j with the official driver (batched UNWIND ... MERGE).

    Creates uniqueness constraints on :Paper(id) and :Entity(id) first; running it again updates
    the same nodes and relationships instead of duplicating them.

    \b
    Example:
      kg load neo4j --uri bolt://localhost:7687 --user neo4j --password secret
      NEO4J_PASSWORD=secret kg load neo4j --graph my-kg --database kg
    """
    from kg.exporters.neo4j import load_into_neo4j

    started = time.perf_counter()
    graph = load_graph(graph_dir)
    counts = load_into_neo4j(graph, uri, user, password, database=database, batch_size=batch_size)
    click.echo(f"Loaded {counts['nodes']:,} nodes and {counts['relationships']:,} relationships -> {uri} "
               f"({time.perf_counter() - started:.1f} s)", err=True)
