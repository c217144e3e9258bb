"""Shared fixtures: build sites once per session and hand out their HTML."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
HUBS = Path(__file__).resolve().parent / "hubs"
SITES = Path(__file__).resolve().parent / "sites"
DEMO_HUB = ROOT / "training" / "site" / "hubs" / "demo.yaml"

# Tests read what builds print as plain text. CI machines set CI=true, which makes Sphinx colour
# its output even into a pipe; NO_COLOR wins over that (and over FORCE_COLOR) in every subprocess.
os.environ["NO_COLOR"] = "1"
# Handout PDFs are kept by hash in the user's cache folder; tests print theirs afresh.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="hub-training-test-cache-")


@dataclass
class BuiltSite:
    """A site built by the real command, its output folder and what the build printed."""

    html: Path
    returncode: int
    output: str

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.html / name).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[Path]:
        return sorted(self.html.rglob("*.html"))

    def text(self, name: str) -> str:
        """Visible text of a page's article (what a reader sees), whitespace collapsed."""
        soup = self.page(name)
        article = soup.select_one("article") or soup
        return " ".join(article.get_text(" ").split())


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "training.cli.main", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def run_sphinx(srcdir: Path, out: Path, hub_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-d", str(out / ".doctrees")]
    if hub_file:
        args += ["-D", f"training_hub_file={hub_file}"]
    return subprocess.run([*args, str(srcdir), str(out)], capture_output=True, text=True, check=False, cwd=ROOT)


def shared_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every worker of this run shares (pytest-xdist gives each worker its own basetemp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def build_hub_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path | None], BuiltSite]:
    """Build the real site for a hub file (None: the demo hub), once per run per hub.

    Workers running in parallel share each build: the first one builds it under a file lock, the
    others wait for it and read the same output.
    """
    from filelock import FileLock

    root = shared_temp(tmp_path_factory) / "sites"
    root.mkdir(exist_ok=True)

    def build(hub_file: Path | None) -> BuiltSite:
        key = hashlib.sha256(str(hub_file and Path(hub_file).resolve()).encode()).hexdigest()[:16]
        folder = root / key
        with FileLock(str(folder) + ".lock"):
            record = folder / "build.json"
            if not record.is_file():
                result = run_cli("build", *([str(hub_file)] if hub_file else []), "-o", str(folder / "html"))
                outcome = {"returncode": result.returncode, "output": result.stdout + result.stderr}
                record.write_text(json.dumps(outcome), encoding="utf-8")
            outcome = json.loads(record.read_text(encoding="utf-8"))
        return BuiltSite(folder / "html", outcome["returncode"], outcome["output"])

    return build


@pytest.fixture(scope="session")
def demo_site(build_hub_site: Callable[[Path | None], BuiltSite]) -> BuiltSite:
    site = build_hub_site(None)
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="session")
def project_docs(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The project's own documentation (docs/), built on its own as ``nox -s docs`` does."""
    out = tmp_path_factory.mktemp("project-docs") / "html"
    result = run_sphinx(ROOT / "docs", out)
    site = BuiltSite(out, result.returncode, result.stdout + result.stderr)
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="session")
def ocean_site(build_hub_site: Callable[[Path | None], BuiltSite]) -> BuiltSite:
    site = build_hub_site(HUBS / "gcp-cilogon.yaml")
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="session")
def workshop_hub_site(build_hub_site: Callable[[Path | None], BuiltSite]) -> BuiltSite:
    site = build_hub_site(HUBS / "password-rstudio.yaml")
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="session")
def hostile_hub_site(build_hub_site: Callable[[Path | None], BuiltSite]) -> BuiltSite:
    """The real site for ``hubs/hostile.yaml``: values with markup, quotes and Markdown everywhere."""
    site = build_hub_site(HUBS / "hostile.yaml")
    assert site.returncode == 0, site.output
    return site


# --- browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the session (Debian's, via Playwright's executable_path)."""
    from playwright.sync_api import sync_playwright

    from training.replay.chromium import launch_options

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        yield chromium
        chromium.close()


def block_other_hosts(context) -> list[str]:  # type: ignore[no-untyped-def]
    """Make a browser context refuse every request off 127.0.0.1; returns the list it records them in."""
    blocked: list[str] = []

    def route(route):  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    return blocked


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page in a fresh context (empty localStorage) that refuses every request off 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked = block_other_hosts(context)
    page = context.new_page()
    page.blocked_requests = blocked  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="session")
def demo_url(demo_site: BuiltSite) -> Iterator[str]:
    """The demo site served on 127.0.0.1."""
    from training.gates.static_server import serve_directory

    with serve_directory(demo_site.html) as url:
        yield url


# --- one summary line per quality gate -----------------------------------------------------------

#: Workers append their gate lines here; the run that prints the summary reads them.
GATE_FILE_VARIABLE = "HUB_TRAINING_GATE_LINES"


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # the main process, before any worker starts
        handle, path = tempfile.mkstemp(prefix="hub-training-gates-", suffix=".txt")
        os.close(handle)
        os.environ[GATE_FILE_VARIABLE] = path


def report_gate(line: str) -> None:
    """Record a one-line summary of a quality gate; printed in the terminal summary at the end of the run."""
    with open(os.environ[GATE_FILE_VARIABLE], "a", encoding="utf-8") as lines:
        lines.write(line.replace("\n", " ") + "\n")


