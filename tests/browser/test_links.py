"""Every internal link and resource of the built site resolves (LinkChecker, internal only).

LinkChecker crawls the served site from its home page, following every ``href``
and ``src`` (and ``url()`` in stylesheets) on 127.0.0.1, and checks that
``#fragments`` name an anchor of the target page. Addresses on other hosts
(arXiv, Semantic Scholar...) are outside its domain filter: only their syntax is
checked, nothing is fetched.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LINKCHECKER = Path(sys.executable).with_name("linkchecker")
CONFIG = """\
[checking]
# Over the 10 requests/s default; allowed because the test server sends a LinkChecker header.
maxrequestspersecond=1000
# No threads: its work is Python (parsing each page), so ten threads only contend for one
# interpreter lock. On the seed site: 35 s alone instead of 57 s, the same checks.
threads=0
[filtering]
# Internal: the whole served site (checked and crawled). Anything else: syntax only, never fetched.
internlinks={internal}
[AnchorCheck]
"""


def linkchecker(url: str, site_url: str, depth: int = -1, timeout: float = 300) -> tuple[int, list[dict], str]:
    """Run LinkChecker from ``url`` over the site at ``site_url``, following links ``depth`` deep (-1: all).

    Returns its exit code, the rows it reported (errors and warnings) and its stderr.
    """
    program = str(LINKCHECKER) if LINKCHECKER.exists() else shutil.which("linkchecker")
    assert program, "linkchecker is not installed (pip install linkchecker; it is in requirements-test.txt)"
    # Run as root, LinkChecker drops to user nobody, who must be able to read its configuration.
    fd, config = tempfile.mkstemp(prefix="linkcheckerrc-", text=True)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(CONFIG.format(internal="^" + re.escape(site_url)))
        os.chmod(config, 0o644)
        run = subprocess.run(
            [program, "--config", config, "--no-status", "--output", "csv", "--recursion-level", str(depth), url],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=tempfile.gettempdir(),
        )
    finally:
        os.unlink(config)
    lines = [line for line in run.stdout.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    return run.returncode, rows, run.stderr


def describe(row: dict) -> str:
    """``url (linked from page, line N): result; warning``."""
    return (
        f"{row['url'] or row['urlname']} (linked from {row['parentname']}, line {row['line']}): "
        f"{row['result']} {row['warningstring']}".strip()
    )


def test_every_internal_link_and_anchor_resolves(site):
    code, rows, stderr = linkchecker(site.url, site.url)
    assert not rows, "broken links in the built site:\n" + "\n".join(describe(r) for r in rows)
    assert code == 0, f"linkchecker exited {code}:\n{stderr[-2000:]}"


def test_the_checker_reports_a_broken_link_and_a_missing_anchor(site, serve_dir, tmp_path):
    """The check itself can fail: a page with a dead link and a dead anchor is reported.

    The page goes into a copy of the built site's archive page, not into the shared site
    that other tests read at the same time.
    """
    (tmp_path / "archive").mkdir()
    shutil.copy(site.root / "archive" / "index.html", tmp_path / "archive" / "index.html")
    (tmp_path / "broken-links-test").mkdir()
    (tmp_path / "broken-links-test" / "index.html").write_text(
        "<!doctype html><title>t</title>"
        '<a href="../papers/no-such-paper/">dead</a>'
        '<a href="../archive/#no-such-anchor">dead anchor</a>'
        '<a href="https://arxiv.org/abs/0000.00000">outside</a>'
    )
    with serve_dir(tmp_path) as url:
        code, rows, _ = linkchecker(url + "broken-links-test/", url, depth=1)
    reported = {r["urlname"]: r for r in rows}
    assert set(reported) == {"../papers/no-such-paper/", "../archive/#no-such-anchor"}, rows
    assert reported["../papers/no-such-paper/"]["valid"] == "False"
    assert "no-such-anchor" in reported["../archive/#no-such-anchor"]["warningstring"]
    assert code != 0
