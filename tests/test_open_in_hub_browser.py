"""The "Open in hub" buttons and links in Chromium: reachable with Tab, a visible focus ring, no axe violations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import DEMO_HUB, SITES, run_sphinx

pytestmark = pytest.mark.browser

PAGE = "modules/first-steps/index.html"
RING = "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor] }"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The test site for the demo hub (JupyterLab and RStudio: buttons, inline links and the RStudio note)."""
    from training.gates.static_server import serve_directory

    out = tmp_path_factory.mktemp("open_in_hub_browser") / "html"
    result = run_sphinx(SITES / "open_in_hub", out, DEMO_HUB)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve_directory(Path(out)) as base:
        yield base


def tab_to(page, target) -> None:  # type: ignore[no-untyped-def]
    """Press Tab from the top until ``target`` has focus: proves a keyboard user can reach it."""
    page.locator("body").focus()
    handle = target.element_handle()
    for _ in range(150):
        page.keyboard.press("Tab")
        if page.evaluate("el => document.activeElement === el", handle):
            return
    pytest.fail(f"Tab never reached {target}")


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize(
    "selector", ["a.training-open-in-hub-button >> nth=0", "a.training-open-in-hub-inline >> nth=0"]
)
def test_reachable_with_tab_and_focus_ring_visible(page, url: str, mode: str, selector: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + PAGE)
    page.evaluate(f"document.documentElement.dataset.theme = {mode!r}")
    target = page.locator(selector)
    assert target.is_visible()
    tab_to(page, target)
    assert target.evaluate("el => el.matches(':focus-visible')")
    style, width, color = target.evaluate(RING)
    assert style == "solid"
    assert float(width.removesuffix("px")) >= 2
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.blocked_requests == []


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_axe_finds_no_violations(page, url: str, mode: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    # The mode is chosen before the page loads, as a returning visitor's: switching it on a loaded
    # page catches the theme's colour transitions half way and axe measures an in-between contrast.
    page.context.add_init_script(f"localStorage.setItem('mode', {mode!r}); localStorage.setItem('theme', {mode!r});")
    for name in (PAGE, "links.html"):
        page.goto(url + name)
        page.wait_for_function(f"document.documentElement.dataset.theme === {mode!r}")
        assert page.locator(".training-open-in-hub-note").first.is_visible()
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
