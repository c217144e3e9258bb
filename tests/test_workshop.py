"""Workshop files without Sphinx: validation in the hub file's style, agenda clock times, located checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from training.cli.main import default_output
from training.model.hub_profile import load_hub_profile
from training.model.module_info import ModuleInfo, read_catalogue
from training.model.nbgitpuller import pull_all_url
from training.model.workshop import (
    LoadedWorkshop,
    Workshop,
    WorkshopFileError,
    agenda_entries,
    check_workshop,
    load_workshop,
    materials_link,
    schedule,
    total_minutes,
    with_prerequisites,
)
from training.model.workshop_pages import WorkshopPage, agenda_page, guide_page, handout_page, login_steps
from training.sphinx_ext.handout_pdf import pdf_page_count

from .conftest import HUBS, ROOT, run_cli

DEMO = load_hub_profile()
RSTUDIO_HUB = load_hub_profile(HUBS / "password-rstudio.yaml")


def module(
    module_id: str, teaching: int, exercises: int, prerequisites: list[str] | None = None, **extra: Any
) -> ModuleInfo:
    return ModuleInfo(
        id=module_id,
        title=f"Module {module_id}",
        summary="Summary.",
        audience="both",
        teaching=teaching,
        exercises=exercises,
        prerequisites=prerequisites or [],
        questions=["Why?"],
        objectives=["Do it."],
        keypoints=["Point."],
        **extra,
    )


MODULES = {
    m.id: m
    for m in [
        module("welcome", 10, 0),
        module("logging-in", 15, 10, ["welcome"]),
        module("files", 20, 15, ["logging-in"]),
        module("untimed", 0, 0),
        module("needs-dask", 10, 0, requires=["dask-gateway"]),
    ]
}
SITE = {k: v for k, v in MODULES.items() if k != "needs-dask"}  # what the demo hub (no Dask) can teach

GOOD = """\
title: First day
slug: first-day
date: 2026-02-03
start: "09:30"
timezone: America/New_York
instructors: [Ada Lovelace]
items:
  - title: Welcome and introductions
    minutes: 15
  - module: welcome
  - module: logging-in
  - break: 10
  - module: files
  - break: 45
    title: Lunch
  - title: Questions
    minutes: 20
  - module: untimed
    minutes: 5
