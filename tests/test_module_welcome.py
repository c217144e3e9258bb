"""The welcome module: what a cloud hub is, what costs money, how to use the site, where to get help."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.model.hub_profile import load_hub_profile

from .conftest import HUBS, BuiltSite
from .module_pages import (
    MODULES,
    article,
    assert_complete_module_page,
    interfaces,
    learner_text,
    materials_paths,
    run_r_script,
)

MODULE = "welcome"
HUB_FILES = {
    "demo_site": None,
    "ocean_site": HUBS / "gcp-cilogon.yaml",
    "workshop_hub_site": HUBS / "password-rstudio.yaml",
}


def test_demo_page_is_complete(demo_site: BuiltSite) -> None:
    assert_complete_module_page(demo_site, MODULE, min_screenshots=0)


def test_explains_hub_server_and_home_folder_with_the_hubs_values(demo_site: BuiltSite) -> None:
    hub = load_hub_profile()
    text = learner_text(demo_site, MODULE)
    for term in ("The hub", "Your server", "Your home folder", hub.storage.home_dir, hub.url):
        assert term in text
    assert "your home folder persists; the machine does not" in text
    assert f"after {hub.server.idle_timeout_minutes} minutes without activity" in text
    assert f"up to {hub.storage.home_quota_gb:g} GB" in text


def test_says_how_to_use_the_site_and_links_its_pages(demo_site: BuiltSite) -> None:
    text = learner_text(demo_site, MODULE)
    for words in ("Mark this module as done", "Check answer", "Instructor view", "Start here"):
        assert words in text
    targets = {a["href"] for a in article(demo_site, MODULE).select("a.internal")}
    for page in ("start-here.html", "catalogue.html", "instructor-notes.html"):
        assert any(t.split("#")[0].endswith(page) for t in targets), f"no link to {page}: {targets}"


@pytest.mark.parametrize("site_name", ["demo_site", "ocean_site", "workshop_hub_site"])
def test_names_the_hubs_support_channel(site_name: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(site_name)
    hub = load_hub_profile(HUB_FILES[site_name])
    text = learner_text(site, MODULE)
    assert f"Get help from the support channel of {hub.name}: {hub.support.name} When you ask" in text


def test_demo_exercise_opens_python_in_jupyterlab_and_r_in_both(demo_site: BuiltSite) -> None:
    assert materials_paths(demo_site, MODULE) == {
        "welcome/hello-hub.ipynb",
        "welcome/hello-hub-r.ipynb",
        "welcome/hello-hub.R",
    }
    assert interfaces(demo_site, MODULE) == {"lab", "rstudio"}


def test_rstudio_only_hub_gets_the_r_script_and_nothing_for_jupyterlab(workshop_hub_site: BuiltSite) -> None:
    assert_complete_module_page(workshop_hub_site, MODULE, min_screenshots=0)
    assert materials_paths(workshop_hub_site, MODULE) == {"welcome/hello-hub.R"}
    text = learner_text(workshop_hub_site, MODULE)
    assert "JupyterLab" not in text
    assert "Server Options" not in text  # the workshop hub has no options page


def test_python_only_hub_has_no_r_tab(ocean_site: BuiltSite) -> None:
    assert materials_paths(ocean_site, MODULE) == {"welcome/hello-hub.ipynb"}
    assert "RStudio" not in learner_text(ocean_site, MODULE)


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_prints_the_home_folder(tmp_path: Path) -> None:
    result = run_r_script(MODULES / MODULE / "exercises" / "hello-hub.R", tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Your home folder is {tmp_path}" in result.stdout
