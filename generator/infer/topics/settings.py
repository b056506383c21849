"""Topic records: the settings of a fit, one stored topic, the whole model; shared constants."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from threadpoolctl import threadpool_limits

from ...model import Topic

FORMAT = 1
"""Version of the model file layout."""
CATCH_ALL_ID = "other-papers"
CATCH_ALL_NAME = "Other Topics"
"""Honest: the papers no topic fits with confidence, whatever they are about."""
OLD_CATCH_ALL_NAME = "Other Papers"
"""The catch-all's earlier default name; a model that still has it takes the new one."""
DIGITS = 4
"""Decimals kept for every float in the model, so the file is stable."""


@dataclass(frozen=True)
class TopicSettings:
    """How topics are found and assigned; built from ``extra.atlas.topics`` in mkdocs.yml."""

    min_topics: int = 1
    """Fewest topics a fit may find (the catch-all not counted); fewer only when papers are fewer."""
    max_topics: int = 40
    """Most topics a fit may find, however large the corpus."""
    size_exponent: float = 0.5
    """Topics grow as papers ** size_exponent: the range is [n**e, 2 * n**e], 13-26 for 170 papers.
    (0.4, 8-16 topics, joined distinct subfields: NMI 0.61 against 0.66 over five seeds,
    ``benchmarks/topics_eval.py --seeds 5``.)"""
    min_topic_size: int = 2
    """Smallest group kept as a topic; smaller groups join their nearest topic or "Other Topics".
    Two papers can make a topic: each must be at least ``min_similarity`` close to the other's
    text, so a pair that survives shares a real theme (e.g. pruning and lottery tickets)."""
    max_secondary: int = 2
    """Most secondary topics per paper."""
    secondary_ratio: float = 0.55
    """A secondary topic needs at least this share of the primary topic's similarity."""
    secondary_min: float = 0.15
    """...and at least this cosine similarity."""
    min_similarity: float = 0.17
    """Confidence floor. A fitted paper less similar than this to its topic's centroid (counted
    without itself) leaves the topic; any paper below it for every topic goes to the catch-all
    "Other Topics" rather than under a confident name. (Seed papers whose own topic is this far
    are mostly misfits: 10 of the 14 under 0.15; at 0.2 a third of the catch-all would be papers
    of a clear subfield; ``benchmarks/topics_eval.py``.)"""
    title_weight: int = 2
    """How many times the title counts, against once for the abstract."""
    stop_words: tuple[str, ...] = ()
    """Extra words to ignore, e.g. the lab's own field name appearing everywhere (a list is fine)."""
    terms_per_topic: int = 300
    """Terms kept in each stored centroid (the file stays small; assignment barely changes)."""
    phrases_per_topic: int = 8
    """Key phrases listed for each topic."""
    sample_size: int = 2000
    """Most papers clustered directly; the others join by nearest centroid (keeps 20k papers fast)."""
    match_threshold: float = 0.35
    """On re-fit, an old and a new topic are the same topic above this score (shared papers + centroid)."""
    seed: int = 0
    """Random seed for LSA and k-means; results are deterministic for a given seed."""

    def __post_init__(self) -> None:
        problems = [
            f"{k}={getattr(self, k)!r} (expected an integer >= {low})"
            for k, low in _INT_LIMITS.items()
            if isinstance(getattr(self, k), bool) or not isinstance(getattr(self, k), int) or getattr(self, k) < low
        ]
        problems += [
            f"{k}={getattr(self, k)!r} (expected a number from 0 to 1)"
            for k in _SHARES
            if not isinstance(getattr(self, k), (int, float)) or not 0 <= getattr(self, k) <= 1
        ]
        if not problems and self.min_topics > self.max_topics:
            problems.append(f"min_topics={self.min_topics} > max_topics={self.max_topics}")
        if not isinstance(self.stop_words, (list, tuple)) or not all(isinstance(w, str) for w in self.stop_words):
            problems.append(f"stop_words={self.stop_words!r} (expected a list of words)")
        object.__setattr__(self, "stop_words", tuple(self.stop_words) if not problems else ())
        if problems:
            raise ValueError("topic settings: " + "; ".join(problems))


_INT_LIMITS = {
    "min_topics": 1,
    "max_topics": 1,
    "min_topic_size": 1,
    "max_secondary": 0,
    "title_weight": 1,
    "terms_per_topic": 1,
    "phrases_per_topic": 1,
    "sample_size": 4,
    "seed": 0,
}
_SHARES = ("size_exponent", "secondary_ratio", "secondary_min", "min_similarity", "match_threshold")


@dataclass(frozen=True)
class TopicEntry:
    """One stored topic: what the site shows, what the lab edited, and its centroid."""

    id: str
    """URL slug, e.g. ``"spiking-neural-networks"``; kept by every re-fit while the topic survives."""
    name: str
    """Readable name of 2 to 5 words."""
    description: str = ""
    """One line, e.g. ``"Papers on spiking neural networks, SNN and neuromorphic hardware."``"""
    phrases: tuple[str, ...] = ()
    """Key phrases as written in the papers, most distinctive first."""
    terms: tuple[tuple[str, float], ...] = ()
    """Sparse centroid over model terms, unit length, largest weight first."""
    keywords: tuple[str, ...] = ()
    """Lab pins: papers containing one of these words or phrases get this topic first."""
    name_locked: bool = False
    """Lab rename: a re-fit keeps ``name`` and ``description``."""
    catch_all: bool = False
    """The "Other Topics" topic: no centroid, takes papers like no other topic."""
    size: int = 0
    """Papers with this primary topic when the model was fitted."""

    @property
    def topic(self) -> Topic:
        """The record the rest of the site uses."""
        return Topic(
            id=self.id, name=self.name, description=self.description, phrases=self.phrases, catch_all=self.catch_all
        )


@dataclass(frozen=True)
class TopicModel:
    """Everything ``assign`` needs; serializable with ``model_to_json``."""

    topics: tuple[TopicEntry, ...] = ()
    """Sorted by id, the catch-all last."""
    idf: tuple[tuple[str, float], ...] = ()
    """Term -> idf for every term of any centroid, sorted by term."""
    redirects: tuple[tuple[str, str], ...] = ()
    """Retired topic id -> current topic id, sorted."""
    stop_words: tuple[str, ...] = ()
    title_weight: int = 2
    max_secondary: int = 2
    min_similarity: float = 0.17
    secondary_min: float = 0.15
    secondary_ratio: float = 0.55
    papers: int = 0


def single_threaded(func):
    """Run ``func`` with one BLAS thread: bit-for-bit repeatable sums, and no thread
    contention on a busy machine (a 2500 x 70 QR took 1.8 s instead of 0.02 s)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        with threadpool_limits(limits=1):
            return func(*args, **kwargs)

    return wrapper
