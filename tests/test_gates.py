"""Quality gates on every page of the built sites: links and anchors, leaks, escaped hub values,
self-contained, content lint, axe, offline, search.

Each gate prints a one-line summary at the end of the run (see ``report_gate``). Each gate is also
shown to catch a site broken on purpose (``tests/sites/broken``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from training.gates.site_checks import (
    check_images_have_alt,
    check_leaks,
    check_links,
    check_self_contained,
    check_values_escaped,
    html_pages,
)
from training.model.hub_profile import load_hub_profile
from training.sphinx_ext.content_lint import SPELLINGS, lint_source, literal_values

from .conftest import DEMO_HUB, HUBS, ROOT, SITES, BuiltSite, block_other_hosts, report_gate

#: Every site the static gates read, and the hub file it is built for.
SITE_HUBS = {
    "demo_site": DEMO_HUB,
    "ocean_site": HUBS / "gcp-cilogon.yaml",
    "workshop_hub_site": HUBS / "password-rstudio.yaml",
    "hostile_hub_site": HUBS / "hostile.yaml",
}
SITE_FIXTURES = list(SITE_HUBS)
BROKEN = SITES / "broken" / "html"
#: The hub name the broken site's ``hub-name.html`` writes raw (and, in the same page, escaped).
HOSTILE_NAME = "<script>alert('pwned')</script> & \"Friends\" *hub*"

#: Violations caused by the theme that we cannot fix from our side: (page, rule, CSS target, why).
#: Empty today; every entry needs an upstream issue link.
AXE_IGNORES: list[tuple[str, str, str, str]] = []


@pytest.mark.parametrize("site_name", SITE_FIXTURES)
def test_links_and_anchors_resolve(site_name: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(site_name)
    report = check_links(site.html)
    report_gate(
        f"links [{site_name}]: {report.pages} pages, {report.links} internal links checked, {len(report.problems)} broken"
    )
    assert report.problems == []
    assert report.links > report.pages  # the check really looked at links


@pytest.mark.parametrize("site_name", SITE_FIXTURES)
def test_no_placeholder_or_null_leaks(site_name: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(site_name)
    report = check_leaks(site.html)
    report_gate(
        f"leaks [{site_name}]: {report.pages} pages (title, text, sidebar, alt/title/aria-label/href), "
        f"{len(report.problems)} raw placeholders or None/null"
    )
    assert report.problems == []


@pytest.mark.parametrize("site_name", SITE_FIXTURES)
def test_hub_values_with_markup_are_escaped(site_name: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(site_name)
    report = check_values_escaped(site.html, load_hub_profile(SITE_HUBS[site_name]).values())
    report_gate(
        f'escaped values [{site_name}]: {report.pages} pages, {report.values} hub values with < > or " looked for, '
        f"{len(report.problems)} written unescaped"
    )
    assert report.problems == []
    if site_name == "hostile_hub_site":
        assert report.values >= 3  # the name, the community and the support name at least


@pytest.mark.parametrize("site_name", SITE_FIXTURES)
def test_self_contained_and_alt_text(site_name: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(site_name)
    assets, alt = check_self_contained(site.html), check_images_have_alt(site.html)
    report_gate(
        f"self-contained [{site_name}]: {assets.pages} files, {len(assets.problems)} external assets; {len(alt.problems)} images without alt"
    )
    assert assets.problems == [] and alt.problems == []


def _docnames(site: BuiltSite) -> list[str]:
    """The pages the build wrote and indexed for search (a hub's omitted modules are not among them)."""
    index = (site.html / "searchindex.js").read_text(encoding="utf-8")
    docnames = re.search(r'"docnames":\s*(\[[^\]]*\])', index)
    assert docnames, "no docnames in searchindex.js"
    return json.loads(docnames.group(1))


@pytest.mark.parametrize("site_name", SITE_FIXTURES)
def test_content_lint(site_name: str, request: pytest.FixtureRequest) -> None:
    """The build lints every module page with ``-W`` (build rules: alt text, headings, directives);
    the source rules (literal hub values, product names) are re-run here to count what was checked."""
    site: BuiltSite = request.getfixturevalue(site_name)
    hub = load_hub_profile(SITE_HUBS[site_name])
    forbidden = sorted({*literal_values(hub), *literal_values(load_hub_profile())}, key=len, reverse=True)
    sources = [ROOT / f"{name}.md" for name in _docnames(site) if name.startswith("modules/")]
    assert sources and all(source.is_file() for source in sources)
    problems = [
        f"{source.relative_to(ROOT)}:{problem.line}: {problem.message}"
        for source in sources
        for problem in lint_source(source.read_text(encoding="utf-8"), forbidden)
    ]
    warnings = [line for line in site.output.splitlines() if "WARNING" in line or "ERROR" in line]
    lines = sum(len(source.read_text(encoding="utf-8").splitlines()) for source in sources)
    report_gate(
        f"content lint [{site_name}]: {len(sources)} module files ({lines} lines); rules: alt text, one title, "
        f"heading levels, known directives, {len(forbidden)} literal hub values, {len(SPELLINGS)} product names; "
        f"{len(problems)} source problems, {len(warnings)} build warnings (-W)"
    )
    assert problems == [] and warnings == []


def test_gates_catch_a_broken_site() -> None:
    links = check_links(BROKEN).problems
    assert "index.html: sub/page.html#no-such-anchor: no element with id 'no-such-anchor'" in links
    assert "index.html: <a> missing.html: no such file" in links
    assert not any("#real" in p for p in links)
    leaks = check_leaks(BROKEN).problems
    assert any("{{ hub.name }}" in p and "<title>" not in p for p in leaks) and any("'None'" in p for p in leaks)
    # Beyond <main>: the <title>, attributes and the sidebar.
    assert any(p.startswith("index.html: <title> '{{ hub.name }}'") for p in leaks), leaks
    assert any(p.startswith("index.html: <nav aria-label> '{{ hub.id }}'") for p in leaks), leaks
    assert any(p.startswith("index.html: <a href> 'None'") for p in leaks), leaks
    assert any(p.startswith("index.html: <a title> 'null'") for p in leaks), leaks
    assert any(p.startswith("index.html: 'undefined' in “…Modules for undefined") for p in leaks), leaks
    assert not any(p.startswith("hub-name.html") for p in leaks)
    external = check_self_contained(BROKEN).problems
    assert "index.html: loads https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js" in external
    assert "style.css: loads https://fonts.googleapis.com/css?family=Vibur" in external
    assert check_images_have_alt(BROKEN).problems == ["index.html: image picture.png has no alt text"]
    # A <script> hub name written raw is caught; the same name and a nested value escaped are not.
    values = {"name": HOSTILE_NAME, "support": {"name": "<b>Help</b>"}, "interfaces": ["lab"]}
    escaped = check_values_escaped(BROKEN, values)
    assert escaped.values == 2
    assert escaped.problems == [f"hub-name.html:9: hub.name {HOSTILE_NAME!r} written unescaped"]


# --- in the browser ------------------------------------------------------------------------------


def _pages(site: BuiltSite) -> list[str]:
    return [p.relative_to(site.html).as_posix() for p in html_pages(site.html)]


def _axe_violations(page, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    """axe's violations on the page loaded now (``path``: its name in the site, for AXE_IGNORES)."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for violation in Axe().run(page).response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(node["target"])
            if any(p == path and r == violation["id"] and t == target for p, r, t, _ in AXE_IGNORES):
                continue
            found.append(f"{path}: {violation['id']} ({violation['impact']}) at {target}")
    return found


@dataclass
class Browsed:
    """What loading every page of a site in the browser found (axe and offline in the same loads)."""

    pages: int
    loads: int = 0
    axe_runs: int = 0
    violations: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    #: 404s of axe's own CSS fetches while it runs, not the page's (see AXE_OWN_ERROR).
    axe_own_errors: int = 0


#: axe-core fetches a stylesheet's relative ``@import`` from the page's folder instead of the sheet's
#: (https://github.com/dequelabs/axe-core/issues/5268): the theme's ``@import "../basic.css"`` gives a
#: 404 while axe runs, though the page itself loads it fine. Only that message, for a style sheet, only
#: while axe runs, is not a console error of the page.
AXE_OWN_ERROR = "Failed to load resource: the server responded with a status of 404"


def _browse(browser, site: BuiltSite, base_url: str, combos: list[tuple[str, str]], axe: bool = True) -> Browsed:  # type: ignore[no-untyped-def]
    """Load every page once per (colour mode, view), every request to another host refused.

    Records those requests, console errors, page errors and dialogs (a hub value that became a live
    ``alert()`` opens one); with ``axe``, runs axe-core on each load too.
    """
    names = _pages(site)
    found = Browsed(len(names))
    axe_running = False

    def on_console(message, page) -> None:  # type: ignore[no-untyped-def]
        if message.type != "error":
            return
        if axe_running and message.text.startswith(AXE_OWN_ERROR) and message.location["url"].endswith(".css"):
            found.axe_own_errors += 1
        else:
            found.errors.append(f"{page.url}: {message.text}")

    def on_dialog(dialog, page) -> None:  # type: ignore[no-untyped-def]
        found.dialogs.append(f"{page.url}: {dialog.type}({dialog.message!r})")
        dialog.dismiss()

    for mode, view in combos:
        context = browser.new_context()
        context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
        blocked = block_other_hosts(context)
        page = context.new_page()
        page.on("console", lambda message, page=page: on_console(message, page))
        page.on("pageerror", lambda error, page=page: found.errors.append(f"{page.url}: {error}"))
        page.on("dialog", lambda dialog, page=page: on_dialog(dialog, page))
        for name in names:
            page.goto(f"{base_url}{name}?view={view}")
            page.wait_for_load_state("load")
            found.loads += 1
            if axe:
                axe_running = True
                found.violations += _axe_violations(page, name)
                page.evaluate("0")  # events are delivered in order: axe's console messages are in
                axe_running = False
                found.axe_runs += 1
        found.blocked += blocked
        context.close()
    return found


def _report_browsed(site_name: str, found: Browsed, combos: list[tuple[str, str]]) -> None:
    how = ", ".join(f"{mode}+{view}" for mode, view in combos)
    if found.axe_runs:
        report_gate(
            f"axe [{site_name}]: {found.pages} pages x {how} = {found.axe_runs} runs, "
            f"{len(found.violations)} violations, {len(AXE_IGNORES)} ignored rules "
            f"({found.axe_own_errors} 404s of axe's own @import fetches, axe-core#5268)"
        )
    report_gate(
        f"offline [{site_name}]: {found.pages} pages x {len(combos)} = {found.loads} loads, "
        f"{len(found.blocked)} requests to other hosts blocked, {len(found.errors)} console errors, "
        f"{len(found.dialogs)} dialogs"
    )


ALL_COMBOS = [("light", "learner"), ("light", "instructor"), ("dark", "learner"), ("dark", "instructor")]
#: The other hubs' sites: both modes and both views, each page once in each.
TWO_COMBOS = [("light", "learner"), ("dark", "instructor")]


@pytest.mark.browser
def test_every_demo_page_axe_and_offline(browser, demo_site: BuiltSite, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    """axe on every page in light and dark, learner and instructor view; offline in the same loads."""
    found = _browse(browser, demo_site, demo_url, ALL_COMBOS)
    _report_browsed("demo_site", found, ALL_COMBOS)
    for ignore in AXE_IGNORES:
        report_gate(f"  axe ignore: {ignore}")
    assert found.violations == []
    assert found.blocked == []
    assert found.errors == []
    assert found.dialogs == []


@pytest.mark.browser
@pytest.mark.parametrize("site_name", ["ocean_site", "workshop_hub_site"])
def test_every_page_of_other_hubs_axe_and_offline(browser, site_name: str, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    from training.gates.static_server import serve_directory

    site: BuiltSite = request.getfixturevalue(site_name)
    with serve_directory(site.html) as url:
        found = _browse(browser, site, url, TWO_COMBOS)
    _report_browsed(site_name, found, TWO_COMBOS)
    assert found.violations == []
    assert found.blocked == []
    assert found.errors == []
    assert found.dialogs == []


@pytest.mark.browser
def test_hostile_hub_site_runs_no_injected_script(browser, hostile_hub_site: BuiltSite) -> None:  # type: ignore[no-untyped-def]
    """Every page of the hostile hub's site, offline: no alert() dialog, no broken <img src=x>, no error."""
    from training.gates.static_server import serve_directory

    combos = [("light", "instructor")]  # the instructor view shows the most
    with serve_directory(hostile_hub_site.html) as url:
        found = _browse(browser, hostile_hub_site, url, combos, axe=False)
    _report_browsed("hostile_hub_site", found, combos)
    assert found.dialogs == []
    assert found.blocked == []
    assert found.errors == []


@pytest.mark.browser
def test_axe_catches_a_broken_page(browser) -> None:  # type: ignore[no-untyped-def]
    from training.gates.static_server import serve_directory

    context = browser.new_context()
    block_other_hosts(context)  # its CDN script is refused, not fetched
    page = context.new_page()
    with serve_directory(BROKEN) as url:
        page.goto(url + "index.html")
        violations = _axe_violations(page, "index.html")
    context.close()
    assert any("image-alt" in v for v in violations)


#: Searches a learner would make, each expected to find at least one page, offline.
SEARCHES = ["server", "bucket", "nbgitpuller", "JupyterLab", "terminal"]


@pytest.mark.browser
def test_search_works_offline(page, demo_site: BuiltSite, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    found: dict[str, int] = {}
    for query in SEARCHES:
        page.goto(demo_url + f"search.html?q={query}")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=15000)
        found[query] = results.count()
    report_gate(
        f"search [demo_site]: {len(_docnames(demo_site))} pages indexed, {len(SEARCHES)} queries, "
        f"{sum(1 for n in found.values() if n)} with results ({sum(found.values())} results), "
        f"{len(page.blocked_requests)} requests to other hosts blocked"
    )
    assert all(n >= 1 for n in found.values()), found
    assert page.blocked_requests == []


@pytest.mark.browser
def test_offline_gate_catches_a_cdn_script(browser) -> None:  # type: ignore[no-untyped-def]
    from training.gates.static_server import serve_directory

    with serve_directory(BROKEN) as url:
        found = _browse(browser, BuiltSite(BROKEN, 0, ""), url, [("light", "learner")], axe=False)
    assert "https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js" in found.blocked
    # hub-name.html's raw <script> hub name runs: the dialog listener sees it.
    assert any("hub-name.html" in d and "alert('pwned')" in d for d in found.dialogs), found.dialogs


def test_broken_fixture_is_what_the_gates_read() -> None:
    assert sorted(p.name for p in Path(BROKEN).rglob("*.html")) == ["hub-name.html", "index.html", "page.html"]
