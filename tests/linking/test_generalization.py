"""General rules of how ML abstracts name things, each on real sentences of the sample corpus.

Architecture classes are models; broad classes are not reported; lowercase technique names are
found; a longer real name around a known one is a different entity; datasets named by context.
"""
import pytest

from kg.linking import link_papers
from kg.records import Paper


def _link(kb, title, abstract):
    (pe,) = link_papers([Paper(id="t", title=title, abstract=abstract)], kb=kb)
    return pe.entities


def _texts(entities):
    return {m.text: le for le in entities for m in le.mentions}


def _sentence(find_paper, phrase):
    """The sentence of the sample corpus that contains phrase."""
    paper = find_paper(phrase)
    text = paper.abstract if phrase in paper.abstract else paper.title
    i = text.index(phrase)
    start = max(text.rfind(". ", 0, i) + 2, 0) if text.rfind(". ", 0, i) >= 0 else 0
    end = text.find(". ", i)
    return text[start : end + 1 if end >= 0 else len(text)]


def test_architecture_classes_are_models(kb, find_paper):
    s = _sentence(find_paper, "across various backbones (CNNs, Transformers, and Mambas)")
    got = _texts(_link(kb, "", s))
    assert got["CNNs"].entity.id == "convolutional-neural-network"
    assert got["CNNs"].entity.type == "Model"
    for eid in ("long-short-term-memory", "graph-neural-network", "variational-autoencoder", "generative-adversarial-network"):
        assert kb.entities[eid].type == "Model"
    # components stay methods
    for eid in ("self-attention", "feed-forward-network", "mixture-of-experts"):
        assert kb.entities[eid].type == "Method"


def test_kb_parents_keep_the_type(kb):
    for eid, ent in kb.entities.items():
        if ent.parent is not None:
            assert kb.entities[ent.parent].type == ent.type, eid


def test_generic_classes_cover_their_words_but_are_not_reported(kb, find_paper):
    s = _sentence(find_paper, "Masked diffusion models (MDMs) have shown promise")
    got = _texts(_link(kb, "", s))
    assert "diffusion models" not in got
    s = _sentence(find_paper, "training process reward models (PRMs) online")
    got = _texts(_link(kb, "", s))
    assert not {"process reward models", "PRMs"} & set(got)
    assert {"diffusion-model", "process-reward-model", "convolution"} <= kb.generic
    # a specific child of a generic class is still an entity
    assert "ddpm" not in kb.generic and kb.entities["ddpm"].parent == "diffusion-model"


@pytest.mark.parametrize(
    "phrase, surface, eid",
    [
        ("RL training with an outcome veri", "RL", "reinforcement-learning"),
        ("data curation strategies such as deduplication", "deduplication", "data-deduplication"),
        ("reducing quantization error", "quantization", "model-quantization"),
        ("continual pre-training and fine-tuning regimes", "continual pre-training", "continual-pre-training"),
    ],
)
def test_lowercase_technique_names_are_found(kb, find_paper, phrase, surface, eid):
    got = _texts(_link(kb, "", _sentence(find_paper, phrase)))
    assert got[surface].entity.id == eid and got[surface].entity.type == "Method"


def test_formulas_units_and_modifiers_are_not_mentions(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "choose T=5, since as per literature")))
    assert "T=5" not in got
    got = _texts(_link(kb, "", _sentence(find_paper, "our finetuned 770M T5 model outperforms")))
    assert "M T5" not in got and got["T5"].entity.id == "t5"
    got = _texts(_link(kb, "", _sentence(find_paper, '"Chinchilla optimal" regime')))
    assert "Chinchilla" not in got


def test_a_papers_own_definition_beats_a_kb_acronym(kb, find_paper):
    # STAR here is not STaR (Self-Taught Reasoner): the long form shares none of its words
    s = _sentence(find_paper, "Stable Training Algorithm for dense Retrieval (STAR)")
    got = _texts(_link(kb, "", s))
    assert "STAR" not in got or got["STAR"].entity.id != "self-taught-reasoner"
    # a matching long form keeps the KB sense
    got = _texts(_link(kb, "", _sentence(find_paper, "Direct Preference Optimization (DPO)")))
    assert got["DPO"].entity.id == "direct-preference-optimization"


@pytest.mark.parametrize(
    "phrase, longer, shorter",
    [
        ("Our first approach is Batch-Scheduled Sampling", "Batch-Scheduled Sampling", "Scheduled Sampling"),
        ("regression techniques (XGBoost, FC-MLP, Transformer, and LSTM)", "FC-MLP", "MLP"),
        ("Motivated by these findings, we introduce B-STaR", "B-STaR", "STaR"),
    ],
)
def test_a_word_glued_to_a_known_name_makes_another_name(kb, find_paper, phrase, longer, shorter):
    got = _texts(_link(kb, "", _sentence(find_paper, phrase)))
    assert longer in got and shorter not in got
    assert not got[longer].entity.known


