"""The your-files module: its exercises (notebooks and the RStudio script), what each hub's site shows
(JupyterLab, RStudio, quota, shared folders, deleting), and JupyterLab's Move to Trash.

The walkthrough itself (upload, download, du, Delete) is replayed on the hub replica by
test_walkthrough.py. The replica's servers run with JupyterHub's default, no Trash; Move to Trash, what
a hub whose administrators turned the Trash on shows, is replayed here on JupyterLab alone, whose
default is the Trash.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

import training.replay.walkthrough as w
from training.model.exercises import Exercise
from training.model.hub_profile import load_hub_profile
from training.model.hub_values import substitute

from .conftest import ROOT, BuiltSite
from .services import free_port, stop
from .test_exercises import outputs_text, run_exercise

MODULE = ROOT / "modules" / "your-files"
PAGE = "modules/your-files/index.html"
SCRIPT = MODULE / "exercises" / "know-your-files.R"


def open_in_hub_links(site: BuiltSite) -> list[tuple[str, str, list[str]]]:
    """(interface, materials path, urlpath) of every Open-in-hub button on the page."""
    return [
        (a["data-interface"], a["data-materials-path"], parse_qs(urlsplit(a["href"]).query)["urlpath"])
        for a in site.page(PAGE).select("article a.training-open-in-hub")
    ]


def run_r(home: Path, *args: str) -> str:
    """Rscript in a fresh home folder, as RStudio's Source runs a script (no site or user profile)."""
    result = subprocess.run(
        ["Rscript", "--vanilla", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=home,
        env={"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def errors(notebook) -> list[str]:  # type: ignore[no-untyped-def]
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    return [o.get("evalue", "") for o in outputs if o.get("output_type") == "error"]


@pytest.mark.parametrize("name", ["know-your-files", "know-your-files-r"])
def test_exercise_measures_packs_and_cleans_up(name: str, hub_environment, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if name.endswith("-r") and not Path("/usr/bin/R").exists():
        pytest.skip("R is not installed")
    home = Path(hub_environment["HOME"])
    (home / "big-download.bin").write_bytes(b"x" * 300_000)
    try:
        exercise = Exercise("your-files", MODULE / "exercises" / f"{name}.md")
        notebook = run_exercise(exercise, load_hub_profile(), tmp_path)
    finally:
        (home / "big-download.bin").unlink()
    assert errors(notebook) == []
    text = outputs_text(notebook)
    assert f"Your home folder is {home.resolve()}" in " ".join(text.split())
    assert "big-download.bin" in text, "the largest file is listed with its size"
    assert "300.0 KB" in text, "the largest file is listed with its size"
    assert "/tmp" in text
    assert "writable" in text
    assert "Made your-files-practice/practice-results.tar.gz" in text
    assert "practice-results/notes.txt, practice-results/summary.csv" in text
    assert "Deleted your-files-practice" in text
    assert not (home / "your-files-practice").exists(), "the last cell removes what the notebook made"


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_rstudio_script_measures_packs_and_cleans_up(tmp_path: Path) -> None:
    """know-your-files.R does what the R notebook does; its clean_up() runs after the download."""
    text, unknown = substitute(SCRIPT.read_text(encoding="utf-8"), load_hub_profile().values(), code=True)
    assert unknown == []
    home = tmp_path / "home"
    home.mkdir()
    script = tmp_path / SCRIPT.name  # beside the home folder: the listing shows only what the test put there
    script.write_text(text, encoding="utf-8")
    (home / "big-download.bin").write_bytes(b"x" * 300_000)
    out = " ".join(run_r(home, str(script)).split())
    assert f"Your home folder is {home.resolve()}" in out
    assert "300.0 KB big-download.bin" in out, "the largest file is listed with its size"
    assert "/tmp writable" in out
    assert "Made your-files-practice/practice-results.tar.gz" in out
    assert "practice-results/notes.txt, practice-results/summary.csv" in out
    assert "type clean_up() in the Console" in out
    assert (home / "your-files-practice" / "practice-results.tar.gz").is_file(), "kept until clean_up()"
    out = run_r(home, "-e", f"source({str(script)!r}); clean_up()")
    assert "Deleted your-files-practice" in out
    assert "Your home folder now uses 300.0 KB" in out
    assert not (home / "your-files-practice").exists()
    assert (home / "big-download.bin").exists(), "clean_up() deletes only what the script made"


def test_demo_site_shows_jupyterlab_and_rstudio_steps_and_the_hubs_limits(demo_site: BuiltSite) -> None:
    text = demo_site.text(PAGE)
    assert "/home/jovyan" in text
    assert "10 GB" in text
    assert "Upload Files" in text
    assert "Download" in text
    assert "tar -czf results.tar.gz results" in text
    assert "In RStudio" in text
    assert "Export..." in text or "Export…" in text
    assert "shared, shared-public" in text
    images = demo_site.page(PAGE).select("figure.training-screenshot img")
    assert [Path(i["src"]).name for i in images] == [
        "terminal-usage.png",
        "upload-button.png",
        "uploaded-files.png",
        "download-menu.png",
    ]
    assert all(i.get("alt") for i in images)
    assert demo_site.page(PAGE).select('a[href*="cloud-data"]'), "links to the cloud-data module"


def test_demo_site_teaches_deleting_as_the_hub_does_it(demo_site: BuiltSite) -> None:
    """Delete is final on a hub by default; Move to Trash only where the administrators turned it on."""
    text = demo_site.text(PAGE)
    assert "Are you sure you want to permanently delete: name ?" in text
    assert "By default, deleting on the hub is final" in text
    assert "the hub turns JupyterLab's Trash off by default" in text
    assert "Delete Failed" in text and "Directory /home/jovyan/results not empty" in text
    assert "rm -r results" in text
    assert "If JupyterLab shows Move to Trash where this page says Delete" in text
    assert "Are you sure you want to move to trash: name ?" in text
    for command in ("du -sh ~/.local/share/Trash", "rm -rf ~/.local/share/Trash", "mv ~/.local/share/Trash/files/"):
        assert command in text, command
    assert "Your home folder is still full after you deleted files." in text
    assert "In RStudio, tick the files or folders in the Files tab, click Delete" in text


def test_ls_example_names_no_user(demo_site: BuiltSite, workshop_hub_site: BuiltSite) -> None:
    """The listing shows the hub's home folder and a placeholder owner, never a literal user name."""
    source = (MODULE / "index.md").read_text(encoding="utf-8")
    assert "jovyan" not in source
    assert "drwxr-xr-x 9 <you> <you> 4096 Nov 20 14:05 /home/jovyan" in demo_site.text(PAGE)
    assert "the account that owns your home folder" in demo_site.text(PAGE)


def test_demo_exercise_links(demo_site: BuiltSite) -> None:
    assert sorted(open_in_hub_links(demo_site)) == [
        (
            "lab",
            "your-files/know-your-files-r.ipynb",
            ["lab/tree/hub-training-materials/your-files/know-your-files-r.ipynb"],
        ),
        (
            "lab",
            "your-files/know-your-files.ipynb",
            ["lab/tree/hub-training-materials/your-files/know-your-files.ipynb"],
        ),
        ("rstudio", "your-files/know-your-files.R", ["rstudio/"]),
    ]


def test_rstudio_only_hub_has_no_jupyterlab_steps(workshop_hub_site: BuiltSite) -> None:
    text = workshop_hub_site.text(PAGE)
    assert "/home/rstudio" in text
    assert "1 GB" in text
    assert "In RStudio" in text
    assert "Terminal" in text
    for lab_only in ("the arrow pointing up", "File Browser", "Launcher", "JupyterLab downloads single files"):
        assert lab_only not in text, lab_only
    assert "has no shared folders" in text
    assert "!du -sh ~" not in text, "no Python tab on an R-only hub"
    assert not workshop_hub_site.page(PAGE).select("figure.training-screenshot img"), "no JupyterLab pictures"
    assert "jovyan" not in text
    for lab_only in ("Trash", "Delete Failed", "rm -r .ipynb_checkpoints", "notebook's last cell"):
        assert lab_only not in text, lab_only
    assert "By default, deleting on the hub is final" in text
    assert "type clean_up() in the Console" in text


def test_rstudio_only_hub_opens_the_r_script_in_rstudio(workshop_hub_site: BuiltSite) -> None:
    assert open_in_hub_links(workshop_hub_site) == [("rstudio", "your-files/know-your-files.R", ["rstudio/"])]
    assert "open know-your-files.R and click Source" in workshop_hub_site.text(PAGE)


def test_gcp_hub_shows_its_quota_and_no_rstudio(ocean_site: BuiltSite) -> None:
    text = ocean_site.text(PAGE)
    assert "25 GB" in text
    assert "shared" in text
    assert "In RStudio" not in text
    assert "Export" not in text
    assert "system(" not in text, "no R tab on a Python-only hub"
    assert len(ocean_site.page(PAGE).select("figure.training-screenshot img")) == 4, "hub-independent pictures"
    [(interface, path, urlpath)] = open_in_hub_links(ocean_site)
    assert (interface, path) == ("lab", "your-files/know-your-files.ipynb")
    assert urlpath[0].startswith("lab/tree/") and urlpath[0].endswith("/your-files/know-your-files.ipynb")
    assert "Move to Trash" in text and "clean_up()" not in text


# --- Move to Trash, replayed on JupyterLab with the Trash on --------------------------------------


def _walkthrough_steps():  # type: ignore[no-untyped-def]
    """The module's walkthrough.py as a module: its step functions, to replay them here."""
    spec = importlib.util.spec_from_file_location("your_files_walkthrough_steps", MODULE / "walkthrough.py")
    assert spec is not None and spec.loader is not None
    steps = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(steps)
    return steps


@pytest.fixture
def lab_with_trash(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """JupyterLab on its own (jupyter_server's default, ``delete_to_trash=True``): what a hub shows when
    its administrators turn the Trash on. Yields its address and the home folder it serves."""
    from training.replay.replica import NEWS_PLUGIN

    home = tmp_path / "home"
    home.mkdir()
    config = tmp_path / "config"
    (config / "labconfig").mkdir(parents=True)
    (config / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": {NEWS_PLUGIN: True}}))
    port = free_port()
    env = {
        "HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        f"--ServerApp.root_dir={home}",
        *(["--allow-root"] if os.geteuid() == 0 else []),
    ]
    log = tmp_path / "jupyterlab.log"
    with log.open("w") as out:
        server = subprocess.Popen(args, cwd=home, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "api/status", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.3)
        yield url, home
    finally:
        stop(server, timeout=20)


@pytest.mark.browser
def test_move_to_trash_keeps_the_file_in_the_home_folder_until_the_trash_is_emptied(
    lab_with_trash: tuple[str, Path],
    browser,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    url, home = lab_with_trash
    name = "old-output.csv"
    (home / name).write_text("station,mean\nA,12.1\n")
    steps = _walkthrough_steps()
    context = w.new_context(browser)
    try:
        page = context.new_page()
        page.set_default_timeout(w.TIMEOUT_MS)
        page.goto(url + "lab")
        replica = SimpleNamespace(home=lambda: home)
        run = w.Run(page, replica, w.Walkthrough("Move to Trash", steps.move_to_trash(name)))  # type: ignore[arg-type]
        steps._item(run, name).wait_for(timeout=60_000)
        steps.open_context_menu(name).action(run)
        steps.move_to_trash(name).action(run)  # the menu item, the dialog, the file in Trash/files
    finally:
        context.close()

    def shell(command: str) -> str:
        result = subprocess.run(
            ["bash", "-c", command],
            capture_output=True,
            text=True,
            check=True,
            env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
        )
        return result.stdout

    source = (MODULE / "index.md").read_text(encoding="utf-8")
    trash = home / ".local" / "share" / "Trash"
    # The commands the page teaches, as it writes them.
    assert "du -sh ~/.local/share/Trash" in source and "rm -rf ~/.local/share/Trash" in source
    assert re.fullmatch(rf"\d+(\.\d+)?[KMG]?\t{re.escape(str(trash))}\n", shell("du -sh ~/.local/share/Trash"))
    assert "mv ~/.local/share/Trash/files/results.csv ~/" in source
    shell(f"mv ~/.local/share/Trash/files/{name} ~/")
    assert (home / name).read_text() == "station,mean\nA,12.1\n", "moved back out of the Trash"
    shell("rm -rf ~/.local/share/Trash")
    assert not trash.exists()
    assert (
        shell("du -sh ~/.local/share/Trash 2>&1 || true").strip()
        == f"du: cannot access '{trash}': No such file or directory"
    )


def test_shared_folders_are_described_as_the_hub_file_says(demo_site: BuiltSite, ocean_site: BuiltSite) -> None:
    """Which shared folder is read-only and which writable comes from storage.shared_writable, not from names."""
    demo = demo_site.text(PAGE)
    assert "Read-only for you: shared ." in demo or "Read-only for you: shared." in demo
    assert "Everyone can write to: shared-public" in demo
    assert "root root 4096 Nov 3 09:12 shared/" in demo
    ocean = ocean_site.text(PAGE)
    assert "Read-only for you: shared" in ocean
    assert "Everyone can write to" not in ocean


def test_a_hub_with_only_writable_shared_folders_shows_no_read_only_example(tmp_path: Path) -> None:
    hub = load_hub_profile()
    data = hub.model_dump(mode="json", exclude={"profile_list_from"})
    data["storage"]["shared_dirs"] = ["team-data"]
    data["storage"]["shared_writable"] = ["team-data"]
    writable = type(hub).model_validate(data)
    assert {"shared-writable", "shared-dirs"} <= writable.features
    assert "shared-readonly" not in writable.features
    _text, problems = substitute("`{{ hub.storage.shared_readonly.0 }}`", writable.values())
    assert [p.unset for p in problems] == [True], "an empty list's first entry is 'not set', not an unknown key"
