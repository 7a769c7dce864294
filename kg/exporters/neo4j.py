"""Neo4j: a bundle for `neo4j-admin database import full`, a `load.cypher` for LOAD CSV, and
batched UNWIND ... MERGE statements for pushing the graph with the official driver.

Model (the same on every path): nodes `:Paper` and `:Entity:<type>` (`:Entity:Model`, ...), each
with a unique `id`; relationships typed by the graph's relation names (MENTIONS, USES, ...,
VARIANT_OF, BUILDS_ON, RELATED_TO) with their scalar attributes; lists become string arrays.

Bundle files: nodes_<Label>.csv per node label, rels_<TYPE>.csv per relationship type (all written,
header only when empty, so the import command never changes), typed headers (`id:ID(Paper)`,
`upvotes:int`, `date:date`, `authors:string[]`), arrays joined with ";" (a ";" inside an item
becomes ","), empty field = no property.
Not supported: incremental bundles (import full replaces a database), deleting what the graph no
longer has when pushing with the driver (MERGE adds and updates only).
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kg.assembly.schema import BUILDS_ON, ENTITY_TYPES, PAPER, PAPER_ENTITY_RELATIONS, RELATED_TO, VARIANT_OF
from kg.errors import KGError
from kg.exporters import _attrs as A
from kg.exporters._io import atomic_directory

ARRAY_DELIMITER = ";"
BATCH_SIZE = 2000
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
ENTITY = "Entity"


@dataclass(frozen=True)
class Column:
    """A property column: name and neo4j-admin type (string, int, double, boolean, date, string[])."""

    name: str
    type: str = "string"

    @property
    def header(self) -> str:
        return self.name if self.type == "string" else f"{self.name}:{self.type}"


PAPER_COLUMNS = (
    Column("title"), Column("abstract"), Column("date", "date"), Column("upvotes", "int"),
    Column("author_count", "int"), Column("authors", "string[]"), Column("links", "string[]"),
    Column("sources", "string[]"), Column("categories", "string[]"),
)
ENTITY_COLUMNS = (
    Column("kind"), Column("label"), Column("aliases", "string[]"), Column("family"), Column("description"),
    Column("external_ids", "string[]"), Column("known", "boolean"), Column("paper_count", "int"),
)
MENTION_COLUMNS = (
    Column("confidence", "double"), Column("evidence"), Column("field"), Column("start", "int"),
    Column("end", "int"), Column("cue"), Column("mention_count", "int"), Column("surface_forms", "string[]"),
)
REL_COLUMNS = {
    **{rel: MENTION_COLUMNS for rel in PAPER_ENTITY_RELATIONS},
    VARIANT_OF: (),
    BUILDS_ON: (Column("via", "string[]"),),
    RELATED_TO: (Column("score", "double"), Column("entity_score", "double"), Column("text_score", "double"),
                 Column("rank", "int"), Column("shared", "string[]"), Column("reason")),
}
NODE_LABELS = (PAPER,) + ENTITY_TYPES
REL_ENDS = {**{rel: (PAPER, ENTITY) for rel in PAPER_ENTITY_RELATIONS}, VARIANT_OF: (ENTITY, ENTITY),
            BUILDS_ON: (PAPER, PAPER), RELATED_TO: (PAPER, PAPER)}


def id_space(kind: str) -> str:
    return PAPER if kind == PAPER else ENTITY


def neo4j_labels(kind: str) -> tuple[str, ...]:
    return (PAPER,) if kind == PAPER else (ENTITY, kind)


def node_columns(kind: str) -> tuple[Column, ...]:
    return PAPER_COLUMNS if kind == PAPER else ENTITY_COLUMNS


# ------------------------------------------------------------------ rows (typed Python values)

def _typed(value: Any, column: Column) -> Any:
    if column.type == "int":
        return A.integer(value)
    if column.type == "double":
        return A.number(value)
    if column.type == "boolean":
        return None if value is None else bool(value)
    if column.type == "date":
        return A.iso_date(value)
    if column.type == "string[]":
        items = list(A.strings(value))
        return items or None
    return A.text(value)


def node_row(kind: str, attrs: dict) -> dict[str, Any]:
    """A node's properties as typed Python values (lists for arrays, None when missing)."""
    values = dict(attrs)
    values["links"] = [url for url, _ in A.links(attrs.get("links"))]
    values["external_ids"] = [f"{s}:{v}" for s, v in A.external_ids(attrs.get("external_ids"))]
    values["kind"] = kind
    row = {"id": str(attrs.get("id"))}
    row.update((c.name, _typed(values.get(c.name), c)) for c in node_columns(kind))
    return row


