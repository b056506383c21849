"""Drafts -> stored topics: ids, names, lab edits and redirects kept across a re-fit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from scipy.optimize import linear_sum_assignment
from slugify import slugify

from ...model import Paper
from .assignment import choose_all
from .cluster import sample_rows
from .drafts import (
    NAME_MIN_COVERAGE,
    Draft,
    describe_topic,
    name_coverage,
    name_options,
    participle,
    pluralize,
    repeats,
    title_case,
)
from .phrases import SAYS_THE_SAME, phrase_keys, roots, surfaces
from .settings import CATCH_ALL_ID, CATCH_ALL_NAME, OLD_CATCH_ALL_NAME, TopicEntry, TopicModel, TopicSettings
from .text import runs_text, stop_set, words


def identify_topics(
    drafts: list[Draft],
    pinned: list[Draft],
    papers: Sequence[Paper],
    previous: TopicModel | None,
    settings: TopicSettings,
) -> tuple[list[TopicEntry], dict[str, str]]:
    """Entries for every draft: surviving topics keep id and lab edits, new ones get a fresh slug."""
    primaries = [c[0] for c in choose_all(papers, previous)] if previous else []
    matched = _match(drafts, primaries, previous, settings.match_threshold, papers) if previous else {}
    olds = {**{d: e for d, e in matched.items()}, **{len(drafts) + j: p.entry for j, p in enumerate(pinned)}}
    everything = drafts + pinned
    names = _names(everything, olds, papers, stop_set(settings.stop_words))
    taken = _reserved_ids(previous) | {e.id for e in olds.values()}
    entries = []
    for i, d in enumerate(everything):
        old = olds.get(i)
        entry = _entry(d, names[i], old)
        if old is None:
            entry = replace(entry, id=_fresh_id(names[i], taken))
            taken.add(entry.id)
        entries.append(entry)
    entries.append(catch_all_entry(previous))
    redirects = _redirects(previous, entries, everything, primaries) if previous else {}
    return entries, redirects


NAME_BONUS = 0.2
"""On a re-fit, how much an old topic's name still carried by a new group's papers counts
towards their being the same topic: the URL ``topics/spiking-neural-networks/`` should go on
to the group about spiking networks, not to the group that took most of its old papers."""


def _match(
    drafts: list[Draft], primaries: list[int], previous: TopicModel, threshold: float, papers: Sequence[Paper]
) -> dict[int, TopicEntry]:
    """Draft index -> the previous topic it continues: best one-to-one pairing of
    (shared papers / all papers of either, Jaccard) averaged with centroid cosine, plus
    ``NAME_BONUS`` times the share of the draft's papers that carry the old topic's name."""
    old = [i for i, t in enumerate(previous.topics) if not t.catch_all and not t.keywords]
    if not old or not drafts:
        return {}
    old_members = {i: {r for r, p in enumerate(primaries) if p == i} for i in old}
    member_keys = [[_keys(papers[m]) for m in d.members] for d in drafts]
    score = np.zeros((len(old), len(drafts)))
    for a, i in enumerate(old):
        centroid = dict(previous.topics[i].terms)
        for b, d in enumerate(drafts):
            members = set(d.members)
            union = len(old_members[i] | members)
            jaccard = len(old_members[i] & members) / union if union else 0.0
            score[a, b] = (jaccard + sum(w * centroid.get(t, 0.0) for t, w in d.terms)) / 2
            if score[a, b] > 0:
                score[a, b] += NAME_BONUS * name_coverage(previous.topics[i].name, member_keys[b])
    rows, cols = linear_sum_assignment(-score)
    return {int(c): previous.topics[old[r]] for r, c in zip(rows, cols) if score[r, c] >= threshold}


class _Carriers:
    """Who carries a name: the members of a topic, and (a fixed sample of) the whole corpus."""

    def __init__(self, papers: Sequence[Paper], stop: frozenset[str]) -> None:
        self.stop = stop
        everyone = np.arange(len(papers))
        self.sample = [_keys(papers[i]) for i in sample_rows(everyone, everyone, papers, NAME_SAMPLE)]
        self.scale = len(papers) / max(1, len(self.sample))

    def f1(self, name: str, members: list[str]) -> tuple[float, float, float]:
        """(F1 of coverage and precision, coverage, precision) of a name for a topic's members."""
        cover = name_coverage(name, members)
        hits = cover * len(members)
        in_corpus = name_coverage(name, self.sample) * len(self.sample) * self.scale
        precision = hits / max(hits, in_corpus, 1e-9)
        return (2 * cover * precision / (cover + precision) if hits else 0.0), cover, precision


