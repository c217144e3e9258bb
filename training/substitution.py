"""Sphinx wiring for ``{{ hub.x }}`` placeholders (the logic lives in :mod:`training.hub_values`)."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from training.config import hub_of
from training.hub_values import substitute
from training.warnings import TrainingWarning, warn


def _replace(app: Sphinx, docname: str, source: list[str]) -> None:
    text, problems = substitute(source[0], hub_of(app).values())
    source[0] = text
    for problem in problems:
        warn(f"{{{{ hub.{problem.key} }}}} {problem.reason}", TrainingWarning.hub_key, (docname, problem.line))


def _replace_included(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    _replace(app, str(relative_path), content)


def setup_substitution(app: Sphinx) -> None:
    app.connect("source-read", _replace)
    app.connect("include-read", _replace_included)
