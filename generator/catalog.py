"""Model stage: records from every listing -> one ``Paper`` per distinct paper. Pure.

Titles are compared ignoring case, punctuation and spacing. A paper's id
(its URL) depends on its title alone: a readable slug plus a short hash of
the merge key, so two titles that slugify alike never share a URL and no
paper's URL depends on which listings exist or in what order they are read.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

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


def paper_id(title: str) -> str:
    """The permanent id of a paper: readable slug + 6 hex digits of its key.

    >>> paper_id("Continuous Thought Machines")
    'continuous-thought-machines-6125ba'
    """
    digest = hashlib.sha1(paper_key(title).encode("utf-8")).hexdigest()[:6]
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
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        if r.title:
            groups[paper_key(r.title)].append(r)
    problems = _attach_orphans([r for r in records if not r.title], groups)
    captures = {lst.name: lst.captured for lst in ordered if lst.captured}
    papers = []
    for group in groups.values():
        paper, disagreements = _merge(group, captures)
        papers.append(paper)
        problems += disagreements
    problems += _id_clashes(papers)
    return sorted(papers, key=lambda p: p.sort_key), sorted(problems)


def _attach_orphans(orphans: list[Record], groups: dict[str, list[Record]]) -> list[Problem]:
    """Join each abstract-only record to the paper with the same abstract, or report it."""
    if not orphans:
        return []
    by_abstract: dict[str, str] = {}
    for key, group in groups.items():
        for r in group:
            by_abstract.setdefault(merge_key(r.abstract), key)
    by_abstract.pop("", None)
    problems = []
    for r in orphans:
        key = by_abstract.get(merge_key(r.abstract))
        if key is None:
            problems.append(Problem(r.listing, r.line, "abstract with no title, and no paper has the same abstract",
                                    r.abstract))
        else:
            groups[key].append(r)
    return problems


def _merge(group: list[Record], captures: dict | None = None) -> tuple[Paper, list[Problem]]:
    """One paper from all its records: first value found wins, upvotes take the maximum.

    A date printed with its year wins over one whose year was inferred.
    Records that disagree on date, authors or organization are reported.
    ``added`` is the earliest capture date among the paper's listings.
    """
    titled = [r for r in group if r.title]
    dated = sorted((r for r in group if r.date), key=lambda r: not _has_year(r.date_text))
    abstract = _first(group, "abstract") or ""
    votes = [r.upvotes for r in group if r.upvotes is not None]
    paper = Paper(
        id=paper_id(titled[0].title), key=paper_key(titled[0].title), title=titled[0].title,
        abstract_raw=abstract, abstract=display_text(abstract),
        authors=_first(group, "authors"), organization=_first(group, "organization"),
        date=dated[0].date if dated else None,
        upvotes=max(votes) if votes else None,
        listings=tuple(sorted({r.listing for r in group})), links=find_links(abstract),
        line=titled[0].line,
        added=min((captures[r.listing] for r in group if r.listing in (captures or {})), default=None),
    )
    return paper, _disagreements(paper, group)


def _first(group: list[Record], attr: str):
    """The first value of ``attr`` that is neither ``None`` nor empty."""
    return next((getattr(r, attr) for r in group if getattr(r, attr) not in (None, "")), None)


def _has_year(date_text: str) -> bool:
    """Whether a printed date carries its year.

    >>> _has_year("May 29, 2023"), _has_year("Sep 30 27")
    (True, False)
    """
    return "," in date_text


def _disagreements(paper: Paper, group: list[Record]) -> list[Problem]:
    """Records of one paper whose date, authors or organization differ from the paper's."""
    problems = []
    for attr in ("date", "authors", "organization"):
        chosen = getattr(paper, attr)
        for r in group:
            value = getattr(r, attr)
            if value is not None and value != chosen:
                shown = r.date_text if attr == "date" else str(value)
                problems.append(Problem(r.listing, r.line, f"{attr} differs from {chosen} given elsewhere "
                                                           f"for {paper.title!r}", shown))
    return problems


def _id_clashes(papers: list[Paper]) -> list[Problem]:
    """Report two papers that would share a URL (a hash collision: practically never)."""
    seen: dict[str, Paper] = {}
    problems = []
    for p in papers:
        if p.id in seen:
            problems.append(Problem(p.listings[0], p.line, f"same URL as {seen[p.id].title!r}", p.title))
        seen[p.id] = p
    return problems