NAME_MIN_PRECISION = 0.2
"""A name counts as carried by most members only if at least this share of all the papers
carrying it are members: "Neural Networks" covers half of many topics and names none of them."""
NAME_SAMPLE = 2000
"""Corpus papers a name's precision is counted on (a fixed sample, for speed at 20k papers)."""


def _common_phrases(members: Sequence[Paper], keys: list[frozenset[str]], stop: frozenset[str]) -> list[str]:
    """Phrases of 2-3 content words that most members carry, as written, title-cased: name
    candidates that cover the topic even when they are not its most distinctive phrases.
    ``keys`` holds each member's ``phrase_keys``."""
    counts = Counter(k for ks in keys for k in ks if " " in k)
    common = sorted(
        (k for k, c in counts.items() if c >= max(2, NAME_MIN_COVERAGE * len(members))), key=lambda k: (-counts[k], k)
    )
    common = [k for k in common if not _cut_short(k, common, counts)]
    written = surfaces(common, list(members), stop)
    return [title_case(written[k]) for k in common if k in written and not repeats(written[k])]


def _word_pairs(members: Sequence[Paper], keys: list[frozenset[str]], stop: frozenset[str]) -> list[str]:
    """Two-word names from words that most members carry, in an order some member writes them
    side by side, title-cased: "Image Segmentation" for papers on segmentation of images of many
    kinds, which share no longer phrase. (``_ranked_names`` weighs them like any name.)
    ``keys`` holds each member's ``phrase_keys``."""
    need = max(2, NAME_MIN_COVERAGE * len(members))
    counts = Counter(k for ks in keys for k in ks if " " not in k)
    common = {k for k, c in counts.items() if c >= need}
    adjacent = {k for ks in keys for k in ks if k.count(" ") == 1 and len(set(k.split()) & common) == 2}
    both = {k: sum(set(k.split()) <= ks for ks in keys) for k in adjacent}
    pairs = sorted((k for k in adjacent if both[k] >= need), key=lambda k: (-both[k], k))[:NAME_PAIRS]
    written = surfaces(pairs, list(members), stop)
    return [title_case(written[k]) for k in pairs if k in written and not repeats(written[k])]


NAME_PAIRS = 8
"""Word pairs tried as names per topic, those most members carry both words of first: each is
counted on the corpus sample, and a few cover the topic's shared vocabulary."""


def _cut_short(key: str, common: list[str], counts: Counter) -> bool:
    """Whether a phrase is a piece of a longer one its carriers nearly always write whole:
    held by a longer common phrase in ``SAYS_THE_SAME`` as many members ("functional magnetic"
    in "functional magnetic resonance"), or a 3-word phrase overlapping another such by two
    words (both pieces of "functional magnetic resonance imaging", longer than phrases go).

    >>> c = Counter({"functional magnetic": 9, "functional magnetic resonance": 9,
    ...              "magnetic resonance imaging": 9, "brain decoding": 8})
    >>> [k for k in c if _cut_short(k, list(c), c)]
    ['functional magnetic', 'functional magnetic resonance', 'magnetic resonance imaging']
    """

    def same(other: str) -> bool:
        return counts[other] >= SAYS_THE_SAME * counts[key]

    if any(len(o) > len(key) and f" {key} " in f" {o} " and same(o) for o in common):
        return True
    ws = key.split()
    return len(ws) == 3 and any(
        same(o) and (o.split()[:2] == ws[1:] or o.split()[1:] == ws[:2]) for o in common if len(o.split()) == 3
    )


def _keys(p: Paper) -> str:
    return runs_text(f"{p.title}. {p.abstract}")


