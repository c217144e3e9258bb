"""The live server: rebuilds on save in the same process and pages reload themselves."""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from training.cli.live import RELOAD_SCRIPT, serve_live, snapshot

from .services import free_port


def test_snapshot_watches_sources_and_ignores_build_output(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "b.md").write_text("x")
    (tmp_path / "c.bin").write_text("x")
    assert list(snapshot([tmp_path])) == [tmp_path / "a.md"]


def _site(tmp_path: Path) -> tuple[Path, Path]:
    """A source page saying "first" and an output folder outside the watched one (as _build is)."""
    source, out = tmp_path / "src" / "page.md", tmp_path / "out"
    source.parent.mkdir()
    out.mkdir()
    source.write_text("first")
    return source, out


def _serve(build: Callable[[], int], out: Path, source: Path) -> str:
    """Start the live server in a thread, watching the source's folder; its URL."""
    port = free_port()
    threading.Thread(
        target=serve_live,
        args=(build, out, [source.parent]),
        kwargs={"port": port, "interval": 0.05, "log": lambda _: None},
        daemon=True,
    ).start()
    return f"http://127.0.0.1:{port}/"


def _save(path: Path, text: str) -> None:
    """Save as editors do: the new text replaces the file at once (a watcher never sees it empty)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text)
    temporary.replace(path)


def test_save_rebuilds_and_serves_the_change(tmp_path: Path) -> None:
    source, out = _site(tmp_path)
    builds: list[str] = []

    def build() -> int:
        text = source.read_text()
        (out / "index.html").write_text(f"<html><body><p>{text}</p></body></html>")
        builds.append(text)
        return 0

    url = _serve(build, out, source)
    deadline = time.monotonic() + 10
    while True:
        try:
            page = urllib.request.urlopen(url, timeout=1).read()
            break
        except OSError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert b"<p>first</p>" in page and RELOAD_SCRIPT in page
    first_build = urllib.request.urlopen(url + "__build").read()
    time.sleep(0.05)
    _save(source, "second")
    deadline = time.monotonic() + 10
    while b"<p>second</p>" not in urllib.request.urlopen(url, timeout=1).read():
        assert time.monotonic() < deadline, builds
        time.sleep(0.05)
    assert urllib.request.urlopen(url + "__build").read() != first_build  # open pages reload
    assert builds == ["first", "second"]


def test_a_save_during_a_build_is_not_lost(tmp_path: Path) -> None:
    """The maintainer saves while the first build runs: the server must build again, not miss it."""
    source, out = _site(tmp_path)
    builds: list[str] = []

    def build() -> int:
        text = source.read_text()
        if not builds:  # save while the first build runs
            time.sleep(0.05)  # mtimes must differ
            source.write_text("saved during the build")
        (out / "index.html").write_text(f"<p>{text}</p>")
        builds.append(text)
        return 0

    _serve(build, out, source)
    deadline = time.monotonic() + 10
    while builds[-1:] != ["saved during the build"]:
        assert time.monotonic() < deadline, builds
        time.sleep(0.05)
    assert builds == ["first", "saved during the build"]
