"""Papers -> key phrases: phrase statistics of the corpus and the most distinctive phrases of a group."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...model import Paper
from .cluster import sample_rows
from .settings import DIGITS
from .text import BREAK, word_key, words

PROSE_PHRASES = frozenset(
    p.strip()
    for p in [
        "\n    case study",
        " diverse data",
        " draw inspiration",
        " future research",
        " going deeper",
        " great potential",
        "\n    large scale",
        " large-scale",
        " long standing",
        " long-standing",
        " open source",
        " open-source",
        " real world",
        "\n    real-world",
        " shed light",
        " valuable tool",
        " wide range",
        " wide variety",
    ]
)
"""Phrases of academic prose, never shown as key phrases (single words: see ``BOILERPLATE``)."""
SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "via", "vs", "with"]
)


@dataclass(frozen=True)
class Naming:
    """Phrase statistics of (a sample of) the corpus, for naming topics."""

    papers: Sequence[Paper]
    keys: dict[int, frozenset[str]]
    """Paper index -> its phrases (1-3 words, stemmed) for the sampled papers."""
    df: Counter
    stop: frozenset[str]


def naming_docs(papers: Sequence[Paper], size: int, stop: frozenset[str]) -> Naming:
    """Phrase statistics of the corpus (of a fixed sample of ``size`` papers when larger)."""
    everyone = np.arange(len(papers))
    sample = sample_rows(everyone, everyone, papers, size)
    keys = {int(i): phrase_keys(papers[i], stop) for i in sample}
    return Naming(papers, keys, Counter(k for ks in keys.values() for k in ks), stop)


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


def phrase_keys(paper: Paper, stop: frozenset[str]) -> frozenset[str]:
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


def top_phrases(docs: list[frozenset[str]], naming: Naming, limit: int) -> list[tuple[str, float]]:
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
    score = {
        k: 2 * c / (n_c + naming.df[k]) * (MULTIWORD_WEIGHT if " " in k else 1.0)
        for k, c in df_c.items()
        if c >= need and not _adverb(k) and k not in _PROSE_KEYS
    }
    ranked = sorted(score, key=lambda k: (-score[k], k))[: CANDIDATES_PER_PHRASE * limit]
    kept = [
        k
        for k in ranked
        if not any(len(o) > len(k) and f" {k} " in f" {o} " and df_c[o] >= SAYS_THE_SAME * df_c[k] for o in ranked)
    ]
    chosen: list[str] = []
    for k in kept:
        clash = next((i for i, c in enumerate(chosen) if _covered(k, c)), None)
        if clash is None:
            chosen.append(k)
        elif _acronym_of(k, chosen[clash]) and df_c[k] > df_c[chosen[clash]]:
            chosen[clash] = k  # "fMRI" reads better than "magnetic resonance imaging"
        if len(chosen) == limit:
            break
    return [(k, round(score[k], DIGITS)) for k in chosen]


MULTIWORD_WEIGHT = 1.3
"""Phrases of several words score this much more: "spiking neural network" names a topic
better than "spiking", at nearly the same F1."""
CANDIDATES_PER_PHRASE = 12
"""Best-scoring phrases looked at per key phrase kept (the rest are duplicates or parts)."""
SAYS_THE_SAME = 0.7
"""A phrase is dropped for a longer one holding it that is in at least this share as many of
the group's papers ("spiking neural" for "spiking neural network")."""
_PROSE_KEYS = frozenset(" ".join(word_key(w) for w in p.split()) for p in PROSE_PHRASES)


def _adverb(key: str) -> bool:
    """A single word ending in -ly (``continually``) never names a topic."""
    return " " not in key and len(key) > 5 and key.endswith("ly")


def roots(phrase: str) -> set[str]:
    """Word roots for comparing phrases: the first five letters (``continual`` ~ ``continually``)."""
    return {w.lower()[:5] for w in phrase.replace("-", " ").split() if w.lower() not in SMALL_WORDS}


