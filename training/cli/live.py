"""``hub-training build --live``: serve the site and rebuild it, in one warm process, on every save.

Why not sphinx-autobuild: it starts a new ``sphinx-build`` process per change, and start-up (imports,
extensions) is most of a small rebuild. Here the imports stay loaded, so a change
to one module is written in about a second, and open pages reload themselves.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

WATCHED_SUFFIXES = {".md", ".py", ".yaml", ".yml", ".css", ".js", ".html", ".png", ".svg", ".json"}
IGNORED_PARTS = {
    "_build",
    ".git",
    ".nox",
    "node_modules",
    "venv",
    ".venv",
    "__pycache__",
    ".hub-training",
    ".pytest_cache",
}

RELOAD_SCRIPT = b"""<script>
(function () {
  let seen = null;
  async function poll() {
    try {
      const answer = await fetch("/__build", {cache: "no-store"});
      const build = await answer.text();
      if (seen !== null && build !== seen) location.reload();
      seen = build;
    } catch (error) { /* the server restarts: try again */ }
    setTimeout(poll, 500);
  }
  poll();
})();
</script>"""


def snapshot(roots: Iterable[Path]) -> dict[Path, float]:
    """Modification times of every watched file under ``roots``."""
    times: dict[Path, float] = {}
    for root in roots:
        for path in root.rglob("*") if root.is_dir() else [root]:
            if path.suffix in WATCHED_SUFFIXES and not IGNORED_PARTS.intersection(path.parts) and path.is_file():
                times[path] = path.stat().st_mtime
    return times


class LiveState:
    """The build counter pages poll; bumped after every build."""

    def __init__(self) -> None:
        self.build = 0


def _handler(out: Path, state: LiveState) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/__build"):
                body = str(state.build).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT + b"</body>", 1)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

    return functools.partial(Handler, directory=str(out))  # type: ignore[return-value]


def serve_live(
    build: Callable[[], int],
    out: Path,
    watch: list[Path],
    port: int = 8000,
    interval: float = 0.25,
    log: Callable[[str], None] = print,
) -> None:
    """Build, serve ``out`` on 127.0.0.1:``port``, rebuild when a watched file changes (Ctrl+C stops)."""
    state = LiveState()
    # Snapshots are taken before each build: a save during a build starts the next one, never lost.
    seen = snapshot(watch)
    build()
    state.build += 1
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(out, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log(f"Serving {out} at http://127.0.0.1:{server.server_address[1]}/ — rebuilding on every save (Ctrl+C stops)")
    try:
        while True:
            time.sleep(interval)
            now = snapshot(watch)
            if now != seen:
                changed = sorted(str(p) for p in set(now) ^ set(seen) | {p for p in now if seen.get(p) != now[p]})
                log(f"Changed: {', '.join(changed[:3])}{' ...' if len(changed) > 3 else ''}")
                started = time.monotonic()
                try:
                    status = build()
                except SystemExit as exc:  # a wrong hub file: keep serving, say so
                    status = int(exc.code or 1)
                state.build += 1
                log(f"Rebuilt in {time.monotonic() - started:.1f} s" + ("" if status == 0 else " (with warnings)"))
                seen = now
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
