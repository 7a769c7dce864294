"""Commands over the assembled graph: build, stats, related, show."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click
import networkx as nx

from kg.assembly import build_graph, load_graph, save_graph
from kg.assembly.lookup import (
    family, find_entities, find_papers, graph_stats, papers_by_relation, related_papers, suggest_entities,
)
from kg.cli.base import main
from kg.cli.options import graph_counts, graph_option, input_options, papers_from_cli, shorten
from kg.errors import KGError
from kg.paths import DEFAULT_EXPORTS_DIR, DEFAULT_GRAPH_DIR

TITLE_WIDTH = 90
CANDIDATES_SHOWN = 20


def _short(text: str, width: int = TITLE_WIDTH) -> str:
    return shorten(text, width)


@contextlib.contextmanager
def _progress(items, length: int, label: str, quiet: bool):
    """A click progress bar on stderr when it is a terminal and not --quiet; else the items as they are."""
    if quiet or not sys.stderr.isatty():
        yield items
        return
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield bar


def write_build_outputs(graph: nx.MultiDiGraph, out_dir: Path, exports_dir: Path | None) -> str:
    """Everything `kg build` writes, in one place: the graph, then its exports; returns the summary target."""
    save_graph(graph, out_dir)
    if exports_dir is None:
        return str(out_dir)
    from kg.exporters import write_all

    write_all(graph, exports_dir)
    return f"{out_dir} (exports: {exports_dir})"


@main.command()
@input_options()
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=str(DEFAULT_GRAPH_DIR),
              show_default=True, help="Directory to write the graph to (graph.json).")
@click.option("--top-k", type=click.IntRange(0, 100), default=5, show_default=True,
              help="Related papers kept per paper (RELATED_TO edges); 0 for none.")
@click.option("--processes", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for linking (the per-paper step).")
@click.option("--exports", "exports_dir", type=click.Path(path_type=Path, file_okay=False),
              default=str(DEFAULT_EXPORTS_DIR), show_default=True,
              help="Directory to write every export format to (as `kg export`).")
@click.option("--no-exports", is_flag=True, help="Save the graph only; export later with `kg export`.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
def build(inputs, input_format, strict, out_dir, top_k, processes, exports_dir, no_exports, quiet):
    """Build the knowledge graph: read papers, link entities, assemble, save.

    With no INPUT the bundled sample corpus is read. The graph is saved to --out (graph.json) so
    `kg stats`, `kg related`, `kg show`, `kg export` and `kg query` never re-run the linker; every
    export format is then written to --exports (unless --no-exports).

    \b
    Example:
      kg build                          # sample corpus -> .kg/graph.json + exports/
      kg build papers.jsonl --out my-kg --exports my-kg/exports --top-k 10 -j 2
    """
    from kg.linking import link_papers, load_kb  # the linker is the slow import; load it only here

    papers = list(papers_from_cli(inputs, input_format, strict))
    kb = load_kb()
    # The bar follows the linker reading papers (its per-paper step); assembly runs after it.
    with _progress(papers, len(papers), "Linking", quiet) as items:
        graph = build_graph(link_papers(items, kb=kb, processes=processes), kb=kb, top_k=top_k)
    target = write_build_outputs(graph, out_dir, None if no_exports else exports_dir)
    if not quiet:
        click.echo(f"Built graph: {graph_counts(graph)} -> {target}", err=True)


@main.command()
@graph_option
@click.option("--top", type=click.IntRange(1, 100), default=5, show_default=True, help="Top entities shown per type.")
def stats(graph_dir, top):
    """Counts of the built graph: nodes and edges by type, top entities per type, degrees.

    \b
    Example:
      kg stats
      kg stats --graph my-kg --top 10
    """
    graph = load_graph(graph_dir)
    figures = graph_stats(graph, top=top)
    out = [f"Nodes: {graph.number_of_nodes():,}"]
    out += [f"  {kind:<14}{count:>9,}" for kind, count in figures["nodes"].items()]
    out.append(f"Edges: {graph.number_of_edges():,}")
    out += [f"  {relation:<14}{count:>9,}" for relation, count in figures["edges"].items()]
    out.append("Top entities (papers):")
    for etype, ranked in figures["top_entities"].items():
        out.append(f"  {etype:<10}" + (", ".join(f"{label} ({n})" for label, n in ranked) or "-"))
    out.append("Degrees:")
    for name, title in (("entities_per_paper", "entities per paper"),
                        ("typed_relations_per_paper", "typed relations per paper"),
                        ("papers_per_entity", "papers per entity")):
        f = figures[name]
        out.append(f"  {title:<26} mean {f['mean']}, median {f['median']}, max {f['max']}, zero {f['zero']}")
    click.echo("\n".join(out))


def _one(keys: list[str], query: str, what: str, describe, hint: str) -> str:
    if len(keys) == 1:
        return keys[0]
    if not keys:
        raise KGError(f"No {what} matches '{query}'. {hint}")
    for key in keys[:CANDIDATES_SHOWN]:
        click.echo(f"  {describe(key)}", err=True)
    more = f" (first {CANDIDATES_SHOWN} listed above)" if len(keys) > CANDIDATES_SHOWN else " (listed above)"
    raise KGError(f"'{query}' matches {len(keys)} {what}s{more}. Give an id or more of the name.")


@main.command()
@graph_option
@click.argument("paper")
@click.option("-k", "k", type=click.IntRange(1, 100), default=None,
              help="How many related papers (at most the --top-k the graph was built with).")
def related(graph_dir, paper, k):
    """Papers related to PAPER (an id or a title fragment), best first, with scores and reasons.

    The score mixes IDF-weighted shared entities and TF-IDF similarity of the abstracts.

    \b
    Example:
      kg related COAT
      kg related "Pushing Frontiers" -k 3
    """
    graph = load_graph(graph_dir)
    key = _one(find_papers(graph, paper), paper, "paper",
               lambda n: f"{graph.nodes[n]['id']}  {_short(graph.nodes[n]['title'])}",
               "Give an id or part of the title (see `kg papers`).")
    node = graph.nodes[key]
    items = related_papers(graph, key, k)
    lines = []
    for other, attrs in items:
        lines.append(f"{attrs['rank']:>2}. {attrs['score']:.3f}  {graph.nodes[other]['id']}  "
                     f"{_short(graph.nodes[other]['title'])}")
        lines.append(f"    {attrs['reason']}")
    if lines:
        click.echo("\n".join(lines))
    stored = graph.graph.get("top_k")
    note = f"; the graph keeps {stored} per paper (kg build --top-k)" if k and stored is not None and k > stored else ""
    click.echo(f"{len(items)} related to {node['id']}: {_short(node['title'], 60)}{note}", err=True)


@main.command()
@graph_option
@click.argument("entity")
def show(graph_dir, entity):
    """An entity (id, label or alias): type, aliases, family, and its papers by relation.

    \b
    Example:
      kg show "Llama 3.1"
      kg show dpo
    """
    graph = load_graph(graph_dir)
    keys = find_entities(graph, entity)
    if not keys:
        near = ", ".join(f"{graph.nodes[n]['label']} ({graph.nodes[n]['id']})" for n in suggest_entities(graph, entity))
        raise KGError(f"No entity matches '{entity}'." + (f" Did you mean: {near}?" if near else
                                                           " Give an id, label or alias (see `kg stats`)."))
    key = _one(keys, entity, "entity",
               lambda n: f"{graph.nodes[n]['id']}  {graph.nodes[n]['kind']}  {graph.nodes[n]['label']}", "")
    node = graph.nodes[key]
    ancestors, variants = family(graph, key)
    label = lambda n: f"{graph.nodes[n]['label']} ({graph.nodes[n]['id']})"  # noqa: E731
    out = [f"{node['label']}  [{node['kind']}]  id: {node['id']}"]
    if node.get("aliases"):
        out.append(f"aliases: {', '.join(node['aliases'])}")
    if node.get("description"):
        out.append(f"description: {node['description']}")
    if ancestors:
        out.append(f"family: {' > '.join(label(n) for n in ancestors)}")
    if variants:
        out.append(f"variants: {', '.join(label(n) for n in variants)}")
    for scheme, value in node.get("external_ids", ()):
        out.append(f"{scheme}: {value}")
    if not node.get("known", True):
        out.append("not in the knowledge base (found in the corpus)")
    by_relation = papers_by_relation(graph, key)
    out.append(f"papers: {node.get('paper_count', 0)}")
    for relation, papers in by_relation.items():
        out.append(f"  {relation} ({len(papers)})")
        out += [f"    {graph.nodes[p]['id']}  {_short(graph.nodes[p]['title'])}" for p in papers]
    click.echo("\n".join(out))
    click.echo(f"{node['label']}: {node.get('paper_count', 0)} papers, {len(by_relation)} relation types", err=True)


