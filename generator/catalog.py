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
from .parse import Listing
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
    """Merge the records of all listings into papers, newest first, then by title."""
    ordered = sorted(listings, key=lambda lst: lst.name)
    records = [r for lst in ordered for r in lst.records]
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        if r.title:
            groups[paper_key(r.title)].append(r)
    problems = _attach_orphans([r for r in records if not r.title], groups)
    papers = [_merge(group) for group in groups.values()]
    problems += _id_clashes(papers)
    return sorted(papers, key=lambda p: p.sort_key), problems


def _attach_orphans(orphans: list[Record], groups: dict[str, list[Record]]) -> list[Problem]:
    """Join each abstract-only record to the paper with the same abstract, or report it."""
    by_abstract = {merge_key(r.abstract): key for key, group in groups.items()
                   for r in group if r.abstract}
    problems = []
    for r in orphans:
        key = by_abstract.get(merge_key(r.abstract))
        if key is None:
            problems.append(Problem(r.listing, r.line, "abstract with no title, and no other listing has it",
                                    r.abstract))
        else:
            groups[key].append(r)
    return problems


def _merge(group: list[Record]) -> Paper:
    """One paper from all its records: first value found wins, upvotes take the maximum."""
    titled = [r for r in group if r.title]

    def first(attr: str):
        return next((getattr(r, attr) for r in group if getattr(r, attr) not in (None, "")), None)

    abstract = first("abstract") or ""
    votes = [r.upvotes for r in group if r.upvotes is not None]
    return Paper(
        id=paper_id(titled[0].title), key=paper_key(titled[0].title), title=titled[0].title,
        abstract_raw=abstract, abstract=display_text(abstract),
        authors=first("authors"), organization=first("organization"), date=first("date"),
        upvotes=max(votes) if votes else None,
        listings=tuple(sorted({r.listing for r in group})), links=find_links(abstract),
        line=titled[0].line,
    )


def _id_clashes(papers: list[Paper]) -> list[Problem]:
    """Report two papers that would share a URL (a hash collision: practically never)."""
    seen: dict[str, Paper] = {}
    problems = []
    for p in papers:
        if p.id in seen:
            problems.append(Problem(p.listings[0], p.line, f"same URL as {seen[p.id].title!r}", p.title))
        seen[p.id] = p
    return problems
