"""What the training site says about the onboarding report: the For PIs page and the stamp notes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import HUBS, BuiltSite

pytestmark = pytest.mark.slow

STAMP_NOTE = "The exercise ends with a check of your work."


@pytest.fixture(scope="module")
def report_site(build_hub_site: Callable[[Path | None], BuiltSite]) -> BuiltSite:
    site = build_hub_site(HUBS / "report.yaml")
    assert site.returncode == 0, site.output
    return site


def test_for_pis_page_says_what_is_recorded_and_how(report_site: BuiltSite) -> None:
    text = report_site.text("for-pis.html")
    assert "~/.hub-training/completed/<module>.json" in text
    for scope in ("list:users", "read:users", "read:servers"):
        assert scope in text
    assert "fewer than 5 people" in text and "Nothing is sent anywhere" in text
    assert "does not record completions" not in text
    assert report_site.page("for-pis.html").select("table")  # what the training covers: the catalogue
    index = report_site.page("index.html")
    assert any(a.get("href") == "for-pis.html" for a in index.select("nav a, .toctree-wrapper a"))


def test_module_pages_say_what_their_check_records(report_site: BuiltSite) -> None:
    welcome = report_site.text("modules/welcome/index.html")
    assert welcome.count(STAMP_NOTE) == 1  # once per page, though the page has several buttons
    assert "~/.hub-training/completed/welcome.json" in welcome
    assert "~/.hub-training/completed/stopping-your-server.json" in report_site.text(
        "modules/stopping-your-server/index.html"
    )


def test_a_hub_without_the_report_records_nothing(demo_site: BuiltSite) -> None:
    assert "does not record completions" in demo_site.text("for-pis.html")
    assert STAMP_NOTE not in demo_site.text("modules/welcome/index.html")
