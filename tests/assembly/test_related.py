"""Related-paper scoring on real abstracts of the sample corpus."""
import numpy as np
import pytest

from kg.assembly.related import (
    EXACT_MAX_PAPERS, entity_matrix, find_related, hub_threshold, keep_top_terms, row_threshold,
)
from kg.corpus import read_papers


@pytest.fixture(scope="module")
def sample():
    papers = list(read_papers())[:120]
    ids = [p.id for p in papers]
    texts = [f"{p.title}. {p.abstract}" for p in papers]
    # entities by hand: a few shared words standing in for linked entities
    words = ("FP8", "BF16", "LLM", "diffusion", "CLIP", "GPU", "Transformer", "reinforcement learning")
    weights = [{w.lower(): 1.0 for w in words if w.lower() in t.lower()} for t in texts]
    return ids, weights, texts


def test_find_related_is_ranked_and_never_self(sample):
    ids, weights, texts = sample
    result = find_related(ids, weights, texts, top_k=5)
    assert len(result) == len(ids)
    assert sum(len(r) for r in result) > 0
    for i, related in enumerate(result):
        assert all(item.target != i for item in related)
        assert [item.rank for item in related] == list(range(1, len(related) + 1))
        scores = [item.score for item in related]
        assert scores == sorted(scores, reverse=True)
        assert len({item.target for item in related}) == len(related) <= 5


def test_find_related_score_mixes_entity_and_text(sample):
    ids, weights, texts = sample
    for related in find_related(ids, weights, texts, top_k=3, entity_weight=0.6):
        for item in related:
            assert item.score == pytest.approx(0.6 * item.entity_score + 0.4 * item.text_score, abs=2e-6)
            assert (item.entity_score > 0) == bool(item.shared)


def test_find_related_matches_dense_cosine(sample):
    ids, weights, texts = sample
    from kg.assembly.related import text_matrix
    ent, _ = entity_matrix(weights)
    txt = text_matrix(texts)
    dense = 0.6 * (ent @ ent.T).toarray() + 0.4 * (txt @ txt.T).toarray()
    np.fill_diagonal(dense, -1)
    for i, related in enumerate(find_related(ids, weights, texts, top_k=1)):
        assert related[0].score == pytest.approx(dense[i].max(), abs=2e-6)


def test_find_related_is_deterministic_and_breaks_ties_by_id():
    # four identical papers: every score ties, so the order is by paper id
    ids = ["d", "b", "a", "c"]
    text = "COAT compresses optimizer states and activations for FP8 training."
    result = find_related(ids, [{"fp8": 1.0}] * 4, [text] * 4, top_k=3)
    assert [ids[item.target] for item in result[1]] == ["a", "c", "d"]
    assert result == find_related(ids, [{"fp8": 1.0}] * 4, [text] * 4, top_k=3)


def test_find_related_hub_pruning_gives_lower_bounds(sample):
    ids, weights, texts = sample
    exact = find_related(ids, weights, texts, top_k=5)
    pruned = find_related(ids, weights, texts, top_k=5, hub_df=3, block_rows=16)
    for ex, pr in zip(exact, pruned):
        best_exact = ex[0].score if ex else 0.0
        assert all(item.score <= best_exact + 1e-6 for item in pr)


def test_hub_threshold_exact_for_small_corpora_then_grows():
    assert hub_threshold(459) == 459 and hub_threshold(EXACT_MAX_PAPERS) == EXACT_MAX_PAPERS  # nothing pruned
    assert hub_threshold(100_000) == 1_000
    assert hub_threshold(10_000_000) == 10_000


def test_row_threshold_and_keep_top_terms():
    import scipy.sparse as sp

    matrix = sp.csr_matrix(np.array([[0.1, 0.5, 0.5, 0.2], [0.0, 0.0, 0.0, 0.0], [0.3, 0.0, 0.0, 0.0]]))
    assert row_threshold(matrix.indptr, matrix.data, 2).tolist() == [0.5, -np.inf, 0.3]
    assert row_threshold(matrix.indptr, matrix.data, 3).tolist() == [0.2, -np.inf, 0.3]
    kept = keep_top_terms(matrix, 1).toarray()
    assert kept.tolist() == [[0.0, 0.5, 0.5, 0.0], [0.0] * 4, [0.3, 0.0, 0.0, 0.0]]  # ties kept


def test_find_related_small_inputs():
    assert find_related(["a"], [{}], ["text"]) == [()]
    assert find_related([], [], []) == []
    with pytest.raises(ValueError):
        find_related(["a", "b"], [{}], ["x", "y"])
