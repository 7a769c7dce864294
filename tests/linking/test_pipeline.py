"""The spaCy components and link_papers on real sentences of the sample corpus, hard cases included."""
import pytest

from kg.linking import link_papers
from kg.linking.kb import compile_kb
from kg.linking.doc_view import JOINERS, LINKED, token_view
from kg.linking.kb_matcher import scan_keys
from kg.linking.pipeline import build_nlp, run_pipeline
from kg.linking.rules import prepare_text
from kg.records import Paper

GENERIC = {"training", "model", "models", "framework", "large language models", "llms", "llm", "method", "approach"}


@pytest.fixture(scope="session")
def linked_corpus(sample_papers, kb):
    return list(link_papers(sample_papers, kb=kb))


def _entities(kb, paper):
    (pe,) = link_papers([paper], kb=kb)
    return {le.entity.id: le for le in pe.entities}


def _by_text(entities, text):
    hits = [le for le in entities.values() if any(m.text == text for m in le.mentions)]
    assert len(hits) == 1, f"{text!r} -> {[le.entity.id for le in hits]}"
    return hits[0]


def test_pipeline_has_our_registered_components(nlp):
    assert nlp.pipe_names == ["sentences", "abbreviations", "kb_matcher", "name_rules", "resolver"]
    assert nlp.tokenizer.max_cache_size >= 1_000_000


def test_pipeline_writes_typed_spans(nlp, find_paper):
    paper = find_paper("This paper introduces COAT")
    text, abstract_start, _ = prepare_text(paper.title, paper.abstract)
    doc = run_pipeline(nlp, text, abstract_start)
    spans = doc.spans["kg.entities"]
    assert any(s.text == "COAT" and s.label_ == "Method" for s in spans)
    assert doc.user_data[LINKED][0]


def test_introduced_name_from_title_and_we_propose(kb, find_paper):
    ents = _entities(kb, find_paper("This paper introduces COAT"))
    coat = _by_text(ents, "COAT")
    assert coat.introduced and coat.entity.type == "Method" and not coat.entity.known


def test_number_formats_are_not_hardware_but_fp8_training_is_a_method(kb, find_paper):
    ents = _entities(kb, find_paper("This paper introduces COAT"))
    assert _by_text(ents, "FP8 training").entity.type == "Method"
    for le in ents.values():
        assert not (le.entity.type == "Hardware" and any(m.text in ("FP8", "BF16") for m in le.mentions))


def test_abbreviation_links_short_form_to_long_form(kb, find_paper):
    ents = _entities(kb, find_paper("Direct Preference Optimization (DPO)"))
    dpo = _by_text(ents, "DPO")
    assert any(m.text == "Direct Preference Optimization" for m in dpo.mentions)


def test_abbreviation_of_unknown_term_makes_one_entity(kb, find_paper):
    ents = _entities(kb, find_paper("Tensor Parallelism (TP)"))
    tp = _by_text(ents, "TP")
    assert {m.text for m in tp.mentions} >= {"Tensor Parallelism", "TP"} and tp.entity.type == "Method"
    assert _by_text(ents, "T3").introduced


def test_stylized_alias_does_not_match_common_word(kb, find_paper):
    ents = _entities(kb, find_paper("multiple-choice"))
    assert not any(m.text.lower() == "multiple" for le in ents.values() for m in le.mentions)


@pytest.mark.parametrize("phrase", ["supervised fine-tuning", "knowledge distillation"])
def test_lowercase_method_names_are_found(kb, find_paper, phrase):
    ents = _entities(kb, find_paper(phrase))
    assert _by_text(ents, phrase).entity.type == "Method"


