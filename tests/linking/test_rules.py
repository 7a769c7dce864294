"""Pure rule functions: text preparation, abbreviations, name shapes, typing."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.corpus import read_papers
from kg.linking import rules
from kg.linking.rules import find_abbreviation, map_offsets, prepare_text


def test_prepare_text_normalizes_whitespace_and_maps_offsets_back():
    title, abstract = "COAT:  Compressing\nOptimizer states", "FP8 training has\n\nemerged as  a method."
    text, abstract_start, segments = prepare_text(title, abstract)
    assert text == "COAT: Compressing Optimizer states. FP8 training has emerged as a method."
    starts = [s[0] for s in segments]
    for field_index, original in enumerate((title, abstract)):
        for word in original.split():
            pos = text.index(word, abstract_start if field_index else 0)
            got_field, start, end = map_offsets(segments, starts, pos, pos + len(word))
            assert got_field == field_index and original[start:end] == word


@given(st.text(alphabet=" ab.\n\t\xa0\u2003\u2028\x85", max_size=12), st.text(alphabet=" ab.\n\t\xa0", max_size=12))
def test_prepare_text_joins_words_with_single_spaces_whatever_the_whitespace(title, abstract):
    text, abstract_start, segments = prepare_text(title, abstract)
    assert text.startswith(" ".join(title.split())) and text[abstract_start:] == " ".join(abstract.split())
    starts = [s[0] for s in segments]
    for field_index, original in enumerate((title, abstract)):
        pos = abstract_start if field_index else 0
        for word in original.split():
            pos = text.index(word, pos)
            assert map_offsets(segments, starts, pos, pos + len(word))[0] == field_index
            pos += len(word)


@pytest.mark.parametrize(
    "sentence, short, long_form",
    [
        ("hold training stability Direct Preference Optimization", "DPO", "Direct Preference Optimization"),
        ("techniques such as Tensor Parallelism", "TP", "Tensor Parallelism"),
        ("the sample-efficient visual reinforcement learning", "VRL", "visual reinforcement learning"),
        ("We present Swarm sAmpling Policy Optimization", "SAPO", "Swarm sAmpling Policy Optimization"),
        ("This paper introduces Compressing Optimizer States and Activations for FP8 Training", "COAT",
         "Compressing Optimizer States and Activations for FP8 Training"),
    ],
)
def test_find_abbreviation_finds_long_form(sentence, short, long_form):
    words = sentence.split()
    start = find_abbreviation(words, short)
    assert start is not None and " ".join(words[start:]) == long_form


def test_find_abbreviation_rejects_unrelated_words():
    assert find_abbreviation("based on the results of".split(), "DPO") is None


@pytest.mark.parametrize("text", ["FP8", "BF16", "INT4", "MXFP4", "fp16"])
def test_number_formats_are_not_hardware(text):
    assert rules.is_number_format(text)
    assert not rules.is_hardware_shape(text)


@pytest.mark.parametrize("text", ["H100", "A100", "MI300X", "TPUv4", "GB200"])
def test_hardware_shapes(text):
    assert rules.is_hardware_shape(text)


_SHAPE_REGEXES = (rules.HARDWARE_RE, rules.SIZE_TOKEN_RE, rules.FORMAT_TECHNIQUE_RE)


def _assert_shape_pretest_admits_matches(text):
    may = rules.shape_rules_may_match(text)
    for regex, allowed in zip(_SHAPE_REGEXES, may):
        assert allowed or regex.search(text) is None, (regex.pattern, text)


@pytest.mark.parametrize("text", [
    "trained on 8 NVIDIA H100 GPUs", "MI300X and GB200", "RTX 4090", "a TPU v4 pod", "Gaudi 2",
    "Llama-3-8B and Qwen 1.5B", "FP8 training", "INT4 quantization and BF16 pre-training",
])
def test_shape_rules_may_match_admits_each_rule(text):
    assert any(regex.search(text) for regex in _SHAPE_REGEXES)
    _assert_shape_pretest_admits_matches(text)


def test_shape_rules_may_match_rules_out_plain_text():
    assert rules.shape_rules_may_match("We propose a method for training models. It works.") == (False, False, False)


def test_shape_rules_may_match_never_misses_a_match_in_the_sample_corpus():
    for paper in read_papers():
        _assert_shape_pretest_admits_matches(prepare_text(paper.title, paper.abstract)[0])


@given(st.lists(st.sampled_from(
    list("AHBVLGMRTIXPUaudiBMKTbmkt0123456789 -_.+\u00e9v\ud800")
    + ["training", "quantization", "inference", "pre-training", "Gaudi", "TPU", "RTX"]), max_size=30).map("".join))
def test_shape_rules_may_match_never_misses_a_match(text):
    _assert_shape_pretest_admits_matches(text)


_STARTED_REGEXES = ((rules.HEAD_NOUN_RE, rules.HEAD_NOUN_STARTS), (rules.EXAMPLES_CUE_RE, rules.EXAMPLES_CUE_STARTS))


def _assert_find_matches_at_is_finditer(text):
    for regex, starts in _STARTED_REGEXES:
        expected = [(m.span(), m.groups()) for m in regex.finditer(text)]
        assert [(m.span(), m.groups()) for m in rules.find_matches_at(regex, text, starts)] == expected, text


def test_find_matches_at_equals_finditer_on_the_sample_corpus():
    for paper in read_papers():
        _assert_find_matches_at_is_finditer(prepare_text(paper.title, paper.abstract)[0])


@given(st.lists(st.sampled_from(
    list("( ,.-aAsX") + ["such as", "including", "like", "e.g.", "e.g.,", "for example,", "from", "models", "model",
                         "benchmark", "datasets", "corpus", "suite", "leaderboard", "testbed", "Foo, Bar)"]),
    max_size=20).map("".join))
def test_find_matches_at_equals_finditer(text):
    _assert_find_matches_at_is_finditer(text)


@pytest.mark.parametrize("text", ["COAT", "LaCLIP", "T3", "FreePRM", "Qwen2.5-VL"])
def test_is_name_like_coined_names(text):
    assert rules.is_name_like(text)


@pytest.mark.parametrize("text", ["LLMs", "Vision-Language", "1.54x", "FP8", "training", "Transformer"])
def test_is_name_like_rejects_generic_words(text):
    assert not rules.is_name_like(text)


@pytest.mark.parametrize(
    "name, etype",
    [("Canary-1B", "Model"), ("TDDBench", "Dataset"), ("MedLFQA", "Dataset"), ("PUMGPT", "Model"), ("COAT", None)],
)
def test_type_from_name(name, etype):
    assert rules.type_from_name(name) == etype


@pytest.mark.parametrize(
    "words, etype",
    [
        ("an LLM-agent-based framework".split(), "Method"),
        ("a large vision-language model".split(), "Model"),
        ("A Benchmark".split(), "Dataset"),
    ],
)
def test_type_from_head_words_uses_last_head(words, etype):
    assert rules.type_from_head_words(words) == etype


@pytest.mark.parametrize(
    "words, expected",
    [(["Process", "Reward", "Models"], True), (["Large", "Multimodal", "Models"], True), (["Tensor", "Parallelism"], False)],
)
def test_is_plural_class(words, expected):
    assert rules.is_plural_class(words) is expected


def test_is_verb_use_gerund_before_object():
    texts = "mechanisms in boosting performance".split()
    assert rules.is_verb_use(texts, 2, 3)
    assert not rules.is_verb_use("gradient boosting .".split(), 1, 2)