"""


def write(tmp_path: Path, text: str, name: str = "workshop.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- the agenda ----------------------------------------------------------------------------------


def test_agenda_clock_times_with_breaks_and_free_items(tmp_path: Path) -> None:
    workshop = load_workshop(write(tmp_path, GOOD)).workshop
    entries = agenda_entries(workshop, SITE)
    slots = schedule(workshop.starts_at, entries)
    got = [(f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.entry.kind, s.entry.title) for s in slots]
    assert got == [
        ("09:30", "09:45", "free", "Welcome and introductions"),
        ("09:45", "09:55", "module", "Module welcome"),  # 10 + 0
        ("09:55", "10:20", "module", "Module logging-in"),  # 15 + 10
        ("10:20", "10:30", "break", "Break"),
        ("10:30", "11:05", "module", "Module files"),  # 20 + 15
        ("11:05", "11:50", "break", "Lunch"),
        ("11:50", "12:10", "free", "Questions"),
        ("12:10", "12:15", "module", "Module untimed"),  # the item's minutes replace the module's 0
    ]
    assert total_minutes(entries) == 165
    assert slots[0].start.tzname() == "EST"


def test_schedule_is_a_pure_function_of_start_and_minutes() -> None:
    class Item:
        def __init__(self, minutes: int) -> None:
            self.minutes = minutes

    start = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)
    slots = schedule(start, [Item(20), Item(0), Item(45)])
    assert [(f"{s.start:%H:%M}", f"{s.end:%H:%M}") for s in slots] == [
        ("23:30", "23:50"),
        ("23:50", "23:50"),
        ("23:50", "00:35"),
    ]
    assert slots[-1].end.date() == dt.date(2026, 7, 2)
    assert schedule(start, []) == []


def test_workshop_only_build_keeps_prerequisites() -> None:
    assert with_prerequisites(["files"], MODULES) == {"files", "logging-in", "welcome"}
    assert with_prerequisites(["welcome", "nope"], MODULES) == {"welcome"}


def test_materials_link_is_the_whole_repository(tmp_path: Path) -> None:
    workshop = load_workshop(write(tmp_path, GOOD)).workshop
    hub = DEMO
    assert materials_link(workshop, hub) == pull_all_url(hub.url, hub.materials.repo, hub.materials.branch, "lab")
    # An RStudio-only hub: the link opens RStudio.
    assert "urlpath=rstudio%2F" in materials_link(workshop, RSTUDIO_HUB)


# --- validation, in the hub file's style ----------------------------------------------------------

BAD_FILES = [
    pytest.param({"start": '"9.30"'}, "start: '9.30' is not a time", id="dot-time"),
    pytest.param({"start": '"25:00"'}, "start: '25:00' is not a time; expected a 24-hour time", id="bad-time"),
    pytest.param({"slug": "First Day"}, "slug: 'First Day' is not a valid slug", id="bad-slug"),
    pytest.param({"date": "2026-02-30"}, "date: '2026-02-30' is not a date; expected YYYY-MM-DD", id="bad-date"),
    pytest.param({"timezone": "Mars/Olympus"}, "timezone: 'Mars/Olympus' is not a time zone", id="bad-timezone"),
    pytest.param({"title": None}, "title: required key is missing; add it", id="missing-title"),
    pytest.param({"instructor": "[Ada]"}, "instructor: unknown key; did you mean 'instructors'?", id="unknown-key"),
    pytest.param({"interface": "vscode"}, "interface: 'vscode' is not allowed", id="bad-interface"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_FILES)
def test_bad_workshop_file_gives_one_clean_line(tmp_path: Path, changes: dict[str, str | None], message: str) -> None:
    lines = []
    for line in GOOD.splitlines():
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{key}: {changes[key]}")
        else:
            lines.append(line)
    keys = {line.split(":", 1)[0] for line in GOOD.splitlines()}
    lines += [f"{k}: {v}" for k, v in changes.items() if v is not None and k not in keys]
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(WorkshopFileError) as info:
        load_workshop(path)
    assert any(problem.startswith(f"{path}: {message}") for problem in info.value.problems), info.value.problems


def test_unquoted_time_message_says_to_quote_it(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('start: "09:30"', "start: 10:30"))
    with pytest.raises(WorkshopFileError) as info:
        load_workshop(path)
    assert info.value.problems == [f'{path}: start: 630 is a number; expected a quoted 24-hour time like "09:30"']


BAD_ITEMS = [
    pytest.param("  - brake: 10\n", "items[8].brake: unknown key; did you mean 'break'?", id="typo"),
    pytest.param(
        "  - title: Lunch\n", "items[8]: expected one of: 'module: <id>', 'break: <minutes>'", id="no-minutes"
    ),
    pytest.param("  - module: files\n    title: Files\n", "items[8]: a module item takes its title", id="module-title"),
    pytest.param("  - break: 0\n", "items[8].break: 0 is too small; expected a number >= 1", id="zero-break"),
    pytest.param("  - break: 10\n    minutes: 5\n", "items[8]: a break's minutes are its value", id="break-minutes"),
    pytest.param("  - module: Files!\n", "items[8].module: 'Files!' is not a module id", id="bad-module-id"),
]


@pytest.mark.parametrize(("item", "message"), BAD_ITEMS)
def test_bad_item(tmp_path: Path, item: str, message: str) -> None:
    path = write(tmp_path, GOOD + item)
    with pytest.raises(WorkshopFileError) as info:
        load_workshop(path)
    assert any(problem.startswith(f"{path}: {message}") for problem in info.value.problems), info.value.problems


def test_cli_reports_workshop_problems_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("slug: first-day", "slug: First Day").replace('"09:30"', "9:30"))
    for command in (
        ["check", str(ROOT / "training" / "site" / "hubs" / "demo.yaml"), "--workshop", str(path)],
        ["build", "--workshop", str(path)],
    ):
        result = run_cli(*command)
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            f"{path}: slug: 'First Day' is not a valid slug; expected lowercase letters, digits and dashes",
            f'{path}: start: 570 is a number; expected a quoted 24-hour time like "09:30"',
        ]


def test_hub_key_resolves_against_the_workshop_file(tmp_path: Path) -> None:
    folder = tmp_path / "workshops"
    folder.mkdir()
    path = write(folder, GOOD + "hub: ../hubs/mine.yaml\n")
    assert load_workshop(path).hub_file == folder / "../hubs/mine.yaml"
    assert load_workshop(write(folder, GOOD, "plain.yaml")).hub_file is None


def test_workshop_only_output_folder() -> None:
    assert default_output(DEMO, "first-steps") == ROOT / "_build" / "demo-first-steps" / "html"


def test_build_refuses_a_workshop_for_another_hub(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + f"hub: {HUBS / 'password-rstudio.yaml'}\n")
    result = run_cli("build", str(ROOT / "training" / "site" / "hubs" / "demo.yaml"), "--workshop", str(path))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{path}: hub: names the hub 'r-workshop' but the build is for 'demo'; expected the same hub (or leave one out)"
    )


# --- the checks, each at its line -----------------------------------------------------------------

CHECKED = """\
title: Out of order
slug: out-of-order
date: 2026-02-03
start: "09:30"
timezone: America/New_York
profiles: [small, huge]
items:
  - module: files
  - module: untimed
  - module: logging-in
  - module: needs-dask
  - module: welcom
  - module: welcome
