"""Live preview: MkDocs' own server and file watcher, with the listing folder watched too.

``python -m generator serve`` runs ``mkdocs serve`` in this process with this file
added as a MkDocs hook. When a listing is added or edited, MkDocs' watcher (watchdog)
calls back here; the generator rewrites the pages that changed under ``docs/`` (all at
once, atomically), and that one burst of changes is what makes MkDocs rebuild: one
build per change. The search index is made during each build by the hooks in
mkdocs.yml (generator/hooks.py), so search works in the preview as on the published site.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.paper_atlas")

SETTLE_SECONDS = 0.3
"""Wait this long after the last change in the listing folder: an editor's save is several events."""


def serve(root: Path, config_file: str, addr: str) -> int:
    """Run the preview until interrupted (the pages must have been generated once already)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # no end-of-life banner (the README names the successor)
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.config import load_config

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    hooks = list(load_config(str(root / config_file)).hooks)
    mkdocs_serve(str(root / config_file), dev_addr=addr, livereload=True, hooks=[*hooks, str(Path(__file__).resolve())])
    return 0


def _regenerate(root: Path, config_file: str) -> None:
    """Rewrite the generated pages from the listings as they are now."""
    from generator import pipeline

    report = pipeline.generate(root, config_file=config_file)
    ch = report.changes
    log.info(
        f"Listings changed: {len(ch.new)} new, {len(ch.updated)} updated, {len(ch.removed)} removed papers; "
        f"{len(report.written)} pages rewritten; {len(report.problems)} problem(s)"
    )
    for problem in report.problems:
        log.warning(str(problem))


def on_serve(server, config, builder):
    """Watch the listing folder; a change regenerates the pages, which MkDocs then rebuilds."""
    import watchdog.events

    from generator import pipeline

    root = Path(config.config_file_path).parent
    config_file = Path(config.config_file_path).name
    seeds = pipeline.seeds_folder(root, config_file)
    timer: list[threading.Timer] = []

    def changed(event) -> None:
        if event.is_directory:
            return
        for pending in timer:
            pending.cancel()
        timer[:] = [threading.Timer(SETTLE_SECONDS, _regenerate, (root, config_file))]
        timer[0].start()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = changed
    if seeds.is_dir():
        server.observer.schedule(handler, str(seeds), recursive=False)
        log.info(f"Watching listings in '{seeds}'")
    return server