@pytest.mark.parametrize(
    "surface, family",
    [("Qwen3-1.7B-Base", "qwen3"), ("Canary-1B", "canary"), ("Llama-3.1-8B-Instruct", "llama-3.1")],
)
def test_model_sizes_and_variants_link_to_their_family(kb, find_paper, surface, family):
    ents = _entities(kb, find_paper(surface))
    le = _by_text(ents, surface)
    assert le.entity.type == "Model"
    chain, parent = [], le.entity.parent
    while parent:
        chain.append(parent)
        parent = kb.entities[parent].parent if parent in kb.entities else parent.rsplit("-", 1)[0] if "-" in parent else None
    assert family in chain or le.entity.id.startswith(family)


@pytest.mark.parametrize("phrase", ["H100", "A100", "RTX 4090"])
def test_hardware_names(kb, find_paper, phrase):
    ents = _entities(kb, find_paper(phrase + " GPU"))
    assert _by_text(ents, phrase).entity.type == "Hardware"


def test_generic_words_are_never_entities(linked_corpus):
    for pe in linked_corpus:
        for le in pe.entities:
            assert not any(m.text.lower() in GENERIC for m in le.mentions), (pe.paper.id, le.entity.id)


def test_mention_offsets_point_into_the_original_field(linked_corpus):
    n = 0
    for pe in linked_corpus:
        for le in pe.entities:
            for m in le.mentions:
                field = pe.paper.title if m.field == "title" else pe.paper.abstract
                assert field[m.start : m.end] == m.text
                assert m.text[:1] not in "([,;: " and m.text[-1:] not in ")],;: ", m.text
                assert " ".join(m.text.split()) in m.sentence
                assert 0 < m.confidence <= 1
                n += 1
    assert n > 1000


def test_link_papers_is_deterministic_and_in_input_order(sample_papers, linked_corpus, kb):
    again = list(link_papers(sample_papers, kb=kb))
    assert [pe.paper.id for pe in again] == [p.id for p in sample_papers]
    assert again == linked_corpus


def test_adding_papers_keeps_entity_ids(sample_papers, linked_corpus, kb):
    half = list(link_papers(sample_papers[:150], kb=kb))
    for small, full in zip(half, linked_corpus):
        assert {le.entity.id for le in small.entities} <= {le.entity.id for le in full.entities}


def test_discovered_names_are_one_node_across_papers(linked_corpus):
    by_id = {}
    for pe in linked_corpus:
        for le in pe.entities:
            by_id.setdefault(le.entity.id, set()).add((le.entity.type, le.entity.label))
    assert all(len(v) == 1 for v in by_id.values())


def test_ambiguous_short_form_is_resolved_by_context_or_dropped(tmp_path):
    (tmp_path / "methods.yaml").write_text(
        "- {id: sharpness-aware-minimization, label: Sharpness-Aware Minimization, aliases: [SAM]}\n", encoding="utf-8"
    )
    (tmp_path / "models.yaml").write_text(
        "- {id: segment-anything-model, label: Segment Anything Model, aliases: [SAM]}\n", encoding="utf-8"
    )
    kb = compile_kb(tmp_path)
    papers = [
        Paper(id="a", title="On flat minima", abstract="We train with SAM and report accuracy."),
        Paper(id="b", title="Flat minima", abstract="We use Sharpness-Aware Minimization (SAM). SAM helps."),
        Paper(id="c", title="Masks", abstract="We prompt the Segment Anything Model with boxes. SAM is fast."),
    ]
    got = {pe.paper.id: {le.entity.id for le in pe.entities} for pe in link_papers(papers, kb=kb)}
    assert got["a"] == set()  # the corpus uses both senses: never guessed
    assert got["b"] == {"sharpness-aware-minimization"}
    assert got["c"] == {"segment-anything-model"}
    # with one sense defined in the corpus, a bare use elsewhere takes it
    got = {pe.paper.id: {le.entity.id for le in pe.entities} for pe in link_papers(papers[:2], kb=kb)}
    assert got["a"] == {"sharpness-aware-minimization"}


