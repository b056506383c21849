"""Read stage: one listing's text -> records and problems. Pure functions only.

A listing is a text dump of a Hugging Face "Daily Papers" page::

    new / Get trending papers in your email inbox! / Subscribe / Daily Papers /
    byAK and the research community / Dec 10          <- header, capture day

    Continuous Thought Machines                        <- title
    We introduce ...                                   <- abstract
      • 3 authors        (or: SakanaAI Sakana AI)      <- meta block, optional
    ·
    May 8 27                                           <- date, optional upvotes (or on a line below)

The page prints a year only for dates before the capture year, so the
capture year is one more than the latest explicit year of the listing.
This module finds the parts; ``classify`` tells titles from abstracts, ``blocks``
reads a meta block and ``meta`` what a date or organization line says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from ..model import Problem, Record
from .blocks import AUTHORS, BULLET, DOT, Meta, authors_only_block, read_block, skip_submitter, stripped
from .classify import abstract_score, label_segment, sentence_count  # noqa: F401 (re-exported)
from .decode import decode, newlines  # noqa: F401 (decode re-exported)
from .meta import iso_date, listed_identifier, parse_date, period_line, submitter_line

HEADER_LINES = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "Weekly Papers",
        "Monthly Papers",
        "byAK and the research community",
    }
)
_HEADER_KEYS = frozenset(h.rstrip("!").casefold() for h in HEADER_LINES)


@dataclass(frozen=True)
class Listing:
    """Everything read from one listing file."""

    name: str
    """File name, e.g. ``"000_d50e86dd121e9ce5.txt"``."""
    records: tuple[Record, ...]
    """Records in file order."""
    problems: tuple[Problem, ...]
    """What could not be read, with line numbers."""
    captured: dt.date | None
    """Capture date of the page, when it is known."""


# --- text -> listing -------------------------------------------------------------------------


@dataclass(frozen=True)
class _PageDate:
    """The date printed in the header: the day the page was captured."""

    line: int
    """1-based line of the date in the header."""
    month_day: tuple[int, int] | None
    """Month and day; ``None`` for a weekly or monthly page that prints no day (``December 2025``)."""
    year: int | None
    """The year it prints, if any: the capture year."""
    text: str
    """The line as printed."""


def parse_listing(text: str, name: str, captured: dt.date | None = None, today: dt.date | None = None) -> Listing:
    """Read one listing's text into records, collecting problems instead of stopping.

    ``captured`` is the capture date stated in configuration, if any; it wins
    over what the header and the explicit years suggest. ``today`` is the date of
    the build: a header day whose year nothing else tells (``Aug 5`` in a listing
    without any year) is taken as its latest occurrence up to today, for the
    listing's capture date only (the papers' own year-less dates stay unknown).

    >>> lst = parse_listing("Daily Papers\\n\\nDec 10\\n\\nA Title\\n\\nAn abstract. It is long enough. Really.\\n\\n  • 3 authors\\n·\\nMay 22, 2024 5\\n", "a.txt")
    >>> r = lst.records[0]; (r.title, r.authors, r.date.isoformat(), r.upvotes, r.line)
    ('A Title', 3, '2024-05-22', 5, 5)
    >>> lst.captured
    datetime.date(2025, 12, 10)
    """
    text = newlines(text.removeprefix("\ufeff"))
    if _INVISIBLE.search(text):
        text = _INVISIBLE_EDGES.sub("", text)
    lines = text.split("\n")
    start, page, unknown = _skip_header(lines)
    problems = [
        Problem(name, n, "line in the page header that is no known header line; skipped", s) for n, s in unknown
    ]
    events, identifiers = _events(lines, start, name, problems)
    metas = [e for e in events if isinstance(e, Meta)]
    year, when = _capture(page, metas, captured, name, problems)
    if year is None:
        _report_yearless(metas, name, problems)
        when = _latest_up_to(page.month_day, today) if page and page.month_day and today else None
    records = [_dated(r, m, year, when, name, problems) for r, m in _records(events, name, problems)]
    records = _with_identifiers(records, identifiers, name, problems)
    problems += [
        Problem(name, r.line, "title with neither abstract nor meta block (kept as a paper)", r.title)
        for r in records
        if r.title and not r.abstract and not r.has_meta
    ]
    if not records:
        body = next((s.strip() for s in lines[start:] if s.strip()), "")
        message = (
            "empty listing"
            if not text.strip()
            else "header only, no papers"
            if not body
            else "no papers found in listing"
        )
        problems.append(Problem(name, 0, message, body))
    return Listing(name, tuple(records), tuple(sorted(problems)), when)


_INVISIBLE_CHARS = r"[\u200b-\u200d\u2060\ufeff]"
_INVISIBLE = re.compile(_INVISIBLE_CHARS)
"""Zero-width spaces and joiners, and the byte-order mark: a web page's copy may carry them."""
_INVISIBLE_EDGES = re.compile(
    rf"^[^\S\n]*(?:{_INVISIBLE_CHARS}[^\S\n]*)+|(?:[^\S\n]*{_INVISIBLE_CHARS})+[^\S\n]*$", re.M
)
"""Those characters at the start or end of a line, with the spaces around them: a line of nothing
else is blank, and a title does not end in an invisible character."""
HEADER_SCAN_LINES = 12
"""Text lines at the top searched for the header: the seeds' header has 6 (5 fixed lines and the date)."""


