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
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import training.walkthrough as w

from .conftest import HUBS, ROOT, BuiltSite, report_gate
from .test_module_jupyterlab_tour import links_to_module

MODULE = "getting-materials"
PAGE = f"modules/{MODULE}/index.html"
SOURCE = ROOT / "modules" / MODULE / "index.md"
WALKTHROUGHS = w.load_file(ROOT / "modules" / MODULE / "walkthrough.py")
SHOTS = {s.name: s for wt in WALKTHROUGHS for s in wt.shots()}


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
    assert [a["href"] for a in making_links.select("a[href]")] == ["../../docs/link-generator.html"]
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
