"""Infer stage: related papers, by the words and word pairs of titles and abstracts. Pure.

Each paper is a TF-IDF vector of its words (as topics read them: stop words out,
plurals folded, the title counted twice; word pairs are left out, they would double
the work for little change in the ranking). Two papers are as related as the cosine of their
vectors. Comparing every pair at 20,000 papers would be 200 million products, most of
them through common words; so candidates are found through the rarer terms, in sparse
products over chunks of ``CHUNK`` papers, and only they are ranked exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from ..model import Paper
from .topics import CATCH_ALL_ID, paper_text, single_threaded, stop_set, vectorize
from .topics.phrases import same_thing
from .topics.text import word_key, words

PAIR_BUDGET = 5e7
"""Candidates are found through the rarer terms, as many as keep the sparse product under this
many multiplications (all terms, for a few thousand papers); papers that find fewer than k
look through every term. Every term counts in the final ranking."""
CANDIDATES_PER_RESULT = 3
"""Candidates ranked exactly, per related paper wanted."""
CHUNK = 1000
"""Papers scored together in one sparse product."""
SAME_TOPIC_BONUS = 0.1
"""Added to the cosine of two papers with the same primary topic (not the catch-all): among
papers about as close in wording, those of the same subfield come first. On the seeds the
related papers sharing a hand label went from 44% to 50% (``benchmarks/related_sample.md``)."""
TITLE_WEIGHT = 2
"""How many times the title counts, against once for the abstract."""
CHANCE_QUANTILE = 0.97
"""A related paper must be closer (cosine, before the same-topic bonus) than this share of random
pairs of papers in the corpus. Below it two papers share little more than common words, and a
page shows fewer related papers rather than padding: on the hand-judged seed sample, related
papers truly related went from 3.2 to 4.0 of 5 (``benchmarks/related_sample.md``). A share, not
a fixed cosine, because how close chance pairs come depends on the corpus's words and length."""
CHANCE_PAIRS = 20_000
"""Random pairs the chance level is measured on (fixed seed: it depends on the set of papers only)."""
FLOOR_MIN_PAPERS = 20
"""Smaller corpora have no floor: the chance level of a handful of pairs means nothing."""


@single_threaded
def related(papers: Sequence[Paper], k: int = 5) -> dict[str, tuple[str, ...]]:
    """For each paper id, the ids of the (at most) ``k`` most text-similar other papers, best first;
    only papers closer than chance pairs of the corpus (``CHANCE_QUANTILE``) are shown.

    Candidates are the papers sharing the rarer terms (``PAIR_BUDGET``: common words would
    pair everything with everything), or any term when that finds fewer than ``k``; the best ``CANDIDATES_PER_RESULT * k`` of them are then ranked by
    exact cosine similarity (plus ``SAME_TOPIC_BONUS`` for the same primary topic), ties to the
    smaller id. A paper gets fewer than ``k`` when fewer other papers are above the chance floor
    (none, for a paper without words).
    The result depends on the set of papers only.

    >>> from generator.model import Paper
    >>> def p(i, t): return Paper(i, i, t, "", "", None, None, None, None, (), ())
    >>> related([p("a", "spiking networks"), p("b", "spiking networks on chips"), p("c", "fMRI")], k=1)
    {'a': ('b',), 'b': ('a',), 'c': ()}
    """
    ordered = list({p.id: p for p in sorted(papers, key=lambda p: p.id, reverse=True)}.values())[::-1]
    ids = [p.id for p in ordered]
    if k <= 0 or len(ordered) < 2:
        return {i: () for i in ids}
    X, _, _ = vectorize([paper_text(p, TITLE_WEIGHT) for p in ordered], stop_set(()), pairs=False)
    levels = _Levels(X, [_cutoff(X, PAIR_BUDGET)])
    topic_ids = sorted({p.topics[0] for p in ordered if p.topics and p.topics[0] != CATCH_ALL_ID})
    number = {t: i for i, t in enumerate(topic_ids)}
    primary = np.array([number.get(p.topics[0], -1) if p.topics else -1 for p in ordered])
    floor = chance_level(X) if len(ids) >= FLOOR_MIN_PAPERS else 0.0
    out: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), CHUNK):
        rows, cols, exact = levels.candidates(np.arange(start, min(start + CHUNK, len(ids))), k, floor)
        exact = np.round(exact + SAME_TOPIC_BONUS * ((primary[rows] == primary[cols]) & (primary[rows] >= 0)), 9)
        for r, picks in _top(rows, cols, exact, k).items():
            out[ids[r]] = tuple(ids[j] for j in picks)
    return {i: out.get(i, ()) for i in ids}


