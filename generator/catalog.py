"""Model stage: records from every listing -> one ``Paper`` per distinct paper. Pure.

Two records are the same paper when their titles match ignoring case,
punctuation and spacing (symbols that carry meaning, ``+`` and ``#`` in
"C++" and "C#", kept: ``title_key``) *and* their abstracts agree: equal
after normalisation, one side has none, or nearly equal (``near_abstracts``: one
cut short, revised or re-typed; the longest is shown). Same-key titles with different
abstracts stay different papers, and each such near-collision is reported.

A paper's id (its URL) is a readable slug plus six hex digits of its title
compared without case, punctuation and spacing (``paper_key``); only papers
whose titles collide on that key get digits of their full identity (title
key and abstract) instead. No id depends on which listings exist besides the
colliding ones, or on the order listings are read in. ``addresses.keep_addresses``
then gives every paper of the previously published site its old id back.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from slugify import slugify

from .model import Paper, Problem, Record
from .read.parse import Listing
from .text import display_text, find_links, merge_key

SLUG_WORDS_MAX = 80
"""Longest readable part of a paper id, in characters (ids stay far below file-name limits)."""


def paper_key(title: str) -> str:
    """The merge key of a title; titles without letters or digits keep their own spelling.

    >>> paper_key("Continuous Thought Machines"), paper_key("🧠 🤖")
    ('continuousthoughtmachines', '~🧠🤖')
    """
    return merge_key(title) or "~" + "".join(title.casefold().split())


MEANINGFUL_SYMBOLS = frozenset("+#*@%$&=<>|~^")
"""Characters kept in a title key although they are not letters: "C++", "C#", "A*", "R&D" name other things."""
_KEPT_CATEGORIES = frozenset({"Sm", "Sc", "So"})
"""Unicode math, currency and other symbols (``∞``, ``€``, ``🧠``) are kept too; punctuation is not."""


_NOT_KEPT_ASCII = re.compile("[^a-z0-9" + re.escape("".join(sorted(MEANINGFUL_SYMBOLS))) + "]+")
"""What ``title_key`` drops from an ASCII title (the fast path: most titles are ASCII)."""
_LATEX_HINT = re.compile(r"[\\{~`^_]")
"""Display text differs from the raw text only where one of these occurs (see ``text.display_text``)."""


def title_key(title: str) -> str:
    """The identity key of a title: no case, punctuation or spacing, but symbols that carry meaning kept.

    >>> title_key("C++ for X"), title_key("C# for X"), title_key("C for X!"), title_key("c  FOR x")
    ('c++forx', 'c#forx', 'cforx', 'cforx')
    >>> title_key("???") != title_key("!!!")
    True
    """
    if title.isascii():
        kept = _NOT_KEPT_ASCII.sub("", title.lower())
    else:
        folded = unicodedata.normalize("NFKC", title).casefold()
        kept = "".join(
            c for c in folded if c.isalnum() or c in MEANINGFUL_SYMBOLS or unicodedata.category(c) in _KEPT_CATEGORIES
        )
    return kept if any(c.isalnum() for c in kept) else paper_key(title)


@lru_cache(maxsize=1 << 15)
def _display(raw: str) -> str:
    """``display_text`` once per distinct abstract: merging needs it for the key and for the paper."""
    return display_text(raw)


def abstract_key(raw: str) -> str:
    """An abstract compared as displayed, without case, punctuation or spacing (``""`` for none).

    >>> abstract_key(r"We gain 15\\%.") == abstract_key("we gain 15%")
    True
    """
    return merge_key(_display(raw) if _LATEX_HINT.search(raw) else raw)


def paper_id(title: str, identity: str = "") -> str:
    """The permanent id of a paper: readable slug + 6 hex digits of its key (or of ``identity``, when given).

    >>> paper_id("Continuous Thought Machines")
    'continuous-thought-machines-6125ba'
    """
    digest = hashlib.sha1((identity or paper_key(title)).encode("utf-8")).hexdigest()[:6]
    slug = slugify(title, max_length=SLUG_WORDS_MAX, word_boundary=True) or "paper"
    return f"{slug}-{digest}"


def build_catalog(listings: Iterable[Listing]) -> tuple[list[Paper], list[Problem]]:
    """Merge the records of all listings into papers, newest first, then by title.

    Listings are read in file-name order, so the result never depends on the
    order they are given in. The problems are those of merging only (each
    listing keeps its own reading problems).

    >>> from generator.read.parse import parse_listing
    >>> a = parse_listing("Brain Decoding\\n\\nWe decode images. It works. Code soon.\\n", "a.txt")
    >>> b = parse_listing("brain decoding!\\n\\n  • 4 authors\\n·\\nMay 2, 2024 7\\n", "b.txt")
    >>> [(p.title, p.authors, str(p.date), p.upvotes, p.listings) for p in build_catalog([b, a])[0]]
    [('Brain Decoding', 4, '2024-05-02', 7, ('a.txt', 'b.txt'))]
    """
    ordered = sorted(listings, key=lambda lst: lst.name)
    records = [r for lst in ordered for r in lst.records]
    by_title: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        if r.title:
            by_title[title_key(r.title)].append(r)
    groups: dict[tuple[str, str], list[Record]] = {}
    problems: list[Problem] = []
    for key in sorted(by_title):
        split, ambiguous = _by_abstract(key, by_title[key])
        groups.update(split)
        problems += ambiguous
    problems += _attach_orphans([r for r in records if not r.title], groups)
    captures = {lst.name: lst.captured for lst in ordered if lst.captured}
    papers = []
    for key, group in groups.items():
        paper, disagreements = _merge(group, captures)
        papers.append((key, paper))
        problems += disagreements
    papers, collisions = _identities(papers)
    problems += collisions + id_clashes(papers)
    return sorted(papers, key=lambda p: p.sort_key), sorted(problems)


def _by_abstract(key: str, records: list[Record]) -> tuple[dict[tuple[str, str], list[Record]], list[Problem]]:
    """Records of one title key split into papers by abstract; records without one join the only paper.

    When several papers share the title, a record without abstract cannot
    tell which one it shows: it joins the one whose abstract key sorts first,
    and that is reported.
    """
    split: dict[tuple[str, str], list[Record]] = defaultdict(list)
    bare = []
    for r in records:
        if r.abstract:
            split[(key, abstract_key(r.abstract))].append(r)
        else:
            bare.append(r)
    split, problems = _join_near(split, records)
    if bare:
        target = min(split) if split else (key, "")
        if len(split) > 1:
            problems += [
                Problem(
                    r.listing,
                    r.line,
                    f"title shared by {len(split)} papers with different "
                    "abstracts and no abstract here; joined to the first",
                    r.title,
                )
                for r in bare
            ]
        split[target] = sorted(split.get(target, []) + bare, key=records.index)
    return dict(split), problems


NEAR_ABSTRACT_RATIO = 0.9
"""Two abstracts of one title this alike (``difflib`` ratio of their keys) are one paper's,
revised or re-typed; two papers that merely share a title have abstracts far apart."""
NEAR_PREFIX_CHARS = 150
"""An abstract cut short (``"... learns th…"``) joins the full one when at least this many of its
letters and digits (two or three sentences) begin it: less could begin another paper's abstract."""


