"""MkDocs hooks of the site (``hooks:`` in mkdocs.yml): the two things the build adds to bare MkDocs.

* **Generated HTML pages skip Markdown.** A paper page is written by the
  generator as front matter and one block of raw HTML (already escaped).
  Python-Markdown would only scan that block and hand it back unchanged, at
  about 1.5 ms a page; here the page's HTML goes straight to the theme.
  Hand-written pages and the list pages (which use Markdown headings) are
  converted as usual.
* **Pages without indentation.** The theme indents its HTML deeply; every
  built page loses the spaces at the start of its lines and its blank lines
  (never inside ``<pre>``, ``<textarea>`` or ``<script>``), about 15% of a
  paper page: the same page on screen, a smaller site.
* **Pagefind indexes paper pages while MkDocs builds.** Each paper page is
  sent to a ``pagefind --service`` process as soon as MkDocs has rendered it,
  so indexing runs on the second core instead of after the build. The paper
  pages (in build order) are split into bundles of at most
  ``extra.atlas.search_bundle_pages`` pages, and at least two; each bundle is
  written and dropped from memory as soon as its last page is in, so Pagefind
  holds one bundle at a time (it needs ~85 KB a page). ``search-bundles.json``
  at the site root lists them; the browser searches them together
  (docs/assets/pagefind-material.js).

MkDocs loads this file by path (not as part of the ``generator`` package), so
it imports nothing from the generator.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import threading
from pathlib import Path

HTML_PAGES = "papers/"
"""Docs folder whose pages the generator writes as one raw-HTML block (front matter aside)."""

BUNDLE_PAGES = 5000
"""Default of ``extra.atlas.search_bundle_pages`` (declared in generator/config.py; a test keeps them equal)."""
MIN_BUNDLES = 2
"""Bundles however small the site, so that the search box's merging of bundles is always exercised."""
MANIFEST = "search-bundles.json"
"""File at the site root listing the bundle folders, in order, for the search box."""

_ID = re.compile(r'\sid="([^"]+)"')
_KEEP = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.S | re.I)
_INDENT = re.compile(r"\n\s+")
_passed: dict[str, str] = {}
_index: SearchIndex | None = None
_bounds: list[int] = []
"""Number of paper pages sent when each bundle is complete, in order (one per folder of ``_index``)."""


def is_html_page(src_uri: str, markdown: str) -> bool:
    """Whether a page is generated HTML that Markdown would hand back unchanged.

    >>> is_html_page("papers/x-1a2b3c.md", "<article>...</article>"), is_html_page("about.md", "<p>x</p>")
    (True, False)
    >>> is_html_page("papers/notes.md", "# Notes")
    False
    """
    text = markdown.strip()
    return src_uri.startswith(HTML_PAGES) and text.startswith("<") and text.endswith(">")


def unindent(html: str) -> str:
    """HTML without leading whitespace on its lines nor blank lines, except inside pre, textarea, script.

    >>> unindent("<ul>\\n    <li>a</li>\\n\\n  <li>b</li>\\n</ul>\\n<pre>  x\\n    y</pre>")
    '<ul>\\n<li>a</li>\\n<li>b</li>\\n</ul>\\n<pre>  x\\n    y</pre>'
    """
    parts = _KEEP.split(html)
    out = []
    for k in range(0, len(parts), 3):
        out.append(_INDENT.sub("\n", parts[k]))
        if k + 1 < len(parts):
            out.append(parts[k + 1])
    return "".join(out)