def chance_level(X: sparse.csr_matrix, share: float | None = None) -> float:
    """The cosine that ``share`` (default ``CHANCE_QUANTILE``) of random pairs of distinct rows stay under (``CHANCE_PAIRS``
    pairs drawn with a fixed seed; rows in a fixed order, so it depends on the set of rows only)."""
    n = X.shape[0]
    if n < 2:
        return 0.0
    rng = np.random.default_rng(0)
    a = rng.integers(0, n, CHANCE_PAIRS)
    b = (a + rng.integers(1, n, CHANCE_PAIRS)) % n  # never a itself
    sims = np.asarray(X[a].multiply(X[b]).sum(axis=1)).ravel()
    return float(np.round(np.quantile(sims, CHANCE_QUANTILE if share is None else share), 9))


SHARED_LIMIT = 3
"""Shared phrases shown beside a related paper ("shares: NSD, diffusion decoding")."""
SHARED_POOL = 3
"""Best shared terms looked at per phrase shown: a word is dropped when a pair among them holds it."""


@single_threaded
def shared_phrases(
    papers: Sequence[Paper], related_ids: dict[str, tuple[str, ...]], limit: int = SHARED_LIMIT
) -> dict[tuple[str, str], tuple[str, ...]]:
    """For each (paper id, related id) pair, the words and word pairs both texts carry that
    weigh most in both (product of their TF-IDF weights), as the first paper writes them; a word
    is left out when a pair among the best ones holds it, a pair grows by the word that follows it
    in both ("spiking neural networks"), and a term that says the same as one shown (a shared
    root, an acronym: ``same_thing``) is left out. Says why two papers are related.

    >>> from generator.model import Paper
    >>> def p(i, t): return Paper(i, i, t, "", "", None, None, None, None, (), ())
    >>> ps = [p("a", "spiking networks on chips"), p("b", "spiking networks for vision"), p("c", "fMRI")]
    >>> shared_phrases(ps, {"a": ("b",), "b": ("a",), "c": ()})[("a", "b")]
    ('spiking networks',)
    """
    ordered = sorted({p.id: p for p in papers}.values(), key=lambda p: p.id)
    if len(ordered) < 2:
        return {}
    index = {p.id: i for i, p in enumerate(ordered)}
    stop = stop_set(())
    X, vocab, _ = vectorize([paper_text(p, TITLE_WEIGHT) for p in ordered], stop)
    X = X.tocsr()
    rows: dict[int, dict[int, float]] = {}
    written: dict[int, _Written] = {}
    same = lru_cache(maxsize=1 << 16)(same_thing)  # the same few terms meet again and again

    def row(i: int) -> dict[int, float]:
        if i not in rows:
            lo, hi = X.indptr[i], X.indptr[i + 1]
            rows[i] = dict(zip(X.indices[lo:hi].tolist(), X.data[lo:hi].tolist()))
        return rows[i]

    def as_written(i: int) -> _Written:
        if i not in written:  # each paper's terms as it writes them, worked out once
            written[i] = _as_written(ordered[i], stop)
        return written[i]

    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for a, others in related_ids.items():
        if a not in index:
            continue
        wa = row(index[a])
        for b in others:
            if b not in index:
                continue
            wb = row(index[b])
            both = sorted(((w * wb[t], vocab[t]) for t, w in wa.items() if t in wb), key=lambda sw: (-sw[0], sw[1]))
            top = [term for _, term in both[: SHARED_POOL * limit]]
            in_pairs = {w for term in top if " " in term for w in term.split()}
            mine, theirs = as_written(index[a]), as_written(index[b])
            shown: list[str] = []
            for term in top:
                if len(shown) == limit:
                    break
                if " " not in term and term in in_pairs:  # "spiking network", not "spiking"
                    continue
                term = _whole(term, mine, theirs)
                w = mine.forms.get(term) or theirs.forms.get(term)
                if w and not any(same(w, s) for s in shown):  # not "SNN" after "spiking neural networks"
                    shown.append(w)
            out[(a, b)] = tuple(shown)
    return out


@dataclass(frozen=True)
class _Written:
    """A paper's terms as it writes them."""

    forms: dict[str, str]
    """Each word, word pair and run of three words (as keys) -> how the paper first writes it."""
    longer: dict[str, tuple[str, ...]]
    """Each word pair -> the runs of three words that start with it, in the paper's order."""


def _whole(term: str, a: _Written, b: _Written) -> str:
    """A word pair with the word that follows it in both papers, when one does: "spiking neural"
    -> "spiking neural networks" (terms are single words and pairs; a phrase ends in its noun).

    >>> def w(run): return _Written({run: run}, {run.rsplit(" ", 1)[0]: (run,)})
    >>> _whole("spiking neural", w("spiking neural network"), w("spiking neural network"))
    'spiking neural network'
    >>> _whole("spiking neural", w("spiking neural network"), w("spiking neural codes"))
    'spiking neural'
    """
    return next((k for k in a.longer.get(term, ()) if k in b.forms), term)


