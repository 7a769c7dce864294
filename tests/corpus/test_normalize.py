"""Text normalization: LaTeX escapes, whitespace, title keys and ids, arXiv ids, dates, links."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.corpus import clean_text, find_links, parse_arxiv_id, parse_date, title_id, title_key
from kg.records import Link

GOLD_INPUT = Path(__file__).resolve().parents[2].parent / "shared" / "gold" / "dev_input.jsonl"


@pytest.mark.parametrize("raw, clean", [
    ('T\\"ULU 3', "TÜLU 3"),
    ('T{\\"U}LU', "TÜLU"),
    ("Schr\\\"{o}dinger", "Schrödinger"),
    ("Erd\\H{o}s and Pe\\~na", "Erdős and Peña"),
    ("reduces up to 40\\% of time", "reduces up to 40% of time"),
    ("R\\&D \\eg, mean; \\ie benchmark", "R&D e.g., mean; i.e. benchmark"),
    ("is \\textit{agnostic} and \\textbf{fast}", "is agnostic and fast"),
    ("our ``not-so-surprising'' finding", 'our "not-so-surprising" finding'),
    ("at \\https://github.com/x/y", "at https://github.com/x/y"),
    ("  two\n lines\t\tand\u00a0spaces ", "two lines and spaces"),
    ("zero\u200bwidth", "zerowidth"),
    ("Cafe\u0301", "Café"),
])
def test_clean_text_resolves_escapes_and_whitespace(raw, clean):
    assert clean_text(raw) == clean
    assert clean_text(clean) == clean


def test_clean_text_is_idempotent_on_sample(sample_papers):
    for paper in sample_papers:
        assert clean_text(paper.title) == paper.title
        assert clean_text(paper.abstract) == paper.abstract


def test_title_key_ignores_case_accents_punctuation_and_latex():
    key = title_key("TÜLU 3: Pushing Frontiers in Open Language Model Post-Training")
    assert key == "tulu3pushingfrontiersinopenlanguagemodelposttraining"
    assert title_key('T\\"ULU 3 - pushing frontiers in open language model post training') == key
    assert title_key("Tulu 3: Pushing Frontiers in Open Language Model Pre-Training") != key


def test_title_id_is_sha1_prefix_of_clean_title():
    assert title_id("COAT: Compressing Optimizer states and Activation for Memory-Efficient FP8 Training") == "5ce413c7ba"
    assert title_id("  COAT: Compressing Optimizer states and Activation for\nMemory-Efficient FP8 Training") == "5ce413c7ba"


@pytest.mark.skipif(not GOLD_INPUT.exists(), reason="shared gold files not present")
def test_title_id_agrees_with_gold_ids(sample_papers):
    by_id = {p.id: p for p in sample_papers}
    rows = [json.loads(line) for line in GOLD_INPUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert rows
    for row in rows:
        assert title_id(row["title"]) == row["id"]
        assert by_id[row["id"]].title == row["title"]


@pytest.mark.parametrize("value, expected", [
    ("2411.15124", "2411.15124"),
    ("2411.15124v3", "2411.15124"),
    ("0704.0001", "0704.0001"),
    ("arXiv:2301.00001", "2301.00001"),
    ("https://arxiv.org/abs/2411.15124v2", "2411.15124"),
    ("https://arxiv.org/pdf/2411.15124.pdf", "2411.15124"),
    ("hep-th/9901001", "hep-th/9901001"),
    ("math.GT/0309136v1", "math.GT/0309136"),
    ("94956be34d", None),
    ("2411.151", None),
    ("", None),
    (2411, None),
])
def test_parse_arxiv_id(value, expected):
    assert parse_arxiv_id(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("Nov 22, 2024", "2024-11-22"),
    ("2024-11-22T18:44:04.000Z", "2024-11-22"),
    ("2008-11-13", "2008-11-13"),
    ("Mon, 2 Apr 2007 19:18:42 GMT", "2007-04-02"),
    ("Sep 26", None),
    ("Feb 30, 2024", None),
    ("yesterday", None),
    (None, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_find_links_kinds_and_trailing_punctuation():
    text = ("Code: https://github.com/a/b. Project Page: https://x.org/p/ and demo at "
            "https://huggingface.co/spaces/a/b). Data (https://huggingface.co/datasets/c/d, "
            "see https://en.wikipedia.org/wiki/Foo_(bar)). Site: cognitivedrone.github.io")
    assert find_links(text) == (
        Link("https://github.com/a/b", "code"),
        Link("https://x.org/p/", "project"),
        Link("https://huggingface.co/spaces/a/b", "project"),
        Link("https://huggingface.co/datasets/c/d", "other"),
        Link("https://en.wikipedia.org/wiki/Foo_(bar)", "other"),
        Link("https://cognitivedrone.github.io", "project"),
    )


def test_find_links_each_url_once():
    assert find_links("see https://github.com/a/b and https://github.com/a/b.") == (
        Link("https://github.com/a/b", "code"),)


_TRICKY = st.sampled_from(list('\\"\'`^~=.{}uvHckrAaUeiosl%&$#_ \n\t') + [
    "\\textit{", "\\eg", "``", "''", "https://x.io/a", "\u0301", "é", "\u200b", "\x00", "\u00a0"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_TRICKY, max_size=30).map("".join))
def test_clean_text_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once
    assert title_key(once) == title_key(text)
