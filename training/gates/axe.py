"""axe-core in Chromium on every page of a built site (``hub-training gates --axe``).

Needs the ``gates`` extra (Playwright, axe-playwright-python) and a Chromium: Debian's when
installed, else Playwright's own. The site is served on 127.0.0.1 and every request to another
host is refused, so a page that needs one shows up as a console error, not as a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from training.gates.site_checks import html_pages
from training.gates.static_server import serve_directory
from training.replay.chromium import launch_options

#: axe-core fetches a style sheet's relative ``@import`` from the page's folder instead of the
#: sheet's (https://github.com/dequelabs/axe-core/issues/5268); those 404s are axe's, not the page's.
AXE_OWN_ERROR = "Failed to load resource: the server responded with a status of 404"


class AxeUnavailable(Exception):
    """The ``gates`` extra or a browser is missing; the message says what to install."""


@dataclass(frozen=True)
class AxeReport:
    pages: int
    problems: list[str]


def check_axe(site: Path) -> AxeReport:
    """axe's violations, requests to other hosts and console errors, on every page (light mode)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise AxeUnavailable('--axe needs the gates extra: pip install "hub-training[gates]"') from None
    names = [page.relative_to(site).as_posix() for page in html_pages(site)]
    problems: list[str] = []
    axe_running = False

    def on_console(message, name: str) -> None:  # type: ignore[no-untyped-def]
        own = axe_running and message.text.startswith(AXE_OWN_ERROR) and message.location["url"].endswith(".css")
        if message.type == "error" and not own:
            problems.append(f"{name}: console error: {message.text}")

    def route(route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            problems.append(f"{current}: requests {url}")
            route.abort()

    current = ""
    with serve_directory(site) as base, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(**launch_options())
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0]
            raise AxeUnavailable(f"--axe needs Chromium ({first}); install chromium") from None
        context = browser.new_context()
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda message: on_console(message, current))
        for current in names:  # the handlers above name the page loaded now
            page.goto(f"{base}{current}")
            page.wait_for_load_state("load")
            axe_running = True
            for violation in Axe().run(page).response["violations"]:
                for node in violation["nodes"]:
                    target = " ".join(node["target"])
                    problems.append(f"{current}: {violation['id']} ({violation['impact']}) at {target}")
            page.evaluate("0")  # console messages of axe's run are delivered before this returns
            axe_running = False
        browser.close()
    return AxeReport(len(names), problems)
