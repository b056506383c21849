"""Search bundles kept in .cache/search: an unchanged bundle is taken from there, never a stale one.

These run the real Pagefind service on a few tiny pages, through the hook's own client.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
from pathlib import Path

from project import REPO

spec = importlib.util.spec_from_file_location("atlas_hooks_cache", REPO / "generator" / "hooks.py")
hooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hooks)

FOLDERS = ["pagefind", "pagefind-2"]


def _page(word: str) -> str:
    return (
        '<!doctype html><html lang="en"><body><article class="pa-paper" data-pagefind-body>'
        f"<h1>Paper on {word}</h1><p>We study {word} in depth.</p></article></body></html>"
    )


def _pages(words: dict[str, list[str]]) -> dict[str, list[tuple[str, str]]]:
    return {folder: [(f"papers/{w}/index.html", _page(w)) for w in ws] for folder, ws in words.items()}


def _build(site: Path, cache: Path, pages: dict[str, list[tuple[str, str]]]):
    """Index the pages as the hook does during a build: bundle by bundle, each finished when complete."""
    index = hooks.SearchIndex(list(pages), cache=hooks.BundleCache(cache))
    for folder, items in pages.items():
        for path, html in items:
            index.add_page(folder, path, html)
        if folder != FOLDERS[-1]:
            index.finish(folder, site)
    index.write(site)
    return index


def _files(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _indexed_text(bundle: Path) -> str:
    """Every fragment's text in a written bundle (fragments are gzipped JSON behind a signature)."""
    import gzip

    texts = []
    for fragment in (bundle / "fragment").iterdir():
        raw = gzip.decompress(fragment.read_bytes())
        texts.append(json.loads(raw[raw.index(b"{") :])["content"])
    return " ".join(texts)


def test_an_unchanged_bundle_is_taken_from_the_cache_and_a_changed_one_indexed_again(tmp_path):
    cache = tmp_path / "cache"
    first = _pages({"pagefind": ["alpha", "beta"], "pagefind-2": ["gamma", "delta"]})
    built = _build(tmp_path / "one", cache, first)
    assert built.sent == 4 and built.reused == []

    again = _build(tmp_path / "two", cache, first)
    assert again.sent == 0 and again.reused == FOLDERS
    for folder in FOLDERS:
        assert _files(tmp_path / "two" / folder) == _files(tmp_path / "one" / folder)

    changed = _pages({"pagefind": ["alpha", "beta"], "pagefind-2": ["gamma", "epsilon"]})
    third = _build(tmp_path / "two", cache, changed)  # into the folder that holds the cache's files
    assert third.reused == ["pagefind"] and third.sent == 2
    text = _indexed_text(tmp_path / "two" / "pagefind-2")
    assert "epsilon" in text and "delta" not in text
    assert _files(tmp_path / "two" / "pagefind") == _files(tmp_path / "one" / "pagefind")
    assert "delta" in _indexed_text(tmp_path / "one" / "pagefind-2")  # an earlier site is left as it was
    kept = sorted(p.name for p in cache.iterdir() if p.is_dir())
    assert len(kept) == 2, kept  # the bundles of the last build, no others


def test_a_page_moved_between_bundles_or_reordered_is_not_the_same_bundle(tmp_path):
    cache = tmp_path / "cache"
    _build(tmp_path / "one", cache, _pages({"pagefind": ["alpha", "beta"], "pagefind-2": ["gamma"]}))
    moved = _build(tmp_path / "two", cache, _pages({"pagefind": ["alpha"], "pagefind-2": ["beta", "gamma"]}))
    assert moved.reused == [] and moved.sent == 3
    assert "beta" in _indexed_text(tmp_path / "two" / "pagefind-2")
    assert "beta" not in _indexed_text(tmp_path / "two" / "pagefind")


def _built_once(tmp_path: Path):
    """A cache holding one build of two one-page bundles: (cache folder, pages, that build's index)."""
    cache = tmp_path / "cache"
    pages = _pages({"pagefind": ["alpha"], "pagefind-2": ["gamma"]})
    return cache, pages, _build(tmp_path / "one", cache, pages)


def test_a_damaged_kept_bundle_is_written_again(tmp_path):
    cache, pages, _ = _built_once(tmp_path)
    for entry in cache.glob("*/pagefind-entry.json"):
        entry.write_text("{not json", encoding="utf-8")
    again = _build(tmp_path / "two", cache, pages)
    assert again.reused == [] and again.sent == 2
    for folder in FOLDERS:
        assert json.loads((tmp_path / "two" / folder / "pagefind-entry.json").read_text())["languages"]


def test_a_lost_page_list_only_costs_the_reuse(tmp_path):
    cache, pages, _ = _built_once(tmp_path)
    for listing in cache.glob("*.pages"):
        listing.write_text("[1, 2", encoding="utf-8")
    again = _build(tmp_path / "two", cache, pages)
    assert again.sent == 2 and again.reused == FOLDERS  # sent as they came, then the same bundle found
    shutil.rmtree(cache)
    fresh = _build(tmp_path / "three", cache, pages)
    assert fresh.sent == 2 and fresh.reused == []
    assert "gamma" in _indexed_text(tmp_path / "three" / "pagefind-2")


def test_a_kept_bundle_that_cannot_be_put_in_place_is_a_miss_not_a_crash(tmp_path):
    cache, _, built = _built_once(tmp_path)
    key = next(p.name for p in cache.iterdir() if p.is_dir())
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the site folder should be", encoding="utf-8")
    assert built.cache.restore(key, blocked / "pagefind") is False
    assert built.cache.restore(key, tmp_path / "free" / "pagefind") is True
    assert _files(tmp_path / "free" / "pagefind") == _files(cache / key)
