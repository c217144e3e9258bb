"""Quizzes, progress, the instructor view and synced Python/R tabs in Debian's Chromium, and
their quality gates.

Mouse and keyboard-only use, what survives a reload, axe on our components (light and dark, learner
and instructor view) and a visible focus ring on every control we add. The ``page`` fixture blocks
every request off 127.0.0.1; each test ends by checking that none was made.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from training.gates.static_server import serve_directory
from training.sphinx_ext.progress import storage_key

from .conftest import SITES, run_sphinx

STORAGE_KEY = storage_key("demo")  # the test sites are built for the demo hub

pytestmark = pytest.mark.browser

FIRST = "modules/first/index.html"
SECOND = "modules/second/index.html"
NOTE_TEXT = "Ask who has used a terminal before"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("learner_tools_browser") / "html"
    result = run_sphinx(SITES / "learner_tools", out)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_directory(out) as base:
        yield base


@pytest.fixture
def site(page: Page, url: str) -> Iterator[Page]:
    """The page, failing the test on any script error or any request to another host."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == []
    assert page.blocked_requests == []  # type: ignore[attr-defined]


def stored_progress(page: Page) -> dict[str, Any] | None:
    raw = page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})")
    return json.loads(raw) if raw else None


def tab_to(page: Page, target: Locator, limit: int = 150) -> None:
    """Press Tab from the top of the page until ``target`` has focus: proves it is reachable."""
    page.locator("body").focus()
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", handle):
            return
    pytest.fail(f"Tab never reached {target}")


def quiz(page: Page, number: int) -> Locator:
    return page.locator(f"#training-quiz-{number}")


# --- quizzes ---------------------------------------------------------------------------------------


def test_single_choice_wrong_then_right_with_the_mouse(site: Page, url: str) -> None:
    site.goto(url + FIRST)
    first = quiz(site, 1)
    feedback = first.locator(".training-quiz-feedback")
    check = first.get_by_role("button", name="Check answer")
    expect(check).to_be_visible()

    check.click()
    expect(feedback).to_have_text("Choose an answer first.")

    first.get_by_label("cd ~").check()
    check.click()
    expect(feedback).to_contain_text("Not quite.")
    expect(feedback).to_contain_text("You chose “cd ~”: wrong.")
    expect(feedback).to_contain_text("cd moves you there but lists nothing.")
    expect(first).to_have_attribute("data-state", "incorrect")

    first.get_by_label("ls ~").check()
    expect(feedback).to_be_empty()  # a changed answer clears the old verdict
    check.click()
    expect(feedback).to_contain_text("Correct!")
    expect(feedback).to_contain_text("~ stands for your home folder.")
    expect(first).to_have_attribute("data-state", "correct")
    expect(feedback).to_have_attribute("aria-live", "polite")


def test_multiple_choice_says_what_is_wrong_and_what_is_missing(site: Page, url: str) -> None:
    site.goto(url + FIRST)
    second = quiz(site, 2)
    feedback = second.locator(".training-quiz-feedback")
    second.get_by_label("Files in your home folder").check()
    second.get_by_label("The variable x above").check()
    second.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("Not quite: 1 of your choices is wrong, and you missed 1 right answer.")
    # Sphinx's smart quotes turn the apostrophe into U+2019.
    expect(feedback).to_contain_text("No: it lives in the kernel\N{RIGHT SINGLE QUOTATION MARK}s memory")

    second.get_by_label("The variable x above").uncheck()
    second.get_by_label("A notebook you saved").check()
    second.get_by_role("button", name="Check answer").click()
    expect(feedback).to_contain_text("Correct!")
    expect(feedback).to_contain_text("saved notebooks are files in your home folder.")


