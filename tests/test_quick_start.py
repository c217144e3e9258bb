"""The quick start, "going further" sections and which choice gives Python, R or RStudio.

- Pure: a module's sections are cut out with what only works on the module page left out; a
  module's ``further`` and ``quick_start`` front matter is checked against its headings, at the
  line of the key; the environments each profile or choice offers are read from the hub file.
- Built sites (the demo hub and every test hub): the quick start exists, comes first, takes at most
  25 minutes by the modules' own times, and tells an R user on the demo hub which choice to make.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from training.model.environments import choice_lines, offers, ways
from training.model.hub_profile import load_hub_profile
from training.model.module_excerpt import excerpt
from training.model.module_info import available, learning_path, read_catalogue

from .conftest import HUBS, ROOT, BuiltSite

DEMO = load_hub_profile()
RSTUDIO_HUB = load_hub_profile(HUBS / "password-rstudio.yaml")
TEST_HUBS = [None, HUBS / "github-lab.yaml", HUBS / "gcp-cilogon.yaml", HUBS / "password-rstudio.yaml"]
QUICK_START_IDS = [
    "logging-in",
    "choosing-an-environment",
    "jupyterlab-tour",
    "rstudio-tour",
    "getting-materials",
    "your-files",
    "stopping-your-server",
]

MODULE_TEXT = textwrap.dedent(
    """\
    # Title

    ## Log in

    1. Open the hub. See {doc}`../other/index` and [that](../other/index.md).

    ::::{screenshot} login-page
    A picture.
    ::::

    <!-- not-replayed: rstudio -->
    :::{only-if} rstudio
    2. Open RStudio.
    :::

    ### A detail

    ```{open-in-hub} exercises/x.ipynb
    ```

    ```{open-in-hub}
    ```

    ```python
    ## not a heading: code
    ```

    ## Next section

    Not included.
    """
)


# --- pure: excerpts ------------------------------------------------------------------------------


def test_excerpt_keeps_the_section_and_leaves_out_what_needs_the_module_page() -> None:
    (part,) = excerpt(MODULE_TEXT, ["Log in"])
    text = part.text
    assert part.first_line == 4  # the line after "## Log in": warnings keep the module's numbering
    assert "1. Open the hub. See {doc}`/modules/other/index` and [that](/modules/other/index.md)." in text
    assert "screenshot" not in text and "A picture." not in text
    assert "not-replayed" not in text
    assert ":::{only-if} rstudio" in text  # resolved later, like the module's own
    assert "**A detail**" in text and "### A detail" not in text
    assert "exercises/x.ipynb" not in text
    assert "```{open-in-hub}\n```" in text  # the whole-materials button works on any page
    assert "## not a heading: code" in text
    assert "Not included." not in text
    assert len(part.lines) == MODULE_TEXT.split("\n").index("## Next section") - 3  # lines blanked, never removed


def test_excerpt_of_a_missing_section_is_empty() -> None:
    assert excerpt(MODULE_TEXT, ["No such section"]) == []


# --- pure: front matter checks ---------------------------------------------------------------------


FRONT = """\
---
module:
  id: m
  title: M
  summary: S.
  audience: both
  teaching: 10
  exercises: 5
  questions: ["Q?"]
  objectives: [O.]
  keypoints: [K.]
{extra}---

# M

## Core part

