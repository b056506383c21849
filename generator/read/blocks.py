"""Read stage: the meta block around a ``·`` line -> a ``Meta``, its lines marked consumed. Pure.

A meta block is an authors line (``  • 3 authors``, or the authors named, whose names are kept), or
an organization line (``SakanaAI Sakana AI``), then ``·``, then a date line with optional upvotes (or
the upvotes on a line below). A ``Submitted by alice`` line may stand above or below it. ``parse``
finds the blocks in a listing; ``meta`` reads what each line says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Organization, Problem
from .meta import author_names, looks_like_date, parse_organization, read_date_line, submitter_line, upvote_count

AUTHORS = re.compile(r"^(?:[•·*-]\s*)?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,6})\s+authors?(?:\s*[•·])?$", re.I)
"""An authors line: ``• 3 authors``, ``1 author``, ``• 1,024 Authors``, ``3 authors ·``."""
BULLET = "•"
DOT = "·"
DATE_GAP_LINES = 2
"""Blank lines allowed between a meta block's ``·`` and its date line (a copy-paste may add one or two)."""


@dataclass(frozen=True)
class Meta:
    """A parsed meta block (authors or organization line, ``·``, date line)."""

    line: int
    """1-based line of the block's first line."""
    authors: int | None
    """Authors counted (``• 3 authors``) or named; ``None`` without an authors line."""
    organization: Organization | None
    """The organization line's handle and name; ``None`` without one."""
    month_day: tuple[int, int] | None
    """Month and day of the date line; ``None`` when it is missing or unreadable."""
    year: int | None
    """The year the date line prints; ``None`` when it prints none (the capture year is inferred later)."""
    date_text: str
    """The date line as printed (``""`` when there is none)."""
    upvotes: int | None
    """Upvotes after the date, 0 when none are printed; ``None`` when the date line is missing."""
    date_line: int = 0
    """1-based line of the date, 0 when there is none."""
    author_names: tuple[str, ...] = ()
    """The authors' names, when the authors line names them rather than counting them."""


def stripped(lines: list[str], j: int) -> str:
    """Line ``j`` without surrounding spaces, ``""`` past the end."""
    return lines[j].strip() if 0 <= j < len(lines) else ""


def read_block(lines: list[str], j: int, start: int, name: str, problems: list[Problem], consumed: set[int]) -> Meta:
    """Parse the meta block around the ``·`` at index ``j``, marking its lines consumed."""
    consumed.add(j)
    first, authors, org, names = j, None, None, ()
    first = _submitter_above(lines, first, start, name, problems, consumed)
    prev = stripped(lines, first - 1) if first - 1 >= start and first - 1 not in consumed else ""
    if AUTHORS.match(prev):
        authors, first = author_count(prev), first - 1
    elif names := author_names(prev):
        authors, first = len(names), first - 1
    elif prev and parse_organization(prev):
        org, first = parse_organization(prev), first - 1
    consumed.add(first)
    first = _submitter_above(lines, first, start, name, problems, consumed)
    k = j + 1
    while k < len(lines) and not lines[k].strip() and k - j <= DATE_GAP_LINES:
        k += 1
    nxt = stripped(lines, k)
    parsed = _date_line(nxt, k + 1, name, problems)
    if not parsed and k == j + 1 and looks_like_date(nxt):
        consumed.add(k)
        problems.append(Problem(name, k + 1, "unreadable date", nxt))
        return Meta(first + 1, authors, org, None, None, nxt, None, k + 1, names)
    if not parsed:
        problems.append(Problem(name, j + 1, "meta block has no date line after '·'", nxt))
        return Meta(first + 1, authors, org, None, None, "", None, author_names=names)
    consumed.add(k)
    month_day, year, upvotes = parsed
    below = upvote_count(stripped(lines, k + 1))
    if not upvotes and below is not None:  # the count on a line of its own, under the date
        consumed.add(k + 1)
        upvotes = below
    return Meta(first + 1, authors, org, month_day, year, nxt, upvotes, k + 1, names)


def _submitter_above(
    lines: list[str], first: int, start: int, name: str, problems: list[Problem], consumed: set[int]
) -> int:
    """The block's first line index, one earlier when the line above is a submitter line."""
    j = first - 1
    if j < start or not submitter_line(lines[j]):
        return first
    skip_submitter(lines, j, name, problems, consumed)
    return j


def skip_submitter(lines: list[str], j: int, name: str, problems: list[Problem], consumed: set[int]) -> None:
    """Consume and report a submitter line (``Submitted by alice``: who posted the paper to the page,
    a person rather than the paper's organization, which the site does not show)."""
    if j not in consumed:
        consumed.add(j)
        problems.append(
            Problem(
                name, j + 1, "submitter line (who posted the paper, not its organization); left out", lines[j].strip()
            )
        )


def _date_line(text: str, line: int, name: str, problems: list[Problem]):
    """The date line of a meta block, as ``parse_date`` reads it; an implausible upvote count is reported."""
    parsed, rest = read_date_line(text)
    if rest:
        problems.append(Problem(name, line, "upvote count is not a plausible number; dropped, date kept", text))
    return parsed


def author_count(line: str) -> int:
    """The number on an authors line (``AUTHORS``)."""
    return int(AUTHORS.match(line.strip()).group(1).replace(",", ""))


def authors_only_block(lines: list[str], j: int, name: str, problems: list[Problem], consumed: set[int]) -> Meta:
    """An ``N authors`` line with no ``·`` after it: a date may still follow, or nothing."""
    consumed.add(j)
    authors = author_count(lines[j])
    nxt = stripped(lines, j + 1)
    parsed = _date_line(nxt, j + 2, name, problems)
    if not parsed:
        problems.append(Problem(name, j + 1, "meta block cut short (no '·' and date)", lines[j].strip()))
        return Meta(j + 1, authors, None, None, None, "", None)
    problems.append(Problem(name, j + 2, "meta block lacks its '·' line", nxt))
    consumed.add(j + 1)
    month_day, year, upvotes = parsed
    return Meta(j + 1, authors, None, month_day, year, nxt, upvotes, j + 2)
