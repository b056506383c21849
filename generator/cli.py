"""Command line: ``python -m generator build|serve|topics|check``.

Problems are collected during the run and printed together at the end;
``--strict`` turns any problem into exit code 1.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from . import pipeline
from .build import MKDOCS_ENV, mkdocs_build
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
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn
            self._bar = Bar(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(file=stream), transient=True)
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
    return (f"Built {report.papers} papers from {report.listings} listings in {report.topics} topics in "
            f"{seconds:.1f} s ({', '.join(stages)} s); {len(report.written)} files written, "
            f"{len(report.problems)} problem(s).")


def summary(report: pipeline.Report) -> str:
    """What a build read, decided and wrote, in a few lines."""
    ch = report.changes
    timing = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
    lines = [
        f"Read {report.listings} listings: {report.records} records, {report.papers} distinct papers "
        f"({report.undated} undated), {report.topics} topics{' (re-fitted)' if report.refitted else ''}.",
        f"Wrote {len(report.written)} files ({report.unchanged} unchanged, {len(report.removed)} removed).",
        f"Changes: {len(ch.new)} new papers, {len(ch.updated)} updated, {len(ch.removed)} removed; "
        f"topics touched: {', '.join(ch.topics) or 'none'}.",
        f"Stages: {timing}.",
    ]
    return "\n".join(lines)


def problems_text(problems: list[Problem]) -> str:
    """All problems, one per line, with a count."""
    if not problems:
        return "No problems."
    return f"{len(problems)} problem(s):\n" + "\n".join(f"  {p}" for p in problems)


def _generate(args, progress=None) -> pipeline.Report:
    """Run the generator, with progress on a terminal, and print its summary and problems."""
    report = pipeline.generate(args.root, config_file=args.config, seeds=args.seeds,
                               refit=args.refit_topics, progress=progress)
    if progress:
        progress.close()
    print(summary(report))
    print(problems_text(report.problems), file=sys.stderr if report.problems else sys.stdout)
    return report


def cmd_build(args) -> int:
    """Generate the pages (and with ``--site`` build the site and its search index)."""
    start = time.perf_counter()
    report = _generate(args, Progress(STAGES))
    code = EXIT_PROBLEMS if (args.strict and report.problems) else 0
    site_seconds = None
    if args.site and not code:  # MkDocs logs its own progress
        site_start = time.perf_counter()
        code = mkdocs_build(args.root, args.config)
        site_seconds = time.perf_counter() - site_start
    print(summary_line(report, site_seconds, time.perf_counter() - start))
    return code


def _seed_state(seeds: Path) -> tuple:
    """Names, sizes and mtimes of the listing files: changes when a listing is added or edited."""
    if not seeds.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in seeds.iterdir() if p.is_file()))


def _preview(args) -> pipeline.Report:
    """Regenerate the pages; ``mkdocs serve`` rebuilds the preview and its search index (generator/hooks.py)."""
    return _generate(args, Progress(STAGES))


def cmd_serve(args) -> int:
    """Live preview: ``mkdocs serve``, regenerating pages whenever a listing changes."""
    seeds = Path(_preview(args).seeds_dir)
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(args.root / args.config),
                               "-a", args.addr], cwd=args.root, env=MKDOCS_ENV)
    state = _seed_state(seeds)
    try:
        while server.poll() is None:
            time.sleep(1.0)
            now = _seed_state(seeds)
            if now != state:
                state = now
                print("Listings changed: regenerating.", flush=True)
                _preview(args)
    except KeyboardInterrupt:
        server.terminate()
    return server.wait()


def cmd_topics(args) -> int:
    """Print the topic report; with ``--refit``, re-fit and store the topics first."""
    from .infer import topics as topic_model
    report = pipeline.Report()
    ctx = pipeline.gather(args.root, report, config_file=args.config, seeds=args.seeds, refit=args.refit)
    pipeline.save_model(args.root, ctx)
    print(topic_model.report(list(ctx.site.papers), ctx.model))
    if args.refit:
        print(f"Re-fitted {report.topics} topics into {ctx.config.topics_file}; "
              f"{len(ctx.redirects)} redirect(s). Run the build to update the pages.")
    print(problems_text(report.problems))
    return EXIT_PROBLEMS if (args.strict and report.problems) else 0


def cmd_check(args) -> int:
    """Read and merge only; print what was found and every problem."""
    config, listings, problems = pipeline.read_stage(args.root, args.config, args.seeds)
    papers, merge_problems = build_catalog(listings)
    problems += merge_problems
    print(f"Read {len(listings)} listings: {sum(len(x.records) for x in listings)} records, "
          f"{len(papers)} distinct papers ({sum(1 for p in papers if not p.date)} undated).")
    print(problems_text(problems))
    return EXIT_PROBLEMS if (args.strict and problems) else 0


def parser() -> argparse.ArgumentParser:
    """The argument parser with its subcommands."""
    top = argparse.ArgumentParser(prog="python -m generator",
                                  description="Paper Atlas: turn paper listings into a MkDocs site.")
    sub = top.add_subparsers(dest="command", required=True)
    commands = {
        "build": (cmd_build, "generate the site's pages from the listings"),
        "serve": (cmd_serve, "live preview: mkdocs serve, regenerating when a listing changes"),
        "topics": (cmd_topics, "print the topic report; --refit re-fits the topics"),
        "check": (cmd_check, "read the listings and report problems, writing nothing"),
    }
    for name, (func, help_text) in commands.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
        p.add_argument("--config", default="mkdocs.yml", help="MkDocs config, relative to --root")
        p.add_argument("--seeds", type=Path, default=None, help="listing folder (default: extra.atlas.seeds)")
        p.add_argument("--strict", action="store_true", help="exit with code 1 if any problem was found")
    sub.choices["build"].add_argument("--site", action="store_true", help="then run mkdocs build --strict")
    sub.choices["build"].add_argument("--refit-topics", action="store_true", help="re-fit the topics first")
    sub.choices["serve"].add_argument("--addr", default="127.0.0.1:8000", help="address to serve on")
    sub.choices["serve"].add_argument("--refit-topics", action="store_true", help=argparse.SUPPRESS)
    sub.choices["topics"].add_argument("--refit", action="store_true", help="re-fit topics, keeping ids and edits")
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = parser().parse_args(argv)
    return args.func(args)
