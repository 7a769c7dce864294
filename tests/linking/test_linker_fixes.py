"""Linker fixes of general error causes, each on a real sentence of the sample corpus."""
from kg.linking import link_papers
from kg.linking.doc_view import KB_MATCHES
from kg.linking.pipeline import build_nlp, run_pipeline
from kg.linking.rules import prepare_text


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


def test_named_approach_ending_in_a_task_word_is_kept(kb, find_paper):
    # "a novel approach called Image Prompt Segmentation (IPSeg)": the naming words say it is a method
    ents = _entities(kb, find_paper("a novel approach called Image Prompt Segmentation (IPSeg)"))
    ipseg = _texts(ents)["IPSeg"]
    assert ipseg.introduced and ipseg.entity.type == "Method"
    assert "Image Prompt Segmentation" in {m.text for m in ipseg.mentions}


def test_task_definition_is_still_not_an_entity(kb, find_paper):
    # without naming words, "Long Form (LF)" ending in a task word stays a task
    ents = _entities(kb, find_paper("Training Data Detection (TDD)"))
    assert not any(m.text in ("TDD", "Training Data Detection") for le in ents for m in le.mentions)


def test_latex_tilde_before_a_definition_is_a_space(kb, find_paper):
    ents = _entities(kb, find_paper("Face Adapting Increment Regularization~(FAIR)"))
    fair = _texts(ents)["FAIR"]
    assert "Face Adapting Increment Regularization" in {m.text for m in fair.mentions}


def test_hyphen_used_as_a_dash_ends_an_introduced_name(kb, find_paper):
    ents = _entities(kb, find_paper("we propose ULTRAEDIT-a fundamentally new"))
    texts = _texts(ents)
    assert not any(t.endswith(("-a", "-the")) for t in texts)
    assert texts["ULTRAEDITBENCH"].entity.type == "Dataset"


def test_stylized_discovered_name_does_not_match_the_lowercase_word(kb, find_paper):
    # the title's ESPORT is not every "esports" of the abstract
    ents = _entities(kb, find_paper("ESPORT: Electronic Sports Professionals"))
    assert not any(m.text.lower() == "esports" for le in ents for m in le.mentions)


def test_appositive_after_a_definition_types_it(kb, find_paper):
    ents = _entities(kb, find_paper("Physics Context Builders (PCBs), specialized VLMs"))
    assert _texts(ents)["PCBs"].entity.type == "Model"


def test_gerund_title_prefix_is_not_a_name(kb, find_paper):
    ents = _entities(kb, find_paper("Revisiting ResNets: Improved Training"))
    assert not any(m.text == "Revisiting ResNets" for le in ents for m in le.mentions)


def test_untyped_introduced_name_does_not_outvote_evidence(kb, find_paper):
    # "This paper proposes UniVL: a Unified Video and Language pre-training model": the weak
    # Method default of "proposes UniVL" must not outvote what the subtitle and abstract say
    ents = _entities(kb, find_paper("This paper proposes UniVL: a Unified Video"))
    assert _texts(ents)["UniVL"].entity.type == "Model"


def test_subtitle_that_is_not_a_noun_phrase_does_not_type_the_title_name(kb, find_paper):
    # "LLaVolta: Efficient Multi-modal Models via ...": the abstract says "a lite training scheme"
    ents = _entities(kb, find_paper("we develop LLaVolta as a lite training scheme"))
    assert _texts(ents)["LLaVolta"].entity.type == "Method"


def test_name_set_off_after_a_type_noun_takes_its_type(kb, find_paper):
    ents = _entities(kb, find_paper("Our reward model, R1-Reward, trained"))
    assert _texts(ents)["R1-Reward"].entity.type == "Model"
    ents = _entities(kb, find_paper("we propose a novel optimization method, NoLoCo,"))
    assert _texts(ents)["NoLoCo"].entity.type == "Method"


