"""A throw-away copy of the project to build in (configuration, theme, hand-written docs, listings),
and the real build command run on it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from generator.config import GENERATED_DIRS, GENERATED_FILES

REPO = Path(__file__).resolve().parent.parent


def _generated(src: str, names: list[str]) -> set[str]:
    """``shutil.copytree`` ignore function: leave out what the generator writes into docs/."""
    rel = Path(src).relative_to(REPO / "docs").as_posix()
    generated = set(GENERATED_DIRS) | set(GENERATED_FILES)
    return {n for n in names if (n if rel == "." else f"{rel}/{n}") in generated}


def copy_project(dest: Path, seeds: list[Path] | None = None, topics: bool = True) -> Path:
    """Copy mkdocs.yml, generator/theme and hooks.py, the hand-written docs and the listings into ``dest``.

    ``seeds`` picks the listing files (default: the repository's ``seeds/*.txt``);
    ``topics`` copies the committed topic model too.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "generator" / "theme", dest / "generator" / "theme")
    shutil.copy2(REPO / "generator" / "hooks.py", dest / "generator" / "hooks.py")
    shutil.copytree(REPO / "docs", dest / "docs", ignore=_generated)
    (dest / "seeds").mkdir()
    for path in seeds if seeds is not None else sorted((REPO / "seeds").glob("*.txt")):
        shutil.copy2(path, dest / "seeds" / path.name)
    model = REPO / "seeds" / "_topics.json"
    if topics and model.exists():
        shutil.copy2(model, dest / "seeds" / model.name)
    return dest


@dataclass(frozen=True)
class Build:
    """One run of ``python -m generator build --site`` on a project copy."""

    root: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def site(self) -> Path:
        return self.root / "site"


def build_site(root: Path, *extra: str, env: dict | None = None) -> Build:
    """The real build command (as ``make site`` runs it) on the project copy at ``root``."""
    cmd = [sys.executable, "-m", "generator", "build", "--root", str(root), "--site", *extra]
    run = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    return Build(root, run.returncode, run.stdout, run.stderr)


def _worker(config) -> str:
    """This process's pytest-xdist worker id, or ``master`` (plain ``pytest``, ``-n0``, ``-p no:xdist``)."""
    return getattr(config, "workerinput", {}).get("workerid", "master")


def shared_build(request, name: str, make: Callable[[Path], Build]) -> Build:
    """``make(folder)``, run once per session however many workers ask for ``name``.

    ``make`` gets a new, empty folder and returns the build it ran there. Every worker gets
    the same ``Build`` back (read from ``<name>.json`` in the workers' shared folder).
    """
    factory = request.getfixturevalue("tmp_path_factory")
    if _worker(request.config) == "master":
        return make(factory.mktemp(name))
    shared = factory.getbasetemp().parent
    record = shared / f"{name}.json"
    with FileLock(str(shared / f"{name}.lock")):
        if not record.exists():
            build = make(shared / name)
            record.write_text(json.dumps({**asdict(build), "root": str(build.root)}), encoding="utf-8")
    data = json.loads(record.read_text(encoding="utf-8"))
    return Build(**{**data, "root": Path(data["root"])})


def site_of(build: Build, what: str) -> Path:
    """The build's ``site/`` folder; fails every test using it when the build failed."""
    if build.returncode != 0 or not (build.site / "index.html").exists():
        pytest.fail(
            f"the {what} build exited {build.returncode}\n--- stdout\n{build.stdout[-3000:]}"
            f"\n--- stderr\n{build.stderr[-3000:]}",
            pytrace=False,
        )
    return build.site
