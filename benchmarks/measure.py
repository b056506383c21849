"""Measuring helpers for the benchmark: wall time and peak memory of a child process, sizes.

Each measured step runs in its own process, so its peak resident memory is its
own (``ru_maxrss`` of that child, from ``os.wait4``), not the benchmark's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """What one child process took."""

    seconds: float
    """Wall-clock time from start to exit."""
    peak_mb: float
    """Peak resident memory of the child (and any children it waited for), in MiB."""
    cpu: float
    """CPU seconds (user + system) of the child and its waited-for children: shows the work apart
    from how busy the machine was."""
    stdout: str
    stderr: str


def run_measured(cmd: list[str], cwd: Path, timeout: float = 1800.0) -> Run:
    """Run ``cmd`` in ``cwd``; raise ``SystemExit`` naming the command if it fails."""
    start = time.perf_counter()
    out_path, err_path = cwd / ".bench-stdout", cwd / ".bench-stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise SystemExit(f"{' '.join(cmd)!r} in {cwd} ran over {timeout:.0f} s; killed")
            time.sleep(0.02)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = out_path.read_text(errors="replace"), err_path.read_text(errors="replace")
    out_path.unlink()
    err_path.unlink()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)!r} in {cwd} exited {proc.returncode}:\n{stderr[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, stdout, stderr)


def python() -> str:
    """The interpreter running the benchmark (the project's virtualenv when run from it)."""
    return sys.executable


def tree_bytes(folder: Path) -> int:
    """Total size of the files under ``folder`` (0 when it does not exist)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def tree_files(folder: Path) -> int:
    """Number of files under ``folder``."""
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def largest_page(site: Path) -> tuple[int, str]:
    """Size in bytes and site-relative path of the largest HTML page."""
    best = (0, "")
    for p in site.rglob("*.html"):
        size = p.stat().st_size
        if size > best[0]:
            best = (size, str(p.relative_to(site)))
    return best


def human(n: float) -> str:
    """Bytes in a short readable form.

    >>> human(1536), human(3 * 1024 ** 2)
    ('1.5 KB', '3.0 MB')
    """
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def machine() -> dict[str, str]:
    """The facts about this machine and toolchain that RESULTS.md records."""
    import platform
    from importlib.metadata import version

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    info = {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{mem_kb / 1024**2:.1f} GiB",
        "python": platform.python_version(),
        "os": platform.platform(),
    }
    for pkg in ("mkdocs", "mkdocs-material", "scikit-learn", "pagefind-bin", "playwright"):
        try:
            info[pkg] = version(pkg)
        except Exception:  # noqa: BLE001 - a missing optional package is just not listed
            pass
    return info
