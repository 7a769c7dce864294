"""Related papers: IDF-weighted shared entities combined with TF-IDF similarity of the abstracts.

Both signals are cosine similarities of sparse row vectors: a paper's entities weighted by IDF
(an entity the paper names directly weighs 1, a family it reaches through the knowledge-base
parent chain weighs ANCESTOR_WEIGHT), and the TF-IDF vector of its title and abstract. The score
is ENTITY_WEIGHT * entity cosine + (1 - ENTITY_WEIGHT) * text cosine.

Scale: the similarity products are computed in row blocks sized so a block's output stays
bounded (BLOCK_CELLS), and the top k per row are found without sorting whole rows. Up to
EXACT_MAX_PAPERS papers the scores are exact (the sample corpus is). Above, hub pruning makes
the cost near-linear, because hub entities and common words make the products quadratic:
columns held by more than max(HUB_MIN_DF, HUB_FRACTION * papers) papers are left out, and only
each paper's TEXT_TERMS heaviest terms enter the text product. Rows are normalized *before*
pruning, so a pruned score is a lower bound of the exact cosine. Measured on synthetic corpora
(benchmarks/bench_build.py): at 100k papers related papers take ~35 s with a hub threshold of
500-1,000 and ~28 s with 100, but 100 keeps only a quarter of the top-5 of 1,000 - the
products are not what costs, so the threshold is generous.

Ties are broken by paper id, scores are rounded to 6 decimals first, so the ranking is
deterministic; a paper is never related to itself.
Not supported: incremental updates (a new paper re-scores the corpus), dense embeddings.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import scipy.sparse as sp

ENTITY_WEIGHT = 0.6
ANCESTOR_WEIGHT = 0.5
EXACT_MAX_PAPERS = 5_000
HUB_MIN_DF = 1_000
HUB_FRACTION = 0.001
TEXT_TERMS = 32
BLOCK_ROWS = 2048
BLOCK_CELLS = 4_000_000
SHARED_KEPT = 10
DECIMALS = 6


@dataclass(frozen=True)
class RelatedPaper:
    """One entry of a paper's related list; target is an index into the input sequences."""

    target: int
    rank: int
    score: float
    entity_score: float
    text_score: float
    shared: tuple[str, ...]


def hub_threshold(n_papers: int, *, min_df: int = HUB_MIN_DF, fraction: float = HUB_FRACTION) -> int:
    """Columns held by more papers than this are left out of the similarity products."""
    if n_papers <= EXACT_MAX_PAPERS:
        return n_papers
    return max(min_df, math.ceil(fraction * n_papers))


def row_threshold(indptr: np.ndarray, data: np.ndarray, k: int) -> np.ndarray:
    """Per row, a value with at least min(k, row length) of the row's entries >= it.

    k passes of a vectorized row maximum (ties removed together), instead of sorting rows.
    """
    n_rows = len(indptr) - 1
    lengths = np.diff(indptr)
    row_of = np.repeat(np.arange(n_rows), lengths)
    threshold = np.full(n_rows, -np.inf)
    nonempty = lengths > 0
    if not nonempty.any():
        return threshold
    starts = indptr[:-1][nonempty]
    work = data.astype(np.float64, copy=True)
    count = np.zeros(n_rows, dtype=np.int64)
    for _ in range(k):
        best = np.full(n_rows, -np.inf)
        best[nonempty] = np.maximum.reduceat(work, starts)
        update = (count < k) & np.isfinite(best)
        if not update.any():
            break
        threshold[update] = best[update]
        hit = (work == best[row_of]) & update[row_of]
        count += np.bincount(row_of[hit], minlength=n_rows)
        work[hit] = -np.inf
    return threshold


