"""The local replica of a hub: real JupyterHub, its login page, KubeSpawner's form, clean teardown."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from training.model.hub_profile import load_hub_profile
from training.replay.replica import NEWS_PLUGIN, Replica, processes
from training.replay.walkthrough import (
    Walkthrough,
    choose_profile,
    do,
    log_in,
    open_hub,
    open_terminal,
    run_in_terminal,
    run_walkthrough,
    start,
    wait_for_lab,
)

from .conftest import HUBS, ROOT, report_gate

pytestmark = [pytest.mark.hub, pytest.mark.browser]


# --- cleanup without a hub (fast) ------------------------------------------------------------------


@pytest.mark.usefixtures("isolated_records")
def test_cleanup_stale_stops_marked_processes_of_a_dead_owner(tmp_path: Path) -> None:
    """A record whose owner is gone: its processes are stopped by PID, its state removed."""
    token = "test" + os.urandom(4).hex()
    sleeper = subprocess.Popen(["sleep", "300"], env={**os.environ, processes.MARKER: token}, start_new_session=True)
    bystander = subprocess.Popen(["sleep", "300"], start_new_session=True)  # no token: must survive
    state = tmp_path / "state"
    state.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    processes.Record(token, "demo", str(state), dead.pid, None, [processes.free_port()]).write()
    try:
        lines = processes.cleanup_stale(log=lambda line: None)
        assert len(lines) == 1
        assert f"left by process {dead.pid}" in lines[0]
        assert sleeper.wait(timeout=5) == -signal.SIGTERM
        assert bystander.poll() is None
        assert not state.exists()
        assert processes.records() == []
    finally:
        for proc in (sleeper, bystander):
            proc.kill()
            proc.wait()


@pytest.mark.usefixtures("isolated_records")
def test_cleanup_leaves_replicas_of_live_owners_alone(tmp_path: Path) -> None:
    record = processes.Record("live", "demo", str(tmp_path), os.getpid(), processes.process_start_time(os.getpid()))
    record.write()
    assert processes.cleanup_stale(log=lambda line: None) == []
    assert record.path.exists()


@pytest.fixture
def isolated_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "records"
    monkeypatch.setattr(processes, "RECORDS_DIR", folder)
    return folder


# --- a killed run --------------------------------------------------------------------------------------

KILLED_RUN = """
import json, sys, time
from training.model.hub_profile import load_hub_profile
from training.replay.replica import Replica
replica = Replica(load_hub_profile({hub!r}))
replica.start()
print(json.dumps({{"token": replica.token, "ports": replica.record.ports, "state": str(replica.state_dir),
                  "hub": replica.process.pid}}), flush=True)
time.sleep(600)
"""


def test_a_killed_run_leaves_nothing_behind_after_the_next_start(tmp_path: Path) -> None:
    """``kill -9`` of the process that owns a replica: the hub dies with it, the next start cleans the rest."""
    hub_file = HUBS / "password-rstudio.yaml"  # no R kernel install needed: quick to start
    owner = subprocess.Popen(
        [sys.executable, "-c", KILLED_RUN.format(hub=str(hub_file))],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert owner.stdout is not None
        info = json.loads(owner.stdout.readline())
        assert processes.marked_pids(info["token"]), "the replica should be running"
    finally:
        owner.kill()  # SIGKILL: no teardown runs in the owner
        owner.wait()
    lines = processes.cleanup_stale(log=lambda line: None)
    assert any(info["state"] in line for line in lines), lines
    assert processes.marked_pids(info["token"]) == []
    assert processes.wait_ports_closed(info["ports"], 5) == []
    assert not Path(info["state"]).exists()
    assert not (processes.RECORDS_DIR / f"{info['token']}.json").exists()


# --- the demo hub's replica ------------------------------------------------------------------------


def test_replica_has_its_own_state_ports_and_pid_files(replica: Replica) -> None:
    assert replica.state_dir is not None
    for name in ("jupyterhub.pid", "proxy.pid", "jupyterhub.sqlite", "jupyterhub_cookie_secret"):
        assert (replica.state_dir / name).exists(), name
    proxy_pid = int((replica.state_dir / "proxy.pid").read_text())
    assert proxy_pid in processes.marked_pids(replica.token)
    assert replica.url.startswith("http://127.0.0.1:")
    assert all(processes.port_open(p) for p in (replica.port, replica.hub_port, replica.proxy_api_port))
    assert replica.unavailable == {"rstudio": "RStudio Server cannot be installed here (not in Debian or PyPI)"}


def test_login_page_shows_the_providers_button(replica: Replica, hub_context) -> None:  # type: ignore[no-untyped-def]
    page = hub_context.new_page()
    page.goto(replica.url + "hub/login")
    button = page.get_by_role("button", name="Sign in with GitHub", exact=True)
    assert button.is_visible()
    assert page.get_by_label("Password:").count() == 0, "an OAuth hub shows no password form"
    assert page.locator("#insecure-login-warning").is_hidden(), "127.0.0.1 is a secure context: no HTTP warning"


def test_server_options_apply_to_the_server(replica: Replica, hub_context) -> None:  # type: ignore[no-untyped-def]
    """KubeSpawner's own parsing and overrides: the custom image and memory choice reach the server."""
    replica.reset_user()
    image = "pangeo/base-notebook:2026.11.01"
    walkthrough = Walkthrough(
        "custom image",
        open_hub(),
        log_in(),
        choose_profile("Small", {"Image": ("Other...", image), "Resource Allocation": "8 GB RAM, up to 2 CPUs"}),
        start(),
        wait_for_lab(),
        do("no news toast configured", _news_plugin_disabled),
        do("R and Python kernels in the Launcher", _launcher_kernels(["Python 3 (ipykernel)", "R"])),
        open_terminal(),
        run_in_terminal("echo $JUPYTER_IMAGE_SPEC $MEM_GUARANTEE", expect=f"{image} 8589934592"),
    )
    run_walkthrough(walkthrough, replica, hub_context)
    assert replica.server_running()
    options = replica.user_model()["servers"][""]["user_options"]  # type: ignore[index]
    assert options == {
        "profile": "small",
        "image": "unlisted_choice",
        "image--unlisted-choice": image,
        "requests": "mem_8",
    }
    assert "extra_resource_limits" not in replica.log_file.read_text()  # the GPU profile was not applied
    replica.reset_user()


