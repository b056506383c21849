"""Infer stage: topics from titles and abstracts, and their assignment to papers. Pure.

Two steps, kept apart so that published topic URLs never move by accident:

* ``fit(papers, settings, previous)`` finds topics. Explicit and rare
  (``python -m generator topics --refit``; a build only fits when there is no model).
  TF-IDF of words and word pairs (light stemming, stop words) -> LSA at a few
  sizes -> an ensemble of k-means runs -> how often two papers fall together ->
  average linkage on that -> the number of topics chosen by silhouette within a
  range that grows slowly with the corpus (about 8-16 for 170 papers) -> each
  paper moved to the topic whose centroid *without itself* is closest, as a new
  paper would be. Groups under ``min_topic_size`` are dissolved; papers close to
  no topic go to "Other Papers". Each topic is stored as a sparse centroid over
  terms, with a name drawn from its most distinctive phrases (F1 of coverage and
  precision). Large corpora are clustered on a fixed sample and the rest joins
  by nearest centroid. With ``previous`` given, topics that survive (matched one
  to one by shared papers and centroid similarity) keep their ids, names while
  they still fit, and lab edits; the others are retired with a redirect.
* ``assign(papers, model)`` puts each paper under the stored topics: primary =
  most similar centroid, then up to two secondary topics that are nearly as close.
  A paper is judged alone, so adding a listing never moves another paper, and
  stored topics are never renamed, merged or moved by a build.

The model file (``seeds/_topics.json``; ``model_to_json``/``model_from_json``)::

    {"format": 1,
     "analysis": {"stop_words": [...], "title_weight": 2},     # how text becomes terms
     "assignment": {"max_secondary": 2, "min_similarity": 0.1,
                    "secondary_min": 0.15, "secondary_ratio": 0.55},
     "papers": 170,                                              # corpus size at fit
     "redirects": {"old-topic-id": "new-topic-id"},              # retired ids, kept for ever
     "topics": [{"id": "spiking-neural-networks",                # URL slug; never changes
                 "name": "Spiking Neural Networks",              # 2-5 words
                 "description": "Papers on ...",                 # one line
                 "phrases": ["spiking neural networks", ...],    # key phrases
                 "name_locked": false,   # lab edit: true keeps name and description on re-fit
                 "keywords": [],         # lab edit: papers containing one are put here first
                 "catch_all": false,     # the "Other Papers" topic (no centroid)
                 "size": 12,             # papers at fit (informational)
                 "terms": {"spiking": 0.31, ...}}],              # centroid, unit length
     "vocabulary": {"spiking": 4.1, "spiking neural": 4.3, ...}}  # term -> idf

A lab may rename a topic (edit ``name``/``description``, set ``name_locked``),
pin it with ``keywords`` (whole words or phrases, any case: a paper containing one
gets that topic as primary, and the keywords' terms join its centroid), or add a
topic by hand with just ``id``, ``name`` and ``keywords``. All of it survives a
re-fit; ``phrases``, ``terms`` and ``size`` are recomputed by every fit.
"""
from __future__ import annotations

import json
import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache, wraps

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from scipy.optimize import linear_sum_assignment
from slugify import slugify
from threadpoolctl import threadpool_limits
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

from .model import Paper, Topic

FORMAT = 1
"""Version of the model file layout."""
CATCH_ALL_ID = "other-papers"
CATCH_ALL_NAME = "Other Papers"
DIGITS = 4
"""Decimals kept for every float in the model, so the file is stable."""

BOILERPLATE = frozenset("""
    abstract achieve achieved achieves achieving address addresses al allow allows approach approaches available
    based benchmark benchmarks better challenge challenges challenging code compared conduct contribution
    contributions demonstrate demonstrated demonstrates design designed despite develop developed different
    effective effectively efficient especially evaluate evaluated existing experiment experiments extensive
    finally findings framework furthermore github great help high highly http https improve improved
    improvement improves improving including introduce introduced key large limited lower make making
    method methods moreover novel offer offers outperform outperforms overall paper particular particularly
    performance perform performs present presented prior problem problems promising propose proposed
    provide provides recent recently remain remains result results reveal reveals second significant
    significantly state-of-the-art study studies suggest superior task tasks techniques trained training
    use used uses using various way ways widely work works com html io org www
""".split())
"""Words of academic prose that never name a topic (on top of scikit-learn's English stop words)."""

PROSE_PHRASES = frozenset(p.strip() for p in """
    case study; diverse data; draw inspiration; future research; going deeper; great potential;
    large scale; large-scale; long standing; long-standing; open source; open-source; real world;
    real-world; shed light; valuable tool; wide range; wide variety""".split(";"))
"""Phrases of academic prose, never shown as key phrases (single words: see ``BOILERPLATE``)."""
_SMALL_WORDS = frozenset("a an and as at by for from in of on or the to via vs with".split())


@dataclass(frozen=True)
class TopicSettings:
    """How topics are found and assigned; built from ``extra.atlas.topics`` in mkdocs.yml."""

    min_topics: int = 1
    """Fewest topics a fit may find (the catch-all not counted); fewer only when papers are fewer."""
    max_topics: int = 40
    """Most topics a fit may find, however large the corpus."""
    size_exponent: float = 0.4
    """Topics grow as papers ** size_exponent: the range is [n**e, 2 * n**e], 8-16 for 170 papers."""
    min_topic_size: int = 3
    """Smallest group kept as a topic; smaller groups join their nearest topic or "Other Papers"."""
    max_secondary: int = 2
    """Most secondary topics per paper."""
    secondary_ratio: float = 0.55
    """A secondary topic needs at least this share of the primary topic's similarity."""
    secondary_min: float = 0.15
    """...and at least this cosine similarity."""
    min_similarity: float = 0.1
    """Below this similarity to every topic, a paper goes to "Other Papers"."""
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
        problems = [f"{k}={getattr(self, k)!r} (expected an integer >= {low})" for k, low in _INT_LIMITS.items()
                    if isinstance(getattr(self, k), bool) or not isinstance(getattr(self, k), int)
                    or getattr(self, k) < low]
        problems += [f"{k}={getattr(self, k)!r} (expected a number from 0 to 1)" for k in _SHARES
                     if not isinstance(getattr(self, k), (int, float)) or not 0 <= getattr(self, k) <= 1]
        if not problems and self.min_topics > self.max_topics:
            problems.append(f"min_topics={self.min_topics} > max_topics={self.max_topics}")
        if not isinstance(self.stop_words, (list, tuple)) or not all(isinstance(w, str) for w in self.stop_words):
            problems.append(f"stop_words={self.stop_words!r} (expected a list of words)")
        object.__setattr__(self, "stop_words", tuple(self.stop_words) if not problems else ())
        if problems:
            raise ValueError("topic settings: " + "; ".join(problems))


