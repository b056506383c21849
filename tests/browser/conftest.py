"""The site as a reader gets it: built once from the four seed listings, served on 127.0.0.1.

Fixtures:

- ``built_site`` (tests/conftest.py): the real ``python -m generator build --site`` run on a
  copy of the project (mkdocs.yml, hand-written docs, seeds) in a temporary folder; its ``site/``.
- ``site``: that folder served over HTTP on a free port, with ``papers.json`` loaded.
- ``browser``: Chromium or Chrome driven by Playwright, found where ``make test`` looks
  (scripts/setup_system.py: ``CHROMIUM_PATH``, Chromium's headless shell, ``/usr/bin/chromium``,
  ``google-chrome`` or ``chromium`` on PATH).
- ``open_page``: a new page in its own browser context; every request it makes and
  every console error it shows is recorded, and checked when the test ends: no
  request may leave 127.0.0.1 and no page may log an error.

Browser tests carry the ``browser`` mark. Without a browser they are skipped with the fix
named, except in CI (``CI=true``), where a missing browser or axe-core is an error.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from scripts.setup_system import AXE, BROWSER_ARGS, axe_missing, browser_missing, find_browser, in_ci

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = find_browser()
CHROMIUM_ARGS = list(BROWSER_ARGS)
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
LOCAL_HOST = "127.0.0.1"
IN_CI = in_ci()
DESKTOP = {"width": 1280, "height": 900}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Chromium through Playwright (needs a browser: scripts/setup_system.py)"
    )


def pytest_collection_modifyitems(config, items):
    """Skip browser tests when Chromium is missing, unless in CI where that must fail."""
    if CHROMIUM or IN_CI:
        return
    skip = pytest.mark.skip(reason=f"{browser_missing()}; with CI=true this is an error")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell whether the test failed."""
    outcome = yield
    setattr(item, f"report_{call.when}", outcome.get_result())


# --- building and serving -------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, quietly. The ``LinkChecker`` header lifts linkchecker's 10 requests/s limit."""

    def end_headers(self):
        self.send_header("LinkChecker", "local test server")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        pass


@dataclass(frozen=True)
class Site:
    """The served site and its catalog (``papers.json``)."""

    root: Path
    url: str
    catalog: dict

    def page(self, path: str) -> str:
        """Absolute address of a site path: ``site.page("topics/")``."""
        return urljoin(self.url, path)

    def path_of(self, address: str) -> str:
        """Site path of an absolute address, without query or fragment: ``papers/x/``."""
        return urlsplit(address).path.lstrip("/")

    @functools.cached_property
    def papers(self) -> dict[str, dict]:
        """Papers by id, in the catalog's order."""
        return {p["id"]: p for p in self.catalog["papers"]}

    @functools.cached_property
    def topics(self) -> dict[str, dict]:
        """Topics by id."""
        return {t["id"]: t for t in self.catalog["topics"]}

    def paper_at(self, address: str) -> dict | None:
        """The paper whose page is at ``address`` (absolute), if any."""
        path = self.path_of(address)
        return next((p for p in self.catalog["papers"] if p["url"] == path), None)


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on http://127.0.0.1:<free port>/ while the block runs; yields that address."""
    handler = functools.partial(_Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site(built_site) -> Iterator[Site]:
    """The built site on http://127.0.0.1:<free port>/, for the whole session."""
    catalog = json.loads((built_site / "papers.json").read_text(encoding="utf-8"))
    with serve(built_site) as url:
        yield Site(built_site, url, catalog)


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium or Chrome (Playwright cannot download its own browser here)."""
    if CHROMIUM is None:
        pytest.fail(f"CI=true and {browser_missing()}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Traffic:
    """What the pages of one test asked for and complained about."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        """Requests to any host but 127.0.0.1 (data: and blob: addresses stay in the page)."""
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).hostname != LOCAL_HOST
        ]

    def problems(self) -> list[str]:
        """One line per request that left the machine and per console error."""
        return [f"request outside {LOCAL_HOST}: {u}" for u in self.outside()] + self.errors


def _watch(context, traffic: Traffic) -> None:
    """Record every request; let local ones through and stop any other before it leaves."""

    def route(r):
        if urlsplit(r.request.url).hostname == LOCAL_HOST:
            r.continue_()
        else:
            r.abort("blockedbyclient")

    context.on("request", lambda req: traffic.requests.append(req.url))
    context.on("response", lambda res: res.status >= 400 and traffic.errors.append(f"HTTP {res.status} for {res.url}"))
    context.route("**/*", route)
    context.on("page", lambda page: _watch_page(page, traffic))


def _watch_page(page, traffic: Traffic) -> None:
    """Collect console errors and uncaught exceptions of one page."""
    page.on(
        "console", lambda msg: msg.type == "error" and traffic.errors.append(f"console error on {page.url}: {msg.text}")
    )
    page.on("pageerror", lambda exc: traffic.errors.append(f"uncaught exception on {page.url}: {exc}"))


@pytest.fixture
def traffic() -> Traffic:
    """The requests and errors of the pages opened in this test."""
    return Traffic()


@pytest.fixture
def open_page(request, browser, site, traffic) -> Iterator[Callable]:
    """``open_page(path, viewport=DESKTOP, scheme="light", mobile=False)``: a page showing that site path.

    Each call opens a new browser context (fresh storage) and waits until the page
    has loaded. When the test ends, every request of every page must have gone to
    127.0.0.1 and no page may have logged an error (checked only if the test itself passed,
    so that one problem is reported once).
    """
    contexts = []

    def open_(path: str = "", viewport: dict = DESKTOP, scheme: str = "light", mobile: bool = False):
        context = browser.new_context(
            viewport=viewport, color_scheme=scheme, is_mobile=mobile, has_touch=mobile, service_workers="block"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        _watch(context, traffic)
        page = context.new_page()
        page.goto(site.page(path), wait_until="load")
        return page

    yield open_
    for context in contexts:
        for page in context.pages:  # let late requests (search index, sitemap...) happen and be seen
            page.wait_for_load_state("networkidle", timeout=10_000)
        context.close()
    problems = traffic.problems()
    if getattr(request.node, "report_call", None) and request.node.report_call.failed:
        return
    assert not problems, "pages went outside 127.0.0.1 or logged errors:\n" + "\n".join(problems)


@pytest.fixture
def screenshot() -> Callable:
    """``screenshot(page, name, full_page=False)``: saves test-artifacts/screenshots/<name>.png."""

    def take(page, name: str, full_page: bool = False) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script, installed by npm (package.json at the repository root)."""
    if not AXE.exists():
        if IN_CI:
            pytest.fail(f"CI=true and {axe_missing()}", pytrace=False)
        pytest.skip(axe_missing())
    return AXE


@pytest.fixture(scope="session")
def serve_dir() -> Callable:
    """``with serve_dir(folder) as url:`` serves another built site on 127.0.0.1 (see ``serve``)."""
    return serve
