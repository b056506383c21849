"""The command line: help, check, and the live preview picking up a new listing."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from project import REPO

NEW_LISTING = """Daily Papers

byAK and the research community

Dec 10

Live Preview Papers Appear Without Restarting

We add a listing while the preview runs. The page must appear. Quickly.

  • 2 authors
·
Nov 3, 2024 5
"""


def run(*args: str, root=None):
    cmd = [sys.executable, "-m", "generator", *args] + (["--root", str(root)] if root else [])
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_help_lists_the_subcommands():
    out = run("--help").stdout
    for command in ("build", "serve", "topics", "check"):
        assert command in out


def test_check_reports_counts_and_writes_nothing(project):
    result = run("check", root=project)
    assert "Read 4 listings: 234 records, 170 distinct papers (39 undated)." in result.stdout
    assert "No problems." in result.stdout
    assert not (project / "docs/papers").exists()


def test_check_names_file_line_and_value(project):
    (project / "seeds/broken.txt").write_text(
        "Daily Papers\n\nA Title\n\nAn abstract. Two.\n\n  • 2 authors\n·\nFeb 30, 2023\n"
    )
    result = run("check", "--strict", root=project)
    assert result.returncode == 1
    assert "broken.txt:9: impossible date: 'Feb 30, 2023'" in result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    return None


def test_serve_regenerates_when_a_listing_is_added(project):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--root", str(project), "--addr", f"127.0.0.1:{port}"],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        assert wait_for(lambda: fetch(base + "papers.json"), 120), "preview did not start"
        (project / "seeds/new.txt").write_text(NEW_LISTING, encoding="utf-8")
        data = wait_for(lambda: (fetch(base + "papers.json") or "").count("Live Preview Papers Appear"), 120)
        assert data, "the new listing did not reach the preview"
        page = wait_for(lambda: fetch(base + "archive/2024/"), 60)
        assert page and "Live Preview Papers Appear Without Restarting" in page
        assert wait_for(lambda: fetch(base + "pagefind/pagefind-entry.json"), 60), "the preview has no search"
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1]
    builds = log.count("Building documentation")
    assert builds == 2, f"expected the first build and one per change, saw {builds}:\n{log[-3000:]}"
