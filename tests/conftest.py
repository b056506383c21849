"""Shared fixtures: a throw-away copy of the project to build in."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.config import GENERATED_DIRS, GENERATED_FILES

REPO = Path(__file__).resolve().parent.parent


def copy_project(dest: Path, seeds: list[Path] | None = None, topics: bool = True) -> Path:
    """mkdocs.yml, the hand-written docs and the listings, copied to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(config.replace("custom_dir: generator/theme",
                                                    f"custom_dir: {REPO / 'generator' / 'theme'}"))
    skip = {f"docs/{d}" for d in GENERATED_DIRS} | {f"docs/{f}" for f in GENERATED_FILES}
    for path in (REPO / "docs").rglob("*"):
        rel = path.relative_to(REPO).as_posix()
        if path.is_file() and not any(rel == s or rel.startswith(s + "/") for s in skip):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / rel)
    (dest / "seeds").mkdir(exist_ok=True)
    for path in seeds if seeds is not None else sorted((REPO / "seeds").glob("*.txt")):
        shutil.copy2(path, dest / "seeds" / path.name)
    if topics and (REPO / "seeds" / "_topics.json").exists():
        shutil.copy2(REPO / "seeds" / "_topics.json", dest / "seeds" / "_topics.json")
    return dest


@pytest.fixture
def project(tmp_path):
    """A copy of the project with the four seed listings and the committed topics."""
    return copy_project(tmp_path / "project")
