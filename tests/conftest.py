"""Shared fixtures: a throw-away copy of the project to build in, and the seed site built once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from project import Build, build_site, copy_project


@pytest.fixture
def project(tmp_path):
    """A copy of the project with the four seed listings and the committed topics."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Build:
    """The seed site built by the real command, once per test session, without SITE_URL."""
    root = copy_project(tmp_path_factory.mktemp("atlas"))
    return build_site(root, env={k: v for k, v in os.environ.items() if k != "SITE_URL"})


@pytest.fixture(scope="session")
def built_site(seed_build) -> Path:
    """The seed site's folder (``site/``); fails every test using it when the build failed."""
    if seed_build.returncode != 0 or not (seed_build.site / "index.html").exists():
        pytest.fail(
            f"the seed build exited {seed_build.returncode}\n--- stdout\n{seed_build.stdout[-3000:]}"
            f"\n--- stderr\n{seed_build.stderr[-3000:]}",
            pytrace=False,
        )
    return seed_build.site
