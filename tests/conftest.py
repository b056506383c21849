"""Shared fixtures: a throw-away copy of the project to build in, and the seed site built once."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest
from filelock import FileLock
from project import Build, build_site, copy_project


@pytest.fixture
def project(tmp_path):
    """A copy of the project with the four seed listings and the committed topics."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, worker_id) -> Build:
    """The seed site built by the real command, once per test session, without SITE_URL.

    With ``pytest -n`` (``make test``), the first worker to need it builds it into the folder all
    workers share, under a lock, and the others read the same build. Tests only read it.
    """
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    if worker_id == "master":
        return build_site(copy_project(tmp_path_factory.mktemp("atlas")), env=env)
    shared = tmp_path_factory.getbasetemp().parent
    record = shared / "seed-build.json"
    with FileLock(str(shared / "seed-build.lock")):
        if not record.exists():
            build = build_site(copy_project(shared / "atlas"), env=env)
            record.write_text(json.dumps({**asdict(build), "root": str(build.root)}), encoding="utf-8")
    data = json.loads(record.read_text(encoding="utf-8"))
    return Build(**{**data, "root": Path(data["root"])})


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
