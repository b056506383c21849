"""Command line: ``python -m generator build|serve|topics|check|enrich``.

Problems are collected during the run and printed together at the end;
``--strict`` turns any problem into exit code 1.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import files, pipeline, preview
from .build import mkdocs_build
from .catalog import build_catalog
from .model import Problem

EXIT_PROBLEMS = 1
STAGES = ("read", "merge", "topics", "render", "write")
"""The generator's stages in the order it announces them (``pipeline.generate``)."""


class Progress:
    """A per-stage progress bar on a terminal (rich); silent elsewhere, where the one-line summary says it all."""

    def __init__(self, stages: tuple[str, ...], stream=sys.stderr) -> None:
        self._bar = None
        if stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("{task.description:<28}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=stream),
                transient=True,
            )
            self._task = self._bar.add_task("starting", total=len(stages))
            self._bar.start()
        self._seen = 0

    def __call__(self, stage: str) -> None:
        """Announce a stage: the bar shows it and counts the stages before it as done."""
        if self._bar is not None:
            self._bar.update(self._task, description=stage, completed=self._seen)
            self._bar.refresh()
        self._seen += 1

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def summary_line(report: pipeline.Report, site_seconds: float | None, seconds: float) -> str:
    """The whole build in one line, for CI logs: counts, seconds per stage, problems."""
    stages = [f"{k} {v:.1f}" for k, v in report.timings.items()]
    if site_seconds is not None:
        stages.append(f"mkdocs+search {site_seconds:.1f}")
    return (
        f"Built {report.papers} papers from {report.listings} listings in {report.topics} topics in "
        f"{seconds:.1f} s ({', '.join(stages)} s); {len(report.written)} files written, "
        f"{len(report.problems)} problem(s)."
    )


def summary(report: pipeline.Report) -> str:
    """What a build read, decided and wrote, in a few lines."""
    ch = report.changes
    timing = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
    lines = [
        f"Read {report.listings} listings: {report.records} records, {report.papers} distinct papers "
        f"({report.undated} undated), {report.topics} topics"
        + (
            " (fitted for this build only: `python -m generator topics --refit` stores them)."
            if report.refitted
            else "."
        ),
        f"Wrote {len(report.written)} files ({report.unchanged} unchanged, {len(report.removed)} removed).",
        (
            f"Changes against the published site: {len(ch.new)} new papers, {len(ch.updated)} updated, "
            f"{len(ch.removed)} removed; topics touched: {', '.join(ch.topics) or 'none'}."
            if report.published
            else "Changes: no published papers.json to compare with (--published or extra.atlas.published)."
        ),
        f"Stages: {timing}.",
    ]
    if report.published:
        lines.insert(
            3,
            f"Published addresses: {report.published}; {report.retired} paper(s) no longer listed keep a short page"
            + (
                f", {report.moved} joined with another printing of the same paper redirect to it."
                if report.moved
                else "."
            ),
        )
    return "\n".join(lines)


def problems_text(problems: list[Problem]) -> str:
    """All problems, one per line, with a count."""
    if not problems:
        return "No problems."
    return f"{len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems)


def _generate(args, progress=None) -> pipeline.Report:
    """Run the generator, with progress on a terminal, and print its summary and problems."""
    report = pipeline.generate(
        args.root,
        config_file=args.config,
        seeds=args.seeds,
        progress=progress,
        published=getattr(args, "published", None),
    )
    if progress:
        progress.close()
    print(summary(report))
    print(problems_text(report.problems), file=sys.stderr if report.problems else sys.stdout)
    return report


def _generate_with_progress(args) -> pipeline.Report:
    return _generate(args, Progress(STAGES))


def _generate_apart(args) -> pipeline.Report:
    """``_generate`` in a child process, so that the memory it holds (the site model, every rendered
    page, scikit-learn) is given back before MkDocs and the search index need theirs."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(_generate_with_progress, args).result()


def cmd_build(args) -> int:
    """Generate the pages (and with ``--site`` build the site and its search index)."""
    start = time.perf_counter()
    report = _generate_apart(args) if args.site else _generate_with_progress(args)
    code = EXIT_PROBLEMS if (args.strict and report.problems) else 0
    site_seconds = None
    if args.site and not code:  # MkDocs logs its own progress
        site_start = time.perf_counter()
        code = mkdocs_build(args.root, args.config)
        site_seconds = time.perf_counter() - site_start
    print(summary_line(report, site_seconds, time.perf_counter() - start))
    return code


def cmd_serve(args) -> int:
    """Live preview: ``mkdocs serve``, regenerating the pages whenever a listing changes."""
    _generate_with_progress(args)
    return preview.serve(args.root, args.config, args.addr)


def cmd_topics(args) -> int:
    """Print the topic report; with ``--refit``, re-fit and store the topics first."""
    from .infer import topics as topic_model

    report = pipeline.Report()
    ctx = pipeline.gather(args.root, report, config_file=args.config, seeds=args.seeds, refit=args.refit)
    pipeline.save_model(args.root, ctx)
    print(topic_model.report(list(ctx.site.papers), ctx.model))
    if args.refit:
        print(
            f"Re-fitted {report.topics} topics into {ctx.config.topics_file}; "
            f"{len(ctx.redirects)} redirect(s). Run the build to update the pages."
        )
    print(problems_text(report.problems))
    return EXIT_PROBLEMS if (args.strict and report.problems) else 0


def cmd_check(args) -> int:
    """Read and merge only; print what was found and every problem."""
    config, listings, problems = pipeline.read_stage(args.root, args.config, args.seeds)
    papers, merge_problems = build_catalog(listings)
    problems += merge_problems
    print(
        f"Read {len(listings)} listings: {sum(len(x.records) for x in listings)} records, "
        f"{len(papers)} distinct papers ({sum(1 for p in papers if not p.date)} undated)."
    )
    print(problems_text(problems))
    return EXIT_PROBLEMS if (args.strict and problems) else 0


EXIT_INTERRUPTED = 130
SHOWN = 50
"""Unmatched or ambiguous papers listed by name in ``enrich``'s report (the file holds them all)."""


