"""Writing: atomic, all-or-nothing, unchanged files untouched, stale generated files removed."""

from __future__ import annotations

import os
import subprocess
import sys

from project import REPO

from generator import files as write


def test_writes_new_files_and_reports_them(tmp_path):
    report = write.write_tree(tmp_path, {"papers/a.md": "A\n", "index.md": "home\n"}, ("papers",))
    assert report.written == ("index.md", "papers/a.md")
    assert (tmp_path / "papers/a.md").read_text() == "A\n"


def test_unchanged_file_is_not_rewritten(tmp_path):
    write.write_tree(tmp_path, {"papers/a.md": "A\n"}, ("papers",))
    target = tmp_path / "papers/a.md"
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    report = write.write_tree(tmp_path, {"papers/a.md": "A\n", "papers/b.md": "B\n"}, ("papers",))
    assert report.written == ("papers/b.md",) and report.unchanged == 1
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_stale_generated_files_are_removed_but_others_kept(tmp_path):
    (tmp_path / "about.md").write_text("hand-written")
    write.write_tree(
        tmp_path, {"papers/a.md": "A", "papers/b.md": "B", "topics/x/index.html": "r"}, ("papers", "topics")
    )
    report = write.write_tree(tmp_path, {"papers/a.md": "A"}, ("papers", "topics"))
    assert report.removed == ("papers/b.md", "topics/x/index.html")
    assert (tmp_path / "about.md").exists() and not (tmp_path / "topics/x").exists()


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from generator.files import write_tree
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)               # over the limit: EFBIG instead of a kill
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))      # no file may grow past 4 KB: a full disk
pages = {f"papers/{i}.md": (f"new {i}\\n" * (2000 if i == 3 else 1)) for i in range(5)}
try:
    write_tree(Path(sys.argv[1]), pages, ("papers",))
except OSError as err:
    print("failed:", err.strerror)
"""


def test_full_disk_half_way_leaves_previous_files_intact(tmp_path):
    old = {f"papers/{i}.md": f"old {i}\n" for i in range(5)}
    write.write_tree(tmp_path, old, ("papers",))
    run = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert run.stdout.startswith("failed: File too large"), run.stdout + run.stderr
    after = {p.relative_to(tmp_path).as_posix(): p.read_text() for p in (tmp_path / "papers").iterdir()}
    assert after == old, "a page changed although the write as a whole failed (or a temporary file was left)"


def test_bytes_and_text_both_written_exactly(tmp_path):
    write.write_tree(tmp_path, {"a.svg": b"<svg/>", "b.md": "é\n"}, ())
    assert (tmp_path / "a.svg").read_bytes() == b"<svg/>"
    assert (tmp_path / "b.md").read_bytes() == "é\n".encode()


def test_read_listings_skips_state_files_and_sorts(tmp_path):
    for name in ("b.txt", "a.txt", "_topics.json", ".DS_Store"):
        (tmp_path / name).write_text("x")
    files, problems = write.read_listings(tmp_path)
    assert [name for name, _ in files] == ["a.txt", "b.txt"] and problems == []


def test_listings_in_folders_are_read_under_their_path_and_hidden_or_underscore_folders_are_not(tmp_path):
    for name in ("2024/dec10.txt", "2024/nov/a.txt", "c.txt", "_drafts/x.txt", ".git/HEAD", "2024/_topics.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    files, problems = write.read_listings(tmp_path)
    assert files == [(n, n.encode()) for n in ("2024/dec10.txt", "2024/nov/a.txt", "c.txt")] and problems == []


def test_missing_listing_folder_is_a_problem(tmp_path):
    files, problems = write.read_listings(tmp_path / "nope")
    assert files == [] and "listing folder not found" in str(problems[0])
