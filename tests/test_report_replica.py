"""``hub-training report`` against a real JupyterHub: every number compared with what the test did.

The test creates users through the REST API, logs them in through the hub's own login form, starts
their servers with different Server Options through the REST API (KubeSpawner's own parsing applies
them), runs exercises of the generated materials in each user's own server (its kernel, over the
Jupyter server's API, with the user's own token) so that the check cells write real stamps in their
homes, and then runs the command.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import nbformat
import pytest

from training.model.hub_profile import load_hub_profile
from training.model.materials import write_materials
from training.model.nbgitpuller import clone_dir
from training.replay.replica import Replica, processes

from .conftest import HUBS, ROOT, block_other_hosts, report_gate

pytestmark = [pytest.mark.hub]

HUB_FILE = HUBS / "report.yaml"
FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")

# Names that cannot appear in the report by accident (no English word contains them).
ADA, BEN, CAI, DOV, EVE, FOX = (f"qzx-{n}" for n in ("ada", "ben", "cai", "dov", "eve", "fox"))
EVERYONE = [ADA, BEN, CAI, DOV, EVE, FOX]
LOGGED_IN = [ADA, BEN, CAI, DOV, EVE]  # FOX never logs in
OPTIONS = {
    ADA: {"profile": "small", "image": "geo", "requests": "mem_8"},  # 0.20 USD/h (the choice's cost)
    BEN: {"profile": "small"},  # defaults: Python, 2 GB; 0.05 USD/h
    CAI: {"profile": "large"},  # 0.50 USD/h
    DOV: {"profile": "small", "image": "python", "requests": "mem_2"},  # stopped again before the report
}
SMALL_GEO_8 = "Small · Image: Geospatial · Memory: 8 GB"
SMALL_PY_2 = "Small · Image: Python · Memory: 2 GB"


# --- a user of the hub, as a browser would be --------------------------------------------------------


class HubUser:
    """One person: logs in through the login form, gets a token, uses their own server's API."""

    def __init__(self, replica: Replica, name: str):
        self.replica, self.name = replica, name
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.token = ""

    def log_in(self) -> None:
        """The hub's login page and form, as a browser posts it (shared password, XSRF field)."""
        page = self.opener.open(f"{self.replica.url}hub/login", timeout=30).read().decode()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page)
        assert xsrf, "the login form has an _xsrf field"
        form = urllib.parse.urlencode(
            {"username": self.name, "password": self.replica.password, "_xsrf": xsrf.group(1)}
        ).encode()
        request = urllib.request.Request(f"{self.replica.url}hub/login?next=/hub/home", data=form, method="POST")
        with self.opener.open(request, timeout=30) as response:
            assert response.url.endswith("/hub/home"), response.url
        self.token = self.hub_api("POST", f"users/{self.name}/tokens", {"note": "report test"})["token"]

    def hub_api(self, method: str, path: str, body: Any = None) -> Any:
        """The hub's REST API with the login cookie (and the XSRF header a browser page sends)."""
        xsrf = next(c.value for c in self.cookies if c.name == "_xsrf")
        request = urllib.request.Request(
            f"{self.replica.url}hub/api/{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"},
        )
        with self.opener.open(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def server_api(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"{self.replica.url}user/{self.name}/api/{path}",
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read()
        return json.loads(text) if text else None

    def run_notebook(self, path: str, cells: slice | None = None) -> list[str]:
        """Run a notebook of the user's home (all code cells, or a slice) in a kernel of their own
        server, save it with its execution counts as JupyterLab does; return each cell's output."""
        model = self.server_api("GET", f"contents/{path}?content=1")
        notebook = nbformat.from_dict(model["content"])
        code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        chosen = code_cells[cells] if cells else code_cells
        kernel = self.server_api("POST", "kernels", {"name": "python3"})
        try:
            outputs = [self._execute(kernel["id"], cell) for cell in chosen]
        finally:
            self.server_api("DELETE", f"kernels/{kernel['id']}")
        self.server_api("PUT", f"contents/{path}", {"type": "notebook", "format": "json", "content": notebook})
        return outputs

    def _execute(self, kernel_id: str, cell: Any) -> str:
        """One execute_request over the kernel's websocket (Jupyter's JSON protocol, via tornado)."""
        import asyncio
        import concurrent.futures

        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"{self.replica.url.replace('http', 'ws', 1)}user/{self.name}/api/kernels/{kernel_id}/channels"

        async def run() -> tuple[int, str, str]:
            connection = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"}))
            msg_id = uuid.uuid4().hex
            header = {
                "msg_id": msg_id,
                "msg_type": "execute_request",
                "username": self.name,
                "session": uuid.uuid4().hex,
                "version": "5.3",
                "date": "",
            }
            content = {
                "code": cell.source,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            }
            message = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
            await connection.write_message(json.dumps(message))
            text, status, count, idle = "", "", 0, False
            while not (status and idle):
                raw = await asyncio.wait_for(connection.read_message(), timeout=120)
                assert raw is not None, "the kernel's websocket closed"
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = reply["header"]["msg_type"]
                if kind == "stream":
                    text += reply["content"]["text"]
                elif kind == "error":
                    text += "\n".join(reply["content"]["traceback"])
                elif kind == "execute_reply":
                    status, count = reply["content"]["status"], reply["content"].get("execution_count", 0)
                elif kind == "status" and reply["content"]["execution_state"] == "idle":
                    idle = True
            connection.close()
            return count, status, text

        # In a thread of its own: after the browser tests, Playwright keeps an event loop running
        # in this worker's main thread, where asyncio.run() refuses to start another.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            count, status, text = pool.submit(asyncio.run, run()).result()
        assert status == "ok", text
        cell.execution_count = count
        return text


def _wait_ready(replica: Replica, name: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.server_running(name):
            return
        time.sleep(0.5)
    raise AssertionError(f"the server of {name} did not start; see {replica.log_file}")


def _run_report(
    replica: Replica,
    out: Path,
    *extra: str,
    token: str | None = None,
    env: dict[str, str] | None = None,
    api_url: str | None = None,
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **(env or {}), "JUPYTERHUB_API_TOKEN": replica.api_token if token is None else token}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "training.cli.main",
            "report",
            str(HUB_FILE),
            "--api-url",
            api_url or f"{replica.url}hub/api",
            "-o",
            str(out),
            *extra,
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


# --- the hub, its people and what they did ------------------------------------------------------------


@pytest.fixture(scope="module")
def onboarded(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A replica with six people who did different things; yields (replica, what was done)."""
    hub = load_hub_profile(HUB_FILE)
    materials = tmp_path_factory.mktemp("materials") / "repo"
    write_materials(hub, ROOT / "modules", materials)
    with Replica(hub) as replica:
        replica.api("POST", "users", {"usernames": EVERYONE})
        people = {name: HubUser(replica, name) for name in EVERYONE}
        for name in LOGGED_IN:
            people[name].log_in()
        for name, options in OPTIONS.items():
            replica.api("POST", f"users/{name}/server", options)  # user_options: KubeSpawner's form-less path
        for name in OPTIONS:
            _wait_ready(replica, name)
            # What "Open in hub" does first: nbgitpuller clones the materials into the home folder.
            target = replica.home(name) / clone_dir(hub.materials.repo)
            subprocess.run(["git", "clone", "-q", str(materials), str(target)], check=True)
        folder = clone_dir(hub.materials.repo)
        welcome, survives = f"{folder}/welcome/hello-hub.ipynb", f"{folder}/stopping-your-server/what-survives.ipynb"
        outputs = {
            # ADA: two modules, straight through, each check passes.
            (ADA, "welcome"): people[ADA].run_notebook(welcome),
            (ADA, "stopping-your-server"): people[ADA].run_notebook(survives),
            (BEN, "welcome"): people[BEN].run_notebook(welcome),
            # BEN starts the stopping module (first cell only): started, not finished.
            (BEN, "stopping-your-server"): people[BEN].run_notebook(survives, slice(0, 1)),
            # CAI jumps to the check without the exercise: it fails, nothing is recorded.
            (CAI, "stopping-your-server"): people[CAI].run_notebook(survives, slice(-1, None)),
            (DOV, "welcome"): people[DOV].run_notebook(welcome),
        }
        replica.stop_server(DOV)  # DOV's server ran and stopped: it still counts
        yield replica, outputs


def test_the_checks_ran_in_the_users_servers(onboarded) -> None:  # type: ignore[no-untyped-def]
    replica, outputs = onboarded
    assert "Well done: you finished" in outputs[ADA, "welcome"][-1]
    assert "Not recorded yet" in outputs[CAI, "stopping-your-server"][-1]
    stamp = json.loads((replica.home(ADA) / ".hub-training/completed/welcome.json").read_text())
    assert stamp["checks"] == {"on_hub": True}
    assert stamp["server"]["image"] == "example/geo-notebook:2026.11"  # the profile's override reached the server
    assert stamp["server"]["mem_limit"] == str(8 * 1024**3)
    assert json.loads((replica.home(ADA) / ".hub-training/completed/stopping-your-server.json").read_text())[
        "checks"
    ] == {"on_hub": True, "file_in_home": True}
    assert not (replica.home(CAI) / ".hub-training").exists()
    assert sorted(p.name for p in (replica.home(DOV) / ".hub-training/completed").iterdir()) == ["welcome.json"]


def test_every_number_matches_what_the_people_did(onboarded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    replica, _ = onboarded
    out = tmp_path / "report"
    result = _run_report(replica, out, "--homes", str(replica.state_dir / "homes"), "--min-group-size", "1")
    assert result.returncode == 0, result.stderr
    assert replica.api_token not in result.stdout + result.stderr
    data = json.loads((out / "report.json").read_text())
    funnel = {c["label"]: c["people"] for c in data["funnel"]}
    assert funnel["Have an account on the hub"] == 6
    assert funnel["Logged in"] == 5
    assert funnel["Started a server"] == 4
    assert funnel["Completed “Welcome to the hub”"] == 3  # ADA, BEN, DOV
    assert funnel["Completed “Stopping your server”"] == 1  # ADA
    assert all(
        v == 0 for k, v in funnel.items() if k.startswith("Completed") and "Welcome" not in k and "Stopping" not in k
    )
    assert {c["label"]: c["people"] for c in data["profiles"]} == {"Small": 3, "Large": 1}
    assert {c["label"]: c["people"] for c in data["choices"]} == {
        "Small / Image: Python": 2,
        "Small / Image: Geospatial": 1,
        "Small / Memory: 2 GB": 2,
        "Small / Memory: 8 GB": 1,
    }
    running = data["running"]
    assert running["total"] == 3 and running["currency"] == "USD" and running["unpriced"] == 0
    assert running["cost_per_hour"] == pytest.approx(0.2 + 0.05 + 0.5)
    assert {(g["label"], g["servers"], g["cost_per_hour"]) for g in running["groups"]} == {
        (SMALL_GEO_8, 1, 0.2),
        (SMALL_PY_2, 1, 0.05),
        ("Large", 1, 0.5),
    }
    assert data["at_risk"]["servers"] == [] and data["at_risk"]["cost_over_limits"] is None
    modules = {m["module"]: m for m in data["modules"]}
    assert (modules["welcome"]["started"], modules["welcome"]["completed"]) == (3, 3)
    survives = modules["stopping-your-server"]
    assert (survives["started"], survives["completed"], survives["started_not_finished"]) == (3, 1, 2)  # BEN, CAI
    assert all(m["started"] == 0 for key, m in modules.items() if key not in {"welcome", "stopping-your-server"})
    assert data["weekly_active"][-1]["people"] == 5 and all(w["people"] == 0 for w in data["weekly_active"][:-1])
    # The CSV files hold the same numbers.
    funnel_csv = (out / "funnel.csv").read_text().splitlines()
    assert funnel_csv[0] == "step,people" and "Logged in,5" in funnel_csv and "Started a server,4" in funnel_csv
    assert "Large,1,0.5,USD" in (out / "running.csv").read_text().splitlines()


def test_names_off_no_name_anywhere_and_small_groups_withheld(onboarded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    replica, _ = onboarded
    out = tmp_path / "report"
    result = _run_report(replica, out, "--homes", str(replica.state_dir / "homes"))  # the hub file's threshold: 5
    assert result.returncode == 0, result.stderr
    for path in sorted(out.iterdir()):
        text = path.read_text()
        for name in EVERYONE:
            assert name not in text, f"{name} in {path.name}"
        assert replica.api_token not in text
    data = json.loads((out / "report.json").read_text())
    funnel = {c["label"]: c["people"] for c in data["funnel"]}
    assert funnel["Have an account on the hub"] == 6 and funnel["Logged in"] == 5
    assert funnel["Started a server"] is None  # 4 people: fewer than 5
    assert [(c["label"], c["people"]) for c in data["profiles"]] == [("Other (small groups merged)", None)]
    assert "fewer than 5" in (out / "index.html").read_text()
    named = tmp_path / "named"
    assert _run_report(replica, named, "--names").returncode == 0
    assert all(name in (named / "report.json").read_text() for name in OPTIONS if name != DOV)


@pytest.mark.skipif(not FAKETIME.exists(), reason="libfaketime is not installed")
def test_servers_beyond_the_culler_are_money_at_risk(onboarded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Eight days later (libfaketime moves the command's clock): every running server is idle and too old."""
    replica, _ = onboarded
    out = tmp_path / "report"
    clock = {"LD_PRELOAD": str(FAKETIME), "FAKETIME": "+8d", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    result = _run_report(replica, out, "--min-group-size", "1", env=clock)
    assert result.returncode == 0, result.stderr
    data = json.loads((out / "report.json").read_text())
    risky = data["at_risk"]["servers"]
    assert sorted((r["reason"], r["label"]) for r in risky) == sorted(
        (reason, label) for reason in ("idle", "too old") for label in (SMALL_GEO_8, SMALL_PY_2, "Large")
    )
    for server in risky:
        assert server["over_hours"] > 0
        assert server["cost_over_limit"] == pytest.approx(server["over_hours"] * server["cost_per_hour"], abs=0.01)
    assert data["at_risk"]["cost_over_limits"] == pytest.approx(sum(r["cost_over_limit"] for r in risky), abs=0.01)


# --- the page in a browser ----------------------------------------------------------------------------


@pytest.mark.browser
def test_the_report_page_passes_axe_offline(onboarded, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    from training.gates.static_server import serve_directory

    replica, _ = onboarded
    out = tmp_path / "report"
    assert _run_report(replica, out, "--homes", str(replica.state_dir / "homes"), "--names").returncode == 0
    context = browser.new_context()
    blocked = block_other_hosts(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    try:
        with serve_directory(out) as url:
            page.goto(url + "index.html")
            page.wait_for_load_state("load")
            violations = [
                f"{v['id']} at {' '.join(n['target'])}"
                for v in Axe().run(page).response["violations"]
                for n in v["nodes"]
            ]
            images = page.locator("img").count()
            loaded = page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    finally:
        context.close()
    report_gate(
        f"axe [onboarding report]: 1 page, {len(violations)} violations; offline: {len(blocked)} blocked requests"
    )
    assert violations == []
    assert blocked == [] and errors == []
    assert images >= 3 and loaded


# --- bad input ----------------------------------------------------------------------------------------


def test_a_wrong_token_is_one_line_and_no_report(onboarded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    replica, _ = onboarded
    out = tmp_path / "report"
    result = _run_report(replica, out, token="not-a-valid-token-0123456789")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "refused the token in $JUPYTERHUB_API_TOKEN (HTTP 403)" in result.stderr
    assert "not-a-valid-token" not in result.stderr + result.stdout
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_a_token_without_the_scopes_is_named(onboarded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    replica, _ = onboarded
    person = HubUser(replica, EVE)
    person.log_in()
    narrow = person.hub_api("POST", f"users/{EVE}/tokens", {"scopes": ["read:users:name!user"], "note": "narrow"})
    result = _run_report(replica, tmp_path / "report", token=narrow["token"])
    assert result.returncode == 1
    assert result.stderr == (
        "hub-training report: the token in $JUPYTERHUB_API_TOKEN lacks the scope(s) list:users, read:users, "
        "read:servers; expected a token whose role has list:users, read:users, read:servers\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_no_hub_is_one_line_and_no_report(onboarded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    replica, _ = onboarded
    nowhere = f"http://127.0.0.1:{processes.free_port()}/hub/api"
    result = _run_report(replica, tmp_path / "report", api_url=nowhere)
    assert result.returncode == 1
    assert result.stderr.startswith(f"hub-training report: no hub answers at {nowhere} (")
    assert result.stderr.count("\n") == 1 and list(tmp_path.iterdir()) == []


def test_a_malformed_stamp_is_named_and_the_last_report_stays(onboarded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    replica, _ = onboarded
    homes = tmp_path / "homes"
    shutil.copytree(replica.state_dir / "homes", homes, symlinks=True)
    out = tmp_path / "report"
    assert _run_report(replica, out, "--homes", str(homes)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = homes / BEN / ".hub-training/completed/welcome.json"
    broken.write_text('{"format": 1, "module": "welcome", "exercise": "hello-hub", "checks": {}}')
    result = _run_report(replica, out, "--homes", str(homes))
    assert result.returncode == 1
    assert result.stderr == (
        f"hub-training report: {broken}: malformed completion stamp: completed_at is None; expected an ISO time "
        "such as 2026-11-20T10:15:00+00:00\n"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # the earlier report is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["homes", "report"]  # no staging folder left
