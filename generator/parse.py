"""Read stage: one listing's text -> records and problems. Pure functions only.

A listing is a text dump of a Hugging Face "Daily Papers" page::

    new / Get trending papers in your email inbox! / Subscribe / Daily Papers /
    byAK and the research community / Dec 10          <- header, capture day

    Continuous Thought Machines                        <- title
    We introduce ...                                   <- abstract
      • 3 authors        (or: SakanaAI Sakana AI)      <- meta block, optional
    ·
    May 8 27                                           <- date, optional upvotes
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from .model import Organization, Problem, Record

HEADER_LINES = frozenset({
    "new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
    "byAK and the research community",
})
MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_MONTH_ALIASES = {"sept": 9, "june": 6, "july": 7}
_DATE = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2})(?:, (\d{4}))?(?: (\d+))?$")
_AUTHORS = re.compile(r"^[•·*-]?\s*(\d+)\s+authors?$")
_ORG = re.compile(r"^([A-Za-z0-9][\w.\-]{0,95})(?: (.{1,120}))?$")
_DOT = "·"

ORPHAN_COST = 4.0
"""Cost of reading a line as an abstract with no title before it."""
NO_ABSTRACT_COST = 2.5
"""Cost of reading a line as a title with no abstract after it."""


@dataclass(frozen=True)
class Meta:
    """A parsed meta block (authors or organization line, ``·``, date line)."""

    line: int
    authors: int | None
    organization: Organization | None
    month_day: tuple[int, int] | None
    year: int | None
    date_text: str
    upvotes: int


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


def decode(data: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Bytes of a listing -> text, with a problem when it is not clean UTF-8.

    >>> decode(b"\\xef\\xbb\\xbfTitle\\r\\n", "a.txt")
    ('Title\\n', [])
    >>> decode(b"caf\\xe9", "b.txt")[0]
    'café'
    """
    if b"\x00" in data[:8192] or _control_ratio(data[:8192]) > 0.1:
        return None, [Problem(name, 0, "binary file, not a listing; skipped")]
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        text = data.decode("cp1252", errors="replace")
        problems.append(Problem(name, line, "not UTF-8; decoded as Windows-1252",
                                data[err.start:err.start + 20].decode("cp1252", "replace")))
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def _control_ratio(data: bytes) -> float:
    """Share of control bytes other than tab and line ends."""
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 13, 12))
    return bad / len(data)


def parse_date(text: str) -> tuple[tuple[int, int], int | None, int] | None:
    """``"Sep 30 27"`` -> ``((9, 30), None, 27)``; ``None`` if it is no date line.

    >>> parse_date("Feb 8, 2024 1")
    ((2, 8), 2024, 1)
    """
    m = _DATE.match(text.strip())
    if not m:
        return None
    month = month_number(m.group(1))
    if not month:
        return None
    year = int(m.group(3)) if m.group(3) else None
    return (month, int(m.group(2))), year, int(m.group(4) or 0)


def month_number(word: str) -> int | None:
    """``"Sep"``, ``"Sept"`` or ``"September"`` -> 9; ``None`` for other words.

    >>> month_number("May"), month_number("Sept"), month_number("Mayday")
    (5, 9, None)
    """
    w = word.lower()
    if w in _MONTH_ALIASES:
        return _MONTH_ALIASES[w]
    month = MONTHS.get(w[:3])
    full = dt.date(2000, month, 1).strftime("%B").lower() if month else ""
    return month if w == w[:3] or w == full else None


def abstract_score(line: str) -> float:
    """How much a line looks like an abstract (>0) rather than a title (<0).

    >>> abstract_score("Continuous Thought Machines") < 0
    True
    >>> abstract_score("We propose X. " * 30) > 0
    True
    """
    n = len(line)
    score = -2.0 if n < 120 else -0.5 if n < 250 else 2.5 if n > 600 else 1.0
    end = line.rstrip()[-1:]
    score += 1.5 if end in ".)" else 0.0 if end in "?!\"'”" else -0.5
    sentences = len(re.findall(r"[.!?]\s+[A-Z]", line))
    score += 1.5 if sentences >= 2 else 0.5 if sentences == 1 else 0.0
    return score


