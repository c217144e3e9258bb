"""The your-files module: its exercises, and what each hub's site shows (JupyterLab, RStudio, quota,
shared folders). The walkthrough itself (upload, download, du) is replayed by test_walkthrough.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.exercises import Exercise
from training.hub_profile import load_hub_profile

from .conftest import ROOT, BuiltSite
from .test_exercises import outputs_text, run_exercise

MODULE = ROOT / "modules" / "your-files"
PAGE = "modules/your-files/index.html"


def errors(notebook) -> list[str]:  # type: ignore[no-untyped-def]
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    return [o.get("evalue", "") for o in outputs if o.get("output_type") == "error"]


@pytest.mark.parametrize("name", ["know-your-files", "know-your-files-r"])
def test_exercise_measures_packs_and_cleans_up(name: str, hub_environment, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if name.endswith("-r") and not Path("/usr/bin/R").exists():
        pytest.skip("R is not installed")
    home = Path(hub_environment["HOME"])
    (home / "big-download.bin").write_bytes(b"x" * 300_000)
    try:
        exercise = Exercise("your-files", MODULE / "exercises" / f"{name}.md")
        notebook = run_exercise(exercise, load_hub_profile(), tmp_path)
    finally:
        (home / "big-download.bin").unlink()
    assert errors(notebook) == []
    text = outputs_text(notebook)
    assert f"Your home folder is {home.resolve()}" in " ".join(text.split())
    assert "big-download.bin" in text, "the largest file is listed with its size"
    assert "300.0 KB" in text, "the largest file is listed with its size"
    assert "/tmp" in text
    assert "writable" in text
    assert "Made your-files-practice/practice-results.tar.gz" in text
    assert "practice-results/notes.txt, practice-results/summary.csv" in text
    assert "Deleted your-files-practice" in text
    assert not (home / "your-files-practice").exists(), "the last cell removes what the notebook made"


def test_demo_site_shows_jupyterlab_and_rstudio_steps_and_the_hubs_limits(demo_site: BuiltSite) -> None:
    text = demo_site.text(PAGE)
    assert "/home/jovyan" in text
    assert "10 GB" in text
    assert "Upload Files" in text
    assert "Download" in text
    assert "tar -czf results.tar.gz results" in text
    assert "In RStudio" in text
    assert "Export..." in text or "Export…" in text
    assert "shared, shared-public" in text
    images = demo_site.page(PAGE).select("figure.training-screenshot img")
    assert [Path(i["src"]).name for i in images] == [
        "terminal-usage.png",
        "upload-button.png",
        "uploaded-files.png",
        "download-menu.png",
    ]
    assert all(i.get("alt") for i in images)
    assert demo_site.page(PAGE).select('a[href*="cloud-data"]'), "links to the cloud-data module"


def test_rstudio_only_hub_has_no_jupyterlab_steps(workshop_hub_site: BuiltSite) -> None:
    text = workshop_hub_site.text(PAGE)
    assert "/home/rstudio" in text
    assert "1 GB" in text
    assert "In RStudio" in text
    assert "Terminal" in text
    for lab_only in ("the arrow pointing up", "File Browser", "Launcher", "JupyterLab downloads single files"):
        assert lab_only not in text, lab_only
    assert "has no shared folders" in text
    assert "!du -sh ~" not in text, "no Python tab on an R-only hub"
    assert not workshop_hub_site.page(PAGE).select("figure.training-screenshot img"), "no JupyterLab pictures"


def test_gcp_hub_shows_its_quota_and_no_rstudio(ocean_site: BuiltSite) -> None:
    text = ocean_site.text(PAGE)
    assert "25 GB" in text
    assert "shared" in text
    assert "In RStudio" not in text
    assert "Export" not in text
    assert "system(" not in text, "no R tab on a Python-only hub"
    assert len(ocean_site.page(PAGE).select("figure.training-screenshot img")) == 4, "hub-independent pictures"
