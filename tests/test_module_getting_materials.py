"""The module "Getting the training materials": its page on each test hub, and its walkthrough on a second hub.

What nbgitpuller does on a second click (edits kept by ``git merge -Xours``, a clashing file of the
learner renamed ``<name>__<YYYYMMDDHHMMSS><ext>``, a deleted file restored) is asserted by the
module's walkthrough itself, replayed on the demo hub by ``tests/test_walkthrough.py`` and here on
the GCP test hub, whose repository URL ends in ``.git`` (links need ``targetpath``) and whose branch
has a slash (``release/2026``). ``tests/test_replica_nbgitpuller.py`` covers the same behaviour
from git's side.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import training.replay.walkthrough as w

from .conftest import HUBS, ROOT, BuiltSite, report_gate
from .module_pages import run_r_script
from .test_module_jupyterlab_tour import links_to_module

MODULE = "getting-materials"
PAGE = f"modules/{MODULE}/index.html"
SOURCE = ROOT / "modules" / MODULE / "index.md"
WALKTHROUGHS = w.load_file(ROOT / "modules" / MODULE / "walkthrough.py")
SHOTS = {s.name: s for wt in WALKTHROUGHS for s in wt.shots()}
SCRIPT = ROOT / "modules" / MODULE / "exercises" / "check-my-materials.R"


def open_in_hub_links(site: BuiltSite) -> list[tuple[str, str, dict[str, list[str]]]]:
    return [
        (a["data-interface"], a["data-materials-path"], parse_qs(urlsplit(a["href"]).query))
        for a in site.page(PAGE).select("article a.training-open-in-hub")
    ]


def test_demo_page_has_screenshots_quiz_notes_and_troubleshooting(demo_site: BuiltSite) -> None:
    soup = demo_site.page(PAGE)
    images = soup.select("article figure.training-screenshot img")
    assert {Path(img["src"]).stem: img["alt"] for img in images} == {n: s.alt for n, s in SHOTS.items()}
    assert 3 <= len(soup.select("article .training-quiz")) <= 5
    notes = soup.select("article .training-instructor-note")
    assert len(notes) >= 3
    making_links = next(n for n in notes if "Making links" in n.get_text())
    assert [a["href"] for a in making_links.select("a[href]")] == ["../../link-generator.html"]
    text = demo_site.text(PAGE)
    for message in (
        "Error: Merge error detected",
        "Backup and resync",
        "Error: Branch does not exist",
        "Error: Remote content unavailable",
        "Synchronizing git repository before sending you to",
    ):
        assert message in text, message
    assert "/home/jovyan/hub-training-materials" in text
    assert "notes__20261126143005.txt" in text


def test_demo_exercise_links(demo_site: BuiltSite) -> None:
    links = open_in_hub_links(demo_site)
    by_path = {(interface, path): query for interface, path, query in links}
    assert set(by_path) == {
        ("lab", ""),
        ("lab", f"{MODULE}/check-my-materials.ipynb"),
        ("lab", f"{MODULE}/check-my-materials-r.ipynb"),
        ("rstudio", f"{MODULE}/check-my-materials.R"),
    }
    assert by_path[("lab", f"{MODULE}/check-my-materials.ipynb")]["urlpath"] == [
        f"lab/tree/hub-training-materials/{MODULE}/check-my-materials.ipynb"
    ]
    assert by_path[("rstudio", f"{MODULE}/check-my-materials.R")]["urlpath"] == ["rstudio/"]
    assert all(query["branch"] == ["main"] for query in by_path.values())


def test_rstudio_only_hub_page_has_no_jupyterlab_steps(workshop_hub_site: BuiltSite) -> None:
    text = workshop_hub_site.text(PAGE)
    assert "JupyterLab" not in text and "File Browser" not in text and "Server Options" not in text
    assert "RStudio cannot open one file from a link" in text
    assert "Files pane, tick the box" in text
    links = open_in_hub_links(workshop_hub_site)
    assert links and {interface for interface, _, _ in links} == {"rstudio"}
    assert links_to_module(workshop_hub_site, "jupyterlab-tour") == []


def test_ocean_page_uses_the_hubs_folder_and_branch(ocean_site: BuiltSite) -> None:
    text = ocean_site.text(PAGE)
    assert "/home/jovyan/training-notebooks" in text and "release/2026" in text
    assert "RStudio" not in text
    for _, path, query in open_in_hub_links(ocean_site):
        assert query["branch"] == ["release/2026"] and query["targetpath"] == ["training-notebooks"], path


def test_renamed_file_pattern_matches_nbgitpuller() -> None:
    """The page's example is exactly what ``rename_local_untracked`` makes: ``__%Y%m%d%H%M%S`` before the extension."""
    import datetime
    import os

    from nbgitpuller import pull

    source = Path(pull.__file__).read_text()
    assert "strftime('__%Y%m%d%H%M%S')" in source and "ts.join(os.path.splitext(path_tail))" in source
    stamp = datetime.datetime(2026, 11, 26, 14, 30, 5).strftime("__%Y%m%d%H%M%S")
    assert stamp.join(os.path.splitext("notes.txt")) == "notes__20261126143005.txt"  # noqa: PTH122 (as pull.py does)
    assert "notes__20261126143005.txt" in SOURCE.read_text(encoding="utf-8")


