"""Shared fixtures: a throw-away copy of the project to build in."""
from __future__ import annotations

import pytest

from project import copy_project


@pytest.fixture
def project(tmp_path):
    """A copy of the project with the four seed listings and the committed topics."""
    return copy_project(tmp_path / "project")
