"""A plain install (no extras) has everything a site build needs.

The package is installed into a fresh virtual environment with its runtime dependencies only (pip's
cache makes that quick), and the demo site is built with that environment's ``hub-training``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

#: Packages only the test or lint extras bring: a plain install must build without them.
EXTRAS_ONLY = ["pytest", "playwright", "hypothesis", "jupyterhub", "moto", "ruff"]


@pytest.mark.slow
def test_plain_install_builds_the_demo_site(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(ROOT)], capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    for name in EXTRAS_ONLY:
        found = subprocess.run([str(python), "-c", f"import {name}"], capture_output=True, check=False)
        assert found.returncode != 0, f"{name} came with a plain install"

    out = tmp_path / "site" / "html"
    built = subprocess.run(
        [str(venv / "bin" / "hub-training"), "build", "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    assert "Traceback" not in built.stderr
    page = (out / "modules" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert "Example Research Hub" in page
    # The sidebar is ours (named toggles), and the search index loads only on the search page.
    assert 'aria-label="Show or hide the pages under' in page
    assert "searchindex.js" not in page
    assert "searchindex.js" in (out / "search.html").read_text(encoding="utf-8")
