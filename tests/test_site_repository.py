"""A community's site repository, the way a community gets it: the built wheel in a fresh virtual
environment, an empty folder that is not the checkout, ``hub-training new``, its own module, an
override, a workshop, the build, the gates, the CI files (linted) and the build script CI runs.

Newer releases are wheels built from modified copies of the checkout, installed into the same
environment: a changed standard file makes the build warn; a removed module makes it fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from training import __version__
from training.cli.new_site import skeleton_files

from .conftest import ROOT, SITES, run_cli

OWN_MODULE = "river-gauges"
OWN_TITLE = "Reading the river gauges"
OVERRIDE_TEXT = "At the River Lab, ask Sam for an account before your first login."
#: The values a community writes over the lines marked CHANGE in the generated hub file.
FILLED_HUB = {
    "id: my-hub": "id: river-lab",
    "name: My Research Hub": "name: River Lab Hub",
    "url: https://hub.example.org": "url: https://hub.river-lab.example.net",
    "community: My Lab": "community: The River Lab",
    '"#hub-help on the My Lab Slack"': '"the #hub-help channel of the River Lab"',
}

OWN_MODULE_PAGE = f"""---
module:
  id: {OWN_MODULE}
  title: {OWN_TITLE}
  summary: Open the river gauge records on {{{{ hub.name }}}} and plot one station's water level.
  audience: python
  teaching: 5
  exercises: 10
  order: 105
  prerequisites: [welcome]
  requires: [lab]
  questions:
    - Where are the river gauge records?
  objectives:
    - Plot one station's water level on {{{{ hub.name }}}}.
  keypoints:
    - The gauge records are a CSV file per station.
---

# {OWN_TITLE}

The River Lab keeps one CSV file per gauging station. In this module you open one and plot it.

## Steps

1. Open [{{{{ hub.name }}}}]({{{{ hub.url }}}}).
2. Open the exercise below.

## Exercise

```{{open-in-hub}} exercises/plot-a-station.md
```

:::{{dropdown}} Hint

Read the file with pandas.
:::

:::{{dropdown}} Solution

Call `read_csv`, then `plot` on the water level column.
:::
"""

OWN_EXERCISE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Plot a station

```{code-cell} ipython3
print("Plotting a station on {{ hub.name }}")
```
"""

WORKSHOP = f"""title: River Lab onboarding
slug: river-day
date: 2026-03-02
start: "10:00"
timezone: Europe/Berlin
items:
  - module: welcome
  - module: logging-in
  - break: 10
  - module: {OWN_MODULE}
"""


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _checkout_copy(target: Path) -> Path:
    """The checkout's files as git knows them (tracked, plus new files not ignored): no build output,
    caches or screenshots of other hubs."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    assert listed.returncode == 0, listed.stderr
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def _wheel(copy: Path, out: Path) -> Path:
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(copy)], copy)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = out.glob("hub_training-*.whl")
    return wheel


@dataclass
class Engine:
    """A fresh virtual environment with only a built wheel (and its runtime dependencies) in it."""

    venv: Path
    wheel: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def env(self) -> dict[str, str]:
        """The environment of a shell in which only this venv is activated."""
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(self.venv)
        return env

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return _run([str(self.bin / "hub-training"), *args], cwd, self.env)

    def install(self, wheel: Path) -> None:
        """Replace the installed engine with ``wheel`` (same dependencies, so no other change)."""
        pip = [str(self.bin / "python"), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)]
        installed = _run(pip, self.venv, self.env)
        assert installed.returncode == 0, installed.stderr


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The wheel built from a clean copy of the checkout, installed into a fresh venv (no extras)."""
    copy = _checkout_copy(tmp_path_factory.mktemp("checkout"))
    wheel = _wheel(copy, tmp_path_factory.mktemp("wheel"))
    venv = tmp_path_factory.mktemp("engine") / "venv"
    created = _run([sys.executable, "-m", "venv", str(venv)], venv.parent)
    assert created.returncode == 0, created.stderr
    engine = Engine(venv, wheel)
    installed = _run([str(engine.bin / "python"), "-m", "pip", "install", "-q", str(wheel)], venv.parent, engine.env)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return engine


