"""The ``hub-options`` figure and ``hub-options-table``: the hub's real Server Options, drawn from its profile.

Expected values come from the loaded :class:`HubProfile`, never from copies of the YAML, so the tests
follow the hub files when they change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from training.model.hub_profile import HubProfile, Profile, load_hub_profile
from training.sphinx_ext.hub_options import (
    DEFAULT_UNLISTED_IN_CHOICES,
    default_choice,
    default_profile,
    format_bytes,
    parse_bytes,
    resource_hints,
    summarize_profiles,
    table_cells,
    unlisted_labels,
)

from .conftest import DEMO_HUB, HUBS, SITES, run_sphinx

SITE = SITES / "hub_options"
OCEAN_HUB = HUBS / "gcp-cilogon.yaml"
WORKSHOP_HUB = HUBS / "password-rstudio.yaml"
HOSTILE_HUB = SITE / "hostile-profiles.yaml"

#: Elements a keyboard could land on or a form could submit: none may appear inside the figure.
INTERACTIVE = "a, button, input, select, textarea, option, [tabindex], [contenteditable], form, label"


def words(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Path], Path]:
    """Build ``tests/sites/hub_options/<site>`` for a hub, once per (site, hub); assert a clean build."""
    cache: dict[tuple[str, Path], Path] = {}

    def run(site: str, hub_file: Path) -> Path:
        key = (site, hub_file)
        if key not in cache:
            out = tmp_path_factory.mktemp(f"hub-options-{site}") / "html"
            result = run_sphinx(SITE / site, out, hub_file)
            assert result.returncode == 0, result.stdout + result.stderr
            cache[key] = out
        return cache[key]

    return run


def soup_of(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")


def figure_of(site: Path) -> Tag:
    figures = soup_of(site).select("figure.hub-options")
    assert len(figures) == 1
    return figures[0]


def cards(figure: Tag) -> dict[str, Tag]:
    return {card["data-slug"]: card for card in figure.select("li.hub-options-profile")}


def option_blocks(card: Tag) -> dict[str, Tag]:
    return {words(block.select_one("dt")): block for block in card.select("div.hub-options-option")}


def choice_items(block: Tag) -> list[Tag]:
    return block.select("li.hub-options-choice")


# --- the figure, for the demo hub ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(build: Callable[[str, Path], Path]) -> Path:
    return build("full", DEMO_HUB)


@pytest.fixture(scope="module")
def demo_hub() -> HubProfile:
    return load_hub_profile(DEMO_HUB)


def test_demo_hub_has_what_the_figure_must_show(demo_hub: HubProfile) -> None:
    """Guard: the demo hub keeps the cases the figure draws (options, Other..., a restricted profile)."""
    assert len(demo_hub.profile_list) >= 2
    assert any(profile.profile_options for profile in demo_hub.profile_list)
    assert "custom-image" in demo_hub.features
    assert any(profile.restricted_to for profile in demo_hub.profile_list)


def test_figure_looks_like_the_server_options_page(demo: Path, demo_hub: HubProfile) -> None:
    figure = figure_of(demo)
    assert words(figure.select_one(".hub-options-title")) == "Server Options"  # spawn.html's heading
    assert words(figure.select_one(".hub-options-button")) == "Start"  # spawn.html's submit button
    assert f"{demo_hub.url}/hub/spawn" in words(figure.select_one(".hub-options-address"))
    assert words(figure.select_one("figcaption")).startswith(f"The Server Options page of {demo_hub.name}")


def test_figure_lists_every_profile_in_order(demo: Path, demo_hub: HubProfile) -> None:
    found = cards(figure_of(demo))
    assert list(found) == [profile.effective_slug for profile in demo_hub.profile_list]
    for profile in demo_hub.profile_list:
        card = found[profile.effective_slug]
        name = words(card.select_one(".hub-options-profile-name"))
        assert name.removesuffix(" (default)") == profile.display_name
        if profile.description:
            assert words(card.select_one(".hub-options-profile-description")) == profile.description


def test_figure_lists_every_option_and_choice(demo: Path, demo_hub: HubProfile) -> None:
    found = cards(figure_of(demo))
    for profile in demo_hub.profile_list:
        blocks = option_blocks(found[profile.effective_slug])
        assert list(blocks) == [option.display_name for option in profile.profile_options.values()]
        for option in profile.profile_options.values():
            items = choice_items(blocks[option.display_name])
            listed = [words(item.select_one(".hub-options-choice-name")) for item in items]
            expected = [choice.display_name for choice in option.choices.values()]
            if option.unlisted_choice and option.unlisted_choice.enabled:
                expected.append(unlisted_labels(option)[0])
            assert [text.removesuffix(" (default)") for text in listed] == expected
            for item, choice in zip(items, option.choices.values(), strict=False):
                description = item.select_one(".hub-options-choice-description")
                assert (words(description) if description else None) == choice.description


def test_defaults_are_marked_in_text_and_visibly(demo: Path, demo_hub: HubProfile) -> None:
    found = cards(figure_of(demo))
    default = default_profile(demo_hub.profile_list)
    for profile in demo_hub.profile_list:
        card = found[profile.effective_slug]
        is_default = profile is default
        assert ("hub-options-is-default" in card["class"]) is is_default
        assert words(card.select_one(".hub-options-profile-name")).endswith("(default)") is is_default
        for option in profile.profile_options.values():
            items = choice_items(option_blocks(card)[option.display_name])
            marked = [item for item in items if "hub-options-is-default" in item["class"]]
            assert len(marked) == 1
            chosen = default_choice(option)
            assert chosen is not None
            assert words(marked[0]).startswith(f"{option.choices[chosen].display_name} (default)")
            assert sum("(default)" in words(item) for item in items) == 1


def test_custom_image_field(demo: Path, demo_hub: HubProfile) -> None:
    found = cards(figure_of(demo))
    checked = 0
    for profile in demo_hub.profile_list:
        for option in profile.profile_options.values():
            field = option_blocks(found[profile.effective_slug])[option.display_name].select_one(
                ".hub-options-unlisted"
            )
            unlisted = option.unlisted_choice
            if not (unlisted and unlisted.enabled):
                assert field is None
                continue
            checked += 1
            assert unlisted.display_name
            assert words(field.select_one(".hub-options-unlisted-label")) == unlisted.display_name
            in_choices = unlisted.display_name_in_choices or DEFAULT_UNLISTED_IN_CHOICES
            assert in_choices in words(field.select_one(".hub-options-unlisted-when"))
            assert words(field.select_one(".hub-options-hint")) == unlisted.validation_message
    assert checked


def test_restriction_note(demo: Path, demo_hub: HubProfile) -> None:
    found = cards(figure_of(demo))
    for profile in demo_hub.profile_list:
        note = found[profile.effective_slug].select_one(".hub-options-restricted")
        if profile.restricted_to:
            text = words(note)
            assert text.startswith("Only for members of")
            assert all(group in text for group in profile.restricted_to)
        else:
            assert note is None


def test_figure_is_a_picture_not_a_form(demo: Path) -> None:
    figure = figure_of(demo)
    window = figure.select_one(".hub-options-window")
    assert window.select(INTERACTIVE) == []
    assert figure.select_one("figcaption") is not None
    # Drawn, not part of the page outline: the only heading stays the page's own.
    assert window.select("h1, h2, h3, h4, h5, h6, [role=heading]") == []


def test_table_rows_follow_the_profiles(demo: Path, demo_hub: HubProfile) -> None:
    table = soup_of(demo).select_one("table.hub-options-table")
    assert words(table.select_one("caption")).startswith(f"Which profile to choose on {demo_hub.name}")
    assert [words(th) for th in table.select("thead th")] == [
        "Profile",
        "What it is for",
        "Options on the page",
        "Resources",
        "Who can choose it",
    ]
    rows = table.select("tbody tr")
    summaries = summarize_profiles(demo_hub.profile_list)
    assert len(rows) == len(summaries)
    for row, summary in zip(rows, summaries, strict=True):
        assert row.select_one("th") is not None  # the profile name is the row's header
        name, description, options, resources, who = table_cells(summary)
        cells = [words(cell) for cell in row.select("th, td")]
        assert cells == [name, description, options, " ".join(resources), " ".join(who)]


# --- other hubs ---------------------------------------------------------------------------------------


def test_ocean_hub_shows_its_own_profiles_only(build: Callable[[str, Path], Path], demo_hub: HubProfile) -> None:
    ocean_hub = load_hub_profile(OCEAN_HUB)
    figure = figure_of(build("full", OCEAN_HUB))
    assert list(cards(figure)) == [profile.effective_slug for profile in ocean_hub.profile_list]
    text = words(figure)
    for profile in ocean_hub.profile_list:
        assert profile.display_name in text
    demo_names = {p.display_name for p in demo_hub.profile_list} | {
        choice.display_name
        for p in demo_hub.profile_list
        for option in p.profile_options.values()
        for choice in option.choices.values()
    }
    assert not {name for name in demo_names if name in text}
    assert f"{ocean_hub.url}/hub/spawn" in text
    assert ocean_hub.name in words(figure.select_one("figcaption"))


def test_hub_without_profile_list(build: Callable[[str, Path], Path]) -> None:
    hub = load_hub_profile(WORKSHOP_HUB)
    assert hub.profile_list == []
    soup = soup_of(build("full", WORKSHOP_HUB))
    assert soup.select("figure.hub-options, table.hub-options-table") == []
    sentences = [words(p) for p in soup.select("p.hub-options-none")]
    assert sentences
    assert all(
        s == f"{hub.name} has no Server Options page: when you start your server, the hub starts it directly."
        for s in sentences
    )


def test_hostile_values_are_text(build: Callable[[str, Path], Path]) -> None:
    hub = load_hub_profile(HOSTILE_HUB)
    site = build("full", HOSTILE_HUB)
    html = (site / "index.html").read_text(encoding="utf-8")
    for markup in (
        "<script>alert",
        "<img src=x",
        "<b>Bold",
        "<em>Image",
        "<iframe",
        "<marquee",
        "<u>Custom",
        "<s>Other",
    ):
        assert markup not in html
    article = soup_of(site).select_one("article")
    assert article.select("script, img, iframe, marquee, b, em, u, s, i") == []
    figure = article.select_one("figure.hub-options")
    profile = hub.profile_list[0]
    assert words(figure.select_one(".hub-options-profile-name")) == f"{profile.display_name} (default)"
    assert profile.description
    assert profile.description in words(figure)
    assert hub.name in words(figure.select_one("figcaption"))  # exactly: no typographic quotes
    row = article.select_one("table.hub-options-table tbody tr")
    assert words(row.select_one("th")) == f"{profile.display_name} (default)"


# --- one profile, own caption, located warnings --------------------------------------------------------


def test_one_profile_with_its_own_caption(build: Callable[[str, Path], Path], demo_hub: HubProfile) -> None:
    soup = soup_of(build("single", DEMO_HUB))
    figure = soup.select_one("figure.hub-options")
    assert list(cards(figure)) == ["gpu"]
    assert "The GPU profile on the Server Options page" in words(figure.select_one("figcaption"))
    assert figure["id"] == "gpu-figure"
    link = soup.select_one('a.reference[href="#gpu-figure"]')  # :name: makes it a reference target
    assert words(link) == "The GPU profile on the Server Options page"
    rows = soup.select("table.hub-options-table tbody tr")
    assert [words(row.select_one("th")) for row in rows] == ["GPU"]
    # The default is the whole list's: a lone non-default profile is not marked as the default.
    assert "(default)" not in words(figure.select_one(".hub-options-profile-name"))


def test_unknown_profile_is_a_located_warning(tmp_path: Path) -> None:
    result = run_sphinx(SITE / "single", tmp_path / "html", OCEAN_HUB)
    assert result.returncode != 0
    assert "single/index.md:3" in result.stderr
    assert "has no profile with the slug 'gpu'" in result.stderr
    assert "[training.directive]" in result.stderr


# --- the pure helpers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1991341312, "1.9 GiB"), ("16G", "16 GiB"), ("512M", "512 MiB"), (2.5 * 1024**3, "2.5 GiB"), ("lots", "lots")],
)
def test_format_bytes(value: object, expected: str) -> None:
    assert format_bytes(value) == expected


def test_parse_bytes_matches_jupyterhub() -> None:
    from jupyterhub.traitlets import ByteSpecification
    from traitlets import HasTraits

    class Holder(HasTraits):
        size = ByteSpecification()

    for value in ("1K", "16G", "1.5G", "2T", 1234):
        holder = Holder(size=value)
        assert parse_bytes(value) == holder.size


def _profile(data: dict[str, object]) -> Profile:
    return Profile.model_validate({"display_name": "P", **data})


def test_resource_hints_only_say_what_the_data_says() -> None:
    assert resource_hints(_profile({})) == []
    assert resource_hints(_profile({"kubespawner_override": {"image": "x", "node_selector": {"a": "b"}}})) == []
    profile = _profile(
        {
            "kubespawner_override": {"mem_limit": "8G", "cpu_limit": 2, "extra_resource_limits": {"nvidia.com/gpu": 1}},
            "profile_options": {
                "mem": {
                    "display_name": "Memory",
                    "choices": {
                        "a": {"display_name": "A"},
                        "b": {"display_name": "B", "kubespawner_override": {"mem_limit": "32G"}},
                    },
                }
            },
        }
    )
    assert resource_hints(profile) == [
        "Memory limit: 8 GiB to 32 GiB, depending on your Memory choice",
        "CPU limit: 2",
        "GPUs (nvidia.com/gpu): 1",
    ]


def test_defaults_follow_kubespawner() -> None:
    first, second = _profile({"display_name": "A"}), _profile({"display_name": "B"})
    assert default_profile([first, second]) is first
    marked = _profile({"display_name": "C", "default": True})
    assert default_profile([first, marked]) is marked
    option = _profile(
        {
            "profile_options": {
                "o": {"display_name": "O", "choices": {"x": {"display_name": "X"}, "y": {"display_name": "Y"}}}
            }
        }
    ).profile_options["o"]
    assert default_choice(option) == "x"


# --- accessibility, in the browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_url(demo: Path) -> Iterator[str]:
    from training.gates.static_server import serve_directory

    with serve_directory(demo) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_violations(page, demo_url: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    page.goto(demo_url + "index.html")
    page.evaluate(f"document.documentElement.dataset.theme = {mode!r}")
    page.wait_for_function(f"document.documentElement.dataset.theme === {mode!r}")
    figure = page.locator("figure.hub-options")
    assert figure.is_visible()
    if mode == "dark":  # the theme really switched: the drawn page follows the dark background
        background = page.locator(".hub-options-window").evaluate("e => getComputedStyle(e).backgroundColor")
        assert background != "rgb(255, 255, 255)"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.blocked_requests == []


@pytest.mark.browser
def test_keyboard_skips_the_figure(page, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    """Tab never stops inside the drawing: it has nothing to operate."""
    page.goto(demo_url + "index.html")
    for _ in range(60):
        page.keyboard.press("Tab")
        inside = page.evaluate("!!document.activeElement.closest('.hub-options-window')")
        assert not inside
