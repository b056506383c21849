"""A small hand-made site model shared by the render, export and feed tests."""

from __future__ import annotations

import datetime as dt

from generator.catalog import paper_id, paper_key
from generator.model import Organization, Paper, Site, Topic
from generator.text import display_text, find_links


def make_paper(
    title: str,
    abstract: str = "We study things. It works.",
    *,
    date=None,
    upvotes=None,
    authors=None,
    org=None,
    topics=(),
    listings=("a.txt",),
    added=None,
) -> Paper:
    """A paper as the catalog would build it (``added``: by default the earliest of ``CAPTURES`` it is in)."""
    if added is None:
        added = min((CAPTURES[name] for name in listings if name in CAPTURES), default=None)
    return Paper(
        id=paper_id(title),
        key=paper_key(title),
        title=title,
        abstract_raw=abstract,
        abstract=display_text(abstract),
        authors=authors,
        organization=org,
        date=date,
        upvotes=upvotes,
        listings=tuple(listings),
        links=find_links(abstract),
        topics=tuple(topics),
        added=added,
    )


CAPTURES = {"a.txt": dt.date(2025, 5, 10), "b.txt": dt.date(2025, 6, 1)}
"""Capture dates of the fixture listings (b.txt is the newest)."""

TOPICS = (
    Topic(
        "brain-decoding",
        "Brain Decoding from fMRI",
        "Reconstructing what people see from brain activity.",
        ("fmri", "visual cortex", "decoding"),
    ),
    Topic(
        "spiking-networks",
        "Spiking Neural Networks",
        "Networks of spiking neurons and their training.",
        ("spiking", "neuromorphic"),
    ),
)

PAPERS = (
    make_paper(
        "Brain-Diffuser: natural scene reconstruction from fMRI",
        r"We present ``Brain-Diffuser'', a {\em two-stage} model; it improves 15\% over na\"ive baselines. "
        "Code: https://github.com/ozcelikfu/brain-diffuser.",
        date=dt.date(2023, 3, 9),
        upvotes=12,
        authors=2,
        topics=("brain-decoding", "spiking-networks"),
        listings=("a.txt", "b.txt"),
    ),
    make_paper(
        "Continuous Thought Machines",
        "Neurons with timing. We show it.",
        date=dt.date(2025, 5, 8),
        upvotes=27,
        org=Organization("SakanaAI", "Sakana AI"),
        topics=("spiking-networks",),
    ),
    make_paper(
        "Spikes in May",
        "Spiking nets in May. Really.",
        date=dt.date(2025, 5, 2),
        authors=1,
        upvotes=0,
        topics=("spiking-networks",),
    ),
    make_paper(
        "An undated <b>paper</b> & *stars*", "No date here. None.", topics=("brain-decoding",), listings=("b.txt",)
    ),
)


def bare_paper(pid: str, title: str, abstract: str = "") -> Paper:
    """A paper with only an id, a title and an abstract (for topic and similarity tests)."""
    return Paper(
        id=pid,
        key=pid,
        title=title,
        abstract_raw=abstract,
        abstract=abstract,
        authors=None,
        organization=None,
        date=None,
        upvotes=None,
        listings=(),
        links=(),
    )


def make_site(**changes) -> Site:
    """The fixture site, papers newest first."""
    papers = tuple(sorted(changes.pop("papers", PAPERS), key=lambda p: p.sort_key))
    values = dict(
        name="Lab Atlas",
        url="https://lab.example.org/atlas/",
        papers=papers,
        topics=TOPICS,
        related={p.id: tuple(q.id for q in papers if q.id != p.id)[:5] for p in papers},
        listings=("a.txt", "b.txt"),
        captures=CAPTURES,
    )
    values.update(changes)
    return Site(**values)
