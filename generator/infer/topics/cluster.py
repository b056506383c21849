"""TF-IDF rows -> groups of papers: LSA, a k-means ensemble, consensus linkage, leave-one-out moves."""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from ...model import Paper
from .settings import TopicSettings


def topic_range(n: int, settings: TopicSettings) -> tuple[int, int]:
    """How many topics a corpus of ``n`` papers may have: grows as ``n ** size_exponent``.

    >>> s = TopicSettings()
    >>> topic_range(170, s), topic_range(5, s), topic_range(1, s), topic_range(20_000, s)
    ((13, 26), (2, 2), (1, 1), (40, 40))
    """
    if n <= 0:
        return 0, 0
    base = n**settings.size_exponent
    hi = max(1, min(settings.max_topics, round(2 * base), n // settings.min_topic_size))
    return min(hi, max(settings.min_topics, round(base))), hi


def cluster_pool(
    X: sparse.csr_matrix, pool: np.ndarray, papers: Sequence[Paper], settings: TopicSettings, n_pinned: int
) -> np.ndarray:
    """A group label for each paper of the pool; -1 for papers left to the catch-all or nearest topic.

    The consensus clusters a sample; then every paper is moved, a few times over, to the
    group whose centroid *without itself* is closest: the way a new paper would be judged.
    """
    labels = np.full(len(pool), -1)
    lo, hi = topic_range(len(papers), settings)
    lo, hi = max(1, lo - n_pinned), max(1, hi - n_pinned)
    has_text = np.flatnonzero(X[pool].getnnz(axis=1) > 0) if len(pool) else np.zeros(0, int)
    if len(has_text) == 0:
        return labels
    sample = sample_rows(has_text, pool, papers, settings.sample_size)
    found = _drop_small(_consensus(X[pool[sample]], lo, hi, settings.seed), settings.min_topic_size)
    if found.max() < 0:
        return labels
    rows = X[pool[has_text]]
    start = np.full(len(has_text), -1)
    start[np.searchsorted(has_text, sample)] = found
    moved = _reassign(rows, start, LOO_PASSES)
    loo = _loo_similarity(rows, moved)
    own = loo[np.arange(len(moved)), moved]
    moved[own < settings.min_similarity] = -1  # unsure: the catch-all, unless another topic is close
    moved = _drop_small(moved, settings.min_topic_size)
    labels[has_text] = _drop_small(_without_drawers(rows, moved, settings.min_similarity), settings.min_topic_size)
    return labels


DRAWER_RATIO = 1.1
"""A group whose median member is less than this many times ``min_similarity`` close to the
rest of it is a junk drawer of papers that fit nowhere, not a topic: it is dissolved. (On the
seeds one such group of 30 papers sits at 0.15; every real topic's median is 0.2 or more.)"""


def _without_drawers(X: sparse.csr_matrix, labels: np.ndarray, floor: float) -> np.ndarray:
    """Labels with the junk drawers (see ``DRAWER_RATIO``) set to -1."""
    if labels.max() < 0:
        return labels
    loo = _loo_similarity(X, labels)
    out = labels.copy()
    for c in range(labels.max() + 1):
        idx = np.flatnonzero(labels == c)
        if len(idx) and np.median(loo[idx, c]) < DRAWER_RATIO * floor:
            out[idx] = -1
    return out


LOO_PASSES = 3
"""Passes of leave-one-out reassignment after the consensus."""


def _reassign(X: sparse.csr_matrix, labels: np.ndarray, passes: int) -> np.ndarray:
    """Move each row to the group with the most similar centroid, its own contribution left out.

    Rows labelled -1 (not yet clustered) join their nearest group and count from then on.
    """
    for _ in range(passes):
        new = np.round(_loo_similarity(X, labels), 9).argmax(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _loo_similarity(X: sparse.csr_matrix, labels: np.ndarray) -> np.ndarray:
    """Cosine similarity of each row to each group's centroid, a row's own group counted without it."""
    k = labels.max() + 1
    member = sparse.csr_matrix(
        (np.ones(int((labels >= 0).sum())), (np.flatnonzero(labels >= 0), labels[labels >= 0])), shape=(X.shape[0], k)
    )
    sums = np.asarray((member.T @ X).todense())  # k x terms
    dots = np.asarray(X @ sums.T)  # row . sum of each group
    norms2 = (sums * sums).sum(axis=1)
    own = np.flatnonzero(labels >= 0)
    self2 = np.asarray(X[own].multiply(X[own]).sum(axis=1)).ravel()
    d_own = dots[own, labels[own]]
    loo = dots / np.sqrt(np.maximum(norms2, 1e-12))
    loo[own, labels[own]] = (d_own - self2) / np.sqrt(np.maximum(norms2[labels[own]] - 2 * d_own + self2, 1e-12))
    return loo


def sample_rows(rows: np.ndarray, pool: np.ndarray, papers: Sequence[Paper], size: int) -> np.ndarray:
    """At most ``size`` of ``rows``, chosen by a hash of the paper id (stable as papers come and go)."""
    if len(rows) <= size:
        return rows
    order = sorted(rows, key=lambda r: (zlib.crc32(papers[pool[r]].id.encode("utf-8")), papers[pool[r]].id))
    return np.sort(np.array(order[:size], dtype=int))


def _consensus(X: sparse.csr_matrix, lo: int, hi: int, seed: int) -> np.ndarray:
    """Cluster labels 0..k-1: k-means ensemble over LSA sizes -> co-association -> average linkage.

    The number of clusters is the k in ``[lo, hi]`` with the best silhouette over the
    co-association distance (how often two papers were apart): a cut that keeps together what
    the runs keep together, judged by all the LSA sizes at once rather than one of them
    (NMI 0.686 -> 0.696 over five seeds, with ``WORD_PAIRS`` off; min 0.667 -> 0.683).
    """
    n = X.shape[0]
    if hi < 2 or n < 4 or X.shape[1] < 3:
        return np.zeros(n, dtype=int)
    base = max(2, round(LSA_PER_ROOT * math.sqrt(n)))
    top = min(n - 1, X.shape[1] - 1, 2 * base, MAX_LSA_DIMS)
    Z = TruncatedSVD(top, algorithm="randomized", n_iter=SVD_ITERATIONS, random_state=seed).fit_transform(X)
    dims = sorted({max(2, min(top, round(base * f))) for f in LSA_SIZES})
    ks = sorted({int(k) for k in np.linspace(max(2, lo), max(2, hi * K_OVERSHOOT), K_STEPS).round() if 2 <= k < n})
    co = np.zeros((n, n), dtype=np.float32)
    runs = 0
    for d in dims:
        Zd = normalize(Z[:, :d])
        for k in ks:
            for _run in range(ENSEMBLE_SEEDS):
                lab = KMeans(k, init="k-means++", n_init=1, random_state=seed * 1000 + runs).fit_predict(Zd)
                co += lab[:, None] == lab[None, :]
                runs += 1
    distance = 1.0 - co / runs
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    return _best_cut(tree, distance, lo, hi)


ENSEMBLE_SEEDS = 3
"""k-means runs per (LSA size, k) in the consensus: enough for stable co-association counts."""
LSA_PER_ROOT = 2.3
"""LSA dimensions per square root of the papers (about 30 for 170): enough to keep subfields
apart, few enough that k-means still sees distances rather than noise."""
MAX_LSA_DIMS = 100
"""Most LSA dimensions computed, whatever the corpus (the SVD's cost grows with them)."""
SVD_ITERATIONS = 7
"""Power iterations of the randomized SVD (scikit-learn's default for few components)."""
LSA_SIZES = (0.6, 1.0, 1.4, 2.0)
"""LSA sizes of the ensemble, as shares of the base size: groups that hold at every size are real."""
K_OVERSHOOT = 1.25
"""The ensemble's k-means runs go up to this many times the largest topic count: finer runs
split joined subfields apart in the co-association, coarser cuts of the tree join them back."""
K_STEPS = 7
"""Different k of the ensemble between the smallest and the overshoot."""


def _best_cut(tree: np.ndarray, distance: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The cut of the tree, with lo..hi clusters, that has the best silhouette over ``distance``
    (a square matrix of distances between the clustered rows)."""
    best: tuple[float, np.ndarray] | None = None
    for k in range(max(2, lo), hi + 1):
        lab = fcluster(tree, k, criterion="maxclust") - 1
        if not 2 <= len(set(lab.tolist())) < len(lab):
            continue
        score = silhouette_score(distance, lab, metric="precomputed")
        if best is None or score > best[0] + 1e-9:
            best = (score, lab)
    return best[1] if best else np.zeros(distance.shape[0], dtype=int)


def _drop_small(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Renumber clusters 0..k-1 by first appearance; clusters under ``min_size`` become -1.

    ``min_size`` shrinks for tiny corpora so that a handful of papers still gets a topic.
    """
    counts = Counter(c for c in labels.tolist() if c >= 0)  # -1 (no group) stays -1
    min_size = min(min_size, max(1, len(labels) // (2 * max(1, len(counts)))))
    keep = [c for c in dict.fromkeys(labels.tolist()) if c >= 0 and counts[c] >= min_size]
    new = {c: i for i, c in enumerate(keep)}
    return np.array([new.get(c, -1) for c in labels.tolist()], dtype=int)
