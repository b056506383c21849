"""The identifiers file (``seeds/_identifiers.json``): its entries, matching and merging. Pure.

Format (keys sorted, one entry per paper id, written by ``python -m generator enrich``)::

    {"about": "...",
     "papers": {
      "continuous-thought-machines-6125ba": {
       "title": "Continuous Thought Machines",       # our title, for the reader of the file
       "status": "matched",                          # matched | unmatched | ambiguous
       "arxiv_id": "2505.05522",
       "authors": ["Luke Darlow", "..."],
       "published": "2025-05-08",
       "hf_url": "https://huggingface.co/papers/2505.05522"},
      "some-paper-0a1b2c": {"title": "...", "status": "ambiguous", "candidates": ["2401.00001", "2401.00002"]},
      "pinned-by-hand-3d4e5f": {"title": "...", "pinned": true, "arxiv_id": "2401.00002",
                                "primary_class": "cs.CL"}}}

An entry with ``"pinned": true`` is never replaced by a lookup: ``enrich``
only fills the fields it lacks (authors, date, HF page) from the Hub's record
of the pinned arXiv id. Pin ``"arxiv_id": null`` to say a paper has none.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from ..catalog import paper_key
from ..model import Identifiers, Paper, Problem
from ..text import display_text

FILE_NAME = "_identifiers.json"
"""Name of the identifiers file inside the seeds folder (skipped as a listing: it starts with ``_``)."""
HF_PAPERS = "https://huggingface.co/papers/"
"""Public address of the Hub's paper pages (a mirror endpoint used for lookups does not change it)."""
ABOUT = (
    "Identifiers of the papers, looked up on the Hugging Face Hub by `python -m generator enrich`. "
    'Set "pinned": true on an entry (and fix its fields) to keep it as you wrote it.'
)
MATCHED, UNMATCHED, AMBIGUOUS = "matched", "unmatched", "ambiguous"
STATUSES = (MATCHED, UNMATCHED, AMBIGUOUS)
_ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
_KEYS = {"title", "status", "arxiv_id", "authors", "published", "hf_url", "primary_class", "candidates", "pinned"}


@dataclass(frozen=True)
class Candidate:
    """One paper the Hub returned for a query."""

    arxiv_id: str
    """Its arXiv id (the Hub's paper id), e.g. ``"2505.05522"``."""
    title: str
    """Its title as the Hub prints it."""
    authors: tuple[str, ...] = ()
    """Its authors' names; empty when the answer listed none."""
    published: dt.date | None = None
    """Its arXiv publication date, or ``None``."""


@dataclass(frozen=True)
class Entry:
    """What the identifiers file says about one paper."""

    title: str = ""
    """Our title of the paper, so a reader of the file knows which paper it is."""
    status: str = UNMATCHED
    """``matched``, ``unmatched`` (no Hub paper has the title) or ``ambiguous`` (several do)."""
    arxiv_id: str | None = None
    """The arXiv id, or ``None``."""
    authors: tuple[str, ...] = ()
    """The authors' names, in order."""
    published: dt.date | None = None
    """The arXiv publication date."""
    hf_url: str | None = None
    """The Hub's page of the paper."""
    primary_class: str | None = None
    """The arXiv primary category (only ever from a pin)."""
    candidates: tuple[str, ...] = ()
    """For an ambiguous lookup: the arXiv ids of the papers with the same title, to pin one."""
    pinned: bool = False
    """Written by hand: ``enrich`` keeps it and only fills missing fields."""

    @property
    def identifiers(self) -> Identifiers | None:
        """The identifiers a page shows, or ``None`` when the entry holds none."""
        if not (self.arxiv_id or self.authors or self.hf_url):
            return None
        return Identifiers(self.arxiv_id, self.authors, self.published, self.hf_url, self.primary_class)

    @property
    def incomplete(self) -> bool:
        """A pinned arXiv id whose authors, date or HF page are still to be fetched."""
        return bool(self.arxiv_id) and not (self.authors and self.published and self.hf_url)


def normalised(title: str) -> str:
    """The key two titles must share to be the same paper (LaTeX resolved, case, punctuation, spacing ignored).

    >>> normalised("Beyond $\\\\ell_1$ Sparse  Coding") == normalised("Beyond ell_1 sparse coding")
    True
    """
    return paper_key(display_text(title))


def match(paper: Paper, candidates: Iterable[Candidate]) -> Entry:
    """The entry for one lookup: matched when exactly one paper on the Hub has the same normalised title."""
    key = {normalised(paper.title), paper.key}
    same: dict[str, Candidate] = {}
    for c in candidates:
        if normalised(c.title) in key:
            same.setdefault(c.arxiv_id, c)
    if not same:
        return Entry(paper.title, UNMATCHED)
    if len(same) > 1:
        return Entry(paper.title, AMBIGUOUS, candidates=tuple(sorted(same)))
    found = next(iter(same.values()))
    return Entry(paper.title, MATCHED, found.arxiv_id, found.authors, found.published, HF_PAPERS + found.arxiv_id)


def complete(entry: Entry, record: Candidate | None) -> Entry:
    """Fill an entry's missing authors, date and HF page from the Hub's record of its arXiv id."""
    if record is None:
        return entry
    return replace(
        entry,
        authors=entry.authors or record.authors,
        published=entry.published or record.published,
        hf_url=entry.hf_url or HF_PAPERS + record.arxiv_id,
    )