"""


def test_checks_are_located(tmp_path: Path) -> None:
    loaded = load_workshop(write(tmp_path, CHECKED))
    problems = [str(p) for p in check_workshop(loaded, MODULES, SITE, DEMO)]
    path = loaded.path
    assert problems == [
        f"{path}:8: module 'files' comes before its prerequisite 'logging-in' (line 10); move it after",
        f"{path}:8: module 'files' comes before its prerequisite 'welcome' (through logging-in) (line 13); "
        "move it after",
        f"{path}:9: module 'untimed' has no timing (0 teaching and 0 exercise minutes); add 'minutes' to the item",
        f"{path}:10: module 'logging-in' comes before its prerequisite 'welcome' (line 13); move it after",
        f"{path}:11: module 'needs-dask' is not in the site for Example Research Hub: "
        "the hub lacks dask-gateway; remove it",
        f"{path}:12: unknown module 'welcom'; did you mean 'welcome'?",
        f"{path}:6: Example Research Hub has no profile 'huge'; expected one of: gpu, small",
    ]


def test_a_good_workshop_has_no_problems(tmp_path: Path) -> None:
    loaded = load_workshop(write(tmp_path, GOOD))
    assert check_workshop(loaded, MODULES, SITE, DEMO) == []


def test_the_example_workshop_is_valid() -> None:
    loaded = load_workshop(ROOT / "training" / "site" / "pages" / "workshops" / "first-steps.yaml")
    assert isinstance(loaded, LoadedWorkshop)
    assert loaded.workshop.slug == "first-steps"
    assert loaded.hub_file is not None
    assert load_hub_profile(loaded.hub_file).id == "demo"
    result = run_cli("check", str(loaded.hub_file), "--workshop", str(loaded.path))
    assert (result.returncode, result.stdout.strip()) == (0, "OK"), result.stderr
    minutes = total_minutes(agenda_entries(loaded.workshop, read_catalogue(ROOT / "modules").modules))
    assert 150 <= minutes <= 210  # "about 3 hours"


# --- page text ------------------------------------------------------------------------------------


def page_for(tmp_path: Path, hub: Any = DEMO, text: str = GOOD) -> WorkshopPage:
    workshop = Workshop.model_validate(yaml.safe_load(text))
    return WorkshopPage(workshop, agenda_entries(workshop, SITE), hub)


def test_handout_text_for_a_shared_password_hub_never_holds_the_password(tmp_path: Path) -> None:
    page = page_for(tmp_path, RSTUDIO_HUB)
    text = handout_page(page)
    assert "Type the workshop password the instructor gives you in the room" in text
    assert "Wait until RStudio opens" in text
    assert "Server Options" not in text  # this hub has no profile list
    guide = guide_page(page)
    assert "never put it in the e-mail, on the handout or in a public chat" in guide
    assert "- nothing else: you get the workshop password in the room." in guide


def test_login_steps_follow_the_provider() -> None:
    assert any("**Sign in with GitHub**" in step for step in login_steps(DEMO))
    ocean = load_hub_profile(HUBS / "gcp-cilogon.yaml")
    assert any("**Sign in with CILogon**" in step and "institution" in step for step in login_steps(ocean))


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    text = GOOD.replace("title: First day", 'title: "<script>alert(1)</script> [x](javascript:alert(1))"')
    page = page_for(tmp_path, DEMO, text)
    first_line = agenda_page(page).splitlines()[0]
    assert "<script>" not in first_line
    assert "](javascript" not in first_line
    assert "\\<script\\>" in first_line


def test_pdf_page_count() -> None:
    one = (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>>\n3 0 obj <</Type /Page /Parent 2 0 R>> endobj"
    )
    assert pdf_page_count(one) == 1
    assert pdf_page_count(one + b"\n4 0 obj <</Type/Page>>") == 2


def test_handout_is_printed_again_only_when_its_html_changed(tmp_path: Path) -> None:
    from training.sphinx_ext.handout_pdf import HandoutPrint

    html = tmp_path / "handout.html"
    html.write_text("<h1>Agenda</h1>")
    html.with_suffix(".pdf").write_bytes(b"%PDF printed earlier")
    digest = hashlib.sha256(html.read_bytes()).hexdigest()
    stamps = {"first-steps": {"sha256": digest, "pages": 2}}
    # /bin/false as the browser: any attempt to print fails, so success means "not printed".
    same = HandoutPrint("first-steps", html, "/bin/false")
    same.run(stamps)
    assert same.reused and same.error is None
    assert same.pages == 2  # the stamp keeps the page count, so a two-page warning repeats
    html.write_text("<h1>Agenda, changed</h1>")
    changed = HandoutPrint("first-steps", html, "/bin/false")
    changed.run(stamps)
    assert not changed.reused and changed.error is not None  # it tried to print


def test_cold_build_copies_an_unchanged_handout_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from training.sphinx_ext.handout_pdf import HandoutPrint, cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    html = tmp_path / "out" / "handout.html"
    html.parent.mkdir()
    html.write_text("<h1>Agenda</h1>")
    one_page = b"%PDF-1.4\n3 0 obj <</Type /Page>>\n"
    digest = hashlib.sha256(html.read_bytes()).hexdigest()
    cache_folder().mkdir(parents=True)
    (cache_folder() / f"{digest}.pdf").write_bytes(one_page)
    # No stamp (a new output folder) and /bin/false as the browser: only the cache can give the PDF.
    handout = HandoutPrint("first-steps", html, "/bin/false")
    handout.run({})
    assert handout.reused and handout.error is None and handout.pages == 1
    assert html.with_suffix(".pdf").read_bytes() == one_page
    html.write_text("<h1>Agenda, changed</h1>")
    changed = HandoutPrint("first-steps", html, "/bin/false")
    changed.run({})
    assert not changed.reused and changed.error is not None  # a changed handout is printed
