"""kg.linking.evaluation gives the same figures as the reference scorer (../shared/gold/score.py)."""
import json
import subprocess
import sys

import pytest

from kg.corpus import read_papers
from kg.linking import link_papers
from kg.linking.evaluation import evaluate, format_table, score_norm
from kg.linking.output import entities_record


@pytest.fixture(scope="module")
def dev_predictions(gold_dir, kb, tmp_path_factory):
    records = [entities_record(pe) for pe in link_papers(read_papers([gold_dir / "dev_input.jsonl"]), kb=kb)]
    path = tmp_path_factory.mktemp("pred") / "pred.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return records, path


def _gold(gold_dir):
    with (gold_dir / "dev.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def test_evaluation_equals_reference_scorer(gold_dir, dev_predictions):
    records, path = dev_predictions
    ours = evaluate(_gold(gold_dir), records).as_dict()
    out = subprocess.run([sys.executable, str(gold_dir / "score.py"), str(gold_dir / "dev.jsonl"), str(path), "--json"],
                         capture_output=True, text=True, check=True)
    assert ours == json.loads(out.stdout)


def test_evaluation_table_equals_reference_table(gold_dir, dev_predictions):
    records, path = dev_predictions
    out = subprocess.run([sys.executable, str(gold_dir / "score.py"), str(gold_dir / "dev.jsonl"), str(path)],
                         capture_output=True, text=True, check=True)
    assert format_table(evaluate(_gold(gold_dir), records)) == out.stdout.rstrip("\n")


def test_evaluation_counts_a_miss_a_false_hit_and_linking():
    gold = [
        {"id": "p1", "entities": [{"type": "Method", "text": "DPO", "canonical": "dpo", "introduced": False}]},
        {"id": "p2", "entities": [{"type": "Method", "text": "Direct Preference Optimization", "aliases": ["DPO"],
                                   "canonical": "dpo", "introduced": True}]},
    ]
    pred = [
        {"paper": "p1", "entities": [{"id": "x", "type": "Method", "label": "DPO", "mentions": [{"text": "D.P.O."}]}]},
        {"paper": "p2", "entities": [{"id": "x", "type": "Method", "label": "DPO", "introduced": True,
                                      "mentions": [{"text": "DPO"}]},
                                     {"id": "y", "type": "Model", "label": "GPT", "mentions": [{"text": "GPT"}]}]},
    ]
    ev = evaluate(gold, pred)
    rows = ev.rows()
    assert rows["Method"][3:] == (2, 0, 0) and rows["Model"][3:] == (0, 1, 0)
    assert ev.linking_accuracy == 1.0 and ev.linking_pairs == 1
    assert ev.introduced_prf() == (1.0, 1.0, 1.0)
    assert ("p2", "false-hit", "Model", "GPT") in ev.errors


def test_score_norm():
    assert score_norm("Llama-3.1 8B") == score_norm("llama3.18b") == "llama318b"