def test_quizzes_with_the_keyboard_only(site: Page, url: str) -> None:
    site.goto(url + FIRST)
    first, second = quiz(site, 1), quiz(site, 2)
    radios = first.locator("input[type=radio]")

    tab_to(site, radios.nth(0))  # Tab enters the radio group on its first option
    site.keyboard.press("ArrowDown")  # ... arrows choose: "cd ~", wrong
    expect(radios.nth(1)).to_be_checked()
    site.keyboard.press("Tab")
    expect(first.locator(".training-quiz-check")).to_be_focused()
    site.keyboard.press("Enter")
    expect(first.locator(".training-quiz-feedback")).to_contain_text("Not quite.")

    site.keyboard.press("Shift+Tab")  # back into the group, on the checked option
    site.keyboard.press("ArrowUp")
    expect(radios.nth(0)).to_be_checked()
    site.keyboard.press("Tab")
    site.keyboard.press("Space")
    expect(first.locator(".training-quiz-feedback")).to_contain_text("Correct!")

    # The answers block opens from the keyboard too.
    site.keyboard.press("Tab")
    expect(first.locator("details summary")).to_be_focused()
    site.keyboard.press("Enter")
    expect(first.locator("details")).to_have_attribute("open", "")

    boxes = second.locator("input[type=checkbox]")
    tab_to(site, boxes.nth(0))
    site.keyboard.press("Space")
    site.keyboard.press("Tab")
    site.keyboard.press("Tab")
    expect(boxes.nth(2)).to_be_focused()
    site.keyboard.press("Space")
    site.keyboard.press("Tab")
    site.keyboard.press("Enter")
    expect(second.locator(".training-quiz-feedback")).to_contain_text("Correct!")


def test_passing_every_quiz_of_a_module_marks_it_done(site: Page, url: str) -> None:
    site.goto(url + FIRST)
    toggle = site.get_by_role("button", name="Mark this module as done")
    expect(toggle).to_have_attribute("aria-pressed", "false")

    quiz(site, 1).get_by_label("ls ~").check()
    quiz(site, 1).get_by_role("button", name="Check answer").click()
    expect(quiz(site, 1).locator(".training-quiz-feedback")).to_contain_text("Correct!")
    expect(toggle).to_have_attribute("aria-pressed", "false")  # one of two quizzes is not enough

    second = quiz(site, 2)
    second.get_by_label("Files in your home folder").check()
    second.get_by_label("A notebook you saved").check()
    second.get_by_role("button", name="Check answer").click()
    expect(second.locator(".training-quiz-feedback")).to_contain_text("this module is marked as done")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert list(stored_progress(site)["done"]) == ["first"]  # type: ignore[index]


# --- progress --------------------------------------------------------------------------------------


def test_progress_survives_a_reload_and_shows_on_the_path(site: Page, url: str) -> None:
    site.goto(url + SECOND)
    toggle = site.get_by_role("button", name="Mark this module as done")
    status = site.locator(".training-progress-status")
    expect(status).to_have_text("Not done yet. Your progress is saved in this browser only.")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(status).to_have_text("Done. Saved in this browser only.")
    expect(status).to_have_attribute("role", "status")

    site.reload()
    expect(site.get_by_role("button", name="Mark this module as done")).to_have_attribute("aria-pressed", "true")
    stored = stored_progress(site)
    assert stored is not None
    assert stored["version"] == 1
    assert list(stored["done"]) == ["second"]

    site.goto(url + "start.html")
    expect(site.locator('li[data-module="second"]')).to_contain_text("Done")  # words, not colour only
    expect(site.locator('li[data-module="first"]')).not_to_contain_text("Done")
    expect(site.locator(".training-path-summary")).to_contain_text(
        "2 modules, 55 min in total. You have done 1 of 2 modules; 25 min left."
    )


def test_reset_asks_first_and_can_be_cancelled(site: Page, url: str) -> None:
    site.goto(url + SECOND)
    site.get_by_role("button", name="Mark this module as done").click()
    site.goto(url + "start.html")
    reset = site.get_by_role("button", name="Reset my progress", exact=True)
    confirm = site.get_by_role("group", name="Forget which modules you have done, in this browser?")

    reset.click()
    expect(confirm).to_be_visible()
    expect(reset).to_have_attribute("aria-expanded", "true")
    site.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(reset).to_be_focused()
    expect(site.locator('li[data-module="second"]')).to_contain_text("Done")

    reset.click()
    site.get_by_role("button", name="Yes, reset my progress").click()
    expect(site.locator(".training-reset-status")).to_have_text("Your progress was reset.")
    expect(site.locator(".training-done-badge")).to_have_count(0)
    expect(site.locator(".training-path-summary")).to_contain_text("You have done 0 of 2 modules; 55 min left.")
    assert stored_progress(site) is None

    site.reload()
    expect(site.locator(".training-done-badge")).to_have_count(0)
    site.goto(url + SECOND)
    expect(site.get_by_role("button", name="Mark this module as done")).to_have_attribute("aria-pressed", "false")