def _fill_hub_file(hub_file: Path) -> None:
    text = hub_file.read_text(encoding="utf-8")
    for old, new in FILLED_HUB.items():
        assert old in text, f"the generated hub file has no {old!r}"
        text = text.replace(old, new, 1)
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("example: true")]
    hub_file.write_text("".join(lines), encoding="utf-8")


def _add_own_module(site: Path) -> None:
    module = site / "modules" / OWN_MODULE
    (module / "exercises").mkdir(parents=True)
    (module / "index.md").write_text(OWN_MODULE_PAGE, encoding="utf-8")
    (module / "exercises" / "plot-a-station.md").write_text(OWN_EXERCISE, encoding="utf-8")


@dataclass
class SiteRepository:
    """A site repository made with the installed engine, and its first build."""

    engine: Engine
    root: Path
    build: subprocess.CompletedProcess[str]

    @property
    def html(self) -> Path:
        return self.root / "_build" / "river-lab" / "html"

    def text(self, page: str) -> str:
        soup = BeautifulSoup((self.html / page).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article") or soup
        return " ".join(article.get_text(" ").split())


@pytest.fixture(scope="session")
def site_repository(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> SiteRepository:
    """``hub-training new site`` in an empty folder, filled in as a community would, then built."""
    folder = tmp_path_factory.mktemp("community")
    made = engine.run("new", "site", cwd=folder)
    assert made.returncode == 0, made.stderr
    site = folder / "site"
    _fill_hub_file(site / "hub.yaml")
    _add_own_module(site)
    override = engine.run("override", "logging-in", cwd=site)
    assert override.returncode == 0, override.stderr
    page = site / "overrides" / "logging-in" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("# Logging in\n", f"# Logging in\n\n{OVERRIDE_TEXT}\n", 1), encoding="utf-8")
    (site / "workshops").mkdir()
    (site / "workshops" / "river-day.yaml").write_text(WORKSHOP, encoding="utf-8")
    return SiteRepository(engine, site, engine.run("build", cwd=site))


@pytest.mark.slow
def test_a_new_site_builds_from_the_installed_wheel(site_repository: SiteRepository) -> None:
    build = site_repository.build
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "warning" not in build.stderr.lower(), build.stderr
    html = site_repository.html
    # The standard curriculum, from the package.
    for module in ("welcome", "logging-in", "your-files", "getting-help"):
        assert (html / "modules" / module / "index.html").is_file(), module
    # The own module: its page, the catalogue, the Start-here path, the workshop.
    assert (html / "modules" / OWN_MODULE / "index.html").is_file()
    assert OWN_TITLE in site_repository.text("catalogue.html")
    assert OWN_TITLE in site_repository.text("start-here.html")
    assert OWN_TITLE in site_repository.text("workshops/river-day/index.html")
    # The override's text on the logging-in page; the site's own page in the menu.
    assert OVERRIDE_TEXT in site_repository.text("modules/logging-in/index.html")
    assert (html / "pages" / "our-data.html").is_file()
    assert "River Lab Hub" in site_repository.text("pages/our-data.html")
    # No maintainer page: hub profile reference, maintainers' guide, benchmarks.
    names = [page.relative_to(html).as_posix() for page in html.rglob("*.html")]
    assert not [n for n in names if any(word in n for word in ("maintainer", "hub-profile", "benchmark"))], names
    assert not any(word in (html / "index.html").read_text(encoding="utf-8") for word in ("Maintainers", "Benchmarks"))
    # Nothing was written into the site repository but the build folder.
    assert not (site_repository.root / "source").exists()


@pytest.mark.slow
def test_materials_and_workshop_check_include_the_own_module(site_repository: SiteRepository, tmp_path: Path) -> None:
    assert site_repository.build.returncode == 0
    out = tmp_path / "materials"
    materials = site_repository.engine.run("materials", str(out), cwd=site_repository.root)
    assert materials.returncode == 0, materials.stderr
    notebook = out / OWN_MODULE / "plot-a-station.ipynb"
    assert notebook.is_file()
    assert "River Lab Hub" in notebook.read_text(encoding="utf-8")
    check = site_repository.engine.run(
        "check", "hub.yaml", "--workshop", "workshops/river-day.yaml", cwd=site_repository.root
    )
    assert (check.returncode, check.stdout.strip(), check.stderr) == (0, "OK", "")


@pytest.mark.slow
def test_the_build_script_ci_runs_produces_the_site_and_passes_the_gates(site_repository: SiteRepository) -> None:
    """What both CI workflows run, run here with the engine's venv on PATH (after their pip step)."""
    assert site_repository.build.returncode == 0
    script = site_repository.root / "ci" / "build-site.sh"
    assert os.access(script, os.X_OK)
    run = _run([str(script)], site_repository.root, site_repository.engine.env)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    public = site_repository.root / "public"
    assert (public / "index.html").is_file()
    assert (public / "modules" / OWN_MODULE / "index.html").is_file()
    summaries = [line for line in run.stdout.splitlines() if line.endswith(" problems")]
    gates = {line.split(":")[0] for line in summaries}
    assert gates == {"links and anchors", "leaks", "self-contained", "alt text", "escaped hub values"}, run.stdout
    assert all(line.endswith(" 0 problems") for line in summaries), run.stdout


BAD_SITE_FILES = {
    "unknown key": ("hub: hub.yaml\ncolour: red\n", "site.yaml:2: colour"),
    "bad colour": ('hub: hub.yaml\ncolours:\n  primary: "blue"\n', "site.yaml:3: colours.primary"),
    "missing hub file": ("hub: no-such-hub.yaml\n", "site.yaml:1: hub"),
    "leave_out unknown": ("hub: hub.yaml\nleave_out:\n  - no-such-module\n", "site.yaml:3: leave_out"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", [*BAD_SITE_FILES, "own module with a standard id"])
def test_a_bad_site_gives_one_located_line_and_no_output(engine: Engine, case: str, tmp_path: Path) -> None:
    made = engine.run("new", "site", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "site"
    if case in BAD_SITE_FILES:
        text, expected = BAD_SITE_FILES[case]
        (site / "site.yaml").write_text(text, encoding="utf-8")
    else:
        (site / "modules" / "logging-in").mkdir()
        (site / "modules" / "logging-in" / "index.md").write_text("# Logging in\n", encoding="utf-8")
        expected = f"{site / 'modules' / 'logging-in'}: has the id of a standard module"
    build = engine.run("build", cwd=site)
    assert build.returncode == 1, build.stdout + build.stderr
    lines = build.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], build.stderr
    assert "Traceback" not in build.stderr
    assert not (site / "_build").exists()


@pytest.fixture(scope="session")
def release_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _checkout_copy(tmp_path_factory.mktemp("release-checkout"))


def _bump(copy: Path, version: str) -> None:
    for name, old, new in (
        ("pyproject.toml", f'version = "{__version__}"', f'version = "{version}"'),
        ("training/__init__.py", f'__version__ = "{__version__}"', f'__version__ = "{version}"'),
    ):
        path = copy / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{name}: no {old!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def newer_releases(
    site_repository: SiteRepository, release_copy: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path]]:
    """Two newer wheels: one where the overridden page changed, one without the module; the first
    wheel is installed again afterwards."""
    upstream_change = "Since this release, the login page shows your institution's logo."
    _bump(release_copy, "99.0.0")
    page = release_copy / "modules" / "logging-in" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("# Logging in\n", f"# Logging in\n\n{upstream_change}\n", 1),
        encoding="utf-8",
    )
    changed = _wheel(release_copy, tmp_path_factory.mktemp("wheel-changed"))
    # Without the module: other modules that name it would not build, but the override's error
    # stops the build before Sphinx starts.
    shutil.rmtree(release_copy / "modules" / "logging-in")
    removed = _wheel(release_copy, tmp_path_factory.mktemp("wheel-removed"))
    try:
        yield changed, removed
    finally:
        site_repository.engine.install(site_repository.engine.wheel)


@pytest.mark.slow
def test_newer_releases_warn_about_a_changed_override_and_refuse_a_removed_one(
    site_repository: SiteRepository, newer_releases: tuple[Path, Path]
) -> None:
    changed, removed = newer_releases
    engine, root = site_repository.engine, site_repository.root
    override = root / "overrides" / "logging-in" / "index.md"
    engine.install(changed)
    build = engine.run("build", cwd=root)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    warnings = [line for line in build.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, build.stderr
    assert str(override) in warnings[0] and "hub-training diff logging-in" in warnings[0]
    assert f"hub-training {__version__}" in warnings[0] and "99.0.0" in warnings[0]
    diff = engine.run("diff", "logging-in", cwd=root)
    assert diff.returncode == 0, diff.stderr
    assert "+Since this release, the login page shows your institution's logo." in diff.stdout
    # The site still shows the community's version of the page.
    assert OVERRIDE_TEXT in site_repository.text("modules/logging-in/index.html")
    engine.install(removed)
    build = engine.run("build", cwd=root)
    assert build.returncode == 1
    lines = build.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{override}: overrides the module 'logging-in'"), build.stderr
    assert "Traceback" not in build.stderr


# --- the generated files, without building ------------------------------------------------------


def _tool(name: str) -> str:
    """A console script installed beside this Python (the test extra), never one from elsewhere."""
    path = Path(sysconfig.get_path("scripts")) / name
    assert path.is_file(), f"{name} is not installed; pip install -e '.[test]'"
    return str(path)


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new")
    made = run_cli("new", "site", cwd=folder)
    assert made.returncode == 0, made.stderr
    return folder / "site"


def test_new_writes_the_site_repository(new_site: Path) -> None:
    written = sorted(p.relative_to(new_site).as_posix() for p in new_site.rglob("*") if p.is_file())
    assert written == sorted(skeleton_files())
    for name in (
        "hub.yaml",
        "site.yaml",
        "README.md",
        ".gitignore",
        "requirements.txt",
        "ci/build-site.sh",
        ".github/workflows/pages.yml",
        ".gitlab-ci.yml",
        "overrides/README.md",
        "pages/our-data.md",
        "modules/_template/index.md",
        "modules/_template/exercises/example.md",
    ):
        assert name in written, name
    # The module template is the standard curriculum's own.
    assert (new_site / "modules" / "_template" / "index.md").read_bytes() == (
        ROOT / "modules" / "_template" / "index.md"
    ).read_bytes()
    assert os.access(new_site / "ci" / "build-site.sh", os.X_OK)
    # The hub file as written is valid (a fictional example until the CHANGE lines are filled in).
    check = run_cli("check", str(new_site / "hub.yaml"))
    assert (check.returncode, check.stdout.strip()) == (0, "OK"), check.stderr
    assert "example: true" in (new_site / "hub.yaml").read_text(encoding="utf-8")
    ignored = (new_site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "_build/" in ignored and not any(line.startswith(".hub-training") for line in ignored)


def test_new_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    made = run_cli("new", str(tmp_path))
    assert made.returncode == 1
    assert made.stderr.strip() == f"{tmp_path}: is not an empty folder; expected a new or empty folder for the site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_the_github_workflow_passes_actionlint(new_site: Path) -> None:
    lint = _run([_tool("actionlint"), "-no-color", ".github/workflows/pages.yml"], new_site)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_actionlint_catches_a_broken_workflow(new_site: Path, tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "pages.yml"
    broken.parent.mkdir(parents=True)
    text = (new_site / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout: 5", 1))
    lint = _run([_tool("actionlint"), "-no-color", ".github/workflows/pages.yml"], tmp_path)
    assert lint.returncode == 1 and "timeout" in lint.stdout, lint.stdout + lint.stderr


@pytest.mark.parametrize(
    ("schema", "name"),
    [("vendor.github-workflows", ".github/workflows/pages.yml"), ("vendor.gitlab-ci", ".gitlab-ci.yml")],
)
def test_the_ci_files_match_their_schemas(new_site: Path, schema: str, name: str) -> None:
    check = _run([_tool("check-jsonschema"), "--builtin-schema", schema, name], new_site)
    assert check.returncode == 0, check.stdout + check.stderr


def test_gates_report_each_problem_and_a_summary_per_gate() -> None:
    broken = SITES / "broken" / "html"
    gates = run_cli("gates", str(broken))
    assert gates.returncode == 1
    lines = gates.stdout.splitlines()
    assert f"{broken}/index.html: <a> missing.html: no such file" in lines
    assert f"{broken}/style.css: loads https://fonts.googleapis.com/css?family=Vibur" in lines
    assert f"{broken}/index.html: image picture.png has no alt text" in lines
    summaries = [line for line in lines if line.endswith(" problems")]
    assert [line.split(":")[0] for line in summaries] == ["links and anchors", "leaks", "self-contained", "alt text"]


def test_gates_refuse_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    gates = run_cli("gates", str(tmp_path))
    assert gates.returncode == 1
    assert gates.stderr.strip() == f"{tmp_path}: no index.html; expected the output folder of hub-training build"


@pytest.mark.browser
def test_gates_with_axe_report_violations_and_requests_to_other_hosts() -> None:
    broken = SITES / "broken" / "html"
    gates = run_cli("gates", str(broken), "--axe")
    assert gates.returncode == 1, gates.stderr
    lines = gates.stdout.splitlines()
    assert any(line.startswith(f"{broken}/index.html: image-alt (critical)") for line in lines), gates.stdout
    assert f"{broken}/index.html: requests https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js" in lines
    axe = [line for line in lines if line.startswith("axe: ")]
    assert len(axe) == 1 and axe[0].startswith("axe: 3 pages, ") and not axe[0].endswith(" 0 problems")


def test_new_drafts_the_hub_file_from_the_hubs_values_files(tmp_path: Path) -> None:
    """``--hub-from`` drafts the hub file as ``hub-training init`` does, from copies kept in the site."""
    from training.model.hub_init import FILL_IN, unset_values

    real = ROOT / "tests" / "hubs" / "real" / "cryocloud"
    sources = yaml.safe_load((real / "hub.yaml").read_text(encoding="utf-8"))["profile_list_from"]
    values = [real / name for name in ([sources] if isinstance(sources, str) else sources)]
    made = run_cli(
        "new", str(tmp_path / "site"), "--hub-from", *map(str, values), "--cluster", str(real / "cluster.yaml")
    )
    assert made.returncode == 0, made.stderr
    site = tmp_path / "site"
    for path in values:
        assert (site / "hub-config" / path.name).read_bytes() == path.read_bytes()
    text = (site / "hub.yaml").read_text(encoding="utf-8")
    hub = yaml.safe_load(text)
    assert hub["url"] == "https://hub.cryointhecloud.com"
    assert hub["profile_list_from"] == [f"hub-config/{path.name}" for path in values] or hub["profile_list_from"] == (
        f"hub-config/{values[0].name}"
    )
    unset = unset_values(text)
    assert unset, "the draft names the values the configuration does not hold"
    filled = {
        "materials.repo": "https://github.com/cryo/materials",
        "support.name": "#help",
        "support.url": "https://cryo.example.org/help",
    }
    lines = text.split("\n")
    for key, line in unset:
        lines[line - 1] = lines[line - 1].replace(FILL_IN, filled.get(key, "cryo-hub"), 1)
    (site / "hub.yaml").write_text("\n".join(lines), encoding="utf-8")
    check = run_cli("check", cwd=site)
    assert (check.returncode, check.stdout.strip()) == (0, "OK"), check.stderr


def test_new_with_a_values_file_that_is_not_one_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("nfs:\n  enabled: true\n", encoding="utf-8")
    made = run_cli("new", str(tmp_path / "site"), "--hub-from", str(tmp_path / "values.yaml"))
    assert made.returncode == 1
    (line,) = made.stderr.strip().splitlines()
    assert line.startswith(f"{tmp_path / 'values.yaml'}: (file): no hub section"), line
    assert not (tmp_path / "site").exists()
