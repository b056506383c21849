"""The build, stage by stage: read -> model -> infer -> render -> write.

Every listing is read and every topic and URL decided before any page is
written; all writing goes through ``write``. ``generate`` returns a report
with counts, problems, what changed and the time each stage took.

Stages whose inputs did not change are not run again: parsing a listing,
merging, topic assignment, related papers and rendering look their result up
by the hash of their inputs (and of the generator's source) in
``.cache/atlas/`` (``memo.Memo`` over ``files.Cache``); the output is the same byte for byte with
or without the cache. scikit-learn and matplotlib are imported only when a
stage that needs them actually runs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import files
from .addresses import keep_addresses, read_published
from .catalog import build_catalog
from .config import GENERATED_DIRS, Config, check_fields, load_config
from .enrich.entries import FILE_NAME as IDENTIFIERS_FILE
from .enrich.entries import Entry, entries_from_json, identifiers
from .memo import NO_CACHE, Memo
from .model import Identifiers, Paper, Problem, Retired, Site, Topic
from .read.decode import decode
from .read.parse import Listing, parse_listing
from .render.export import paper_record, papers_json
from .render.feeds import render_feeds
from .render.pages import render_bibs, render_pages
from .render.redirects import redirect_pages

if TYPE_CHECKING:  # importing the topics package loads scikit-learn: only where topics are computed
    from .infer.topics.settings import TopicSettings


@dataclass
class Changes:
    """What this build changed compared with the previous one (from the old ``papers.json``)."""

    new: list[str] = field(default_factory=list)
    """Ids of papers that were not there before."""
    updated: list[str] = field(default_factory=list)
    """Ids of papers whose record changed."""
    removed: list[str] = field(default_factory=list)
    """Ids of papers no longer in any listing."""
    topics: list[str] = field(default_factory=list)
    """Ids of topics that gained, lost or changed papers."""


@dataclass
class Report:
    """What a build read, decided and wrote."""

    listings: int = 0
    records: int = 0
    papers: int = 0
    topics: int = 0
    undated: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    changes: Changes = field(default_factory=Changes)
    written: tuple[str, ...] = ()
    unchanged: int = 0
    removed: tuple[str, ...] = ()
    refitted: bool = False
    published: str = ""
    """Where the published addresses came from (or why there were none); ``""`` when none was asked for."""
    retired: int = 0
    """Published papers no listing shows any more, kept as "no longer listed" pages."""
    moved: int = 0
    """Published papers now joined with another published paper (the same one printed twice): redirects."""
    cached: tuple[str, ...] = ()
    """Stages whose result came from the cache (``listing`` when any listing did)."""


@contextmanager
def _stage(report: Report, name: str, progress: Callable[[str], None] | None):
    """Time a stage into the report, announcing it first."""
    if progress:
        progress(name)
    start = time.perf_counter()
    yield
    report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - start


def build_date() -> dt.date:
    """Today (UTC), or the day of ``SOURCE_DATE_EPOCH`` when set, as reproducible builds pin it.

    Only the capture date of a listing that prints no year at all depends on it.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def _read_listing(data: bytes, name: str, capture, today: dt.date) -> tuple[Listing | None, list[Problem]]:
    """Decode and parse one listing file."""
    text, problems = decode(data, name)
    if text is None:
        return None, problems
    listing = parse_listing(text, name, capture, today)
    return listing, [*problems, *listing.problems]


def seeds_folder(root: Path, config_file: str = "mkdocs.yml") -> Path:
    """The configured listing folder."""
    config, _ = load_config(files.read_text(root / config_file) or "", config_file)
    return root / config.seeds


def read_stage(
    root: Path, config_file: str, seeds: Path | None, memo: Memo = NO_CACHE
) -> tuple[Config, list[Listing], list[Problem]]:
    """Read the configuration and every listing."""
    text = files.read_text(root / config_file)
    if text is None:
        return Config(), [], [Problem(config_file, 0, "configuration file not found")]
    config, problems = load_config(text, config_file)
    found, read_problems = files.read_listings(seeds or root / config.seeds)
    today = build_date()
    problems += read_problems
    listings = []
    for name, data in found:
        capture = config.capture_dates.get(name)
        listing, listing_problems = memo(
            "listing",
            (name, data, capture, today),
            lambda data=data, name=name, capture=capture: _read_listing(data, name, capture, today),
        )
        problems += listing_problems
        if listing is not None:
            listings.append(listing)
    return config, listings, problems


def published_stage(
    root: Path, source: str, papers: list[Paper], report: Report
) -> tuple[list[Paper], list[Retired], str | None]:
    """Give published papers their published ids back; the published papers no listing shows retire.

    Also returns the published ``papers.json`` itself (``None`` without one): the build's only
    view of what was there before, so the build never reads its own previous output as state.
    """
    if not source:
        return papers, [], None
    text, problems, note = files.read_published(source, root)
    report.published = note
    report.problems += problems
    if text is None:
        return papers, [], None
    entries, problems = read_published(text, source)
    report.problems += problems
    papers, retired, problems = keep_addresses(papers, entries)
    report.problems += problems
    return sorted(papers, key=lambda p: p.sort_key), retired, text