@pytest.mark.hub
@pytest.mark.browser
def test_walkthrough_on_a_hub_with_a_dot_git_repository_and_a_slash_branch(hub_replica, hub_context) -> None:  # type: ignore[no-untyped-def]
    replica = hub_replica(HUBS / "gcp-cilogon.yaml")
    replica.reset_user()
    [in_lab] = [wt for wt in WALKTHROUGHS if "lab" in wt.requires]
    report = w.run_walkthrough(in_lab, replica, hub_context)
    assert not report.skipped and not report.skipped_all, report.summary()
    clone = replica.home() / "training-notebooks"
    assert (clone / MODULE / "check-my-materials.ipynb").is_file()
    renamed = [p.name for p in (clone / MODULE).iterdir() if re.fullmatch(r"notes__\d{14}\.txt", p.name)]
    assert len(renamed) == 1, renamed
    report_gate(
        f"{MODULE}: second click on the GCP test hub kept the edit, renamed the learner's notes to {renamed[0]}"
    )
    replica.reset_user()


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Tests", "-c", "user.email=tests@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(repo)},
    )


def _pull(source: Path, clone: Path) -> None:
    """What a click on a link does to the files: nbgitpuller's own GitPuller, from a local repository."""
    from nbgitpuller.pull import GitPuller

    for _ in GitPuller(f"file://{source}", str(clone), branch="main").pull():
        pass


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_reports_the_materials_renamed_files_and_history(tmp_path: Path) -> None:
    """The RStudio script, run as its Source button would, in a home folder nbgitpuller filled: a first
    click, the learner's own notes.txt and answer, then a second click that brings a notes.txt too."""
    source = tmp_path / "upstream"
    (source / MODULE).mkdir(parents=True)
    shutil.copy(SCRIPT, source / MODULE / SCRIPT.name)
    _git(source, "init", "-q", "-b", "main")
    _git(source, "add", "-A")
    _git(source, "commit", "-q", "-m", "materials")
    home = tmp_path / "home"
    clone = home / "hub-training-materials"
    _pull(source, clone)  # the first click
    script = clone / MODULE / SCRIPT.name
    script.write_text(script.read_text().replace('"Write your own text here"', '"my own words"'))
    (clone / MODULE / "notes.txt").write_text("the learner's notes\n")
    (source / MODULE / "notes.txt").write_text("notes from the materials\n")
    _git(source, "add", "-A")
    _git(source, "commit", "-q", "-m", "add notes")
    _pull(source, clone)  # the second click

    result = run_r_script(script, home)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f'"{clone}"' in out  # 1. where the materials are
    assert '"my own words"' in out  # 2. the learner's change survived the second click
    [renamed] = re.findall(r"getting-materials/notes__\d{14}\.txt", out)  # 3. the learner's notes, renamed
    assert (clone / renamed).read_text() == "the learner's notes\n"
    assert "Automatic commit by nbgitpuller" in out  # 4. the history


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_without_materials_says_so_and_does_not_fail(tmp_path: Path) -> None:
    """Run from a home folder without the materials (the script was opened some other way): no error."""
    result = run_r_script(SCRIPT, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[1] NA" in result.stdout and "character(0)" in result.stdout