def keep_top_terms(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Each row's k largest entries (ties kept), the rest dropped."""
    threshold = row_threshold(matrix.indptr, matrix.data, k)
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    pruned = matrix.copy()
    pruned.data[pruned.data < threshold[row_of]] = 0
    pruned.eliminate_zeros()
    return pruned


def entity_matrix(entity_weights: Sequence[Mapping[str, float]]) -> tuple[sp.csr_matrix, list[str]]:
    """Papers x entities, IDF-weighted and L2-normalized per row; and the column entity ids."""
    columns = sorted({e for weights in entity_weights for e in weights})
    index = {e: i for i, e in enumerate(columns)}
    indptr, indices, data = [0], [], []
    for weights in entity_weights:
        for e, w in sorted(weights.items(), key=lambda item: index[item[0]]):
            indices.append(index[e])
            data.append(w)
        indptr.append(len(indices))
    n = len(entity_weights)
    matrix = sp.csr_matrix(
        (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(n, len(columns)),
    )
    df = np.bincount(matrix.indices, minlength=len(columns))
    idf = np.log((1 + n) / (1 + df)) + 1.0
    matrix = matrix @ sp.diags(idf)
    from sklearn.preprocessing import normalize  # sklearn costs ~0.7 s to import: only when building

    return normalize(matrix.tocsr(), norm="l2", copy=False), columns


def text_matrix(texts: Sequence[str]) -> sp.csr_matrix:
    """Papers x terms TF-IDF (sublinear tf, English stop words), L2-normalized per row."""
    if not any(t.strip() for t in texts):
        return sp.csr_matrix((len(texts), 0))
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64)
    try:
        return vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # only stop words everywhere: no vocabulary
        return sp.csr_matrix((len(texts), 0))


def _prune(matrix: sp.csr_matrix, threshold: int) -> sp.csr_matrix:
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = np.flatnonzero(df <= threshold)
    if len(keep) == matrix.shape[1]:
        return matrix
    return matrix[:, keep].tocsr()


def _top_k_block(combined: sp.csr_matrix, first_row: int, top_k: int, id_rank: np.ndarray):
    """(row, col, score, position) of the top_k columns per row, best first, self excluded."""
    coo = combined.tocoo()  # from CSR: ordered by row
    rows, cols, vals = coo.row, coo.col, np.round(coo.data, DECIMALS)
    keep = (rows + first_row != cols) & (vals > 0)
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=combined.shape[0]))))
    keep = vals >= row_threshold(indptr, vals, top_k)[rows]
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    order = np.lexsort((id_rank[cols], -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    starts = np.searchsorted(rows, np.arange(combined.shape[0]), side="left")
    position = np.arange(len(rows)) - starts[rows]
    keep = position < top_k
    return rows[keep], cols[keep], vals[keep], position[keep]


def find_related(
    paper_ids: Sequence[str],
    entity_weights: Sequence[Mapping[str, float]],
    texts: Sequence[str],
    *,
    top_k: int = 5,
    entity_weight: float = ENTITY_WEIGHT,
    hub_df: int | None = None,
    block_rows: int = BLOCK_ROWS,
) -> list[tuple[RelatedPaper, ...]]:
    """The top_k related papers of every paper, best first.

    entity_weights[i]: entity id -> weight (1 direct, ANCESTOR_WEIGHT for a family) of paper i;
    texts[i]: its title and abstract. hub_df overrides hub_threshold(len(paper_ids)).
    """
    n = len(paper_ids)
    if not (len(entity_weights) == len(texts) == n):
        raise ValueError("paper_ids, entity_weights and texts must have the same length")
    result: list[tuple[RelatedPaper, ...]] = [() for _ in range(n)]
    if n < 2 or top_k <= 0:
        return result
    threshold = hub_threshold(n) if hub_df is None else hub_df
    entities, columns = entity_matrix(entity_weights)
    text = text_matrix(texts)
    ent_p = _prune(entities, threshold)
    txt_p = _prune(text, threshold)
    if threshold < n:
        txt_p = keep_top_terms(txt_p, TEXT_TERMS)
    ent_t, txt_t = ent_p.T.tocsr(), txt_p.T.tocsr()
    id_rank = np.empty(n, dtype=np.int64)
    id_rank[np.argsort(np.asarray(paper_ids, dtype=object), kind="stable")] = np.arange(n)
    block_rows = max(16, min(block_rows, BLOCK_CELLS // n))
    for first in range(0, n, block_rows):
        last = min(n, first + block_rows)
        ent_s = (ent_p[first:last] @ ent_t).tocsr()
        txt_s = (txt_p[first:last] @ txt_t).tocsr()
        combined = (entity_weight * ent_s + (1.0 - entity_weight) * txt_s).tocsr()
        rows, cols, scores, positions = _top_k_block(combined, first, top_k, id_rank)
        if len(rows) == 0:
            continue
        ent_vals = np.asarray(ent_s[rows, cols]).ravel()
        txt_vals = np.asarray(txt_s[rows, cols]).ravel()
        shared = _shared(entities, columns, rows + first, cols)
        per_row: dict[int, list[RelatedPaper]] = {}
        for pair, (r, c, score, pos, ev, tv) in enumerate(zip(
                rows.tolist(), cols.tolist(), scores.tolist(), positions.tolist(), ent_vals.tolist(), txt_vals.tolist())):
            per_row.setdefault(first + r, []).append(RelatedPaper(
                target=c, rank=pos + 1, score=score, entity_score=round(ev, DECIMALS),
                text_score=round(tv, DECIMALS), shared=shared[pair],
            ))
        for i, related in per_row.items():
            result[i] = tuple(related)
    return result


def _shared(entities: sp.csr_matrix, columns: list[str], a: np.ndarray, b: np.ndarray) -> list[tuple[str, ...]]:
    """Per pair (a[i], b[i]): entity ids both papers have, largest contribution first, then id."""
    product = entities[a].multiply(entities[b]).tocsr()
    product.eliminate_zeros()
    coo = product.tocoo()
    order = np.lexsort((coo.col, -np.round(coo.data, DECIMALS), coo.row))
    rows, cols = coo.row[order], coo.col[order]
    bounds = np.searchsorted(rows, np.arange(len(a) + 1), side="left").tolist()
    names = [columns[j] for j in cols.tolist()]
    return [tuple(names[bounds[i]:min(bounds[i + 1], bounds[i] + SHARED_KEPT)]) for i in range(len(a))]