def read_identifiers(seeds: Path) -> tuple[dict[str, Entry], list[Problem]]:
    """The stored identifiers (``seeds/_identifiers.json``, written by ``enrich``); never the network."""
    text = files.read_text(seeds / IDENTIFIERS_FILE)
    return entries_from_json(text, f"{seeds.name}/{IDENTIFIERS_FILE}") if text is not None else ({}, [])


def attach_identifiers(papers: list[Paper], entries: dict[str, Entry]) -> list[Paper]:
    """Papers with the identifiers stored for them; the arXiv id a listing prints where the
    file has none (a hand pin, even of ``null``, is the lab's word and wins)."""
    ids = identifiers(entries)
    out = []
    for p in papers:
        found, entry = ids.get(p.id), entries.get(p.id)
        if p.listed_arxiv_id and not (entry and entry.pinned) and not (found and found.arxiv_id):
            found = replace(found, arxiv_id=p.listed_arxiv_id) if found else Identifiers(p.listed_arxiv_id)
        out.append(replace(p, identifiers=found) if found else p)
    return out


def topic_settings(config: Config, source: str) -> tuple[object, list[Problem]]:
    """``extra.atlas.topics`` checked against ``TopicSettings``; defaults where a value is bad."""
    from .infer.topics.settings import TopicSettings

    values, problems = check_fields(TopicSettings, config.topics, "extra.atlas.topics", source, config.lines)
    try:
        return TopicSettings(**values), problems
    except ValueError as err:
        named = [config.lines.get(f"extra.atlas.topics.{k}", 0) for k in values if f"{k}=" in str(err)]
        line = min(named or [config.lines.get("extra.atlas.topics", 0)])
        return TopicSettings(), problems + [Problem(source, line, f"{err}; the defaults are used")]


def infer_stage(
    root: Path, config: Config, papers: list[Paper], refit: bool, settings: TopicSettings, memo: Memo = NO_CACHE
) -> tuple[list[Paper], list[Topic], object, str | None, dict[str, str], list[Problem]]:
    """Assign papers to the stored topics (fitting them first when there are none or on request).

    A damaged model file is a problem, never a crash: this build then fits topics for itself
    and leaves the file as it is (only ``topics --refit`` writes it). With a cache the model
    itself is not kept (unpickling it would import scikit-learn, seconds on every build): the
    model returned is then ``None``; only the topics report needs it, and that runs without a cache.
    """
    stored = files.read_text(root / config.topics_file)
    if memo.cache is None:
        return _infer(config, papers, refit, stored, settings)

    def without_model():
        assigned, topics, _model, new_text, redirects, problems = _infer(config, papers, refit, stored, settings)
        return assigned, topics, None, new_text, redirects, problems

    return memo("topics", (papers, stored, settings, config.topics_file, refit), without_model)


def _infer(
    config: Config, papers: list[Paper], refit: bool, stored: str | None, settings: TopicSettings
) -> tuple[list[Paper], list[Topic], object, str | None, dict[str, str], list[Problem]]:
    """What ``infer_stage`` returns, computed."""
    from .infer import topics as topic_model

    problems: list[Problem] = []
    previous = None
    if stored:
        try:
            previous = topic_model.model_from_json(stored, config.topics_file)
        except ValueError as err:
            where, _, what = str(err).partition(": ")
            line = int(where.rsplit(":", 1)[1]) if where.rsplit(":", 1)[-1].isdigit() else 0
            problems.append(
                Problem(
                    config.topics_file,
                    line,
                    f"topic model not read ({what}); topics were "
                    "fitted for this build only; fix the file or run `python -m generator "
                    "topics --refit`",
                )
            )
    new_text, redirects = None, {}
    if previous is None or refit:
        model, redirects = topic_model.fit(papers, settings, previous)
        new_text = topic_model.model_to_json(model)
    else:
        model = previous
    assigned, topics = topic_model.assign(papers, model)
    return (assigned, topics, model, new_text, {**dict(getattr(model, "redirects", ())), **redirects}, problems)


def _related(papers: list[Paper]) -> dict[str, tuple[str, ...]]:
    """The five most related papers of each paper."""
    from .infer import similar

    return similar.related(papers, 5)


def diff(old_json: str | None, site: Site) -> Changes:
    """Compare the new catalog with the previous ``papers.json``."""
    old = {p["id"]: p for p in json.loads(old_json)["papers"]} if old_json else {}
    new = {p.id: paper_record(p) for p in site.papers}
    changes = Changes(
        new=sorted(set(new) - set(old)),
        removed=sorted(set(old) - set(new)),
        updated=sorted(i for i in set(new) & set(old) if new[i] != old[i]),
    )
    touched = {t for i in changes.new + changes.updated for t in new[i]["topics"]}
    touched |= {t for i in changes.removed + changes.updated for t in old[i].get("topics", [])}
    changes.topics = sorted(touched)
    return changes


