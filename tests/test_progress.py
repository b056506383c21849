"""What a build shows while it runs: a progress bar per stage on a terminal, one summary line in CI logs."""

from __future__ import annotations

import io
import subprocess
import sys

from project import REPO

from generator.cli import STAGES, Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_each_stage_on_the_bar():
    screen = Terminal()
    bar = Progress(STAGES, screen)
    for stage in STAGES:
        bar(stage)
    bar.close()
    shown = screen.getvalue()
    assert all(stage in shown for stage in STAGES) and "4/5" in shown


def test_a_log_gets_no_bar_and_ends_with_one_summary_line(project):
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(project)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stdout + result.stderr and "━" not in result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("Built 170 papers from 4 listings in ") and "read " in last and "0 problem(s)" in last
