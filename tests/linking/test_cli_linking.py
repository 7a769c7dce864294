"""kg entities and kg eval through click's CliRunner."""
import json

import pytest
from click.testing import CliRunner

from kg.cli import main

PAPERS = [
    {"id": "p-coat", "title": "COAT: Compressing Optimizer states and Activation for Memory-Efficient FP8 Training",
     "abstract": "This paper introduces COAT, a novel FP8 training framework. We compare with BF16 on H100 GPUs."},
    {"id": "p-dpo", "title": "Aligning models",
     "abstract": "We study Direct Preference Optimization (DPO) on Llama-3.1-8B-Instruct. DPO is simple."},
]


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    return path


def test_entities_jsonl_shape(corpus):
    result = CliRunner().invoke(main, ["entities", str(corpus), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["paper"] for r in lines] == ["p-coat", "p-dpo"]
    for record in lines:
        assert list(record) == ["paper", "title", "entities"]
        for ent in record["entities"]:
            assert list(ent) == ["id", "type", "label", "introduced", "confidence", "mentions"]
            assert ent["type"] in ("Method", "Model", "Dataset", "Hardware")
            for m in ent["mentions"]:
                assert list(m) == ["text", "field", "start", "end"]
                paper = PAPERS[[p["id"] for p in PAPERS].index(record["paper"])]
                assert paper[m["field"]][m["start"] : m["end"]] == m["text"]
    coat = next(e for e in lines[0]["entities"] if e["label"] == "COAT")
    assert coat["introduced"] is True and coat["type"] == "Method"
    assert any(e["type"] == "Hardware" and e["mentions"][0]["text"] == "H100" for e in lines[0]["entities"])
    dpo = next(e for e in lines[1]["entities"] if any(m["text"] == "DPO" for m in e["mentions"]))
    assert {m["text"] for m in dpo["mentions"]} == {"Direct Preference Optimization", "DPO"}


def test_entities_writes_file_and_summary_line(corpus, tmp_path):
    out = tmp_path / "ents.jsonl"
    result = CliRunner().invoke(main, ["entities", str(corpus), "--format", "jsonl", "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert "Linked 2 papers" in result.stderr


def test_entities_summary_table(corpus):
    result = CliRunner().invoke(main, ["entities", str(corpus), "--summary"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["TYPE", "PAPERS", "ID", "LABEL"]
    assert any(line.startswith("Method") and "direct-preference-optimization" in line for line in result.stdout.splitlines())


def test_entities_table(corpus):
    result = CliRunner().invoke(main, ["entities", str(corpus)])
    assert result.exit_code == 0
    assert result.stdout.startswith("p-coat  COAT:")
    assert "* Method   coat" in result.stdout


def test_eval_prints_table(gold_dir):
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold_dir / "dev.jsonl")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["type", "P", "R", "F1", "tp", "fp", "fn"]
    assert [line.split()[0] for line in lines[1:6]] == ["Method", "Model", "Dataset", "Hardware", "micro"]
    assert lines[6].startswith("linking accuracy")


def test_eval_bad_gold_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(bad), "--input", str(bad)])
    assert result.exit_code == 2
    assert "gold.jsonl:1" in result.output and "Traceback" not in result.output
