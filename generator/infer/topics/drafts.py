"""A group of papers -> a draft topic (centroid, key phrases) and candidate names and descriptions."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .phrases import SMALL_WORDS, Naming, same_thing, surfaces, top_phrases
from .settings import DIGITS, TopicEntry, TopicSettings
from .text import has_words, keyword_keys, stem, terms


@dataclass(frozen=True)
class Draft:
    """A topic found by a fit, before it gets its id."""

    members: tuple[int, ...]
    terms: tuple[tuple[str, float], ...]
    phrases: tuple[str, ...]
    """Key phrases as written, most distinctive first."""
    keys: tuple[str, ...] = ()
    """The same phrases as keys (``spiking neural network``)."""
    scores: tuple[float, ...] = ()
    """How distinctive each phrase is (see ``top_phrases``)."""
    joined: frozenset[str] = frozenset()
    """Key phrase + key word found together in a paper ("biomedical image segmentation")."""
    entry: TopicEntry | None = None
    """The pinned topic of the previous model this draft continues."""


def draft_topic(
    X: sparse.csr_matrix,
    vocab: list[str],
    naming: Naming,
    members: tuple[int, ...],
    settings: TopicSettings,
    entry: TopicEntry | None = None,
) -> Draft:
    seeds = [t for k in (entry.keywords if entry else ()) for t in terms(k, naming.stop)]
    centroid = _centroid(X, members, vocab, settings.terms_per_topic, seeds)
    docs = [naming.keys[i] for i in members if i in naming.keys]
    top = top_phrases(docs, naming, settings.phrases_per_topic)
    written = surfaces([k for k, _ in top], [naming.papers[i] for i in members if i in naming.keys], naming.stop)
    top = [(k, score) for k, score in top if k in written]
    if not top and entry:
        written = {" ".join(keyword_keys(k)): k for k in entry.keywords[: settings.phrases_per_topic]}
        top = [(k, 1.0) for k in written]
    seen = frozenset().union(*docs) if docs else frozenset()
    joined = frozenset(f"{a} {b}" for a, _ in top for b, _ in top if " " not in b and f"{a} {b}" in seen)
    return Draft(
        members,
        centroid,
        tuple(written[k] for k, _ in top),
        tuple(k for k, _ in top),
        tuple(score for _, score in top),
        joined,
        entry,
    )


def _centroid(
    X: sparse.csr_matrix, members: tuple[int, ...], vocab: list[str], limit: int, seeds: Iterable[str] = ()
) -> tuple[tuple[str, float], ...]:
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


def title_case(phrase: str) -> str:
    """Title case that keeps acronyms and inner capitals.

    >>> title_case("spiking neural networks"), title_case("fMRI and brain-computer interfaces")
    ('Spiking Neural Networks', 'fMRI and Brain-Computer Interfaces')
    """

    def word(w: str, first: bool) -> str:
        if w.lower() in SMALL_WORDS and not first:
            return w.lower()
        if w != w.lower() and w != w.capitalize():
            return w  # fMRI, EEG, NeRF, LLMs
        return "-".join(part[:1].upper() + part[1:] for part in w.split("-"))

    return " ".join(word(w, i == 0) for i, w in enumerate(phrase.split()))


def name_options(draft: Draft) -> list[str]:
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
            options += [
                f"{b} {a}"
                for kb, b, sb in top[i + 1 : i + 4]
                if f"{kb} {ka}" in draft.joined and sb >= PARTNER_SHARE * score and len(b.split()) < 4
            ]
            ka, a = next(
                ((kb, b) for kb, b, sb in top if sb >= EXTENSION_SHARE * score and ka in kb.split() and " " in kb),
                (ka, a),
            )
        size = len(a.split())
        partners = [
            (kb, b)
            for kb, b, sb in top[i + 1 : i + 4]
            if sb >= PARTNER_SHARE * score
            and size + 1 + len(b.split()) <= 5
            and not same_thing(ka, kb)
            and (" " in b or b != b.lower())
        ]  # no lone plain word: "fMRI and Brain"
        partners.sort(key=lambda kb: " " not in kb[0])  # "brain decoding" before "Dice"
        if size >= 3:
            options.append(a)
        options += [f"{a} and {b}" for _, b in partners[:1] if size < 3]
        if size == 2:
            options.append(a)
    options += [p for p in draft.phrases if " " in p]  # any phrase of 2+ words
    options += [f"{p} papers" for p in draft.phrases if len(p.split()) <= 4]  # last resort
    return [title_case(o) for o in options if 2 <= len(o.split()) <= 5 and not repeats(o) and not participle(o)]


def participle(phrase: str) -> bool:
    """Whether a phrase ends in a past participle: no noun phrase, so neither a name nor what
    papers are on ("Features Learned", "dissociated").

    >>> participle("Features Learned"), participle("Learned Features")
    (True, False)
    """
    return phrase.lower().endswith("ed")


PARTNER_SHARE = 0.5
"""A phrase joins another in a name ("X and Y", "Biomedical Image Segmentation") only when it is
at least half as distinctive: a much weaker phrase would describe a few members, not the topic."""
EXTENSION_SHARE = 0.4
"""A lone word gives way to a longer phrase holding it ("image segmentation" for "segmentation")
when that phrase is at least this share as distinctive: a bit lower than ``PARTNER_SHARE``, as
the longer phrase says the same thing more precisely."""
NAME_MIN_COVERAGE = 0.5
"""A name must be carried by at least this share of the topic's papers (both halves of an
"X and Y" name by the same papers): a name describes most members, not a few."""


def name_coverage(name: str, member_runs: list[str]) -> float:
    """Share of the members whose text carries the name (for "X and Y", both X and Y).

    A member carries a name when one run of its words (between punctuation) holds all the
    name's words, side by side or not: "segmentation of histopathology images" carries "Image
    Segmentation". ``member_runs`` holds, per member, its ``runs_text``.

    >>> from generator.infer.topics.text import runs_text
    >>> docs = [runs_text(t) for t in ("Spiking neural networks.", "Neural networks.", "Spiking neurons.")]
    >>> name_coverage("Spiking Neural Networks", docs), name_coverage("Spiking and Neural Networks", docs)
    (0.3333, 0.3333)
    """
    parts = [keyword_keys(part) for part in name.split(" and ")]
    if not member_runs or not all(parts):
        return 0.0
    hits = sum(all(has_words(doc, keys) for keys in parts) for doc in member_runs)
    return round(hits / len(member_runs), DIGITS)


def pluralize(name: str, written: Counter) -> str:
    """The name with its last word in the plural when the members write it so
    (``Neural Radiance Field`` -> ``Neural Radiance Fields``); mass nouns (``Segmentation``)
    and acronyms stay as they are. ``written`` counts the members' words, lower case.

    >>> pluralize("Neural Radiance Field", Counter({"fields": 2, "field": 5}))
    'Neural Radiance Fields'
    >>> pluralize("Medical Image Segmentation", Counter({"segmentation": 20, "segmentations": 3}))
    'Medical Image Segmentation'
    """
    head, _, last = name.rpartition(" ")
    low = last.lower()
    if not head or not last.isalpha() or last != last.capitalize() or low.endswith("s"):
        return name
    plural = low[:-1] + "ies" if low.endswith("y") and low[-2:-1] not in "aeiou" else low + "s"
    if written[plural] < max(PLURAL_MIN_USES, PLURAL_MIN_SHARE * written[low]):
        return name
    return f"{head} {plural.capitalize()}"


PLURAL_MIN_USES = 2
"""Times the plural must be written in the members before a name takes it (once may be a typo)."""
PLURAL_MIN_SHARE = 0.25
"""The plural must also be written at least this often per use of the singular: a count noun
is written in the plural often ("fields"), a mass noun only now and then ("segmentations")."""


def repeats(name: str) -> bool:
    """Whether a word comes twice (``Neural Neural``, ``Network and Networks``).

    >>> repeats("Neural Networks and Neural Fields"), repeats("Spiking Neural Networks")
    (True, False)
    """
    words = [stem(w.lower()) for w in name.split() if w.lower() not in SMALL_WORDS]
    return len(words) != len(set(words))


def describe_topic(phrases: tuple[str, ...], name: str = "") -> str:
    """One line for a reader from the key phrases: ``Papers on a, b and c.``

    Up to ``DESCRIPTION_PHRASES`` phrases that add to the name and to each other (none shares a
    word root with, or abbreviates, the name or a phrase before it: ``same_thing``), phrases of
    two or more words and acronyms first, then at most ``DESCRIPTION_PLAIN_WORDS`` plain word,
    never one that reads as a modifier or verb form ("dissociated", "computing", "biological").
    With none left, the first key phrases.

    >>> describe_topic(("spiking neural networks", "computing", "neuromorphic hardware", "ANN", "memory"),
    ...                "Spiking Neural Networks")
    'Papers on neuromorphic hardware, ANN and memory.'
    >>> describe_topic(("agents", "advancements", "require"))
    'Papers on agents.'
    """
    usable = [p for p in phrases if not participle(p) and not _modifier(p)]
    ranked = [p for p in usable if not _plain_word(p)] + [p for p in usable if _plain_word(p)]
    shown: list[str] = []
    for p in ranked:
        plain = sum(map(_plain_word, shown))
        if (
            len(shown) < DESCRIPTION_PHRASES
            and not (_plain_word(p) and plain >= DESCRIPTION_PLAIN_WORDS)
            and not any(same_thing(p, t) for t in [name, *shown] if t)
        ):
            shown.append(p)
    shown = shown or list(phrases[:DESCRIPTION_PHRASES])
    if not shown:
        return "Papers grouped together by a lab."
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return f"Papers on {listed}."


DESCRIPTION_PHRASES = 3
"""Key phrases a topic's one-line description names (the topic page lists them all)."""
DESCRIPTION_PLAIN_WORDS = 1
"""Plain single words among them at most: a lone common word ("memory", "agents") says less
than a phrase, and several in a row read as a word list."""
MODIFIER_ENDINGS = ("ed", "ing", "ly", "ous", "ive", "al", "ble", "ful", "ic", "ary", "like")
"""Endings of plain words that read as adjectives or verb forms, not as what papers are on."""


def _plain_word(phrase: str) -> bool:
    """One word in lower case: no phrase, no acronym (``fMRI``) and no name (``ImageNet``)."""
    return " " not in phrase and phrase == phrase.lower()


def _modifier(phrase: str) -> bool:
    return _plain_word(phrase) and phrase.endswith(MODIFIER_ENDINGS)
