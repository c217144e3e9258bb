"""Quizzes, progress places and instructor notes in the built HTML; no browser.

The site is ``tests/sites/learner_tools``: two modules with quizzes and notes, a Start-here path and
the "Instructor notes" page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from docutils import nodes

from training.sphinx_ext.instructor import group_of
from training.sphinx_ext.quiz import _module_id, _strip_mark

from .conftest import ROOT, SITES, BuiltSite, run_sphinx

FIRST = "modules/first/index.html"
NOTE_TEXT = "Ask who has used a terminal before"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    out = tmp_path_factory.mktemp("learner_tools") / "html"
    result = run_sphinx(SITES / "learner_tools", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(out, result.returncode, result.stdout + result.stderr)


def visible_text(soup: BeautifulSoup) -> str:
    """The article's text as a reader sees it: without ``hidden`` elements."""
    article = soup.select_one("article")
    assert article is not None
    for hidden in article.select("[hidden]"):
        hidden.decompose()
    return " ".join(article.get_text(" ").split())


def quizzes(site: BuiltSite) -> list[Tag]:
    found = site.page(FIRST).select("div.training-quiz")
    assert len(found) == 2
    return found


# --- quiz markup -----------------------------------------------------------------------------------


def test_each_quiz_is_a_fieldset_with_its_question_as_legend(site: BuiltSite) -> None:
    single, multiple = quizzes(site)
    for quiz, question, hint in [
        (single, "Which command lists the files in your home folder?", "Choose one."),
        (multiple, "Which of these survive when your server stops?", "Choose all that apply."),
    ]:
        legend = quiz.select_one("fieldset > legend")
        assert legend is not None
        assert " ".join(legend.get_text(" ").split()) == f"{question} {hint}"
    # Blocks between the question and the options stay inside the fieldset.
    assert multiple.select_one("fieldset .training-quiz-context div.highlight-python") is not None


def test_options_are_real_inputs_with_labels(site: BuiltSite) -> None:
    single, multiple = quizzes(site)
    page = site.page(FIRST)
    all_ids = [tag["id"] for tag in page.select("[id]")]
    for quiz, input_type, labels in [
        (single, "radio", ["ls ~", "cd ~", "pwd"]),
        (multiple, "checkbox", ["Files in your home folder", "The variable x above", "A notebook you saved"]),
    ]:
        inputs = quiz.select("fieldset input")
        assert [i["type"] for i in inputs] == [input_type] * len(labels)
        assert {i["name"] for i in inputs} == {quiz["id"]}  # one group per question
        for field, text in zip(inputs, labels, strict=True):
            assert all_ids.count(field["id"]) == 1
            label = quiz.select_one(f'label[for="{field["id"]}"]')
            assert label is not None
            assert " ".join(label.get_text(" ").split()) == text
    assert quizzes(site)[0]["data-quiz-type"] == "single"
    assert quizzes(site)[1]["data-quiz-type"] == "multiple"


def test_feedback_goes_to_a_polite_live_region_that_is_in_the_page_from_the_start(site: BuiltSite) -> None:
    for quiz in quizzes(site):
        region = quiz.select_one(".training-quiz-feedback")
        assert region is not None
        assert region["aria-live"] == "polite"
        assert region.get_text(strip=True) == ""


def test_check_button_waits_for_javascript(site: BuiltSite) -> None:
    for quiz in quizzes(site):
        button = quiz.select_one("button.training-quiz-check")
        assert button is not None
        assert button["type"] == "button"
        assert button.has_attr("hidden")  # quiz.js shows it; without JS it would do nothing
        assert button.get_text(strip=True) == "Check answer"


def test_without_javascript_the_answers_sit_in_a_collapsed_details_block(site: BuiltSite) -> None:
    single, multiple = quizzes(site)
    for quiz, correct in [(single, ["true", "false", "false"]), (multiple, ["true", "false", "true"])]:
        details = quiz.select_one("details.training-quiz-answers")
        assert details is not None
        assert not details.has_attr("open")
        assert details.select_one("summary").get_text(strip=True)
        answers = details.select("li.training-quiz-answer")
        assert [a["data-correct"] for a in answers] == correct
        assert [a["data-option"] for a in answers] == [i["id"] for i in quiz.select("fieldset input")]
        for answer, right in zip(answers, correct, strict=True):
            verdict = answer.select_one(".training-quiz-verdict").get_text(strip=True)
            assert verdict == ("Right:" if right == "true" else "Wrong:")  # words, not colour
    explanations = [" ".join(e.get_text(" ").split()) for e in single.select(".training-quiz-explanation")]
    assert explanations == [
        "Right: ~ stands for your home folder.",
        "Not quite: cd moves you there but lists nothing.",
        "No: pwd prints the folder you are in.",
    ]


def test_quiz_knows_its_module_from_the_page_name(site: BuiltSite) -> None:
    assert [q["data-module"] for q in quizzes(site)] == ["first", "first"]
    assert _module_id("modules/first/index", "modules") == "first"
    assert _module_id("modules/first/part-2", "modules") == "first"
    assert _module_id("docs/start-here", "modules") is None


@pytest.mark.parametrize(
    ("checkbox", "expected"),
    [
        ('<input class="task-list-item-checkbox" checked="checked" disabled="disabled" type="checkbox">', True),
        ('<input class="task-list-item-checkbox" disabled="disabled" type="checkbox">', False),
    ],
)
def test_myst_tasklist_checkboxes_count_as_marks(checkbox: str, expected: bool) -> None:
    """With MyST's ``tasklist`` extension on, ``[x]`` arrives as a raw checkbox, not as text."""
    paragraph = nodes.paragraph("", "", nodes.raw("", checkbox, format="html"), nodes.Text(" ls ~"))
    assert _strip_mark(paragraph) is expected
    assert paragraph.astext() == "ls ~"


