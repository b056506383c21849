"""Build stage: MkDocs turns the generated docs into HTML; its hooks (generator/hooks.py) index the search.

Runs MkDocs as a subprocess on the project folder; nothing here reads listings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MKDOCS_QUIET = {"NO_MKDOCS_2_WARNING": "1"}
"""MkDocs runs without Material's end-of-life banner (the README names the successor), in the
environment of the moment it starts (``SITE_URL`` and the rest), not of the moment of import."""


def mkdocs_build(root: Path, config: str, site_dir: Path | None = None) -> int:
    """``mkdocs build --strict`` of the generated docs (warnings shown, and fatal).

    The hooks in mkdocs.yml write the Pagefind bundles into the site during the same build.
    """
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / config)]
    return subprocess.call(
        cmd + (["-d", str(site_dir)] if site_dir else []), cwd=root, env={**os.environ, **MKDOCS_QUIET}
    )
