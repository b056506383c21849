"""Run ``generator.pipeline.generate`` on a project and print, as JSON, time and peak memory per stage.

Run in its own process by ``run.py`` so that the memory is the build's alone.
Peak memory per stage comes from sampling this process's resident size every
few milliseconds, split at the moments the pipeline announces each stage; the
whole run's true peak is the kernel's high-water mark (``VmHWM``).

Usage::

    python benchmarks/stages.py PROJECT_DIR
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Resident memory of this process now, in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE / 2**20


def hwm_mb() -> float:
    """Peak resident memory of this process so far (``VmHWM``), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    """Samples resident memory until stopped; ``peak(t0, t1)`` is the highest sample in a span."""

    def __init__(self, every: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.every, self.samples, self.running = every, [], True

    def run(self) -> None:
        while self.running:
            self.samples.append((time.perf_counter(), rss_mb()))
            time.sleep(self.every)

    def peak(self, start: float, end: float) -> float:
        inside = [m for t, m in self.samples if start <= t <= end]
        return max(inside, default=rss_mb())


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    project = Path(args[0]).resolve()
    start_import = time.perf_counter()
    from generator.pipeline import generate

    imported = time.perf_counter() - start_import
    marks: list[tuple[str, float]] = []
    sampler = Sampler()
    sampler.start()
    start = time.perf_counter()
    cpu_marks: list[float] = []

    def progress(name: str) -> None:
        marks.append((name, time.perf_counter()))
        cpu_marks.append(time.process_time())

    report = generate(project, progress=progress)
    end, cpu_end = time.perf_counter(), time.process_time()
    sampler.running = False
    sampler.join()
    bounds = [t for _, t in marks[1:]] + [end]
    peaks = {name: round(sampler.peak(t0, t1), 1) for (name, t0), t1 in zip(marks, bounds)}
    cpu = {name: b - a for (name, _), a, b in zip(marks, cpu_marks, cpu_marks[1:] + [cpu_end])}
    print(
        json.dumps(
            {
                "import": imported,
                "total": end - start,
                "timings": report.timings,
                "cpu": cpu,
                "peak_mb": peaks,
                "hwm_mb": round(hwm_mb(), 1),
                "listings": report.listings,
                "records": report.records,
                "papers": report.papers,
                "topics": report.topics,
                "problems": len(report.problems),
                "problem_sample": [str(p) for p in report.problems[:5]],
                "written": len(report.written),
                "unchanged": report.unchanged,
                "refitted": report.refitted,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
