"""Published addresses never move: a loopback server stands in for the live site between builds.

Each build reads the live site's ``papers.json`` over HTTP (127.0.0.1), as
the publishing workflow does, and is then "deployed" by copying its
``papers.json`` to the server's folder. Across a sequence of builds (add a
listing, remove one, re-print a title with other punctuation, reorder the
files) every address ever published must still be a page.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from markupsafe import escape
from project import REPO, copy_project

from generator import pipeline

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
CTM = "Continuous Thought Machines"


@pytest.fixture
def live(tmp_path):
    """A folder served on 127.0.0.1 like the live site; yields (folder, URL of its papers.json)."""
    folder = tmp_path / "live"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/papers.json"
    server.shutdown()
    server.server_close()
    thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


def build(root: Path, url: str | None) -> pipeline.Report:
    return pipeline.generate(root, published=url)


def deploy(root: Path, live: Path) -> None:
    shutil.copy2(root / "docs" / "papers.json", live / "papers.json")


def published_urls(root: Path) -> set[str]:
    data = json.loads((root / "docs" / "papers.json").read_text(encoding="utf-8"))
    return {p["url"] for p in data["papers"]} | {p["url"] for p in data.get("retired", [])}


def broken(root: Path, urls: set[str]) -> list[str]:
    """Addresses that no page (or redirect page) of this build serves."""
    docs = root / "docs"
    return sorted(
        u for u in urls if not ((docs / (u.rstrip("/") + ".md")).is_file() or (docs / u / "index.html").is_file())
    )


def reprint(seeds: Path, title: str, printed: str) -> None:
    """Print a title differently in every listing that shows it."""
    for path in seeds.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"(?m)^{re.escape(title)}$", printed, text), encoding="utf-8")


def test_a_sequence_of_builds_breaks_no_published_address(tmp_path, live):
    folder, url = live
    root = copy_project(tmp_path / "project", seeds=SEEDS[:3])
    seeds = root / "seeds"
    steps = [
        ("first deploy", lambda: None),
        ("add a listing", lambda: shutil.copy2(SEEDS[3], seeds / SEEDS[3].name)),
        ("remove a listing", lambda: (seeds / SEEDS[0].name).unlink()),
        ("re-print a title", lambda: reprint(seeds, CTM, "Continuous thought-machine's")),
        (
            "reorder the files",
            lambda: [p.rename(seeds / f"{99 - k:02d}_{p.name}") for k, p in enumerate(sorted(seeds.glob("*.txt")))],
        ),
    ]
    ever: set[str] = set()
    for name, change in steps:
        change()
        report = build(root, url)
        assert report.problems == [], name
        assert broken(root, ever) == [], name
        ever |= published_urls(root)
        deploy(root, folder)
    assert report.retired > 0  # listing 000 left: its papers that no other listing shows were kept as pages


def test_the_first_deploy_tolerates_a_missing_papers_json(tmp_path, live):
    _, url = live
    root = copy_project(tmp_path / "project", seeds=SEEDS[:1])
    report = build(root, url)
    assert report.problems == [] and "404" in report.published and report.papers > 0


def test_an_unreachable_live_site_is_a_problem(tmp_path):
    root = copy_project(tmp_path / "project", seeds=SEEDS[:1])
    with socket_nobody_listens() as url:
        report = build(root, url)
    assert [p.file for p in report.problems] == [url]


def test_without_the_published_input_a_re_printed_title_would_move(tmp_path, live):
    folder, url = live
    root = copy_project(tmp_path / "project", seeds=SEEDS[:1])
    build(root, url)
    deploy(root, folder)
    before = published_urls(root)
    reprint(root / "seeds", CTM, "Continuous thought-machine's")
    build(root, None)
    assert broken(root, before) != []  # the address follows the printing when nothing remembers it
    build(root, url)
    assert broken(root, before) == []


def test_a_paper_no_longer_listed_keeps_a_short_page_out_of_search_feeds_and_lists(tmp_path, live):
    folder, url = live
    root = copy_project(tmp_path / "project", seeds=SEEDS[:2])
    build(root, url)
    deploy(root, folder)
    before = {p["id"]: p for p in json.loads((folder / "papers.json").read_text())["papers"]}
    (root / "seeds" / SEEDS[0].name).unlink()
    report = build(root, url)
    data = json.loads((root / "docs" / "papers.json").read_text())
    gone = {r["id"] for r in data["retired"]}
    assert gone and report.retired == len(gone) and not gone & {p["id"] for p in data["papers"]}
    rid = sorted(gone)[0]
    page = (root / "docs" / "papers" / f"{rid}.md").read_text()
    assert "no longer listed" in page and "data-pagefind-body" not in page and "robots: noindex" in page
    assert f"<h1>{escape(before[rid]['title'])}</h1>" in page
    topic = before[rid]["topics"][0]
    assert f"../../topics/{topic}/" in page
    lists = [p.read_text() for p in (root / "docs").rglob("*.md") if "papers/" not in p.as_posix()]
    feeds = [p.read_text() for p in (root / "docs" / "feeds").glob("*.xml")]
    assert not any(rid in text for text in lists + feeds)


def test_a_paper_published_twice_in_two_printings_redirects_the_other_address_once_joined(tmp_path, live):
    """An older build gave a paper two pages (its abstract printed whole, and cut short); now the two
    printings are one paper, so one published address keeps the page and the other redirects to it,
    build after build, rather than calling a paper that is still listed "no longer listed"."""
    folder, url = live
    root = copy_project(tmp_path / "project", seeds=SEEDS[:1])
    build(root, url)
    deploy(root, folder)
    data = json.loads((folder / "papers.json").read_text(encoding="utf-8"))
    paper = next(p for p in data["papers"] if len(p["abstract"]) > 400)
    old_id = paper["id"].rsplit("-", 1)[0] + "-0a0a0a"
    cut = {**paper, "id": old_id, "url": f"papers/{old_id}/", "abstract": paper["abstract"][:300] + "…"}
    data["papers"].append(cut)
    (folder / "papers.json").write_text(json.dumps(data), encoding="utf-8")
    for step in ("joined", "again"):
        report = build(root, url)
        assert (report.moved, report.retired, report.problems) == (1, 0, []), step
        assert not (root / "docs" / "papers" / f"{old_id}.md").exists(), step
        page = (root / "docs" / "papers" / old_id / "index.html").read_text(encoding="utf-8")
        assert f'url=../{paper["id"]}/"' in page and f'href="../{paper["id"]}/"' in page, step
        retired = json.loads((root / "docs" / "papers.json").read_text(encoding="utf-8"))["retired"]
        assert [(r["id"], r["moved_to"]) for r in retired] == [(old_id, paper["url"])], step
        deploy(root, folder)


class socket_nobody_listens:
    """A loopback URL on a port that was free a moment ago: nothing answers there."""

    def __enter__(self) -> str:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"http://127.0.0.1:{port}/papers.json"

    def __exit__(self, *exc) -> None:
        return None


def test_the_real_build_serves_the_retired_page_and_leaves_it_out_of_the_search_index(tmp_path, live):
    folder, url = live
    root = copy_project(tmp_path / "project", seeds=SEEDS[:2])
    build(root, url)
    deploy(root, folder)
    (root / "seeds" / SEEDS[0].name).unlink()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "--site", "--strict", "--published", url],
        cwd=REPO,
        env={**os.environ, "SITE_URL": "https://lab.github.io/atlas/"},  # a sitemap needs the public address
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no longer listed keep a short page" in result.stdout
    data = json.loads((root / "site" / "papers.json").read_text())
    rid = data["retired"][0]["id"]
    html = (root / "site" / "papers" / rid / "index.html").read_text()
    assert "no longer listed" in html and '<meta name="robots" content="noindex">' in html
    indexed = b"".join(
        gzip.decompress(p.read_bytes())
        for folder in json.loads((root / "site" / "search-bundles.json").read_text())
        for p in (root / "site" / folder / "fragment").glob("*.pf_fragment")
    )
    listed = data["papers"][0]["id"]
    assert listed.encode() in indexed and rid.encode() not in indexed
    sitemap = (root / "site" / "sitemap.xml").read_text()
    assert f"/papers/{listed}/" in sitemap and f"/papers/{rid}/" not in sitemap, "a noindex page is not in the sitemap"
