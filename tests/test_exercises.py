"""Every exercise notebook executes, with the hub's values filled in, as learners will run it.

Cloud-data exercises run against a real S3-compatible server (moto) on 127.0.0.1, with the bucket
environment variables set the way the hub sets them; R notebooks run in IRkernel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from training.model.exercises import Exercise, exercise_notebook, find_exercises, kernel_name
from training.model.hub_profile import HubProfile, load_hub_profile

from .conftest import ROOT

EXERCISES = find_exercises(ROOT / "modules", include_templates=True)


def run_exercise(exercise: Exercise, hub: HubProfile, workdir: Path) -> nbformat.NotebookNode:
    notebook = exercise_notebook(exercise, hub)
    data = exercise.source.parent.parent / "data"
    if data.is_dir():
        shutil.copytree(data, workdir / "data", dirs_exist_ok=True)
    client = NotebookClient(
        notebook, kernel_name=kernel_name(notebook), timeout=180, resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    return notebook


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", "") or str(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.materials_path for e in EXERCISES])
def test_exercise_executes(exercise: Exercise, hub_environment: dict[str, str], tmp_path: Path) -> None:
    notebook = run_exercise(exercise, load_hub_profile(), tmp_path)
    assert any(cell.cell_type == "code" for cell in notebook.cells)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []


def test_exercises_found() -> None:
    assert EXERCISES, "no exercise notebooks found"


def test_python_for_kernels_is_this_interpreter() -> None:
    assert Path(sys.executable).exists()
    assert subprocess.run([sys.executable, "-c", "import ipykernel"], check=False).returncode == 0