_INT_LIMITS = {"min_topics": 1, "max_topics": 1, "min_topic_size": 1, "max_secondary": 0, "title_weight": 1,
               "terms_per_topic": 1, "phrases_per_topic": 1, "sample_size": 4, "seed": 0}
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
    """The "Other Papers" topic: no centroid, takes papers like no other topic."""
    size: int = 0
    """Papers with this primary topic when the model was fitted."""

    @property
    def topic(self) -> Topic:
        """The record the rest of the site uses."""
        return Topic(id=self.id, name=self.name, description=self.description, phrases=self.phrases)


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
    min_similarity: float = 0.1
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


# --------------------------------------------------------------------------- text

@lru_cache(maxsize=None)
def stem(word: str) -> str:
    """A light, predictable English stemmer: plurals only.

    >>> [stem(w) for w in ("networks", "studies", "patches", "processes", "analysis", "llms")]
    ['network', 'study', 'patch', 'process', 'analysis', 'llm']
    """
    word = word.removesuffix("'s")
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "series", "species")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


BREAK = "\x00"
"""Mark left by punctuation that ends a phrase (pairs of words never span it)."""
_CUTS = ".,;:!?()[]{}\"|/\u201c\u201d\u2014\u2013\u2026\u00b7"
_UNICODE_SPACES = "\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200b)))
_TABLE = str.maketrans({**{c: " " for c in "#$%&*+<=>@\\^_`~\t\n\r\x01\u2018" + _UNICODE_SPACES},
                        **{c: BREAK for c in _CUTS}, "\u2019": "'"})
"""One character for one: str.translate then takes its fast path (6x faster)."""


def words(text: str) -> list[str]:
    """Words as written, with ``BREAK`` where punctuation cuts a phrase.

    >>> words("Spiking networks (SNNs) on FPGAs, e.g.") == [
    ...     "Spiking", "networks", BREAK, "SNNs", BREAK, "on", "FPGAs", BREAK, "e", BREAK, "g", BREAK]
    True
    """
    return text.translate(_TABLE).replace(BREAK, f" {BREAK} ").split()


@lru_cache(maxsize=1_000_000)
def word_key(word: str) -> str:
    """A word as compared: lower case, no plural; ``""`` for marks, numbers and single letters.

    >>> [word_key(w) for w in ("Networks", "LLMs", "brain's", "3D", "2023", "-based", BREAK)]
    ['network', 'llm', 'brain', '3d', '', 'based', '']
    """
    w = word.lower().strip("-'")
    return stem(w) if len(w) > 1 and any(c.isalpha() for c in w) else ""


def _stop_set(extra: Iterable[str]) -> frozenset[str]:
    return frozenset(word_key(w) for w in (*ENGLISH_STOP_WORDS, *BOILERPLATE, *extra)) - {""}


def segments(text: str) -> list[list[tuple[str, str]]]:
    """Runs of words between punctuation, each word as ``(key, as written)``.

    >>> segments("Spiking networks (SNNs), on FPGAs.")
    [[('spiking', 'Spiking'), ('network', 'networks')], [('snn', 'SNNs')], [('on', 'on'), ('fpga', 'FPGAs')]]
    """
    runs: list[list[tuple[str, str]]] = [[]]
    for w in words(text):
        if w == BREAK:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((word_key(w), w))
    return [r for r in runs if r]


def terms(text: str, stop: frozenset[str]) -> list[str]:
    """Words and word pairs of a text; stop words and numbers out, pairs never across them.

    >>> terms("Decoding speech from brain signals, 2023.", _stop_set(()))
    ['decoding', 'speech', 'brain', 'signal', 'decoding speech', 'brain signal']
    """
    out: list[str] = []
    pairs: list[str] = []
    prev = ""
    for w in words(text):
        k = word_key(w)
        if not k or k in stop:
            prev = ""
            continue
        out.append(k)
        if prev:
            pairs.append(f"{prev} {k}")
        prev = k
    return out + pairs


def paper_text(paper: Paper, title_weight: int) -> str:
    """The text a paper is judged by: the title (weighted) and the abstract."""
    return ". ".join([paper.title] * title_weight + [paper.abstract])


def _keyword_keys(keyword: str) -> tuple[str, ...]:
    """A pinned keyword as word keys: ``"Spiking Networks"`` -> ``('spiking', 'network')``."""
    return tuple(k for seg in segments(keyword) for k, _ in seg)


def _has_keyword(text_keys: list[list[str]], keys: tuple[str, ...]) -> bool:
    """Whether a run of words holds the keyword's words in order, side by side."""
    n = len(keys)
    return n > 0 and any(tuple(seg[i:i + n]) == keys for seg in text_keys for i in range(len(seg) - n + 1))


# --------------------------------------------------------------------------- vectors

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
        for t in texts[start:start + chunk]:
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


def _vectorize(texts: list[str], stop: frozenset[str], pairs: bool = True
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
    found, col = np.unique(pair_codes, return_inverse=True)      # words need no renumbering
    found = np.concatenate([np.arange(width), width + found])
    counts = sparse.csr_matrix((np.ones(len(uni) + len(at)), (np.concatenate([doc[uni], doc[at]]),
                                np.concatenate([ids[uni], width + col.ravel()]))), shape=(n, len(found)))
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(found))
    for min_df, max_share in ([(2, 0.5), (1, 1.0)] if n >= 20 else [(1, 1.0)]):
        keep = np.flatnonzero((df >= min_df) & (df <= max_share * n))
        if len(keep):
            break
    if len(keep) > MAX_TERMS:
        total = np.asarray(counts[:, keep].sum(axis=0)).ravel()
        keep = np.sort(keep[np.lexsort((found[keep], -total))[:MAX_TERMS]])
    vocab = list(lookup.known)
    names = [vocab[c] if c < width else f"{vocab[(c - width) // width]} {vocab[(c - width) % width]}"
             for c in found[keep].tolist()]
    order = sorted(range(len(names)), key=names.__getitem__)
    keep = keep[order]
    idf = np.log((1 + n) / (1 + df[keep])) + 1
    X = counts[:, keep].tocsr()
    X.data = (1.0 + np.log(X.data)) * idf[X.indices]
    return normalize(X), [names[i] for i in order], idf


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
    return _Index(word_ids, unigram_col, np.asarray(codes, dtype=np.int64)[order],
                  np.asarray(cols, dtype=np.int64)[order], np.array([v for _, v in model.idf]),
                  _stop_set(model.stop_words))