def _skip_header(lines: list[str]) -> tuple[int, _PageDate | None, list[tuple[int, str]]]:
    """Index of the first body line, the page date printed in the header (if any), and the
    header lines that are none of the known ones (``(line number, text)``).

    The header is the run of fixed header lines at the top, then the page date; a listing may
    also have no header at all. A line the header does not usually hold (``"Trending Papers"``
    for ``"Daily Papers"``) is part of it when a known header line or the page date comes after
    it, before any abstract or meta block: so a variant of the page loses no paper and gains none.
    A page date on the first line is the whole header (the fixed lines left out of the copy).
    """
    end, seen, page, dated, unknown, scanned = 0, False, None, False, [], 0
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            continue
        scanned += 1
        if scanned > HEADER_SCAN_LINES or s == DOT or AUTHORS.match(s) or abstract_score(s) > 0:
            break
        when = _page_date(s) if (seen or scanned == 1) and not dated else None  # a page date may stand alone
        if _is_header(s) and not dated:
            seen, end = True, i + 1
        elif when:
            page = _PageDate(i + 1, *when, s) if when != (None, None) else None
            dated, end = True, i + 1
        elif dated:
            break  # the body starts after the page date
        else:
            unknown.append((i + 1, s))
    if not seen and not dated:
        return 0, None, []
    return end, page, [(n, s) for n, s in unknown if n <= end]


def _page_date(line: str) -> tuple[tuple[int, int] | None, int | None] | None:
    """The month and day, and year, of a page date (``Dec 10``, no upvotes) or of the period a weekly
    or monthly page prints in its place (``Dec 4 - Dec 10``, ``Week 50``, ``December 2025``: as far
    as it prints them); ``None`` for any other line."""
    parsed = parse_date(line)
    if parsed:
        return None if parsed[2] else (parsed[0], parsed[1])
    return period_line(line)


def _is_header(line: str) -> bool:
    """One of the fixed header lines of the page, e.g. ``"Daily Papers"`` (case and a final ``!`` aside)."""
    return line.rstrip("!").casefold() in _HEADER_KEYS


def _capture(
    page: _PageDate | None, metas: list[Meta], captured: dt.date | None, name: str, problems: list[Problem]
) -> tuple[int | None, dt.date | None]:
    """Capture year and date: stated in configuration, printed in the header, or latest year + 1."""
    if captured:
        if page and page.month_day and page.month_day != (captured.month, captured.day):
            problems.append(
                Problem(
                    name,
                    page.line,
                    f"page date differs from the configured capture date {captured.isoformat()}",
                    page.text,
                )
            )
        return captured.year, captured
    years = [m.year for m in metas if m.year and not iso_date(m.date_text)]  # the page's own convention
    year = page.year if page and page.year else max(years) + 1 if years else None
    if year is None or not 1 <= year <= dt.MAXYEAR:
        return None, None
    if page is None or page.month_day is None:
        return year, None
    try:
        return year, dt.date(year, *page.month_day)
    except ValueError:
        problems.append(Problem(name, page.line, f"impossible page date in {year}", page.text))
        return year, None


def _latest_up_to(month_day: tuple[int, int], today: dt.date) -> dt.date | None:
    """The latest ``month_day`` on or before ``today`` (Feb 29 only in leap years).

    >>> _latest_up_to((8, 5), dt.date(2026, 12, 1)), _latest_up_to((12, 10), dt.date(2026, 12, 1))
    (datetime.date(2026, 8, 5), datetime.date(2025, 12, 10))
    """
    for year in range(today.year, today.year - 8, -1):
        try:
            day = dt.date(year, *month_day)
        except ValueError:
            continue
        if day <= today:
            return day
    return None


def _report_yearless(metas: list[Meta], name: str, problems: list[Problem]) -> None:
    """One problem for a listing whose year-less dates have no year to be inferred from."""
    yearless = [m for m in metas if m.month_day and m.year is None]
    if yearless:
        problems.append(
            Problem(
                name,
                yearless[0].date_line,
                f"{len(yearless)} date(s) without a year and no explicit year to infer the capture year from; "
                "their year stays unknown (state the capture date in configuration: extra.atlas.capture_dates)",
                yearless[0].date_text,
            )
        )


