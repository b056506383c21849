"""The build cache (.cache/atlas): a cached build writes exactly what an uncached one writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from project import REPO, copy_project

from generator import pipeline

NEW_LISTING = """Daily Papers

byAK and the research community

Mar 12

Cached Builds Never Serve Stale Pages

We add a listing after the cache was filled. The new paper must appear.

  • 2 authors
·
Mar 3, 2024 5
"""


def generated(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def test_cached_builds_write_the_same_bytes_as_uncached_ones(tmp_path):
    cached, plain = copy_project(tmp_path / "cached"), copy_project(tmp_path / "plain")
    pipeline.generate(cached)
    again = pipeline.generate(cached)
    assert {"listing", "merge", "topics", "related", "render"} <= set(again.cached)
    assert (cached / ".cache/atlas").is_dir()
    pipeline.generate(plain, cache=False)
    assert not (plain / ".cache").exists()
    assert generated(cached) == generated(plain)


def test_a_new_or_edited_listing_is_not_served_from_the_cache(tmp_path):
    cached, plain = copy_project(tmp_path / "cached"), copy_project(tmp_path / "plain")
    pipeline.generate(cached)
    for root in (cached, plain):
        (root / "seeds/zz_new.txt").write_text(NEW_LISTING, encoding="utf-8")
        first = sorted((root / "seeds").glob("0*.txt"))[0]
        first.write_text(
            first.read_text(encoding="utf-8").replace("Daily Papers", "Daily Papers\n", 1), encoding="utf-8"
        )
    report = pipeline.generate(cached)
    assert "render" not in report.cached and "Cached Builds Never Serve Stale Pages" in (
        cached / "docs/papers.json"
    ).read_text(encoding="utf-8")
    pipeline.generate(plain, cache=False)
    assert generated(cached) == generated(plain)


def test_entries_no_build_uses_any_more_are_pruned(tmp_path):
    root = copy_project(tmp_path / "p")
    pipeline.generate(root)
    before = {p.name for p in (root / ".cache/atlas").iterdir()}
    (root / "seeds/zz_new.txt").write_text(NEW_LISTING, encoding="utf-8")
    pipeline.generate(root)
    after = {p.name for p in (root / ".cache/atlas").iterdir()}
    assert len(after) == len(before) + 1, "one more listing entry; merge, topics, related, render replaced"
    assert not any(name.startswith("render-") for name in before & after)


def test_a_cached_build_loads_neither_scikit_learn_nor_matplotlib(tmp_path):
    """Importing them takes seconds; a build with nothing to fit or draw does not pay for them."""
    root = copy_project(tmp_path / "p")
    pipeline.generate(root)
    probe = (
        "import sys; from pathlib import Path; from generator import pipeline; r = pipeline.generate(Path(sys.argv[1])); "
        "print(sorted(r.cached)); print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'matplotlib'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(root)], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.splitlines()
    assert "render" in out[0], out
    assert out[1] == "[]", out