## Extra part
"""


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        (
            "  further:\n    - section: Extar part\n      teaching: 2\n",
            13,
            "further: no section 'Extar part' in the module; did you mean 'Extra part'?",
        ),
        ("  further:\n    - section: Extra part\n", 13, "further: section 'Extra part' has no minutes"),
        (
            "  further:\n    - section: Extra part\n      teaching: 11\n",
            12,
            "further: the sections take more than the module's 10 teaching and 5 exercise minutes",
        ),
        (
            "  quick_start:\n    title: Do it\n    sections: [Core part]\n    minutes: 16\n",
            15,
            "quick_start.minutes is 16, more than the module's core 15 minutes",
        ),
        (
            "  further:\n    - section: Extra part\n      teaching: 2\n"
            "  quick_start:\n    title: Do it\n    sections: [Extra part]\n    minutes: 3\n",
            15,
            "quick_start: section 'Extra part' is marked 'going further'; expected a core section",
        ),
    ],
)
def test_section_metadata_problems_are_located(tmp_path: Path, extra: str, line: int, message: str) -> None:
    folder = tmp_path / "modules" / "m"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(FRONT.format(extra=extra), encoding="utf-8")
    catalogue = read_catalogue(tmp_path / "modules")
    assert [str(p) for p in catalogue.problems if message in p.message] == [
        f"{folder / 'index.md'}:{line}: {next(p.message for p in catalogue.problems if message in p.message)}"
    ], catalogue.problems


def test_good_section_metadata_has_no_problem(tmp_path: Path) -> None:
    folder = tmp_path / "modules" / "m"
    folder.mkdir(parents=True)
    extra = (
        "  further:\n    - section: Extra part\n      teaching: 2\n      exercises: 1\n"
        "  quick_start:\n    title: Do it\n    sections: [Core part]\n    minutes: 3\n"
    )
    (folder / "index.md").write_text(FRONT.format(extra=extra), encoding="utf-8")
    catalogue = read_catalogue(tmp_path / "modules")
    assert catalogue.problems == []
    module = catalogue.modules["m"]
    assert (module.core_teaching, module.core_exercises, module.core_minutes) == (8, 4, 12)


def test_the_real_modules_have_no_section_problems() -> None:
    assert read_catalogue(ROOT / "modules").problems == []


# --- pure: which choice gives what -------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "words", "default_url", "expected"),
    [
        ("quay.io/pangeo/pangeo-notebook:2026.11.01", "Pangeo Notebook", "", {"python"}),
        ("rocker/binder:4.4", "Rocker Geospatial", "", {"r", "rstudio"}),
        ("rocker/r-ver:4.4", "", "", {"r"}),
        ("quay.io/jupyter/r-notebook:latest", "", "", {"r", "python"}),
        ("example/custom:1", "R with the tidyverse", "/rstudio", {"r", "rstudio"}),
        ("example/custom:1", "Our image", "", set()),
    ],
)
def test_offers_reads_image_names_and_words(image: str, words: str, default_url: str, expected: set[str]) -> None:
    assert offers(image, words, default_url) == expected


def test_the_demo_hub_names_the_r_choice() -> None:
    found = ways(DEMO)
    assert [(w.profile, w.option, w.choice, w.default_choice) for w in found["r"]] == [
        ("Small", "Image", "Rocker Geospatial (R and RStudio)", False)
    ]
    assert found["rstudio"] == found["r"]
    assert [(w.profile, w.choice) for w in found["python"]] == [("Small", "Pangeo Notebook (Python)"), ("GPU", None)]
    lines = choice_lines(DEMO)
    assert lines == [
        "- **Python**: select the profile **Small**, then under **Image** the choice **Pangeo Notebook \\(Python\\)** "
        "(already selected). Or the profile **GPU** (only for example\\-org\\:gpu\\-users).",
        "- **R and RStudio**: select the profile **Small**, then under **Image** the choice "
        "**Rocker Geospatial \\(R and RStudio\\)**.",
    ]


def test_profiles_without_images_all_run_the_hub_wide_image() -> None:
    ocean = load_hub_profile(HUBS / "gcp-cilogon.yaml")
    assert choice_lines(ocean) == [
        "- **Python**: select the profile **Standard ocean environment**. Or the profile **Big memory** "
        "(only for ocean\\:big\\-memory)."
    ]


def test_a_hub_without_server_options_has_nothing_to_choose() -> None:
    assert choice_lines(RSTUDIO_HUB) == [
        "- **R and RStudio**: every server of R Workshop Hub has it; there is nothing to choose."
    ]


# --- built sites -----------------------------------------------------------------------------------


def quick_start_minutes(hub_file: Path | None) -> int:
    hub = load_hub_profile(hub_file)
    modules = {m.id: m for m in learning_path(available(read_catalogue(ROOT / "modules"), hub.features))}
    return sum(modules[i].quick_start.minutes for i in QUICK_START_IDS if i in modules and modules[i].quick_start)


@pytest.mark.slow
@pytest.mark.parametrize("hub_file", TEST_HUBS, ids=lambda p: p.stem if p else "demo")
def test_the_quick_start_is_on_every_site_first_and_short(
    build_hub_site: Callable[[Path | None], BuiltSite], hub_file: Path | None
) -> None:
    site = build_hub_site(hub_file)
    assert site.returncode == 0, site.output
    page = site.page("quick-start.html")
    minutes = quick_start_minutes(hub_file)
    assert 0 < minutes <= 25
    total = page.select_one("article .training-quick-start-total").get_text(" ", strip=True)
    steps = page.select("article section section")
    assert total.startswith(f"{len(steps) - 1} steps, about {minutes} min in all:"), total
    # First in the navigation, and named at the top of Start here with the same time.
    first = site.page("index.html").select_one("nav.bd-links a.reference.internal")
    assert first is not None and first["href"].endswith("quick-start.html"), first
    link = site.page("start-here.html").select_one("article .training-quick-start-link")
    assert link is not None and link["data-minutes"] == str(minutes)
    # Each step links to the module it comes from.
    sources = [a["href"] for a in page.select("article section section em a.reference.internal")]
    assert all(href.startswith("modules/") for href in sources) and len(sources) == len(steps) - 1


@pytest.mark.slow
def test_the_quick_start_tells_an_r_user_which_choice_to_make(demo_site: BuiltSite) -> None:
    page = demo_site.page("quick-start.html")
    choose = page.select_one("article section#choose-your-server")
    assert choose is not None
    text = " ".join(choose.get_text(" ").split())
    assert (
        "R and RStudio : select the profile Small , then under Image the choice Rocker Geospatial (R and RStudio)"
        in text
    ), text
    tour = demo_site.text("modules/rstudio-tour/index.html")
    assert "the choice Rocker Geospatial (R and RStudio)" in tour
    chooser = demo_site.text("modules/choosing-an-environment/index.html")
    assert "the choice Rocker Geospatial (R and RStudio)" in chooser


@pytest.mark.slow
def test_going_further_sections_are_marked(demo_site: BuiltSite) -> None:
    page = demo_site.page("modules/jupyterlab-tour/index.html")
    marked = [s["id"] for s in page.select("article section.training-going-further")]
    assert marked == [
        "the-terminal",
        "the-text-editor",
        "the-table-of-contents",
        "the-command-palette-and-keyboard-shortcuts",
        "the-status-bar",
    ]
    note = page.select_one("section#the-status-bar .training-going-further-note").get_text(" ", strip=True)
    assert note.startswith("Going further (2 min)")
