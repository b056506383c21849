"""The network side of ``enrich``: the Hugging Face Hub's paper API, asked politely.

Requests go through ``huggingface_hub`` (``HfApi.list_papers`` searches
``/api/papers/search?q=<title>``, ``HfApi.paper_info`` reads
``/api/papers/<arXiv id>``) with a timeout on its shared HTTP client, a pause
between requests, and retries with exponential backoff on timeouts, network
errors and 408/429/5xx answers (a ``Retry-After`` header sets the wait).
The endpoint is ``HF_ENDPOINT`` when set (read at call time, so a test or a
mirror can point it elsewhere) and the token ``HF_TOKEN``; the token is only
ever sent to the endpoint, never stored or printed. ``huggingface_hub``'s
telemetry is switched off (unless the caller set ``HF_HUB_DISABLE_TELEMETRY``
itself): otherwise its user-agent code fetches an "agent harnesses" registry
from the endpoint and caches it under ``HF_HOME``, a request we did not ask for.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")  # before huggingface_hub reads its constants

import httpx2  # noqa: E402
from huggingface_hub import HfApi  # noqa: E402
from huggingface_hub.errors import HfHubHTTPError  # noqa: E402
from huggingface_hub.utils import get_session  # noqa: E402

from .entries import Candidate  # noqa: E402

RETRY_STATUS = (408, 429, 500, 502, 503, 504)
"""HTTP answers worth another try."""
RETRY_ERRORS = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)
"""Transport failures worth another try."""
SEARCH_LIMIT = 10
"""Results asked of one title search: same-titled papers rank first."""


class HubError(Exception):
    """A request that failed for good (after every retry, or with an answer not worth retrying)."""


@dataclass(frozen=True)
class Etiquette:
    """How politely the Hub is asked."""

    timeout: float = 10.0
    """Seconds to wait for a connection or an answer."""
    retries: int = 4
    """Further tries after a failed request."""
    backoff: float = 2.0
    """Seconds before the first retry; doubled at each further one."""
    max_wait: float = 300.0
    """Longest wait before a retry, whatever ``Retry-After`` asks."""
    pace: float = 1.0
    """Least seconds between the starts of two requests."""


def retry_after(headers, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (seconds or an HTTP date), or ``None``.

    >>> retry_after({"Retry-After": "7"})
    7.0
    >>> retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:30 GMT"}, dt.datetime(2015, 10, 21, 7, 28, tzinfo=dt.timezone.utc))
    30.0
    """
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def candidate(info) -> Candidate:
    """A ``huggingface_hub`` ``PaperInfo`` as the few fields ``enrich`` keeps."""
    names = tuple(a.name.strip() for a in (info.authors or ()) if (a.name or "").strip())
    published = info.published_at.date() if info.published_at else None
    return Candidate(str(info.id), " ".join((info.title or "").split()), names, published)


class Hub:
    """Title searches and paper records from the Hub, with timeout, pace and retries."""

    def __init__(
        self,
        etiquette: Etiquette = Etiquette(),
        *,
        endpoint: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] | None = None,
    ):
        endpoint = endpoint or os.environ.get("HF_ENDPOINT") or None
        self.etiquette = etiquette
        self.api = HfApi(
            endpoint=endpoint.rstrip("/") if endpoint else None,
            token=os.environ.get("HF_TOKEN") or None,
            library_name="paper-atlas",
        )
        self.sleep = sleep
        self.notify = notify or (lambda message: None)
        self._last = float("-inf")

    def search(self, title: str) -> list[Candidate]:
        """Papers the Hub finds for a title (best first)."""
        return self._call(
            lambda: [candidate(i) for i in self.api.list_papers(query=title, limit=SEARCH_LIMIT)], f"search {title!r}"
        )

    def paper(self, arxiv_id: str) -> Candidate | None:
        """The Hub's record of one arXiv id, or ``None`` when it has none."""
        return self._call(lambda: candidate(self.api.paper_info(arxiv_id)), f"paper {arxiv_id}", missing_ok=True)

    def _call(self, request: Callable, what: str, missing_ok: bool = False):
        """Run one request with pace, timeout and retries."""
        e = self.etiquette
        for attempt in range(e.retries + 1):
            self._keep_pace()
            get_session().timeout = httpx2.Timeout(e.timeout)
            try:
                return request()
            except HfHubHTTPError as err:
                status = err.response.status_code if err.response is not None else None
                if status == 404 and missing_ok:
                    return None
                if status not in RETRY_STATUS or attempt == e.retries:
                    raise HubError(f"{what}: HTTP {status}") from err
                asked = retry_after(err.response.headers)
                wait, why = (
                    (asked, f"HTTP {status}, Retry-After {asked:g}s")
                    if asked is not None
                    else (e.backoff * 2**attempt, f"HTTP {status}")
                )
            except RETRY_ERRORS as err:
                if attempt == e.retries:
                    raise HubError(f"{what}: {type(err).__name__} after {e.retries + 1} tries") from err
                wait, why = e.backoff * 2**attempt, type(err).__name__
            wait = min(wait, e.max_wait)
            self.notify(f"{what}: {why}; retry {attempt + 1}/{e.retries} in {wait:g}s")
            self.sleep(wait)
        raise AssertionError("unreachable")

    def _keep_pace(self) -> None:
        """Wait until ``pace`` seconds have passed since the previous request started."""
        gap = self.etiquette.pace - (time.monotonic() - self._last)
        if gap > 0:
            self.sleep(gap)
        self._last = time.monotonic()
