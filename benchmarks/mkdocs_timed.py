"""Run ``mkdocs build`` and report, as JSON on the last line, how long the search index took.

The search plugin's work (``on_page_context`` for each page, ``on_post_build``
to write ``search/search_index.json``) is timed by wrapping those methods, so
the MkDocs build and the search index can be shown as separate stages.

Usage (from a project folder)::

    python benchmarks/mkdocs_timed.py [-f mkdocs.yml] [--pagefind]

``--pagefind`` runs Pagefind over the built site afterwards and times it too.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from pathlib import Path

SPENT = {"search": 0.0}


def _timed(cls: type, name: str) -> None:
    original = getattr(cls, name)

    def wrapper(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            SPENT["search"] += time.perf_counter() - start

    setattr(cls, name, wrapper)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-f", "--config-file", default="mkdocs.yml")
    ap.add_argument("--pagefind", action="store_true", help="run Pagefind after the build")
    ap.add_argument("--pagefind-glob", default="**/*.html", help="pages Pagefind indexes, under the site")
    args = ap.parse_args(argv)
    from material.plugins.search.plugin import SearchPlugin as MaterialSearch
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.contrib.search import SearchPlugin as MkDocsSearch

    for cls in (MaterialSearch, MkDocsSearch):
        for name in ("on_page_context", "on_post_build", "on_page_content"):
            if name in cls.__dict__:
                _timed(cls, name)
    warnings = _count_warnings()
    start = time.perf_counter()
    config = load_config(config_file=args.config_file)
    build(config)
    total = time.perf_counter() - start
    result = {
        "build": total,
        "search": SPENT["search"],
        "warnings": warnings.count,
        "warning_sample": warnings.messages,
    }
    if args.pagefind:
        start = time.perf_counter()
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from floor import PAGEFIND_ARGS

        subprocess.run(
            [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                config.site_dir,
                "--silent",
                *PAGEFIND_ARGS,
                "--glob",
                args.pagefind_glob,
            ],
            check=True,
        )
        result["pagefind"] = time.perf_counter() - start
    print(json.dumps(result))
    return 0


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.messages) < 5:
            self.messages.append(record.getMessage()[:300])


def _count_warnings() -> _Counter:
    counter = _Counter()
    logging.getLogger("mkdocs").addHandler(counter)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    logging.getLogger("mkdocs").addHandler(logging.StreamHandler(sys.stderr))
    return counter


if __name__ == "__main__":
    raise SystemExit(main())
