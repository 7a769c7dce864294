"""Surface-form keys and slugs."""
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.linking.normalize import letters_of, normalize_key, slugify


@pytest.mark.parametrize(
    "a, b",
    [
        ("Llama3.1-8B", "LLaMA 3.1 8B"),
        ("fine-tuning", "Fine Tuning"),
        ("Qwen2.5-VL-7B-Instruct", "qwen2.5 vl 7b instruct"),
        ("GPT-4o", "gpt 4o"),
        ("TPU v4", "TPUv4"),
    ],
)
def test_normalize_key_folds_case_spaces_hyphens(a, b):
    assert normalize_key(a) == normalize_key(b)


@pytest.mark.parametrize("a, b", [("Llama 3.1", "Llama 31"), ("HumanEval+", "HumanEval"), ("QuIP#", "QuIP")])
def test_normalize_key_keeps_versions_and_name_marks(a, b):
    assert normalize_key(a) != normalize_key(b)


def test_normalize_key_drops_sentence_dot():
    assert normalize_key("LAION-400M.") == normalize_key("LAION-400M")


@pytest.mark.parametrize(
    "text, slug",
    [("Self-Evolving Training", "self-evolving-training"), ("PA&DA", "pada"), ("Qwen2.5-VL 7B", "qwen2.5-vl-7b")],
)
def test_slugify_readable_ids(text, slug):
    assert slugify(text) == slug


def test_letters_of_keeps_case():
    assert letters_of("Co-T") == "CoT"


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=20) | st.text(max_size=12))
def test_normalize_ascii_fast_path_equals_the_regex(text):
    from kg.linking.normalize import _DROP_RE

    assert normalize_key.__wrapped__(text) == _DROP_RE.sub("", unicodedata.normalize("NFKC", text).lower())
    assert letters_of(text) == _DROP_RE.sub("", unicodedata.normalize("NFKC", text))