@dataclass
class Context:
    """Everything read and decided before rendering: the site model and its sources."""

    config: Config
    listings: list[Listing]
    site: Site
    model: object
    model_text: str | None
    redirects: dict[str, str]
    published: str | None = None
    """The published ``papers.json`` this build was given (``--published``), or ``None``."""


def gather(
    root: Path,
    report: Report,
    *,
    config_file: str = "mkdocs.yml",
    seeds: Path | None = None,
    refit: bool = False,
    progress: Callable[[str], None] | None = None,
    published: str | None = None,
    memo: Memo = NO_CACHE,
) -> Context:
    """Read, merge and infer: decide every paper, topic and URL before anything is written.

    ``published`` is the previously published ``papers.json`` (URL or path;
    ``extra.atlas.published`` when not given): its addresses are kept.
    """
    with _stage(report, "read", progress):
        config, listings, problems = read_stage(root, config_file, seeds, memo)
        entries, id_problems = read_identifiers(seeds or root / config.seeds)
        report.problems = problems + id_problems
    with _stage(report, "merge", progress):
        papers, merge_problems = memo("merge", (listings,), lambda: build_catalog(listings))
        report.problems += merge_problems
        papers, retired, published_text = published_stage(
            root, config.published if published is None else published, papers, report
        )
        papers = attach_identifiers(papers, entries)  # keyed by the final ids, published ones included
    with _stage(report, "topics", progress):
        settings, setting_problems = topic_settings(config, config_file)
        papers, topics, model, model_text, topic_redirects, model_problems = infer_stage(
            root, config, papers, refit, settings, memo
        )
        report.problems += setting_problems + model_problems
        related = memo("related", (papers,), lambda: _related(papers))
    moved = {old.strip("/") for old in config.redirects}  # a configured redirect wins over a retired page
    site = Site(
        config.site_name,
        config.site_url,
        tuple(papers),
        tuple(topics),
        related,
        tuple(lst.name for lst in listings),
        config.home_size,
        config.page_size,
        tuple(r for r in retired if r.url.strip("/") not in moved),
        captures={lst.name: lst.captured for lst in listings if lst.captured},
    )
    redirects = {
        **{f"topics/{a}/": f"topics/{b}/" for a, b in topic_redirects.items()},
        **{r.url: f"papers/{r.moved_to}/" for r in site.retired if r.moved_to},
        **config.redirects,
    }
    report.listings, report.records = len(listings), sum(len(lst.records) for lst in listings)
    report.papers, report.topics = len(papers), len(topics)
    report.undated = sum(1 for p in papers if p.date is None)
    report.retired = sum(1 for r in site.retired if not r.moved_to)
    report.moved = len(site.retired) - report.retired
    report.refitted = model_text is not None
    report.problems.sort(key=lambda p: (p.file, p.line, p.message))
    return Context(config, listings, site, model, model_text, redirects, published_text)


def render_files(ctx: Context) -> dict[str, str | bytes]:
    """Every generated file under docs/: pages, feeds, chart, papers.json, redirects."""
    from .render.chart import papers_per_year_svg

    out: dict[str, str | bytes] = dict(render_pages(ctx.site))
    out.update(render_feeds(ctx.site, ctx.config.feed_size))
    out.update(render_bibs(ctx.site))
    out["assets/generated/papers-per-year.svg"] = papers_per_year_svg(ctx.site)
    out["papers.json"] = papers_json(ctx.site)
    out.update(redirect_pages(ctx.redirects, set(out)))
    return out


def generate(
    root: Path,
    *,
    config_file: str = "mkdocs.yml",
    seeds: Path | None = None,
    refit: bool = False,
    progress: Callable[[str], None] | None = None,
    published: str | None = None,
    cache: bool = True,
) -> Report:
    """Read the listings under ``root`` and write the generated pages into its docs folder.

    With ``cache``, stage results are kept in and taken from ``root/.cache/atlas``. What changed
    is measured against the published ``papers.json`` (``published``), never against ``docs/``.
    """
    report = Report()
    store = files.Cache(root) if cache else None
    memo = Memo(store)
    ctx = gather(
        root,
        report,
        config_file=config_file,
        seeds=seeds,
        refit=refit,
        progress=progress,
        published=published,
        memo=memo,
    )
    with _stage(report, "render", progress):
        pages = memo("render", (ctx.site, ctx.redirects, ctx.config.feed_size), lambda: render_files(ctx))
    with _stage(report, "write", progress):
        report.changes = diff(ctx.published, ctx.site)
        result = files.write_tree(root / ctx.config.docs_dir, pages, GENERATED_DIRS)
        if store is not None:
            store.prune()
    report.written, report.unchanged, report.removed = result.written, result.unchanged, result.removed
    report.cached = tuple(sorted(set(memo.hits)))
    return report


def save_model(root: Path, ctx: Context) -> None:
    """Store a newly fitted topic model, so later builds assign papers to the same topics."""
    if ctx.model_text is not None:
        files.write_atomic(root / ctx.config.topics_file, ctx.model_text)