def todo(papers: Iterable[Paper], entries: Mapping[str, Entry], retry: bool = False) -> list[Paper]:
    """The papers a run looks up: those without an entry, pins still incomplete, and (``retry``) the failures."""

    def wanted(p: Paper) -> bool:
        e = entries.get(p.id)
        if e is None:
            return True
        if e.pinned or e.status == MATCHED:
            return e.incomplete
        return retry

    return [p for p in papers if wanted(p)]


def merge(entries: Mapping[str, Entry], found: Mapping[str, Entry]) -> dict[str, Entry]:
    """The file after a run: new lookups replace what was there, except pinned entries, which only gain fields."""
    out = dict(entries)
    for pid, new in found.items():
        old = entries.get(pid)
        if old is not None and old.pinned:
            new = replace(
                old,
                authors=old.authors or new.authors,
                published=old.published or new.published,
                hf_url=old.hf_url or new.hf_url,
            )
        out[pid] = new
    return out


def entries_to_json(entries: Mapping[str, Entry]) -> str:
    """The file's text: stable (sorted keys, one layout), so a re-run without news changes nothing."""
    papers = {pid: _entry_dict(e) for pid, e in sorted(entries.items())}
    return json.dumps({"about": ABOUT, "papers": papers}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _entry_dict(e: Entry) -> dict:
    """One entry as JSON: empty optional fields left out."""
    d: dict = {"title": e.title, "status": e.status}
    for name in ("arxiv_id", "published", "hf_url", "primary_class"):
        value = getattr(e, name)
        if value is not None:
            d[name] = value.isoformat() if isinstance(value, dt.date) else value
    if e.authors:
        d["authors"] = list(e.authors)
    if e.candidates:
        d["candidates"] = list(e.candidates)
    if e.pinned:
        d["pinned"] = True
    return d


def entries_from_json(text: str, source: str) -> tuple[dict[str, Entry], list[Problem]]:
    """Read the file; a bad entry is a problem naming the paper and the value, and is left out."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return {}, [Problem(source, err.lineno, f"not valid JSON ({err.msg})")]
    papers = data.get("papers") if isinstance(data, dict) else None
    if not isinstance(papers, dict):
        return {}, [Problem(source, 0, 'expected {"papers": {paper id: entry}}', text[:80])]
    entries, problems = {}, []
    for pid, raw in papers.items():
        entry, problem = _entry(raw)
        if problem:
            problems.append(Problem(source, _line_of(text, pid), f"paper {pid}: {problem}"))
        else:
            entries[pid] = entry
    return entries, problems


def _entry(raw) -> tuple[Entry | None, str | None]:
    """One entry from JSON, or what is wrong with it."""
    if not isinstance(raw, dict):
        return None, f"entry must be an object, not {raw!r}"
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        return None, f"unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})"
    status = raw.get("status", MATCHED if raw.get("arxiv_id") else UNMATCHED)
    arxiv_id = raw.get("arxiv_id")
    authors, candidates = raw.get("authors", []), raw.get("candidates", [])
    if status not in STATUSES:
        return None, f"status must be one of {', '.join(STATUSES)}: {status!r}"
    if arxiv_id is not None and not (isinstance(arxiv_id, str) and _ARXIV_ID.match(arxiv_id)):
        return None, f"arxiv_id is not an arXiv id such as 2505.05522: {arxiv_id!r}"
    if not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        return None, f"authors must be a list of names: {authors!r}"
    if not (isinstance(candidates, list) and all(isinstance(a, str) for a in candidates)):
        return None, f"candidates must be a list of arXiv ids: {candidates!r}"
    for name in ("title", "hf_url", "primary_class"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            return None, f"{name} must be text: {raw[name]!r}"
    hf_url = raw.get("hf_url")
    if hf_url is not None and not hf_url.startswith("https://"):
        return None, f"hf_url must be an https:// address: {hf_url!r}"
    try:
        published = dt.date.fromisoformat(raw["published"]) if raw.get("published") is not None else None
    except (TypeError, ValueError):
        return None, f"published is not a date YYYY-MM-DD: {raw['published']!r}"
    return Entry(
        raw.get("title") or "",
        status,
        arxiv_id,
        tuple(a.strip() for a in authors if a.strip()),
        published,
        hf_url,
        raw.get("primary_class"),
        tuple(candidates),
        raw.get("pinned") is True,
    ), None


def _line_of(text: str, pid: str) -> int:
    """The line where an entry's key stands (0 when not found), for messages."""
    at = text.find(json.dumps(pid, ensure_ascii=False) + ":")
    return text.count("\n", 0, at) + 1 if at >= 0 else 0


def identifiers(entries: Mapping[str, Entry]) -> dict[str, Identifiers]:
    """Paper id -> identifiers, for the entries that hold any."""
    return {pid: ids for pid, e in entries.items() if (ids := e.identifiers) is not None}


@dataclass
class Outcome:
    """What one ``enrich`` run did, for its report."""

    looked_up: int = 0
    """Papers looked up on the Hub in this run."""
    matched: list[str] = field(default_factory=list)
    """Ids of papers given identifiers in this run."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(paper id, error) for lookups that failed after every retry; tried again next run."""
    stopped: str = ""
    """Why the run stopped early ("" when it went through)."""