def _ranked_names(options: list[str], members: Sequence[Paper], runs: list[str], carriers: _Carriers) -> list[str]:
    """Name options (in the plural where the members write it so), best first: those carried by
    most members (``NAME_MIN_COVERAGE``) and mostly by members (``NAME_MIN_PRECISION``) by the F1
    of coverage and precision (a name should fit the members and few others), then the rest by
    falling coverage, names most papers outside the topic carry last, a single phrase before an
    "X and Y" that covers as many, then by F1. ``runs`` holds each member's ``_keys``."""
    written = Counter(w.lower() for p in members for w in words(f"{p.title} {p.abstract}"))
    phrases = [phrase_keys(p, carriers.stop) for p in members]
    candidates = (
        options + _common_phrases(members, phrases, carriers.stop) + _word_pairs(members, phrases, carriers.stop)
    )
    named = list(dict.fromkeys(pluralize(o, written) for o in candidates if not participle(o)))
    score = {o: carriers.f1(o, runs) for o in named}
    good = sorted(
        (o for o in named if _most(score[o][1], o) and score[o][2] >= NAME_MIN_PRECISION),
        key=lambda o: -score[o][0],
    )
    rest = sorted(
        (o for o in named if o not in good),
        key=lambda o: (score[o][2] < NAME_MIN_PRECISION, -score[o][1], " and " in o.lower(), -score[o][0]),
    )  # "X and Y" only when most members carry both; among equals, the name fitting fewer others
    return good + rest


def _most(coverage: float, name: str) -> bool:
    """Whether a name is carried by most members (``NAME_MIN_COVERAGE``); an "X and Y" name by
    more than that share, so that it is never named for two halves of a topic.

    >>> _most(0.5, "Spiking Neural Networks"), _most(0.5, "EEG and MEG"), _most(0.67, "EEG and MEG")
    (True, False, True)
    """
    return coverage > NAME_MIN_COVERAGE if " and " in name.lower() else coverage >= NAME_MIN_COVERAGE


def _names(
    drafts: list[Draft], olds: dict[int, TopicEntry], papers: Sequence[Paper], stop: frozenset[str]
) -> list[str]:
    """A unique name per draft: locked names first, then the biggest topics choose first.

    A surviving topic keeps its name while the name's words are still among its key phrases.
    """
    names = {i: e.name for i, e in olds.items() if e.name_locked}
    used = {n.casefold() for n in names.values()} | {CATCH_ALL_NAME.casefold()}
    carriers = _Carriers(papers, stop)
    for i in sorted(set(range(len(drafts))) - set(names), key=lambda i: (-len(drafts[i].members), i)):
        old = olds.get(i)
        members = [papers[m] for m in drafts[i].members]
        keys = [_keys(p) for p in members]
        options = _ranked_names(name_options(drafts[i]), members, keys, carriers)
        if (
            old
            and roots(old.name) <= set().union(*map(roots, drafts[i].phrases))
            and _most(name_coverage(old.name, keys), old.name)
        ):
            written = Counter(w.lower() for m in drafts[i].members for w in words(papers[m].abstract))
            options.insert(0, pluralize(old.name, written))  # still fits: a re-fit keeps it
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


def _entry(draft: Draft, name: str, old: TopicEntry | None) -> TopicEntry:
    locked = old is not None and old.name_locked
    return TopicEntry(
        id=old.id if old else "",
        name=name,
        description=old.description if locked else describe_topic(draft.phrases, name),
        phrases=draft.phrases,
        terms=draft.terms,
        keywords=old.keywords if old else (),
        name_locked=locked,
        size=len(draft.members),
    )


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


def catch_all_entry(previous: TopicModel | None) -> TopicEntry:
    """The "Other Topics" topic, with any lab edits it had."""
    old = next((t for t in previous.topics if t.catch_all), None) if previous else None
    if old and old.name == OLD_CATCH_ALL_NAME and not old.name_locked:
        return replace(old, name=CATCH_ALL_NAME, description=CATCH_ALL_DESCRIPTION, terms=(), size=0)
    if old:
        return replace(old, terms=(), size=0)
    return TopicEntry(id=CATCH_ALL_ID, name=CATCH_ALL_NAME, catch_all=True, description=CATCH_ALL_DESCRIPTION)


CATCH_ALL_DESCRIPTION = (
    "Papers no topic fits with confidence: the closest topic shares little more than common words with them."
)


def _redirects(
    previous: TopicModel, entries: list[TopicEntry], drafts: list[Draft], primaries: list[int]
) -> dict[str, str]:
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
