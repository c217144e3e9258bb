"""Choosing an environment: the hub's own Server Options, custom images, slow starts, changing your choice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.hub_profile import load_hub_profile

from .conftest import HUBS, BuiltSite
from .module_pages import MODULES, article, assert_complete_module_page, learner_text, run_r_script, screenshots

MODULE = "choosing-an-environment"


def test_demo_page_is_complete(demo_site: BuiltSite) -> None:
    assert_complete_module_page(demo_site, MODULE, min_screenshots=3)


def test_demo_page_shows_the_hubs_own_profiles(demo_site: BuiltSite) -> None:
    hub = load_hub_profile()
    page = article(demo_site, MODULE)
    table = page.select_one("table.hub-options-table")
    assert table is not None
    table_text = table.get_text(" ")
    for profile in hub.profile_list:
        assert profile.display_name in table_text
    assert {Path(i["src"]).name for i in screenshots(demo_site, MODULE)} == {
        "server-options.png",
        "custom-image.png",
        "server-starting.png",
    }


def test_custom_images_only_where_the_hub_allows_them(demo_site: BuiltSite, ocean_site: BuiltSite) -> None:
    assert "Use an image that is not in the list" in learner_text(demo_site, MODULE)
    ocean = learner_text(ocean_site, MODULE)
    assert "Use an image that is not in the list" not in ocean
    assert "Other..." not in ocean


def test_ocean_hub_shows_its_own_options_never_the_demo_picture(ocean_site: BuiltSite) -> None:
    """Without generated screenshots, the Server Options picture is the figure drawn from its profile list."""
    hub = load_hub_profile(HUBS / "gcp-cilogon.yaml")
    page = article(ocean_site, MODULE)
    figure = page.select_one("figure.hub-options")
    assert figure is not None
    for profile in hub.profile_list:
        assert profile.display_name in figure.get_text(" ")
    assert {Path(i["src"]).name for i in screenshots(ocean_site, MODULE)} == {"server-starting.png"}
    assert f"up to {hub.server.start_timeout_minutes} minutes" in learner_text(ocean_site, MODULE)


def test_quotes_the_real_start_and_failure_messages(demo_site: BuiltSite) -> None:
    text = learner_text(demo_site, MODULE)
    for message in (
        "Your server is starting up.",
        "Spawn failed:",
        "The latest attempt to start your server has failed. Would you like to retry starting it?",
        "Relaunch Server",
        "Kernel Restarting",
        "Event log",
        "Stop Server",
    ):
        assert message in text, message


def test_changing_your_choice_is_stop_then_start(demo_site: BuiltSite) -> None:
    text = learner_text(demo_site, MODULE)
    assert "Click Stop My Server" in text
    assert "Click Start My Server . The Server Options page opens." in text


def test_not_built_for_a_hub_without_server_options(workshop_hub_site: BuiltSite) -> None:
    assert not (workshop_hub_site.html / "modules" / MODULE / "index.html").exists()


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_reads_the_limits_the_hub_sets(tmp_path: Path) -> None:
    result = run_r_script(MODULES / MODULE / "exercises" / "check-my-server.R", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Memory limit: not set" in result.stdout