def cmd_enrich(args) -> int:
    """Look papers up on the Hugging Face Hub; store arXiv ids, authors and links in seeds/_identifiers.json."""
    from tqdm import tqdm

    from .enrich import entries as ids
    from .enrich.hub import Etiquette, Hub
    from .enrich.run import enrich

    config, listings, problems = pipeline.read_stage(args.root, args.config, args.seeds)
    papers, _ = build_catalog(listings)
    seeds = args.seeds or args.root / config.seeds
    path = seeds / ids.FILE_NAME
    stored, file_problems = pipeline.read_identifiers(seeds)
    if file_problems:
        print(problems_text(file_problems) + f"\nFix {path} first: enrich would drop these entries.", file=sys.stderr)
        return EXIT_PROBLEMS
    wanted = ids.todo(papers, stored, retry=args.retry)
    print(f"{len(papers)} papers, {len(papers) - len(wanted)} already in {path}; looking up {len(wanted)}.")
    with tqdm(total=len(wanted), unit="paper", file=sys.stderr, disable=None, dynamic_ncols=True) as bar:
        hub = Hub(
            Etiquette(timeout=args.timeout, retries=args.retries, backoff=args.backoff, pace=args.pace),
            notify=bar.write,
        )
        result, outcome = enrich(
            wanted,
            stored,
            hub,
            lambda e: files.write_atomic(path, ids.entries_to_json(e)),
            every=args.every,
            step=bar.update,
        )
    print(enrich_summary(papers, result, outcome, path))
    if outcome.stopped == "interrupted":
        return EXIT_INTERRUPTED
    left = [p for p in papers if result.get(p.id, ids.Entry(status=ids.UNMATCHED)).identifiers is None]
    return EXIT_PROBLEMS if (outcome.failed or outcome.stopped or (args.strict and left)) else 0


def enrich_summary(papers, result, outcome, path) -> str:
    """What an enrich run found, and which papers still want a hand pin."""
    from .enrich import entries as ids

    lines = [f"Looked up {outcome.looked_up}: {len(outcome.matched)} matched. Saved {path}."]
    for status, hint in (
        (ids.UNMATCHED, "no paper on the Hub has this title"),
        (ids.AMBIGUOUS, "several papers on the Hub have this title"),
    ):
        left = [p for p in papers if (e := result.get(p.id)) and e.status == status and not e.pinned]
        if left:
            lines.append(f"{status.capitalize()} ({len(left)}; {hint}; pin by hand in {path}):")
            for p in left[:SHOWN]:
                extra = f" candidates: {', '.join(result[p.id].candidates)}" if status == ids.AMBIGUOUS else ""
                lines.append(f"  {p.id}: {p.title!r}{extra}")
            if len(left) > SHOWN:
                lines.append(f'  ... and {len(left) - SHOWN} more (status "{status}" in the file)')
    if outcome.failed:
        lines.append(f"Failed ({len(outcome.failed)}; tried again next run):")
        lines += [f"  {pid}: {err}" for pid, err in outcome.failed[:SHOWN]]
    if outcome.stopped:
        lines.append(f"Stopped early: {outcome.stopped}. Run enrich again to go on where it stopped.")
    return "\n".join(lines)


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands."""
    top = argparse.ArgumentParser(
        prog="python -m generator", description="Paper Atlas: turn paper listings into a MkDocs site."
    )
    sub = top.add_subparsers(dest="command", required=True)
    commands = {
        "build": (cmd_build, "generate the site's pages from the listings"),
        "serve": (cmd_serve, "live preview: mkdocs serve, regenerating when a listing changes"),
        "topics": (cmd_topics, "print the topic report; --refit re-fits the topics"),
        "check": (cmd_check, "read the listings and report problems, writing nothing"),
        "enrich": (cmd_enrich, "look papers up on the Hugging Face Hub and store their arXiv ids and authors"),
    }
    for name, (func, help_text) in commands.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
        p.add_argument("--config", default="mkdocs.yml", help="MkDocs config, relative to --root")
        p.add_argument("--seeds", type=Path, default=None, help="listing folder (default: extra.atlas.seeds)")
        p.add_argument("--strict", action="store_true", help="exit with code 1 if any problem was found")
    sub.choices["build"].add_argument("--site", action="store_true", help="then run mkdocs build --strict")
    sub.choices["build"].add_argument(
        "--published",
        default=None,
        metavar="PATH_OR_URL",
        help="the live site's papers.json: every address in it is kept "
        "(default: extra.atlas.published; a 404 URL means a first deploy)",
    )
    sub.choices["serve"].add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
    sub.choices["topics"].add_argument("--refit", action="store_true", help="re-fit topics, keeping ids and edits")
    enrich_args = sub.choices["enrich"]
    enrich_args.add_argument("--retry", action="store_true", help="look up unmatched and ambiguous papers again")
    enrich_args.add_argument("--pace", type=float, default=1.0, help="least seconds between requests (default: 1)")
    enrich_args.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for an answer (default: 10)")
    enrich_args.add_argument("--retries", type=int, default=4, help="further tries of a failed request (default: 4)")
    enrich_args.add_argument("--backoff", type=float, default=2.0, help="seconds before the first retry, doubled after")
    enrich_args.add_argument(
        "--every", type=_positive, default=10, help="save the file after every N lookups (default: 10)"
    )
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parser().parse_args(argv)
    return args.func(args)
