"""Find, record and stop the processes of a replica, and only those.

Every process of a replica (the hub, its proxy, the single-user servers, their kernels, terminals and
git) carries ``HUB_TRAINING_REPLICA=<token>`` in its environment: the hub sets it for itself (the
proxy inherits it) and for each server (kernels and terminals inherit it). Stopping a replica means
signalling exactly the PIDs that carry its token. A record file per running replica, in one known
folder, lets the next run find a replica whose owner was killed (``kill -9`` of pytest) and stop it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

MARKER = "HUB_TRAINING_REPLICA"

#: One JSON record per running replica: ``<token>.json``.
RECORDS_DIR = Path(os.environ.get("HUB_TRAINING_REPLICAS_DIR", Path(tempfile.gettempdir()) / "hub-training-replicas"))


def marked_pids(token: str) -> list[int]:
    """PIDs of live processes whose environment carries this replica's token (never our own)."""
    needle = f"{MARKER}={token}".encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone, or not ours to read
            continue
        if needle in environ + b"\0" and _alive(int(entry.name)):
            found.append(int(entry.name))
    return sorted(found)


def _alive(pid: int) -> bool:
    """True for a running process; False for a missing one or a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"}


def process_start_time(pid: int) -> int | None:
    """Start time of a process in clock ticks since boot (tells a PID apart from a reused one)."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def signal_pids(pids: Iterable[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def wait_gone(pids: Iterable[int], timeout: float) -> list[int]:
    """Wait until every PID has exited; return those still alive after ``timeout`` seconds."""
    remaining = list(pids)
    deadline = time.monotonic() + timeout
    while remaining and time.monotonic() < deadline:
        remaining = [pid for pid in remaining if _alive(pid)]  # a zombie counts as gone
        if remaining:
            time.sleep(0.1)
    return remaining


def stop_marked(token: str, grace: float = 5.0) -> list[int]:
    """SIGTERM every process of the replica, SIGKILL what is left after ``grace`` s; return the PIDs hit."""
    hit: list[int] = []
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 2.0)):
        pids = marked_pids(token)
        if not pids:
            break
        hit.extend(p for p in pids if p not in hit)
        signal_pids(pids, sig)
        wait_gone(pids, wait)
    return hit


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_ports_closed(ports: Iterable[int], timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    remaining = list(ports)
    while remaining and time.monotonic() < deadline:
        remaining = [p for p in remaining if port_open(p)]
        if remaining:
            time.sleep(0.1)
    return remaining


@dataclass
class Record:
    """What the next run needs to clean up after a killed run."""

    token: str
    hub_id: str
    state_dir: str
    owner_pid: int
    owner_start: int | None
    ports: list[int] = field(default_factory=list)
    hub_pid: int | None = None

    @property
    def path(self) -> Path:
        return RECORDS_DIR / f"{self.token}.json"

    def write(self) -> None:
        RECORDS_DIR.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1))
        tmp.replace(self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def owner_alive(self) -> bool:
        return _alive(self.owner_pid) and process_start_time(self.owner_pid) == self.owner_start


def records() -> list[Record]:
    found = []
    for path in sorted(RECORDS_DIR.glob("*.json")) if RECORDS_DIR.is_dir() else []:
        try:
            found.append(Record(**json.loads(path.read_text())))
        except (OSError, ValueError, TypeError):
            path.unlink(missing_ok=True)  # a half-written record: nothing can use it
    return found


def cleanup_stale(log: object = print) -> list[str]:
    """Stop the replicas whose owning process is gone; return one line per replica cleaned up.

    Replicas of a live owner (another test run on this machine) are left alone: they use their own
    ports, state folder and pid files.
    """
    done = []
    for record in records():
        if record.owner_alive():
            continue
        pids = stop_marked(record.token)
        busy = wait_ports_closed(record.ports, 5.0)
        shutil.rmtree(record.state_dir, ignore_errors=True)
        record.remove()
        line = (
            f"hub-training replica: cleaned up a stale replica of {record.hub_id!r} left by process "
            f"{record.owner_pid} (stopped PIDs {pids or 'none'}; state {record.state_dir})"
        )
        if busy:
            line += f"; ports still busy: {busy}"
        done.append(line)
        log(line)  # type: ignore[operator]
    return done
