"""The cloud-data module: its exercises really write and read objects (a local S3 server), the GCS
variant runs its gcsfs code up to the network, and each hub's site shows only its own cloud.

No GCS-compatible server can be installed here (none on PyPI, Debian or npm), so the GCP hub's notebook is run
with ``STORAGE_EMULATOR_HOST`` pointing at a closed port on 127.0.0.1: everything before the first
request runs for real (fsspec picks gcsfs, the address comes from the hub's variable), and the first
request fails with a connection error. Cloud metadata addresses are pointed at 127.0.0.1 as well, so
no request leaves this machine.
"""

from __future__ import annotations

import json
import os
import re
import socket
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from training.model.exercises import Exercise, exercise_notebook
from training.model.hub_profile import load_hub_profile

from .conftest import HUBS, ROOT, TEST_USER, BuiltSite
from .test_exercises import outputs_text, run_exercise

MODULE = ROOT / "modules" / "cloud-data"
PYTHON = Exercise("cloud-data", MODULE / "exercises" / "scratch-bucket.md")
R = Exercise("cloud-data", MODULE / "exercises" / "scratch-bucket-r.md")


def errors(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        f"{o.get('ename')}: {o.get('evalue')}"
        for c in notebook.cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def scratch_location() -> tuple[str, str]:
    """The demo hub's scratch bucket and the test user's prefix in it."""
    url = load_hub_profile().storage.scratch.url.format(username=TEST_USER)  # type: ignore[union-attr]
    bucket, prefix = url.split("://", 1)[1].split("/", 1)
    return bucket, prefix


# --- the exercises against the local S3 server ------------------------------------------------------


def test_python_exercise_writes_and_reads_real_objects(hub_environment, s3_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notebook = run_exercise(PYTHON, load_hub_profile(), tmp_path)
    assert errors(notebook) == []
    text = outputs_text(notebook)
    bucket, prefix = scratch_location()
    keys = set(s3_server.list_keys(bucket, f"{prefix}/hub-training/"))

    assert f"{prefix}/hub-training/stations.csv" in keys
    assert f"{prefix}/hub-training/hello.txt" not in keys, "the notebook deletes hello.txt"
    store = f"{prefix}/hub-training/temperature.zarr"
    assert {f"{store}/.zgroup", f"{store}/temperature/.zarray", f"{store}/time/.zarray"} <= keys
    assert any(re.fullmatch(rf"{re.escape(store)}/temperature/\d+\.\d+", k) for k in keys), sorted(keys)

    # What the notebook printed comes from the server: the object it wrote, the public catalogue.
    assert "Hello from" in text
    assert "Read back the same data; mean temperature: 14.45" in text
    assert f"{bucket}/{prefix}" in text, "the bucket listing shows the user's own folder"
    assert "activity_id,institution_id,source_id" in text, "the public catalogue was read anonymously"


def test_the_zarr_store_on_the_server_holds_the_data(hub_environment, s3_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Read the store the notebook wrote with a separate client: the round trip is real, not cached."""
    import s3fs
    import xarray as xr

    run_exercise(PYTHON, load_hub_profile(), tmp_path)
    bucket, prefix = scratch_location()
    fs = s3fs.S3FileSystem(endpoint_url=s3_server.endpoint, key="testing", secret="testing", skip_instance_cache=True)
    data = xr.open_zarr(fs.get_mapper(f"{bucket}/{prefix}/hub-training/temperature.zarr"), consolidated=None)
    assert data.temperature.shape == (30, 3)
    assert float(data.temperature.mean()) == pytest.approx(14.45)
    assert list(data.station.values) == ["A", "B", "C"]


def test_anonymous_reads_get_only_public_data(hub_environment, s3_server) -> None:  # type: ignore[no-untyped-def]
    """The exercise's anonymous client reads the public bucket and is refused the hub's private objects."""
    import boto3
    import fsspec

    public = fsspec.filesystem("s3", anon=True, skip_instance_cache=True)
    assert public.cat_file("s3://cmip6-pds/pangeo-cmip6.csv").startswith(b"activity_id,")
    bucket, prefix = scratch_location()
    boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).put_object(Bucket=bucket, Key=f"{prefix}/private.txt", Body=b"mine")
    with pytest.raises(PermissionError):
        public.cat_file(f"s3://{bucket}/{prefix}/private.txt")


@pytest.mark.skipif(not Path("/usr/bin/R").exists(), reason="R is not installed")
def test_r_exercise_writes_and_reads_real_objects(hub_environment, s3_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notebook = run_exercise(R, load_hub_profile(), tmp_path)
    assert errors(notebook) == []
    bucket, prefix = scratch_location()
    folder = f"{prefix}/hub-training-r"
    keys = set(s3_server.list_keys(bucket, f"{folder}/"))
    assert {f"{folder}/stations.geojson", f"{folder}/grid.tif"} <= keys, sorted(keys)
    assert f"{folder}/stations.csv" not in keys, "the notebook deletes stations.csv"

    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    geojson = json.loads(client.get_object(Bucket=bucket, Key=f"{folder}/stations.geojson")["Body"].read())
    assert [f["properties"]["station"] for f in geojson["features"]] == ["A", "B", "C"]
    tiff = client.get_object(Bucket=bucket, Key=f"{folder}/grid.tif")["Body"].read()
    assert tiff[:4] in (b"II*\x00", b"MM\x00*"), "grid.tif is a GeoTIFF"
    assert "5050" in outputs_text(notebook), "terra read the raster back from the bucket (sum of 1..100)"


# --- the GCP hub: gcsfs, up to the network call -------------------------------------------------------


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_gcs_variant_runs_gcsfs_up_to_the_network_call(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub = load_hub_profile(HUBS / "gcp-cilogon.yaml")
    assert hub.storage.cloud == "gcp"
    assert hub.storage.scratch is not None
    notebook = exercise_notebook(PYTHON, hub)
    sources = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert 'os.environ["OCEAN_SCRATCH"]' in sources[0]
    assert 'fsspec.filesystem("gs")' in sources[1]

    # Before the first request: check that fsspec chose gcsfs for the hub's address.
    first_request = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and "fs.open(" in c.source)
    notebook.cells.insert(
        first_request,
        nbformat.v4.new_code_cell(
            "import gcsfs\n"
            "print('FILESYSTEM', type(fs).__module__.split('.')[0], isinstance(fs, gcsfs.GCSFileSystem), folder)"
        ),
    )
    port = closed_port()
    for key in [k for k in os.environ if k.startswith(("AWS_", "GOOGLE_"))]:
        monkeypatch.delenv(key)
    environment = {
        "OCEAN_SCRATCH": f"gs://ocean-tmp-bucket/{TEST_USER}",
        "STORAGE_EMULATOR_HOST": f"http://127.0.0.1:{port}",
        # google-auth: never ask the cloud's metadata server (it would be another host); ask 127.0.0.1.
        "NO_GCE_CHECK": "True",
        "GCE_METADATA_HOST": f"127.0.0.1:{port}",
        "GCE_METADATA_IP": f"127.0.0.1:{port}",
        "HOME": str(tmp_path),
    }
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    )
    with pytest.raises(CellExecutionError):
        client.execute()

    ran = [c for c in notebook.cells if c.cell_type == "code" and c.get("execution_count")]
    failed = ran[-1]
    assert "fs.open(" in failed.source, "the first cell that talks to the bucket is the one that fails"
    assert all(o.get("output_type") != "error" for c in ran[:-1] for o in c.outputs)
    printed = outputs_text(notebook)
    assert f"gs://ocean-tmp-bucket/{TEST_USER}" in printed
    assert f"FILESYSTEM gcsfs True gs://ocean-tmp-bucket/{TEST_USER}/hub-training" in printed
    [error] = [o for o in failed.outputs if o.get("output_type") == "error"]
    traceback = "\n".join(error.get("traceback", []))
    assert error["ename"] in {"ClientConnectorError", "ClientConnectionError", "ConnectionRefusedError", "OSError"}, (
        error["ename"],
        error["evalue"],
    )
    assert f"127.0.0.1:{port}" in error["evalue"] + traceback


# --- what each hub's site shows -------------------------------------------------------------------------


def test_demo_site_teaches_s3_with_the_hubs_buckets(demo_site: BuiltSite) -> None:
    text = demo_site.text("modules/cloud-data/index.html")
    assert "s3://" in text
    assert "s3fs" in text
    assert "/vsis3/" in text
    assert "gs://" not in text
    assert "gcsfs" not in text
    assert "/vsigs/" not in text
    assert "SCRATCH_BUCKET" in text
    assert "PERSISTENT_BUCKET" in text
    assert "s3://example-scratch/{username}" in text
    assert "after 7 days" in text
    page = demo_site.page("modules/cloud-data/index.html")
    assert page.select(".training-open-in-hub, a[data-materials-path]"), "the exercises have open-in-hub links"


def test_gcp_site_teaches_gcs(ocean_site: BuiltSite) -> None:
    text = ocean_site.text("modules/cloud-data/index.html")
    assert "gs://" in text
    assert "gcsfs" in text
    assert "s3://" not in text
    assert "s3fs" not in text
    assert "/vsis3/" not in text
    assert "OCEAN_SCRATCH" in text
    assert "gs://ocean-tmp-bucket/{username}" in text
    assert "after 3 days" in text
    assert "PERSISTENT_BUCKET" not in text
    assert "persistent bucket" not in text.lower()
    assert "Python" in text, "a Python-only hub shows no R code"
    for r_only in ("library(terra)", "st_read(", "fs$rm", "/vsigs/", "Sys.setenv", "R users"):
        assert r_only not in text, f"a Python-only hub shows R: {r_only}"
    assert "For: Python users" in text


def test_gcp_notebook_has_only_gcs_code() -> None:
    """The notebook learners pull on a GCP hub reads public data from Google Cloud, with gcsfs's option."""
    notebook = exercise_notebook(PYTHON, load_hub_profile(HUBS / "gcp-cilogon.yaml"))
    code = "\n".join(cell.source for cell in notebook.cells)
    assert "s3://" not in code and "anon=True" not in code
    assert 'fsspec.filesystem("gs", token="anon")' in code
    assert '"gs://cmip6/pangeo-cmip6.csv"' in code


def test_hub_without_buckets_has_no_cloud_data_module_and_no_link_to_it(workshop_hub_site: BuiltSite) -> None:
    assert not (workshop_hub_site.html / "modules" / "cloud-data").exists()
    linking = []
    for page in workshop_hub_site.pages():
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        if any("cloud-data" in (a.get("href") or "") for a in soup.find_all("a")):
            linking.append(str(page.relative_to(workshop_hub_site.html)))
    assert linking == []


# --- the R snippets of the page: Zarr from Python, public data without credentials -------------------


def rscript(code: str) -> str:
    import subprocess

    result = subprocess.run(
        ["R", "--quiet", "--no-save", "-e", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout


@pytest.mark.skipif(not Path("/usr/bin/R").exists(), reason="R is not installed")
def test_r_reads_the_zarr_store_python_wrote(hub_environment, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The page's R Zarr code (stars::read_mdim through GDAL) on the store the Python exercise wrote."""
    run_exercise(PYTHON, load_hub_profile(), tmp_path)
    out = rscript(
        "suppressPackageStartupMessages(library(stars)); "
        'gdal_path <- sub("^s3://", "/vsis3/", Sys.getenv("SCRATCH_BUCKET")); '
        'store <- file.path(gdal_path, "hub-training", "temperature.zarr"); '
        "temperature <- read_mdim(paste0('ZARR:\"', store, '\"'), variable = \"temperature\"); "
        'cat("DIMS", dim(temperature), "MEAN", mean(temperature[[1]]), "\\n")'
    )
    assert "DIMS 3 30 MEAN 14.45" in out


@pytest.mark.skipif(not Path("/usr/bin/R").exists(), reason="R is not installed")
def test_r_reads_public_data_without_credentials(hub_environment) -> None:  # type: ignore[no-untyped-def]
    """The page's AWS_NO_SIGN_REQUEST snippet reads the public bucket; without it GDAL signs requests."""
    out = rscript(
        'Sys.setenv(AWS_NO_SIGN_REQUEST = "YES"); '
        'catalogue <- sf::st_read("/vsis3/cmip6-pds/pangeo-cmip6.csv", quiet = TRUE); '
        'cat("ROWS", nrow(catalogue), "FIRST", names(catalogue)[1], "\\n")'
    )
    assert "ROWS 3 FIRST activity_id" in out
