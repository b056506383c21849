"""Stage results looked up by the hash of their inputs, so a build runs only the stages whose inputs changed.

A stage's inputs (the listing bytes, the papers, the topic model, ...) are pickled into a hash,
salted with the generator's own source, so changing the code invalidates every entry. The results
live in a ``files.Cache`` (``.cache/atlas/``); ``files`` does the reading and writing.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path

from . import files


class Memo:
    """Stage results looked up by the hash of their inputs in a ``files.Cache``; without one, always computed."""

    def __init__(self, cache: files.Cache | None) -> None:
        self.cache = cache
        self.salt = hashlib.sha256(files.source_bytes(Path(__file__).parent)).digest() if cache else b""
        self.hits: list[str] = []
        """Stages (or listings) whose result came from the cache in this build."""

    def key(self, inputs: tuple) -> str:
        """Hash of the values in ``inputs`` (pickled without its memo, so shared objects do not change it)."""
        digest = hashlib.sha256(self.salt)
        pickler = pickle.Pickler(_Hasher(digest), protocol=5)
        pickler.fast = True
        pickler.dump(inputs)
        return digest.hexdigest()[:40]

    def __call__(self, stage: str, inputs: tuple, compute: Callable[[], object]):
        """``compute()``, or its stored result for the same ``inputs`` (anything picklable)."""
        if self.cache is None:
            return compute()
        key = self.key(inputs)
        found = self.cache.load(stage, key, lambda fh: (pickle.load(fh),))
        if found is not None:
            self.hits.append(stage)
            return found[0]
        value = compute()
        self.cache.store(stage, key, lambda fh: pickle.dump(value, fh, protocol=5))
        return value


class _Hasher:
    """A file-like sink that feeds what is written to a hash."""

    def __init__(self, digest) -> None:
        self.write = digest.update


NO_CACHE = Memo(None)
