"""kg_tokenizer_v1 on real corpus sentences: spaCy's boundaries, offsets that map back to the text."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import spacy

from kg.linking.doc_view import token_view
from kg.linking.pipeline import build_nlp
from kg.linking.rules import prepare_text
from kg.linking.tokenizer import TV, KGTokenizer, spacy_tokenizer


@pytest.fixture(scope="module")
def tokenizers():
    nlp = spacy.blank("en")
    return KGTokenizer(nlp.vocab, spacy_tokenizer(nlp)), spacy_tokenizer(nlp)


def _sentence_with(find_paper, phrase):
    paper = find_paper(phrase)
    text, _start, _words = prepare_text(paper.title, paper.abstract)
    i = text.index(phrase)
    lo = text.rfind(". ", 0, i) + 2 if text.rfind(". ", 0, i) >= 0 else 0
    hi = text.find(". ", i + len(phrase))
    return text[lo : hi + 1 if hi >= 0 else len(text)]


@pytest.mark.parametrize(
    "phrase, tokens",
    [
        ("Llama-3.1-8B-Instruct", ["Llama", "-", "3.1", "-", "8B", "-", "Instruct"]),
        ("GPT-4o", ["GPT", "-", "4o"]),
        ("Qwen2.5-VL-7B", ["Qwen2.5", "-", "VL", "-", "7B"]),
        ("8xA100", ["8", "x", "A100"]),
        ("FP8", ["FP8"]),
        ("(DPO)", ["(", "DPO", ")"]),
    ],
)
def test_tokenizer_splits_names_in_corpus_sentences(tokenizers, find_paper, phrase, tokens):
    ours, _spacy = tokenizers
    sentence = _sentence_with(find_paper, phrase)
    doc = ours(sentence)
    words = [t.text for t in doc]
    start = sentence.index(phrase)
    inside = [t.text for t in doc if start <= t.idx < start + len(phrase)]
    assert inside == tokens, (sentence, words)


def test_tokenizer_matches_spacy_on_the_sample_corpus(tokenizers, sample_papers):
    ours, theirs = tokenizers
    for paper in sample_papers:
        text, _start, _words = prepare_text(paper.title, paper.abstract)
        got = [(t.text, t.whitespace_) for t in ours(text)]
        assert got == [(t.text, t.whitespace_) for t in theirs(text)], paper.title


def test_tokenizer_token_view_maps_offsets_back_to_the_text(tokenizers, find_paper):
    ours, theirs = tokenizers
    sentence = _sentence_with(find_paper, "Qwen2.5-VL-7B")
    doc = ours(sentence)
    texts, keys, starts, ends, spaced = doc.user_data[TV]
    assert [sentence[s:e] for s, e in zip(starts, ends)] == texts == [t.text for t in doc]
    assert starts == [t.idx for t in doc]
    assert spaced == [int(bool(t.whitespace_)) for t in doc]
    ref = theirs(sentence)
    assert tuple(map(list, token_view(ref))) == (texts, keys, starts, ends, spaced)


def test_tokenizer_hyphenated_terms_and_special_cases(tokenizers):
    ours, theirs = tokenizers
    # hyphenated terms from the corpus, "):" (an emoticon to spaCy), special cases like "etc." and "cannot"
    text = "post-training (without pre-training): Chain-of-Thought (CoT), etc. We cannot e.g. run it (2024):"
    assert [t.text for t in ours(text)] == [t.text for t in theirs(text)]
    assert [t.text for t in ours(text)][:3] == ["post", "-", "training"]
    # a cached chunk gives the same tokens the second time
    assert [t.text for t in ours(text)] == [t.text for t in theirs(text)]


def test_tokenizer_irregular_whitespace_falls_back_to_spacy(tokenizers):
    ours, theirs = tokenizers
    for text in ["", " leading", "trailing ", "two  spaces", "new\nline", "tab\there"]:
        assert [(t.text, t.whitespace_) for t in ours(text)] == [(t.text, t.whitespace_) for t in theirs(text)]


def test_tokenizer_cache_is_bounded():
    nlp = spacy.blank("en")
    tok = KGTokenizer(nlp.vocab, spacy_tokenizer(nlp), max_cache_size=5)
    for i in range(20):
        doc = tok(f"word{i} and GPT-{i}o")
        assert [t.text for t in doc] == [f"word{i}", "and", "GPT", "-", f"{i}o"]
    assert len(tok._cache) <= 5


def test_build_nlp_uses_the_registered_tokenizer(kb):
    nlp = build_nlp(kb)
    assert isinstance(nlp.tokenizer, KGTokenizer)
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "kg_tokenizer_v1"


def test_score_on_matches_equal_a_full_scan_on_the_sample_corpus(sample_papers):
    from kg.linking import rules
    from kg.linking.name_rules import _score_on_matches

    found = 0
    for paper in sample_papers:
        text, _start, _words = prepare_text(paper.title, paper.abstract)
        want = [m.span() for m in rules.SCORE_ON_RE.finditer(text)]
        assert [m.span() for m in _score_on_matches(text)] == want
        found += len(want)
    assert found > 10


def test_tokenizer_memory_zone_drops_the_chunks_cached_inside_it(kb, sample_papers):
    # strings added inside nlp.memory_zone() are freed at its end; chunks cached with their string
    # ids inside the zone must go too, or the next Doc would point at freed strings
    nlp = build_nlp(kb)
    texts = [prepare_text(p.title, p.abstract)[0] for p in sample_papers[:20]]
    want = [[t.text for t in nlp(text)] for text in texts]
    before = len(nlp.tokenizer._cache)
    with nlp.memory_zone():
        assert [[t.text for t in nlp(text)] for text in texts] == want
    assert len(nlp.tokenizer._cache) == before
    assert [[t.text for t in nlp(text)] for text in texts] == want
    fresh = build_nlp(kb)
    with fresh.memory_zone():
        inside = [[t.text for t in fresh(text)] for text in texts]
    assert inside == want == [[t.text for t in fresh(text)] for text in texts]


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="aAbZxe.g0179-/+@_()×–,;:%'KMBUS?!~#=&", min_size=1, max_size=9)
                | st.text(alphabet="htps:/wgiub.com-_~#?=&%X0", min_size=1, max_size=30).map("https://".__add__),
                min_size=1, max_size=6))
def test_tokenizer_equals_spacy_on_name_like_chunks(tokenizers, chunks):
    # the shortcuts for new chunks (regular shapes, spaCy's affix rules applied to a core) must
    # give spaCy's tokens, special cases ("a.", "e.g.", "):") included; chunk by chunk, as the
    # cache splits them (spaCy itself may merge emoticons across chunks: ": ):7")
    ours, theirs = tokenizers
    for chunk in chunks:
        assert [t.text for t in ours(chunk)] == [t.text for t in theirs(chunk)]


def test_token_index_maps_token_offsets_to_indices_and_misses_to_none(tokenizers, sample_papers):
    from kg.linking.doc_view import token_index

    ours, _theirs = tokenizers
    text = prepare_text(sample_papers[0].title, sample_papers[0].abstract)[0]
    doc = ours(text)
    at_start, at_end = token_index(doc)
    want_start = {t.idx: t.i for t in doc}
    want_end = {t.idx + len(t.text): t.i for t in doc}
    for offset in range(-1, len(text) + 2):
        assert at_start.get(offset) == want_start.get(offset)
        assert at_end.get(offset, -5) == want_end.get(offset, -5)
        assert (offset in at_start) == (offset in want_start)
    assert at_start[max(want_start)] == len(doc) - 1
    with pytest.raises(KeyError):
        at_end[0]
    # the index of the last doc asked for is reused; another doc gets its own
    other = ours("A short (DPO) sentence.")
    assert [token_index(other)[0].get(i) for i in (8, 9, 10)] == [2, 3, None]
    # built once a document (compiled, the pair itself is a new tuple each call)
    assert all(a is b for a, b in zip(token_index(other), token_index(other)))
    assert token_index(doc)[0].get(max(want_start)) == len(doc) - 1


def test_pipeline_doc_user_data_serializes(kb, sample_papers):
    # components keep plain data in doc.user_data: Doc.to_bytes (msgpack) must take it
    from spacy.tokens import Doc

    from kg.linking.doc_view import token_index
    from kg.linking.pipeline import run_pipeline

    nlp = build_nlp(kb)
    text, start, _words = prepare_text(sample_papers[0].title, sample_papers[0].abstract)
    doc = run_pipeline(nlp, text, start)
    token_index(doc)
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [t.text for t in back] == [t.text for t in doc]


def test_tokenizer_suffix_rules_fit_in_the_searched_tail():
    # _split_by_rules searches only a core's last SUFFIX_TAIL characters for spaCy's suffix rules:
    # each rule's width plus look-behind must fit there, except the run of dots, and no rule may
    # look around negatively (a cut tail would then match where the whole core does not)
    from re import _parser

    from kg.linking.tokenizer import SUFFIX_EXTRA, SUFFIX_TAIL

    nlp = spacy.blank("en")
    for rule in [*nlp.Defaults.suffixes, SUFFIX_EXTRA]:
        parsed = _parser.parse(rule)
        ops = [op for op, _av in parsed]
        assert _parser.ASSERT_NOT not in ops and _parser.AT not in ops, rule
        behind = max((av[1].getwidth()[1] for op, av in parsed if op == _parser.ASSERT and av[0] == -1), default=0)
        assert rule == r"\.\.+" or parsed.getwidth()[1] + behind <= SUFFIX_TAIL, rule
    ours = spacy_tokenizer(nlp)
    for core in ["https://github.com/org/repo...", "Qwen2.5-VL-72B-Instruct", "x" * 20 + "80GB", "x" * 20 + "°F."]:
        assert (ours.suffix_search(core) is None) == (ours.suffix_search(core[-SUFFIX_TAIL:]) is None)
