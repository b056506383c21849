#!/usr/bin/env python3
"""What ``make test`` needs besides the Python packages in .venv: a browser and axe-core.

Each is looked for, and installed when missing and this machine allows it:

- A browser for tests/browser (driven by Playwright): ``CHROMIUM_PATH`` if set (then only
  that), else Chromium's headless shell (``/usr/bin/chromium-headless-shell``, what
  Playwright itself runs for headless tests: the same engine without the desktop browser
  around it, and about a third less work per page), else ``/usr/bin/chromium``, else
  ``google-chrome`` or ``chromium`` on PATH (GitHub's ``ubuntu-latest`` runner has
  ``/usr/bin/google-chrome``). Without the headless shell, on Debian run as root, Debian's
  ``chromium-headless-shell`` is installed with apt-get. (Playwright's own browser download
  is not used: it fetches from outside the package registries.) The search benchmark
  measures what a reader waits for, so it takes the full browser first
  (``find_browser(headless_shell=False)``).
- axe-core for the accessibility audit: ``node_modules/axe-core/axe.min.js``, from ``npm ci``
  (package.json, package-lock.json) whenever it is missing; on Debian as root, npm itself
  comes from apt-get when missing.

Quick when all is there (a few file look-ups). Whatever cannot be set up is reported with
its fix and the browser tests then skip, except with CI=true: there this script exits 1, and
the tests would fail too, never skip.

Standard library only. tests/browser/conftest.py takes ``find_browser``, ``AXE`` and the
messages from here, so the tests look exactly where this script looks.

    python3 scripts/setup_system.py          # find or install both (make test runs this)
    python3 scripts/setup_system.py --check  # only report, install nothing
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
HEADLESS_SHELL_PATHS = ("/usr/bin/chromium-headless-shell",)
"""Chromium's headless shell: the browser tests look here first."""
BROWSER_PATHS = ("/usr/bin/chromium",)
BROWSER_COMMANDS = ("google-chrome", "chromium")
BROWSER_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)
"""How the tests and the search benchmark start the browser: headless as root, and without
the background connections that a machine with no network refuses."""
BROWSER_HINT = ("install Chromium or Chrome, or set CHROMIUM_PATH to one "
                "(on Debian as root, `make test` installs Debian's chromium-headless-shell)")
AXE_HINT = "run `npm ci` (`make test` does when npm is installed; on Debian as root it installs npm too)"


def in_ci(environ=None) -> bool:
    """Whether CI=true: then a missing browser or axe-core is a failure, never a skip."""
    return (os.environ if environ is None else environ).get("CI", "").lower() == "true"


def browser_candidates(environ=None, headless_shell: bool = True) -> list[str]:
    """Where a browser is looked for, in order: CHROMIUM_PATH alone when set, else the usual
    places, the headless shell first (``headless_shell``) or last."""
    environ = os.environ if environ is None else environ
    if environ.get("CHROMIUM_PATH"):
        return [environ["CHROMIUM_PATH"]]
    on_path = [shutil.which(name, path=environ.get("PATH")) for name in BROWSER_COMMANDS]
    browsers = [*BROWSER_PATHS, *(found for found in on_path if found)]
    return [*HEADLESS_SHELL_PATHS, *browsers] if headless_shell else [*browsers, *HEADLESS_SHELL_PATHS]


def find_browser(environ=None, headless_shell: bool = True) -> Path | None:
    """The first candidate that is an executable file, or None."""
    for candidate in browser_candidates(environ, headless_shell):
        path = Path(candidate)
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


def browser_missing(environ=None) -> str:
    """Why no browser was found, naming the fix."""
    environ = os.environ if environ is None else environ
    where = (f"CHROMIUM_PATH={environ['CHROMIUM_PATH']} is not an executable file" if environ.get("CHROMIUM_PATH")
             else f"no browser at {', '.join((*HEADLESS_SHELL_PATHS, *BROWSER_PATHS))} "
                  f"nor {' or '.join(BROWSER_COMMANDS)} on PATH")
    return f"{where}: {BROWSER_HINT}"


def axe_missing() -> str:
    return f"{AXE.relative_to(ROOT)} is missing: {AXE_HINT}"


def _log(message: str) -> None:
    print(f"setup-system: {message}", flush=True)


def _debian_root() -> bool:
    """Debian itself (not a derivative such as Ubuntu, whose chromium is a snap), run as root, with apt-get."""
    try:
        release = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return False
    return "\nID=debian" in f"\n{release}" and os.geteuid() == 0 and shutil.which("apt-get") is not None


_apt_updated = False


def _apt_install(*packages: str) -> bool:
    global _apt_updated
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _log(f"installing Debian's {' and '.join(packages)} with apt-get")
    if not _apt_updated:
        if subprocess.call(["apt-get", "update", "-qq"], env=env):
            return False
        _apt_updated = True
    return subprocess.call(["apt-get", "install", "-y", "-qq", *packages], env=env,
                           stdout=subprocess.DEVNULL) == 0


def _is_headless_shell(path: Path | None) -> bool:
    return path is not None and str(path) in HEADLESS_SHELL_PATHS


def ensure_browser(install: bool) -> Path | None:
    browser = find_browser()
    if not _is_headless_shell(browser) and install and not os.environ.get("CHROMIUM_PATH") and _debian_root():
        _apt_install("chromium-headless-shell")
        browser = find_browser()
    if browser is None:
        _log(browser_missing())
        return None
    try:
        version = subprocess.run([str(browser), "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        version = "version unknown"
    _log(f"browser {browser} ({version or 'version unknown'})")
    return browser


def ensure_axe(install: bool) -> Path | None:
    if not AXE.exists() and install:
        if shutil.which("npm") is None and _debian_root():
            _apt_install("nodejs", "npm")
        if shutil.which("npm") is not None:
            _log("npm ci (axe-core, from package-lock.json)")
            subprocess.call(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT)
    if not AXE.exists():
        _log(axe_missing() + ("" if shutil.which("npm") else " (npm is not installed)"))
        return None
    _log(f"axe-core {AXE.relative_to(ROOT)}")
    return AXE


def main(argv: list[str]) -> int:
    install = "--check" not in argv
    found = [ensure_browser(install), ensure_axe(install)]
    if None in found:
        if in_ci():
            _log("CI=true: the browser tests cannot run, and must not be skipped")
            return 1
        _log("the browser tests will be skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
