"""Profile ``generate`` on a benchmark project: the functions that cost most, per stage.

Usage (after ``run.py`` has left ``benchmarks/out/atlas-N``)::

    python benchmarks/profile_stages.py benchmarks/out/atlas-10000 [--top 12]

Runs ``generate`` under cProfile on a scratch copy (so the project's own
``_topics.json`` and pages stay as the benchmark left them, and topics are
fitted again from scratch) and prints, for each stage, the functions with the
most time spent in them (``tottime``).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args(argv)
    from generator.pipeline import generate

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "p"
        shutil.copytree(args.project, work, ignore=shutil.ignore_patterns("site", "_topics.json", "docs"))
        shutil.copytree(
            args.project / "docs",
            work / "docs",
            ignore=shutil.ignore_patterns(
                "papers", "topics", "archive", "top", "feeds", "generated", "index.md", "papers.json"
            ),
        )
        profiles: dict[str, cProfile.Profile] = {}
        current: list[cProfile.Profile] = []

        def progress(name: str) -> None:
            if current:
                current[-1].disable()
            profiles[name] = cProfile.Profile()
            current.append(profiles[name])
            profiles[name].enable()

        generate(work, progress=progress)
        current[-1].disable()
    for name, prof in profiles.items():
        stats = pstats.Stats(prof).strip_dirs()
        print(f"\n=== {name}: {stats.total_tt:.2f} s under the profiler")
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