PAGE_BREAK = "page break"
"""Event between two pasted pages: no paper runs across it."""


@dataclass(frozen=True)
class Identifier:
    """An identifier line (``arXiv:2401.01234``, a DOI), taken out of the text before papers are read."""

    line: int
    """1-based line number."""
    text: str
    """The line as printed, without surrounding spaces."""
    field: str
    """The record field it fills: ``arxiv_id`` or ``doi``."""
    value: str
    """The id or DOI it prints (an arXiv id without its version)."""


def _with_identifiers(
    records: list[Record], identifiers: list[Identifier], name: str, problems: list[Problem]
) -> list[Record]:
    """Records given the arXiv id and DOI printed on lines of their own in their card: under the
    title (or further down, before the next title). An identifier with no title above it is left
    out and reported; so is a second arXiv id or DOI for the same paper."""
    titled = sorted((r.line, k) for k, r in enumerate(records) if r.title)
    out = list(records)
    for ident in identifiers:
        owner = next((k for line, k in reversed(titled) if line < ident.line), None)
        if owner is not None and getattr(out[owner], ident.field) in (None, ident.value):
            out[owner] = replace(out[owner], **{ident.field: ident.value})
        else:
            other = "DOI" if ident.field == "doi" else "id"
            why = "no paper above it" if owner is None else f"the paper has another {other}"
            problems.append(Problem(name, ident.line, f"identifier line ({why}); left out", ident.text))
    return out


def _events(lines: list[str], start: int, name: str, problems: list[Problem]) -> tuple[list, list[Identifier]]:
    """The body as a list of ``(line_no, text)`` items, ``Meta`` blocks and a ``PAGE_BREAK`` where a
    page header repeats (pages pasted one after another), in order; and the identifier lines,
    taken out of the text."""
    consumed: set[int] = set()
    metas: dict[int, Meta] = {}
    pages: set[int] = set()
    identifiers: list[Identifier] = []
    for j in range(start, len(lines)):
        s = lines[j].strip()
        if j in consumed or not s:
            continue
        if _is_header(s):
            _skip_repeated_header(lines, j, name, problems, consumed)
            pages.add(j)
            continue
        if s == DOT:
            meta = read_block(lines, j, start, name, problems, consumed)
        elif AUTHORS.match(s):
            if stripped(lines, j + 1) == DOT:
                continue  # read with the '·' on the next line
            meta = authors_only_block(lines, j, name, problems, consumed)
        elif submitter_line(s):
            skip_submitter(lines, j, name, problems, consumed)
            continue
        # an identifier line: not the title it would be read as (the real title would lose its abstract)
        elif found := listed_identifier(s):
            consumed.add(j)
            identifiers.append(Identifier(j + 1, s, *found))
            continue
        elif s.startswith(BULLET):
            problems.append(Problem(name, j + 1, "unreadable meta line (expected '• N authors')", s))
            consumed.add(j)
            continue
        else:
            continue
        metas[meta.line - 1] = meta
    events: list = []
    block: list[tuple[int, str]] = []
    for j in range(start, len(lines) + 1):
        if j < len(lines) and j not in metas and j not in consumed and lines[j].strip():
            block.append((j + 1, lines[j].strip()))
            continue
        events += _block_items(block)
        block = []
        if j in metas:
            events.append(metas[j])
        elif j in pages and events and events[-1] is not PAGE_BREAK:
            events.append(PAGE_BREAK)
    return events, identifiers