def test_progress_with_the_keyboard_only(site: Page, url: str) -> None:
    site.goto(url + FIRST)
    toggle = site.get_by_role("button", name="Mark this module as done")
    tab_to(site, toggle)
    site.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    site.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    site.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-pressed", "true")

    site.goto(url + "start.html")
    expect(site.locator('li[data-module="first"]')).to_contain_text("Done")
    tab_to(site, site.get_by_role("button", name="Reset my progress", exact=True))
    site.keyboard.press("Enter")
    expect(site.get_by_role("button", name="Yes, reset my progress")).to_be_focused()
    site.keyboard.press("Escape")  # Escape cancels
    expect(site.get_by_role("button", name="Reset my progress", exact=True)).to_be_focused()
    expect(site.locator('li[data-module="first"]')).to_contain_text("Done")
    site.keyboard.press("Enter")
    site.keyboard.press("Enter")
    expect(site.locator(".training-done-badge")).to_have_count(0)


def test_damaged_progress_does_not_break_the_page(site: Page, url: str) -> None:
    site.goto(url + "start.html")
    site.evaluate(f"localStorage.setItem({STORAGE_KEY!r}, '{{not json')")
    site.reload()
    expect(site.locator(".training-path-summary")).to_contain_text("You have done 0 of 2 modules")
    site.evaluate(f"localStorage.setItem({STORAGE_KEY!r}, JSON.stringify({{version: 99, done: {{first: 1}}}}))")
    site.reload()
    expect(site.locator(".training-done-badge")).to_have_count(0)  # an unknown version is ignored


# --- instructor view -------------------------------------------------------------------------------


def test_instructor_toggle_shows_and_hides_notes_and_is_remembered(site: Page, url: str) -> None:
    site.goto(url + FIRST)
    note = site.locator(".training-instructor-note")
    toggle = site.get_by_role("button", name="Instructor view")
    expect(toggle).to_have_count(1)
    expect(site.locator(".article-header-buttons .training-view-toggle")).to_be_visible()  # in the header
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(note).to_be_hidden()
    assert NOTE_TEXT not in site.locator("article").inner_text()

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(note).to_be_visible()
    expect(note).to_contain_text(NOTE_TEXT)

    site.reload()
    expect(site.locator(".training-instructor-note")).to_be_visible()
    site.goto(url + SECOND)  # remembered on every page
    expect(site.locator(".training-instructor-note")).to_contain_text("This module runs short")
    site.get_by_role("button", name="Instructor view").click()
    expect(site.locator(".training-instructor-note")).to_be_hidden()
    site.goto(url + FIRST)
    expect(site.locator(".training-instructor-note")).to_be_hidden()


def test_view_parameter_opens_a_shared_link_in_that_view(site: Page, url: str) -> None:
    site.goto(url + FIRST + "?view=instructor")
    expect(site.locator(".training-instructor-note")).to_be_visible()
    expect(site.get_by_role("button", name="Instructor view")).to_have_attribute("aria-pressed", "true")
    site.goto(url + SECOND)  # the link's choice stays for the visit
    expect(site.locator(".training-instructor-note")).to_be_visible()

    site.goto(url + FIRST + "?view=learner")
    expect(site.locator(".training-instructor-note")).to_be_hidden()
    expect(site.get_by_role("button", name="Instructor view")).to_have_attribute("aria-pressed", "false")

    # Toggling on a shared link updates its ?view=, so a reload keeps what the reader chose.
    site.get_by_role("button", name="Instructor view").click()
    assert site.url.endswith("?view=instructor")
    site.reload()
    expect(site.locator(".training-instructor-note")).to_be_visible()


def test_instructor_toggle_with_the_keyboard_only(site: Page, url: str) -> None:
    site.goto(url + FIRST)
    toggle = site.get_by_role("button", name="Instructor view")
    tab_to(site, toggle)
    site.keyboard.press("Enter")
    expect(site.locator(".training-instructor-note")).to_be_visible()
    site.keyboard.press("Space")
    expect(site.locator(".training-instructor-note")).to_be_hidden()


