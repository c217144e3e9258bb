"""Costs from the hub file (per profile or choice, with currency and date), the usage dashboard, the
feedback address at the end of every module, and the hub file keys that carry them."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.model.hub_profile import HubFileError, load_hub_profile
from training.sphinx_ext.hub_options import cost_hints, cost_legend

from .conftest import DEMO_HUB, HUBS, BuiltSite

DEMO = load_hub_profile()


def test_costs_per_choice_and_per_profile_read_as_a_range_with_their_date() -> None:
    small, gpu = DEMO.profile_list
    assert cost_hints(small) == [
        "Cost: 0.03 to 0.12 USD per hour (as of 1 November 2026), depending on your Resource Allocation choice"
    ]
    assert cost_hints(gpu) == ["Cost: 0.95 USD per hour (as of 1 November 2026)"]
    assert cost_legend(DEMO) == (
        "What a running server costs. Small: 0.03 to 0.12 USD per hour (as of 1 November 2026), depending on "
        "your Resource Allocation choice. GPU: 0.95 USD per hour (as of 1 November 2026)."
    )
    assert {"cost", "usage-dashboard", "site-url"} <= DEMO.features


def test_a_hub_without_costs_shows_none() -> None:
    hub = load_hub_profile(HUBS / "password-rstudio.yaml")
    assert cost_legend(hub) == ""
    assert "cost" not in hub.features


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        (
            "{per_hour: 0.1, currency: dollars, as_of: 2026-11-01}",
            "profile_list[1].cost.currency: 'dollars' has the wrong form",
        ),
        ("{per_hour: 0.1, currency: USD, as_of: soon}", "profile_list[1].cost.as_of: 'soon' is not a date"),
        ("{per_hour: 0.1, currency: USD}", "profile_list[1].cost.as_of: required key is missing"),
        ("{per_hour: -1, currency: USD, as_of: 2026-11-01}", "profile_list[1].cost.per_hour: -1 is too small"),
    ],
)
def test_a_wrong_cost_is_one_clean_line(tmp_path: Path, cost: str, message: str) -> None:
    text = DEMO_HUB.read_text(encoding="utf-8").replace(
        "    cost: {per_hour: 0.95, currency: USD, as_of: 2026-11-01}", f"    cost: {cost}"
    )
    hub = tmp_path / "hub.yaml"
    hub.write_text(text, encoding="utf-8")
    with pytest.raises(HubFileError) as raised:
        load_hub_profile(hub)
    assert any(line.startswith(f"{hub}: {message}") for line in raised.value.problems), raised.value.problems


@pytest.mark.slow
def test_costs_show_in_the_table_the_figure_and_the_cost_sections(demo_site: BuiltSite) -> None:
    page = demo_site.page("modules/choosing-an-environment/index.html")
    table = " ".join(page.select_one("article table.hub-options-table").get_text(" ").split())
    assert "Cost: 0.95 USD per hour (as of 1 November 2026)" in table
    for module in ("welcome", "choosing-an-environment"):
        costs = demo_site.page(f"modules/{module}/index.html").select_one("article .training-hub-costs")
        assert costs is not None, module
        assert "GPU : 0.95 USD per hour" in " ".join(costs.get_text(" ").split())
        assert costs.select_one("a[href='https://grafana.hub.example.org']") is not None


@pytest.mark.slow
def test_a_hub_without_screenshots_shows_costs_in_the_figures_legend(build_hub_site) -> None:  # type: ignore[no-untyped-def]
    site = build_hub_site(HUBS / "github-lab.yaml")
    assert site.returncode == 0, site.output
    page = site.page("modules/choosing-an-environment/index.html")
    legend = page.select_one("article figure.hub-options .legend")
    assert legend is not None
    assert legend.get_text(" ", strip=True) == (
        "What a running server costs. GPU: 0.90 EUR per hour (as of 15 October 2026)."
    )


@pytest.mark.slow
def test_every_module_ends_with_the_feedback_address(demo_site: BuiltSite) -> None:
    pages = sorted((demo_site.html / "modules").glob("*/index.html"))
    assert pages
    for path in pages:
        name = path.relative_to(demo_site.html).as_posix()
        footer = demo_site.page(name).select_one("article section#key-points")
        assert footer is not None, name
        link = footer.select_one("a[href='https://github.com/example-org/hub-training-materials/issues']")
        assert link is not None and link.get_text() == "the training's issue tracker", name


@pytest.mark.slow
def test_without_a_feedback_address_the_support_channel_is_named(build_hub_site) -> None:  # type: ignore[no-untyped-def]
    site = build_hub_site(HUBS / "password-rstudio.yaml")
    assert site.returncode == 0, site.output
    text = site.text("modules/logging-in/index.html")
    assert "Tell the people who run this training: your instructor or instructor" in text
    footer = site.page("modules/logging-in/index.html").select_one("article section#key-points")
    assert footer.select_one("a[href='mailto:instructor%40workshop.example.net?subject=Training%3A%20Logging%20in']")
    assert "checks that you are on its list" not in text
    assert "whoever has the password can log in" in text
    assert "Add the R packages" in site.text("catalogue.html")