def test_quiz_mistakes_are_located_build_warnings(tmp_path: Path) -> None:
    result = run_sphinx(SITES / "quiz_errors", tmp_path / "html")
    assert result.returncode != 0
    found = re.findall(r"index\.md:(\d+): WARNING: quiz: (.*) \[training\.directive\]", result.stderr)
    expected = [
        (3, "no option is marked right"),
        (14, "2 options are marked right in a single-choice quiz"),  # the second [x]
        (17, "no options"),
        (25, "each option must start with '[x] ' (right) or '[ ] ' (wrong)"),  # the unmarked option
        (28, "':type: several' is not one of single, multiple"),
        (37, "a quiz needs at least two options"),
        (49, "only the question may come before the options, nothing after them"),  # the stray paragraph
        (52, "the quiz must start with its question, as a paragraph"),
    ]
    assert len(found) == len(expected), result.stderr
    for (line, message), (expected_line, start) in zip(found, expected, strict=True):
        assert (int(line), message[: len(start)]) == (expected_line, start)


# --- progress places (written by modules.py, used by progress.js) ----------------------------------


def test_module_pages_and_path_carry_what_progress_js_needs(site: BuiltSite) -> None:
    slot = site.page(FIRST).select_one("div.training-progress-slot")
    assert slot is not None
    assert slot["data-module"] == "first"
    start = site.page("start.html")
    items = start.select("ol.training-path > li[data-module]")
    assert [(li["data-module"], li["data-minutes"]) for li in items] == [("first", "25"), ("second", "30")]
    assert start.select_one("ol.training-path ~ p.training-path-summary")["data-total-minutes"] == "55"


# --- instructor notes ------------------------------------------------------------------------------


def test_notes_are_hidden_in_the_learner_view(site: BuiltSite) -> None:
    page = site.page(FIRST)
    notes = page.select(".training-instructor-note")
    assert len(notes) == 1
    note = notes[0]
    assert note.has_attr("hidden")  # skipped by screen readers and copy-paste too
    assert note["data-instructor-note"] == "true"
    assert note["role"] == "note"
    assert NOTE_TEXT in note.get_text()  # in the page, for the instructor view ...
    assert NOTE_TEXT not in visible_text(site.page(FIRST))  # ... but not in what a learner sees
    assert "This module runs short" not in visible_text(site.page("modules/second/index.html"))


def test_notes_page_collects_every_note_grouped_by_module(site: BuiltSite) -> None:
    page = site.page("instructor-notes.html")
    groups = page.select("section.training-notes-group")
    headings = [(g.select_one("h2 a.reference")["href"], g.select_one("h2 a.reference").get_text()) for g in groups]
    assert headings == [("modules/first/index.html", "First module"), ("modules/second/index.html", "Second module")]
    second = groups[1]
    assert [n.select_one(".admonition-title").get_text() for n in second.select(".training-instructor-note")] == [
        "Instructor note: Timing",
        "Instructor note",
    ]
    # A note from a sub-page of a module is listed under the module, with a link to its own page.
    source = second.select_one(".training-note-source a")
    assert (source["href"], source.get_text()) == ("modules/second/details.html", "Stopping in detail")
    assert NOTE_TEXT in visible_text(page)  # shown, not hidden, on this page
    assert "Show the hub control panel on the projector." in visible_text(page)
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))


def test_notes_page_follows_edits_in_an_incremental_build(tmp_path: Path) -> None:
    """The registry is purged and refilled per page, and the notes page is re-read when a page changes."""
    source = tmp_path / "src"
    shutil.copytree(SITES / "learner_tools", source)
    out = tmp_path / "html"
    assert run_sphinx(source, out).returncode == 0
    details = source / "modules" / "second" / "details.md"
    details.write_text(details.read_text().replace("Show the hub control panel", "Show the hub home page"))
    first = source / "modules" / "first" / "index.md"
    first.write_text(re.sub(r":::\{instructor-note\}\n.*?\n:::\n", "", first.read_text(), flags=re.S))
    result = run_sphinx(source, out)
    assert result.returncode == 0, result.stdout + result.stderr
    text = visible_text(BeautifulSoup((out / "instructor-notes.html").read_text(), "html.parser"))
    assert "Show the hub home page on the projector." in text
    assert "control panel" not in text
    assert NOTE_TEXT not in text
    assert "First module" not in text  # no notes left there: no group


def test_notes_page_in_a_parallel_build(tmp_path: Path) -> None:
    """Notes read by worker processes are merged back (env-merge-info)."""
    out = tmp_path / "html"
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-j", "2", "-d", str(out / ".doctrees")]
    result = subprocess.run(
        [*args, str(SITES / "learner_tools"), str(out)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((out / "instructor-notes.html").read_text(), "html.parser")
    assert len(page.select("section.training-notes-group .training-instructor-note")) == 3


def test_notes_group_under_their_module_page() -> None:
    docs = {"modules/first/index", "modules/first/part-2", "docs/setup"}
    assert group_of("modules/first/part-2", "modules", docs) == "modules/first/index"
    assert group_of("modules/first/index", "modules", docs) == "modules/first/index"
    assert group_of("docs/setup", "modules", docs) == "docs/setup"
    assert group_of("modules/orphan/page", "modules", docs) == "modules/orphan/page"