def _news_plugin_disabled(run) -> None:  # type: ignore[no-untyped-def]
    config = json.loads(run.page.locator("#jupyter-config-data").text_content())
    assert NEWS_PLUGIN in config.get("disabledExtensions", []) or config.get("disabledExtensions", {}).get(NEWS_PLUGIN)
    run.page.wait_for_timeout(3000)  # the news question would have appeared by now
    assert run.page.locator(".Toastify__toast").count() == 0


def _launcher_kernels(expected: list[str]):  # type: ignore[no-untyped-def]
    def check(run) -> None:  # type: ignore[no-untyped-def]
        section = run.page.locator(".jp-Launcher-section").filter(has_text="Notebook").first
        cards = [c.strip() for c in section.locator(".jp-LauncherCard-label").all_inner_texts()]
        assert cards == expected, cards

    return check


# --- a shared-password, RStudio-only hub --------------------------------------------------------------


def test_shared_password_hub_logs_in_with_the_form_and_stops_cleanly(hub_context) -> None:  # type: ignore[no-untyped-def]
    """Username/password form; no Server Options page; RStudio listed as not replayed; nothing left after."""
    hub = load_hub_profile(HUBS / "password-rstudio.yaml")
    with Replica(hub) as replica:
        assert replica.login_service is None
        assert replica.password
        assert set(replica.unavailable) == {"rstudio"}
        walkthrough = Walkthrough(
            "log in to a workshop hub",
            open_hub(),
            log_in(),
            do("the server starts without a Server Options page", _reaches_user_server),
            wait_for_lab(),  # skipped: this hub offers RStudio only
            do("open RStudio", lambda run: None, requires=["rstudio"]),  # skipped: not installable here
        )
        report = run_walkthrough(walkthrough, replica, hub_context)
        reasons = {r.title: r.reason for r in report.skipped}
        assert reasons["wait for JupyterLab"] == "lab: the hub r-workshop does not have it"
        assert reasons["open RStudio"].startswith("rstudio: not replayed, RStudio Server cannot be installed")
        report_gate(f"replica: steps not replayed on {hub.id}: " + "; ".join(f"{t} ({r})" for t, r in reasons.items()))
        token, ports = replica.token, [replica.port, replica.hub_port, replica.proxy_api_port]
        state = replica.state_dir
    assert processes.marked_pids(token) == []
    assert processes.wait_ports_closed(ports, 1) == []
    assert state is not None
    assert not state.exists()


def _reaches_user_server(run) -> None:  # type: ignore[no-untyped-def]
    run.page.wait_for_url(lambda url: "/user/researcher/" in url, timeout=120_000)
    deadline = time.monotonic() + 60
    while not run.replica.server_running():
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.5)
