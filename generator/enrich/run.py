"""One ``enrich`` run: look papers up one by one, saving as it goes.

The papers to look up come from ``entries.todo``; every ``every`` lookups
(and whenever the run ends, interrupted or not) the merged entries are handed
to ``save``, which writes the file atomically, so a run stopped at any point
keeps what it fetched and the next run starts where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ..model import Paper
from .entries import MATCHED, Entry, Outcome, complete, match, merge
from .hub import Hub, HubError

GIVE_UP_AFTER = 3
"""Consecutive failed lookups after which the Hub is taken to be down and the run stops."""


def lookup(paper: Paper, old: Entry | None, hub: Hub) -> Entry:
    """The entry for one paper: a pinned or known arXiv id completed; else the id its listing
    prints, when the Hub knows it (matched without a title search, as a listing names its own
    paper); otherwise a title search."""
    if old is not None and old.arxiv_id and (old.pinned or old.status == MATCHED):
        return complete(old, hub.paper(old.arxiv_id))
    if paper.listed_arxiv_id and not (old and old.pinned):
        listed = complete(Entry(paper.title, MATCHED, paper.listed_arxiv_id), hub.paper(paper.listed_arxiv_id))
        if listed.hf_url:  # the Hub has a page for it
            return listed
    entry = match(paper, hub.search(paper.title))
    if entry.status == MATCHED and entry.incomplete:
        entry = complete(entry, hub.paper(entry.arxiv_id))
    return entry


def enrich(
    papers: Iterable[Paper],
    entries: Mapping[str, Entry],
    hub: Hub,
    save: Callable[[dict[str, Entry]], None],
    every: int = 10,
    step: Callable[[], None] | None = None,
) -> tuple[dict[str, Entry], Outcome]:
    """Look up ``papers``, merging into ``entries``; return the merged entries and what happened."""
    found: dict[str, Entry] = {}
    outcome = Outcome()
    in_a_row = 0
    try:
        for paper in papers:
            try:
                entry = lookup(paper, entries.get(paper.id), hub)
            except HubError as err:
                outcome.failed.append((paper.id, str(err)))
                in_a_row += 1
                if in_a_row >= GIVE_UP_AFTER:
                    outcome.stopped = f"{in_a_row} lookups in a row failed; is the Hub reachable?"
                    break
                continue
            finally:
                if step:
                    step()
            in_a_row = 0
            found[paper.id] = entry
            outcome.looked_up += 1
            if entry.status == MATCHED or entry.pinned:
                outcome.matched.append(paper.id)
            if len(found) % every == 0:
                save(merge(entries, found))
    except KeyboardInterrupt:
        outcome.stopped = "interrupted"
    result = merge(entries, found)
    save(result)
    return result, outcome
