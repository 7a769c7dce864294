"""Knowledge-base loading: size, validation, parents, aliases, compiled cache."""
import time

import pytest

from kg.errors import KGError
from kg.linking import kb as kb_module
from kg.linking.kb import SLUG_RE, compile_kb, load_kb
from kg.linking.normalize import normalize_key


def test_kb_has_at_least_1500_entries(kb):
    assert len(kb) >= 1500


def test_kb_every_type_present(kb):
    assert {e.type for e in kb.entities.values()} == {"Method", "Model", "Dataset", "Hardware"}


def test_kb_ids_are_slugs_and_parents_exist(kb):
    for eid, ent in kb.entities.items():
        assert SLUG_RE.match(eid), eid
        assert ent.parent is None or ent.parent in kb.entities, eid
        kb.parent_chain(eid)  # terminates


def test_kb_no_shared_normalized_alias_unless_marked(kb):
    shared = [(k, ids) for k, ids in kb.aliases.items() if len(ids) > 1 and not set(ids) <= kb.shared_alias]
    assert shared == []


def test_kb_warm_load_uses_cache_and_equals_cold(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    kb_module._MEMO.clear()
    cold_start = time.perf_counter()
    cold = load_kb()
    cold_time = time.perf_counter() - cold_start
    assert list(tmp_path.glob("kg/kb-*.pickle"))
    kb_module._MEMO.clear()
    warm_start = time.perf_counter()
    warm = load_kb()
    warm_time = time.perf_counter() - warm_start
    assert warm.entities == cold.entities and warm.aliases == cold.aliases
    assert warm_time < cold_time


def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "files, message",
    [
        ({"methods-a.yaml": "- {id: dpo, label: DPO}\n", "methods-b.yaml": "- {id: dpo, label: Other}\n"}, "duplicate id"),
        ({"models.yaml": "- {id: llama-3.1-8b, label: Llama 3.1 8B, parent: llama-3.1}\n"}, "parent 'llama-3.1'"),
        ({"models.yaml": "- {id: Llama_3, label: Llama 3}\n"}, "not a lowercase slug"),
        ({"datasets.yaml": "- {id: mmlu}\n"}, "missing label"),
        ({"hardware.yaml": "- {id: h100, label: H100, colour: green}\n"}, "unknown key"),
        ({"models.yaml": "- {id: a, label: A, parent: b}\n- {id: b, label: B, parent: a}\n"}, "loops back"),
    ],
)
def test_compile_kb_rejects_bad_entries_naming_file_and_entry(tmp_path, files, message):
    for name, text in files.items():
        _write(tmp_path, name, text)
    with pytest.raises(KGError) as err:
        compile_kb(tmp_path)
    assert message in str(err.value)
    assert ".yaml" in str(err.value) and "entry" in str(err.value)


def test_compile_kb_types_from_file_prefix_and_alias_index(tmp_path):
    _write(tmp_path, "methods-x.yaml", "- {id: direct-preference-optimization, label: Direct Preference Optimization, aliases: [DPO]}\n")
    _write(tmp_path, "hardware.yaml", "- {id: h100, label: NVIDIA H100, aliases: [H100]}\n")
    _write(tmp_path, "notes.yaml", "- {id: ignored, label: Ignored}\n")
    kb = compile_kb(tmp_path)
    assert kb.entities["h100"].type == "Hardware"
    assert kb.entities["direct-preference-optimization"].type == "Method"
    assert "ignored" not in kb.entities
    assert kb.aliases[normalize_key("dpo")] == ("direct-preference-optimization",)


def test_load_kb_missing_directory_is_a_user_error(tmp_path):
    with pytest.raises(KGError, match="does not exist"):
        load_kb(tmp_path / "nope")


def test_pruning_at_initialization_and_hoi_benchmark_are_known(kb, find_paper):
    from kg.linking import link_papers
    from kg.records import Paper

    paper = find_paper("single-shot network pruning (SNIP)")
    (pe,) = link_papers([Paper(id="t", title="", abstract=paper.abstract)], kb=kb)
    got = {m.text: le.entity.id for le in pe.entities for m in le.mentions}
    assert got["SNIP"] == got["single-shot network pruning"] == "snip"
    assert kb.entities["snip"].parent == "network-pruning"
    paper = find_paper("achieves 23.29mAP on HICO-DET")
    (pe,) = link_papers([Paper(id="t", title="", abstract=paper.abstract)], kb=kb)
    assert any(le.entity.id == "hico-det" and le.entity.type == "Dataset" for le in pe.entities)


def test_a_known_baseline_named_with_novel_is_not_introduced(kb, find_paper):
    from kg.linking import link_papers
    from kg.records import Paper

    paper = find_paper("We design a novel gradual magnitude pruning (GMP) method")
    (pe,) = link_papers([Paper(id="t", title="", abstract=paper.abstract)], kb=kb)
    got = {m.text: le for le in pe.entities for m in le.mentions}
    assert got["GMP"].entity.id == "gradual-magnitude-pruning" and not got["GMP"].introduced