def _initials(phrase: str) -> str:
    return "".join(part[0] for w in phrase.lower().split() for part in w.split("-") if part)


def _acronym_of(short: str, long: str) -> bool:
    """Whether ``short`` abbreviates ``long`` (or its tail): ``fmri``/``magnetic resonance imaging``.

    >>> _acronym_of("llm", "large language model"), _acronym_of("llm", "language model")
    (True, True)
    """
    letters = short.lower().removesuffix("s")
    initials = _initials(long)
    return (
        " " not in short
        and " " in long.strip()
        and len(initials) >= max(2, len(letters) - 1)
        and (letters.startswith(initials) or letters.endswith(initials))
    )


def same_thing(a: str, b: str) -> bool:
    """Whether two phrases share a word root or one abbreviates the other, also loosely
    (``ViTs`` for ``vision transformers``: see ``_loose_acronym``).

    >>> same_thing("ViTs", "vision transformers"), same_thing("EEG signals", "vision transformers")
    (True, False)
    """
    return (
        bool(roots(a) & roots(b))
        or _acronym_of(a, b)
        or _acronym_of(b, a)
        or _loose_acronym(a, b)
        or _loose_acronym(b, a)
    )


def _loose_acronym(short: str, long: str) -> bool:
    """Whether ``short`` (one word) starts with the first letter of ``long`` and holds all its
    initials in order, the last one ending it: ``vit``/``vision transformer``, ``gnn``/``graph network``."""
    letters = short.lower().removesuffix("s")
    initials = _initials(long)
    if " " in short.strip() or " " not in long.strip() or not letters.isalpha() or len(initials) < 2:
        return False
    if letters[0] != initials[0] or letters[-1] != initials[-1] or len(letters) > len(initials) + 2:
        return False
    rest = iter(letters)
    return all(c in rest for c in initials)


def _covered(k: str, chosen: str) -> bool:
    """Whether phrase ``k`` adds little to ``chosen``: all its roots, or two of them, are in it,
    or one abbreviates the other."""
    shared = roots(k) & roots(chosen)
    return shared == roots(k) or len(shared) >= 2 or _acronym_of(k, chosen) or _acronym_of(chosen, k)


def surfaces(keys: list[str], papers: list[Paper], stop: frozenset[str]) -> dict[str, str]:
    """Each phrase as most often written in the given papers, in lower case but for the words
    the papers never write so (``sentence_case``)."""
    wanted = set(keys)
    seen: dict[str, Counter] = defaultdict(Counter)
    lower: set[str] = set()
    for p in papers:
        lower.update(w for w in words(p.abstract) if w.islower())
        for run in _runs(p, stop):
            for n in (1, 2, 3):
                for i in range(len(run) - n + 1):
                    key = " ".join(k for k, _ in run[i : i + n])
                    if key in wanted:
                        seen[key][" ".join(w for _, w in run[i : i + n])] += 1
    return {k: sentence_case(min(seen[k].items(), key=lambda kv: (-kv[1], kv[0]))[0], lower) for k in keys if seen[k]}


def sentence_case(phrase: str, lower: set[str]) -> str:
    """A phrase an abstract capitalised to introduce its acronym, as a sentence writes it: each
    capitalised word in lower case if the papers also write it so (names such as Markov stay).

    >>> sentence_case("Hidden Markov Models", {"hidden", "models"}), sentence_case("fMRI Data", {"data"})
    ('hidden Markov models', 'fMRI data')
    >>> sentence_case("Self-Supervised Learning", {"self-supervised", "learning"})
    'self-supervised learning'
    """

    def case(word: str) -> str:
        capitalised = all(p[:1].isupper() and (p[1:].islower() or not p[1:]) for p in word.split("-"))
        return word.lower() if capitalised and word.lower() in lower else word

    return " ".join(case(w) for w in phrase.split())