def test_variant_words_and_modifiers_after_a_model(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "adapting the DebertaV3 XSmall model")))
    assert got["DebertaV3 XSmall"].entity.type == "Model" and "XSmall" not in got
    paper = find_paper("Autoencoder-Based Codes")
    got = _texts(_link(kb, paper.title, ""))
    assert got["Autoencoder"].entity.id == "autoencoder"


def test_names_listed_as_examples_of_a_typed_noun(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "synthetic datasets, including ToCa, SS1M, and ST+MJ")))
    assert {got[t].entity.type for t in ("ToCa", "SS1M", "ST+MJ")} == {"Dataset"}
    got = _texts(_link(kb, "", _sentence(find_paper, "Initial datasets from Carolina and BrWac")))
    assert got["Carolina"].entity.type == got["BrWac"].entity.type == "Dataset"
    # a name that only modifies a noun phrase is not an example
    got = _texts(_link(kb, "", _sentence(find_paper, "techniques such as P2P conversion")))
    assert "P2P" not in got


def test_suffixed_variants_of_a_papers_own_name(kb, find_paper):
    paper = find_paper("In STAT-Sel, the teacher uses")
    got = _texts(_link(kb, paper.title, paper.abstract))
    for name in ("STAT-Sel", "STAT-Syn"):
        assert got[name].entity.type == "Method" and got[name].introduced
        assert got[name].entity.id != got["STAT"].entity.id
    paper = find_paper("both deeply (FST-D) and widely (FST-W)")
    got = _texts(_link(kb, paper.title, paper.abstract))
    assert {"FST-D", "FST-W"} <= set(got)


def test_introduced_title_case_name_goes_on_after_a_hyphenated_modifier(kb, find_paper):
    s = _sentence(find_paper, "we propose Token-level Correlation-guided Compression")
    got = _texts(_link(kb, "", s))
    assert got["Token-level Correlation-guided Compression"].introduced
    # in running text the modifier still ends the name
    got = _texts(_link(kb, "", "We propose an LLM-based framework for retrieval."))
    assert not any(t.startswith("LLM-based") for t in got)


def test_our_approach_is_x_and_technique_in_parentheses(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "Our second approach is Reference-Answer-based Correction")))
    assert got["Reference-Answer-based Correction"].introduced
    s = _sentence(find_paper, "a novel auto-adaptive data reduction technique (Variance Horizon)")
    got = _texts(_link(kb, "", s))
    assert got["Variance Horizon"].entity.type == "Method" and got["Variance Horizon"].introduced


def test_abbreviation_defined_with_comma_or(kb, find_paper):
    s = _sentence(find_paper, "we develop Meta Reinforcement Fine-Tuning, or MRT, a new class")
    got = _texts(_link(kb, "", s))
    assert got["MRT"].entity.id == got["Meta Reinforcement Fine-Tuning"].entity.id


def test_title_case_words_are_not_names(kb, find_paper):
    for phrase in ("Sleeper Agents: Training Deceptive LLMs", "Scaling Test-Time Compute Without Verification or RL"):
        paper = find_paper(phrase)
        got = _texts(_link(kb, paper.title, paper.abstract))
        assert "Sleeper Agents" not in got and "Verification" not in got
    paper = find_paper("GemNet-OC: Developing Graph Neural Networks")
    got = _texts(_link(kb, paper.title, paper.abstract))
    assert got["GemNet-OC"].introduced and got["GemNet-OC"].entity.type == "Model"
    # a size before a dataset noun counts samples: "the OC-2M subset"
    assert got["OC-2M"].entity.type == "Dataset"


def test_named_kind_of_known_architecture_and_modifier_long_forms(kb, find_paper):
    paper = find_paper("Neural Memory Networks (NMNs) have received")
    got = _texts(_link(kb, paper.title, paper.abstract))
    nmn = got["Neural Memory Networks"]
    assert nmn.entity.type == "Model" and got["NMNs"] is nmn and got["NMN"] is nmn
    assert "Memory Networks" not in got
    got = _texts(_link(kb, "", _sentence(find_paper, "finetuning LLMs with verifier-based (VB) methods")))
    assert "verifier-based" not in got and "VB" not in got


def test_generic_head_word_is_not_part_of_a_method_name(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "augmenting queries with Chain-of-Thought reasoning")))
    assert got["Chain-of-Thought"].entity.id == "chain-of-thought-prompting"


def test_modality_or_acronym_before_a_known_benchmark_names_another(kb, find_paper):
    paper = find_paper("VL Reward-Bench")
    got = _texts(_link(kb, paper.title, paper.abstract))
    assert got["VL Reward-Bench"].entity.type == "Dataset" and not got["VL Reward-Bench"].entity.known
    assert "Reward-Bench" not in got


def test_coined_name_with_a_variant_suffix_is_a_model(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "outperforming BERTimbau-Large in two tasks")))
    assert got["BERTimbau-Large"].entity.type == "Model"
    paper = find_paper("APOLLO-Mini")
    got = _texts(_link(kb, paper.title, paper.abstract))
    assert got["APOLLO-Mini"].entity.type == got["APOLLO"].entity.type == "Method"


