"""``report``: a topic model's topics and quality figures (coherence, diversity, separation) on papers."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.metrics import silhouette_score

from ...model import Paper
from .assignment import confidences
from .cluster import sample_rows
from .drafts import name_coverage
from .phrases import phrase_keys
from .settings import TopicModel, single_threaded
from .text import paper_text, runs_text, stop_set, word_key, words
from .vectors import project_rows


@single_threaded
def report(papers: Sequence[Paper], model: TopicModel) -> str:
    """A plain-text report: each topic's size, name and key phrases, then quality figures.

    * coherence: mean cosine similarity between two papers of the same topic (size-weighted),
      and the mean NPMI of each topic's top five phrases (do they occur in the same papers?);
    * diversity: share of distinct phrases among all topics' key phrases (1 = no overlap);
    * separation: cosine silhouette of the primary topics (-1..1, above 0: apart).
    """
    judged = confidences(papers, model)
    chosen = [c for c, _ in judged]
    primary = np.array([c[0] if c else -1 for c in chosen], dtype=int)
    sizes = Counter(primary.tolist())
    lines = [
        f"{len(papers)} papers, {sum(1 for i in sizes if i >= 0 and not model.topics[i].catch_all)} topics",
        "  size  name  [id]  name coverage (members whose text carries the name)  "
        "confidence min/median/max (similarity to the topic)  key phrases",
    ]
    for i, t in enumerate(model.topics):
        if sizes.get(i) or not t.catch_all:
            members = [papers[r] for r in np.flatnonzero(primary == i)]
            conf = sorted(c for (picks, c) in judged if picks and picks[0] == i)
            keys = [runs_text(f"{p.title}. {p.abstract}") for p in members]
            cover = "-" if t.catch_all else f"{name_coverage(t.name, keys):.0%}"
            spread = f"{conf[0]:.2f}/{conf[len(conf) // 2]:.2f}/{conf[-1]:.2f}" if conf and not t.catch_all else "-"
            lines.append(
                f"{sizes.get(i, 0):6d}  {t.name}  [{t.id}]  coverage {cover}  confidence {spread}: "
                f"{', '.join(t.phrases[:6])}"
            )
    X = project_rows([paper_text(p, model.title_weight) for p in papers], model) if papers else None
    figures = _quality(X, primary, papers, model)
    lines.append(f"{sum(len(c) > 1 for c in chosen)} papers also have secondary topics")
    lines += [f"{name}: {value:.3f}" if value == value else f"{name}: n/a" for name, value in figures]
    return "\n".join(lines) + "\n"


def _quality(
    X: sparse.csr_matrix | None, primary: np.ndarray, papers: Sequence[Paper], model: TopicModel
) -> list[tuple[str, float]]:
    real = [i for i, t in enumerate(model.topics) if not t.catch_all and t.phrases]
    return [
        ("coherence, mean similarity within topics", _within(X, primary)),
        ("coherence, NPMI of top 5 phrases", _npmi(papers, [model.topics[i].phrases[:5] for i in real], model)),
        ("diversity, distinct share of key phrases", _diversity([model.topics[i].phrases for i in real])),
        ("separation, silhouette", _separation(X, primary)),
    ]


def _within(X: sparse.csr_matrix | None, primary: np.ndarray) -> float:
    """Size-weighted mean cosine similarity of two distinct papers of the same topic."""
    total, pairs = 0.0, 0
    for t in set(primary.tolist()) - {-1}:
        rows = X[np.flatnonzero(primary == t)]
        n = rows.shape[0]
        if n > 1:
            s = np.asarray(rows.sum(axis=0)).ravel()
            total += (s @ s - rows.multiply(rows).sum()) / 2
            pairs += n * (n - 1) // 2
    return total / pairs if pairs else float("nan")


def _npmi(papers: Sequence[Paper], tops: list[tuple[str, ...]], model: TopicModel) -> float:
    """Mean over topics of the mean NPMI of pairs of their phrases, by papers containing both."""
    if not papers or not tops:
        return float("nan")
    everyone = np.arange(len(papers))
    stop = stop_set(model.stop_words)
    docs = [phrase_keys(papers[i], stop) for i in sample_rows(everyone, everyone, papers, 2000)]
    n = len(docs)
    scores = []
    for phrases in tops:
        keys = [" ".join(word_key(w) for w in words(p)) for p in phrases]
        pair_scores = []
        for a in range(len(keys)):
            for b in range(a + 1, len(keys)):
                pa, pb = (sum(k in d for d in docs) / n for k in (keys[a], keys[b]))
                pab = sum(keys[a] in d and keys[b] in d for d in docs) / n
                pair_scores.append(
                    -1.0 if pab == 0 else 0.0 if pab == 1 else math.log(pab / (pa * pb)) / -math.log(pab)
                )
        if pair_scores:
            scores.append(sum(pair_scores) / len(pair_scores))
    return sum(scores) / len(scores) if scores else float("nan")


def _diversity(phrase_lists: list[tuple[str, ...]]) -> float:
    """Distinct phrases over all phrases (lower case), e.g. 0.95."""
    flat = [p.lower() for ps in phrase_lists for p in ps]
    return len(set(flat)) / len(flat) if flat else float("nan")


def _separation(X: sparse.csr_matrix | None, primary: np.ndarray) -> float:
    """Cosine silhouette of the primary topics (on at most 2,000 papers, fixed sample)."""
    keep = np.flatnonzero((primary >= 0) & (np.asarray(X.getnnz(axis=1)).ravel() > 0)) if X is not None else []
    labels = primary[keep] if len(keep) else primary[:0]
    if not 2 <= len(set(labels.tolist())) < len(keep):
        return float("nan")
    return float(silhouette_score(X[keep], labels, metric="cosine", sample_size=min(2000, len(keep)), random_state=0))