def label_segment(lines: list[str]) -> list[str]:
    """Label each text line ``T`` (title) or ``A`` (abstract), most plausibly.

    A paper is a title with at most one abstract after it; an abstract with
    no title before it is possible but costly, and so is a missing abstract.

    >>> label_segment(["Brain Decoding", "We decode images from fMRI. It works. Code soon."])
    ['T', 'A']
    """
    # best[state] = (cost, labels); state "open" = last item is a title awaiting its abstract
    best: dict[bool, tuple[float, list[str]]] = {False: (0.0, [])}
    for line in lines:
        a = abstract_score(line)
        nxt: dict[bool, tuple[float, list[str]]] = {}
        for is_open, (cost, labels) in best.items():
            options = [(True, cost + a + (NO_ABSTRACT_COST if is_open else 0.0), "T"),
                       (False, cost - a + (0.0 if is_open else ORPHAN_COST), "A")]
            for state, c, lab in options:
                if state not in nxt or c < nxt[state][0]:
                    nxt[state] = (c, labels + [lab])
        best = nxt
    finals = [(c + (NO_ABSTRACT_COST if st else 0.0), labels) for st, (c, labels) in best.items()]
    return min(finals, key=lambda f: (f[0], f[1]))[1]


def parse_listing(text: str, name: str, captured: dt.date | None = None) -> Listing:
    """Read one listing's text into records, collecting problems instead of stopping.

    ``captured`` is the capture date stated in configuration, if any; it wins
    over what the header and the explicit years suggest.

    >>> lst = parse_listing("Daily Papers\\n\\nDec 10\\n\\nA Title\\n\\nAn abstract. It is long enough. Really.\\n\\n  • 3 authors\\n·\\nMay 22, 2024 5\\n", "a.txt")
    >>> r = lst.records[0]; (r.title, r.authors, r.date.isoformat(), r.upvotes, r.line)
    ('A Title', 3, '2024-05-22', 5, 5)
    """
    lines = [line.rstrip() for line in text.split("\n")]
    start, header_day = _skip_header(lines)
    problems: list[Problem] = []
    events = _events(lines, start, name, problems)
    metas = [e for e in events if isinstance(e, Meta)]
    captured = captured or _capture_date(header_day, metas)
    capture_year = captured.year if captured else None
    if capture_year is None and any(m.year is None and m.month_day for m in metas):
        problems.append(Problem(name, 0, "dates without a year and no year to infer them from; "
                                "state the capture date in configuration (extra.atlas.capture_dates)"))
    records = [_dated(r, m, capture_year, captured, name, problems) for r, m in _records(events, name, problems)]
    if not records:
        problems.append(Problem(name, 0, "no papers found in listing"))
    return Listing(name, tuple(records), tuple(sorted(problems)), captured)


def _skip_header(lines: list[str]) -> tuple[int, tuple[int, int] | None]:
    """Index of the first line after the header, and the header's capture day."""
    i, seen, day = 0, False, None
    while i < len(lines):
        s = lines[i].strip()
        parsed = parse_date(s) if seen and day is None else None
        if s in HEADER_LINES:
            seen = True
        elif parsed and parsed[1] is None and not parsed[2]:
            day = parsed[0]
        elif s:
            break
        i += 1
    return i, day


def _capture_date(day: tuple[int, int] | None, metas: list[Meta]) -> dt.date | None:
    """The page prints years only before the capture year: capture year = latest year + 1."""
    years = [m.year for m in metas if m.year]
    if not day or not years:
        return None
    try:
        return dt.date(max(years) + 1, *day)
    except ValueError:
        return None


