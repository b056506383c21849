"""The codebase keeps its shape: stages import only downwards, no module borrows another's
private names, and ruff's lint passes (``make test`` runs these like any other test)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from project import REPO

BIN = Path(sys.executable).parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / tool), *args], cwd=REPO, capture_output=True, text=True, timeout=300)


def test_stages_import_only_downwards():
    done = run("lint-imports", "--no-cache")
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def private_imports(tree: ast.AST) -> list[str]:
    """``from x import _name`` and ``module._name`` uses of names private to another module."""
    found = [
        a.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for a in node.names
        if a.name.startswith("_") and not a.name.startswith("__")
    ]
    modules = {
        a.asname or a.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for a in node.names
    }
    found += [
        f"{n.value.id}.{n.attr}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id in modules
        and n.attr.startswith("_")
        and not n.attr.startswith("__")
    ]
    return found


def test_private_import_check_catches_both_forms():
    assert private_imports(ast.parse("from .a import _b, c\nimport m\nm._x()\n")) == ["_b", "m._x"]
    assert private_imports(ast.parse("from .a import b\nself._x = 1\n")) == []


def test_no_module_imports_another_modules_private_names():
    offenders = {
        str(path.relative_to(REPO)): names
        for path in sorted((REPO / "generator").rglob("*.py"))
        if (names := private_imports(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert offenders == {}


def test_ruff_lint_passes():
    done = run("ruff", "check", "--no-cache", "generator", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout[-4000:]


def test_ruff_format_is_kept():
    done = run("ruff", "format", "--check", "--no-cache", "generator", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout[-4000:]
