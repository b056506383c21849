"""Infer stage: related papers, by the words and word pairs of titles and abstracts. Pure.

Each paper is a TF-IDF vector (the same terms as topics use: stop words out, plurals
folded, the title counted twice). Two papers are as related as the cosine of their
vectors. Comparing every pair at 20,000 papers would be 200 million products, most of
them through common words; so candidates are found through the rarer terms, in sparse
products over chunks of ``CHUNK`` papers, and only they are ranked exactly.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .model import Paper
from .topics import _stop_set, _vectorize, paper_text, single_threaded

RARE_SHARE = 0.005
"""Terms in more than this share of the papers do not find candidates (they still count in the ranking)."""
RARE_MIN = 50
"""...unless they are in at most this many papers (small corpora use nearly all terms)."""
CANDIDATES_PER_RESULT = 4
"""Candidates ranked exactly, per related paper wanted."""
CHUNK = 1000
"""Papers scored together in one sparse product."""
TITLE_WEIGHT = 2
"""How many times the title counts, against once for the abstract."""


@single_threaded
def related(papers: Sequence[Paper], k: int = 5) -> dict[str, tuple[str, ...]]:
    """For each paper id, the ids of the ``k`` most text-similar other papers, best first.

    Candidates are the papers sharing terms found in at most ``RARE_SHARE`` of the papers
    (common words would pair everything with everything); the best
    ``CANDIDATES_PER_RESULT * k`` of them are then ranked by exact cosine similarity.
    Ties go to the smaller id; a paper sharing no such term with another gets fewer than
    ``k`` (none, for a paper without words). The result depends on the set of papers only.

    >>> from generator.model import Paper
    >>> def p(i, t): return Paper(i, i, t, "", "", None, None, None, None, (), ())
    >>> related([p("a", "spiking networks"), p("b", "spiking networks on chips"), p("c", "fMRI")], k=1)
    {'a': ('b',), 'b': ('a',), 'c': ()}
    """
    ordered = list({p.id: p for p in sorted(papers, key=lambda p: p.id, reverse=True)}.values())[::-1]
    ids = [p.id for p in ordered]
    if k <= 0 or len(ordered) < 2:
        return {i: () for i in ids}
    X, _, _ = _vectorize([paper_text(p, TITLE_WEIGHT) for p in ordered], _stop_set(()))
    df = np.bincount(X.indices, minlength=X.shape[1])
    rare = X[:, np.flatnonzero(df <= max(RARE_MIN, RARE_SHARE * len(ids)))].tocsr()
    RT = rare.T.tocsr()
    out: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), CHUNK):
        S = (rare[start:start + CHUNK] @ RT).tocsr()
        rows, cols = _candidates(S, start, CANDIDATES_PER_RESULT * k)
        exact = np.round(np.asarray(X[rows].multiply(X[cols]).sum(axis=1)).ravel(), 9)
        for r, picks in _top(rows, cols, exact, k).items():
            out[ids[r]] = tuple(ids[j] for j in picks)
    return {i: out.get(i, ()) for i in ids}


def _candidates(S: sparse.csr_matrix, start: int, c: int) -> tuple[np.ndarray, np.ndarray]:
    """(query, other) index pairs: for each query row, the others scoring at least its
    ``c``-th best score (ties kept, so the set never depends on sorting order); self left out."""
    rows, cols = [], []
    for r in range(S.shape[0]):
        lo, hi = S.indptr[r], S.indptr[r + 1]
        idx, data = S.indices[lo:hi], np.round(S.data[lo:hi], 9)
        ok = (idx != start + r) & (data > 0)
        idx, data = idx[ok], data[ok]
        if len(idx) > c:
            keep = data >= -np.partition(-data, c - 1)[c - 1]
            idx = idx[keep]
        rows.append(np.full(len(idx), start + r))
        cols.append(idx)
    return np.concatenate(rows), np.concatenate(cols)


def _top(rows: np.ndarray, cols: np.ndarray, score: np.ndarray, k: int) -> dict[int, list[int]]:
    """For each query row, its ``k`` best columns by score, then by index; positive scores only."""
    ok = score > 0
    rows, cols, score = rows[ok], cols[ok], score[ok]
    order = np.lexsort((cols, -score, rows))
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, rows)
    keep = np.arange(len(rows)) - first < k
    out: dict[int, list[int]] = {}
    for r, c in zip(rows[keep].tolist(), cols[keep].tolist()):
        out.setdefault(r, []).append(c)
    return out