# --- synced Python / R tabs (sphinx-design) -------------------------------------------------------
#
# sphinx-design renders each tab as a radio input (opacity 0, still focusable) followed by its label
# and panel; design-tabs.js copies a change to every tab of the same sync id and stores the choice in
# localStorage under "sphinx-design-tab-id-" + the sync group ("tab" by default). Keyboard use is the
# browser's own radio group: one Tab stop per set, arrow keys choose (and wrap); Home and End do nothing.

TABS = "tabs.html"
TAB_STORAGE_KEY = "sphinx-design-tab-id-tab"
RING = (
    "el => { const s = getComputedStyle(el);"
    " return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor] }"
)


def tab_sets(page: Page) -> tuple[Locator, Locator]:
    sets = page.locator(".sd-tab-set")
    expect(sets).to_have_count(2)
    return sets.nth(0), sets.nth(1)


def tab_label(tab_set: Locator, language: str) -> Locator:
    return tab_set.locator(f"label.sd-tab-label[data-sync-id={language}]")


def expect_language(page: Page, language: str) -> None:
    """In both sets: the chosen language's radio checked and its panel shown, the other's hidden."""
    for tab_set in tab_sets(page):
        labels = tab_set.locator("label.sd-tab-label")
        expect(labels).to_have_text(["Python", "R"])
        for label in labels.all():
            radio = page.locator("#" + label.get_attribute("for"))  # type: ignore[operator]
            panel = page.locator("#" + label.get_attribute("aria-controls"))  # type: ignore[operator]
            if label.get_attribute("data-sync-id") == language:
                expect(radio).to_be_checked()
                expect(panel).to_be_visible()
            else:
                expect(radio).not_to_be_checked()
                expect(panel).to_be_hidden()


def stored_tab(page: Page) -> str | None:
    return page.evaluate(f"localStorage.getItem({TAB_STORAGE_KEY!r})")


def test_synced_tabs_switch_together_and_are_remembered(site: Page, url: str) -> None:
    site.goto(url + TABS)
    first, second = tab_sets(site)
    expect(first.locator(".sd-tab-content").first).to_contain_text('print("hello")')
    expect(second.locator(".sd-tab-content").nth(1)).to_contain_text('install.packages("cmocean")')
    expect_language(site, "python")  # the first tab until the reader chooses
    assert stored_tab(site) is None

    tab_label(first, "r").click()
    expect_language(site, "r")  # the second set followed
    assert stored_tab(site) == "r"

    site.reload()  # sphinx-design remembers the choice (localStorage) ...
    expect_language(site, "r")

    tab_label(tab_sets(site)[1], "python").click()  # ... and either set leads
    expect_language(site, "python")
    assert stored_tab(site) == "python"
    site.reload()
    expect_language(site, "python")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_synced_tabs_with_the_keyboard_only(site: Page, url: str, scheme: str) -> None:
    site.emulate_media(color_scheme=scheme)
    site.goto(url + TABS)
    first, second = tab_sets(site)
    python, r = first.get_by_role("radio", name="Python"), first.get_by_role("radio", name="R")
    python_label, r_label = tab_label(first, "python"), tab_label(first, "r")
    # The radio is invisible (opacity 0): the focus indicator has to be drawn on its label.
    assert python.evaluate("el => getComputedStyle(el).opacity") == "0"
    box = python_label.bounding_box()
    assert box is not None
    clip = {"x": box["x"] - 6, "y": box["y"] - 6, "width": box["width"] + 12, "height": box["height"] + 12}
    unfocused, unfocused_pixels = python_label.evaluate(RING), site.screenshot(clip=clip)

    tab_to(site, python)  # one Tab stop per set, on its checked tab
    assert python.evaluate("el => el.matches(':focus-visible')")
    focused = python_label.evaluate(RING)
    assert focused != unfocused
    style, width, color, shadow = focused[:4]
    assert (style not in ("none", "hidden") and float(width.removesuffix("px")) >= 2) or shadow != "none"
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")
    assert site.screenshot(clip=clip) != unfocused_pixels  # the ring is painted, not only computed

    site.keyboard.press("ArrowRight")  # arrows choose: both sets switch
    expect(r).to_be_focused()
    expect_language(site, "r")
    assert stored_tab(site) == "r"
    assert r_label.evaluate(RING)[0] not in ("none", "hidden")  # the ring moved with the focus
    assert python_label.evaluate(RING)[0] == "none"

    site.keyboard.press("ArrowRight")  # the group wraps around
    expect(python).to_be_focused()
    expect_language(site, "python")
    site.keyboard.press("ArrowLeft")
    expect_language(site, "r")

    site.keyboard.press("Tab")  # on to the second set, on its checked tab, which followed the first
    expect(second.get_by_role("radio", name="R")).to_be_focused()
    site.keyboard.press("ArrowUp")
    expect(second.get_by_role("radio", name="Python")).to_be_focused()
    expect_language(site, "python")
    assert stored_tab(site) == "python"

    site.reload()
    expect_language(site, "python")


