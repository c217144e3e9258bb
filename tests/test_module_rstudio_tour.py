"""The module "Working in RStudio": its page on each test hub, and its exercise script run in R.

RStudio cannot run here, so the module's RStudio steps are marked ``not-replayed: rstudio`` and its
walkthrough lists them as skipped; this file checks that the list stays visible and that the script
learners run in RStudio works, by running it in IRkernel.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import training.replay.walkthrough as w

from .conftest import ROOT, BuiltSite, report_gate
from .services import r_kernelspec_dir
from .test_module_jupyterlab_tour import links_to_module

MODULE = "rstudio-tour"
PAGE = f"modules/{MODULE}/index.html"
SOURCE = ROOT / "modules" / MODULE / "index.md"
SCRIPT = ROOT / "modules" / MODULE / "exercises" / "first-steps.R"
[WALKTHROUGH] = w.load_file(ROOT / "modules" / MODULE / "walkthrough.py")


def test_demo_page_has_quiz_notes_exercise_link_and_troubleshooting(demo_site: BuiltSite) -> None:
    soup = demo_site.page(PAGE)
    assert 3 <= len(soup.select("article .training-quiz")) <= 5
    assert len(soup.select("article .training-instructor-note")) >= 3
    # RStudio cannot run here, so nothing of it could be photographed (or regenerated): no pictures.
    assert soup.select("article img") == [] and WALKTHROUGH.shots() == []
    [link] = soup.select("article a.training-open-in-hub")
    assert link["data-interface"] == "rstudio" and link["data-materials-path"] == f"{MODULE}/first-steps.R"
    assert "urlpath=rstudio%2F" in link["href"]
    text = demo_site.text(PAGE)
    assert "hub-training-materials/rstudio-tour/first-steps.R" in text  # where RStudio users find the file
    assert "https://hub.example.org/hub/home" in text
    assert "https://hub.example.org/hub/user-redirect/rstudio/" in text
    assert "Would you like to use a personal library instead?" in text
    assert "is not available for this version of R" in text


def test_demo_page_opens_rstudio_from_the_jupyterlab_launcher(demo_site: BuiltSite) -> None:
    assert "Launcher, under Notebook , click the RStudio card" in demo_site.text(PAGE)


def test_rstudio_only_hub_opens_rstudio_directly(workshop_hub_site: BuiltSite) -> None:
    text = workshop_hub_site.text(PAGE)
    assert "R Workshop Hub opens RStudio for you" in text
    assert "JupyterLab" not in text and "Launcher" not in text
    assert "http://127.0.0.1:18999/hub/home" in text
    assert "at most 1 GB" in text  # home-quota
    assert "Stop My Server" in text


def test_hub_without_rstudio_has_no_rstudio_page_and_nothing_links_to_it(ocean_site: BuiltSite) -> None:
    assert not (ocean_site.html / PAGE).exists()
    assert links_to_module(ocean_site, MODULE) == []


def test_rstudio_steps_are_marked_and_listed_as_not_replayed() -> None:
    """The RStudio steps of the text are marked, and the walkthrough holds the same steps, as skipped."""
    source = SOURCE.read_text(encoding="utf-8")
    marked = source.count("<!-- not-replayed: rstudio -->")
    assert marked >= 5
    rstudio_steps = [s for s in WALKTHROUGH.steps if "rstudio" in s.requires]
    assert len(rstudio_steps) >= 6
    missing = [label for label in WALKTHROUGH.ui_labels() if label not in source]
    assert not missing, missing
    report_gate(
        f"{MODULE}: {marked} step lists marked not-replayed: rstudio; {len(rstudio_steps)} RStudio walkthrough steps listed as not replayed"
    )


@pytest.fixture(scope="module")
def r_kernel(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch) -> str:
    spec = r_kernelspec_dir(tmp_path_factory.mktemp("jupyter"))
    if spec is None:
        pytest.skip("R with IRkernel is not installed")
    monkeypatch_module.setenv("JUPYTER_PATH", spec)
    return "ir"


@pytest.fixture(scope="module")
def monkeypatch_module():  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_exercise_script_runs_in_r_as_in_rstudio(
    r_kernel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The script learners run line by line in RStudio, run whole in IRkernel from a fresh home folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(SCRIPT.read_text(encoding="utf-8"))],
        metadata={"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}},
    )
    NotebookClient(notebook, kernel_name=r_kernel, timeout=120, resources={"metadata": {"path": str(home)}}).execute()
    outputs = notebook.cells[0].outputs
    assert [o for o in outputs if o.output_type == "error"] == []
    text = "\n".join(str(o.get("data", {}).get("text/plain", o.get("text", ""))) for o in outputs)
    assert re.search(r"R version \d", text)
    assert str(home) in text  # getwd(): the home folder, as in RStudio
    assert "166.2857" in text  # mean(heights)
    assert "FALSE" in text or "TRUE" in text  # is the package folder in the home folder?
    assert any("image/png" in o.get("data", {}) for o in outputs), "hist() drew no plot"


def _rscript(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["Rscript", "-e", code],
        env={"HOME": str(cwd), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_the_personal_library_question_is_rs_own(tmp_path: Path) -> None:
    """install.packages() into a folder it cannot write asks askYesNo(..., default = FALSE): R prints
    the default capitalised, "(yes/No/cancel)", and an empty answer is No."""
    source = _rscript("cat(deparse(utils::install.packages), sep = '\\n')", tmp_path).stdout
    assert 'askYesNo(gettext("Would you like to use a personal library instead?"), ' in source
    assert "default = FALSE)" in source
    asked = _rscript('print(askYesNo("Would you like to use a personal library instead?", default = FALSE))', tmp_path)
    assert "Would you like to use a personal library instead? (yes/No/cancel)" in asked.stdout
    assert "[1] FALSE" in asked.stdout  # Rscript answers with an empty line, as pressing Enter does
    text = SOURCE.read_text(encoding="utf-8")
    assert "library instead? (yes/No/cancel)" in text and "Type `yes` and press **Enter**" in text


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_the_not_available_messages_are_rs_own(tmp_path: Path) -> None:
    """What install.packages() says for a misspelt name and for a name in the wrong case, from a local
    repository (no network) that has dplyr."""
    contrib = tmp_path / "repo" / "src" / "contrib"
    contrib.mkdir(parents=True)
    (contrib / "PACKAGES").write_text("Package: dplyr\nVersion: 1.1.4\n")
    (tmp_path / "lib").mkdir()
    repo = f"file://{tmp_path / 'repo'}"
    misspelt = _rscript(f'install.packages("dplry", lib = "lib", repos = "{repo}")', tmp_path)
    assert "package ‘dplry’ is not available for this version of R" in misspelt.stderr
    case = _rscript(f'install.packages("Dplyr", lib = "lib", repos = "{repo}")', tmp_path)
    assert "Perhaps you meant ‘dplyr’ ?" in case.stderr
    text = " ".join(SOURCE.read_text(encoding="utf-8").split())
    assert '**"package ‘dplry’ is not available for this version of R".**' in text
    assert 'R adds "Perhaps you meant ‘dplyr’ ?"' in text
    assert "‘cowsay’ is not available" not in text  # cowsay is on CRAN: not an example of a missing package