def bundle_folders(papers: int, per_bundle: int = BUNDLE_PAGES) -> list[str]:
    """Folders of the search bundles for ``papers`` paper pages: ``pagefind``, ``pagefind-2``, ...

    >>> bundle_folders(170), bundle_folders(20_000), len(bundle_folders(50_001))
    (['pagefind', 'pagefind-2'], ['pagefind', 'pagefind-2', 'pagefind-3', 'pagefind-4'], 11)
    """
    count = max(MIN_BUNDLES, -(-papers // max(1, per_bundle)))
    return ["pagefind"] + [f"pagefind-{k}" for k in range(2, count + 1)]


def bundle_bounds(papers: int, bundles: int) -> list[int]:
    """Pages sent when each bundle is complete: the pages split as evenly as can be, in order.

    >>> bundle_bounds(10, 3), bundle_bounds(1, 2)
    ([4, 7, 10], [1, 1])
    """
    return [-(-papers * (k + 1) // bundles) for k in range(bundles)]


def is_paper(dest_uri: str) -> bool:
    """Whether a built page is a paper page (the pages search indexes).

    >>> is_paper("papers/brain-diffuser-6125ba/index.html"), is_paper("topics/index.html")
    (True, False)
    """
    parts = dest_uri.split("/")
    return len(parts) == 3 and parts[0] == HTML_PAGES.rstrip("/") and parts[2] == "index.html" and bool(parts[1])


class SearchIndex:
    """Pagefind indexes in a ``pagefind --service`` process, fed page by page, written at the end.

    Speaks the service's protocol (base64 JSON messages ended by a comma) from a
    reader thread: the Python API's client reads one response per 0.1 s, which
    would make 10,000 pages take 17 minutes.
    """

    def __init__(self, folders: list[str], config: dict | None = None) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise FileNotFoundError("pagefind binary not found (pip install 'pagefind[bin]')")
        self._proc = subprocess.Popen(
            [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self._next, self._lock = 0, threading.Lock()
        self._waiting: dict[int, threading.Event] = {}
        self._answers: dict[int, dict] = {}
        self.errors: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.folders = list(folders)
        """Bundle folders under the site, in order."""
        self.indexes = {
            folder: self.request({"type": "NewIndex", "config": config or {}}, wait=True)["index_id"]
            for folder in folders
        }
        self.added = 0
        """Pages sent so far."""
        self._writers: list[threading.Thread] = []

    def request(self, payload: dict, wait: bool = False) -> dict | None:
        """Send one request; with ``wait``, block until its answer (raising on an error answer)."""
        done = threading.Event()
        with self._lock:
            self._next += 1
            number = self._next
            if wait:
                self._waiting[number] = done
            message = base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode())
            self._proc.stdin.write(message + b",")
            self._proc.stdin.flush()
        if not wait:
            return None
        done.wait()
        answer = self._answers.pop(number)
        if answer.get("type") == "Error":
            raise RuntimeError(f"Pagefind: {answer.get('message')}")
        return answer

    def add_page(self, folder: str, path: str, html: str) -> None:
        """Index one built page (``path`` relative to the site, as Pagefind's ``--site`` would see it)."""
        self.added += 1
        self.request({"type": "AddFile", "index_id": self.indexes[folder], "file_path": path, "file_contents": html})

    def finish(self, folder: str, site_dir: Path) -> None:
        """Write one bundle and free its memory in the service, in the background (the build goes on)."""
        index_id = self.indexes.pop(folder)

        def run() -> None:
            try:
                self._write(index_id, site_dir / folder)
                self.request({"type": "DeleteIndex", "index_id": index_id}, wait=True)
            except RuntimeError as err:
                self.errors.append(str(err))

        writer = threading.Thread(target=run, daemon=True)
        writer.start()
        self._writers.append(writer)

    def write(self, site_dir: Path) -> None:
        """Write the bundles not yet written into the site, then stop the service."""
        for writer in self._writers:
            writer.join()
        for folder, index_id in self.indexes.items():
            self._write(index_id, site_dir / folder)
        self.close()
        if self.errors:
            raise RuntimeError("Pagefind could not index: " + "; ".join(self.errors[:5]))

    def _write(self, index_id: int, folder: Path, attempts: int = 3) -> None:
        """Write one bundle and check that its entry file is whole (rewriting it if not)."""
        for _ in range(attempts):
            self.request({"type": "WriteFiles", "index_id": index_id, "output_path": str(folder)}, wait=True)
            try:
                json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
                return
            except (OSError, ValueError):
                continue
        self.errors.append(f"{folder}/pagefind-entry.json is not written whole")

    def close(self) -> None:
        """Stop the service process."""
        if self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait()

    def _read(self) -> None:
        buffer = b""
        while chunk := self._proc.stdout.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for raw in messages:
                answer = json.loads(base64.b64decode(raw))
                payload, number = answer.get("payload", {}), answer.get("message_id")
                if number in self._waiting:
                    self._answers[number] = payload
                    self._waiting.pop(number).set()
                elif payload.get("type") == "Error":
                    self.errors.append(str(payload.get("message")))


def on_pre_build(config) -> None:
    """Stop a previous build's search service (each ``mkdocs serve`` rebuild gets a fresh one)."""
    global _index
    if _index is not None:
        _index.close()
        _index = None
    _passed.clear()


def on_files(files, config):
    """Count the paper pages, split them into bundles, and start the search service for them."""
    global _index, _bounds
    papers = sum(1 for f in files.documentation_pages() if is_paper(f.dest_uri))
    per_bundle = ((config.get("extra") or {}).get("atlas") or {}).get("search_bundle_pages", BUNDLE_PAGES)
    folders = bundle_folders(papers, per_bundle)
    _bounds = bundle_bounds(papers, len(folders))
    _index = SearchIndex(folders)
    return files


def on_page_markdown(markdown, page, config, files):
    """Generated HTML pages: keep their HTML aside and give Markdown nothing to parse."""
    if is_html_page(page.file.src_uri, markdown):
        _passed[page.file.src_uri] = markdown
        return ""
    return markdown


def on_page_content(html, page, config, files):
    """Put the generated HTML back as the page's content (with its anchors, for link validation)."""
    raw = _passed.pop(page.file.src_uri, None)
    if raw is None:
        return html
    page.present_anchor_ids = set(_ID.findall(raw))
    return raw.strip()


def on_post_page(output, page, config):
    """Take the indentation out of each page; send each paper page to its search bundle."""
    output = unindent(output)
    if _index is not None and is_paper(page.file.dest_uri):
        folders = _index.folders
        k = next((k for k, bound in enumerate(_bounds) if _index.added < bound), len(folders) - 1)
        _index.add_page(folders[k], page.file.dest_uri, output)
        if _index.added == _bounds[k] and k + 1 < len(folders):
            _index.finish(folders[k], Path(config["site_dir"]))
    return output


def on_post_build(config) -> None:
    """Write the search bundles into the site, and the list of them."""
    global _index
    if _index is not None:
        index, _index = _index, None
        site_dir = Path(config["site_dir"])
        index.write(site_dir)
        (site_dir / MANIFEST).write_text(json.dumps([f"{f}/" for f in index.folders]) + "\n", encoding="utf-8")


def on_build_error(error) -> None:
    """A failed build stops the search service too."""
    global _index
    if _index is not None:
        _index.close()
        _index = None
