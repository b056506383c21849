"""Site paths and the relative links between them. Pure."""

from __future__ import annotations


def rel(here: str, target: str) -> str:
    """Relative link from the page at site path ``here`` to site path ``target``.

    >>> rel("papers/a-1/", "topics/b/"), rel("", "papers/a-1/"), rel("topics/", "")
    ('../../topics/b/', 'papers/a-1/', '../')
    """
    start = here.rstrip("/").split("/") if here.strip("/") else []
    parts = target.rstrip("/").split("/") if target.strip("/") else []
    common = 0
    while common < min(len(start), len(parts)) and start[common] == parts[common]:
        common += 1
    path = "/".join([".."] * (len(start) - common) + parts[common:])
    if not path:
        return "./"
    return path + "/" if target.endswith("/") or not parts else path
