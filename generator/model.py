"""The records every stage passes along: frozen, typed, sortable.

Data flows one way: read -> model -> infer -> render -> write -> build.
Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass(frozen=True, order=True)
class Organization:
    """An organization line of a meta block, e.g. ``SakanaAI Sakana AI``."""

    id: str
    """The Hugging Face handle, e.g. ``"SakanaAI"``."""
    name: str
    """The display name, e.g. ``"Sakana AI"`` (the handle again when the line has only one word)."""


@dataclass(frozen=True, order=True)
class Problem:
    """Something in the input that could not be read as it stands.

    >>> str(Problem("seeds/a.txt", 12, "impossible date", "Feb 30, 2023"))
    "seeds/a.txt:12: impossible date: 'Feb 30, 2023'"
    """

    file: str
    """The listing's file name, as given to the reader."""
    line: int
    """1-based line number (0 when the problem concerns the whole file)."""
    message: str
    """What is wrong, in a few words."""
    value: str = ""
    """The offending text, shown with ``!r``."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        shown = self.value if len(self.value) <= 120 else self.value[:117] + "..."
        return f"{where}: {self.message}" + (f": {shown!r}" if self.value else "")


@dataclass(frozen=True)
class Record:
    """One appearance of a paper in one listing, exactly as that listing shows it."""

    listing: str
    """File name of the listing, e.g. ``"000_d50e86dd121e9ce5.txt"``."""
    line: int
    """Line of the title (or of the abstract, for an abstract-only record)."""
    title: str
    """The title as printed; ``""`` for a block holding only an abstract."""
    abstract: str = ""
    """The raw abstract, LaTeX leftovers included; ``""`` when the listing shows none."""
    has_meta: bool = False
    """Whether a meta block (authors or organization, ``·``, date) followed."""
    authors: int | None = None
    """The ``N authors`` count, or ``None``."""
    organization: Organization | None = None
    """The organization of an ``<handle> <Name>`` line, or ``None``."""
    date: dt.date | None = None
    """The publication date, with the year inferred for year-less dates; ``None`` if unknown."""
    date_text: str = ""
    """The date exactly as printed, e.g. ``"May 22"``; ``""`` without a meta block."""
    upvotes: int | None = None
    """Upvotes after the date (0 when the meta block shows none); ``None`` without a meta block."""
    author_names: tuple[str, ...] = ()
    """The authors' names where the listing names them (``Alice Smith, Bob Jones``) rather than
    counting them; empty otherwise."""
    arxiv_id: str | None = None
    """The arXiv id the listing prints on a line of the paper's card (``arXiv:2401.01234``), or ``None``."""
    doi: str | None = None
    """The DOI the listing prints on a line of the paper's card (``doi:10.1000/xyz``), or ``None``."""


@dataclass(frozen=True)
class Identifiers:
    """What the Hugging Face Hub (or a hand pin in ``seeds/_identifiers.json``) knows about a paper."""

    arxiv_id: str | None
    """The arXiv id, e.g. ``"2505.05522"``; ``None`` when pinned as having none."""
    authors: tuple[str, ...] = ()
    """The authors' names in the paper's order; empty when unknown."""
    published: dt.date | None = None
    """The date the paper was published on arXiv, or ``None``."""
    hf_url: str | None = None
    """The paper's Hugging Face page, e.g. ``"https://huggingface.co/papers/2505.05522"``."""
    primary_class: str | None = None
    """The arXiv primary category, e.g. ``"cs.LG"``; only from a hand pin (the Hub does not give it)."""

    @property
    def abs_url(self) -> str | None:
        """The arXiv abstract page, e.g. ``https://arxiv.org/abs/2505.05522``."""
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def pdf_url(self) -> str | None:
        """The arXiv PDF, e.g. ``https://arxiv.org/pdf/2505.05522``."""
        return f"https://arxiv.org/pdf/{self.arxiv_id}" if self.arxiv_id else None


def doi_address(doi: str) -> str:
    """The address of a DOI, its unsafe characters escaped.

    >>> doi_address('10.1002/x<1>"y')
    'https://doi.org/10.1002/x%3C1%3E%22y'
    """
    return "https://doi.org/" + quote(doi, safe="/:;()")


