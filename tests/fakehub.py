"""A loopback stand-in for the Hugging Face Hub's paper API, answering in the Hub's own format.

``GET /api/papers/search?q=<text>`` returns a list of daily-paper objects
(``{"paper": {...}, "title": ..., "publishedAt": ...}``), best word overlap
first, including papers whose titles only share a word; ``GET
/api/papers/<arXiv id>`` returns the flat paper object or a 404. Tests can
make the next answers slow or failing, or make one query hang until released.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def hub_paper(arxiv_id: str, title: str, authors: list[str], published: str = "2025-05-08") -> dict:
    """A paper object as the Hub's API writes it."""
    return {
        "id": arxiv_id,
        "title": title,
        "summary": "An abstract.",
        "upvotes": 3,
        "publishedAt": f"{published}T17:59:01.000Z",
        "discussionId": "x" + arxiv_id.replace(".", ""),
        "authors": [{"_id": f"a{i}", "name": name, "hidden": False} for i, name in enumerate(authors)],
    }


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


@dataclass
class Trouble:
    """What the next matching request suffers instead of a plain answer."""

    status: int = 0
    """Answer with this HTTP status (0: answer normally)."""
    headers: dict = field(default_factory=dict)
    """Headers of that answer, e.g. ``{"Retry-After": "3"}``."""
    delay: float = 0.0
    """Seconds to wait before answering."""


class FakeHub:
    """The server, its papers, the requests it saw and the trouble it is told to make."""

    def __init__(self, papers: list[dict]):
        self.papers = papers
        self.requests: list[dict] = []
        self.troubles: list[Trouble] = []
        self.stall_word: str | None = None
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def searches(self) -> list[str]:
        """The queries searched so far, in order."""
        return [r["q"] for r in self.requests if r["path"] == "/api/papers/search"]

    def answer(self, path: str, query: dict) -> tuple[int, object]:
        """The Hub's answer to one request."""
        if path == "/api/papers/search":
            q = _words(query.get("q", [""])[0])
            scored = sorted(((len(q & _words(p["title"])), i) for i, p in enumerate(self.papers)), reverse=True)
            found = [self.papers[i] for score, i in scored if score][: int(query.get("limit", ["50"])[0])]
            return 200, [
                {
                    "paper": dict(p),
                    "title": p["title"],
                    "summary": p["summary"],
                    "publishedAt": "2025-05-09T12:00:00.000Z",
                    "numComments": 0,
                    "isAuthorParticipating": False,
                }
                for p in found
            ]
        if path.startswith("/api/papers/"):
            wanted = path.rsplit("/", 1)[1]
            for p in self.papers:
                if p["id"] == wanted:
                    return 200, p
            return 404, {"error": "Entry not found"}
        return 404, {"error": "Not found"}

    def _handler(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                with hub.lock:
                    hub.requests.append(
                        {
                            "path": parts.path,
                            "q": query.get("q", [""])[0],
                            "authorization": self.headers.get("Authorization"),
                        }
                    )
                    trouble = hub.troubles.pop(0) if hub.troubles else Trouble()
                if hub.stall_word and hub.stall_word in query.get("q", [""])[0]:
                    hub.stalled.set()
                    hub.release.wait(30)
                if trouble.delay:
                    time.sleep(trouble.delay)
                status, body = (
                    (trouble.status, {"error": "trouble"}) if trouble.status else hub.answer(parts.path, query)
                )
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    for k, v in trouble.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer

        return Handler
