"""The whole generator on real listings: counts, determinism, stable URLs, atomicity."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from project import REPO, copy_project

from generator import pipeline
from generator.infer.topics import TopicSettings, topic_range

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def generated(root: Path) -> dict[str, bytes]:
    """Every generated file under docs/, as bytes."""
    docs = root / "docs"
    return {
        p.relative_to(docs).as_posix(): p.read_bytes()
        for p in sorted(docs.rglob("*"))
        if p.is_file()
        and not p.name.startswith(".")
        and p.relative_to(docs).parts[0] != "assets"
        or (p.is_file() and "generated" in p.parts)
    }


def papers_by_url(root: Path) -> dict[str, str]:
    return {p["url"]: p["title"] for p in json.loads((root / "docs/papers.json").read_text())["papers"]}


def test_seeds_give_the_expected_catalog(project):
    report = pipeline.generate(project)
    assert (report.listings, report.records, report.papers, report.undated) == (4, 234, 170, 39)
    assert report.problems == []
    assert len(list((project / "docs/papers").glob("*.md"))) == 170
    lo, hi = topic_range(170, TopicSettings())
    assert lo <= report.topics <= hi + 1  # the catch-all counts too
    data = json.loads((project / "docs/papers.json").read_text())
    assert all(p["topics"] for p in data["papers"]), "every paper has a primary topic"
    assert sum(t["papers"] for t in data["topics"]) == 170


def test_second_build_rewrites_nothing(project):
    pipeline.generate(project)
    published = project / "published.json"
    published.write_bytes((project / "docs" / "papers.json").read_bytes())
    again = pipeline.generate(project, published=str(published))
    assert again.written == () and again.removed == () and again.changes.new == [] and again.changes.updated == []


def test_same_listings_give_byte_identical_output_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        root = copy_project(tmp_path / seed)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "generator", "build", "--root", str(root)],
            check=True,
            cwd=REPO,
            env=env,
            capture_output=True,
        )
        outputs.append(generated(root))
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) > 170
    assert outputs[0] == outputs[1]


def test_a_new_listing_keeps_every_url_and_topic(tmp_path):
    root = copy_project(tmp_path / "p", seeds=SEEDS[:3], topics=False)
    first = pipeline.generate(root)
    assert first.refitted and not (root / "seeds/_topics.json").exists(), "a build wrote its own input"
    ctx = pipeline.gather(root, pipeline.Report(), refit=True)
    pipeline.save_model(root, ctx)
    first = pipeline.generate(root)
    assert not first.refitted and (root / "seeds/_topics.json").exists()
    before = papers_by_url(root)
    before_topics = json.loads((root / "docs/papers.json").read_text())
    (root / "seeds" / SEEDS[3].name).write_bytes(SEEDS[3].read_bytes())
    second = pipeline.generate(root)
    assert not second.refitted and second.changes.new
    after = papers_by_url(root)
    assert all(after.get(url) == title for url, title in before.items()), "a paper moved"
    after_topics = json.loads((root / "docs/papers.json").read_text())
    old_names = {t["id"]: t["name"] for t in before_topics["topics"]}
    new_names = {t["id"]: t["name"] for t in after_topics["topics"]}
    assert {i: new_names.get(i) for i in old_names} == old_names, "a topic was renamed or dropped"
    old_primary = {p["id"]: p["topics"][0] for p in before_topics["papers"]}
    moved = [
        i
        for i, p in ((p["id"], p) for p in after_topics["papers"])
        if i in old_primary and p["topics"][0] != old_primary[i]
    ]
    assert moved == []
    for url in before:
        assert (root / "docs" / (url.rstrip("/") + ".md")).exists()


def test_failing_renderer_leaves_previous_site_intact(project, monkeypatch):
    pipeline.generate(project)
    before = generated(project)

    def broken(site):
        raise RuntimeError("renderer bug")

    (project / "seeds/extra.txt").write_text("A New Paper\n\nIt is new. Very new.\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "render_pages", broken)
    with pytest.raises(RuntimeError):
        pipeline.generate(project)
    assert generated(project) == before


def test_strict_exit_code_on_problems(project):
    (project / "seeds/bad.txt").write_bytes(b"\x00\x01binary")
    cmd = [sys.executable, "-m", "generator", "build", "--root", str(project)]
    lenient = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    strict = subprocess.run(cmd + ["--strict"], cwd=REPO, capture_output=True, text=True)
    assert lenient.returncode == 0 and strict.returncode == 1
    assert "bad.txt: binary file" in strict.stderr
    assert "170 distinct papers" in strict.stdout