def test_proposed_things_that_are_not_entities_and_appositive_types(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "we propose the Babel Tower Hypothesis")))
    assert "Babel Tower Hypothesis" not in got
    s = _sentence(find_paper, "we develop Mindspeed-MLLM, a distributed multimodal training framework")
    assert _texts(_link(kb, "", s))["Mindspeed-MLLM"].entity.type == "Method"
    # a known method named while describing a new dataset is not introduced by the paper
    s = _sentence(find_paper, "we develop a high-quality Direct Preference Optimization (DPO) dataset")
    assert not _texts(_link(kb, "", s))["DPO"].introduced


def test_title_catch_phrases_and_direct_objects_of_propose(kb, find_paper):
    paper = find_paper("Treasure Hunt: Real-time Targeting")
    assert "Treasure Hunt" not in _texts(_link(kb, paper.title, paper.abstract))
    paper = find_paper("We propose Aquila-Med, a bilingual medical LLM")
    got = _texts(_link(kb, paper.title, paper.abstract))
    assert got["Aquila-Med"].introduced and got["Aquila-Med"].entity.type == "Model"


def test_abbreviation_long_form_keeps_its_hyphenated_first_word(kb, find_paper):
    s = _sentence(find_paper, "state-of-the-art self-supervised learning (SSL) algorithms")
    got = _texts(_link(kb, "", s))
    assert got["SSL"].entity.id == "self-supervised-learning"


def test_rule_found_name_in_another_case_is_the_kb_entity(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "such as Bert, GPT and ViT")))
    assert got["Bert"].entity.id == "bert"
    s = _sentence(find_paper, "unlike Convolutional Neural Networks (CNN), ViTs simple architecture")
    got = _texts(_link(kb, "", s))
    assert "ViTs" not in got or got["ViTs"].entity.id == "vision-transformer"


def test_introduced_title_case_name_keeps_its_head_noun(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "we propose Style-Extracting Diffusion Models")))
    assert got["Style-Extracting Diffusion Models"].introduced


def test_cited_author_is_not_a_list_member(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "(IMP, Han et al., 2015)")))
    assert "Han" not in got and got["IMP"].entity.id == "iterative-magnitude-pruning"


def test_list_goes_on_after_slash_versions(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "(ImageNet, Kinetics-400/600/700, Moments-in-Time)")))
    assert got["Moments-in-Time"].entity.type == "Dataset"


def test_defined_prompt_technique_is_a_method(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "In-Context Light-instruction Prompt (ICLiP)")))
    assert got["ICLiP"].entity.type == "Method"


def test_datasets_listed_in_a_bare_parenthesis_after_a_dataset_noun(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "two public CT datasets (VerSe, TotalSegmentator)")))
    assert got["VerSe"].entity.type == "Dataset"
    # a parenthesis after a model noun is a short form, not a list of examples
    got = _texts(_link(kb, "", "Large language models (LLMs) have recently demonstrated excellent performance."))
    assert "LLMs" not in got or got["LLMs"].entity.type != "Dataset"


def test_long_form_ending_in_a_technique_head_is_a_method(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "introduces Asymmetric Language-Image Fusion (ALIF)")))
    assert got["ALIF"].entity.type == "Method"
    assert got["ALIF"].entity.id == got["Asymmetric Language-Image Fusion"].entity.id


def test_name_set_off_by_a_comma_after_the_type_noun_is_introduced(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "we introduce an online data sampling algorithm, Skill-It,")))
    assert got["Skill-It"].introduced and got["Skill-It"].entity.type == "Method"
    got = _texts(_link(kb, "", _sentence(find_paper, "We present a simple model, Me-Retriever,")))
    assert got["Me-Retriever"].introduced and got["Me-Retriever"].entity.type == "Model"


def test_our_appositive_introduces_the_name_before_it(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "FAC4DNN, our specialized arithmetic circuit design")))
    assert got["FAC4DNN"].introduced
    # a compared name before "our model achieves" is not introduced
    got = _texts(_link(kb, "", "Compared with Whisperer-X, our model achieves better accuracy."))
    assert "Whisperer-X" not in got or not got["Whisperer-X"].introduced


def test_the_resulting_model_or_dataset_is_introduced(kb, find_paper):
    got = _texts(_link(kb, "", _sentence(find_paper, "The resulting dataset, DCLM-Baseline enables")))
    assert got["DCLM-Baseline"].introduced and got["DCLM-Baseline"].entity.type == "Dataset"
    got = _texts(_link(kb, "", _sentence(find_paper, "comparing the resulting model Orca-3 to Mistral-7b-Instruct")))
    assert got["Orca-3"].introduced and not got["Mistral-7b-Instruct"].introduced


def test_lowercase_long_form_after_a_naming_word_is_introduced(kb, find_paper):
    s = _sentence(find_paper, "dubbed contribution-based low-rank adaptation (CoLoRA)")
    got = _texts(_link(kb, "", s))
    assert got["CoLoRA"].introduced and got["CoLoRA"].entity.type == "Method"
