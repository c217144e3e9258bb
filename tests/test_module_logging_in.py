"""Logging in: only the hub's own provider, the 403 page, logging out versus stopping the server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.hub_profile import load_hub_profile

from .conftest import HUBS, BuiltSite
from .module_pages import MODULES, assert_complete_module_page, interfaces, learner_text, run_r_script, screenshots

MODULE = "logging-in"

#: Words that appear only in one provider's login steps.
PROVIDER_WORDS = {
    "github": ["Sign in with GitHub", "Authorized OAuth Apps", "GitHub organization"],
    "cilogon": ["Sign in with CILogon", "Select an Identity Provider", "Remember this selection"],
    "google": ["Sign in with Google"],
    "auth0": ["Sign in with Auth0"],
    "shared-password": ["Username:", "Password:", "Invalid username or password"],
}

#: oauthenticator's default ``custom_403_message``, under JupyterHub's "403 : Forbidden" heading.
FORBIDDEN = "Sorry, you are not currently authorized to use this hub. Please contact the hub administrator."


def _only_provider(text: str, provider: str) -> None:
    for words in PROVIDER_WORDS[provider]:
        assert words in text, f"{provider}: {words!r} missing"
    for other, words_list in PROVIDER_WORDS.items():
        if other != provider:
            shown = [w for w in words_list if w in text]
            assert not shown, f"a {provider} hub shows {other} login steps: {shown}"


def test_demo_page_is_complete(demo_site: BuiltSite) -> None:
    assert_complete_module_page(demo_site, MODULE, min_screenshots=3)


def test_demo_hub_shows_only_github_login_and_its_403_page(demo_site: BuiltSite) -> None:
    text = learner_text(demo_site, MODULE)
    _only_provider(text, "github")
    assert "403 : Forbidden" in text
    assert FORBIDDEN in text
    assert "Request approval from owners" in text


def test_ocean_hub_shows_only_cilogon_login(ocean_site: BuiltSite) -> None:
    assert_complete_module_page(ocean_site, MODULE, min_screenshots=1)
    text = learner_text(ocean_site, MODULE)
    _only_provider(text, "cilogon")
    assert "GitHub" not in text
    assert FORBIDDEN in text
    assert "cilogon.org" in text


def test_workshop_hub_shows_the_shared_password_form_and_nothing_for_jupyterlab(workshop_hub_site: BuiltSite) -> None:
    assert_complete_module_page(workshop_hub_site, MODULE, min_screenshots=0)
    text = learner_text(workshop_hub_site, MODULE)
    _only_provider(text, "shared-password")
    for absent in ("GitHub", "403 : Forbidden", "JupyterLab", "File menu", "Log Out", "Server Options"):
        assert absent not in text, absent
    hub = load_hub_profile(HUBS / "password-rstudio.yaml")
    assert f"{hub.url}/hub/home" in text  # how RStudio users reach the hub's Logout button
    assert interfaces(workshop_hub_site, MODULE) == {"rstudio"}


@pytest.mark.parametrize(
    ("site_name", "stops"), [("demo_site", False), ("ocean_site", True), ("workshop_hub_site", False)]
)
def test_says_whether_logging_out_stops_the_server_as_the_hub_is_configured(
    site_name: str, stops: bool, request: pytest.FixtureRequest
) -> None:
    text = learner_text(request.getfixturevalue(site_name), MODULE)
    assert ("logging out also stops your server" in text) is stops
    assert ("logging out does not stop your server" in text) is not stops


def test_who_may_log_in_uses_no_optional_placeholder() -> None:
    """``login.access`` is optional and no feature says whether a hub has it: the module must not use it."""
    source = (MODULES / MODULE / "index.md").read_text(encoding="utf-8")
    assert "hub.login.access" not in source


def test_screenshots_are_the_hubs_own_or_a_description(demo_site: BuiltSite, ocean_site: BuiltSite) -> None:
    assert {Path(i["src"]).name for i in screenshots(demo_site, MODULE)} == {
        "login-page.png",
        "after-login.png",
        "file-menu-log-out.png",
    }
    # The ocean hub has no generated screenshots here: its login page is described, never the demo's shown.
    assert {Path(i["src"]).name for i in screenshots(ocean_site, MODULE)} == {"file-menu-log-out.png"}
    assert "the sign-in button or the username and password form" in learner_text(ocean_site, MODULE)


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_prints_the_username_and_server_path(tmp_path: Path) -> None:
    result = run_r_script(MODULES / MODULE / "exercises" / "who-am-i.R", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Your username on the hub is: not on the hub" in result.stdout
    assert "/user/not on the hub/" in result.stdout
