"""Terms -> TF-IDF rows: the fit's vocabulary (``vectorize``) and texts over a stored model (``project_rows``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from .settings import TopicModel
from .text import stop_set, word_key, words


class _WordIds(dict):
    """Written word -> word id, filled on first sight; -1 for marks, numbers and stop words.

    With ``known`` given the ids are fixed and unknown words get -1 too.
    """

    def __init__(self, stop: frozenset[str], known: dict[str, int] | None = None) -> None:
        super().__init__()
        self.stop, self.grow = stop, known is None
        self.known: dict[str, int] = {} if known is None else known

    def __missing__(self, word: str) -> int:
        k = word_key(word)
        if not k or k in self.stop:
            value = -1
        else:
            value = self.known.setdefault(k, len(self.known)) if self.grow else self.known.get(k, -1)
        self[word] = value
        return value


def _stream(texts: list[str], lookup: _WordIds, chunk: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """The word id of every token of every text (-1 for punctuation marks, stop words and
    numbers), and which text it is in. Chunked: the token strings of 20,000 abstracts
    would take 300 MB at once."""
    ids, lengths = [], []
    for start in range(0, len(texts), chunk):
        tokens: list[str] = []
        for t in texts[start : start + chunk]:
            ws = words(t)
            tokens += ws
            lengths.append(len(ws))
        ids.append(np.fromiter(map(lookup.__getitem__, tokens), dtype=np.int64, count=len(tokens)))
    flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
    return flat, np.repeat(np.arange(len(texts)), lengths)


def _pairs(ids: np.ndarray, doc: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of word pairs (two content words side by side in one text) and their codes."""
    if len(ids) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    a, b = ids[:-1], ids[1:]
    at = np.flatnonzero((a >= 0) & (b >= 0) & (doc[:-1] == doc[1:]))
    return at, a[at] * width + b[at]


def vectorize(
    texts: list[str], stop: frozenset[str], pairs: bool = True
) -> tuple[sparse.csr_matrix, list[str], np.ndarray]:
    """TF-IDF rows (sublinear tf, smooth idf, unit length) over the words and word pairs
    that ``terms()`` gives (words only without ``pairs``); the terms in alphabetical order
    and their idf.

    Terms in fewer than 2 or more than half of the papers are left out, unless the
    corpus is tiny (under 20 papers) or nothing would be left.
    """
    n = len(texts)
    lookup = _WordIds(stop)
    ids, doc = _stream(texts, lookup)
    width = len(lookup.known)
    if not width:
        return sparse.csr_matrix((n, 0)), [], np.zeros(0)
    uni = np.flatnonzero(ids >= 0)
    at, pair_codes = _pairs(ids, doc, width) if pairs else (np.zeros(0, dtype=np.int64),) * 2
    found, col = np.unique(pair_codes, return_inverse=True)  # words need no renumbering
    found = np.concatenate([np.arange(width), width + found])
    counts = sparse.csr_matrix(
        (
            np.ones(len(uni) + len(at)),
            (np.concatenate([doc[uni], doc[at]]), np.concatenate([ids[uni], width + col.ravel()])),
        ),
        shape=(n, len(found)),
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(found))
    for min_df, max_share in [(MIN_DF, MAX_DF_SHARE), (1, 1.0)] if n >= SMALL_CORPUS else [(1, 1.0)]:
        keep = np.flatnonzero((df >= min_df) & (df <= max_share * n))
        if len(keep):
            break
    if len(keep) > MAX_TERMS:
        total = np.asarray(counts[:, keep].sum(axis=0)).ravel()
        keep = np.sort(keep[np.lexsort((found[keep], -total))[:MAX_TERMS]])
    vocab = list(lookup.known)
    names = [
        vocab[c] if c < width else f"{vocab[(c - width) // width]} {vocab[(c - width) % width]}"
        for c in found[keep].tolist()
    ]
    order = sorted(range(len(names)), key=names.__getitem__)
    keep = keep[order]
    idf = np.log((1 + n) / (1 + df[keep])) + 1
    X = counts[:, keep].tocsr()
    X.data = (1.0 + np.log(X.data)) * idf[X.indices]
    return normalize(X), [names[i] for i in order], idf


MIN_DF = 2
"""A term must be in this many papers to count: a word of one paper groups nothing."""
MAX_DF_SHARE = 0.5
"""...and in at most this share of the papers: a word of most papers separates nothing."""
SMALL_CORPUS = 20
"""Under this many papers every term counts (the limits above would leave too few)."""
MAX_TERMS = 50_000
"""Most terms a fit looks at (the most frequent ones)."""


@dataclass(frozen=True)
class _Index:
    """The model's terms arranged for fast counting: word ids, and pairs as codes ``a * W + b``."""

    word_ids: dict[str, int]
    unigram_col: np.ndarray
    pair_codes: np.ndarray
    pair_cols: np.ndarray
    idf: np.ndarray
    stop: frozenset[str]


@lru_cache(maxsize=4)
def _index(model: TopicModel) -> _Index:
    word_ids: dict[str, int] = {}
    for term, _ in model.idf:
        for w in term.split():
            word_ids.setdefault(w, len(word_ids))
    unigram_col = np.full(max(1, len(word_ids)), -1, dtype=np.int64)
    codes, cols = [], []
    for col, (term, _) in enumerate(model.idf):
        parts = [word_ids[w] for w in term.split()]
        if len(parts) == 1:
            unigram_col[parts[0]] = col
        elif len(parts) == 2:
            codes.append(parts[0] * len(word_ids) + parts[1])
            cols.append(col)
    order = np.argsort(codes, kind="stable")
    return _Index(
        word_ids,
        unigram_col,
        np.asarray(codes, dtype=np.int64)[order],
        np.asarray(cols, dtype=np.int64)[order],
        np.array([v for _, v in model.idf]),
        stop_set(model.stop_words),
    )


def project_rows(texts: list[str], model: TopicModel) -> sparse.csr_matrix:
    """TF-IDF rows of texts over the model's terms, counted as ``vectorize`` counts them.

    Sublinear tf times stored idf, unit length. About 1 s for 20,000 abstracts.
    """
    ix = _index(model)
    ids, doc = _stream(texts, _WordIds(ix.stop, ix.word_ids))
    uni = np.flatnonzero(ids >= 0)
    uni = uni[ix.unigram_col[ids[uni]] >= 0]
    rows, cols = [doc[uni]], [ix.unigram_col[ids[uni]]]
    at, codes = _pairs(ids, doc, len(ix.word_ids))
    if len(ix.pair_codes) and len(codes):
        pos = np.minimum(np.searchsorted(ix.pair_codes, codes), len(ix.pair_codes) - 1)
        hit = ix.pair_codes[pos] == codes
        rows.append(doc[at[hit]])
        cols.append(ix.pair_cols[pos[hit]])
    r, c = np.concatenate(rows), np.concatenate(cols)
    X = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(texts), len(ix.idf)))
    X.sum_duplicates()
    X.data = (1.0 + np.log(X.data)) * ix.idf[X.indices]
    return normalize(X)


def centroid_matrix(model: TopicModel) -> tuple[sparse.csr_matrix, list[int]]:
    """Stored centroids as rows over the model's terms, and which topics they belong to."""
    index = {t: i for i, (t, _) in enumerate(model.idf)}
    owners = [i for i, t in enumerate(model.topics) if t.terms]
    rows, cols, vals = [], [], []
    for r, i in enumerate(owners):
        for term, w in model.topics[i].terms:
            rows.append(r)
            cols.append(index[term])
            vals.append(w)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(owners), len(index))), owners
