"""getting-help: the facts notebook and script print the facts for a request, and never a token."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from nbclient import NotebookClient

from training.model.exercises import Exercise, exercise_notebook
from training.model.hub_profile import load_hub_profile
from training.model.hub_values import substitute

from .conftest import ROOT

MODULE = ROOT / "modules" / "getting-help"
SECRET = "a-token-that-must-never-be-printed"
SERVER = {
    "JUPYTERHUB_USER": "ada",
    "JUPYTERHUB_SERVICE_PREFIX": "/user/ada/",
    "JUPYTERHUB_API_URL": "http://hub:8081/hub/api",
    "JUPYTERHUB_API_TOKEN": SECRET,
    "JUPYTER_IMAGE": "quay.io/pangeo/pangeo-notebook:2026.11.01",
}


def _texts(notebook) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(
        str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


def test_python_notebook_prints_the_facts_and_no_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {**SERVER, "HOME": str(tmp_path)}.items():
        monkeypatch.setenv(key, value)
    hub = load_hub_profile()
    notebook = exercise_notebook(Exercise("getting-help", MODULE / "exercises" / "help-facts.md"), hub)
    NotebookClient(
        notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    out = _texts(notebook)
    assert SECRET not in out
    assert f"Hub address:       {hub.url}" in out
    assert "Username:          ada" in out
    assert f"My server:         {hub.url}/user/ada/" in out
    assert "Image:             quay.io/pangeo/pangeo-notebook:2026.11.01" in out
    assert "(not on a hub: no JUPYTERHUB_USER here)" in out  # the comparison away from a hub
    assert "JUPYTERHUB_API_TOKEN" in out  # its name only


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
@pytest.mark.parametrize("on_hub", [True, False], ids=["on-hub", "elsewhere"])
def test_rstudio_script_prints_the_facts_and_no_token(tmp_path: Path, on_hub: bool) -> None:
    script = MODULE / "exercises" / "help-facts.R"
    hub = load_hub_profile()
    text, unknown = substitute(script.read_text(encoding="utf-8"), hub.values(), code=True)
    assert unknown == []
    filled = tmp_path / script.name
    filled.write_text(text, encoding="utf-8")
    env = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    if on_hub:
        env.update(SERVER)
    result = subprocess.run(["Rscript", "--vanilla", str(filled)], capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert SECRET not in out
    assert f"Hub address:       {hub.url}" in out
    if on_hub:
        assert f"My server:         {hub.url}/user/ada/" in out
        assert "Username: ada" in out
    else:
        assert "(not on a hub: no JUPYTERHUB_USER here)" in out
