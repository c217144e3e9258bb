"""The README's picture of the built site, taken in Chromium from the built demo site (never by hand)."""

from __future__ import annotations

from pathlib import Path

from training.gates.static_server import serve_directory
from training.replay.chromium import launch_options


def take_site_picture(html_dir: Path, out: Path, page: str = "start-here.html") -> Path:
    """Photograph ``page`` of a built site at 1280×800 into ``out`` (PNG)."""
    from playwright.sync_api import sync_playwright

    with serve_directory(html_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
        context.add_init_script("localStorage.setItem('mode','light'); localStorage.setItem('theme','light');")
        tab = context.new_page()
        tab.goto(f"{base}{page}")
        tab.wait_for_load_state("load")
        out.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(out))
        browser.close()
    return out
