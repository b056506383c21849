"""Reproducible installs: every Python package is pinned in requirements.lock, and .venv holds exactly that.

The Makefile installs requirements-test.txt (which includes requirements.txt) with the lock as
constraints; ``make lock`` rewrites the lock after a requirements file changes.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from project import REPO

LOCK = REPO / "requirements.lock"
NOT_LOCKED = {"pip", "setuptools", "wheel", "distribute"}  # what `pip freeze` leaves out


def requirement_lines(path):
    """The requirement lines of a requirements file, following ``-r`` includes."""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            yield from requirement_lines(path.parent / line[3:].strip())
        else:
            yield line


def locked() -> dict[str, str]:
    pins = {}
    for line in requirement_lines(LOCK):
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"requirements.lock: {line!r} is not name==version"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def test_every_requirement_is_pinned_in_the_lock():
    pins = locked()
    for line in requirement_lines(REPO / "requirements-test.txt"):
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), f"{line} but the lock has {pins[name]}"
        for extra in req.extras:  # pagefind[bin] brings pagefind_bin
            assert any(n.startswith(f"{name}-{extra}") for n in pins), f"{line}: its extra is not locked"


def test_the_environment_is_the_lock():
    """The running Python (.venv under make test) has each locked version and nothing unlocked."""
    pins = locked()
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    wrong = {n: (installed.get(n), v) for n, v in pins.items() if installed.get(n) != v}
    assert not wrong, f"installed vs locked in {sys.prefix}: {wrong} (make clean, then make test)"
    extra = sorted(set(installed) - set(pins) - NOT_LOCKED)
    assert not extra, f"installed in {sys.prefix} but not pinned in requirements.lock: {extra} (make lock)"
