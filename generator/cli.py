"""Command line: ``python -m generator build|serve|topics|check``.

Problems are collected during the run and printed together at the end;
``--strict`` turns any problem into exit code 1.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import pipeline
from . import topics as topic_model
from .catalog import build_catalog
from .model import Problem

EXIT_PROBLEMS = 1
MKDOCS_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
"""MkDocs runs without Material's end-of-life banner (the README names the successor)."""


def _progress(stream=sys.stderr):
    """Per-stage progress on a terminal; nothing in CI logs (the summary says it all)."""
    if not stream.isatty():
        return None
    return lambda stage: print(f"\r\033[K… {stage}", end="", file=stream, flush=True)


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


def mkdocs_build(root: Path, config: str, site_dir: Path | None = None) -> int:
    """``mkdocs build --strict`` of the generated docs."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / config)]
    return subprocess.call(cmd + (["-d", str(site_dir)] if site_dir else []), cwd=root, env=MKDOCS_ENV)


SEARCH_BUNDLES = (("papers/*[0-7]/*.html", "pagefind"), ("papers/*[89abcdef]/*.html", "pagefind-2"))
"""Pagefind indexes paper pages in two halves (ids end in hex digits): each run stays under
1.5 GB at 20k papers, and the browser searches both at once (docs/assets/pagefind-material.js)."""


def search_index(site_dir: Path, output: Path | None = None) -> int:
    """Pagefind's index of the built paper pages, into ``site_dir`` (or ``output``)."""
    for glob, folder in SEARCH_BUNDLES:
        cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent", "--glob", glob,
               "--output-path", str((output or site_dir) / folder)]
        if subprocess.call(cmd):
            return 1
    return 0


def _generate(args) -> pipeline.Report:
    """Run the generator, with progress on a terminal, and print its summary and problems."""
    progress = _progress()
    report = pipeline.generate(args.root, config_file=args.config, seeds=args.seeds,
                               refit=args.refit_topics, progress=progress)
    if progress:
        print("\r\033[K", end="", file=sys.stderr)
    print(summary(report))
    print(problems_text(report.problems), file=sys.stderr if report.problems else sys.stdout)
    return report


def cmd_build(args) -> int:
    """Generate the pages (and with ``--site`` build the site and its search index)."""
    report = _generate(args)
    if args.strict and report.problems:
        return EXIT_PROBLEMS
    if args.site:
        return mkdocs_build(args.root, args.config) or search_index(args.root / report.site_dir)
    return 0


def _seed_state(seeds: Path) -> tuple:
    """Names, sizes and mtimes of the listing files: changes when a listing is added or edited."""
    if not seeds.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in seeds.iterdir() if p.is_file()))


def _preview(args) -> pipeline.Report:
    """Regenerate the pages, then a search index for the preview (served from docs/pagefind)."""
    report = _generate(args)
    with tempfile.TemporaryDirectory() as tmp:
        if mkdocs_build(args.root, args.config, Path(tmp)) == 0:
            search_index(Path(tmp), args.root / report.docs_dir)
    return report


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
