"""Strict means strict: every MkDocs warning fails the build (``make site``), and the seed site has none.

MkDocs 1.6.1 under ``-q`` leaves warnings out of the ``--strict`` count (mkdocs/mkdocs#4126),
so a build that printed nothing and exited 0 proved nothing; these tests read what MkDocs said.
"""

from __future__ import annotations

import re

from project import REPO, build_site, copy_project

WARNING = re.compile(r"^(?:WARNING|ERROR)\b.*$", re.M)


def test_make_site_is_the_strict_build():
    recipe = re.search(r"^site:.*\n((?:\t.*\n)+)", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)
    assert recipe and "-m generator build --site" in recipe.group(1)


def test_the_seed_site_builds_without_a_single_warning(seed_build):
    assert seed_build.returncode == 0, seed_build.output[-3000:]
    assert "Documentation built" in seed_build.output, "MkDocs' own report is shown, not silenced"
    assert WARNING.findall(seed_build.output) == []


def test_a_dead_link_in_docs_fails_the_build_and_says_where(tmp_path):
    root = copy_project(tmp_path / "dead-link", seeds=[REPO / "seeds" / "000_d50e86dd121e9ce5.txt"], topics=False)
    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [the old page](no-such-page.md).\n", encoding="utf-8")
    build = build_site(root)
    assert build.returncode != 0, build.output[-3000:]
    warnings = WARNING.findall(build.output)
    assert len(warnings) == 1 and "about.md" in warnings[0] and "no-such-page.md" in warnings[0], warnings
    assert "Aborted with 1 warnings in strict mode" in build.output
