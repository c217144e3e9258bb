"""Sphinx wiring for ``{{ hub.x }}`` placeholders (the logic lives in :mod:`training.hub_values`)."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx

from training.config import hub_of
from training.hub_values import substitute
from training.warnings import TrainingWarning, warn


#: The opening fence of an ``only-if`` block: its fence and its feature words.
_ONLY_IF = re.compile(r"^\s*(?P<fence>:{3,}|`{3,})\{only-if\}\s+(?P<words>.*?)\s*$")


def dropped_lines(text: str, features: set[str]) -> set[int]:
    """Line numbers (1-based) inside ``only-if`` blocks this hub drops: their placeholders are never shown,
    so a value the hub lacks there is no problem (e.g. the persistent bucket on a hub without one)."""
    dropped: set[int] = set()
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _ONLY_IF.match(lines[index])
        index += 1
        if not match:
            continue
        words = match.group("words").split()
        if all((w.removeprefix("!") in features) != w.startswith("!") for w in words):
            continue
        fence = match.group("fence")
        closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        start = index
        while index < len(lines) and not closing.match(lines[index]):
            index += 1
        dropped.update(range(start, index + 2))
    return dropped


def _replace(app: Sphinx, docname: str, source: list[str]) -> None:
    hub = hub_of(app)
    text, problems = substitute(source[0], hub.values())
    source[0] = text
    skip = dropped_lines(text, hub.features) if problems else set()
    for problem in problems:
        if problem.line in skip:
            continue
        warn(f"{{{{ hub.{problem.key} }}}} {problem.reason}", TrainingWarning.hub_key, (docname, problem.line))


def _replace_included(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    _replace(app, str(relative_path), content)


def setup_substitution(app: Sphinx) -> None:
    app.connect("source-read", _replace)
    app.connect("include-read", _replace_included)
