"""Bad settings and a damaged topic model are reported as one problem each, never as a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from project import REPO, copy_project

SEEDS = sorted((REPO / "seeds").glob("*.txt"))[:1]


def build(root, *extra):
    cmd = [sys.executable, "-m", "generator", "build", "--root", str(root), *extra]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)


def problem_lines(run) -> list[str]:
    return [line.strip() for line in run.stderr.splitlines() if line.startswith("  ")]


@pytest.fixture
def root(tmp_path):
    return copy_project(tmp_path / "p", seeds=SEEDS)


def add_settings(root, text: str) -> None:
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  atlas:\n", "  atlas:\n" + text, 1), encoding="utf-8"
    )


def test_unknown_topic_setting_is_one_problem_with_its_line(root):
    add_settings(root, "    topics:\n      max_topicz: 9\n")
    run = build(root)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    line = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index("      max_topicz: 9") + 1
    [problem] = problem_lines(run)
    assert problem.startswith(f"mkdocs.yml:{line}: unknown key extra.atlas.topics.max_topicz (known: ")
    assert "max_topics" in problem and problem.endswith("'9'")
    assert build(root, "--strict").returncode == 1


def test_wrong_type_and_out_of_range_settings_name_key_and_expectation(root):
    add_settings(root, "    topics:\n      max_topics: many\n      secondary_ratio: 7\n    home_size: true\n")
    run = build(root, "--strict")
    lines = problem_lines(run)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert any("extra.atlas.topics.max_topics must be a whole number: 'many'" in x for x in lines)
    assert any("extra.atlas.home_size must be a whole number: 'True'" in x for x in lines), lines
    assert any("secondary_ratio=7 (expected a number from 0 to 1); the defaults are used" in x for x in lines)
    assert len(lines) == 3, lines


def test_truncated_topic_model_is_one_problem_and_the_file_is_left_alone(root):
    model = root / "seeds" / "_topics.json"
    damaged = model.read_text(encoding="utf-8")[:500]
    model.write_text(damaged, encoding="utf-8")
    run = build(root)
    lines = problem_lines(run)
    assert run.returncode == 0 and "Traceback" not in run.stderr and len(lines) == 1
    assert lines[0].startswith("seeds/_topics.json:") and "not valid JSON" in lines[0]
    assert (root / "docs" / "index.md").exists(), "the site was not built"
    assert model.read_text(encoding="utf-8") == damaged, "the build rewrote its own input"
    assert build(root, "--strict").returncode == 1
