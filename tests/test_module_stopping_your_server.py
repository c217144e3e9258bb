"""Stopping your server: from JupyterLab and from RStudio, idle shutdown, maximum age, what survives."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from training.model.hub_profile import load_hub_profile
from training.replay.walkthrough import load_file

from .conftest import HUBS, BuiltSite
from .module_pages import MODULES, assert_complete_module_page, interfaces, learner_text, run_r_script, screenshots

MODULE = "stopping-your-server"


def test_demo_page_is_complete(demo_site: BuiltSite) -> None:
    assert_complete_module_page(demo_site, MODULE, min_screenshots=4)


def test_demo_page_shows_both_ways_to_the_hub_control_panel(demo_site: BuiltSite) -> None:
    hub = load_hub_profile()
    text = learner_text(demo_site, MODULE)
    assert "open the File menu and click Hub Control Panel" in text
    assert f"{hub.url}/hub/home" in text
    assert "Quit Session..." in text or "Quit Session…" in text
    for label in ("Stop My Server", "Start My Server", "Server unavailable or unreachable"):
        assert label in text
    assert f"after {hub.server.idle_timeout_minutes} minutes without activity" in text
    assert f"run for {hub.server.max_age_days} days" in text
    assert interfaces(demo_site, MODULE) == {"lab", "rstudio"}


def test_screenshots_show_the_hub_control_panel_before_and_after(demo_site: BuiltSite) -> None:
    sources = {Path(img["src"]).name for img in screenshots(demo_site, MODULE)}
    assert {"file-menu.png", "hub-control-panel.png", "server-stopped.png", "server-unavailable.png"} <= sources


def test_rstudio_only_hub_gets_no_jupyterlab_steps(workshop_hub_site: BuiltSite) -> None:
    hub = load_hub_profile(HUBS / "password-rstudio.yaml")
    assert_complete_module_page(workshop_hub_site, MODULE, min_screenshots=2)
    text = learner_text(workshop_hub_site, MODULE)
    for jupyterlab_only in ("JupyterLab", "File menu", "Log Out", "Server unavailable"):
        assert jupyterlab_only not in text
    assert f"{hub.url}/hub/home" in text
    assert f"after {hub.server.idle_timeout_minutes} minutes without activity" in text
    assert "days, even while you use it" not in text  # the workshop hub has no max_age_days
    assert interfaces(workshop_hub_site, MODULE) == {"rstudio"}
    sources = {Path(img["src"]).name for img in screenshots(workshop_hub_site, MODULE)}
    assert sources == {"hub-control-panel.png", "server-stopped.png"}  # the same on every hub


def test_jupyterlab_only_hub_gets_no_rstudio_steps(ocean_site: BuiltSite) -> None:
    text = learner_text(ocean_site, MODULE)
    assert "Quit Session" not in text
    assert "run for 3 days" in text


def test_rstudio_steps_are_marked_and_listed_as_not_replayed() -> None:
    source = (MODULES / MODULE / "index.md").read_text(encoding="utf-8")
    assert source.count("<!-- not-replayed: rstudio -->") >= 1
    walkthroughs = load_file(MODULES / MODULE / "walkthrough.py")
    assert any("rstudio" in step.requires for w in walkthroughs for step in w.steps)
    # The way RStudio users stop their server, the hub's home page, is replayed on every hub.
    rstudio_way = next(w for w in walkthroughs if not w.requires)
    assert {"Stop My Server", "Start My Server"} <= set(rstudio_way.ui_labels())


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_writes_home_and_tmp_then_reports_them(tmp_path: Path) -> None:
    result = run_r_script(MODULES / MODULE / "exercises" / "what-survives.R", tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "what-survives.txt").is_file()
    assert re.search(r"still there: .*what-survives\.txt", result.stdout)
    assert "still there: the variable" in result.stdout
