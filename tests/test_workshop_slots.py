"""A module in a workshop slot: the teaching and exercise minutes add up to the slot, the guide names
the "going further" sections to skip, and a slot shorter than the module's core is a located problem.
The example workshop covers what the hub's users need, cloud data and R included, and has everybody
logged in within its first 15 minutes."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from training.model.hub_profile import load_hub_profile
from training.model.module_info import FurtherSection, ModuleInfo, read_catalogue
from training.model.workshop import agenda_entries, check_workshop, load_workshop, schedule, slot_plan
from training.model.workshop_pages import WorkshopPage, guide_page, survey_page

from .conftest import ROOT

DEMO = load_hub_profile()


def tour(**extra: object) -> ModuleInfo:
    return ModuleInfo(
        id="tour",
        title="Tour",
        summary="S.",
        audience="both",
        teaching=25,
        exercises=15,
        questions=["Q?"],
        objectives=["O."],
        keypoints=["K."],
        further=[
            FurtherSection(section="Terminal", teaching=3),
            FurtherSection(section="Editor", teaching=2, exercises=2),
            FurtherSection(section="Status bar", teaching=2),
        ],
        **extra,
    )


def test_a_slot_as_long_as_the_module_skips_nothing() -> None:
    plan = slot_plan(tour(), 40)
    assert (plan.teaching, plan.exercises, plan.skip, plan.fits) == (25, 15, (), True)


def test_a_longer_slot_gives_the_spare_minutes_to_the_exercises() -> None:
    plan = slot_plan(tour(), 45)
    assert (plan.teaching, plan.exercises, plan.fits) == (25, 20, True)


def test_a_shorter_slot_skips_going_further_sections_last_first() -> None:
    plan = slot_plan(tour(), 36)
    assert [f.section for f in plan.skip] == ["Editor", "Status bar"]
    assert (plan.teaching, plan.exercises, plan.fits) == (21, 15, True)  # 25-2-2 teaching, 15-2 exercises + 2 spare


def test_a_slot_shorter_than_the_core_does_not_fit_but_still_adds_up() -> None:
    plan = slot_plan(tour(), 25)
    assert [f.section for f in plan.skip] == ["Terminal", "Editor", "Status bar"]
    assert not plan.fits
    assert plan.teaching + plan.exercises == 25


@given(st.integers(min_value=1, max_value=200))
def test_teaching_and_exercises_always_add_up_to_the_slot(minutes: int) -> None:
    module = tour()
    plan = slot_plan(module, minutes)
    assert plan.teaching + plan.exercises == minutes
    assert plan.fits == (minutes >= module.core_minutes)
    assert (plan.skip == ()) == (minutes >= module.minutes)


def write_workshop(tmp_path: Path, minutes: int) -> Path:
    path = tmp_path / "w.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            title: T
            slug: t
            date: 2026-02-03
            start: "09:30"
            timezone: America/New_York
            items:
              - module: tour
                minutes: {minutes}
            """
        ),
        encoding="utf-8",
    )
    return path


def test_a_too_short_slot_is_a_located_problem(tmp_path: Path) -> None:
    loaded = load_workshop(write_workshop(tmp_path, 25))
    modules = {"tour": tour()}
    (problem,) = check_workshop(loaded, modules, modules, DEMO)
    assert str(problem) == (
        f"{loaded.path}:8: module 'tour' does not fit in 25 minutes: its core takes 31 (18 teaching, 13 exercises) "
        "even without 'Terminal', 'Editor', 'Status bar'; expected at least 31 minutes"
    )
    assert check_workshop(load_workshop(write_workshop(tmp_path, 31)), modules, modules, DEMO) == []


def test_the_guide_names_what_to_skip_and_the_minutes_add_up(tmp_path: Path) -> None:
    loaded = load_workshop(write_workshop(tmp_path, 36))
    page = WorkshopPage(loaded.workshop, agenda_entries(loaded.workshop, {"tour": tour()}), DEMO)
    text = guide_page(page)
    assert (
        "| 09:30\N{EN DASH}10:06 | {doc}`Tour </modules/tour/index>` | 36 min | 21 / 15 min | Editor, Status bar |"
        in text
    )
    assert (
        "In this slot: 21 minutes of teaching and 15 of exercises. Skip *Editor*, *Status bar* "
        "(marked *Going further* on the module's page, 6 min): learners can read them later." in text
    )


def test_the_example_workshop_covers_cloud_data_and_r_and_logs_in_first() -> None:
    loaded = load_workshop(ROOT / "training" / "site" / "pages" / "workshops" / "first-steps.yaml")
    catalogue = read_catalogue(ROOT / "modules").modules
    ids = loaded.workshop.module_ids()
    assert {"cloud-data", "rstudio-tour", "logging-in", "stopping-your-server", "getting-materials"} <= set(ids)
    slots = schedule(loaded.workshop.starts_at, agenda_entries(loaded.workshop, catalogue))
    login = next(s for s in slots if s.entry.module_id == "logging-in")
    assert login.end - loaded.workshop.starts_at <= dt.timedelta(minutes=15)
    for slot in slots:
        if slot.entry.module is not None:
            plan = slot_plan(slot.entry.module, slot.entry.minutes)
            assert plan.fits, slot.entry.title
            assert plan.teaching + plan.exercises == slot.entry.minutes
    assert check_workshop(loaded, catalogue, catalogue, DEMO) == []


def test_the_survey_asks_about_each_module_and_says_where_answers_go(tmp_path: Path) -> None:
    loaded = load_workshop(write_workshop(tmp_path, 40))
    page = WorkshopPage(loaded.workshop, agenda_entries(loaded.workshop, {"tour": tour()}), DEMO)
    text = survey_page(page)
    assert text.startswith("# Survey: T")
    assert "1. Could you now log in to Example Research Hub, start a server and stop it, without help?" in text
    assert "   Tour" in text
    assert "[the training\\'s issue tracker](https://github.com/example-org/hub-training-materials/issues)" in text