def near_abstracts(a: str, b: str) -> bool:
    """Whether two abstract keys of the same title are one abstract: one begins the other (cut short,
    or a sentence added) or they are nearly equal.

    >>> full = "westudysparsecodes" * 20
    >>> near_abstracts(full[:160], full), near_abstracts(full[:100], full), near_abstracts(full.replace("codes", "kodes", 1), full)
    (True, False, True)
    """
    short, long = sorted((a, b), key=len)
    if len(short) >= NEAR_PREFIX_CHARS and long.startswith(short):
        return True
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= NEAR_ABSTRACT_RATIO and matcher.ratio() >= NEAR_ABSTRACT_RATIO


def _join_near(
    split: dict[tuple[str, str], list[Record]], records: list[Record]
) -> tuple[dict[tuple[str, str], list[Record]], list[Problem]]:
    """Papers of one title whose abstracts are one abstract (``near_abstracts``) joined into the one with
    the longest abstract, each joined record reported (its listing shows the abstract otherwise)."""
    if len(split) < 2:
        return split, []
    out: dict[tuple[str, str], list[Record]] = {}
    problems = []
    for ident in sorted(split, key=lambda k: (-len(k[1]), k)):  # the longest abstract first: it stays
        home = next((kept for kept in out if near_abstracts(ident[1], kept[1])), None)
        if home is None:
            out[ident] = list(split[ident])
            continue
        out[home] = sorted(out[home] + split[ident], key=records.index)
        shown = split[home][0]
        problems += [
            Problem(
                r.listing,
                r.line,
                f"same paper as {shown.listing}:{shown.line}, whose abstract is nearly the same "
                "(cut short, revised or re-typed); joined, showing the longer abstract",
                r.title,
            )
            for r in split[ident]
        ]
    return out, problems


def _identities(papers: list[tuple[tuple[str, str], Paper]]) -> tuple[list[Paper], list[Problem]]:
    """Ids for papers whose titles collide on ``paper_key``, and one problem per near-collision.

    A colliding paper keeps the plain id when its title key has no symbols
    and no other abstract (``"C for X"`` next to ``"C++ for X"``); the others
    get digits of their title key and abstract key, which no listing order
    changes.
    """
    by_loose: dict[str, list[tuple[tuple[str, str], Paper]]] = defaultdict(list)
    titles_per_key: dict[str, int] = defaultdict(int)
    for identity, p in papers:
        by_loose[paper_key(p.title)].append((identity, p))
        titles_per_key[identity[0]] += 1
    out, problems = [], []
    for loose, members in by_loose.items():
        if len(members) == 1:
            out.append(members[0][1])
            continue

        def plain(identity: tuple[str, str], loose: str = loose) -> bool:
            return identity[0] == loose and titles_per_key[identity[0]] == 1

        members.sort(key=lambda kp: (not plain(kp[0]), kp[0]))
        first = members[0][1]
        for (key, abstract), p in members:
            out.append(p if plain((key, abstract)) else replace(p, id=paper_id(p.title, f"{key}\n{abstract}")))
            if p is not first:
                same = key == members[0][0][0]
                problems.append(
                    Problem(
                        p.listings[0],
                        p.line,
                        (
                            f"same title as {first.title!r} ({first.listings[0]}:{first.line}) but a different abstract"
                            if same
                            else f"title differs only in symbols from {first.title!r} "
                            f"({first.listings[0]}:{first.line})"
                        )
                        + "; kept as a separate paper",
                        p.title,
                    )
                )
    return out, problems