def _as_written(paper: Paper, stop: frozenset[str]) -> _Written:
    """A paper's words, word pairs and runs of three words, each as the paper first writes it; a
    capital that only starts a word is dropped (``Spiking`` -> ``spiking``), acronyms stay (``NSD``)."""
    forms: dict[str, str] = {}
    longer: dict[str, list[str]] = {}
    last = pair = None  # the word before, and the pair ending with it: (key, as written)
    for w in words(f"{paper.title}. {paper.abstract}"):
        k = word_key(w)
        if not k or k in stop:
            last = pair = None
            continue
        w = w.lower() if w[:1].isupper() and w[1:] == w[1:].lower() else w
        forms.setdefault(k, w)
        new_pair = None
        if last:
            new_pair = (f"{last[0]} {k}", f"{last[1]} {w}")
            forms.setdefault(*new_pair)
            if pair:
                run = f"{pair[0]} {k}"
                if run not in forms:
                    forms[run] = f"{pair[1]} {w}"
                    longer.setdefault(pair[0], []).append(run)
        last, pair = (k, w), new_pair
    return _Written(forms, {pair: tuple(runs) for pair, runs in longer.items()})


def _cutoff(X: sparse.csr_matrix, budget: float) -> float:
    """The highest document frequency whose terms, with all rarer ones, pair at most ``budget``
    papers (a term in ``df`` papers makes ``df * df`` products); all terms when they fit.

    >>> X = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1], [0, 1, 0]]))
    >>> _cutoff(X, 10), _cutoff(X, 100)
    (2.0, 4.0)
    """
    df = np.sort(np.bincount(X.indices, minlength=X.shape[1]))
    fits = np.flatnonzero(np.cumsum(df.astype(float) ** 2) <= budget)
    return float(df[fits[-1]]) if len(fits) else 1.0


class _Levels:
    """X cut to ever more common terms: candidates are looked for through the rarest terms
    first, and through more common ones only for papers that found fewer than ``k``."""

    def __init__(self, X: sparse.csr_matrix, cutoffs: list[float]) -> None:
        self.X, self.cutoffs, self.cut = X, cutoffs + [math.inf], {}
        self.df = np.bincount(X.indices, minlength=X.shape[1])

    def matrices(self, level: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        if level not in self.cut:
            M = self.X[:, np.flatnonzero(self.df <= self.cutoffs[level])].tocsr()
            self.cut[level] = (M, M.T.tocsr())
        return self.cut[level]

    def candidates(self, queries: np.ndarray, k: int, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(query, other, exact cosine) of the candidates at least ``floor`` close; a query looks
        through more common terms until it has ``k`` such candidates."""
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for level in range(len(self.cutoffs)):
            M, MT = self.matrices(level)
            rows, cols = _candidates(M[queries] @ MT, queries, CANDIDATES_PER_RESULT * k)
            exact = np.asarray(self.X[rows].multiply(self.X[cols]).sum(axis=1)).ravel()
            close = exact >= floor
            rows, cols, exact = rows[close], cols[close], exact[close]
            counts = np.bincount(np.searchsorted(queries, rows), minlength=len(queries))
            done = (counts >= k) if level < len(self.cutoffs) - 1 else np.ones(len(queries), dtype=bool)
            keep = np.isin(rows, queries[done])
            found.append((rows[keep], cols[keep], exact[keep]))
            queries = queries[~done]
            if not len(queries):
                break
        return tuple(np.concatenate(parts) for parts in zip(*found))  # type: ignore[return-value]


def _candidates(S: sparse.spmatrix, queries: np.ndarray, c: int) -> tuple[np.ndarray, np.ndarray]:
    """(query, other) index pairs: for each query (row of S), the others scoring at least its
    ``c``-th best score (ties kept, so the set never depends on sorting order); itself left out."""
    S = S.tocsr()
    rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for r, q in enumerate(queries.tolist()):
        lo, hi = S.indptr[r], S.indptr[r + 1]
        idx, data = S.indices[lo:hi], np.round(S.data[lo:hi], 9)
        ok = (idx != q) & (data > 0)
        idx, data = idx[ok], data[ok]
        if len(idx) > c:
            idx = idx[data >= -np.partition(-data, c - 1)[c - 1]]
        rows.append(np.full(len(idx), q, dtype=np.int64))
        cols.append(idx.astype(np.int64))
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
