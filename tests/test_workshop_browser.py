"""The link generator in a real browser: its JavaScript agrees with the Python builder on the shared cases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from training.gates.static_server import serve_directory
from training.model.hub_profile import load_hub_profile
from training.model.nbgitpuller import nbgitpuller_url

from .test_workshop_site import build, copy_site

pytestmark = pytest.mark.browser

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "nbgitpuller_cases.json").read_text(encoding="utf-8")
)["links"]
PAGE = "link-generator.html"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small workshop test site (its link generator page is the real directive), served on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("link-generator")
    built = build(copy_site(tmp), tmp / "html")
    assert built.returncode == 0, built.output
    with serve_directory(built.html) as url:
        yield url


def test_the_shared_table_is_big_enough() -> None:
    assert len(CASES) >= 12


def test_form_is_prefilled_from_the_hub_and_works_before_any_input(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    hub = load_hub_profile()
    page.goto(site_url + PAGE)
    assert page.input_value("#lg-hub") == hub.url
    assert page.input_value("#lg-repo") == hub.materials.repo
    assert page.input_value("#lg-branch") == hub.materials.branch
    assert page.input_value("#lg-interface") == "lab"
    expected = nbgitpuller_url(hub.url, hub.materials.repo, hub.materials.branch, "", "lab")
    assert page.inner_text("#lg-output") == expected
    assert page.get_attribute("#lg-open", "href") == expected
    assert page.blocked_requests == []


def test_generator_agrees_with_python_on_every_shared_case(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(site_url + PAGE)
    checked = 0
    for case in CASES:
        page.fill("#lg-hub", case["hub_url"])
        page.fill("#lg-repo", case["repo"])
        page.fill("#lg-branch", case["branch"])
        page.fill("#lg-path", case["path"])
        page.select_option("#lg-interface", case["interface"])
        python = nbgitpuller_url(case["hub_url"], case["repo"], case["branch"], case["path"], case["interface"])
        assert page.inner_text("#lg-output") == python, case["id"]
        assert page.get_attribute("#lg-open", "href") == python, case["id"]
        assert page.is_hidden("#lg-error"), case["id"]
        checked += 1
    assert checked >= 12
    assert errors == []


def test_missing_branch_and_path_outside_the_repository_are_errors(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + PAGE)
    page.fill("#lg-branch", "")
    assert page.is_visible("#lg-error")
    assert "the branch must be explicit" in page.inner_text("#lg-error")
    assert page.get_attribute("#lg-error", "role") == "alert"
    assert page.is_disabled(".training-lg-copy")
    page.fill("#lg-branch", "main")
    page.fill("#lg-path", "../secrets.ipynb")
    assert "leaves the repository" in page.inner_text("#lg-error")
    page.fill("#lg-path", "intro/welcome.ipynb")
    assert page.is_hidden("#lg-error")
    assert page.is_enabled(".training-lg-copy")


#: The link generator's controls, in Tab order.
CONTROLS = ["#lg-hub", "#lg-repo", "#lg-branch", "#lg-path", "#lg-interface", ".training-lg-copy", "#lg-open"]
#: What makes a focus indicator: the outline and the box shadow.
RING = "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow]; }"


def _focus_ring(page, selector: str, unfocused: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """The focused element's ring, once it differs from ``unfocused`` (a CSS transition may take a moment)."""
    ring = page.locator(selector).evaluate(RING)
    for _ in range(20):
        if ring != unfocused:
            break
        page.wait_for_timeout(50)
        ring = page.locator(selector).evaluate(RING)
    return ring


def test_keyboard_only(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    """Every control is reached with Tab, shows a focus ring it did not show before, and works from the keyboard."""
    page.goto(site_url + PAGE)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    unfocused = {selector: page.locator(selector).evaluate(RING) for selector in CONTROLS}
    page.focus("#lg-hub")
    for selector in CONTROLS:
        target = page.locator(selector)
        assert target.evaluate("el => el === document.activeElement"), f"Tab did not reach {selector}"
        assert target.evaluate("el => el.matches(':focus-visible')"), selector
        ring = _focus_ring(page, selector, unfocused[selector])
        # Focus changes the outline or the box shadow: a default style that is always there does not pass.
        assert ring != unfocused[selector], (selector, ring)
        style, width, color, shadow = ring
        outline = style not in ("none", "hidden") and float(width.removesuffix("px")) >= 2
        outline = outline and color not in ("rgba(0, 0, 0, 0)", "transparent")
        assert outline or shadow not in ("none", unfocused[selector][3]), (selector, unfocused[selector], ring)
        page.keyboard.press("Tab")
    # Type a path and choose "Jupyter Notebook" with the arrow keys.
    page.focus("#lg-path")
    page.keyboard.type("intro/welcome.ipynb")
    page.focus("#lg-interface")
    page.keyboard.press("ArrowDown")
    hub = load_hub_profile()
    expected = nbgitpuller_url(hub.url, hub.materials.repo, hub.materials.branch, "intro/welcome.ipynb", "notebook")
    assert page.input_value("#lg-interface") == "notebook"
    assert page.inner_text("#lg-output") == expected
    # Enter in a field does not reload the page.
    page.focus("#lg-branch")
    page.keyboard.press("Enter")
    assert page.inner_text("#lg-output") == expected
    # The copy button works from the keyboard and says so to screen readers.
    page.focus(".training-lg-copy")
    page.keyboard.press("Enter")
    # Copying is asynchronous: it says "Copied." or, where the clipboard is refused, how to copy by hand.
    page.wait_for_function("document.querySelector('.training-lg-status').textContent !== ''", timeout=5000)
    assert page.get_attribute(".training-lg-status", "role") == "status"