def test_build_nlp_on_custom_kb(tmp_path):
    (tmp_path / "hardware.yaml").write_text("- {id: h100, label: NVIDIA H100, aliases: [H100]}\n", encoding="utf-8")
    nlp = build_nlp(compile_kb(tmp_path))
    text, a, _ = prepare_text("Fast kernels", "We train on 8 H100 GPUs.")
    doc = run_pipeline(nlp, text, a)
    assert [(s.text, s.label_) for s in doc.spans["kg.entities"]] == [("H100", "Hardware")]


def test_names_listed_with_known_models_are_models(kb, find_paper):
    ents = _entities(kb, find_paper("foundation speech models: Whisper, Seamless, OWSM, and Canary-1B"))
    for name in ("Whisper", "Seamless", "OWSM", "Canary-1B"):
        assert _by_text(ents, name).entity.type == "Model"


@pytest.mark.parametrize(
    "title_phrase, name, etype",
    [("TDDBench: A Benchmark", "TDDBench", "Dataset"), ("PUMGPT: A Large Vision-Language Model", "PUMGPT", "Model"),
     ("RLP: Reinforcement as a Pretraining Objective", "RLP", "Method")],
)
def test_title_prefix_is_introduced_and_typed_from_context(kb, find_paper, title_phrase, name, etype):
    le = _by_text(_entities(kb, find_paper(title_phrase)), name)
    assert le.introduced and le.entity.type == etype


def test_task_abbreviation_is_not_an_entity(kb, find_paper):
    ents = _entities(kb, find_paper("open-vocabulary semantic segmentation (OVS)"))
    assert not any(m.text == "OVS" for le in ents.values() for m in le.mentions)


def test_term_defined_in_one_paper_is_found_in_another(kb):
    papers = [
        Paper(id="a", title="Ranking", abstract="We propose the Coupled Estimation Technique (CET) for ranking."),
        Paper(id="b", title="Follow-up", abstract="Our reranker improves on the coupled estimation technique in recall."),
    ]
    a, b = link_papers(papers, kb=kb)
    (cet,) = [le for le in a.entities if le.entity.label == "Coupled Estimation Technique"]
    assert cet.introduced and {m.text for m in cet.mentions} == {"Coupled Estimation Technique", "CET"}
    (again,) = [le for le in b.entities if le.entity.id == cet.entity.id]
    assert not again.introduced and again.mentions[0].text == "coupled estimation technique"


def test_kb_matcher_round_trips_through_disk(nlp, tmp_path, find_paper):
    matcher = nlp.get_pipe("kb_matcher")
    matcher.to_disk(tmp_path / "m")
    fresh = build_nlp(matcher.kb)
    fresh.get_pipe("kb_matcher").from_disk(tmp_path / "m")
    assert fresh.get_pipe("kb_matcher").index == matcher.index
    paper = find_paper("Direct Preference Optimization (DPO)")
    text, a, _ = prepare_text(paper.title, paper.abstract)
    doc_fresh, doc_orig = run_pipeline(fresh, text, a), run_pipeline(nlp, text, a)
    assert [s.text for s in doc_fresh.spans["kg.entities"]] == [s.text for s in doc_orig.spans["kg.entities"]]


def test_link_papers_with_processes_gives_the_same_result(sample_papers, linked_corpus, kb):
    assert list(link_papers(sample_papers, kb=kb, processes=2)) == linked_corpus


def test_novel_appositive_introduces_the_name(kb):
    paper = Paper(id="x", title="Faster decoding",
                  abstract="We study decoding. FlashSpec, a novel speculative decoding framework, halves latency.")
    (pe,) = link_papers([paper], kb=kb)
    (le,) = [le for le in pe.entities if le.entity.label == "FlashSpec"]
    assert le.introduced and le.entity.type == "Method"


def test_title_prefix_defined_in_the_abstract_is_one_entity(kb, find_paper):
    ents = _entities(kb, find_paper("Reflection-Reinforced Self-Training"))
    le = _by_text(ents, "Re-ReST")
    assert le.introduced and "Reflection-Reinforced Self-Training" in {m.text for m in le.mentions}


