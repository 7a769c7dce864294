"""Method entries of the knowledge base on real sample-corpus sentences: lowercase techniques are
found and linked, and word-like or ambiguous forms left out of the KB stay unlinked."""
import pytest

from kg.linking import link_papers
from kg.records import Paper


def _links(kb, paper, spans=False):
    (pe,) = link_papers([Paper(id="t", title=paper.title, abstract=paper.abstract)], kb=kb)
    return [(m.text, le.entity.id, le.entity.type) + ((m.field, m.start, m.end) if spans else ())
            for le in pe.entities for m in le.mentions]


@pytest.mark.parametrize(
    "phrase, text, entity_id",
    [
        ("rehearsal, generative replay, and distillation", "generative replay", "generative-replay"),
        ("success of scaling consistency training", "consistency training", "consistency-training"),
        ("based on distant supervision through literal matching", "distant supervision", "distant-supervision"),
        ("a stable and scalable online RL algorithm", "online RL", "online-reinforcement-learning"),
        ("employs a projected gradient descent algorithm", "projected gradient descent", "projected-gradient-descent"),
        ("optimizer state based on pure random projection", "random projection", "random-projection"),
    ],
)
def test_lowercase_method_links_in_real_abstract(kb, find_paper, phrase, text, entity_id):
    links = _links(kb, find_paper(phrase), spans=True)
    found = [(f, s, e) for t, eid, etype, f, s, e in links if (t, eid, etype) == (text, entity_id, "Method")]
    assert found
    # the whole term wins over a shorter KB term inside it ("gradient descent" in "projected gradient descent")
    for f, s, e in found:
        assert not any(lf == f and s <= ls and le <= e and (ls, le) != (s, e) for _, _, _, lf, ls, le in links)


def test_fid_metric_is_not_the_fusion_in_decoder_method(kb, find_paper):
    # FiD (Fusion-in-Decoder) is left out of the KB: the all-capitals spelling rule would match the FID metric
    links = _links(kb, find_paper("achieves 2.30 FID on ImageNet"))
    assert not any(t == "FID" and etype == "Method" for t, _, etype in links)


def test_bare_pruning_of_data_is_not_network_pruning(kb, find_paper):
    # "pruning" alone names data, token and sample pruning as often as weight pruning: not an alias
    links = _links(kb, find_paper("a dynamic sample pruning approach"))
    assert not any(eid == "network-pruning" for _, eid, _ in links)


def test_new_method_entries_are_methods_with_descriptions(kb):
    for eid in ("self-play-preference-optimization", "duoattention", "cispo", "mixture-of-block-attention",
                "dataset-distillation", "maximum-entropy-reinforcement-learning"):
        ent = kb.entities[eid]
        assert ent.type == "Method" and ent.description
    assert kb.entities["flow-grpo"].parent == "group-relative-policy-optimization"
    assert kb.entities["iterative-reasoning-preference-optimization"].parent == "iterative-dpo"
