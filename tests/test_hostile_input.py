"""Property-based tests: random and adversarial hub files and module front matter never crash the loader.

The loader always answers with a valid profile or the clean error format (``<file>: <field>: ...``),
never a traceback; dangerous values are rejected or escaped.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from training.model.hub_profile import (
    DEMO_HUB_FILE,
    HubFileError,
    HubProfile,
    key_text,
    load_hub_profile,
    read_yaml_mapping,
)
from training.model.hub_values import escape_markdown, substitute
from training.model.module_info import read_catalogue

from .conftest import report_gate

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
#: One problem: ``<file>: <dotted.field.path>: <message>``, on one line, the message not empty.
PROBLEM_LINE = re.compile(r"(?P<file>[^\n]+?\.yaml): (?P<field>[^\n]+?): (?P<message>[^\n]*\S)")
#: Fields of problems with the file as a whole rather than one key.
WHOLE_FILE = re.compile(r"\(file\)|\(top level\)|line [0-9]+")

#: What the property tests fed the loader and what came back (one summary line at the end).
STATS: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_hostile_input() -> Iterator[None]:
    yield
    report_gate(
        f"hostile input: {STATS['hub files']} hub files loaded ({STATS['yaml texts']} of them random YAML text): "
        f"{STATS['valid']} valid, {STATS['rejected']} rejected with {STATS['problem lines']} error lines in the "
        f"'<file>: <field>: <message>' format, one line each; "
        f"{STATS['front matters']} module front matters ({STATS['front matter problems']} located problems); "
        f"{STATS['escaped']} values escaped; {STATS['tracebacks']} tracebacks"
    )


def _as_field(key: object) -> str:
    """A key as the loader writes it in a field: an int as an index ``[n]``, else as key_text says."""
    return f"[{key}]" if isinstance(key, int) and not isinstance(key, bool) else key_text(key)


def _names_a_place(field: str, data: object) -> bool:
    """The field is the whole file, or a dotted path starting at a key of the file or of the model."""
    if WHOLE_FILE.fullmatch(field):
        return True
    keys = {*HubProfile.model_fields, *(map(_as_field, data) if isinstance(data, dict) else [])}
    return any(field == key or field.startswith((f"{key}.", f"{key}[")) for key in keys)


def _assert_clean(problem: str, path: Path, data: object) -> None:
    """``problem`` is ``<file>: <dotted.field.path>: <message>`` for this file and a place in ``data``."""
    assert "Traceback" not in problem
    assert "\n" not in problem, f"a problem spans lines: {problem!r}"
    match = PROBLEM_LINE.fullmatch(problem)
    assert match, f"not '<file>: <field>: <message>': {problem!r}"
    assert match["file"] == str(path), problem
    rest = problem[len(f"{path}: ") :]
    # A key may itself contain ": ", so the field ends at one of the ": " in the line; one must fit.
    splits = [(rest[:at], rest[at + 2 :]) for at in range(len(rest)) if rest.startswith(": ", at)]
    assert any(_names_a_place(field, data) and message.strip() for field, message in splits), (
        f"no field of the file in {problem!r}"
    )
    STATS["problem lines"] += 1


def _load(path: Path) -> HubProfile | None:
    """Load a hub file; its problems must all be clean lines. Anything else than HubFileError is a traceback."""
    problems: list[str] = []
    STATS["hub files"] += 1
    try:
        hub = load_hub_profile(path)
    except HubFileError as exc:
        problems = exc.problems
    except Exception:
        STATS["tracebacks"] += 1
        raise
    else:
        STATS["valid"] += 1
        return hub
    assert problems
    try:
        data: object = read_yaml_mapping(path)  # the keys as the loader read them
    except HubFileError:
        data = None
    for problem in problems:
        _assert_clean(problem, path, data)
    STATS["rejected"] += 1
    return None


def _check(data: object) -> HubProfile | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hub.yaml"
        try:
            path.write_text(yaml.safe_dump(data, allow_unicode=True))
        except (yaml.YAMLError, UnicodeEncodeError):
            return None
        return _load(path)


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
        STATS["yaml texts"] += 1
        _load(path)


def test_javascript_support_url_is_rejected() -> None:
    data = yaml.safe_load(DEMO_HUB_FILE.read_text())
    data["support"]["url"] = "javascript:alert(document.cookie)"
    assert _check(data) is None


def test_the_format_check_rejects_what_is_not_the_format() -> None:
    """The check itself: what passes it and what it refuses (the counts in the summary are left as they were)."""
    path = Path("/tmp/x/hub.yaml")
    data = {"login": {}, "a: b": 1, 2: "x"}
    saved = STATS.copy()
    for good in [
        f"{path}: login.provider: required key is missing; add it",
        f"{path}: interfaces[1]: 'bogus' is not allowed",
        f'{path}: "a: b": unknown key; expected one of: id, name',  # a key with ": " is quoted
        f"{path}: line 3: invalid YAML: found a tab",
        f"{path}: (top level): expected a YAML mapping of keys to values, got list",
        f"{path}: [2]: Keys should be strings",
    ]:
        _assert_clean(good, path, data)
    for bad in [
        f"{path}: required key is missing",  # no field
        f"{path}: bogus.key: unknown key",  # names no place in the file or the model
        f"{path}: login: ",  # no message
        f"{path}: login\n.provider: required key is missing",  # spans lines
        "/elsewhere/hub.yaml: login: wrong file",
        f"Traceback (most recent call last): {path}: login: boom",
    ]:
        with pytest.raises(AssertionError):
            _assert_clean(bad, path, data)
    STATS.clear()
    STATS.update(saved)


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(max_size=200), NASTY_TEXT))
def test_escaped_prose_never_contains_markup(value: str) -> None:
    STATS["escaped"] += 1
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
        STATS["front matters"] += 1
        catalogue = read_catalogue(Path(folder))
        STATS["front matter problems"] += len(catalogue.problems)
        for problem in catalogue.problems:
            assert str(problem).startswith(f"{module / 'index.md'}:")
            assert problem.line >= 1