#: The keyboard gate is spread over the browser tests of the components it covers (quizzes, progress,
#: instructor toggle, launch buttons, tabs, the link generator...): every test whose name says so.
KEYBOARD_TEST = re.compile(r"keyboard|with_tab|focus_ring")
#: Outcome of each keyboard test that ran: node id → "passed", "failed" or "skipped".
KEYBOARD_OUTCOMES: dict[str, str] = {}


def pytest_runtest_logreport(report) -> None:  # type: ignore[no-untyped-def]
    name = report.nodeid.split("::")[-1]
    if not KEYBOARD_TEST.search(name.split("[")[0]):
        return
    if report.failed:
        KEYBOARD_OUTCOMES[report.nodeid] = "failed"
    elif report.skipped:
        KEYBOARD_OUTCOMES.setdefault(report.nodeid, "skipped")
    elif report.when == "call":
        KEYBOARD_OUTCOMES.setdefault(report.nodeid, "passed")


def _keyboard_summary() -> str:
    outcomes = list(KEYBOARD_OUTCOMES.values())
    files = sorted({nodeid.split("::")[0].rsplit("/", 1)[-1] for nodeid in KEYBOARD_OUTCOMES})
    functions = {nodeid.split("::")[-1].split("[")[0] for nodeid in KEYBOARD_OUTCOMES}
    return (
        f"keyboard: {len(functions)} keyboard-only tests ({len(outcomes)} with their parameters) in {', '.join(files)}: "
        f"{outcomes.count('passed')} passed, {outcomes.count('failed')} failed, {outcomes.count('skipped')} skipped"
    )


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    gate_file = Path(os.environ.get(GATE_FILE_VARIABLE, ""))
    gates = gate_file.read_text(encoding="utf-8").splitlines() if gate_file.is_file() else []
    gate_file.unlink(missing_ok=True)
    lines = [*gates, *([_keyboard_summary()] if KEYBOARD_OUTCOMES else [])]
    if lines:
        terminalreporter.section("quality gates")
        for line in lines:
            terminalreporter.write_line(line)


# --- a real local JupyterHub (training.replay.replica) --------------------------------------------------


@pytest.fixture(scope="session")
def hub_replica():  # type: ignore[no-untyped-def]
    """``hub_replica(hub_file=None)``: the replica of a hub, started once per session per hub file.

    Every replica is stopped by PID at the end of the session, also when tests failed; one left by a
    killed run is cleaned up when the first replica starts.
    """
    from contextlib import ExitStack

    from training.model.hub_profile import load_hub_profile
    from training.replay.replica import Replica

    running: dict[str, Replica] = {}
    with ExitStack() as stack:

        def start(hub_file: Path | None = None) -> Replica:
            key = str(Path(hub_file).resolve()) if hub_file else "demo"
            if key not in running:
                running[key] = stack.enter_context(Replica(load_hub_profile(hub_file)))
            return running[key]

        yield start


@pytest.fixture(scope="session")
def replica(hub_replica):  # type: ignore[no-untyped-def]
    """The demo hub's replica (one per session)."""
    return hub_replica(None)


@pytest.fixture
def hub_context(browser):  # type: ignore[no-untyped-def]
    """A fresh, logged-out browser context with the walkthroughs' fixed viewport and settings."""
    from training.replay.walkthrough import new_context

    context = new_context(browser)
    yield context
    context.close()


# --- real local services for the exercises (moto S3, IRkernel) ------------------------------------

#: The user the exercises run as (``JUPYTERHUB_USER``; the ``{username}`` of the bucket prefixes).
TEST_USER = "test-learner"
#: Public data the exercises read anonymously: ``<bucket>/<key>`` files, uploaded readable by anyone.
PUBLIC_BUCKETS = Path(__file__).resolve().parent / "data" / "public-buckets"


@pytest.fixture(scope="session")
def s3_server():  # type: ignore[no-untyped-def]
    """A real S3-compatible server (moto) on 127.0.0.1, with the public buckets of ``data/public-buckets``."""
    from .services import start_s3_server

    with start_s3_server() as server:
        for bucket in sorted(p for p in PUBLIC_BUCKETS.glob("*") if p.is_dir()):
            server.create_public_bucket(bucket.name, bucket)
        yield server


@pytest.fixture(scope="session")
def hub_environment(s3_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """The environment a single-user server of the demo hub has, pointed at the local services.

    The venv's Python comes first on PATH, as the image's Python does on a hub (R's reticulate finds it).
    """
    import os

    from training.model.hub_profile import load_hub_profile

    from .services import r_kernelspec_dir

    hub = load_hub_profile()
    environment = {
        **s3_server.environment(),
        "JUPYTERHUB_USER": TEST_USER,
        "HOME": str(tmp_path_factory.mktemp("home")),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    for bucket in (hub.storage.scratch, hub.storage.persistent):
        if bucket:
            s3_server.create_bucket(bucket.url.split("://", 1)[1].split("/", 1)[0])
            environment[bucket.env] = bucket.url.format(username=TEST_USER)
    r_dir = r_kernelspec_dir(tmp_path_factory.mktemp("jupyter"))
    if r_dir:
        environment["JUPYTER_PATH"] = r_dir
    saved = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    yield environment
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
