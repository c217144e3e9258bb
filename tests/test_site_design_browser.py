"""The site as people use it in Chromium: the phone's menu and contents drawer, the landing page's
start button, readable screenshots, learner-first search and a module printed from the browser."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from PIL import Image

from training.sphinx_ext.screenshot_figure import SMALLEST_SCALE

from .conftest import BuiltSite, block_other_hosts

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MODULE = "modules/stopping-your-server/index.html"


def _new_page(browser, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    block_other_hosts(context)
    return context.new_page()


def test_phone_menu_opens_and_follows_a_link(browser, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser, PHONE)
    page.goto(demo_url + MODULE)
    toggles = page.locator(".primary-toggle")
    assert toggles.count() == 1, "one menu button: a hidden second one would take its clicks"
    toggles.click()
    menu = page.locator("#pst-primary-sidebar-modal")
    menu.get_by_role("link", name="All modules").wait_for(state="visible")
    assert page.evaluate("document.querySelector('#pst-primary-sidebar-modal').open")
    menu.get_by_role("link", name="All modules").click()
    page.wait_for_url("**/catalogue.html")
    assert page.locator("article h1").inner_text().startswith("All modules")
    page.context.close()


def test_phone_contents_drawer_follows_an_entry_and_closes(browser, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser, PHONE)
    page.goto(demo_url + MODULE)
    toggles = page.locator(".secondary-toggle")
    assert toggles.count() == 1
    toggles.click()
    drawer = page.locator("#pst-secondary-sidebar-modal")
    entry = drawer.get_by_role("link", name="What survives a stop")
    entry.wait_for(state="visible")
    entry.click()
    page.wait_for_url("**#what-survives-a-stop")
    page.wait_for_function("!document.querySelector('#pst-secondary-sidebar-modal').open")
    heading = page.locator("#what-survives-a-stop h2")
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"], "the heading the entry names is on screen"
    page.context.close()


def test_desktop_has_one_search_field_and_no_second_header(demo_site: BuiltSite) -> None:
    soup = demo_site.page(MODULE)
    assert soup.select("#pst-header button, #pst-header .navbar-item") == [], "the theme's extra header stays empty"
    assert len(soup.select(".search-button-field")) == 1


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_start_button_above_the_fold_leads_to_the_quick_start(browser, demo_url: str, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser, viewport)
    page.goto(demo_url + "index.html")
    button = page.locator(".training-start a")
    assert button.count() == 1, "one obvious start button"
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= viewport["height"], f"below the fold: {box}"
    button.click()
    page.wait_for_url("**/quick-start.html")
    assert page.locator("article h1").inner_text().startswith("Quick start")
    page.context.close()


#: The replica's interface text is 13 px at the screenshots' scale 1; the smallest it may be drawn.
REPLICA_TEXT_PX = 13
SMALLEST_TEXT_PX = 9

_MEASURE_SCREENSHOTS = """() => {
  const found = [];
  for (const image of document.querySelectorAll("figure.training-screenshot img")) {
    // show pictures kept in closed tabs and collapsed boxes, as a reader who opens them sees them
    for (let node = image; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
      if (node.classList && node.classList.contains("sd-tab-content")) {
        const label = node.previousElementSibling;
        if (label) label.click();
      }
    }
    found.push([image.getAttribute("src"), image.naturalWidth, image.getBoundingClientRect().width]);
  }
  return found;
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshot_text_is_never_drawn_below_9_px(
    browser, demo_site: BuiltSite, demo_url: str, viewport: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    """Rule: drawn width / natural width * 13 px (the replica's body text) >= 9 px, on every
    screenshot of every module, on a 1280 px desktop and a 390 px phone; and no screenshot is drawn
    wider than its pixels (which would blur it)."""
    page = _new_page(browser, viewport)
    measured: list[tuple[str, str, float]] = []
    for path in sorted(demo_site.html.glob("modules/*/index.html")):
        name = path.relative_to(demo_site.html).as_posix()
        page.goto(demo_url + name)
        page.wait_for_load_state("load")
        for src, natural, drawn in page.evaluate(_MEASURE_SCREENSHOTS):
            assert natural > 0, f"{name}: {src} did not load"
            measured.append((name, src, drawn / natural))
    page.context.close()
    assert len(measured) >= 25, "the modules' screenshots were measured"
    too_small = [
        (n, s, round(r * REPLICA_TEXT_PX, 1)) for n, s, r in measured if r * REPLICA_TEXT_PX < SMALLEST_TEXT_PX
    ]
    upscaled = [(n, s, r) for n, s, r in measured if r > 1.001]
    assert too_small == []
    assert upscaled == []
    assert SMALLEST_SCALE * REPLICA_TEXT_PX >= SMALLEST_TEXT_PX  # the CSS floor keeps the rule


def test_enter_on_a_screenshot_opens_the_full_size_picture(browser, demo_site: BuiltSite, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    page = _new_page(browser, PHONE)
    page.goto(demo_url + "modules/jupyterlab-tour/index.html")
    link = page.locator("a.training-screenshot-link").first
    href = link.get_attribute("href")
    assert href and href.startswith("../../_images/") and href.endswith(".png"), href
    assert (demo_site.html / "modules/jupyterlab-tour" / href).resolve().is_file(), "a plain link to a real file"
    with Image.open(demo_site.html / "modules/jupyterlab-tour" / href) as picture:
        full_width = picture.width
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/_images/.*\.png$"))
    assert page.evaluate("document.images[0].naturalWidth") == full_width
    page.context.close()


#: Searches a learner makes, and the page that must come first.
LEARNER_SEARCHES = {
    "stop server": "modules/stopping-your-server/index.html",
    "cost": "modules/welcome/index.html",
    "log in": "modules/logging-in/index.html",
    "upload": "modules/your-files/index.html",
    "packages": "modules/installing-packages/index.html",
    "install packages": "modules/installing-packages/index.html",
    "bucket": "modules/cloud-data/index.html",
    "materials": "modules/getting-materials/index.html",
    "git": "modules/git-and-github/index.html",
    "help": "modules/getting-help/index.html",
    "terminal": "modules/jupyterlab-tour/index.html",
    "RStudio": "modules/rstudio-tour/index.html",
    "download": "modules/your-files/index.html",
    "choose environment": "modules/choosing-an-environment/index.html",
}


def _learner_page(href: str) -> bool:
    """A module or one of the learner's own pages; every other page (instructors, the PI) comes below them."""
    from training.sphinx_ext.theme_fixes import LEARNER_PAGES

    docname = href.removesuffix(".html")
    return docname.startswith("modules/") or docname in LEARNER_PAGES


def test_search_ranks_learner_pages_first(page, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    tops: dict[str, str] = {}
    learner_first: dict[str, bool] = {}
    for query in LEARNER_SEARCHES:
        page.goto(demo_url + "search.html?q=" + urllib.parse.quote(query))
        results = page.locator("#search-results ul.search li > a")
        results.first.wait_for(timeout=15000)
        hrefs = [
            h.split("#")[0].split("?")[0] for h in results.evaluate_all("els => els.map(e => e.getAttribute('href'))")
        ]
        tops[query] = hrefs[0]
        audiences = ["learner" if _learner_page(h) else "other" for h in hrefs]
        learner_first[query] = audiences == sorted(audiences, key=lambda a: a != "learner")
    assert tops == LEARNER_SEARCHES
    assert all(learner_first.values()), {q: ok for q, ok in learner_first.items() if not ok}


#: A4 pages a module may print to (it printed to 13 with the screen layout).
PRINTED_PAGES_LIMIT = 10


def test_a_module_prints_compactly(page, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_url + "modules/jupyterlab-tour/index.html")
    page.wait_for_load_state("load")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 <= pages <= PRINTED_PAGES_LIMIT, pages
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.bd-sidebar-primary', '.bd-sidebar-secondary', '.bd-header-article', '.prev-next-area', '.training-watch-it']
            .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)"""
    )
    assert hidden and set(hidden) == {"none"}, hidden
    widths = page.evaluate(
        """() => [...document.querySelectorAll('figure.training-screenshot img')].map(i =>
            [i.getBoundingClientRect().width, document.querySelector('article').getBoundingClientRect().width])"""
    )
    assert widths and all(image <= text + 0.5 for image, text in widths), "screenshots fit the text width"


def test_no_page_is_wider_than_a_phone(browser, demo_site: BuiltSite, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    """On a 390-px phone every page lays out at 390 px: one wide element (a video, a table, a
    screenshot) would make the phone zoom the whole page out, and the menu then misses its taps."""
    page = _new_page(browser, PHONE)
    wider = {}
    for path in demo_site.pages():
        name = path.relative_to(demo_site.html).as_posix()
        if name.startswith("_static/"):
            continue  # the themes' template fragments, not pages
        page.goto(demo_url + name)
        width = page.evaluate("window.innerWidth")
        if width != PHONE["width"]:
            wider[name] = width
    page.context.close()
    assert wider == {}
