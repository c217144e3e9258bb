"""How every Chromium of the project is started: Debian's browser when installed, never a download."""

from __future__ import annotations

import shutil

# Without the background-networking flags Chromium tries to reach Google's hosts at every start,
# which a closed network refuses (and which a self-contained site must never need).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """Debian's Chromium when installed; None lets Playwright use its own browser (user machines)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def launch_options() -> dict[str, object]:
    """Playwright's ``chromium.launch`` options for a headless browser with the flags above."""
    options: dict[str, object] = {"headless": True, "args": CHROMIUM_ARGS}
    path = chromium_path()
    if path:
        options["executable_path"] = path
    return options
