"""Linker fixes of general error causes, each on a real sentence of the sample corpus."""
from kg.linking import link_papers


def _entities(kb, paper):
    (pe,) = link_papers([paper], kb=kb)
    return list(pe.entities)


def _texts(entities):
    return {m.text: le for le in entities for m in le.mentions}


def test_camel_case_kb_name_does_not_match_words_cut_from_a_hyphenated_compound(kb, find_paper):
    # "Efficient Zero-Knowledge Proofs" is not the EfficientZero agent
    ents = _entities(kb, find_paper("zkDL: Efficient Zero-Knowledge Proofs"))
    assert not any(le.entity.id.startswith("efficientzero") for le in ents)


def test_camel_case_kb_name_still_matches_when_written_apart(kb, find_paper):
    ents = _entities(kb, find_paper("Flash Attention"))
    assert any(le.entity.id == "flashattention" for le in ents)


def test_hardware_mention_keeps_its_maker(kb, find_paper):
    ents = _entities(kb, find_paper("on Nvidia DGX-H100 GPUs"))
    hw = _texts(ents)["Nvidia DGX-H100"]
    assert hw.entity.type == "Hardware" and hw.entity.known


def test_model_mention_drops_its_vendor(kb, find_paper):
    ents = _entities(kb, find_paper("OpenAI o1-preview"))
    assert "o1-preview" in _texts(ents) and "OpenAI o1-preview" not in _texts(ents)
