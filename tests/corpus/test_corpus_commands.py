"""kg papers / kg ingest through click's CliRunner: outputs, warnings, exit codes."""
import csv
import io

import orjson
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.corpus import paper_to_record, read_papers
from kg.paths import SAMPLE_CORPUS_DIR

SAMPLE_FILE = SAMPLE_CORPUS_DIR / "000_b189964a42f63b3b.txt"
SUMMARY = "459 papers (489 records in 5 files, 30 duplicates merged, 0 warnings)"


def _run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_papers_default_table_lists_sample(sample_papers):
    result = _run("papers")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "DATE", "UP", "TITLE"]
    assert len(lines) == 460
    assert lines[1].startswith(sample_papers[0].id)
    assert result.stderr == SUMMARY + "\n"


def test_papers_jsonl_fields_and_content(sample_papers):
    result = _run("papers", "--format", "jsonl")
    assert result.exit_code == 0
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert records == [paper_to_record(p) for p in sample_papers]
    assert set(records[0]) >= {"id", "title", "abstract", "date", "upvotes", "authors", "links", "sources"}


def test_papers_csv(sample_papers):
    result = _run("papers", str(SAMPLE_FILE), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 19
    coat = next(r for r in rows if r["title"].startswith("COAT"))
    assert coat["links"] == "https://github.com/NVlabs/COAT"
    assert coat["sources"] == f"{SAMPLE_FILE.as_posix()}:17"


def test_papers_output_file_is_deterministic(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert _run("papers", "--format", "jsonl", "-o", str(first)).exit_code == 0
    result = _run("papers", "--format", "jsonl", "--output", str(second))
    assert result.stdout == ""
    assert result.stderr == f"{SUMMARY} -> {second.as_posix()}\n"
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "b.jsonl"]  # no temp files left


def test_ingest_writes_corpus_that_reads_back(tmp_path, sample_papers):
    out = tmp_path / "papers.jsonl"
    result = _run("ingest", str(SAMPLE_CORPUS_DIR), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{SUMMARY} -> {out.as_posix()}\n"
    back = list(read_papers(out))
    assert len(back) == 459
    assert [(p.title, p.abstract, p.links) for p in back] == [(p.title, p.abstract, p.links) for p in sample_papers]
    again = tmp_path / "again.jsonl"
    assert _run("ingest", str(out), "-o", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_ingest_requires_input_and_output(tmp_path):
    assert _run("ingest", "-o", str(tmp_path / "x.jsonl")).exit_code == 2
    assert _run("ingest", str(SAMPLE_FILE)).exit_code == 2


def test_papers_warns_on_bad_input_and_keeps_going(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.jsonl"
    result = _run("papers", str(SAMPLE_FILE), str(empty), str(missing))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"warning: {empty.as_posix()}: empty file",
        f"warning: {missing.as_posix()}: no such file or directory",
        "19 papers (19 records in 1 file, 0 duplicates merged, 2 warnings)",
    ]


def test_papers_warning_names_line(tmp_path, sample_papers):
    path = tmp_path / "p.jsonl"
    path.write_bytes(orjson.dumps({"title": "No abstract"}) + b"\n"
                     + orjson.dumps({"title": sample_papers[0].title, "abstract": sample_papers[0].abstract}) + b"\n")
    result = _run("papers", str(path), "--format", "jsonl")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == f"warning: {path.as_posix()}:1: record has no abstract, skipped"
    assert len(result.stdout.splitlines()) == 1


def test_papers_nothing_usable_exits_2(tmp_path):
    missing = tmp_path / "missing.txt"
    result = _run("papers", str(missing), "--format", "jsonl")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"warning: {missing.as_posix()}: no such file or directory",
        f"Error: No papers read from {missing.as_posix()} (1 warning above). Give files in a supported "
        "format (hf-daily, json, jsonl) or pass --input-format NAME.",
    ]


def test_ingest_nothing_usable_leaves_no_output(tmp_path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    out = tmp_path / "papers.jsonl"
    result = _run("ingest", str(binary), "-o", str(out))
    assert result.exit_code == 2
    assert "Error: No papers read" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.bin"]


def test_papers_strict_turns_warning_into_failure(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out.jsonl"
    result = _run("papers", str(SAMPLE_FILE), str(empty), "--strict", "--format", "jsonl", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {empty.as_posix()}: empty file (--strict turns warnings into errors)\n"
    assert not out.exists()
    assert _run("papers", str(SAMPLE_FILE), "--strict").exit_code == 0


def test_papers_unknown_input_format_exits_2():
    result = _run("papers", "--input-format", "bibtex")
    assert result.exit_code == 2
    assert result.stderr == ("Error: Unknown input format 'bibtex'. Available: hf-daily, json, jsonl. "
                             "Try --input-format hf-daily\n")


def test_papers_input_format_forces_reader(tmp_path):
    path = tmp_path / "page.dump"
    path.write_bytes(SAMPLE_FILE.read_bytes())
    assert _run("papers", str(path), "--input-format", "hf-daily").exit_code == 0
    result = _run("papers", str(path), "--input-format", "jsonl")
    assert result.exit_code == 2
    assert "invalid or truncated JSON" in result.stderr


def test_papers_output_into_missing_directory_exits_2(tmp_path):
    result = _run("papers", "-o", str(tmp_path / "no" / "such" / "out.jsonl"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot write")


@pytest.mark.parametrize("command", ["papers", "ingest"])
def test_corpus_commands_help_has_example(command):
    result = _run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"kg {command}" in result.output
