"""Ready-made queries: the files, --list, and safe parameter binding (small store in kg's vocabulary)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.sparql import catalog, run_query
from kg.sparql.catalog import QueryParameterError, bind_parameters, find_queries, parse_params

REQUIRED = {  # the questions issue 6 asks for, by file name
    "method-on-model-family", "evaluation-datasets", "low-precision-hardware", "paper-lineage",
    "related-papers", "method-model-pairs", "model-families", "papers-per-month",
}


def test_find_queries_has_every_question():
    assert REQUIRED <= set(find_queries())


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_ready_query_file_is_documented_and_runs(name, small_store):
    query = find_queries()[name]
    first = query.path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# ") and first.endswith("?"), first
    assert query.question == first[2:]
    for param in query.parameters:
        assert param.help and param.default
    result = run_query(small_store, query.text, source=str(query.path))
    assert result.kind == "select" and result.variables


def test_read_query_file_rejects_param_without_values_block(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("# q?\n# @param method Method  m\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(catalog.KGError, match="VALUES"):
        catalog.read_query_file(path)


@pytest.mark.parametrize("value", ["lora", "LoRA", "low-rank adaptation", "https://kg.example.org/id/entity/lora",
                                   "<https://kg.example.org/id/entity/lora>"])
def test_bind_parameters_resolves_ids_labels_aliases_iris(small_store, value):
    query = find_queries()["method-on-model-family"]
    text = bind_parameters(query, {"method": value, "family": "Llama"}, small_store)
    assert "VALUES ?method { <https://kg.example.org/id/entity/lora> }" in text
    rows = run_query(small_store, text).records()
    assert [r["title"] for r in rows] == ["LoRA for Llama 2"]


def test_bind_parameters_respects_entity_type(small_store):
    query = find_queries()["method-on-model-family"]
    with pytest.raises(QueryParameterError, match="No method 'llama'"):
        bind_parameters(query, {"method": "llama"}, small_store)


@pytest.mark.parametrize("value", ['FP8" } } SELECT * WHERE { ?s ?p ?o } #', "a\\b\nc}", "'''"])
def test_bind_parameters_string_cannot_inject(small_store, value):
    query = find_queries()["low-precision-hardware"]
    text = bind_parameters(query, {"activity": value}, small_store)
    result = run_query(small_store, text)
    assert result.variables == ("hardware", "label", "papers", "titles")
    assert result.rows == ()
    assert "VALUES ?activity" not in text  # inlined as a constant, written by pyoxigraph
    assert text.count(str(ox.Literal(value))) == 2


def test_bind_parameters_string_param_changes_answer(small_store):
    query = find_queries()["low-precision-hardware"]
    default = run_query(small_store, query.text).records()
    assert [r["label"] for r in default] == ["NVIDIA H100"]
    bf16 = run_query(small_store, bind_parameters(query, {"precision": "BF16", "activity": "tune"}, small_store))
    assert [r["label"] for r in bf16.records()] == []  # the BF16 paper names no Hardware entity in the fixture


@pytest.mark.parametrize("params, message", [
    ({"nope": "x"}, "has no parameter 'nope'"),
    ({"method": "http://x/a b"}, "not a valid IRI"),
    ({"method": "<http://x/a>b>"}, "not a valid IRI"),
])
def test_bind_parameters_rejects_bad_input(small_store, params, message):
    with pytest.raises(QueryParameterError, match=message):
        bind_parameters(find_queries()["method-on-model-family"], params, small_store)


def test_bind_parameters_integer(small_store):
    query = find_queries()["method-model-pairs"]
    with pytest.raises(QueryParameterError, match="not an integer"):
        bind_parameters(query, {"minPapers": "two"}, small_store)
    text = bind_parameters(query, {"minPapers": "1"}, small_store)
    rows = run_query(small_store, text).records()
    assert [(r["methodLabel"], r["modelLabel"], r["papers"]) for r in rows] == [("LoRA", "Llama 2 7B", 1)]
    assert run_query(small_store, query.text).rows == ()  # default 2: no pair shares two papers


def test_parse_params():
    assert parse_params(["a=b", " c = d=e "]) == {"a": "b", "c": "d=e"}
    with pytest.raises(QueryParameterError, match="key=value"):
        parse_params(["ab"])


def test_cli_query_list():
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0, result.output
    for name, query in find_queries().items():
        assert f"{name}  " in result.stdout and query.question in result.stdout
        for p in query.parameters:
            assert f"--param {p.name}=... ({p.kind}; default {p.default}) {p.help}" in result.stdout


def test_cli_query_name_with_params(small_graph_dir):
    args = ["query", "--name", "method-on-model-family", "--param", "method=Low-Rank Adaptation",
            "--param", "family=llama", "--format", "tsv", "--graph", str(small_graph_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "?paper\t?title\t?date\t?how\t?models"
    assert lines[1].startswith('<https://kg.example.org/id/paper/2401.00001>\t"LoRA for Llama 2"')


@pytest.mark.parametrize("args, message", [
    (["--name", "nope"], "Unknown query 'nope'. Available:"),
    (["--name", "method-on-model-family", "--param", "method=quantum"], "No method 'quantum'"),
    (["SELECT * WHERE { ?s ?p ?o }", "--param", "a=b"], "--param needs a query with parameters"),
    ([], "Give a QUERY"),
])
def test_cli_query_user_mistakes_exit_2(small_graph_dir, args, message):
    result = CliRunner().invoke(main, ["query", *args, "--graph", str(small_graph_dir)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_bind_parameters_inlines_strings_only_as_function_arguments(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text('# q?\n# @param pattern string  p\n# @param shown string  s\n'
                    'SELECT ?shown WHERE {\n  VALUES ?pattern { "a.c" }\n  VALUES ?shown { "x" }\n'
                    '  ?s ?p ?o FILTER(REGEX(STR(?o), ?pattern, "i")) }\n')
    query = catalog.read_query_file(path)
    text = bind_parameters(query, {"pattern": "b+"}, None)
    assert 'REGEX(STR(?o), "b+", "i")' in text and "?pattern" not in text
    assert 'VALUES ?shown { "x" }' in text  # projected: left as a VALUES block
    assert bind_parameters(query, {}, None, inline=False) == query.text
