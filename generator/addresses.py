"""Model stage: the published site's addresses kept. Pure.

``read_published`` reads the previously published ``papers.json``; ``keep_addresses`` gives every
paper of it that a listing still shows its old id back (same title, agreeing abstracts), and the rest
retire with their addresses: as short "no longer listed" pages, or as redirects to the paper they are
now printed as (``Retired.moved_to``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import ftfy

from .catalog import abstract_key, id_clashes, near_abstracts, paper_id, paper_key, title_key
from .model import Paper, Problem, Retired
from .text import merge_key


@dataclass(frozen=True)
class Published:
    """A paper as the previously published ``papers.json`` shows it (a listed or a retired one)."""

    id: str
    """Its published id: the address to keep."""
    title: str
    """Its title as published."""
    abstract: str = ""
    """Its abstract as published (display text)."""
    topics: tuple[str, ...] = ()
    """Its topic ids as published, primary first."""


def read_published(text: str, source: str) -> tuple[list[Published], list[Problem]]:
    """The papers (listed and retired) of a published ``papers.json``; a problem if it cannot be read.

    >>> read_published('{"papers": [{"id": "a-123456", "title": "A"}], "retired": []}', "papers.json")
    ([Published(id='a-123456', title='A', abstract='', topics=())], [])
    """
    try:
        data = json.loads(text)
        entries = list(data.get("papers") or []) + list(data.get("retired") or [])
        found = [
            Published(
                str(e["id"]),
                str(e.get("title") or ""),
                str(e.get("abstract") or ""),
                tuple(str(t) for t in e.get("topics") or ()),
            )
            for e in entries
        ]
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        return [], [
            Problem(
                source,
                0,
                f"published papers.json cannot be read ({type(err).__name__}: {err}); "
                "published addresses are not checked",
                text[:60],
            )
        ]
    return sorted(set(found), key=lambda e: e.id), []


def keep_addresses(
    papers: Sequence[Paper], published: Sequence[Published]
) -> tuple[list[Paper], list[Retired], list[Problem]]:
    """Give every paper that was published its published id; the published papers left over retire.

    A paper matches a published one when their titles match ignoring case,
    punctuation and spacing (mojibake in the published title repaired) and
    their abstracts agree (equal after normalisation, one side empty, or nearly equal);
    an exact title key, then an exact abstract, wins among several. A new
    paper whose id a published paper already holds gets digits of its full
    identity instead. Pure, and independent of the order of either input.
    """
    if not published:
        return list(papers), [], []
    keys = {e.id: _published_keys(e) for e in published}
    by_loose: dict[str, list[Published]] = defaultdict(list)
    for e in published:
        by_loose[keys[e.id][0]].append(e)
    mine = [(paper_key(p.title), p.key, abstract_key(p.abstract_raw)) for p in papers]
    order = sorted(range(len(papers)), key=lambda k: (papers[k].id, mine[k]))
    claimed: set[str] = set()
    ids: dict[int, str] = {}
    for same_title, same_abstract in ((True, True), (True, False), (False, True), (False, False)):
        for k in order:
            if k in ids:
                continue
            loose, strict, abstract = mine[k]
            for e in by_loose.get(loose, ()):
                _, their_title, their_abstract = keys[e.id]
                if e.id in claimed or (same_title and their_title != strict):
                    continue
                if their_abstract == abstract or (not same_abstract and _agree(abstract, their_abstract)):
                    claimed.add(e.id)
                    ids[k] = e.id
                    break
    taken = {e.id for e in published} | set(ids.values())
    out, problems = [], []
    for k, p in enumerate(papers):
        if k in ids:
            out.append(replace(p, id=ids[k]))
        elif p.id in taken:
            new = paper_id(p.title, f"{p.key}\n{abstract_key(p.abstract_raw)}")
            problems.append(
                Problem(
                    p.listings[0],
                    p.line,
                    f"id {p.id!r} belongs to another published paper; this one gets {new!r}",
                    p.title,
                )
            )
            out.append(replace(p, id=new))
        else:
            out.append(p)
    left = [e for e in published if e.id not in claimed]
    mine_by_loose: dict[str, list[int]] = defaultdict(list)  # the papers each retired one may be printed as
    for k, (loose, _, _) in enumerate(mine):
        mine_by_loose[loose].append(k)
    retired = [
        Retired(
            e.id,
            e.title,
            e.abstract,
            e.topics,
            _holder(keys[e.id], [(mine[k], out[k]) for k in mine_by_loose.get(keys[e.id][0], ())]),
        )
        for e in left
    ]
    problems += id_clashes(out)
    return out, sorted(retired, key=lambda r: r.id), problems


def _holder(published_keys: tuple[str, str, str], same_loose_title: list[tuple[tuple[str, str, str], Paper]]) -> str:
    """The id of the paper a retired published one is printed again as, or ``""``: among the papers
    with its loose title key (each with its keys), one with an agreeing abstract (as ``keep_addresses``
    matches), so it is one paper that had two pages, now joined under the other address. The paper
    with the same title key and abstract first."""
    _, strict, abstract = published_keys
    found = [
        (title != strict, their != abstract, p.id)
        for (_, title, their), p in same_loose_title
        if _agree(their, abstract)
    ]
    return min(found)[2] if found else ""


def _published_keys(e: Published) -> tuple[str, str, str]:
    """Loose title key, title key and abstract key of a published paper, mojibake repaired first."""
    title = ftfy.fix_encoding(e.title)
    return paper_key(title), title_key(title), merge_key(ftfy.fix_encoding(e.abstract))


def _agree(a: str, b: str) -> bool:
    """Two abstract keys agree: equal, one of them empty, or one abstract (``near_abstracts``), as when the
    paper's abstract was published cut short and a new listing prints it whole."""
    return a == b or not a or not b or near_abstracts(a, b)
