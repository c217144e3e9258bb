"""The site's name, the landing page's paths and their times, and the community logo, as built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from training.model.hub_profile import HubFileError, load_hub_profile
from training.model.module_info import format_minutes

from .conftest import DEMO_HUB, BuiltSite, run_cli


def test_pages_are_titled_after_the_hub(demo_site: BuiltSite) -> None:
    title = demo_site.page("modules/logging-in/index.html").title
    assert title is not None and title.get_text().endswith("Example Research Hub training")
    brand = demo_site.page("index.html").select_one(".training-brand .logo__title")
    assert brand is not None and brand.get_text(strip=True) == "Example Research Hub training"


def test_landing_page_offers_each_path_with_its_computed_time(demo_site: BuiltSite) -> None:
    soup = demo_site.page("index.html")
    cards = {card["data-path"]: card for card in soup.select(".training-path-card")}
    assert list(cards) == ["quick-start", "full-path", "workshop", "help"]
    total = int(demo_site.page("start-here.html").select_one(".training-path-summary")["data-total-minutes"])
    full = cards["full-path"].select_one(".training-path-card-time")
    assert int(full["data-minutes"]) == total and format_minutes(total) in full.get_text()
    assert cards["help"].select_one("a")["href"] == "modules/getting-help/index.html"
    assert "#hub-help on the Example Lab Slack" in soup.select_one("article").get_text()
    assert soup.select_one(".training-lead a")["href"] == "https://hub.example.org"
    assert [a["href"] for a in soup.select(".training-start a")] == ["quick-start.html"]


def test_a_logo_from_the_hub_file_is_copied_and_shown(tmp_path: Path) -> None:
    hub_file = tmp_path / "hub.yaml"
    hub_file.write_text(DEMO_HUB.read_text(encoding="utf-8") + "\nlogo: images/lab-logo.svg\n", encoding="utf-8")
    (tmp_path / "images").mkdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'
    (tmp_path / "images" / "lab-logo.svg").write_text(svg, encoding="utf-8")
    out = tmp_path / "html"
    result = run_cli("build", str(hub_file), "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "_static" / "lab-logo.svg").read_text(encoding="utf-8") == svg
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<img class="training-logo" src="_static/lab-logo.svg" alt="Logo of' in index
    assert "logo__image" in index  # beside the site's title, above the menu


def test_a_missing_logo_is_one_clear_line(tmp_path: Path) -> None:
    hub_file = tmp_path / "hub.yaml"
    shutil.copy(DEMO_HUB, hub_file)
    with hub_file.open("a", encoding="utf-8") as stream:
        stream.write("\nlogo: nowhere.png\n")
    with pytest.raises(HubFileError) as refused:
        load_hub_profile(hub_file)
    assert refused.value.problems == [
        f"{hub_file}: logo: {tmp_path / 'nowhere.png'} does not exist; expected an image file beside the hub file"
    ]