def _project(texts: list[str], model: TopicModel) -> sparse.csr_matrix:
    """TF-IDF rows of texts over the model's terms, counted as ``_vectorize`` counts them.

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


def _centroid_matrix(model: TopicModel) -> tuple[sparse.csr_matrix, list[int]]:
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


# --------------------------------------------------------------------------- assign

@single_threaded
def assign(papers: Sequence[Paper], model: TopicModel) -> tuple[list[Paper], list[Topic]]:
    """Papers with ``.topics`` filled (primary first), and the topics: every stored topic
    (its URL is published, even if no paper is in it now), "Other Papers" only when used.
    Topics come in model order: by id, the catch-all last.

    Primary: the pinned topic whose keyword the paper contains, else the most
    similar centroid, else "Other Papers" when nothing reaches ``min_similarity``.
    Secondary: up to ``max_secondary`` more topics at least ``secondary_ratio``
    times as similar (and above ``secondary_min``).
    """
    chosen = _choose_all(papers, model)
    ids = [t.id for t in model.topics]
    out = [replace(p, topics=tuple(ids[i] for i in picks)) for p, picks in zip(papers, chosen)]
    used = {i for picks in chosen for i in picks}
    return out, [t.topic for i, t in enumerate(model.topics) if i in used or not t.catch_all]


def _choose_all(papers: Sequence[Paper], model: TopicModel) -> list[tuple[int, ...]]:
    """Topic indices (into ``model.topics``) for each paper, primary first."""
    if not papers:
        return []
    texts = [paper_text(p, model.title_weight) for p in papers]
    sims = _similarities(texts, model)
    other = _catch_all_index(model)
    if other is not None:
        sims[:, other] = -1.0
    order = np.argsort(-sims, axis=1, kind="stable")          # ties: the earlier topic first
    best = np.take_along_axis(sims, order[:, :1], axis=1)[:, 0]
    floor = np.maximum(model.secondary_min, model.secondary_ratio * best)
    out = []
    for r, pins in enumerate(_pin_matches(texts, model)):
        if pins:
            out.append(_choose_pinned(sims[r], pins, model))
        elif best[r] < model.min_similarity:
            out.append(() if other is None else (other,))
        else:
            rest = [int(i) for i in order[r, 1:model.max_secondary + 1] if sims[r, i] >= floor[r]]
            out.append((int(order[r, 0]), *rest))
    return out


def _similarities(texts: list[str], model: TopicModel) -> np.ndarray:
    """Cosine similarity of every text to every topic (0 for topics without a centroid)."""
    sims = np.zeros((len(texts), len(model.topics)))
    C, owners = _centroid_matrix(model)
    if owners:
        sims[:, owners] = (_project(texts, model) @ C.T).toarray()
    return np.round(sims, 9)     # ties stay ties whatever the summation order


def _pin_matches(texts: list[str], model: TopicModel) -> list[tuple[int, ...]]:
    """For each text, the topics whose pinned keywords it contains."""
    pins = [(i, [_keyword_keys(k) for k in t.keywords]) for i, t in enumerate(model.topics) if t.keywords]
    if not pins:
        return [()] * len(texts)
    out = []
    for text in texts:
        keys = [[k for k, _ in seg] for seg in segments(text)]
        out.append(tuple(i for i, kws in pins if any(_has_keyword(keys, kw) for kw in kws)))
    return out


def _choose_pinned(sims: np.ndarray, pinned: tuple[int, ...], model: TopicModel) -> tuple[int, ...]:
    """Primary: the most similar pinned topic; then other pinned topics, then near ones."""
    primary = min(pinned, key=lambda i: (-sims[i], i))
    floor = max(model.secondary_min, model.secondary_ratio * sims[primary])
    rest = [i for i in range(len(sims)) if i != primary and (i in pinned or sims[i] >= floor)]
    rest.sort(key=lambda i: (i not in pinned, -sims[i], i))
    return (primary, *rest[:model.max_secondary])


def _catch_all_index(model: TopicModel) -> int | None:
    return next((i for i, t in enumerate(model.topics) if t.catch_all), None)


# --------------------------------------------------------------------------- fit

def topic_range(n: int, settings: TopicSettings) -> tuple[int, int]:
    """How many topics a corpus of ``n`` papers may have: grows as ``n ** size_exponent``.

    >>> s = TopicSettings()
    >>> topic_range(170, s), topic_range(5, s), topic_range(1, s), topic_range(20_000, s)
    ((8, 16), (1, 1), (1, 1), (40, 40))
    """
    if n <= 0:
        return 0, 0
    base = n ** settings.size_exponent
    hi = max(1, min(settings.max_topics, round(2 * base), n // settings.min_topic_size))
    return min(hi, max(settings.min_topics, round(base))), hi


@single_threaded
def fit(papers: Sequence[Paper], settings: TopicSettings = TopicSettings(),
        previous: TopicModel | None = None) -> tuple[TopicModel, dict[str, str]]:
    """Find topics in ``papers``; with ``previous``, keep the ids and lab edits of surviving topics.

    Returns the model and the redirects of this fit (retired topic id -> current id).
    The result depends only on the set of papers, not on their order.
    """
    papers = sorted(papers, key=lambda p: p.id)
    stop = _stop_set(settings.stop_words)
    texts = [paper_text(p, settings.title_weight) for p in papers]
    X, vocab, idf = _vectorize(texts, stop)
    pins = _pinned_groups(texts, previous)
    pinned = {i for _, members in pins for i in members}
    pool = np.array([i for i in range(len(papers)) if i not in pinned], dtype=int)
    labels = _cluster_pool(X, pool, papers, settings, len(pins))
    groups = [tuple(pool[labels == c]) for c in sorted(set(labels.tolist()) - {-1})]
    groups.sort(key=lambda g: (-len(g), g))
    naming = _naming_docs(papers, settings.sample_size, stop)
    drafts = [_draft(X, vocab, naming, g, settings) for g in groups]
    pinned_drafts = [_draft(X, vocab, naming, tuple(sorted(m)), settings, entry) for entry, m in pins]
    entries, redirects = _identify(drafts, pinned_drafts, papers, previous, settings)
    model = _model(entries, vocab, idf, settings, len(papers), previous, redirects)
    return _with_sizes(model, papers), redirects


def _pinned_groups(texts: list[str], previous: TopicModel | None) -> list[tuple[TopicEntry, set[int]]]:
    """Previous topics with keywords, and the papers their keywords claim."""
    if previous is None:
        return []
    pinned = [t for t in previous.topics if t.keywords and not t.catch_all]
    if not pinned:
        return []
    keys = [[[k for k, _ in seg] for seg in segments(text)] for text in texts]
    out = []
    for entry in pinned:
        kws = [_keyword_keys(k) for k in entry.keywords]
        out.append((entry, {r for r, doc in enumerate(keys) if any(_has_keyword(doc, kw) for kw in kws)}))
    return out


def _cluster_pool(X: sparse.csr_matrix, pool: np.ndarray, papers: Sequence[Paper],
                  settings: TopicSettings, n_pinned: int) -> np.ndarray:
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
    sample = _sample(has_text, pool, papers, settings.sample_size)
    found = _drop_small(_consensus(X[pool[sample]], lo, hi, settings.seed), settings.min_topic_size)
    if found.max() < 0:
        return labels
    rows = X[pool[has_text]]
    start = np.full(len(has_text), -1)
    start[np.searchsorted(has_text, sample)] = found
    labels[has_text] = _drop_small(_reassign(rows, start, LOO_PASSES), settings.min_topic_size)
    return labels


LOO_PASSES = 3
"""Passes of leave-one-out reassignment after the consensus."""


def _reassign(X: sparse.csr_matrix, labels: np.ndarray, passes: int) -> np.ndarray:
    """Move each row to the group with the most similar centroid, its own contribution left out.

    Rows labelled -1 (not yet clustered) join their nearest group and count from then on.
    """
    k = labels.max() + 1
    for _ in range(passes):
        member = sparse.csr_matrix((np.ones(int((labels >= 0).sum())), (np.flatnonzero(labels >= 0),
                                    labels[labels >= 0])), shape=(X.shape[0], k))
        sums = np.asarray((member.T @ X).todense())             # k x terms
        dots = np.asarray(X @ sums.T)                           # row . sum of each group
        norms2 = (sums * sums).sum(axis=1)
        own = np.flatnonzero(labels >= 0)
        self2 = np.asarray(X[own].multiply(X[own]).sum(axis=1)).ravel()
        d_own = dots[own, labels[own]]
        loo = dots / np.sqrt(np.maximum(norms2, 1e-12))
        loo[own, labels[own]] = (d_own - self2) / np.sqrt(np.maximum(norms2[labels[own]] - 2 * d_own + self2, 1e-12))
        new = np.round(loo, 9).argmax(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    return labels


def _sample(rows: np.ndarray, pool: np.ndarray, papers: Sequence[Paper], size: int) -> np.ndarray:
    """At most ``size`` of ``rows``, chosen by a hash of the paper id (stable as papers come and go)."""
    if len(rows) <= size:
        return rows
    order = sorted(rows, key=lambda r: (zlib.crc32(papers[pool[r]].id.encode("utf-8")), papers[pool[r]].id))
    return np.sort(np.array(order[:size], dtype=int))


def _consensus(X: sparse.csr_matrix, lo: int, hi: int, seed: int) -> np.ndarray:
    """Cluster labels 0..k-1: k-means ensemble over LSA sizes -> co-association -> average linkage.

    The number of clusters is the k in ``[lo, hi]`` with the best cosine silhouette.
    """
    n = X.shape[0]
    if hi < 2 or n < 4 or X.shape[1] < 3:
        return np.zeros(n, dtype=int)
    base = max(2, round(2.3 * math.sqrt(n)))
    top = min(n - 1, X.shape[1] - 1, 2 * base, 100)
    Z = TruncatedSVD(top, algorithm="randomized", n_iter=7, random_state=seed).fit_transform(X)
    dims = sorted({max(2, min(top, round(base * f))) for f in (0.6, 1.0, 1.4, 2.0)})
    ks = sorted({int(k) for k in np.linspace(max(2, lo), max(2, hi * 1.25), 7).round() if 2 <= k < n})
    co = np.zeros((n, n), dtype=np.float32)
    runs = 0
    rng = np.random.default_rng(seed)
    for d in dims:
        Zd = normalize(Z[:, :d])
        for k in ks:
            for _ in range(ENSEMBLE_SEEDS):
                lab = _kmeans(Zd, k, rng)
                co += lab[:, None] == lab[None, :]
                runs += 1
    tree = linkage(squareform(1.0 - co / runs, checks=False), method="average")
    return _best_cut(tree, normalize(Z[:, :min(base, top)]), lo, hi)


ENSEMBLE_SEEDS = 3
"""k-means runs per (LSA size, k) in the consensus."""


def _kmeans(Z: np.ndarray, k: int, rng: np.random.Generator, iterations: int = 100) -> np.ndarray:
    """Plain k-means (k-means++ start, Lloyd steps) on rows of Z; labels 0..k-1, some maybe unused."""
    n = len(Z)
    centers = [Z[rng.integers(n)]]
    d2 = ((Z - centers[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = d2.sum()
        pick = rng.choice(n, p=d2 / total) if total > 1e-12 else rng.integers(n)
        centers.append(Z[pick])
        d2 = np.minimum(d2, ((Z - Z[pick]) ** 2).sum(axis=1))
    C = np.array(centers)
    labels = np.full(n, -1)
    for _ in range(iterations):
        new = ((C * C).sum(axis=1)[None, :] - 2 * Z @ C.T).argmin(axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
        counts = np.bincount(labels, minlength=k)
        onehot = sparse.csr_matrix((np.ones(n), (labels, np.arange(n))), shape=(k, n))
        sums = onehot @ Z
        filled = counts > 0
        C[filled] = sums[filled] / counts[filled, None]
    return labels


def _best_cut(tree: np.ndarray, Z: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """The cut of the tree, with lo..hi clusters, that has the best cosine silhouette."""
    best: tuple[float, np.ndarray] | None = None
    for k in range(max(2, lo), hi + 1):
        lab = fcluster(tree, k, criterion="maxclust") - 1
        if not 2 <= len(set(lab.tolist())) < len(lab):
            continue
        score = silhouette_score(Z, lab, metric="cosine")
        if best is None or score > best[0] + 1e-9:
            best = (score, lab)
    return best[1] if best else np.zeros(Z.shape[0], dtype=int)


def _drop_small(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Renumber clusters 0..k-1 by first appearance; clusters under ``min_size`` become -1.

    ``min_size`` shrinks for tiny corpora so that a handful of papers still gets a topic.
    """
    counts = Counter(labels.tolist())
    min_size = min(min_size, max(1, len(labels) // (2 * len(counts))))
    keep = [c for c in dict.fromkeys(labels.tolist()) if counts[c] >= min_size]
    new = {c: i for i, c in enumerate(keep)}
    return np.array([new.get(c, -1) for c in labels.tolist()], dtype=int)


# --------------------------------------------------------------------------- drafts and names

@dataclass(frozen=True)
class _Draft:
    """A topic found by a fit, before it gets its id."""

    members: tuple[int, ...]
    terms: tuple[tuple[str, float], ...]
    phrases: tuple[str, ...]
    """Key phrases as written, most distinctive first."""
    keys: tuple[str, ...] = ()
    """The same phrases as keys (``spiking neural network``)."""
    scores: tuple[float, ...] = ()
    """How distinctive each phrase is (see ``_top_phrases``)."""
    joined: frozenset[str] = frozenset()
    """Key phrase + key word found together in a paper ("biomedical image segmentation")."""
    entry: TopicEntry | None = None
    """The pinned topic of the previous model this draft continues."""


@dataclass(frozen=True)
class _Naming:
    """Phrase statistics of (a sample of) the corpus, for naming topics."""

    papers: Sequence[Paper]
    keys: dict[int, frozenset[str]]
    """Paper index -> its phrases (1-3 words, stemmed) for the sampled papers."""
    df: Counter
    stop: frozenset[str]


def _naming_docs(papers: Sequence[Paper], size: int, stop: frozenset[str]) -> _Naming:
    """Phrase statistics of the corpus (of a fixed sample of ``size`` papers when larger)."""
    everyone = np.arange(len(papers))
    sample = _sample(everyone, everyone, papers, size)
    keys = {int(i): _phrase_keys(papers[i], stop) for i in sample}
    return _Naming(papers, keys, Counter(k for ks in keys.values() for k in ks), stop)


def _runs(paper: Paper, stop: frozenset[str]) -> list[list[tuple[str, str]]]:
    """Runs of content words (no stop word, number or punctuation inside): ``(key, as written)``.

    Title words lose the capital that title case gave them (``Spiking`` -> ``spiking``).
    """
    runs: list[list[tuple[str, str]]] = []
    for part, title in ((paper.title, True), (paper.abstract, False)):
        run: list[tuple[str, str]] = []
        for w in words(part) + [BREAK]:
            k = word_key(w)
            if k and k not in stop:
                run.append((k, _uncap(w) if title else w))
            elif run:
                runs.append(run)
                run = []
    return runs


def _phrase_keys(paper: Paper, stop: frozenset[str]) -> frozenset[str]:
    """Every phrase of 1 to 3 content words in a paper, as keys."""
    out: set[str] = set()
    for run in _runs(paper, stop):
        ks = [k for k, _ in run]
        out.update(ks)
        out.update(map(" ".join, zip(ks, ks[1:])))
        out.update(map(" ".join, zip(ks, ks[1:], ks[2:])))
    return frozenset(out)


def _uncap(word: str) -> str:
    """``Spiking`` -> ``spiking``; ``fMRI``, ``EEG``, ``NeRF`` stay."""
    return word.lower() if word[:1].isupper() and word[1:] == word[1:].lower() else word


def _draft(X: sparse.csr_matrix, vocab: list[str], naming: _Naming, members: tuple[int, ...],
           settings: TopicSettings, entry: TopicEntry | None = None) -> _Draft:
    seeds = [t for k in (entry.keywords if entry else ()) for t in terms(k, naming.stop)]
    centroid = _centroid(X, members, vocab, settings.terms_per_topic, seeds)
    docs = [naming.keys[i] for i in members if i in naming.keys]
    top = _top_phrases(docs, naming, settings.phrases_per_topic)
    written = _surfaces([k for k, _ in top], [naming.papers[i] for i in members if i in naming.keys], naming.stop)
    top = [(k, score) for k, score in top if k in written]
    if not top and entry:
        written = {" ".join(_keyword_keys(k)): k for k in entry.keywords[:settings.phrases_per_topic]}
        top = [(k, 1.0) for k in written]
    seen = frozenset().union(*docs) if docs else frozenset()
    joined = frozenset(f"{a} {b}" for a, _ in top for b, _ in top if " " not in b and f"{a} {b}" in seen)
    return _Draft(members, centroid, tuple(written[k] for k, _ in top), tuple(k for k, _ in top),
                  tuple(score for _, score in top), joined, entry)


def _centroid(X: sparse.csr_matrix, members: tuple[int, ...], vocab: list[str], limit: int,
              seeds: Iterable[str] = ()) -> tuple[tuple[str, float], ...]:
    """Mean of the members' rows, top ``limit`` terms, unit length, rounded; largest first."""
    weights: dict[str, float] = {}
    if members:
        row = np.asarray(X[list(members)].mean(axis=0)).ravel()
        for i in np.argsort(-row, kind="stable")[:limit]:
            if row[i] > 0:
                weights[vocab[i]] = float(row[i])
    known = set(vocab)
    top = max(weights.values(), default=1.0)
    weights.update({t: top for t in seeds if t in known})
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    rounded = ((t, round(w / norm, DIGITS)) for t, w in weights.items())
    return tuple(sorted(((t, w) for t, w in rounded if w > 0), key=lambda tw: (-tw[1], tw[0])))


def _top_phrases(docs: list[frozenset[str]], naming: _Naming, limit: int) -> list[tuple[str, float]]:
    """The most distinctive phrases of a group and their scores: the F1 of coverage (share of
    the group's papers having the phrase) and precision (share of the papers having it that are
    in the group); phrases of several words count 1.3 times (they name things better).

    A phrase is left out when a longer one says nearly the same (``spiking neural`` when
    ``spiking neural network`` is in as many papers), or when it names the same thing as a
    phrase already chosen (same words, or an acronym of it: ``llm``, ``large language model``).
    """
    n_c = len(docs)
    if not n_c:
        return []
    df_c = Counter(k for d in docs for k in d)
    need = min(2, n_c)
    score = {k: 2 * c / (n_c + naming.df[k]) * (1.3 if " " in k else 1.0)
             for k, c in df_c.items() if c >= need and not _adverb(k) and k not in _PROSE_KEYS}
    ranked = sorted(score, key=lambda k: (-score[k], k))[:12 * limit]
    kept = [k for k in ranked if not any(len(o) > len(k) and f" {k} " in f" {o} " and df_c[o] >= 0.7 * df_c[k]
                                         for o in ranked)]
    chosen: list[str] = []
    for k in kept:
        clash = next((i for i, c in enumerate(chosen) if _covered(k, c)), None)
        if clash is None:
            chosen.append(k)
        elif _acronym_of(k, chosen[clash]) and df_c[k] > df_c[chosen[clash]]:
            chosen[clash] = k          # "fMRI" reads better than "magnetic resonance imaging"
        if len(chosen) == limit:
            break
    return [(k, round(score[k], DIGITS)) for k in chosen]


_PROSE_KEYS = frozenset(" ".join(word_key(w) for w in p.split()) for p in PROSE_PHRASES)


def _adverb(key: str) -> bool:
    """A single word ending in -ly (``continually``) never names a topic."""
    return " " not in key and len(key) > 5 and key.endswith("ly")


def _roots(phrase: str) -> set[str]:
    """Word roots for comparing phrases: the first five letters (``continual`` ~ ``continually``)."""
    return {w.lower()[:5] for w in phrase.replace("-", " ").split() if w.lower() not in _SMALL_WORDS}


def _initials(phrase: str) -> str:
    return "".join(part[0] for w in phrase.lower().split() for part in w.split("-") if part)


def _acronym_of(short: str, long: str) -> bool:
    """Whether ``short`` abbreviates ``long`` (or its tail): ``fmri``/``magnetic resonance imaging``.

    >>> _acronym_of("llm", "large language model"), _acronym_of("llm", "language model")
    (True, True)
    """
    letters = short.lower().removesuffix("s")
    initials = _initials(long)
    return (" " not in short and " " in long.strip() and len(initials) >= max(2, len(letters) - 1)
            and (letters.startswith(initials) or letters.endswith(initials)))


def _same_thing(a: str, b: str) -> bool:
    """Whether two phrases share a word root or one abbreviates the other."""
    return bool(_roots(a) & _roots(b)) or _acronym_of(a, b) or _acronym_of(b, a)


def _covered(k: str, chosen: str) -> bool:
    """Whether phrase ``k`` adds little to ``chosen``: all its roots, or two of them, are in it,
    or one abbreviates the other."""
    shared = _roots(k) & _roots(chosen)
    return shared == _roots(k) or len(shared) >= 2 or _acronym_of(k, chosen) or _acronym_of(chosen, k)


def _surfaces(keys: list[str], papers: list[Paper], stop: frozenset[str]) -> dict[str, str]:
    """Each phrase as most often written in the given papers."""
    wanted = set(keys)
    seen: dict[str, Counter] = defaultdict(Counter)
    for p in papers:
        for run in _runs(p, stop):
            for n in (1, 2, 3):
                for i in range(len(run) - n + 1):
                    key = " ".join(k for k, _ in run[i:i + n])
                    if key in wanted:
                        seen[key][" ".join(w for _, w in run[i:i + n])] += 1
    return {k: min(seen[k].items(), key=lambda kv: (-kv[1], kv[0]))[0] for k in keys if seen[k]}


def title_case(phrase: str) -> str:
    """Title case that keeps acronyms and inner capitals.

    >>> title_case("spiking neural networks"), title_case("fMRI and brain-computer interfaces")
    ('Spiking Neural Networks', 'fMRI and Brain-Computer Interfaces')
    """
    def word(w: str, first: bool) -> str:
        if w.lower() in _SMALL_WORDS and not first:
            return w.lower()
        if w != w.lower() and w != w.capitalize():
            return w                                  # fMRI, EEG, NeRF, LLMs
        return "-".join(part[:1].upper() + part[1:] for part in w.split("-"))
    return " ".join(word(w, i == 0) for i, w in enumerate(phrase.split()))


def _name_options(draft: _Draft) -> list[str]:
    """Candidate names, best first, from the most distinctive phrases.

    A lone word is first tried after another top phrase it follows in some paper ("biomedical
    image" + "segmentation"), then gives way to a phrase that extends it ("image segmentation");
    a phrase of 3+ words stands alone; a shorter one takes a partner nearly as distinctive
    ("EEG Signals and Brain-Computer Interfaces"), else stands alone if it has two words.
    """
    top = list(zip(draft.keys, draft.phrases, draft.scores))
    options: list[str] = []
    for i, (ka, a, score) in enumerate(top):
        if " " not in ka and a == a.lower():
            options += [f"{b} {a}" for kb, b, sb in top[i + 1:i + 4] if f"{kb} {ka}" in draft.joined
                        and sb >= 0.5 * score and len(b.split()) < 4]
            ka, a = next(((kb, b) for kb, b, sb in top if sb >= 0.4 * score and ka in kb.split()
                          and " " in kb), (ka, a))
        size = len(a.split())
        partners = [(kb, b) for kb, b, sb in top[i + 1:i + 4] if sb >= 0.5 * score
                    and size + 1 + len(b.split()) <= 5 and not _same_thing(ka, kb)
                    and (" " in b or b != b.lower())]                 # no lone plain word: "fMRI and Brain"
        partners.sort(key=lambda kb: " " not in kb[0])       # "brain decoding" before "Dice"
        if size >= 3:
            options.append(a)
        options += [f"{a} and {b}" for _, b in partners[:1] if size < 3]
        if size == 2:
            options.append(a)
    options += [f"{p} papers" for p in draft.phrases if len(p.split()) <= 4]
    return [title_case(o) for o in options if 2 <= len(o.split()) <= 5 and not _repeats(o)]


def _repeats(name: str) -> bool:
    """Whether a word comes twice (``Neural Neural``, ``Network and Networks``).

    >>> _repeats("Neural Networks and Neural Fields"), _repeats("Spiking Neural Networks")
    (True, False)
    """
    words = [stem(w.lower()) for w in name.split() if w.lower() not in _SMALL_WORDS]
    return len(words) != len(set(words))


def _describe(phrases: tuple[str, ...]) -> str:
    """One line from the key phrases: ``Papers on a, b and c.``"""
    shown = list(phrases[:3])
    if not shown:
        return "Papers grouped together by a lab."
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return f"Papers on {listed}."


# --------------------------------------------------------------------------- ids, re-fit

def _identify(drafts: list[_Draft], pinned: list[_Draft], papers: Sequence[Paper],
              previous: TopicModel | None, settings: TopicSettings) -> tuple[list[TopicEntry], dict[str, str]]:
    """Entries for every draft: surviving topics keep id and lab edits, new ones get a fresh slug."""
    primaries = [c[0] for c in _choose_all(papers, previous)] if previous else []
    matched = _match(drafts, primaries, previous, settings.match_threshold) if previous else {}
    olds = {**{d: e for d, e in matched.items()}, **{len(drafts) + j: p.entry for j, p in enumerate(pinned)}}
    everything = drafts + pinned
    names = _names(everything, olds)
    taken = _reserved_ids(previous) | {e.id for e in olds.values()}
    entries = []
    for i, d in enumerate(everything):
        old = olds.get(i)
        entry = _entry(d, names[i], old)
        if old is None:
            entry = replace(entry, id=_fresh_id(names[i], taken))
            taken.add(entry.id)
        entries.append(entry)
    entries.append(_catch_all(previous))
    redirects = _redirects(previous, entries, everything, primaries) if previous else {}
    return entries, redirects


def _match(drafts: list[_Draft], primaries: list[int], previous: TopicModel, threshold: float) -> dict[int, TopicEntry]:
    """Draft index -> the previous topic it continues: best one-to-one pairing of
    (shared papers / all papers of either, Jaccard) averaged with centroid cosine."""
    old = [i for i, t in enumerate(previous.topics) if not t.catch_all and not t.keywords]
    if not old or not drafts:
        return {}
    old_members = {i: {r for r, p in enumerate(primaries) if p == i} for i in old}
    score = np.zeros((len(old), len(drafts)))
    for a, i in enumerate(old):
        centroid = dict(previous.topics[i].terms)
        for b, d in enumerate(drafts):
            members = set(d.members)
            union = len(old_members[i] | members)
            jaccard = len(old_members[i] & members) / union if union else 0.0
            score[a, b] = (jaccard + sum(w * centroid.get(t, 0.0) for t, w in d.terms)) / 2
    rows, cols = linear_sum_assignment(-score)
    return {int(c): previous.topics[old[r]] for r, c in zip(rows, cols) if score[r, c] >= threshold}


def _names(drafts: list[_Draft], olds: dict[int, TopicEntry]) -> list[str]:
    """A unique name per draft: locked names first, then the biggest topics choose first.

    A surviving topic keeps its name while the name's words are still among its key phrases.
    """
    names = {i: e.name for i, e in olds.items() if e.name_locked}
    used = {n.casefold() for n in names.values()} | {CATCH_ALL_NAME.casefold()}
    for i in sorted(set(range(len(drafts))) - set(names), key=lambda i: (-len(drafts[i].members), i)):
        old = olds.get(i)
        options = _name_options(drafts[i])
        if old and _roots(old.name) <= set().union(*map(_roots, drafts[i].phrases)):
            options.insert(0, old.name)
        options += [old.name] if old else []
        options.append("Unnamed Topic")
        name = next((o for o in options if o.casefold() not in used), None)
        names[i] = name or _numbered(options[0], used)
        used.add(names[i].casefold())
    return [names[i] for i in range(len(drafts))]


def _numbered(name: str, used: set[str]) -> str:
    n = 2
    while f"{name} {n}".casefold() in used:
        n += 1
    return f"{name} {n}"


def _entry(draft: _Draft, name: str, old: TopicEntry | None) -> TopicEntry:
    locked = old is not None and old.name_locked
    return TopicEntry(
        id=old.id if old else "", name=name,
        description=old.description if locked else _describe(draft.phrases),
        phrases=draft.phrases, terms=draft.terms, keywords=old.keywords if old else (),
        name_locked=locked, size=len(draft.members))


def _reserved_ids(previous: TopicModel | None) -> set[str]:
    """Ids a new topic may not take: every id ever published, and the catch-all's."""
    if previous is None:
        return {CATCH_ALL_ID}
    return {CATCH_ALL_ID} | {t.id for t in previous.topics} | {a for a, _ in previous.redirects}


def _fresh_id(name: str, taken: set[str]) -> str:
    """The slug of the name, made unique with ``-2``, ``-3``...

    >>> _fresh_id("Spiking Neural Networks", {"spiking-neural-networks"})
    'spiking-neural-networks-2'
    """
    base = slugify(name, max_length=60, word_boundary=True) or "topic"
    n, slug = 2, base
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _catch_all(previous: TopicModel | None) -> TopicEntry:
    """The "Other Papers" topic, with any lab edits it had."""
    old = next((t for t in previous.topics if t.catch_all), None) if previous else None
    if old:
        return replace(old, terms=(), size=0)
    return TopicEntry(id=CATCH_ALL_ID, name=CATCH_ALL_NAME, catch_all=True,
                      description="Papers that fit no other topic well.")


def _redirects(previous: TopicModel, entries: list[TopicEntry], drafts: list[_Draft],
               primaries: list[int]) -> dict[str, str]:
    """Retired id -> the new topic that took most of its papers (else the closest centroid)."""
    alive = {e.id for e in entries}
    owner = {m: entries[d].id for d, draft in enumerate(drafts) for m in draft.members}
    out = {}
    for i, old in enumerate(previous.topics):
        if old.id in alive:
            continue
        votes = Counter(owner[r] for r, p in enumerate(primaries) if p == i and r in owner)
        out[old.id] = min(votes, key=lambda t: (-votes[t], t)) if votes else _closest(old, entries)
    return out


def _closest(old: TopicEntry, entries: list[TopicEntry]) -> str:
    """The entry whose centroid is most like an old topic's; the catch-all if none is."""
    centroid = dict(old.terms)
    scored = sorted((-sum(w * centroid.get(t, 0.0) for t, w in e.terms), e.id) for e in entries if e.terms)
    return scored[0][1] if scored and scored[0][0] < 0 else CATCH_ALL_ID


def _model(entries: list[TopicEntry], vocab: list[str], idf: np.ndarray, settings: TopicSettings,
           n: int, previous: TopicModel | None, redirects: dict[str, str]) -> TopicModel:
    used = {t for e in entries for t, _ in e.terms}
    alive = {e.id for e in entries}
    carried = {a: redirects.get(b, b) for a, b in (previous.redirects if previous else ())}
    carried = {a: (b if b in alive else CATCH_ALL_ID) for a, b in {**carried, **redirects}.items() if a not in alive}
    return TopicModel(
        topics=tuple(sorted(entries, key=lambda e: (e.catch_all, e.id))),
        idf=tuple((t, round(float(v), DIGITS)) for t, v in sorted(zip(vocab, idf)) if t in used),
        redirects=tuple(sorted(carried.items())), stop_words=tuple(sorted(set(settings.stop_words))),
        title_weight=settings.title_weight, max_secondary=settings.max_secondary,
        min_similarity=settings.min_similarity, secondary_min=settings.secondary_min,
        secondary_ratio=settings.secondary_ratio, papers=n)


def _with_sizes(model: TopicModel, papers: Sequence[Paper]) -> TopicModel:
    """The model with each topic's size = papers it is primary for."""
    counts = Counter(c[0] for c in _choose_all(papers, model))
    return replace(model, topics=tuple(replace(t, size=counts.get(i, 0)) for i, t in enumerate(model.topics)))


# --------------------------------------------------------------------------- file

def model_to_json(model: TopicModel) -> str:
    """The model as deterministic JSON: sorted keys, one-space indent, rounded floats."""
    doc = {
        "format": FORMAT,
        "analysis": {"stop_words": list(model.stop_words), "title_weight": model.title_weight},
        "assignment": {"max_secondary": model.max_secondary, "min_similarity": model.min_similarity,
                       "secondary_min": model.secondary_min, "secondary_ratio": model.secondary_ratio},
        "vocabulary": dict(model.idf),
        "papers": model.papers,
        "redirects": dict(model.redirects),
        "topics": [_entry_json(t) for t in model.topics],
    }
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _entry_json(t: TopicEntry) -> dict:
    return {"id": t.id, "name": t.name, "description": t.description, "phrases": list(t.phrases),
            "terms": dict(t.terms), "keywords": list(t.keywords), "name_locked": t.name_locked,
            "catch_all": t.catch_all, "size": t.size}


def model_from_json(text: str, source: str = "seeds/_topics.json") -> TopicModel:
    """Read a model file; a ``ValueError`` names the source, the key and the bad value."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{source}:{e.lineno}: not valid JSON: {e.msg}") from None
    check = _Checker(source)
    check.kind(doc, dict, "top level")
    if doc.get("format", FORMAT) != FORMAT:
        check.fail("format", doc.get("format"), f"expected {FORMAT}")
    analysis = check.get(doc, "analysis", dict, {})
    assignment = check.get(doc, "assignment", dict, {})
    idf = check.mapping(check.get(doc, "vocabulary", dict, {}), "vocabulary")
    topics = [_entry_from(t, f"topics[{i}]", check, idf) for i, t in enumerate(check.get(doc, "topics", list, []))]
    topics = _valid_topics(topics, check)
    redirects = check.get(doc, "redirects", dict, {})
    ids = {t.id for t in topics}
    for old, new in redirects.items():
        if not isinstance(new, str) or new not in ids:
            check.fail(f"redirects.{old}", new, "expected the id of a topic in this file")
    defaults = TopicModel()
    return TopicModel(
        topics=tuple(sorted(topics, key=lambda e: (e.catch_all, e.id))), idf=tuple(sorted(idf.items())),
        redirects=tuple(sorted(redirects.items())),
        stop_words=tuple(check.strings(analysis.get("stop_words", []), "analysis.stop_words")),
        title_weight=check.number(analysis, "title_weight", defaults.title_weight, "analysis", int),
        max_secondary=check.number(assignment, "max_secondary", defaults.max_secondary, "assignment", int),
        min_similarity=check.number(assignment, "min_similarity", defaults.min_similarity, "assignment"),
        secondary_min=check.number(assignment, "secondary_min", defaults.secondary_min, "assignment"),
        secondary_ratio=check.number(assignment, "secondary_ratio", defaults.secondary_ratio, "assignment"),
        papers=check.number(doc, "papers", 0, "", int))


class _Checker:
    """Raises ``ValueError("<source>: <key>: <what> (got <value!r>)")``."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, value: object, what: str) -> None:
        shown = repr(value)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise ValueError(f"{self.source}: {key}: {what} (got {shown})")

    def kind(self, value: object, kind: type, key: str) -> None:
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.fail(key, value, f"expected {_KIND_NAMES.get(kind, kind.__name__)}")

    def get(self, doc: dict, key: str, kind: type, default, where: str = ""):
        value = doc.get(key, default)
        self.kind(value, kind, f"{where}.{key}" if where else key)
        return value

    def number(self, doc: dict, key: str, default, where: str, kind: type = float):
        value = doc.get(key, default)
        name = f"{where}.{key}" if where else key
        if isinstance(value, bool) or not isinstance(value, (int, float)) or kind is int and value != int(value):
            self.fail(name, value, "expected an integer" if kind is int else "expected a number")
        if value < 0:
            self.fail(name, value, "expected a number >= 0")
        return kind(value)

    def strings(self, value: object, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, value, "expected a list of strings")
        return list(value)

    def mapping(self, value: dict, key: str) -> dict[str, float]:
        for term, w in value.items():
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w):
                self.fail(f"{key}.{term}", w, "expected a number")
        return {t: float(w) for t, w in value.items()}


_KIND_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}


