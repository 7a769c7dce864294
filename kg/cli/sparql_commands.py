"""Commands over the sparql stage: query, serve."""
from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import click

from kg.cli.base import main
from kg.cli.options import graph_option
from kg.errors import KGError
from kg.sparql import catalog, query as sparql_query, server, store as sparql_store
from kg.sparql.vocab import prefixes as kg_prefixes

def _announce_store(graph_dir: Path) -> None:
    if not sparql_store.store_is_current(graph_dir):
        click.echo(f"Building the SPARQL store {sparql_store.store_path(graph_dir)} ...", err=True)


def _open_store(graph_dir: Path):
    _announce_store(graph_dir)
    return sparql_store.open_store(graph_dir)


def _read_query(text: str) -> tuple[str, str | None, catalog.ReadyQuery | None]:
    """QUERY is SPARQL text, a .rq file, or '-' for stdin; returns (text, source, parsed file)."""
    if text == "-":
        return sys.stdin.read(), "<stdin>", None
    path = Path(text)
    looks_like_file = text.endswith((".rq", ".sparql")) or ("\n" not in text and len(text) < 4096 and path.is_file())
    if looks_like_file:
        if not path.is_file():
            raise KGError(f"Query file {text} does not exist. Give a .rq file or the query text itself.")
        parsed = catalog.read_query_file(path)
        return parsed.text, str(path), parsed
    return text, None, None


def _list_queries() -> None:
    queries = catalog.find_queries()
    width = max((len(n) for n in queries), default=0)
    short = tuple(sorted(kg_prefixes().items()))
    for name, ready in queries.items():
        click.echo(f"{name.ljust(width)}  {ready.question}")
        for p in ready.parameters:
            default = p.default
            if default.startswith("<") and default.endswith(">"):
                default = sparql_query.compact_iri(default[1:-1], short)
            click.echo(f"{' ' * width}    --param {p.name}=... ({p.kind}; default {default}) {p.help}")
    click.echo(f"{len(queries)} ready-made queries in {catalog.QUERIES_DIR}", err=True)


@main.command("query")
@click.argument("query", required=False)
@click.option("--format", "fmt", type=click.Choice(sparql_query.RESULT_FORMATS), default="table", show_default=True,
              help="How to write SELECT/ASK results; CONSTRUCT and DESCRIBE always give Turtle.")
@graph_option
@click.option("--list", "list_queries", is_flag=True, help="List the ready-made queries and their parameters.")
@click.option("--name", help="Run the ready-made query NAME (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Set a parameter of a ready-made query (an id, label or IRI for entities and papers).")
def query_command(query, fmt, graph_dir, list_queries, name, params):
    """Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the built graph.

    QUERY is the query text, a .rq file, or - for stdin. The kg prefixes (kg:, paper:, entity:,
    dcterms:, skos:, rdfs:, ...) are declared for you. The first run builds an Oxigraph store
    beside the graph (DIR/store); later runs reuse it until the graph is rebuilt.

    \b
    Example:
      kg query --list
      kg query --name method-on-model-family --param method=LoRA --param family=Llama
      kg query 'SELECT ?label (COUNT(?p) AS ?n) WHERE { ?p kg:mentions ?e . ?e rdfs:label ?label }
                GROUP BY ?label ORDER BY DESC(?n) LIMIT 10' --format csv
    """
    if list_queries:
        if query or name:
            raise KGError("--list takes no QUERY or --name.")
        _list_queries()
        return
    if bool(query) == bool(name):
        raise KGError("Give a QUERY (text or .rq file) or --name NAME. See `kg query --list`.")
    ready, source = None, None
    if name:
        ready = catalog.get_query(name)
        text, source = ready.text, str(ready.path)
    else:
        text, source, ready = _read_query(query)
    bindings = catalog.parse_params(params)
    store = _open_store(graph_dir)
    if bindings and (ready is None or not ready.parameters):
        raise catalog.QueryParameterError("--param needs a query with parameters (--name NAME or a .rq file "
                                          "with `# @param` lines); see `kg query --list`.")
    if ready is not None and ready.parameters:
        text = catalog.bind_parameters(ready, bindings, store)
    started = time.perf_counter()
    result = sparql_query.run_query(store, text, prefixes=kg_prefixes(), source=source)
    elapsed_ms = (time.perf_counter() - started) * 1000
    click.echo(sparql_query.format_result(result, fmt), nl=False)
    count = len(result) if result.kind != "ask" else 0
    what = {"select": f"{count:,} row{'s' * (count != 1)}", "ask": f"answer {str(result.boolean).lower()}",
            "graph": f"{count:,} triple{'s' * (count != 1)}"}[result.kind]
    click.echo(f"{what} in {elapsed_ms:.1f} ms", err=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@main.command("serve")
@graph_option
@click.option("--host", default=server.DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=server.DEFAULT_PORT, show_default=True,
              help="Port to listen on.")
@click.option("--timeout", "timeout_s", type=click.IntRange(1), default=server.DEFAULT_TIMEOUT_S,
              show_default=True, help="Per-query time limit in seconds, passed to the server (best effort).")
def serve_command(graph_dir, host, port, timeout_s):
    """Serve the graph as a read-only SPARQL 1.1 Protocol endpoint (the Oxigraph server).

    GET and POST queries at /query; results as JSON, XML, CSV or TSV by Accept header, graphs as
    Turtle or N-Triples; CORS on, so browser clients (YASGUI) work; updates are refused.
    Stop it with Ctrl-C.

    \b
    Example:
      kg serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5' \\
           http://127.0.0.1:7878/query
    """
    _announce_store(graph_dir)
    path = sparql_store.ensure_store(graph_dir)
    # SIGTERM (e.g. from a supervisor) must stop the server too, not leave it running.
    signal.signal(signal.SIGTERM, _interrupt)
    process = server.start_server(path, host, port, timeout_s=timeout_s, log=lambda line: click.echo(line, err=True))
    try:
        click.echo(f"SPARQL endpoint: {server.query_url(host, port)}")
        click.echo(f"Serving {path} read-only (per-query limit {timeout_s} s); Ctrl-C stops it.", err=True)
        sys.stdout.flush()
        code = process.wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        server.stop_server(process)
    if code:
        raise server.ServerError(f"The SPARQL server stopped with exit code {code}.")
    click.echo("Stopped the SPARQL server.", err=True)
