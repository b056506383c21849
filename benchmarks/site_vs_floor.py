"""Our whole ``make site`` against the floor, measured in the same run, interleaved.

For one size it builds, each as its own process tree (wall seconds, CPU
seconds of the whole tree, peak memory of the whole tree summed over its
processes, sampled every 50 ms, so MkDocs and the Pagefind service running
side by side count together):

* **first build**: ``python -m generator build --site`` on a fresh project
  (no ``_topics.json``: topics are fitted, then stored, as a lab's first build);
* a second build (the topics now stored, as every later build);
* rounds of, in turn: **floor** (``mkdocs build`` of ``floor.py``'s project,
  its ``site/`` removed), **warm** (``make site`` again with ``site/`` removed:
  generated docs and ``.cache/`` kept, the case of the issue), **cold**
  (``make site`` with ``.cache/`` and the generated docs removed too);
* **incremental**: one new listing added to the warm project, then ``make site``.

The machine is shared: the ratio of one run's build to the floor built right
next to it is the figure to read, in wall and CPU seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
from generator.config import GENERATED_DIRS, GENERATED_FILES  # noqa: E402  (the generator's own list)

GENERATED = GENERATED_FILES + GENERATED_DIRS
"""What a cold build starts without: everything the generator writes under docs/ (it used to miss new/ and orgs/)."""


@dataclass(frozen=True)
class Tree:
    """What one process tree took."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User + system CPU seconds of the process and every descendant it waited for."""
    peak_mb: float
    """Highest sum of resident memory over the tree's processes, MiB (sampled every 50 ms)."""
    stdout: str


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants now, MiB."""
    tree, todo, total = _children(), [pid], 0
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        todo += tree.get(p, [])
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * page
        except OSError:
            pass
    return total / 2**20


def run_tree(cmd: list[str], cwd: Path, env: dict | None = None) -> Tree:
    """Run ``cmd``, sampling the memory of its process tree; raise SystemExit if it fails."""
    start = time.perf_counter()
    before = os.times()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    sampler.join()
    after = os.times()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)!r} in {cwd} exited {proc.returncode}:\n{out[-3000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Tree(time.perf_counter() - start, cpu, peak[0], out)


def make_site(project: Path) -> Tree:
    """``make site`` in the project: ``python -m generator build --site`` (strict MkDocs build)."""
    return run_tree([sys.executable, "-m", "generator", "build", "--site", "--root", str(project)], ROOT)


def floor_build(floor: Path) -> Tree:
    """``mkdocs build`` of the floor project, from an empty site folder."""
    shutil.rmtree(floor / "site", ignore_errors=True)
    return run_tree([sys.executable, "-m", "mkdocs", "build", "-q"], floor)


def clear(project: Path, cache: bool, docs: bool) -> None:
    """Remove the built site, and optionally the cache and the generated docs."""
    shutil.rmtree(project / "site", ignore_errors=True)
    if cache:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    if docs:
        for rel in GENERATED:
            path = project / "docs" / rel
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()


def stages(stdout: str) -> dict[str, float]:
    """Seconds per stage from the build's one-line summary.

    >>> stages("Built 3 papers from 1 listings in 1 topics in 2.0 s (read 0.1, mkdocs+search 1.5 s); 4 files")
    {'read': 0.1, 'mkdocs+search': 1.5}
    """
    m = re.search(r"^Built .* in [\d.]+ s \((.*) s\);", stdout, re.M)
    return {k: float(v) for k, v in (part.rsplit(" ", 1) for part in m.group(1).split(", "))} if m else {}


def site_sizes(site: Path, papers: int) -> dict:
    """Bytes of the site, per paper, and its largest page."""
    total, largest, where, count = 0, 0, "", 0
    for p in site.rglob("*"):
        if p.is_file():
            size = p.stat().st_size
            total += size
            count += 1
            if p.suffix == ".html" and size > largest:
                largest, where = size, str(p.relative_to(site))
    return {
        "bytes": total,
        "files": count,
        "per_paper_kb": total / 1024 / papers,
        "largest_page_bytes": largest,
        "largest_page": where,
    }


def compare(
    project: Path, floor: Path, new_listing: tuple[str, str], papers: int, rounds: int = 2, quick: bool = False
) -> dict:
    """Every figure for one size (see the module docstring).

    ``quick`` (for the large sizes on a busy machine): the project already holds a
    topic model, so the first build is the cold one, and rounds build floor and warm only.
    """
    result: dict = {"rounds": []}
    clear(project, cache=True, docs=True)
    first = make_site(project)
    result["first"] = {**asdict(first), "stdout": "", "stages": stages(first.stdout)}
    if quick:
        second = first
    else:
        clear(project, cache=False, docs=False)
        second = make_site(project)  # with the stored topics: what every later build starts from
    result["second"] = {**asdict(second), "stdout": "", "stages": stages(second.stdout)}
    print(f"   first build {first.wall:.1f} s [{first.cpu:.1f} cpu], second {second.wall:.1f} s", flush=True)
    for k in range(rounds):
        row = {}
        row["floor"] = asdict(floor_build(floor))
        clear(project, cache=False, docs=False)
        warm = make_site(project)
        row["warm"] = {**asdict(warm), "stdout": "", "stages": stages(warm.stdout)}
        if quick:
            if k == 0:
                row["cold"] = result["first"]  # the first build was the cold one, next to this floor
            result["rounds"].append(row)
            print(
                f"   round {k + 1}: floor {row['floor']['wall']:.1f} s [{row['floor']['cpu']:.1f}], "
                f"warm {warm.wall:.1f} s [{warm.cpu:.1f}]",
                flush=True,
            )
            continue
        clear(project, cache=True, docs=True)
        cold = make_site(project)
        row["cold"] = {**asdict(cold), "stdout": "", "stages": stages(cold.stdout)}
        result["rounds"].append(row)
        print(
            f"   round {k + 1}: floor {row['floor']['wall']:.1f} s [{row['floor']['cpu']:.1f}], "
            f"warm {warm.wall:.1f} s [{warm.cpu:.1f}], cold {cold.wall:.1f} s [{cold.cpu:.1f}]",
            flush=True,
        )
    result["sizes"] = site_sizes(project / "site", papers)
    result["floor_sizes"] = site_sizes(floor / "site", papers)
    name, text = new_listing
    (project / "seeds" / name).write_text(text, encoding="utf-8")
    inc = make_site(project)
    result["incremental"] = {**asdict(inc), "stdout": "", "stages": stages(inc.stdout)}
    (project / "seeds" / name).unlink()
    print(f"   incremental (+1 listing) {inc.wall:.1f} s [{inc.cpu:.1f}]", flush=True)
    return result
