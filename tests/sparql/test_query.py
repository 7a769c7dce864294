"""Query runner and result writers, on a small store in kg's vocabulary."""
from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import main
from kg.sparql import format_result, run_query
from kg.sparql.query import SparqlSyntaxError, SparqlUpdateError

MONTHS = """SELECT ?month (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper ; dcterms:issued ?d .
  BIND(SUBSTR(STR(?d), 1, 7) AS ?month) } GROUP BY ?month ORDER BY ?month"""
TITLES = "SELECT ?p ?title ?missing WHERE { ?p dcterms:title ?title OPTIONAL { ?p kg:upvotes ?missing } } ORDER BY ?p"


def test_run_query_select_with_default_prefixes(small_store):
    result = run_query(small_store, MONTHS)
    assert result.kind == "select"
    assert result.variables == ("month", "n")
    assert result.records() == [{"month": "2024-01", "n": 1}, {"month": "2024-02", "n": 2}]


def test_run_query_ask(small_store):
    assert run_query(small_store, "ASK { ?p kg:runsOn entity:h100 }").boolean is True
    assert run_query(small_store, "ASK { ?p kg:runsOn entity:lora }").boolean is False


@pytest.mark.parametrize("query", [
    "CONSTRUCT { ?p kg:uses ?e } WHERE { ?p kg:uses ?e }",
    "DESCRIBE entity:lora",
])
def test_run_query_graph_results_are_turtle(small_store, query):
    result = run_query(small_store, query)
    assert result.kind == "graph" and len(result) > 0
    text = format_result(result, "table")
    parsed = rdflib.Graph().parse(data=text, format="turtle")
    assert len(parsed) == len(result)
    assert (None, None, rdflib.URIRef("https://kg.example.org/id/entity/lora")) in parsed or \
        (rdflib.URIRef("https://kg.example.org/id/entity/lora"), None, None) in parsed


@pytest.mark.parametrize("query, line, column", [
    ("SELECT ?s WHERE {\n  ?s ?p \n}", 3, 1),
    ("SELEC * WHERE { ?s ?p ?o }", 1, 1),
    ("# a comment\nPREFIX ex: <http://x/> # another\n  selec * {}", 3, 3),
])
def test_run_query_syntax_error_has_line_and_column(small_store, query, line, column):
    with pytest.raises(SparqlSyntaxError) as info:
        run_query(small_store, query)
    assert info.value.line == line
    assert f"line {line}" in str(info.value)
    assert "\n" not in str(info.value)


def test_run_query_undefined_prefix_is_named(small_store):
    with pytest.raises(SparqlSyntaxError) as info:
        run_query(small_store, "SELECT ?s WHERE {\n  ?s nope:thing ?o }")
    assert "undefined prefix 'nope:'" in str(info.value)
    assert info.value.line == 2


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "PREFIX x: <http://x/>\n# a comment\nDELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
])
def test_run_query_refuses_updates(small_store, update):
    with pytest.raises(SparqlUpdateError):
        run_query(small_store, update)
    assert run_query(small_store, "ASK { ?s ?p ?o }").boolean is True


def test_format_json_matches_oxigraph(small_store):
    ours = json.loads(format_result(run_query(small_store, TITLES), "json"))
    theirs = json.loads(small_store.query(TITLES, prefixes={"kg": "https://kg.example.org/ontology#",
                                                            "dcterms": "http://purl.org/dc/terms/"})
                        .serialize(format=ox.QueryResultsFormat.JSON))
    assert ours == theirs
    assert len(ours["results"]["bindings"]) == 3


@pytest.mark.parametrize("fmt, oxformat", [("csv", ox.QueryResultsFormat.CSV), ("tsv", ox.QueryResultsFormat.TSV)])
def test_format_csv_tsv_match_oxigraph(small_store, fmt, oxformat):
    for query in (TITLES, MONTHS):
        ours = format_result(run_query(small_store, query), fmt)
        theirs = small_store.query(query, prefixes={"kg": "https://kg.example.org/ontology#",
                                                    "dcterms": "http://purl.org/dc/terms/"}).serialize(format=oxformat)
        assert ours.encode("utf-8") == theirs


def test_format_csv_keeps_quotes_and_newlines(small_store):
    rows = list(csv.reader(io.StringIO(format_result(run_query(small_store, TITLES), "csv"), newline="")))
    titles = [r[1] for r in rows[1:]]
    assert 'FP8 training on H100 "at scale"' in titles
    assert "Tab\tand newline\nin a title" in titles


def test_format_table_compacts_iris_and_flattens_text(small_store):
    lines = format_result(run_query(small_store, TITLES), "table").splitlines()
    assert lines[0].split() == ["p", "title", "missing"]
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].startswith("paper:2401.00001  LoRA for Llama 2")
    assert any("Tab and newline in a title" in line for line in lines)
    assert len(lines) == 5


def test_format_ask(small_store):
    result = run_query(small_store, "ASK { ?p kg:uses entity:lora }")
    assert format_result(result, "table") == "true\n"
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}


def test_cli_query_inline_csv(small_graph_dir):
    result = CliRunner().invoke(main, ["query", MONTHS, "--format", "csv", "--graph", str(small_graph_dir)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b"month,n\r\n2024-01,1\r\n2024-02,2\r\n"
    assert result.stderr.startswith("2 rows in ")


def test_cli_query_file_and_construct(small_graph_dir, tmp_path):
    path = tmp_path / "uses.rq"
    path.write_text("# which entities are used\nCONSTRUCT { ?p kg:uses ?e } WHERE { ?p kg:uses ?e }\n")
    result = CliRunner().invoke(main, ["query", str(path), "--graph", str(small_graph_dir)])
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) == 1
    assert "1 triple in" in result.stderr


def test_cli_query_syntax_error_exit_2_one_line(small_graph_dir, tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# broken\nSELECT ?s WHERE {\n  ?s ?p\n}\n")
    result = CliRunner().invoke(main, ["query", str(path), "--graph", str(small_graph_dir)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: SPARQL syntax error at line 4, column 2:")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_cli_query_needs_graph(tmp_path):
    result = CliRunner().invoke(main, ["query", "ASK {}", "--graph", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "kg build" in result.stderr
