"""A real JupyterHub on this machine that looks, to its users, like the hub a hub profile describes.

What is real: JupyterHub (login page, spawn page, Hub Control Panel, logout), KubeSpawner's Server
Options form and profile logic (or jupyterhub-fancy-profiles, 2i2c's current form), JupyterLab,
nbgitpuller, the Python kernel and R's IRkernel. What is replaced: Kubernetes (servers are local
processes of the current venv), the OAuth provider (its button logs in a test user at once, see
:mod:`training.replay.replica.auth`) and the home path (a temporary folder). RStudio and VS Code cannot run
here; :attr:`Replica.unavailable` names them so walkthroughs skip and list their steps.

Use it as a context manager::

    with Replica(load_hub_profile(None)) as hub:
        print(hub.url)   # http://127.0.0.1:<port>/

Everything lives under one temporary state folder (database, cookie secret, pid files, user homes,
per-user Jupyter settings); ports are free ports of 127.0.0.1. Teardown stops every process that
carries the replica's token, by PID, and waits until its ports are closed. A replica left by a
killed run is stopped by the next :meth:`Replica.start` (see :mod:`training.replay.replica.processes`).
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from training.model.hub_profile import HubProfile
from training.replay.replica import processes
from training.replay.replica.auth import LOGIN_SERVICES

__all__ = ["Replica", "ReplicaError", "cleanup_stale", "proxy_command"]

cleanup_stale = processes.cleanup_stale

#: Where ``npm`` installs configurable-http-proxy when it is not on PATH (once per machine).
PROXY_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hub-training" / "chp"
PROXY_PACKAGE = "configurable-http-proxy@5"

#: Interfaces and languages this machine cannot serve, and why (listed by every walkthrough run).
NOT_INSTALLABLE = {
    "rstudio": "RStudio Server cannot be installed here (not in Debian or PyPI)",
    "vscode": "code-server is not installed in the replica",
    "desktop": "the Linux desktop (jupyter-remote-desktop-proxy and a VNC server) is not installed in the replica",
}

#: The JupyterLab plugin that asks "Would you like to get notified about official Jupyter news?".
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"


class ReplicaError(RuntimeError):
    """The replica could not start (the message says what to install or where the log is)."""


def proxy_command() -> list[str]:
    """configurable-http-proxy: ``$HUB_TRAINING_CHP``, PATH, the npm cache, else install it there."""
    explicit = os.environ.get("HUB_TRAINING_CHP")
    if explicit:
        return [explicit]
    found = shutil.which("configurable-http-proxy")
    if found:
        return [found]
    cached = PROXY_CACHE / "node_modules" / ".bin" / "configurable-http-proxy"
    if not cached.exists():
        npm = shutil.which("npm")
        if not npm:
            raise ReplicaError(
                "configurable-http-proxy not found and npm is missing; install Node.js and run "
                f"`npm install -g {PROXY_PACKAGE}`"
            )
        PROXY_CACHE.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(PROXY_CACHE),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                PROXY_PACKAGE,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not cached.exists():
            raise ReplicaError(f"npm could not install {PROXY_PACKAGE} into {PROXY_CACHE}:\n{result.stderr[-2000:]}")
    return [str(cached)]


def _die_with_parent() -> None:
    """In the hub's child process: get SIGTERM when the process that started it dies (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Replica:
    """A local JupyterHub for ``hub`` (see the module docstring). Start with ``with`` or :meth:`start`."""

    def __init__(
        self,
        hub: HubProfile,
        *,
        username: str = "researcher",
        groups: list[str] | None = None,
        form: str = "auto",
        log: Callable[[str], None] | None = None,
    ):
        """``groups``: the test user's groups (default: every group a profile or a choice is restricted
        to, so the Server Options page shows every profile and every choice). ``form``: ``fancy``, ``classic`` or ``auto``
        (fancy when jupyterhub-fancy-profiles is installed)."""
        self.hub = hub
        self.username = username
        every_group = {g for p in hub.profile_list for g in p.restricted_to} | {
            g
            for p in hub.profile_list
            for o in p.profile_options.values()
            for c in o.choices.values()
            for g in c.allowed_groups or []
        }
        self.groups = sorted(every_group) if groups is None else groups
        self.form = self._pick_form(form)
        self.password = "replica-" + secrets.token_hex(8) if hub.login.provider == "shared-password" else None
        self.log = log or (lambda line: print(line, file=sys.stderr))
        self.token = secrets.token_hex(8)
        self.api_token = secrets.token_hex(24)
        self.state_dir: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.port = self.hub_port = self.proxy_api_port = 0
        self.record: processes.Record | None = None
        self.unavailable: dict[str, str] = {}
        self._previous_sigterm: Any = None

    # --- what the replica offers ---------------------------------------------------------------

    @staticmethod
    def _pick_form(form: str) -> str:
        if form not in {"auto", "fancy", "classic"}:
            raise ValueError(f"form must be auto, fancy or classic, not {form!r}")
        if form == "classic":
            return "classic"
        try:
            import jupyterhub_fancy_profiles  # noqa: F401
        except ImportError:
            if form == "fancy":
                raise
            return "classic"
        return "fancy"

    @property
    def login_service(self) -> str | None:
        """The provider name on the login button ("GitHub", ...); None for a username/password form."""
        return LOGIN_SERVICES.get(self.hub.login.provider)

    @property
    def features(self) -> set[str]:
        """The hub's features that the replica can really show (``hub.features`` minus unavailable)."""
        return self.hub.features - set(self.unavailable)

    def _find_unavailable(self) -> dict[str, str]:
        missing = {name: why for name, why in NOT_INSTALLABLE.items() if name in self.hub.interfaces}
        if "notebook" in self.hub.interfaces:
            try:
                import notebook  # noqa: F401
            except ImportError:
                missing["notebook"] = "the notebook package (Notebook 7) is not installed in this environment"
        if "r" in self.hub.languages and not shutil.which("R"):
            missing["r"] = "R is not installed (apt-get install r-base-core r-cran-irkernel)"
        return missing

    # --- URLs and the REST API -----------------------------------------------------------------

    @property
    def url(self) -> str:
        """The replica's address, ending with '/' (stands in for ``hub.url``)."""
        return f"http://127.0.0.1:{self.port}/"

    def home(self, username: str | None = None) -> Path:
        assert self.state_dir is not None
        return self.state_dir / "homes" / (username or self.username)

    @property
    def log_file(self) -> Path:
        assert self.state_dir is not None
        return self.state_dir / "jupyterhub.log"

    def api(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        """Call the hub's REST API (``path`` after ``/hub/api/``) with the replica's service token."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}hub/api/{path.lstrip('/')}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.api_token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def user_model(self, username: str | None = None) -> dict[str, Any] | None:
        try:
            return self.api("GET", f"users/{username or self.username}")
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def server_running(self, username: str | None = None) -> bool:
        model = self.user_model(username)
        return bool(model and model.get("servers", {}).get("", {}).get("ready"))

    def stop_server(self, username: str | None = None, timeout: float = 60) -> None:
        """Stop a user's server (if any) and wait until the hub says it is gone."""
        name = username or self.username
        model = self.user_model(name)
        if not model or "" not in model.get("servers", {}):
            return
        with contextlib.suppress(urllib.error.HTTPError):
            self.api("DELETE", f"users/{name}/server")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.user_model(name)
            if not model or "" not in model.get("servers", {}):
                return
            time.sleep(0.3)
        raise ReplicaError(f"the server of {name} did not stop within {timeout} s; see {self.log_file}")

    def reset_user(self, username: str | None = None) -> None:
        """Stop the user's server and forget their files and Jupyter settings: a first-day user again."""
        name = username or self.username
        self.stop_server(name)
        assert self.state_dir is not None
        shutil.rmtree(self.home(name), ignore_errors=True)
        shutil.rmtree(self.state_dir / "jupyter" / name, ignore_errors=True)

    # --- start and stop -------------------------------------------------------------------------

    def __enter__(self) -> Replica:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 90) -> None:
        """Start the hub and wait until its login page answers; on any failure, stop what was started."""
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, timeout: float) -> None:
        processes.cleanup_stale(self.log)
        self.unavailable = self._find_unavailable()
        self.state_dir = Path(tempfile.mkdtemp(prefix=f"hub-training-replica-{self.hub.id}-"))
        self.port, self.hub_port, self.proxy_api_port = processes.free_ports(3)
        self.record = processes.Record(
            token=self.token,
            hub_id=self.hub.id,
            state_dir=str(self.state_dir),
            owner_pid=os.getpid(),
            owner_start=processes.process_start_time(os.getpid()),
            ports=[self.port, self.hub_port, self.proxy_api_port],
        )
        self.record.write()  # before any process exists, so a kill -9 from here on is cleaned up
        self._install_sigterm_handler()
        config = self._write_config()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(config)],
            cwd=self.state_dir,
            env=self._hub_environment(),
            stdin=subprocess.DEVNULL,
            stdout=self.log_file.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal reaches pytest, which stops the hub cleanly
            preexec_fn=_die_with_parent,
        )
        self.record.hub_pid = self.process.pid
        self.record.write()
        self._wait_ready(timeout)

    def _hub_environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env[processes.MARKER] = self.token
        venv_bin = str(Path(sys.executable).parent)
        env["PATH"] = f"{venv_bin}:{env.get('PATH', '/usr/bin:/bin')}"
        return env

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ReplicaError(f"JupyterHub exited with status {self.process.returncode}:\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}hub/login", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
                pass  # not listening yet, or not answering HTTP yet: the hub's exit or the deadline decides
            time.sleep(0.25)
        raise ReplicaError(f"JupyterHub did not answer on {self.url}hub/login within {timeout} s:\n{self._log_tail()}")

    def _log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop every process of the replica by PID, wait for its ports to close, remove its state."""
        if self.record is None:
            return
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # JupyterHub stops the servers and the proxy it started
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        leftover = processes.stop_marked(self.token)
        if leftover:
            self.log(f"hub-training replica: stopped left-over processes {leftover}")
        busy = processes.wait_ports_closed(self.record.ports, 10)
        self._restore_sigterm_handler()
        if busy:
            raise ReplicaError(f"ports {busy} of the replica are still open after stopping it")
        if self.state_dir is not None:
            shutil.rmtree(self.state_dir, ignore_errors=True)
        self.record.remove()
        self.record = None

    def _install_sigterm_handler(self) -> None:
        """``kill <pytest>`` runs teardown too (Python's default SIGTERM would skip ``finally``)."""
        if threading.current_thread() is not threading.main_thread():
            return

        def on_sigterm(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt(f"signal {signum}")  # pytest then stops and runs every teardown

        self._previous_sigterm = signal.signal(signal.SIGTERM, on_sigterm)

    def _restore_sigterm_handler(self) -> None:
        if self._previous_sigterm is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None

    # --- files the hub reads --------------------------------------------------------------------

    def _write_config(self) -> Path:
        assert self.state_dir is not None
        state = self.state_dir
        (state / "homes").mkdir()
        seed = state / "jupyter-seed"
        kernels = ["python3"]
        jupyter_path = []
        if "r" in self.hub.languages and "r" not in self.unavailable:
            jupyter_path.append(str(self._install_irkernel()))
            kernels.append("ir")
        self._write_jupyter_seed(seed, kernels)
        venv_bin = str(Path(sys.executable).parent)
        environment = {
            processes.MARKER: self.token,
            "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "TZ": "UTC",
        }
        if jupyter_path:
            environment["JUPYTER_PATH"] = os.pathsep.join(jupyter_path)
        # The bucket variables, as 2i2c-style hubs set them for every server: the user's own prefix.
        for bucket in (self.hub.storage.scratch, self.hub.storage.persistent):
            if bucket is not None:
                environment[bucket.env] = bucket.url.replace("{username}", self.username)
        settings = {
            "state_dir": str(state),
            "port": self.port,
            "hub_port": self.hub_port,
            "proxy_api_port": self.proxy_api_port,
            "proxy_command": proxy_command(),
            "provider": self.hub.login.provider,
            "login_service": self.login_service,
            "password": self.password,
            "username": self.username,
            "groups": self.groups,
            "shutdown_on_logout": self.hub.login.shutdown_on_logout,
            "api_token": self.api_token,
            "profile_list": [p.model_dump(mode="json", exclude_none=True) for p in self.hub.profile_list],
            "singleuser": str(Path(sys.executable).with_name("jupyterhub-singleuser")),
            "environment": environment,
            "form": self.form,
        }
        (state / "replica.json").write_text(json.dumps(settings, indent=1))
        config = state / "jupyterhub_config.py"
        config.write_text(
            "from training.replay.replica.hubconfig import configure\n\n"
            f"configure(c, {str(state / 'replica.json')!r})  # noqa: F821\n"
        )
        return config

    def _write_jupyter_seed(self, seed: Path, kernels: list[str]) -> None:
        """Each user's Jupyter config: no news toast, the hub's kernels only, a hub-like prompt."""
        user = Path(self.hub.storage.home_dir).name or "jovyan"
        (seed / "config" / "labconfig").mkdir(parents=True)
        # What `jupyter labextension disable <plugin>` writes, but for this replica's users only.
        (seed / "config" / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": {NEWS_PLUGIN: True}}, indent=1)
        )
        # Terminal: text readable by tests (xterm's accessibility rows), a cursor that does not blink.
        terminal = seed / "lab-settings" / "@jupyterlab" / "terminal-extension"
        terminal.mkdir(parents=True)
        (terminal / "plugin.jupyterlab-settings").write_text(
            json.dumps({"screenReaderMode": True, "cursorBlink": False}, indent=1)
        )
        server_config = {
            "KernelSpecManager": {"allowed_kernelspecs": kernels},
            "ServerApp": {"terminado_settings": {"shell_command": ["/bin/bash", "--rcfile", "BASHRC", "-i"]}},
        }
        (seed / "config" / "jupyter_server_config.json").write_text(
            json.dumps(server_config, indent=1).replace("BASHRC", str(self.state_dir / "bashrc"))
        )
        # The prompt of a 2i2c image (jovyan@jupyter-<name>:~$), not root@<this machine>:~#.
        (self.state_dir / "bashrc").write_text(f"PS1='{user}@jupyter-'\"$USER\"':\\w$ '\n")  # type: ignore[operator]

    def _install_irkernel(self) -> Path:
        """``IRkernel::installspec`` into the replica (not the machine); return the JUPYTER_PATH entry."""
        assert self.state_dir is not None
        prefix = self.state_dir / "r-kernel"
        env = self._hub_environment()
        result = subprocess.run(
            ["R", "--slave", "-e", f"IRkernel::installspec(user = FALSE, prefix = '{prefix}')"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        spec = prefix / "share" / "jupyter"
        if result.returncode != 0 or not (spec / "kernels" / "ir" / "kernel.json").exists():
            raise ReplicaError(
                f"IRkernel::installspec failed (is r-cran-irkernel installed?):\n{result.stderr[-2000:]}"
            )
        return spec