def _events(lines: list[str], start: int, name: str, problems: list[Problem]) -> list:
    """The body as a list of ``(line_no, text)`` items and ``Meta`` blocks, in order."""
    consumed: set[int] = set()
    metas: dict[int, Meta] = {}
    for j in range(start, len(lines)):
        s = lines[j].strip()
        if s == _DOT and j not in consumed:
            meta = _meta_at(lines, j, start, name, problems, consumed)
            metas[meta.line] = meta
        elif _AUTHORS.match(s) and lines[j + 1:j + 2] != [_DOT] and j not in consumed:
            problems.append(Problem(name, j + 1, "meta block cut short (no '·' and date)", s))
            consumed.add(j)
            metas[j + 1] = Meta(j + 1, int(_AUTHORS.match(s).group(1)), None, None, None, "", 0)
    events: list = []
    for j in range(start, len(lines)):
        if j + 1 in metas:
            events.append(metas[j + 1])
        elif j not in consumed and lines[j].strip():
            events.append((j + 1, lines[j].strip()))
    return events


def _meta_at(lines: list[str], j: int, start: int, name: str,
             problems: list[Problem], consumed: set[int]) -> Meta:
    """Parse the meta block around the ``·`` at index ``j``, marking its lines consumed."""
    consumed.add(j)
    first = j
    authors, org = None, None
    prev = lines[j - 1].strip() if j - 1 >= start and j - 1 not in consumed else ""
    if _AUTHORS.match(prev):
        authors, first = int(_AUTHORS.match(prev).group(1)), j - 1
    elif prev and _ORG.match(prev):
        handle, display = _ORG.match(prev).groups()
        org, first = Organization(handle, display or handle), j - 1
    consumed.add(first)
    nxt = lines[j + 1].strip() if j + 1 < len(lines) else ""
    if not nxt:
        problems.append(Problem(name, j + 1, "meta block has no date line", lines[j].strip()))
        return Meta(first + 1, authors, org, None, None, "", 0)
    consumed.add(j + 1)
    parsed = parse_date(nxt)
    if not parsed:
        problems.append(Problem(name, j + 2, "unreadable date", nxt))
        return Meta(first + 1, authors, org, None, None, nxt, 0)
    (month_day, year, upvotes) = parsed
    return Meta(first + 1, authors, org, month_day, year, nxt, upvotes)


def _records(events: list, name: str, problems: list[Problem]) -> list[tuple[Record, Meta | None]]:
    """Group text items into records, attaching each meta block to the record before it."""
    out: list[tuple[Record, Meta | None]] = []
    segment: list[tuple[int, str]] = []
    for event in events + [None]:
        if isinstance(event, tuple):
            segment.append(event)
            continue
        group = _group(segment, name)
        if isinstance(event, Meta) and not group:
            problems.append(Problem(name, event.line, "meta block with no paper before it", event.date_text))
        out.extend((rec, event if (k == len(group) - 1 and isinstance(event, Meta)) else None)
                   for k, rec in enumerate(group))
        segment = []
    return out


def _group(segment: list[tuple[int, str]], name: str) -> list[Record]:
    """Turn labelled text lines into records (title with optional abstract, or abstract only)."""
    records: list[Record] = []
    labels = label_segment([text for _, text in segment])
    for (line, text), label in zip(segment, labels):
        if label == "T":
            records.append(Record(name, line, text))
        elif records and records[-1].title and not records[-1].abstract:
            records[-1] = replace(records[-1], abstract=text)
        else:
            records.append(Record(name, line, "", text))
    return records


def _dated(record: Record, meta: Meta | None, capture_year: int | None,
           captured: dt.date | None, name: str, problems: list[Problem]) -> Record:
    """Fill a record's meta fields, inferring the year of a year-less date."""
    if meta is None:
        return record
    date = None
    year = meta.year or capture_year
    if meta.month_day and year:
        try:
            date = dt.date(year, *meta.month_day)
        except ValueError:
            problems.append(Problem(name, meta.line + 2, "impossible date", meta.date_text))
        if date and meta.year is None and captured and date > captured:
            problems.append(Problem(name, meta.line + 2, f"date after the capture date {captured}", meta.date_text))
            date = None
    return replace(record, has_meta=True, authors=meta.authors, organization=meta.organization,
                   date=date, date_text=meta.date_text, upvotes=meta.upvotes)
