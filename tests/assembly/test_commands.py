"""kg build / stats / related / show through click's CliRunner."""
import re

import orjson
import pytest
from click.testing import CliRunner

from kg.assembly import save_graph
from kg.cli import main

COAT, FP8_BACK = "5ce413c7ba", "af63364d46"


@pytest.fixture(scope="module")
def graph_dir(sample_graph, tmp_path_factory):
    directory = tmp_path_factory.mktemp("kg")
    save_graph(sample_graph, directory)
    return directory


def test_build_writes_graph_and_summary(tmp_path):
    from kg.corpus import paper_to_record, read_papers

    papers = [p for p in read_papers() if p.id in (COAT, FP8_BACK, "d38e362e52")]
    source = tmp_path / "three.jsonl"
    source.write_bytes(b"".join(orjson.dumps(paper_to_record(p)) + b"\n" for p in papers))
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "out"), "--top-k", "1",
                                       "--exports", str(tmp_path / "exports")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Built graph: 3 papers, ")
    assert f"-> {tmp_path / 'out'} (exports: {tmp_path / 'exports'})" in result.stderr
    assert (tmp_path / "out" / "graph.json").is_file()
    assert {"kg.ttl", "kg.graphml", "kg.gexf", "neo4j"} <= {p.name for p in (tmp_path / "exports").iterdir()}
    quiet = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "q"), "--quiet", "--no-exports"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert (tmp_path / "q" / "graph.json").read_bytes() != b""


def test_stats_counts(graph_dir):
    result = CliRunner().invoke(main, ["stats", "--graph", str(graph_dir)])
    assert result.exit_code == 0, result.output
    assert re.search(r"^  Paper +459$", result.stdout, re.M)
    assert "RELATED_TO" in result.stdout and "Top entities" in result.stdout


def test_related_by_title_fragment(graph_dir):
    result = CliRunner().invoke(main, ["related", "COAT: Compressing", "-k", "3", "--graph", str(graph_dir)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(" 1. ") and len([line for line in lines if line[:4].strip().endswith(".")]) == 3
    assert COAT not in result.stdout  # never itself
    assert result.stderr.startswith(f"3 related to {COAT}")


def test_related_ambiguous_lists_candidates_exit_2(graph_dir):
    result = CliRunner().invoke(main, ["related", "training", "--graph", str(graph_dir)])
    assert result.exit_code == 2
    assert "matches" in result.stderr and "Error:" in result.stderr
    assert len(result.stderr.splitlines()) > 2


def test_show_entity_by_label(graph_dir):
    result = CliRunner().invoke(main, ["show", "COAT", "--graph", str(graph_dir)])
    assert result.exit_code == 0, result.output
    assert "INTRODUCES (1)" in result.stdout and COAT in result.stdout


def test_commands_without_graph_exit_2(tmp_path):
    for args in (["stats"], ["related", "x"], ["show", "x"]):
        result = CliRunner().invoke(main, [*args, "--graph", str(tmp_path / "none")])
        assert result.exit_code == 2
        assert result.stderr.startswith("Error: No built graph in")


def test_show_unknown_entity_exit_2(graph_dir):
    result = CliRunner().invoke(main, ["show", "zzzz-not-an-entity", "--graph", str(graph_dir)])
    assert result.exit_code == 2 and "No entity matches" in result.stderr
