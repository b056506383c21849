"""Read stage: the lines of a meta block -> values. Pure.

A date line (``"May 8"``, ``"Feb 8, 2024 1"``, ``"Sep 30 27"``, ``"Jan 3, 2024 1.2k"``: month, day,
optional year, optional upvotes; or ``"2024-02-08 1"``, ``"8 Feb 2024"``, ``"Feb 8th, 2024"``) and an organization line (``"SakanaAI Sakana AI"``: handle,
display name), and a submitter line (``"Submitted by alice"``), which is no organization.
``parse`` finds the blocks; this module reads what they say.
"""

from __future__ import annotations

import datetime as dt
import re

from ..model import Organization

MONTHS = {
    m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)
}
_MONTH_ALIASES = {"sept": 9, "june": 6, "july": 7}
_DATE = re.compile(
    r"^(?P<month>[A-Za-z]{3,9})\.? (?P<day>[0-9]{1,2})(?:st|nd|rd|th)?(?: ?, ?(?P<year>[0-9]{4}))?(?: (?P<rest>\S.*))?$"
)
"""A date line with its whitespace folded to single spaces: month, day (``29`` or ``29th``), optional year,
then the rest."""
_DAY_FIRST = re.compile(
    r"^(?P<day>[0-9]{1,2})(?:st|nd|rd|th)? (?P<month>[A-Za-z]{3,9})\.?,? (?P<year>(?:19|20)[0-9]{2})(?: (?P<rest>\S.*))?$"
)
"""The same, day first with a year (``29 May 2023``), as a lab's own listing may write it. The year is
needed (a page never prints ``29 May``), and only 19xx and 20xx are years, not an upvote count."""
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?: (\S.*))?$")
"""An ISO date line, ``2024-05-22`` (as a lab's own listing may write it), then the rest."""
_COUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,6}(?:\.[0-9])?[kK]|[0-9]+")
UPVOTES_MAX = 10_000_000
"""The largest believable upvote count: the most upvoted Daily Papers have a few thousand."""
_ORG = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]{0,95})(?:[ \t]+(\S.{0,119}))?$")

GARBLED_DATE_CHARS = 24
"""A garbled date line is at most this long: the longest real one, ``"September 30, 2024 1,204"``, fits."""
GARBLED_DATE_WORDS = 4
"""... and has at most this many words (month, day, year, upvotes)."""


def parse_date(text: str) -> tuple[tuple[int, int], int | None, int] | None:
    """``"Sep 30 27"`` -> ``((9, 30), None, 27)``; ``None`` if it is no date line.

    >>> parse_date("Feb 8, 2024 1"), parse_date("May 22")
    (((2, 8), 2024, 1), ((5, 22), None, 0))
    >>> parse_date("Jan 3 1,204")[2], parse_date("Jan 3, 2024 1.2k")[2]
    (1204, 1200)
    >>> parse_date("Mayhem 22") is None
    True
    """
    parsed, rest = read_date_line(text)
    return None if rest else parsed


def read_date_line(text: str) -> tuple[tuple[tuple[int, int], int | None, int] | None, str]:
    """Like ``parse_date``, but a date stays a date whatever follows it: the unreadable rest comes back apart.

    Spaces and tabs count alike. An upvote count that is no plausible number
    (more than ``UPVOTES_MAX``, or not a number at all) is returned as the
    rest, with the upvotes read as 0.

    >>> read_date_line("Mar 3,\t2025   12")
    (((3, 3), 2025, 12), '')
    >>> read_date_line("Mar 3, 2025 99999999999")
    (((3, 3), 2025, 0), '99999999999')
    >>> read_date_line("Mayhem 22")
    (None, '')
    >>> read_date_line("2024-05-22 7"), read_date_line("2024-13-01")
    ((((5, 22), 2024, 7), ''), (None, ''))
    >>> read_date_line("29 May 2023 4"), read_date_line("May 29th, 2023")
    ((((5, 29), 2023, 4), ''), (((5, 29), 2023, 0), ''))
    """
    folded = " ".join(text.split())
    iso = _ISO_DATE.match(folded)
    if iso:
        year, month, day, rest = int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), iso.group(4) or ""
        if not 1 <= month <= 12:
            return None, ""
    else:
        m = _DATE.match(folded)
        if not (m and month_number(m["month"])):
            m = _DAY_FIRST.match(folded)
        month = month_number(m["month"]) if m else None
        if not month:
            return None, ""
        day, year, rest = int(m["day"]), int(m["year"]) if m["year"] else None, m["rest"] or ""
    votes = upvote_count(rest)
    if rest and votes is None:
        return ((month, day), year, 0), rest
    return ((month, day), year, votes or 0), ""


