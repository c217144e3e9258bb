"""Exercise notebooks: find them, fill in the hub's values, run them as the hub would.

Sources are jupytext MyST (``modules/<id>/exercises/<name>.md``); the materials writer and the tests
share :func:`exercise_notebook`, so what is tested is exactly what learners pull.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from training.model.hub_profile import HubProfile


class ExerciseError(Exception):
    """An exercise names a hub value the profile lacks (``problems`` holds file:line messages)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Exercise:
    module_id: str
    source: Path

    @property
    def name(self) -> str:
        return self.source.stem

    @property
    def materials_path(self) -> str:
        """Where the notebook sits in the materials repository."""
        return f"{self.module_id}/{self.name}.ipynb"


def find_exercises(modules_dir: Path, include_templates: bool = False) -> list[Exercise]:
    found = []
    for source in sorted(modules_dir.glob("*/exercises/*.md")):
        module_id = source.parent.parent.name
        if module_id.startswith("_") and not include_templates:
            continue
        found.append(Exercise(module_id, source))
    return found


def exercise_notebook(exercise: Exercise, hub: HubProfile) -> nbformat.NotebookNode:
    """The notebook learners pull (the materials writer's own conversion), validated."""
    from training.model.materials import convert_notebook

    notebook, problems = convert_notebook(exercise.source, hub.values(), exercise.materials_path)
    if problems:
        raise ExerciseError(problems)
    nbformat.validate(notebook)
    return notebook


def kernel_name(notebook: nbformat.NotebookNode) -> str:
    return str(notebook.metadata.get("kernelspec", {}).get("name", "python3"))
