"""Every file-system read and write of the generator lives here.

Writes are atomic twice over: each changed file is first written to a
temporary file beside its target, and only when *all* of them are on disk
are they renamed into place. A failure half-way (a full disk, a crash in a
renderer before this point) leaves the previous pages and exports intact.
A page whose bytes did not change is not touched, so its mtime stays and
whatever watches the folder (``make serve``) sees only the pages that really changed.
"""

from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TypeVar

from .model import Problem

T = TypeVar("T")

SKIPPED_PREFIXES = (".", "_")
"""Files and folders in the seeds folder starting with these are not listings (``_topics.json``,
``.DS_Store``, ``_drafts/``)."""


@dataclass(frozen=True)
class WriteReport:
    """What a write changed, as paths relative to the docs folder."""

    written: tuple[str, ...]
    """New or changed files."""
    unchanged: int
    """Files whose content was already on disk."""
    removed: tuple[str, ...]
    """Generated files no longer produced, deleted."""


def read_listings(seeds: Path) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The bytes of every listing in ``seeds`` and its folders (a lab may keep ``seeds/2024/``),
    named by their path under ``seeds`` (``2024/dec10.txt``) and sorted by it."""
    if not seeds.is_dir():
        return [], [Problem(str(seeds), 0, "listing folder not found")]
    found, problems = [], []
    for rel in sorted(path.relative_to(seeds) for path in seeds.rglob("*")):
        path, name = seeds / rel, rel.as_posix()
        if any(part.startswith(SKIPPED_PREFIXES) for part in rel.parts) or path.is_dir():
            continue
        try:
            found.append((name, path.read_bytes()))
        except OSError as err:
            problems.append(Problem(name, 0, f"cannot read file ({err.strerror})"))
    return found, problems


def read_text(path: Path) -> str | None:
    """A UTF-8 text file's content, or ``None`` when it does not exist."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


PUBLISHED_TIMEOUT = 20.0
"""Seconds to wait for the live site's ``papers.json``: a slow site must not hang the build for long."""


def read_published(
    source: str, root: Path, timeout: float = PUBLISHED_TIMEOUT
) -> tuple[str | None, list[Problem], str]:
    """The previously published ``papers.json``: from a URL (``http(s)://``) or a path relative to ``root``.

    Returns its text, problems, and a note for the build summary. A URL that
    answers 404 means a first deploy: no text and only a note. Any other
    failure is a problem, so ``--strict`` stops before addresses could move.
    """
    if source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=timeout) as response:
                return response.read().decode("utf-8"), [], f"read from {source}"
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return None, [], f"none at {source} (404: first deploy?)"
            return None, [Problem(source, 0, f"cannot fetch the published papers.json (HTTP {err.code})")], ""
        except (urllib.error.URLError, OSError, UnicodeDecodeError) as err:
            reason = getattr(err, "reason", err)
            return None, [Problem(source, 0, f"cannot fetch the published papers.json ({reason})")], ""
    try:
        return (root / source).read_text(encoding="utf-8"), [], f"read from {source}"
    except (OSError, UnicodeDecodeError) as err:
        return (
            None,
            [Problem(source, 0, f"cannot read the published papers.json ({getattr(err, 'strerror', None) or err})")],
            "",
        )


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write one file atomically; return whether it changed."""
    return bool(write_tree(path.parent, {path.name: data}, ()).written)


def write_tree(root: Path, files: dict[str, str | bytes], owned: tuple[str, ...]) -> WriteReport:
    """Make ``root`` hold ``files`` (relative path -> content); delete stale files under ``owned`` folders."""
    staged: list[tuple[str, Path]] = []
    try:
        for rel in sorted(files):  # one file's bytes at a time: never a second copy of the whole site
            data = files[rel].encode("utf-8") if isinstance(files[rel], str) else files[rel]
            if _current(root / rel) != data:
                staged.append((rel, _stage(root / rel, lambda fh, data=data: fh.write(data))))
    except BaseException:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        raise
    for rel, tmp in staged:
        os.replace(tmp, root / rel)
    removed = _remove_stale(root, set(files), owned)
    return WriteReport(tuple(rel for rel, _ in staged), len(files) - len(staged), removed)


def _current(path: Path) -> bytes | None:
    """The bytes on disk, or ``None``."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _stage(target: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Let ``write(file)`` fill a temporary file beside ``target`` and return its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    os.chmod(name, 0o644)
    return Path(name)


def _remove_stale(root: Path, keep: set[str], owned: tuple[str, ...]) -> tuple[str, ...]:
    """Delete files under the owned folders that this build did not produce."""
    removed = []
    for folder in owned:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and rel not in keep:
                path.unlink()
                removed.append(rel)
        for path in sorted(base.rglob("*"), reverse=True):
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return tuple(removed)


CACHE_DIR = ".cache/atlas"
"""Where the build keeps results keyed by the hash of their inputs (under the project; git-ignored)."""


class Cache:
    """Results of earlier builds, one file per (stage, input hash), under ``root/.cache/atlas``.

    Entries are only ever looked up by the hash of everything that went into
    them (and of the generator's source), so a hit is the same value the stage
    would compute. ``prune`` deletes the entries this build did not use.
    """

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR
        self.used: set[str] = set()

    def load(self, stage: str, key: str, read: Callable[[BinaryIO], T]) -> T | None:
        """``read(file)`` of the entry stored for ``stage`` and ``key``, or ``None`` when there is none."""
        name = f"{stage}-{key}"
        self.used.add(name)
        try:
            with (self.folder / name).open("rb") as fh:
                return read(fh)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def store(self, stage: str, key: str, write: Callable[[BinaryIO], object]) -> None:
        """Keep what ``write(file)`` writes for ``stage`` and ``key``: streamed to a temporary file, then
        put in place at once (no copy of a large result in memory; a failed write only loses the entry)."""
        name = f"{stage}-{key}"
        self.used.add(name)
        tmp: Path | None = None
        try:
            tmp = _stage(self.folder / name, write)
            os.replace(tmp, self.folder / name)
        except OSError:
            if tmp is not None:
                tmp.unlink(missing_ok=True)

    def prune(self) -> None:
        """Delete the entries this build did not use."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.is_file() and path.name not in self.used:
                    path.unlink()


def source_bytes(package: Path) -> bytes:
    """The generator's own source (``.py`` and templates), for cache keys: new code, new keys."""
    return b"".join(
        p.relative_to(package).as_posix().encode() + b"\0" + p.read_bytes()
        for p in sorted(package.rglob("*"))
        if p.suffix in (".py", ".j2") and p.is_file()
    )
