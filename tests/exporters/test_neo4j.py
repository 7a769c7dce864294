"""Neo4j bundle and driver statements, run in the embedded openCypher engine ladybug (Kuzu fork):
no Neo4j server can run here. Kuzu needs declared tables, loads CSV by column position and has
no multi-label nodes, so entities live in one Entity table with their type in `kind`."""
from __future__ import annotations

import csv
import re
import socket

import pytest
from click.testing import CliRunner

from kg.assembly import save_graph
from kg.assembly import schema as S
from kg.cli import main
from kg.errors import KGError
from kg.exporters import neo4j as N
from kg.exporters import write_export

lb = pytest.importorskip("ladybug")

KUZU = {"string": "STRING", "int": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE",
        "string[]": "STRING"}


def _table_columns(header: list[str]) -> list[str]:
    """Kuzu column declarations from a neo4j-admin header (keys and :LABEL/:TYPE become strings)."""
    columns = []
    for field in header:
        if re.fullmatch(r":(START|END)_ID\(\w+\)", field):
            continue
        name, _, kind = field.partition(":")
        if field == ":LABEL":
            name, kind = "neo4j_label", "string"
        elif field == ":TYPE":
            name, kind = "neo4j_type", "string"
        elif kind.startswith("ID("):
            kind = "string"
        columns.append(f"`{name}` {KUZU[kind or 'string']}")
    return columns


def _bundle_db(bundle, path):
    conn = lb.Connection(lb.Database(str(path)))
    headers = {p.name: next(csv.reader(p.open(encoding="utf-8"))) for p in bundle.glob("*.csv")}
    for table, file in (("Paper", N.node_file("Paper")), ("Entity", N.node_file("Method"))):
        conn.execute(f"CREATE NODE TABLE {table}({', '.join(_table_columns(headers[file]))}, PRIMARY KEY(id))")
    for relation in N.REL_COLUMNS:
        start, end = N.REL_ENDS[relation]
        columns = "".join(", " + c for c in _table_columns(headers[N.rel_file(relation)]))
        conn.execute(f"CREATE REL TABLE {relation}(FROM {start} TO {end}{columns})")
    for kind in N.NODE_LABELS:
        conn.execute(f"COPY {'Paper' if kind == 'Paper' else 'Entity'} FROM '{bundle / N.node_file(kind)}' (header=true)")
    for relation in N.REL_COLUMNS:
        conn.execute(f"COPY {relation} FROM '{bundle / N.rel_file(relation)}' (header=true)")
    return conn


def _driver_db(graph, path):
    conn = lb.Connection(lb.Database(str(path)))

    def columns(cols):
        return "".join(f", `{c.name}` {N.KUZU_TYPES[c.type]}" for c in cols)

    conn.execute(f"CREATE NODE TABLE Paper(id STRING{columns(N.PAPER_COLUMNS)}, PRIMARY KEY(id))")
    conn.execute(f"CREATE NODE TABLE Entity(id STRING{columns(N.ENTITY_COLUMNS)}, PRIMARY KEY(id))")
    for relation, cols in N.REL_COLUMNS.items():
        start, end = N.REL_ENDS[relation]
        conn.execute(f"CREATE REL TABLE {relation}(FROM {start} TO {end}{columns(cols)})")
    for statement, rows in N.cypher_batches(graph, batch_size=3, dialect="kuzu"):
        conn.execute(statement, {"rows": rows})
    return conn


def _all(conn, query):
    result = conn.execute(query)
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return rows


def _check_counts_and_queries(conn, graph):
    papers = sum(1 for _, k in graph.nodes(data="kind") if k == S.PAPER)
    assert _all(conn, "MATCH (p:Paper) RETURN count(*)") == [[papers]]
    assert _all(conn, "MATCH (e:Entity) RETURN count(*)") == [[graph.number_of_nodes() - papers]]
    assert _all(conn, "MATCH ()-[r]->() RETURN count(*)") == [[graph.number_of_edges()]]
    for relation in S.EDGE_TYPES:
        expected = sum(1 for _, _, k in graph.edges(keys=True) if k == relation)
        assert _all(conn, f"MATCH ()-[r:{relation}]->() RETURN count(*)") == [[expected]], relation
    uses = sorted([graph.nodes[u]["title"], graph.nodes[v]["label"]]
                  for u, v, k in graph.edges(keys=True) if k == S.USES)
    assert _all(conn, "MATCH (p:Paper)-[:USES]->(e:Entity) RETURN p.title, e.label ORDER BY p.title, e.label") == uses


@pytest.fixture(scope="module")
def small_bundle(small_graph, tmp_path_factory):
    return write_export(small_graph, "neo4j", tmp_path_factory.mktemp("neo4j") / "bundle")