def test_short_form_then_long_form_in_parentheses(kb, find_paper):
    ents = _entities(kb, find_paper("PRIME (Process Reinforcement through IMplicit rEwards)"))
    prime = _by_text(ents, "PRIME")
    assert prime.introduced and "Process Reinforcement through IMplicit rEwards" in {m.text for m in prime.mentions}


def test_device_counts_and_spaced_model_variants(kb):
    paper = Paper(id="x", title="Serving", abstract="We train on 8xA100 GPUs and compare Claude 3.5 Sonnet with GPT-4 Turbo.")
    (pe,) = link_papers([paper], kb=kb)
    got = {m.text: le.entity.type for le in pe.entities for m in le.mentions}
    assert got["A100"] == "Hardware" and got["Claude 3.5 Sonnet"] == "Model" and got["GPT-4 Turbo"] == "Model"


def test_scores_reported_on_a_name_make_it_a_dataset(kb):
    paper = Paper(id="x", title="Medical QA", abstract="Our model reaches 71.2% on ZetaMedEval-X and beats GPT-4.")
    (pe,) = link_papers([paper], kb=kb)
    got = {m.text: le.entity.type for le in pe.entities for m in le.mentions}
    assert got.get("ZetaMedEval-X") == "Dataset"


def _longest_matches_unpruned(texts, keys, spaced, index, max_tokens=12):
    """scan_keys without its prefix pruning: every start, every length up to max_tokens."""
    out = []
    for i, key in enumerate(keys):
        if not key:
            continue
        best = (index[key], i + 1) if key in index else None
        for j in range(i + 1, min(i + max_tokens, len(keys))):
            if not keys[j]:
                slash = texts[j] == "/" and spaced is not None and not spaced[j - 1] and not spaced[j]
                if texts[j] in JOINERS or slash:
                    continue
                if texts[j] in ("'s", "’s", "'S"):
                    key += "s"
                    continue
                break
            key += keys[j]
            if key in index:
                best = (index[key], j + 1)
        if best is not None:
            out.append((i, best[1], *best[0]))
    return out


def test_scan_keys_finds_the_longest_match_at_every_start(nlp, sample_papers):
    # the candidate pruning (prefix set, next-token check) must not lose or change a match
    matcher = nlp.get_pipe("kb_matcher")
    total = 0
    for paper in sample_papers[:150]:
        text, _a, _words = prepare_text(paper.title, paper.abstract)
        texts, keys, _starts, _ends, spaced = token_view(nlp.make_doc(text))
        for sp in (spaced, None):
            got = scan_keys(texts, keys, sp, matcher.lookup, matcher.prefixes)
            assert got == _longest_matches_unpruned(texts, keys, sp, matcher.lookup)
            total += len(got)
    assert total > 1000


def test_the_map_step_makes_no_reference_cycles(kb, sample_papers):
    # link_papers turns the cyclic garbage collector off for the map step (gc_paused): safe only
    # while linking leaves nothing for it to collect
    import gc

    from kg.linking.link import _nlp_for, gc_paused, link_one

    nlp = _nlp_for(kb)
    gc.collect()
    with gc_paused():
        assert not gc.isenabled()
        results = [link_one(nlp, p.title, p.abstract) for p in sample_papers[:150]]
        assert gc.collect() == 0
    assert gc.isenabled() and len(results) == 150


def test_token_offsets_follow_from_the_text_as_spacy_counts_them(kb, sample_papers):
    # the tokenizer's token view and the reduce step (which keeps token texts, not offsets) use these
    from kg.linking.link import _nlp_for
    from kg.linking.tokenizer import token_offsets

    nlp = _nlp_for(kb)
    for p in sample_papers[:200]:
        text, _abstract_start, _words = prepare_text(p.title, p.abstract)
        doc = nlp.make_doc(text)
        assert token_offsets(text, [t.text for t in doc]) == ([t.idx for t in doc], [t.idx + len(t) for t in doc])
