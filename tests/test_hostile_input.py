"""Property-based tests: random and adversarial hub files and module front matter never crash the loader.

The loader always answers with a valid profile or the clean error format (``<file>: <field>: ...``),
never a traceback; dangerous values are rejected or escaped.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from training.hub_profile import DEMO_HUB_FILE, HubFileError, HubProfile, load_hub_profile
from training.hub_values import escape_markdown, substitute
from training.module_info import read_catalogue

DEMO = yaml.safe_load(DEMO_HUB_FILE.read_text())
NASTY_TEXT = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        '"; DROP TABLE users; --',
        "{{ hub.name }}",
        "{% raw %}",
        "x" * 10_000,
        "\u202e\u0000\ufeff",
        "名前 ñ 🚀",
        "[link](javascript:alert(1))",
        "`code` *em* _u_",
        "",
        " ",
        "-1",
        "null",
    ]
)
YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=50), NASTY_TEXT
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
PROBLEM_LINE = re.compile(r"^.+?: [^:]+(?:\[[0-9]+\])?.*?: .+$", re.S)


def _check(data: object) -> HubProfile | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hub.yaml"
        try:
            path.write_text(yaml.safe_dump(data, allow_unicode=True))
        except (yaml.YAMLError, UnicodeEncodeError):
            return None
        try:
            return load_hub_profile(path)
        except HubFileError as exc:
            problems = exc.problems
        assert problems
        for problem in problems:
            assert problem.startswith(f"{path}: "), problem
            assert "Traceback" not in problem
        return None


def _paths(data: dict, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for key, value in data.items():
        found.append((*prefix, key))
        if isinstance(value, dict):
            found += _paths(value, (*prefix, key))
    return found


LEAF_PATHS = _paths(DEMO)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(LEAF_PATHS), value=YAML_VALUES)
def test_any_value_anywhere_gives_a_profile_or_clean_errors(path: tuple[str, ...], value: object) -> None:
    data = yaml.safe_load(DEMO_HUB_FILE.read_text())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    hub = _check(data)
    if hub is not None:  # accepted: then it must be safe to put in a page
        for url in [hub.url, hub.support.url or "", hub.materials.repo]:
            assert not url.lower().startswith(("javascript:", "data:", "vbscript:"))


@settings(max_examples=200, deadline=None)
@given(data=YAML_VALUES)
def test_any_document_gives_a_profile_or_clean_errors(data: object) -> None:
    _check(data)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_random_yaml_text_never_crashes(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hub.yaml"
        path.write_text(text)
        problems: list[str] = []
        try:
            load_hub_profile(path)
        except HubFileError as exc:
            problems = exc.problems
        assert all(p.startswith(str(path)) for p in problems)


def test_javascript_support_url_is_rejected() -> None:
    data = yaml.safe_load(DEMO_HUB_FILE.read_text())
    data["support"]["url"] = "javascript:alert(document.cookie)"
    assert _check(data) is None


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(max_size=200), NASTY_TEXT))
def test_escaped_prose_never_contains_markup(value: str) -> None:
    escaped = escape_markdown(value)
    # Every ASCII punctuation character is preceded by a backslash, so Markdown shows it literally.
    assert not re.search(r"(?<!\\)[<>\[\]`*_&]", escaped.replace("\\\\", ""))
    text, problems = substitute("Name: {{ hub.name }}", {"name": value})
    assert problems == []
    assert "<script" not in text.lower().replace("\\<", "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    front=st.dictionaries(
        st.sampled_from(
            [
                "id",
                "title",
                "summary",
                "audience",
                "teaching",
                "exercises",
                "prerequisites",
                "questions",
                "objectives",
                "keypoints",
                "requires",
                "bogus",
            ]
        ),
        YAML_VALUES,
        max_size=12,
    )
)
def test_module_front_matter_never_crashes(front: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        module = Path(folder) / "m"
        module.mkdir()
        try:
            text = yaml.safe_dump({"module": front}, allow_unicode=True)
        except yaml.YAMLError:
            return
        (module / "index.md").write_text(f"---\n{text}---\n\n# M\n")
        catalogue = read_catalogue(Path(folder))
        for problem in catalogue.problems:
            assert str(problem).startswith(f"{module / 'index.md'}:")
            assert problem.line >= 1