def _block_items(block: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A block of consecutive text lines -> the text items it holds, wrapped lines joined by spaces.

    The lines before the first that reads as an abstract are one (wrapped)
    title, the rest one (wrapped) abstract; a block with no such line, or one
    that starts with it, is a single item.

    >>> _block_items([(5, "Wrapped Titles"), (6, "Over Two Lines")])
    [(5, 'Wrapped Titles Over Two Lines')]
    >>> [n for n, _ in _block_items([(5, "A Title"), (6, "We propose X. " * 30)])]
    [5, 6]
    """
    if len(block) < 2:
        return block
    split = next((k for k, (_, text) in enumerate(block) if abstract_score(text) > 0), 0)
    parts = [block[:split], block[split:]] if split else [block]
    return [(part[0][0], " ".join(text for _, text in part)) for part in parts]


def _skip_repeated_header(lines: list[str], j: int, name: str, problems: list[Problem], consumed: set[int]) -> None:
    """A header line in the body (pages pasted one after another): skip it and a page date after it."""
    consumed.add(j)
    if j == 0 or not _is_header(stripped(lines, j - 1)) and not _is_header(stripped(lines, j - 2)):
        problems.append(
            Problem(
                name,
                j + 1,
                "page header inside the listing; skipped (papers after it are "
                "dated with the first page's capture date)",
                lines[j].strip(),
            )
        )
    k = j + 1
    while k < len(lines) and not lines[k].strip():
        k += 1
    if _page_date(stripped(lines, k)) and not _is_header(stripped(lines, k)):
        consumed.add(k)


def _records(events: list, name: str, problems: list[Problem]) -> list[tuple[Record, Meta | None]]:
    """Group text items into records, attaching each meta block to the record before it."""
    out: list[tuple[Record, Meta | None]] = []
    segment: list[tuple[int, str]] = []
    for event in events + [None]:
        if isinstance(event, tuple):
            segment.append(event)
            continue
        group = _group(segment, name, problems, closed=isinstance(event, Meta))
        if isinstance(event, Meta) and not group:
            problems.append(Problem(name, event.line, "meta block with no paper before it", event.date_text or DOT))
        out.extend(
            (rec, event if (k == len(group) - 1 and isinstance(event, Meta)) else None) for k, rec in enumerate(group)
        )
        segment = []
    return out


def _note_like(line: str) -> bool:
    """A line no title looks like: one ending in a period, or holding an address.

    >>> _note_like("Code is at https://github.com/x/y"), _note_like("Accepted at NeurIPS."), _note_like("Brain3D")
    (True, True, False)
    """
    return line.endswith((".", "。")) or "://" in line


def _group(segment: list[tuple[int, str]], name: str, problems: list[Problem], closed: bool = False) -> list[Record]:
    """Turn labelled text lines into records (title with optional abstract, or abstract only).

    ``closed``: a meta block follows the segment (see ``label_segment``). Then every abstract
    paragraph after the segment's last title belongs to that paper, whose card the meta block
    closes: an abstract in several paragraphs is one abstract, its paragraphs joined by a space
    (as wrapped lines are). So is a last short line that ends in a period or holds an address
    (``"Code is at https://..."``), which would otherwise be a paper with neither abstract nor
    authors; a joined line that might have been a title is reported. Elsewhere an
    abstract after a complete paper stands alone: a paper whose title was cut off, matched by
    its abstract in ``catalog``.
    """
    records: list[Record] = []
    labels = label_segment([text for _, text in segment], closed)
    if closed and labels[-2:] == ["A", "T"] and "T" in labels[:-2] and _note_like(segment[-1][1]):
        labels[-1] = "A"  # "Code is at https://...": the end of the abstract, not a paper of its own
    last_title = max((k for k, label in enumerate(labels) if label == "T"), default=len(labels))
    for k, ((line, text), label) in enumerate(zip(segment, labels)):
        if label == "T":
            records.append(Record(name, line, text))
        elif records and records[-1].title and not records[-1].abstract:
            records[-1] = replace(records[-1], abstract=text)
        elif closed and k > last_title:  # another paragraph of the abstract before the meta block
            records[-1] = replace(records[-1], abstract=f"{records[-1].abstract} {text}")
            if abstract_score(text) < 0:
                problems.append(
                    Problem(name, line, "short line read as more of the abstract above it, not a title", text)
                )
        else:
            records.append(Record(name, line, "", text))
    return records


def _dated(
    record: Record,
    meta: Meta | None,
    capture_year: int | None,
    captured: dt.date | None,
    name: str,
    problems: list[Problem],
) -> Record:
    """Fill a record's meta fields, inferring the year of a year-less date."""
    if meta is None:
        return record
    return replace(
        record,
        has_meta=True,
        authors=meta.authors,
        organization=meta.organization,
        date=_meta_date(meta, capture_year, captured, name, problems),
        date_text=" ".join(meta.date_text.split()),
        upvotes=meta.upvotes,
        author_names=meta.author_names,
    )


def _meta_date(
    meta: Meta, capture_year: int | None, captured: dt.date | None, name: str, problems: list[Problem]
) -> dt.date | None:
    """The date of a meta block; ``None`` (and a problem) when it is impossible or contradictory."""
    year = meta.year or capture_year
    if not meta.month_day or not year:
        return None
    try:
        date = dt.date(year, *meta.month_day)
    except ValueError:
        how = "" if meta.year else f" (year {year} inferred)"
        problems.append(Problem(name, meta.date_line, f"impossible date{how}", meta.date_text))
        return None
    if captured and date > captured:
        if meta.year is None:
            problems.append(
                Problem(
                    name,
                    meta.date_line,
                    f"date after the capture date {captured.isoformat()}; year unknown",
                    meta.date_text,
                )
            )
            return None
        problems.append(
            Problem(name, meta.date_line, f"date after the capture date {captured.isoformat()}", meta.date_text)
        )
    return date
