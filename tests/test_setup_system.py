"""scripts/setup_system.py: where make test and the browser tests look for a browser, in one order."""

from __future__ import annotations

from pathlib import Path

from scripts import setup_system


def fake_program(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\necho fake\n")
    path.chmod(0o755)
    return path


def test_chromium_path_alone_counts_when_set(tmp_path, monkeypatch):
    chosen = fake_program(tmp_path / "opt", "my-chrome")
    system = fake_program(tmp_path / "usr-bin", "chromium")
    monkeypatch.setattr(setup_system, "BROWSER_PATHS", (str(system),))
    monkeypatch.setattr(setup_system, "HEADLESS_SHELL_PATHS", (str(system),))
    assert setup_system.find_browser({"CHROMIUM_PATH": str(chosen), "PATH": ""}) == chosen
    assert setup_system.find_browser({"CHROMIUM_PATH": str(tmp_path / "gone"), "PATH": ""}) is None


def test_then_debian_chromium_then_chrome_then_chromium_on_path(tmp_path, monkeypatch):
    system = tmp_path / "usr-bin" / "chromium"
    monkeypatch.setattr(setup_system, "BROWSER_PATHS", (str(system),))
    monkeypatch.setattr(setup_system, "HEADLESS_SHELL_PATHS", (str(tmp_path / "usr-bin" / "chromium-headless-shell"),))
    bin_ = tmp_path / "bin"
    chromium = fake_program(bin_, "chromium")
    assert setup_system.find_browser({"PATH": str(bin_)}) == chromium
    chrome = fake_program(bin_, "google-chrome")  # the GitHub runner's /usr/bin/google-chrome
    assert setup_system.find_browser({"PATH": str(bin_)}) == chrome
    fake_program(system.parent, "chromium")
    assert setup_system.find_browser({"PATH": str(bin_)}) == system


def test_the_tests_take_the_headless_shell_first_and_the_benchmark_takes_it_last(tmp_path, monkeypatch):
    shell = fake_program(tmp_path / "usr-bin", "chromium-headless-shell")
    monkeypatch.setattr(setup_system, "HEADLESS_SHELL_PATHS", (str(shell),))
    monkeypatch.setattr(setup_system, "BROWSER_PATHS", (str(tmp_path / "usr-bin" / "chromium"),))
    chrome = fake_program(tmp_path / "bin", "google-chrome")
    env = {"PATH": str(tmp_path / "bin")}
    assert setup_system.find_browser(env) == shell
    assert setup_system.find_browser(env, headless_shell=False) == chrome
    shell.unlink()
    assert setup_system.find_browser(env) == chrome
    assert setup_system.find_browser({"PATH": ""}, headless_shell=False) is None


def test_no_browser_is_reported_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(setup_system, "BROWSER_PATHS", (str(tmp_path / "chromium"),))
    monkeypatch.setattr(setup_system, "HEADLESS_SHELL_PATHS", (str(tmp_path / "chromium-headless-shell"),))
    assert setup_system.find_browser({"PATH": str(tmp_path)}) is None
    message = setup_system.browser_missing({"PATH": str(tmp_path)})
    assert "CHROMIUM_PATH" in message and "make test" in message


def test_ci_is_told_by_the_ci_variable():
    assert setup_system.in_ci({"CI": "true"}) and setup_system.in_ci({"CI": "TRUE"})
    assert not setup_system.in_ci({}) and not setup_system.in_ci({"CI": "false"})