_WEEK = re.compile(r"(?:week\s+[0-9]{1,2}(?:,?\s+([0-9]{4}))?|([0-9]{4})-W[0-9]{1,2})", re.I)
_MONTH_YEAR = re.compile(r"([A-Za-z]{3,9})\.?,?\s+([0-9]{4})")
_RANGE = re.compile(r"(.+?)\s*[-–—]\s*(?:([A-Za-z]{3,9})\.?\s+)?([0-9]{1,2})(?:\s*,\s*([0-9]{4}))?")


def period_line(text: str) -> tuple[tuple[int, int] | None, int | None] | None:
    """What a weekly or monthly page prints in place of its date: ``Week 49``, ``2025-W49``,
    ``December 2025`` or ``Dec 1 - Dec 7`` (``Dec 1 – 7, 2025``). Returns the last day of the period
    when the line gives it (month, day), and the year when it prints one; ``None`` for other lines.

    >>> period_line("Dec 1 - Dec 7"), period_line("Nov 24 – 30, 2025"), period_line("Week 49, 2025")
    (((12, 7), None), ((11, 30), 2025), (None, 2025))
    >>> period_line("December 2025"), period_line("Dec 10"), period_line("Spiking Networks 2025")
    ((None, 2025), None, None)
    """
    folded = " ".join(text.split())
    week = _WEEK.fullmatch(folded)
    if week:
        year = week.group(1) or week.group(2)
        return None, int(year) if year else None
    whole = _MONTH_YEAR.fullmatch(folded)
    if whole and month_number(whole.group(1)):
        return None, int(whole.group(2))
    span = _RANGE.fullmatch(folded)
    start = parse_date(span.group(1)) if span else None
    if not start or start[2]:
        return None
    month = month_number(span.group(2)) if span.group(2) else start[0][0]
    if not month:
        return None
    year = int(span.group(4)) if span.group(4) else start[1]
    return (month, int(span.group(3))), year


def iso_date(text: str) -> bool:
    """Whether a date line writes its date the ISO way (``2024-05-22``), which always gives the
    year, so that its year says nothing about the year the page was captured.

    >>> iso_date("2024-05-22 7"), iso_date("May 22, 2024")
    (True, False)
    """
    return bool(_ISO_DATE.match(" ".join(text.split())))


_VOTES = re.compile(rf"(?:[·•|▲]\s*)?({_COUNT.pattern})(?:\s*(?:up)?votes?)?", re.I)
"""An upvote count as printed: ``27``, ``1,204``, ``1.2k``, or with a mark or word around it
(``· 12``, ``▲ 12``, ``12 upvotes``), as a page copied another way may print it."""


def upvote_count(text: str) -> int | None:
    """A plausible upvote count as printed (``"27"``, ``"1,204"``, ``"1.2k"``, ``"· 12 upvotes"``), else ``None``.

    >>> upvote_count("1,204"), upvote_count("1.2k"), upvote_count("99999999999"), upvote_count("x")
    (1204, 1200, None, None)
    >>> upvote_count("· 12 upvotes"), upvote_count("1 upvote"), upvote_count("▲ 7"), upvote_count("12 authors")
    (12, 1, 7, None)
    """
    m = _VOTES.fullmatch(" ".join(text.split()))
    votes = _count(m.group(1)) if m else None
    return votes if votes is not None and votes <= UPVOTES_MAX else None


def _count(text: str) -> int:
    """An upvote count as printed: ``"27"``, ``"1,204"`` or ``"1.2k"``."""
    text = text.replace(",", "")
    return round(float(text[:-1]) * 1000) if text[-1] in "kK" else int(text)


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


def parse_organization(line: str) -> Organization | None:
    """An organization line ``<handle> <Display Name>``; ``None`` if it cannot be one.

    >>> parse_organization("SakanaAI Sakana AI")
    Organization(id='SakanaAI', name='Sakana AI')
    >>> parse_organization("SakanaAI\tSakana   AI").name
    'Sakana AI'
    >>> parse_organization("openbmb"), parse_organization("  • 3 authors")
    (Organization(id='openbmb', name='openbmb'), None)
    """
    m = _ORG.match(line.strip())
    if not m:
        return None
    handle, display = m.groups()
    return Organization(handle, " ".join(display.split()) if display else handle)


_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def _name_word(word: str) -> bool:
    """A word of a person's name: ``Alice``, ``J.``, ``J.R.``, ``O'Neil``, ``Jean-Luc``, ``García``, ``McDonald``;
    not an acronym (``FAIR``), a number or a lower-case word."""
    if _INITIALS.fullmatch(word):
        return word[0].isupper()
    parts = re.split(r"[-'’]", word.removesuffix("."))
    return word[0].isupper() and all(p.isalpha() for p in parts) and not (len(word) > 1 and word.isupper())


