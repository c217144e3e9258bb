"""Puts the standard curriculum into the wheel.

The repository keeps the curriculum at the top level (``modules/``), where maintainers edit it; the
wheel carries it as package data (``training/site/modules``), so an installed engine builds a site
from any folder. Everything else about the package is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", ".hub-training", ".*")


class BuildWithCurriculum(build_py):
    """``build_py`` that also copies ``modules/`` to ``training/site/modules`` in the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's modules/ directly
        target = Path(self.build_lib) / "training" / "site" / "modules"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "modules", target, ignore=SKIPPED)


setup(cmdclass={"build_py": BuildWithCurriculum})
