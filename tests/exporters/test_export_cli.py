"""`kg export`: formats by name, paths on stdout, one summary line on stderr, clear errors."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.assembly import save_graph
from kg.cli import main
from kg.exporters import EXPORTERS


@pytest.fixture(scope="module")
def graph_dir(small_graph, tmp_path_factory):
    directory = tmp_path_factory.mktemp("graph")
    save_graph(small_graph, directory)
    return directory


def _run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_export_all_formats_into_directory(graph_dir, tmp_path):
    result = _run("export", "--graph", str(graph_dir), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    expected = [str(tmp_path / "out" / e.file_name) for e in EXPORTERS.values()]
    assert result.stdout.splitlines() == expected
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(e.file_name for e in EXPORTERS.values())
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Wrote 4 papers, 10 entities, 32 edges as turtle, ntriples, jsonld, graphml, gexf, "
                               f"neo4j -> {tmp_path / 'out'}/ (")


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_cli_export_one_format_to_path(graph_dir, tmp_path, fmt):
    target = tmp_path / f"x.{fmt}"
    result = _run("export", "--graph", str(graph_dir), "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{target}\n"
    assert target.exists()


def test_cli_export_base_iri(graph_dir, tmp_path):
    target = tmp_path / "kg.nt"
    result = _run("export", "--graph", str(graph_dir), "-f", "ntriples", "-o", str(target),
                  "--base-iri", "https://example.org/papers/")
    assert result.exit_code == 0, result.stderr
    assert "<https://example.org/papers/paper/5ce413c7ba>" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (("-f", "rdfxml"), "Error: Unknown export format 'rdfxml'. Available: turtle, ntriples, jsonld, graphml, gexf, "
                       "neo4j. Try --format turtle\n"),
    (("-f", "turtle", "--base-iri", "https://kg.org/id"),
     "Error: Invalid base IRI 'https://kg.org/id': it must be absolute and end with / or #. "
     "Try --base-iri https://kg.example.org/id/\n"),
])
def test_cli_export_user_mistakes(graph_dir, tmp_path, args, message):
    result = _run("export", "--graph", str(graph_dir), "-o", str(tmp_path / "x"), *args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert not (tmp_path / "x").exists()


def test_cli_export_no_graph(tmp_path):
    result = _run("export", "--graph", str(tmp_path / "none"), "-o", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: No built graph in {tmp_path / 'none'}.")


def test_cli_export_one_format_into_existing_directory(graph_dir, tmp_path):
    result = _run("export", "--graph", str(graph_dir), "-f", "graphml", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{tmp_path / 'kg.graphml'}\n"