NAME_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "del", "du", "la", "le", "bin", "al", "dos"})
"""Small words inside a person's name (``Ludwig van Beethoven``)."""
ORGANIZATION_WORDS = frozenset(
    [
        "university",
        "institute",
        "laboratory",
        "lab",
        "labs",
        "research",
        "ai",
        "inc",
        "ltd",
        "llc",
        "group",
        "center",
        "centre",
        "college",
        "school",
        "team",
        "foundation",
        "academy",
        "corporation",
        "company",
        "technologies",
        "technology",
        "sciences",
        "science",
        "department",
        "national",
        "hospital",
    ]
)
"""Words that make a comma-separated line an organization's name (``University of California, Berkeley``)."""
NAME_WORDS = (2, 5)
"""Words of one person's name, fewest and most: ``Alice Smith`` to ``Ana María van der Berg``."""


def author_names(line: str) -> tuple[str, ...]:
    """The people an authors line names (``Alice Smith, Bob Jones and Carol White``), or ``()``
    when the line is not such a list: at least two names of ``NAME_WORDS`` capitalised words each
    (initials and particles allowed), with no word of an organization's name.

    >>> author_names("Alice Smith, Bob Jones and J. R. White")
    ('Alice Smith', 'Bob Jones', 'J. R. White')
    >>> author_names("SakanaAI Sakana AI"), author_names("UCB University of California, Berkeley")
    ((), ())
    """
    names = tuple(n for n in _NAME_SEPARATORS.split(" ".join(line.split())) if n)
    if len(names) < 2 or any(w.lower().strip(".") in ORGANIZATION_WORDS for n in names for w in n.split()):
        return ()
    for name in names:
        words = name.split()
        if not NAME_WORDS[0] <= len(words) <= NAME_WORDS[1] or words[0] in NAME_PARTICLES:
            return ()
        if not all(w in NAME_PARTICLES or _name_word(w) for w in words) or words[-1] in NAME_PARTICLES:
            return ()
    return names


_IDENTIFIER = re.compile(
    r"(?:arxiv:\s*|https?://(?:www\.)?arxiv\.org/(?:abs|pdf)/)[0-9]{4}\.[0-9]{4,5}(?:v[0-9]+)?(?:\.pdf)?"
    r"|(?:doi:\s*|https?://(?:dx\.)?doi\.org/)10\.[0-9]{4,9}/\S+",
    re.I,
)
"""A line that is only a paper identifier: ``arXiv:2401.01234``, an arXiv address, ``doi:10.1000/xyz``."""


def listed_identifier(line: str) -> tuple[str, str] | None:
    """What an identifier line prints, as ``(record field, value)``: ``("arxiv_id", id)`` without
    the id's version, or ``("doi", doi)``; ``None`` for any other line.

    >>> listed_identifier("arXiv:2401.01234v2"), listed_identifier("https://arxiv.org/pdf/2505.05522.pdf")
    (('arxiv_id', '2401.01234'), ('arxiv_id', '2505.05522'))
    >>> listed_identifier("https://doi.org/10.1038/s41586-020-2649-2"), listed_identifier("2401.01234")
    (('doi', '10.1038/s41586-020-2649-2'), None)
    """
    if not identifier_line(line):
        return None
    found = _ARXIV_ID.search(line)
    return ("arxiv_id", found.group(1)) if found else ("doi", _DOI.search(line).group(1))


_DOI = re.compile(r"(?:doi:\s*|doi\.org/)(10\.[0-9]{4,9}/\S+)", re.I)
"""Where an identifier line's DOI stands."""
_ARXIV_ID = re.compile(r"(?:arxiv:\s*|arxiv\.org/(?:abs|pdf)/)([0-9]{4}\.[0-9]{4,5})", re.I)
"""Where an identifier line's arXiv id stands (its version, ``v2``, and ``.pdf`` left out)."""


def identifier_line(line: str) -> bool:
    """Whether a line holds nothing but an arXiv id or DOI (a lab's listing may print one under a title).

    >>> identifier_line("arXiv:2401.01234v2"), identifier_line("https://doi.org/10.1000/xyz"), identifier_line("2048")
    (True, True, False)
    """
    return bool(_IDENTIFIER.fullmatch(line.strip()))


_SUBMITTER = re.compile(r"submitted by:?\s+@?[A-Za-z0-9][A-Za-z0-9._-]{0,95}", re.I)
"""A submitter line, ``Submitted by alice``: the person who posted the paper to the page."""


def submitter_line(line: str) -> bool:
    """Whether a line names who submitted the paper (no organization, though it reads like one).

    >>> submitter_line("Submitted by akhaliq"), submitter_line("SakanaAI Sakana AI")
    (True, False)
    """
    return bool(_SUBMITTER.fullmatch(line.strip()))


def looks_like_date(line: str) -> bool:
    """A short line with a digit, e.g. a garbled ``"Mya 22, 2023"``, rather than a title.

    >>> looks_like_date("Mya 22, 2023"), looks_like_date("Brain3D: Generating 3D Objects from fMRI")
    (True, False)
    """
    return (
        0 < len(line) <= GARBLED_DATE_CHARS
        and any(c.isdigit() for c in line)
        and len(line.split()) <= GARBLED_DATE_WORDS
    )