def _entry_from(doc: object, where: str, check: _Checker, idf: dict[str, float]) -> TopicEntry:
    check.kind(doc, dict, where)
    unknown = sorted(set(doc) - {f.name for f in fields(TopicEntry)})
    if unknown:
        check.fail(f"{where}.{unknown[0]}", doc[unknown[0]], "unknown key")
    tid = check.get(doc, "id", str, "", where)
    if tid != slugify(tid) or not tid:
        check.fail(f"{where}.id", tid, "expected a URL slug like 'spiking-neural-networks'")
    name = check.get(doc, "name", str, "", where)
    if not 1 <= len(name.split()) <= 8:
        check.fail(f"{where}.name", name, "expected a name of 1 to 8 words")
    weights = check.mapping(check.get(doc, "terms", dict, {}, where), f"{where}.terms")
    missing = sorted(set(weights) - set(idf))
    if missing:
        check.fail(f"{where}.terms.{missing[0]}", weights[missing[0]], "term missing from 'vocabulary'")
    return TopicEntry(
        id=tid, name=name, description=check.get(doc, "description", str, "", where),
        phrases=tuple(check.strings(doc.get("phrases", []), f"{where}.phrases")),
        terms=tuple(sorted(weights.items(), key=lambda tw: (-tw[1], tw[0]))),
        keywords=tuple(check.strings(doc.get("keywords", []), f"{where}.keywords")),
        name_locked=check.get(doc, "name_locked", bool, False, where),
        catch_all=check.get(doc, "catch_all", bool, False, where),
        size=check.number(doc, "size", 0, where, int))


