"""installing-packages: the RStudio script runs, and the exercises never install from the network."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from training.model.hub_profile import load_hub_profile
from training.model.hub_values import substitute

from .conftest import ROOT

MODULE = ROOT / "modules" / "installing-packages"


def run_r_script(script: Path, home: Path) -> str:
    text, unknown = substitute(script.read_text(encoding="utf-8"), load_hub_profile().values(), code=True)
    assert unknown == []
    filled = home / script.name
    filled.write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["Rscript", "--vanilla", str(filled)],
        capture_output=True,
        text=True,
        check=False,
        env={"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_rstudio_script_names_the_folders_and_says_which_are_kept(tmp_path: Path) -> None:
    out = run_r_script(MODULE / "exercises" / "where-packages-live.R", tmp_path)
    assert "install.packages() would install into:" in out
    assert "outside your home folder: reset when the server stops" in out  # the image's library
    personal = re.search(r"Your personal library: (\S+)", out)
    assert personal is not None
    assert personal.group(1).startswith(str(tmp_path))
    assert "inside your home folder: kept when the server stops" in out


INSTALL = re.compile(r"^\s*(?:[%!]?pip\s+install\b|install\.packages\()")


@pytest.mark.parametrize("name", ["where-packages-live.md", "where-packages-live-r.md", "where-packages-live.R"])
def test_exercises_install_nothing_until_the_learner_decides(name: str) -> None:
    """Every install command is commented out: the exercises run offline in the tests and on any hub."""
    source = (MODULE / "exercises" / name).read_text(encoding="utf-8")
    installs = [line for line in source.splitlines() if INSTALL.match(line)]
    assert installs == []
    assert re.search(r"^# (?:%pip install|install\.packages\()", source, re.MULTILINE), (
        "the commented install is missing"
    )