def test_coined_name_described_by_an_appositive(kb, find_paper):
    ents = _entities(kb, find_paper("TRACLM, a family of LLMs"))
    assert _texts(ents)["TRACLM"].entity.type == "Model"
    ents = _entities(kb, find_paper("ChartSFT, a comprehensive dataset"))
    assert _texts(ents)["ChartSFT"].entity.type == "Dataset"


def test_appositive_at_the_end_of_a_longer_name_is_not_a_name(kb, find_paper):
    ents = _entities(kb, find_paper("REcycling the Web with guIded REwrite, a method"))
    assert "REwrite" not in _texts(ents)


def test_other_version_of_an_introduced_name(kb, find_paper):
    ents = _entities(kb, find_paper("slow convergence of RLIPv1 architecture"))
    texts = _texts(ents)
    assert texts["RLIPv1"].entity.type == texts["RLIPv2"].entity.type == "Model"
    assert texts["RLIPv2"].introduced and not texts["RLIPv1"].introduced


def test_sized_mention_of_an_introduced_name_makes_it_a_model(kb, find_paper):
    ents = _entities(kb, find_paper("the MoMa 1.4B model"))
    texts = _texts(ents)
    assert texts["MoMa 1.4B"].entity.type == "Model" and texts["MoMa"].entity.type == "Model"
    assert texts["MoMa 1.4B"].entity.id != texts["MoMa"].entity.id


def test_list_item_after_a_bare_comma_followed_by_a_verb_is_a_clause_subject(kb, find_paper):
    # "For important Transformer models like T-NLG, T3 speeds up ...": T3 is the paper's method
    ents = _entities(kb, find_paper("models like T-NLG, T3 speeds up"))
    t3 = _texts(ents)["T3"]
    assert t3.introduced and t3.entity.type == "Method"


def test_context_length_unit_stays_with_the_variant(kb, find_paper):
    # "MiniCPM-128K" is tokenized "128" "K"
    ents = _entities(kb, find_paper("MiniCPM-DPO, MiniCPM-MoE and MiniCPM-128K"))
    assert "MiniCPM-128K" in _texts(ents)


def test_modality_to_modality_definition_is_a_task(kb, find_paper):
    ents = _entities(kb, find_paper("neural text-to-speech (TTS) methods"))
    assert not any(m.text in ("TTS", "text-to-speech") for le in ents for m in le.mentions)
    # a longer name ending in such a compound is still a name
    ents = _entities(kb, find_paper("Training-free Triplet Tuning for Sketch-to-Scene (T3-S2S)"))
    assert _texts(ents)["T3-S2S"].introduced


def test_title_name_introducing_a_part_speaks_for_the_paper(kb, find_paper):
    ents = _entities(kb, find_paper("RLIPv2 introduces Asymmetric Language-Image Fusion (ALIF)"))
    assert _texts(ents)["ALIF"].introduced
    ents = _entities(kb, find_paper("CodeACT introduces the Complexity and Diversity Aware Sampling (CDAS)"))
    assert _texts(ents)["CDAS"].introduced


def test_introduced_name_may_start_with_digits(kb, find_paper):
    ents = _entities(kb, find_paper("to propose 4KPro, a new benchmark"))
    kpro = _texts(ents)["4KPro"]
    assert kpro.introduced and kpro.entity.type == "Dataset"


def test_digit_led_name_shape():
    from kg.linking.rules import is_digit_led_name
    assert is_digit_led_name("4KPro") and is_digit_led_name("3DGS")
    assert not any(is_digit_led_name(t) for t in ("7B", "16GB", "3D", "10GHz", "128K", "2nd"))


def test_short_form_defined_in_the_paper_overrides_the_kb_sense(kb, find_paper):
    # "Sharpness-Aware Minimization (SAM)": not the Segment Anything Model
    ents = _entities(kb, find_paper("Sharpness-Aware Minimization (SAM), shows"))
    sam = _texts(ents)["SAM"]
    assert sam.entity.id == "sharpness-aware-minimization"
    assert not any(le.entity.id == "segment-anything-model" for le in ents)