def _valid_topics(topics: list[TopicEntry], check: _Checker) -> list[TopicEntry]:
    """No duplicate ids; exactly one catch-all (added when the file has none)."""
    seen: set[str] = set()
    for i, t in enumerate(topics):
        if t.id in seen:
            check.fail(f"topics[{i}].id", t.id, "duplicate topic id")
        seen.add(t.id)
    catch = [t for t in topics if t.catch_all]
    if len(catch) > 1:
        check.fail("topics", [t.id for t in catch], "more than one topic has catch_all: true")
    if not catch:
        if CATCH_ALL_ID in seen:
            check.fail("topics", CATCH_ALL_ID, "this id is reserved for the catch-all topic")
        topics.append(_catch_all(None))
    return topics


# --------------------------------------------------------------------------- report

@single_threaded
def report(papers: Sequence[Paper], model: TopicModel) -> str:
    """A plain-text report: each topic's size, name and key phrases, then quality figures.

    * coherence: mean cosine similarity between two papers of the same topic (size-weighted),
      and the mean NPMI of each topic's top five phrases (do they occur in the same papers?);
    * diversity: share of distinct phrases among all topics' key phrases (1 = no overlap);
    * separation: cosine silhouette of the primary topics (-1..1, above 0: apart).
    """
    chosen = _choose_all(papers, model)
    primary = np.array([c[0] if c else -1 for c in chosen], dtype=int)
    sizes = Counter(primary.tolist())
    lines = [f"{len(papers)} papers, {sum(1 for i in sizes if i >= 0 and not model.topics[i].catch_all)} topics"]
    for i, t in enumerate(model.topics):
        if sizes.get(i) or not t.catch_all:
            lines.append(f"{sizes.get(i, 0):6d}  {t.name}  [{t.id}]: {', '.join(t.phrases[:6])}")
    X = _project([paper_text(p, model.title_weight) for p in papers], model) if papers else None
    figures = _quality(X, primary, papers, model)
    lines.append(f"{sum(len(c) > 1 for c in chosen)} papers also have secondary topics")
    lines += [f"{name}: {value:.3f}" if value == value else f"{name}: n/a" for name, value in figures]
    return "\n".join(lines) + "\n"


def _quality(X: sparse.csr_matrix | None, primary: np.ndarray, papers: Sequence[Paper],
             model: TopicModel) -> list[tuple[str, float]]:
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
    stop = _stop_set(model.stop_words)
    docs = [_phrase_keys(papers[i], stop) for i in _sample(everyone, everyone, papers, 2000)]
    n = len(docs)
    scores = []
    for phrases in tops:
        keys = [" ".join(word_key(w) for w in words(p)) for p in phrases]
        pair_scores = []
        for a in range(len(keys)):
            for b in range(a + 1, len(keys)):
                pa, pb = (sum(k in d for d in docs) / n for k in (keys[a], keys[b]))
                pab = sum(keys[a] in d and keys[b] in d for d in docs) / n
                pair_scores.append(-1.0 if pab == 0 else
                                   0.0 if pab == 1 else math.log(pab / (pa * pb)) / -math.log(pab))
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
    return float(silhouette_score(X[keep], labels, metric="cosine",
                                  sample_size=min(2000, len(keep)), random_state=0))