# --- quality gates ----------------------------------------------------------------------------------

OUR_PARTS = [
    ".training-quiz",
    ".training-progress-slot",
    ".training-path",
    ".training-path-summary",
    ".training-progress-reset",
    ".training-view-toggle",
    ".training-instructor-note",
    ".training-notes-group",
]


def show_everything(page: Page) -> None:
    """Put every state of our components on screen: feedback, open answers, confirm step."""
    for number in (1, 2):
        if page.locator(f"#training-quiz-{number}").count():
            quiz(page, number).locator("input").first.check()
            quiz(page, number).get_by_role("button", name="Check answer").click()
            expect(quiz(page, number).locator(".training-quiz-result")).to_be_visible()
            quiz(page, number).locator("details summary").click()
    if page.locator(".training-progress-reset").count():
        page.get_by_role("button", name="Reset my progress", exact=True).click()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", ["learner", "instructor"])
@pytest.mark.parametrize("name", ["index.html", "start.html", FIRST, SECOND, "instructor-notes.html"])
def test_axe_finds_nothing_in_our_components(site: Page, url: str, name: str, view: str, scheme: str) -> None:
    """Zero violations of any impact inside our components.

    Axe is limited to our parts: the theme's own findings (the sidebar brand outside a landmark, the
    unnamed sidebar ``<summary>``) and the announcement bar belong to the site-wide gate.
    """
    site.emulate_media(color_scheme=scheme)
    if name == FIRST:
        site.goto(url + "index.html")
        site.evaluate(f"localStorage.setItem({STORAGE_KEY!r}, JSON.stringify({{version: 1, done: {{first: 'x'}}}}))")
    site.goto(url + name + f"?view={view}")
    expect(site.locator("html")).to_have_attribute("data-theme", scheme)
    expect(site.locator(".training-view-toggle")).to_have_attribute("aria-pressed", str(view == "instructor").lower())
    show_everything(site)
    present = [[selector] for selector in OUR_PARTS if site.locator(selector).count()]
    results = Axe().run(site, context={"include": present})
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
    assert violations == []


FOCUSABLE = [
    (FIRST, "#training-quiz-1 input[type=radio] >> nth=0"),
    (FIRST, "#training-quiz-2 input[type=checkbox] >> nth=0"),
    (FIRST, "#training-quiz-1 .training-quiz-check"),
    (FIRST, "#training-quiz-1 details summary"),
    (FIRST, ".training-progress-toggle"),
    (FIRST, ".training-view-toggle"),
    ("start.html", ".training-reset-open"),
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("name", "selector"), FOCUSABLE)
def test_keyboard_focus_ring_is_visible(site: Page, url: str, name: str, selector: str, scheme: str) -> None:
    site.emulate_media(color_scheme=scheme)
    site.goto(url + name)
    target = site.locator(selector)
    expect(target).to_be_visible()
    ring = (
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow] }"
    )
    before = target.evaluate(ring)
    tab_to(site, target)
    assert target.evaluate("el => el.matches(':focus-visible')")
    style, width, color, shadow = target.evaluate(ring)
    assert [style, width, color, shadow] != before
    assert (style not in ("none", "hidden") and float(width.removesuffix("px")) >= 2) or shadow != "none"
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")
