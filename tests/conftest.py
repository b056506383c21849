"""Shared fixtures: a throw-away copy of the project to build in, and the sites built once a session.

A site that several test files read (the seed site, the hostile site, the synthetic site) is
built once per test session: with ``pytest -n`` (``make test``) the first worker to need it
builds it, under a lock, into the folder all workers share, and the others read that build.
Tests only read these sites; one that changes a project makes its own copy.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from project import REPO, Build, build_site, copy_project, shared_build, site_of

HOSTILE = sorted((REPO / "tests/fixtures/sites/hostile").iterdir())
"""The hostile listings: markup and templates in titles, mojibake, CRLF, truncation, binary, empty."""


def _without_site_url() -> dict[str, str]:
    """This environment without SITE_URL: a site built to be served at any local address."""
    return {k: v for k, v in os.environ.items() if k != "SITE_URL"}


@pytest.fixture
def project(tmp_path):
    """A copy of the project with the four seed listings and the committed topics."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def seed_build(request) -> Build:
    """The seed site built by the real command, once per test session, without SITE_URL."""
    return shared_build(request, "atlas", lambda folder: build_site(copy_project(folder), env=_without_site_url()))


@pytest.fixture(scope="session")
def built_site(seed_build) -> Path:
    """The seed site's folder (``site/``)."""
    return site_of(seed_build, "seed")


@pytest.fixture(scope="session")
def hostile_build(request) -> Build:
    """The hostile listings (``HOSTILE``) built by the real command, once per session, without SITE_URL."""
    return shared_build(
        request,
        "hostile",
        lambda folder: build_site(copy_project(folder, seeds=HOSTILE, topics=False), env=_without_site_url()),
    )


@pytest.fixture(scope="session")
def hostile_site(hostile_build) -> Path:
    """The hostile site's folder (``site/``)."""
    return site_of(hostile_build, "hostile")
