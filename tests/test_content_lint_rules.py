"""Content lint rules for text that reads as generated: an empty heading, a heading repeated by the
box under it, and a hub value that is a sentence where pages expect a name. Each rule has a failing
and a passing case, on docutils trees and in a real build (located warnings under -W)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes

from training.model.hub_profile import HubProfile, load_hub_profile
from training.sphinx_ext.content_lint import heading_problems, hub_value_problems, sentence_problem

from .conftest import HUBS, run_sphinx
from .test_content_lint import make_module_site


def section(title: str, *children: nodes.Node) -> nodes.section:
    node = nodes.section(ids=[nodes.make_id(title)])
    node += nodes.title("", title)
    node.extend(children)
    return node


def box(title: str, text: str) -> nodes.admonition:
    node = nodes.admonition()
    node += nodes.title("", title)
    node += nodes.paragraph("", text)
    return node


def test_an_empty_heading_is_found() -> None:
    tree = section("Page", section("Instructor notes", nodes.comment("", "only for instructors")))
    assert [message for _, message in heading_problems(tree)] == [
        "heading 'Instructor notes' has no content a learner sees; remove it"
    ]


def test_a_heading_with_content_passes() -> None:
    assert heading_problems(section("Page", section("Notes", nodes.paragraph("", "Text.")))) == []


def test_a_heading_repeated_by_its_box_is_found() -> None:
    tree = section("Page", section("When something goes wrong", box("When something goes wrong", "Do this.")))
    assert [message for _, message in heading_problems(tree)] == [
        "heading 'When something goes wrong' is repeated as the title of the box under it; "
        "give the box another title or drop one of them"
    ]


def test_a_box_with_its_own_title_passes() -> None:
    tree = section("Page", section("When something goes wrong", box("Common problems, and what to do", "Do this.")))
    assert heading_problems(tree) == []


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Ask your instructor", "starts with 'Ask', an instruction"),
        ("Contact the help desk", "starts with 'Contact', an instruction"),
        ("The help desk answers e-mails.", "ends like a sentence"),
    ],
)
def test_a_sentence_where_a_name_is_expected_is_found(value: str, reason: str) -> None:
    assert sentence_problem(value) == reason


@pytest.mark.parametrize(
    "value", ["your instructor", "#hub-help on the Example Lab Slack", "the Ocean hub help desk", "Other..."]
)
def test_a_name_passes(value: str) -> None:
    assert sentence_problem(value) is None


def test_hub_value_problems_name_the_key() -> None:
    data = load_hub_profile(HUBS / "password-rstudio.yaml").model_dump(mode="json")
    data["support"]["name"] = "Ask your instructor"
    (problem,) = hub_value_problems(HubProfile.model_validate(data))
    assert problem == (
        "support.name",
        "support.name 'Ask your instructor' starts with 'Ask', an instruction; pages put it inside sentences "
        "such as 'tell <support.name>', so write a name, e.g. 'your instructor' or '#hub-help on Slack'",
    )
    for hub_file in [None, *sorted(HUBS.glob("*.yaml"))]:
        if hub_file is None or hub_file.name != "hostile.yaml":
            assert hub_value_problems(load_hub_profile(hub_file)) == [], hub_file


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Text.\n\n## Empty\n\n## Full\n\nText.\n", "heading 'Empty' has no content a learner sees"),
        (
            "Text.\n\n## Trouble\n\n```{admonition} Trouble\nDo this.\n```\n",
            "heading 'Trouble' is repeated as the title of the box under it",
        ),
    ],
)
def test_the_rules_break_the_build_with_location(tmp_path: Path, body: str, message: str) -> None:
    src = make_module_site(tmp_path / "site", body)
    result = run_sphinx(src, tmp_path / "out")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "modules/m/index.md:18:" in output and message in output, output


@pytest.mark.slow
def test_a_sentence_as_support_name_breaks_the_build_at_its_line(tmp_path: Path) -> None:
    hub = tmp_path / "hub.yaml"
    text = (HUBS / "password-rstudio.yaml").read_text(encoding="utf-8")
    hub.write_text(text.replace("name: your instructor", "name: Ask your instructor"), encoding="utf-8")
    line = hub.read_text(encoding="utf-8").split("\n").index("  name: Ask your instructor") + 1
    src = make_module_site(tmp_path / "site", "Text.\n")
    result = run_sphinx(src, tmp_path / "out", hub)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{hub}:{line}: WARNING: support.name 'Ask your instructor' starts with 'Ask'" in output, output
