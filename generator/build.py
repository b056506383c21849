"""Build stage: MkDocs turns the generated docs into HTML, then Pagefind indexes the paper pages.

Runs the two tools as subprocesses on the project folder; nothing here reads listings.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MKDOCS_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
"""MkDocs runs without Material's end-of-life banner (the README names the successor)."""


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
