"""The scaling-with-dask module: the exercise's cluster code (Gateway first, a local cluster when no
gateway answers) computes the right result, and the module exists only on hubs with Dask Gateway."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from training.model.exercises import Exercise
from training.model.hub_profile import load_hub_profile

from .conftest import HUBS, ROOT, BuiltSite
from .test_exercises import outputs_text, run_exercise

EXERCISE = Exercise("scaling-with-dask", ROOT / "modules" / "scaling-with-dask" / "exercises" / "dask-cluster.md")
PAGE = "modules/scaling-with-dask/index.html"


def run(tmp_path: Path) -> str:
    notebook = run_exercise(EXERCISE, load_hub_profile(HUBS / "gcp-cilogon.yaml"), tmp_path)
    errors = [o.get("evalue") for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    return outputs_text(notebook)


def test_exercise_uses_the_gateway_api_the_page_teaches() -> None:
    source = EXERCISE.source.read_text()
    for call in ("Gateway()", "gateway.new_cluster()", "cluster.scale(4)", "cluster.get_client()", "cluster.close()"):
        assert call in source, call


def test_without_a_gateway_the_same_code_runs_on_a_local_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DASK_GATEWAY__ADDRESS", raising=False)
    text = run(tmp_path)
    assert "No Dask Gateway here (ValueError: No dask-gateway address provided or found in configuration)" in text
    assert "LocalCluster" in text
    assert "Workers so far: " in text
    assert "pi is about 3.14" in text
    assert "Cluster closed: Status.closed" in text


def test_an_unreachable_gateway_also_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hub's settings point at a gateway that does not answer: connection refused, then the local cluster."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("DASK_GATEWAY__ADDRESS", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("DASK_GATEWAY__AUTH__TYPE", "basic")
    text = run(tmp_path)
    assert "No Dask Gateway here (ClientConnectorError" in text, text[:500]
    assert "pi is about 3.14" in text


def test_only_the_hub_with_dask_gateway_has_the_module(
    ocean_site: BuiltSite, demo_site: BuiltSite, workshop_hub_site: BuiltSite
) -> None:
    text = ocean_site.text(PAGE)
    assert "from dask_gateway import Gateway" in text
    assert "cluster.shutdown()" in text
    assert "https://ocean.university.edu/jupyter/services/dask-gateway/clusters/" in text
    for site in (demo_site, workshop_hub_site):
        assert not (site.html / "modules" / "scaling-with-dask").exists()
        for page in site.pages():
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            assert not any("scaling-with-dask" in (a.get("href") or "") for a in soup.find_all("a")), page
