"""Shared fixtures: a throw-away copy of the project, and the seed site built once per test session."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from project import REPO, copy_project


@pytest.fixture
def project(tmp_path):
    """A copy of the project with the four seed listings and the committed topics."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built from the seed listings by the real command (``build --site``, strict MkDocs),
    once per test session, shared by the site tests and the browser tests."""
    root = copy_project(tmp_path_factory.mktemp("atlas"))
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    cmd = [sys.executable, "-m", "generator", "build", "--root", str(root), "--site"]
    run = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    if run.returncode != 0 or not (root / "site" / "index.html").exists():
        pytest.fail(f"{' '.join(cmd)} exited {run.returncode}\n--- stdout\n{run.stdout[-3000:]}"
                    f"\n--- stderr\n{run.stderr[-3000:]}", pytrace=False)
    return root / "site"
