"""``hub-training materials``: the git repository the "Open in hub" links pull."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import nbformat
import pytest

from training.model.hub_profile import load_hub_profile
from training.model.materials import MaterialsError, materials_files, materials_index, target_for
from training.model.nbgitpuller import nbgitpuller_url

from .conftest import DEMO_HUB, HUBS, ROOT, SITES, run_sphinx

MODULES = SITES / "open_in_hub" / "modules"
OCEAN = HUBS / "gcp-cilogon.yaml"


def materials(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in a clean environment without any git identity (like a fresh CI machine)."""
    return subprocess.run(
        [sys.executable, "-m", "training.cli.main", "materials", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


@pytest.fixture(scope="module")
def no_git_config(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {**env, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture(scope="module")
def ocean_materials(tmp_path_factory: pytest.TempPathFactory, no_git_config: dict[str, str]) -> Path:
    out = tmp_path_factory.mktemp("materials") / "ocean"
    result = materials(str(OCEAN), str(out), "--modules", str(MODULES), env=no_git_config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "release/2026" in result.stdout
    return out


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


def test_output_is_a_git_repo_with_one_commit_on_the_hubs_branch(ocean_materials: Path) -> None:
    assert git(ocean_materials, "rev-parse", "--abbrev-ref", "HEAD") == "release/2026"
    assert git(ocean_materials, "rev-list", "--count", "HEAD") == "1"
    assert git(ocean_materials, "status", "--porcelain") == ""  # everything committed
    assert git(ocean_materials, "log", "-1", "--format=%an") == "Hub Training"
    tracked = set(git(ocean_materials, "ls-files", "-z").split("\0")) - {""}
    assert tracked == {
        "README.md",
        "first-steps/first-notebook.ipynb",
        "first-steps/café au lait.ipynb",
        "first-steps/data/sea level.csv",
    }  # r-plots requires RStudio, which this hub lacks


def test_notebooks_are_valid_without_outputs_and_carry_the_hubs_values(ocean_materials: Path) -> None:
    notebooks = sorted(ocean_materials.rglob("*.ipynb"))
    assert len(notebooks) == 2
    for path in notebooks:
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        nbformat.validate(notebook)
        assert notebook.metadata.kernelspec.name == "python3"
        assert "jupytext" not in notebook.metadata
        for cell in notebook.cells:
            assert "{{" not in cell.source
            if cell.cell_type == "code":
                assert cell.outputs == []
                assert cell.execution_count is None
    first = nbformat.read(ocean_materials / "first-steps" / "first-notebook.ipynb", as_version=4)
    code = "\n".join(c.source for c in first.cells if c.cell_type == "code")
    assert 'hub_name = "Ocean Modelling Hub"' in code
    assert 'hub_url = "https://ocean.university.edu/jupyter"' in code
    assert 'os.environ.get("OCEAN_SCRATCH", "gs://ocean-tmp-bucket/{username}")' in code
    assert "Ocean Modelling Hub" in first.cells[0].source


def test_data_files_are_copied_as_they_are(ocean_materials: Path) -> None:
    source = MODULES / "first-steps" / "data" / "sea level.csv"
    assert (ocean_materials / "first-steps" / "data" / "sea level.csv").read_bytes() == source.read_bytes()


def test_readme_names_the_hub_links_and_licence(ocean_materials: Path) -> None:
    hub = load_hub_profile(OCEAN)
    readme = (ocean_materials / "README.md").read_text(encoding="utf-8")
    assert "# Training materials for Ocean Modelling Hub" in readme
    assert "CC-BY-4.0" in readme
    assert "https://creativecommons.org/licenses/by/4.0/" in readme
    assert f"<{nbgitpuller_url(hub.url, hub.materials.repo, 'release/2026', '', 'lab')}>" in readme
    assert f"<{nbgitpuller_url(hub.url, hub.materials.repo, 'release/2026', '', 'notebook')}>" in readme
    link = nbgitpuller_url(hub.url, hub.materials.repo, "release/2026", "first-steps/first-notebook.ipynb", "lab")
    assert f"<{link}>" in readme
    assert "rstudio" not in readme.lower()


def test_every_site_link_points_into_the_materials(ocean_materials: Path, tmp_path: Path) -> None:
    """The site and the materials agree: each link's path exists in the repository the link pulls."""
    from bs4 import BeautifulSoup

    result = run_sphinx(SITES / "open_in_hub", tmp_path / "html", OCEAN)
    assert result.returncode == 0, result.stderr
    checked = 0
    for page in (tmp_path / "html").rglob("*.html"):
        for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[data-materials-path]"):
            path = a["data-materials-path"]
            assert (ocean_materials / path).exists(), path
            urlpath = dict(parse_qsl(urlsplit(a["href"]).query))["urlpath"]
            in_clone = urlpath.partition("training-notebooks")[2].lstrip("/")
            assert (ocean_materials / in_clone).exists(), urlpath
            checked += 1
    assert checked >= 8


def test_rstudio_hub_gets_the_r_module(tmp_path: Path, no_git_config: dict[str, str]) -> None:
    out = tmp_path / "demo"
    result = materials(str(DEMO_HUB), str(out), "--modules", str(MODULES), env=no_git_config)
    assert result.returncode == 0, result.stderr
    assert git(out, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    notebook = nbformat.read(out / "r-plots" / "plots.ipynb", as_version=4)
    assert notebook.metadata.kernelspec.name == "ir"
    assert 'main = "Example Research Hub"' in notebook.cells[1].source
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "Open the materials in RStudio on Example Research Hub" in readme
    assert "Files pane" in readme


def test_default_hub_and_real_modules_folder(tmp_path: Path) -> None:
    """``hub-training materials OUT`` alone: the demo hub and this checkout's modules."""
    result = materials(str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert git(tmp_path / "out", "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert "Example Research Hub" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    result = materials(str(OCEAN), str(tmp_path / "out"), "--modules", str(MODULES))
    assert result.returncode == 1
    assert "exists and is not empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["keep.txt"]


def test_an_empty_existing_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = materials(str(OCEAN), str(tmp_path / "out"), "--modules", str(MODULES))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / ".git").is_dir()


def write_module(root: Path, exercise: str, name: str = "broken.md") -> Path:
    folder = root / "modules" / "m" / "exercises"
    folder.mkdir(parents=True)
    (folder / name).write_text(exercise, encoding="utf-8")
    return root / "modules"


NOTEBOOK_HEAD = "---\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n# Title\n\n"


def test_unknown_placeholder_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    modules = write_module(tmp_path, NOTEBOOK_HEAD + '```{code-cell} ipython3\nx = "{{ hub.no_such_key }}"\n```\n')
    result = materials(str(OCEAN), str(tmp_path / "out"), "--modules", str(modules))
    assert result.returncode == 1
    assert "modules/m/exercises/broken.md:11: {{ hub.no_such_key }} is not a key of the hub profile" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # nothing half-written
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-")]


def test_unset_value_is_an_error(tmp_path: Path) -> None:
    modules = write_module(
        tmp_path, NOTEBOOK_HEAD + "```{code-cell} ipython3\n'{{ hub.storage.persistent.url }}'\n```\n"
    )
    result = materials(str(OCEAN), str(tmp_path / "out"), "--modules", str(modules))
    assert result.returncode == 1
    assert "broken.md:11:" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_kernelspec_is_an_error(tmp_path: Path) -> None:
    modules = write_module(tmp_path, "# No front matter\n\n```{code-cell} ipython3\n1\n```\n")
    result = materials(str(OCEAN), str(tmp_path / "out"), "--modules", str(modules))
    assert result.returncode == 1
    assert "broken.md:1: no kernelspec" in result.stderr


def test_committed_ipynb_exercise_is_refused(tmp_path: Path) -> None:
    notebook = json.dumps(nbformat.v4.new_notebook())
    modules = write_module(tmp_path, notebook, name="saved.ipynb")
    result = materials(str(OCEAN), str(tmp_path / "out"), "--modules", str(modules))
    assert result.returncode == 1
    assert "jupytext --to myst saved.ipynb" in result.stderr


def test_invalid_branch_is_refused_before_writing(tmp_path: Path) -> None:
    hub = tmp_path / "hub.yaml"
    hub.write_text(OCEAN.read_text().replace("branch: release/2026", "branch: 'bad..branch'"))
    shutil.copytree(OCEAN.parent / "values", tmp_path / "values")
    result = materials(str(hub), str(tmp_path / "out"), "--modules", str(MODULES))
    assert result.returncode == 1
    assert "not a valid git branch name" in result.stderr
    assert not (tmp_path / "out").exists()


# --- the mapping ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "target"),
    [
        ("exercises/a.md", "m/a.ipynb"),
        ("exercises/part/b.md", "m/part/b.ipynb"),
        ("exercises/fig.png", "m/fig.png"),
        ("data/x.csv", "m/data/x.csv"),
        ("data/sub/readme.md", "m/data/sub/readme.md"),
        ("index.md", None),
        ("notes/a.md", None),
        ("exercises/.ipynb_checkpoints/a.md", None),
    ],
)
def test_target_for(relative: str, target: str | None) -> None:
    from pathlib import PurePosixPath

    assert target_for("m", PurePosixPath(relative)) == target


def test_collisions_are_reported(tmp_path: Path) -> None:
    modules = write_module(tmp_path, NOTEBOOK_HEAD, name="a.md")
    (modules / "m" / "exercises" / "data").mkdir()
    (modules / "m" / "data").mkdir()
    (modules / "m" / "exercises" / "data" / "x.csv").write_text("1")
    (modules / "m" / "data" / "x.csv").write_text("2")
    with pytest.raises(MaterialsError, match=r"becomes m/data/x\.csv"):
        materials_files(modules)


def test_index_knows_files_and_folders() -> None:
    index = materials_index(MODULES, load_hub_profile(OCEAN).features)
    assert index.has("first-steps/first-notebook.ipynb")
    assert index.has("first-steps/")
    assert index.has("first-steps/data")
    assert index.has("")
    assert not index.has("r-plots/plots.ipynb")  # the hub lacks RStudio
    assert materials_index(MODULES, load_hub_profile(DEMO_HUB).features).has("r-plots/plots.ipynb")