def test_title_case_word_is_not_a_kb_name_the_abstract_writes_in_lowercase(kb, find_paper):
    # "Coconut Palm Tree Counting on Drone Images ..." is not the Coconut reasoning method
    ents = _entities(kb, find_paper("count coconut palm trees"))
    assert not any(m.text == "Coconut" for le in ents for m in le.mentions)
    # a title word the abstract also links keeps its title mention
    ents = _entities(kb, find_paper("This paper provides the first mechanistic explanation for a long-standing"))
    assert any(m.field == "title" for le in ents if le.entity.id == "transformer" for m in le.mentions)


def test_known_name_modifying_the_object_is_not_introduced(kb, find_paper):
    # "We build a general GNN training system": the paper does not introduce GNNs
    ents = _entities(kb, find_paper("We build a general GNN training system"))
    texts = _texts(ents)
    assert not texts["GNN"].introduced and texts["GNNPipe"].introduced
    # "we introduce a compact VAE": a new instance of a known kind
    ents = _entities(kb, find_paper("we introduce a compact VAE"))
    assert not _texts(ents)["VAE"].introduced


def test_known_method_called_new_right_after_the_verb_is_introduced(kb, find_paper):
    # "we propose CISPO, a novel RL algorithm": the KB lists CISPO, the paper still introduces it;
    # a known method merely used ("PPO") is not introduced
    ents = _entities(kb, find_paper("we propose CISPO, a novel RL algorithm"))
    cispo = _texts(ents)["CISPO"]
    assert cispo.entity.known and cispo.introduced
    assert not any(le.introduced for le in ents if le.entity.id == "reinforcement-learning")


def test_slash_inside_a_name_joins_it(kb, find_paper):
    # "ViT-B/16" is one model, not "ViT-B" cut at the slash
    ents = _entities(kb, find_paper("ViT-B/16"))
    assert _texts(ents)["ViT-B/16"].entity.id == "vit-b-16" and "ViT-B" not in _texts(ents)


def test_model_id_written_in_lowercase_links(kb, find_paper):
    ents = _entities(kb, find_paper("gpt-4o-mini"))
    assert _texts(ents)["gpt-4o-mini"].entity.id == "gpt-4o-mini"


def test_camel_case_name_written_apart_keeps_its_case(kb, find_paper):
    # "the open LLaMA-2 70B model" is LLaMA-2 70B, not OpenLLaMA; "Flash Attention" stays FlashAttention
    paper = find_paper("the open LLaMA-2 70B model")
    nlp = build_nlp(kb, spans_key="")
    text, start, _segments = prepare_text(paper.title, paper.abstract)
    matched = {eid for _s, _e, ids, _c in run_pipeline(nlp, text, start).user_data[KB_MATCHES] for eid in ids}
    assert "openllama" not in matched and "llama-2-70b" in matched
    ents = _entities(kb, paper)
    assert any(le.entity.id == "llama-2-70b" for le in ents)
    ents = _entities(kb, find_paper("Flash Attention"))
    assert any(le.entity.id == "flashattention" for le in ents)


def test_possessive_inside_a_kb_name_matches_and_one_after_a_name_ends_it(kb, find_paper):
    # a sentence of the Humanity's Last Exam abstract (arXiv 2501.14249), not in the sample corpus
    nlp = build_nlp(kb, spans_key="")
    text = "To address this, we introduce Humanity's Last Exam (HLE), a multi-modal benchmark at the frontier of human knowledge."
    doc = run_pipeline(nlp, text, 0)
    spans = {text[doc[s].idx : doc[e - 1].idx + len(doc[e - 1])]: ids for s, e, ids, _c in doc.user_data[KB_MATCHES]}
    assert spans.get("Humanity's Last Exam") == ("humanitys-last-exam",)
    # "YOLO's mean average precision": the name ends before its possessive
    ents = _entities(kb, find_paper("YOLO's mean"))
    assert any(m.text == "YOLO" for le in ents for m in le.mentions)