def _attach_orphans(orphans: list[Record], groups: dict[tuple[str, str], list[Record]]) -> list[Problem]:
    """Join each abstract-only record to the paper with the same abstract, or report it."""
    if not orphans:
        return []
    by_abstract: dict[str, tuple[str, str]] = {}
    for key in groups:
        if key[1]:
            by_abstract.setdefault(key[1], key)
    problems = []
    for r in orphans:
        key = by_abstract.get(abstract_key(r.abstract))
        if key is None:
            problems.append(
                Problem(r.listing, r.line, "abstract with no title, and no paper has the same abstract", r.abstract)
            )
        else:
            groups[key].append(r)
    return problems


def _merge(group: list[Record], captures: dict | None = None) -> tuple[Paper, list[Problem]]:
    """One paper from all its records: first value found wins, upvotes take the maximum, the
    abstract is the longest (``_join_near`` may have joined one cut short).

    A date printed with its year wins over one whose year was inferred. The
    slug comes from the printing of the title whose id sorts first, so no
    listing order changes it.
    Records that disagree on date, authors or organization are reported.
    ``added`` is the earliest capture date among the paper's listings.
    """
    titled = [r for r in group if r.title]
    printings = sorted({r.title for r in titled})
    slug_title = printings[0] if len(printings) == 1 else min(printings, key=lambda t: (paper_id(t), t))
    dated = sorted((r for r in group if r.date), key=lambda r: not _has_year(r.date_text))
    abstracts = [r.abstract for r in group if r.abstract]
    abstract = (  # the longest, when the printings differ (keys are compared only then: they cost)
        max(abstracts, key=lambda a: len(abstract_key(a))) if len(set(abstracts)) > 1 else next(iter(abstracts), "")
    )
    votes = [r.upvotes for r in group if r.upvotes is not None]
    paper = Paper(
        id=paper_id(slug_title),
        key=title_key(titled[0].title),
        title=titled[0].title,
        abstract_raw=abstract,
        abstract=_display(abstract),
        authors=_first(group, "authors"),
        organization=_first(group, "organization"),
        date=dated[0].date if dated else None,
        upvotes=max(votes) if votes else None,
        listings=tuple(sorted({r.listing for r in group})),
        links=find_links(abstract),
        line=titled[0].line,
        added=min((captures[r.listing] for r in group if r.listing in (captures or {})), default=None),
        author_names=_first(group, "author_names") or (),
        listed_arxiv_id=_first(group, "arxiv_id"),
        doi=_first(group, "doi"),
    )
    return paper, _disagreements(paper, group)


def _first(group: list[Record], attr: str):
    """The first value of ``attr`` that is neither ``None`` nor empty."""
    return next((getattr(r, attr) for r in group if getattr(r, attr) not in _ABSENT), None)


_ABSENT = (None, "", ())
"""Values a record gives when its listing does not print the field."""


def _has_year(date_text: str) -> bool:
    """Whether a printed date carries its year.

    >>> _has_year("May 29, 2023"), _has_year("Sep 30 27")
    (True, False)
    """
    return "," in date_text


def _disagreements(paper: Paper, group: list[Record]) -> list[Problem]:
    """Records of one paper whose date, authors, organization, authors' names, arXiv id or DOI
    differ from the paper's (the first given wins)."""
    problems = []
    for attr, kept, label in _COMPARED:
        chosen = getattr(paper, kept)
        for r in group:
            value = getattr(r, attr)
            if value not in _ABSENT and value != chosen:
                shown = r.date_text if attr == "date" else _shown(value)
                message = f"{label} differs from {_shown(chosen)} given elsewhere for {paper.title!r}"
                problems.append(Problem(r.listing, r.line, message, shown))
    return problems


_COMPARED = (
    ("date", "date", "date"),
    ("authors", "authors", "authors"),
    ("organization", "organization", "organization"),
    ("author_names", "author_names", "author list"),
    ("arxiv_id", "listed_arxiv_id", "arXiv id"),
    ("doi", "doi", "DOI"),
)
"""What two listings of one paper must agree on: (record field, paper field, as a message names it)."""


def _shown(value) -> str:
    """A value as a message shows it: names joined by commas, anything else as ``str`` does."""
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def id_clashes(papers: list[Paper]) -> list[Problem]:
    """Report two papers that would share a URL (a hash collision: practically never)."""
    seen: dict[str, Paper] = {}
    problems = []
    for p in papers:
        if p.id in seen:
            problems.append(Problem(p.listings[0], p.line, f"same URL as {seen[p.id].title!r}", p.title))
        seen[p.id] = p
    return problems
