"""Papers -> stored topics: primary by keyword pin or nearest centroid, then near secondary topics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ...model import Paper, Topic
from .settings import TopicModel, single_threaded
from .text import has_keyword, keyword_keys, paper_text, runs_text, segments
from .vectors import centroid_matrix, project_rows


@single_threaded
def assign(papers: Sequence[Paper], model: TopicModel) -> tuple[list[Paper], list[Topic]]:
    """Papers with ``.topics`` filled (primary first), and the topics: every stored topic
    (its URL is published, even if no paper is in it now), "Other Topics" only when used.
    Topics come in model order: by id, the catch-all last.

    Primary: the pinned topic whose keyword the paper contains, else the most
    similar centroid, else "Other Topics" when nothing reaches ``min_similarity``.
    Secondary: up to ``max_secondary`` more topics at least ``secondary_ratio``
    times as similar (and above ``secondary_min``).
    """
    chosen = choose_all(papers, model)
    ids = [t.id for t in model.topics]
    out = [replace(p, topics=tuple(ids[i] for i in picks)) for p, picks in zip(papers, chosen)]
    used = {i for picks in chosen for i in picks}
    return out, [t.topic for i, t in enumerate(model.topics) if i in used or not t.catch_all]


def choose_all(papers: Sequence[Paper], model: TopicModel) -> list[tuple[int, ...]]:
    """Topic indices (into ``model.topics``) for each paper, primary first."""
    if not papers:
        return []
    texts = [paper_text(p, model.title_weight) for p in papers]
    sims = _similarities(texts, model)
    other = _catch_all_index(model)
    if other is not None:
        sims[:, other] = -1.0
    order = np.argsort(-sims, axis=1, kind="stable")  # ties: the earlier topic first
    best = np.take_along_axis(sims, order[:, :1], axis=1)[:, 0]
    floor = np.maximum(model.secondary_min, model.secondary_ratio * best)
    out = []
    for r, pins in enumerate(_pin_matches(texts, model)):
        if pins:
            out.append(_choose_pinned(sims[r], pins, model))
        elif best[r] < model.min_similarity:
            out.append(() if other is None else (other,))
        else:
            rest = [int(i) for i in order[r, 1 : model.max_secondary + 1] if sims[r, i] >= floor[r]]
            out.append((int(order[r, 0]), *rest))
    return out


WHY_LIMIT = 4
"""Key phrases shown on the "Why here" line: enough to see the reason, short enough for one line."""


def why_here(paper: Paper, phrases: Sequence[str], limit: int = WHY_LIMIT) -> tuple[str, ...]:
    """The topic's key phrases (most distinctive first) that the paper's own text carries:
    what placed it in the topic, for the "Why here" line of its page. A phrase stored in lower
    case is shown as the paper writes it when the paper writes an acronym in it (``fMRI``).

    >>> from generator.model import Paper
    >>> abstract = "Energy-efficient neuromorphic hardware."
    >>> p = Paper("a", "a", "Spiking networks on chips", abstract, abstract, None, None, None, None, (), ())
    >>> why_here(p, ["spiking neural networks", "neuromorphic hardware", "spiking networks", "EEG"])
    ('neuromorphic hardware', 'spiking networks')
    """
    segs = segments(f"{paper.title}. {paper.abstract}")
    out: list[str] = []
    for ph in phrases:
        want = keyword_keys(ph)
        n = len(want)
        found = next(
            (
                " ".join(w for _, w in seg[i : i + n])
                for seg in segs
                for i in range(len(seg) - n + 1)
                if n and tuple(k for k, _ in seg[i : i + n]) == want
            ),
            None,
        )
        if found:
            acronym = any(w != w.lower() and w != w.capitalize() for w in found.split())
            out.append(found if acronym and ph == ph.lower() else ph)
    return tuple(out[:limit])


def confidences(papers: Sequence[Paper], model: TopicModel) -> list[tuple[tuple[int, ...], float]]:
    """Each paper's topic indices (as ``choose_all``) and its confidence: the cosine similarity
    of its text to its primary topic's centroid (0 for the catch-all and topics without one)."""
    if not papers:
        return []
    sims = _similarities([paper_text(p, model.title_weight) for p in papers], model)
    return [(c, float(sims[r, c[0]]) if c else 0.0) for r, c in enumerate(choose_all(papers, model))]


def _similarities(texts: list[str], model: TopicModel) -> np.ndarray:
    """Cosine similarity of every text to every topic (0 for topics without a centroid)."""
    sims = np.zeros((len(texts), len(model.topics)))
    C, owners = centroid_matrix(model)
    if owners:
        sims[:, owners] = (project_rows(texts, model) @ C.T).toarray()
    return np.round(sims, 9)  # ties stay ties whatever the summation order


def _pin_matches(texts: list[str], model: TopicModel) -> list[tuple[int, ...]]:
    """For each text, the topics whose pinned keywords it contains."""
    pins = [(i, [keyword_keys(k) for k in t.keywords]) for i, t in enumerate(model.topics) if t.keywords]
    if not pins:
        return [()] * len(texts)
    out = []
    for text in texts:
        runs = runs_text(text)
        out.append(tuple(i for i, kws in pins if any(has_keyword(runs, kw) for kw in kws)))
    return out


def _choose_pinned(sims: np.ndarray, pinned: tuple[int, ...], model: TopicModel) -> tuple[int, ...]:
    """Primary: the most similar pinned topic; then other pinned topics, then near ones."""
    primary = min(pinned, key=lambda i: (-sims[i], i))
    floor = max(model.secondary_min, model.secondary_ratio * sims[primary])
    rest = [i for i in range(len(sims)) if i != primary and (i in pinned or sims[i] >= floor)]
    rest.sort(key=lambda i: (i not in pinned, -sims[i], i))
    return (primary, *rest[: model.max_secondary])


def _catch_all_index(model: TopicModel) -> int | None:
    return next((i for i, t in enumerate(model.topics) if t.catch_all), None)