@dataclass(frozen=True)
class Paper:
    """One distinct paper, merged from every listing that shows it."""

    id: str
    """Permanent URL slug, e.g. ``"continuous-thought-machines-1a2b3c"``; never changes."""
    key: str
    """Identity key: the title without case, punctuation or spacing (symbols such as ``+`` and ``#`` kept)."""
    title: str
    """The title as printed in the first listing that has it."""
    abstract_raw: str
    """The abstract as printed, LaTeX leftovers included."""
    abstract: str
    """The display text of the abstract: ``15\\%`` -> ``15%``, ``{\\em x}`` -> ``x``."""
    authors: int | None
    """Author count, or ``None`` when no listing gives one."""
    organization: Organization | None
    """Organization, or ``None`` when no listing gives one."""
    date: dt.date | None
    """Publication date, or ``None`` when unknown."""
    upvotes: int | None
    """Highest upvote count seen; ``None`` when no listing has a meta block for it."""
    listings: tuple[str, ...]
    """File names of every listing that shows the paper, sorted."""
    links: tuple[str, ...]
    """URLs found in the abstract (code, project pages), in order of appearance."""
    line: int = 0
    """Line of the paper in its first listing, for messages."""
    topics: tuple[str, ...] = field(default=())
    """Topic ids, primary first; empty until topics are inferred."""
    identifiers: Identifiers | None = None
    """arXiv id, authors' names and links from ``seeds/_identifiers.json``; ``None`` when unknown."""
    added: dt.date | None = None
    """Capture date of the earliest listing that shows the paper (when it joined the site); ``None`` if unknown."""
    author_names: tuple[str, ...] = ()
    """The authors' names as a listing prints them, where one names them; empty otherwise."""
    listed_arxiv_id: str | None = None
    """The arXiv id a listing prints for the paper, or ``None`` (``identifiers`` has the stored one)."""
    doi: str | None = None
    """The DOI a listing prints for the paper (``10.1038/s41586-020-2649-2``), or ``None``."""

    @property
    def doi_url(self) -> str | None:
        """The DOI's address, ``https://doi.org/10.1038/...`` (``doi_address``), or ``None``."""
        return doi_address(self.doi) if self.doi else None

    @property
    def names(self) -> tuple[str, ...]:
        """The authors' names to show: the Hub's (``seeds/_identifiers.json``), else a listing's; may be empty."""
        return self.identifiers.authors if self.identifiers and self.identifiers.authors else self.author_names

    @property
    def url(self) -> str:
        """Site-relative URL with a trailing slash, e.g. ``papers/x-1a2b3c/``."""
        return f"papers/{self.id}/"

    @property
    def sort_key(self) -> tuple:
        """Newest first, then by title; undated papers last."""
        ordinal = self.date.toordinal() if self.date else 0
        return (-ordinal, self.title.casefold(), self.id)


@dataclass(frozen=True)
class Retired:
    """A paper of the published site that no listing shows any more: its address stays, as a short page."""

    id: str
    """The paper's permanent id, as published."""
    title: str
    """The title as last published."""
    abstract: str = ""
    """The abstract as last published (display text), so the paper is recognised if it comes back."""
    topics: tuple[str, ...] = ()
    """Topic ids as last published, primary first."""
    moved_to: str = ""
    """The id of the listed paper that is this one printed again (same title, nearly the same abstract),
    which kept another published address when the two were joined; its address redirects there. Else empty."""

    @property
    def url(self) -> str:
        """Site-relative URL with a trailing slash, e.g. ``papers/x-1a2b3c/``."""
        return f"papers/{self.id}/"


@dataclass(frozen=True)
class Topic:
    """A topic the site groups papers under."""

    id: str
    """Permanent URL slug, e.g. ``"brain-decoding-fmri"``."""
    name: str
    """Readable name of 2 to 5 words, e.g. ``"Brain Decoding from fMRI"``."""
    description: str = ""
    """One line saying what the topic covers."""
    phrases: tuple[str, ...] = ()
    """Key phrases, most distinctive first."""
    catch_all: bool = False
    """The honest catch-all ("Other Topics") for papers no topic fits with confidence; listed last."""

    @property
    def url(self) -> str:
        """Site-relative URL with a trailing slash, e.g. ``topics/brain-decoding-fmri/``."""
        return f"topics/{self.id}/"


@dataclass(frozen=True)
class Site:
    """Everything the pages are made from, decided before any page is written."""

    name: str
    """Site name, e.g. ``"Paper Atlas"``."""
    url: str
    """Public base URL (``""`` when unknown), e.g. ``"https://lab.github.io/atlas/"``."""
    papers: tuple[Paper, ...]
    """All papers, newest first."""
    topics: tuple[Topic, ...]
    """All topics, in the topic model's order."""
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Paper id -> ids of its most similar papers."""
    listings: tuple[str, ...] = ()
    """Names of the listings read."""
    home_size: int = 10
    """Length of the home page's paper lists."""
    page_size: int = 100
    """Papers on one topic or archive page; longer lists continue on numbered pages."""
    retired: tuple[Retired, ...] = ()
    """Published papers no listing shows any more, by id: each keeps a short "no longer listed" page."""
    captures: Mapping[str, dt.date] = field(default_factory=dict)
    """Listing name -> capture date, for the listings whose capture date is known."""


def topic_sizes(site: Site) -> list[tuple[Topic, int]]:
    """Topics with their number of primary papers, largest first (ties in model order), the catch-all last."""
    counts = Counter(p.topics[0] for p in site.papers if p.topics)
    order = {t.id: i for i, t in enumerate(site.topics)}
    return sorted(((t, counts[t.id]) for t in site.topics), key=lambda ts: (ts[0].catch_all, -ts[1], order[ts[0].id]))
