"""``fit``: papers -> vectors -> groups -> drafts -> a topic model, keeping what a previous model had."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ...model import Paper
from .assignment import choose_all
from .cluster import cluster_pool
from .drafts import draft_topic
from .identity import identify_topics
from .phrases import naming_docs
from .settings import CATCH_ALL_ID, DIGITS, TopicEntry, TopicModel, TopicSettings, single_threaded
from .text import has_keyword, keyword_keys, paper_text, runs_text, stop_set
from .vectors import vectorize


@single_threaded
def fit(
    papers: Sequence[Paper],
    settings: TopicSettings = TopicSettings(),  # noqa: B008 (frozen, shared safely)
    previous: TopicModel | None = None,
) -> tuple[TopicModel, dict[str, str]]:
    """Find topics in ``papers``; with ``previous``, keep the ids and lab edits of surviving topics.

    Returns the model and the redirects of this fit (retired topic id -> current id).
    The result depends only on the set of papers, not on their order.
    """
    papers = sorted(papers, key=lambda p: p.id)
    stop = stop_set(settings.stop_words)
    texts = [paper_text(p, settings.title_weight) for p in papers]
    X, vocab, idf = vectorize(texts, stop, pairs=WORD_PAIRS)
    pins = _pinned_groups(texts, previous)
    pinned = {i for _, members in pins for i in members}
    pool = np.array([i for i in range(len(papers)) if i not in pinned], dtype=int)
    labels = cluster_pool(X, pool, papers, settings, len(pins))
    groups = [tuple(pool[labels == c]) for c in sorted(set(labels.tolist()) - {-1})]
    groups.sort(key=lambda g: (-len(g), g))
    naming = naming_docs(papers, settings.sample_size, stop)
    drafts = [draft_topic(X, vocab, naming, g, settings) for g in groups]
    pinned_drafts = [draft_topic(X, vocab, naming, tuple(sorted(m)), settings, entry) for entry, m in pins]
    entries, redirects = identify_topics(drafts, pinned_drafts, papers, previous, settings)
    model = _model(entries, vocab, idf, settings, len(papers), previous, redirects)
    return _with_sizes(model, papers), redirects


WORD_PAIRS = False
"""Whether word pairs are terms of the topic vectors. Single words group better: pairs add
thousands of rare terms that tie papers by a shared phrasing rather than a subject (NMI on
the blind labels 0.686 -> 0.696 mean over five seeds with single words, fewer impure topics;
``benchmarks/topics_eval.py --seeds 5``). Names still come from phrases (``phrases.py``)."""


def _pinned_groups(texts: list[str], previous: TopicModel | None) -> list[tuple[TopicEntry, set[int]]]:
    """Previous topics with keywords, and the papers their keywords claim."""
    if previous is None:
        return []
    pinned = [t for t in previous.topics if t.keywords and not t.catch_all]
    if not pinned:
        return []
    keys = [runs_text(text) for text in texts]
    out = []
    for entry in pinned:
        kws = [keyword_keys(k) for k in entry.keywords]
        out.append((entry, {r for r, doc in enumerate(keys) if any(has_keyword(doc, kw) for kw in kws)}))
    return out


def _model(
    entries: list[TopicEntry],
    vocab: list[str],
    idf: np.ndarray,
    settings: TopicSettings,
    n: int,
    previous: TopicModel | None,
    redirects: dict[str, str],
) -> TopicModel:
    used = {t for e in entries for t, _ in e.terms}
    alive = {e.id for e in entries}
    carried = {a: redirects.get(b, b) for a, b in (previous.redirects if previous else ())}
    carried = {a: (b if b in alive else CATCH_ALL_ID) for a, b in {**carried, **redirects}.items() if a not in alive}
    return TopicModel(
        topics=tuple(sorted(entries, key=lambda e: (e.catch_all, e.id))),
        idf=tuple((t, round(float(v), DIGITS)) for t, v in sorted(zip(vocab, idf)) if t in used),
        redirects=tuple(sorted(carried.items())),
        stop_words=tuple(sorted(set(settings.stop_words))),
        title_weight=settings.title_weight,
        max_secondary=settings.max_secondary,
        min_similarity=settings.min_similarity,
        secondary_min=settings.secondary_min,
        secondary_ratio=settings.secondary_ratio,
        papers=n,
    )


def _with_sizes(model: TopicModel, papers: Sequence[Paper]) -> TopicModel:
    """The model with each topic's size = papers it is primary for."""
    counts = Counter(c[0] for c in choose_all(papers, model))
    return replace(model, topics=tuple(replace(t, size=counts.get(i, 0)) for i, t in enumerate(model.topics)))