def test_bundle_files_and_typed_headers(small_bundle):
    names = sorted(p.name for p in small_bundle.iterdir())
    assert names == sorted(["README.md", "load.cypher"] + [N.node_file(k) for k in N.NODE_LABELS]
                           + [N.rel_file(r) for r in N.REL_COLUMNS])
    paper_header = next(csv.reader((small_bundle / "nodes_Paper.csv").open(encoding="utf-8")))
    assert paper_header[:2] == ["id:ID(Paper)", ":LABEL"] and "upvotes:int" in paper_header
    assert "authors:string[]" in paper_header and "date:date" in paper_header
    rel_header = next(csv.reader((small_bundle / "rels_USES.csv").open(encoding="utf-8")))
    assert rel_header[:3] == [":START_ID(Paper)", ":END_ID(Entity)", ":TYPE"]


def test_bundle_loads_in_ladybug(small_graph, small_bundle, tmp_path):
    conn = _bundle_db(small_bundle, tmp_path / "db")
    _check_counts_and_queries(conn, small_graph)
    assert _all(conn, "MATCH (e:Entity {id: 'bf16'}) RETURN e.neo4j_label, e.aliases, e.known, e.paper_count") == [
        ["Entity;Method", "BrainFloat16;bfloat16", True, 2]]
    date = _all(conn, "MATCH (p:Paper {id: 'd38e362e52'}) RETURN p.date, p.upvotes")[0]
    assert (date[0].isoformat(), date[1]) == ("2024-11-22", 3)


def test_driver_statements_run_in_ladybug(small_graph, tmp_path):
    conn = _driver_db(small_graph, tmp_path / "db")
    _check_counts_and_queries(conn, small_graph)
    assert _all(conn, "MATCH (e:Entity {id: 'bf16'}) RETURN e.kind, e.aliases") == [["Method", ["BrainFloat16", "bfloat16"]]]
    # MERGE: running every batch again changes nothing
    for statement, rows in N.cypher_batches(small_graph, dialect="kuzu"):
        conn.execute(statement, {"rows": rows})
    _check_counts_and_queries(conn, small_graph)


def test_neo4j_statements_use_both_entity_labels(small_graph):
    statements = {s for s, _ in N.cypher_batches(small_graph)}
    method = next(s for s in statements if ", n:Method REMOVE" in s)
    assert method.startswith("UNWIND $rows AS row MERGE (n:Entity {id: row.id}) SET n.`kind` = row.`kind`, ")
    assert method.endswith(", n:Method REMOVE n:Model, n:Dataset, n:Hardware")
    assert any(s.startswith("UNWIND $rows AS row MATCH (a:Paper {id: row.source}) MATCH (b:Entity {id: row.target})"
                            " MERGE (a)-[r:USES]->(b)") for s in statements)


def test_load_cypher_reads_existing_files_and_columns(small_bundle):
    text = (small_bundle / "load.cypher").read_text(encoding="utf-8")
    assert text.count("CREATE CONSTRAINT") == 2
    loads = re.findall(r"LOAD CSV WITH HEADERS FROM 'file:///([^']+)' AS line\nCALL \{\n(.*?)\n\} IN TRANSACTIONS",
                       text, flags=re.S)
    assert sorted(f for f, _ in loads) == sorted(p.name for p in small_bundle.glob("*.csv"))
    for file, body in loads:
        header = next(csv.reader((small_bundle / file).open(encoding="utf-8")))
        used = set(re.findall(r"line\.`([^`]+)`", body))
        assert used and used <= set(header), file
        assert set(header) - used <= {":LABEL", ":TYPE"}, file  # every property column is loaded


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_load_into_neo4j_unreachable_is_kg_error(small_graph):
    with pytest.raises(KGError, match="Cannot reach Neo4j"):
        N.load_into_neo4j(small_graph, f"bolt://127.0.0.1:{_unused_port()}", "neo4j", "x", connection_timeout=3)


def test_cli_load_neo4j_unreachable_one_line_error(small_graph, tmp_path):
    save_graph(small_graph, tmp_path / "g")
    uri = f"bolt://127.0.0.1:{_unused_port()}"
    result = CliRunner().invoke(main, ["load", "neo4j", "--uri", uri, "--password", "x", "--graph", str(tmp_path / "g")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: Cannot reach Neo4j at {uri}: ")
    assert lines[0].endswith("Is the server running? Check --uri.")


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "localhost:7687"])
def test_load_into_neo4j_rejects_non_bolt_uri(small_graph, uri):
    with pytest.raises(KGError, match="Invalid Neo4j URI"):
        N.load_into_neo4j(small_graph, uri, "neo4j", "x")


def test_bundle_byte_identical_twice(small_graph, tmp_path):
    a = write_export(small_graph, "neo4j", tmp_path / "a")
    b = write_export(small_graph, "neo4j", tmp_path / "b")
    assert {p.name: p.read_bytes() for p in a.iterdir()} == {p.name: p.read_bytes() for p in b.iterdir()}


def test_bundle_rewrite_replaces_old_directory(small_graph, tmp_path):
    target = tmp_path / "bundle"
    target.mkdir()
    (target / "stale.csv").write_text("old")
    write_export(small_graph, "neo4j", target)
    assert not (target / "stale.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bundle"]
