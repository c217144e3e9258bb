"""Logging in: only the hub's own provider, the 403 page, logging out versus stopping the server."""

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
    run_r_script,
    screenshots,
)

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


def test_screenshots_are_the_hubs_own_or_a_description(demo_site: BuiltSite, ocean_site: BuiltSite) -> None:
    assert {Path(i["src"]).name for i in screenshots(demo_site, MODULE)} == {
        "login-page.png",
        "after-login.png",
        "file-menu-log-out.png",
    }
    # The ocean hub has no generated screenshots here: its login page is described, never the demo's shown.
    assert {Path(i["src"]).name for i in screenshots(ocean_site, MODULE)} == {"file-menu-log-out.png"}
    assert "The login page of Ocean Modelling Hub shows one button, Sign in with CILogon" in learner_text(
        ocean_site, MODULE
    )


def test_login_picture_alt_text_says_what_the_picture_shows(demo_site: BuiltSite) -> None:
    """The demo's login-page.png is the crop of one button, "Sign in with GitHub": its alt text says so."""
    [image] = [i for i in screenshots(demo_site, MODULE) if Path(i["src"]).name == "login-page.png"]
    assert image["alt"] == "The sign-in part of the hub's login page: one button, Sign in with GitHub"


@pytest.mark.parametrize(
    ("site_name", "words"),
    [
        ("ocean_site", "The login page of Ocean Modelling Hub shows one button, Sign in with CILogon"),
        (
            "workshop_hub_site",
            "The login page of R Workshop Hub shows a form headed Sign in , with the fields Username: and "
            "Password: and a Sign in button under them.",
        ),
    ],
)
def test_without_screenshots_the_login_page_is_this_hubs_own(
    site_name: str, words: str, request: pytest.FixtureRequest
) -> None:
    assert words in learner_text(request.getfixturevalue(site_name), MODULE)


@pytest.mark.parametrize(
    ("site_name", "words"),
    [
        (
            "demo_site",
            "Log out of the hub (see above), then log out of GitHub in this browser too, and log in to the hub "
            "again with the account the hub knows.",
        ),
        ("ocean_site", "then log out on your institution's own login page too"),
        ("workshop_hub_site", "then log in again with your username, exactly as you wrote it down."),
    ],
)
def test_wrong_account_advice_fits_the_provider(site_name: str, words: str, request: pytest.FixtureRequest) -> None:
    """Logging out of the hub alone does not help with an OAuth provider: it signs the same account back in."""
    text = learner_text(request.getfixturevalue(site_name), MODULE)
    assert words in text
    assert ("Logging out of the hub is not enough" in text) is (site_name != "workshop_hub_site")


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_prints_the_username_and_server_path(tmp_path: Path) -> None:
    result = run_r_script(MODULES / MODULE / "exercises" / "who-am-i.R", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Your username on the hub is: not on the hub" in result.stdout
    assert "/user/not on the hub/" in result.stdout


def test_who_may_log_in_is_the_hubs_own_words(demo_site: BuiltSite, ocean_site: BuiltSite) -> None:
    assert "this is who may log in: Members of the GitHub team example-org:hub-users" in learner_text(demo_site, MODULE)
    assert "this is who may log in: Anyone with an Ocean University account" in learner_text(ocean_site, MODULE)


def test_login_instructions_are_rendered_as_markdown(demo_site: BuiltSite, ocean_site: BuiltSite) -> None:
    page = article(ocean_site, MODULE)
    block = page.select_one(".training-hub-markdown")
    assert block is not None, "the hub's login instructions are missing"
    assert block.find("strong").get_text() == "Ocean University"
    assert block.find("a")["href"] == "https://ocean.university.edu/it/accounts"
    assert article(demo_site, MODULE).select_one(".training-hub-markdown") is None  # the demo hub has none


def test_login_instructions_never_become_html(tmp_path: Path) -> None:
    from training.sphinx_ext.substitution import markdown_without_html

    text = markdown_without_html("<script>alert(1)</script> &amp; **bold**")
    assert "<" not in text and "&amp;amp;" in text and "**bold**" in text