def edge_row(relation: str, attrs: dict) -> dict[str, Any]:
    values = dict(attrs)
    if "mentions" in attrs:
        values["surface_forms"] = sorted({m.text for m in A.mentions(attrs["mentions"]) if m.text})
    return {c.name: _typed(values.get(c.name), c) for c in REL_COLUMNS[relation]}


def iter_node_rows(graph: nx.MultiDiGraph) -> Iterator[tuple[str, dict]]:
    for _, data in A.sorted_nodes(graph):
        yield data["kind"], node_row(data["kind"], data)


def iter_edge_rows(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict]]:
    """(relation, source id, target id, properties) in the exporters' edge order."""
    for u, v, relation, data in A.sorted_edges(graph):
        source, target = str(graph.nodes[u].get("id")), str(graph.nodes[v].get("id"))
        if REL_ENDS[relation] != (id_space(graph.nodes[u]["kind"]), id_space(graph.nodes[v]["kind"])):
            continue  # an edge whose ends do not fit its relation; schema.py excludes it
        yield relation, source, target, edge_row(relation, data)


# ------------------------------------------------------------------ CSV bundle

def _csv_value(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.type == "string[]":
        return ARRAY_DELIMITER.join(item.replace(ARRAY_DELIMITER, ",") for item in value)
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "double":
        return repr(float(value))
    return str(value)


def node_header(kind: str) -> list[str]:
    return [f"id:ID({id_space(kind)})", ":LABEL"] + [c.header for c in node_columns(kind)]


def rel_header(relation: str) -> list[str]:
    start, end = REL_ENDS[relation]
    return [f":START_ID({start})", f":END_ID({end})", ":TYPE"] + [c.header for c in REL_COLUMNS[relation]]


def node_file(kind: str) -> str:
    return f"nodes_{kind}.csv"


def rel_file(relation: str) -> str:
    return f"rels_{relation}.csv"


def write_neo4j_bundle(graph: nx.MultiDiGraph, path: str | os.PathLike, **_ignored) -> int:
    """Write the import bundle directory (CSV files, load.cypher, README.md); return rows written."""
    count = 0
    files = [(kind, node_file(kind), node_header(kind)) for kind in NODE_LABELS]
    files += [(relation, rel_file(relation), rel_header(relation)) for relation in REL_COLUMNS]
    with atomic_directory(path) as directory:
        with contextlib.ExitStack() as stack:
            writers = {}
            for key, name, header in files:  # node labels and relation types never share a name
                handle = stack.enter_context(open(directory / name, "w", encoding="utf-8", newline=""))
                writers[key] = csv.writer(handle, lineterminator="\n")
                writers[key].writerow(header)
            for kind, row in iter_node_rows(graph):
                label = ";".join(neo4j_labels(kind))
                writers[kind].writerow([row["id"], label] + [_csv_value(row[c.name], c) for c in node_columns(kind)])
                count += 1
            for relation, source, target, row in iter_edge_rows(graph):
                writers[relation].writerow(
                    [source, target, relation] + [_csv_value(row[c.name], c) for c in REL_COLUMNS[relation]])
                count += 1
        (directory / "load.cypher").write_text(load_cypher(), encoding="utf-8")
        (directory / "README.md").write_text(bundle_readme(), encoding="utf-8")
    return count


# ------------------------------------------------------------------ Cypher

def constraint_statements() -> list[str]:
    return [f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            for label in (PAPER, ENTITY)]


KUZU_TYPES = {"string": "STRING", "int": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE",
              "string[]": "STRING[]"}


def _value(column: Column, dialect: str) -> str:
    ref = f"row.`{column.name}`"
    if column.type == "date":
        return f"date({ref})"
    if dialect == "kuzu" and column.type != "string":
        # Kuzu types parameters from their values; a batch where a column is all null would
        # otherwise bind as STRING.
        return f"CAST({ref} AS {KUZU_TYPES[column.type]})"
    return ref


def _set_clause(var: str, columns: tuple[Column, ...], dialect: str = "neo4j") -> str:
    sets = [f"{var}.`{c.name}` = {_value(c, dialect)}" for c in columns]
    return (" SET " + ", ".join(sets)) if sets else ""


def node_merge(kind: str, dialect: str = "neo4j") -> str:
    """The MERGE body for one node row bound to `row` (shared by the driver and load.cypher).

    Entities are merged on :Entity(id) and then given their type label (and lose another type
    label a previous load gave them), so a re-typed entity is updated, not duplicated. Dialect
    "kuzu" keeps the single label :Entity (Kuzu has no multi-label nodes); the type is also in
    the `kind` property either way.
    """
    if kind == PAPER:
        return f"MERGE (n:{PAPER} {{id: row.id}})" + _set_clause("n", node_columns(kind), dialect)
    merge = f"MERGE (n:{ENTITY} {{id: row.id}})" + _set_clause("n", node_columns(kind), dialect)
    if dialect == "kuzu":
        return merge
    others = ", ".join(f"n:{other}" for other in ENTITY_TYPES if other != kind)
    return f"{merge}, n:{kind} REMOVE {others}"


def rel_merge(relation: str, dialect: str = "neo4j") -> str:
    """The MATCH/MERGE body for one relationship row bound to `row` (source, target, properties)."""
    start, end = REL_ENDS[relation]
    return (f"MATCH (a:{start} {{id: row.source}}) MATCH (b:{end} {{id: row.target}}) "
            f"MERGE (a)-[r:{relation}]->(b)" + _set_clause("r", REL_COLUMNS[relation], dialect))


def cypher_batches(graph: nx.MultiDiGraph, *, batch_size: int = BATCH_SIZE,
                   dialect: str = "neo4j") -> Iterator[tuple[str, list[dict]]]:
    """(statement, rows) pairs: run each as `session.run(statement, rows=rows)`; nodes first."""
    by_kind: dict[str, list[dict]] = {}
    for kind, row in iter_node_rows(graph):
        by_kind.setdefault(kind, []).append(row)
    for kind in NODE_LABELS:
        yield from _batches(node_merge(kind, dialect), by_kind.get(kind, []), batch_size)
    by_relation: dict[str, list[dict]] = {}
    for relation, source, target, row in iter_edge_rows(graph):
        by_relation.setdefault(relation, []).append({"source": source, "target": target, **row})
    for relation in REL_COLUMNS:
        yield from _batches(rel_merge(relation, dialect), by_relation.get(relation, []), batch_size)


def _batches(merge: str, rows: list[dict], batch_size: int) -> Iterator[tuple[str, list[dict]]]:
    statement = "UNWIND $rows AS row " + merge
    for i in range(0, len(rows), batch_size):
        yield statement, rows[i:i + batch_size]


def _load_csv_value(header: str, column: Column) -> str:
    ref = f"line.`{header}`"
    return {"int": f"toInteger({ref})", "double": f"toFloat({ref})", "boolean": f"toBoolean({ref})",
            "string[]": f"split({ref}, '{ARRAY_DELIMITER}')"}.get(column.type, ref)


def load_cypher(batch_rows: int = 1000) -> str:
    """The load.cypher script: constraints, then one LOAD CSV per bundle file (nodes first)."""
    out = io.StringIO()
    out.write("// Load the kg bundle with LOAD CSV: copy the CSV files into Neo4j's import directory,\n"
              "// then run: cypher-shell -u neo4j -p PASSWORD -f load.cypher\n"
              "// (Neo4j 5; CALL ... IN TRANSACTIONS needs an implicit transaction: cypher-shell,\n"
              "// or prefix each statement with :auto in Neo4j Browser.)\n\n")
    for statement in constraint_statements():
        out.write(statement + ";\n")
    for kind in NODE_LABELS:
        header = node_header(kind)
        fields = [f"id: line.`{header[0]}`"] + [
            f"`{c.name}`: {_load_csv_value(h, c)}" for c, h in zip(node_columns(kind), header[2:])]
        out.write(f"\nLOAD CSV WITH HEADERS FROM 'file:///{node_file(kind)}' AS line\n"
                  f"CALL {{\n  WITH line\n  WITH {{{', '.join(fields)}}} AS row\n  {node_merge(kind)}\n"
                  f"}} IN TRANSACTIONS OF {batch_rows} ROWS;\n")
    for relation, columns in REL_COLUMNS.items():
        header = rel_header(relation)
        fields = [f"source: line.`{header[0]}`", f"target: line.`{header[1]}`"] + [
            f"`{c.name}`: {_load_csv_value(h, c)}" for c, h in zip(columns, header[3:])]
        out.write(f"\nLOAD CSV WITH HEADERS FROM 'file:///{rel_file(relation)}' AS line\n"
                  f"CALL {{\n  WITH line\n  WITH {{{', '.join(fields)}}} AS row\n  {rel_merge(relation)}\n"
                  f"}} IN TRANSACTIONS OF {batch_rows} ROWS;\n")
    return out.getvalue()


def import_command(database: str = "neo4j") -> str:
    """The neo4j-admin command line for this bundle (run inside the bundle directory)."""
    nodes = " ".join(f"--nodes={node_file(k)}" for k in NODE_LABELS)
    rels = " ".join(f"--relationships={rel_file(r)}" for r in REL_COLUMNS)
    return (f"neo4j-admin database import full {database} --overwrite-destination "
            f"--array-delimiter=';' --multiline-fields=true {nodes} {rels}")


def bundle_readme() -> str:
    return f"""# kg graph for Neo4j

Nodes `:Paper` and `:Entity:Method` / `:Entity:Model` / `:Entity:Dataset` / `:Entity:Hardware`, each
with a unique `id`; relationships MENTIONS, INTRODUCES, USES, EVALUATES_ON, TRAINS_ON, FINE_TUNES,
RUNS_ON, COMPARES_WITH, OUTPERFORMS (paper -> entity, with `confidence`, `evidence` sentence,
`field`, `start`/`end` offsets), VARIANT_OF (entity -> entity), BUILDS_ON and RELATED_TO
(paper -> paper, with `score`, `rank`, `shared`, `reason`). Arrays are `;`-separated in the CSV.

## Bulk import (fastest; empty or new database, server stopped)

Run in this directory (Neo4j 5):

    {import_command()}

then start Neo4j and create the constraints:

    CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
    CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;

## LOAD CSV into a running database

Copy the `*.csv` files into the server's import directory, then:

    cypher-shell -u neo4j -p PASSWORD -f load.cypher

## Straight from kg (no files; official Python driver, batched UNWIND ... MERGE)

    kg load neo4j --uri bolt://localhost:7687 --user neo4j --password PASSWORD

## A first query

    MATCH (p:Paper)-[r:MENTIONS]->(e:Entity {{label: 'LoRA'}}) RETURN p.title, r.evidence LIMIT 10;
"""


# ------------------------------------------------------------------ pushing with the driver

def load_into_neo4j(graph: nx.MultiDiGraph, uri: str, user: str, password: str, *,
                    database: str | None = None, batch_size: int = BATCH_SIZE,
                    connection_timeout: float = 10.0) -> dict[str, int]:
    """Push the graph to a running Neo4j with batched MERGEs; return node and relationship counts.

    Raises KGError with a one-line message when the server cannot be reached or refuses us.
    """
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise KGError(f"Invalid Neo4j URI '{uri}': use one of {', '.join(s + '://' for s in BOLT_SCHEMES)}. "
                      f"Try --uri bolt://localhost:7687")
    counts = {"nodes": 0, "relationships": 0}
    try:
        with GraphDatabase.driver(uri, auth=(user, password), connection_timeout=connection_timeout,
                                  max_transaction_retry_time=connection_timeout) as driver:
            driver.verify_connectivity()
            with driver.session(database=database) as session:
                for statement in constraint_statements():
                    session.run(statement).consume()
                for statement, rows in cypher_batches(graph, batch_size=batch_size):
                    session.execute_write(lambda tx, s=statement, r=rows: tx.run(s, rows=r).consume())
                    counts["relationships" if "MATCH (a:" in statement else "nodes"] += len(rows)
    except AuthError as err:
        raise KGError(f"Neo4j at {uri} refused user '{user}': {_first_line(err)}. Check --user/--password.") from err
    except (ServiceUnavailable, OSError) as err:
        raise KGError(f"Cannot reach Neo4j at {uri}: {_first_line(err)}. Is the server running? "
                      f"Check --uri.") from err
    except Neo4jError as err:
        raise KGError(f"Neo4j at {uri} rejected the load: {_first_line(err)}") from err
    except ValueError as err:  # malformed URI
        raise KGError(f"Invalid Neo4j URI '{uri}': {_first_line(err)}. Try --uri bolt://localhost:7687") from err
    return counts


def _first_line(err: Exception, limit: int = 240) -> str:
    """The error's message on one line, shortened."""
    text = " ".join(str(err).split()).rstrip(":") or type(err).__name__
    return text if len(text) <= limit else text[:limit - 1] + "…"
