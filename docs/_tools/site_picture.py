"""The README's picture of the built site, taken in Chromium from the built demo site (never by hand)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

from training.replay.chromium import CHROMIUM_ARGS


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def take_site_picture(html_dir: Path, out: Path, page: str = "docs/start-here.html") -> Path:
    """Photograph ``page`` of a built site at 1280×800 into ``out`` (PNG)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with sync_playwright() as playwright:
            options: dict[str, object] = {"headless": True, "args": CHROMIUM_ARGS}
            chromium = shutil.which("chromium")
            if chromium:
                options["executable_path"] = chromium
            browser = playwright.chromium.launch(**options)
            context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
            context.add_init_script("localStorage.setItem('mode','light'); localStorage.setItem('theme','light');")
            tab = context.new_page()
            tab.goto(f"http://127.0.0.1:{server.server_address[1]}/{page}")
            tab.wait_for_load_state("load")
            out.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(out))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out
