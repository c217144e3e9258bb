"""Checks over a built site (pure functions over its folder), used by the quality-gate tests.

Each returns a list of human-readable problems; an empty list means the gate passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from training.sphinx_ext.self_contained import external_assets

#: Text that means a value leaked unrendered (in what a reader sees or a screen reader reads).
LEAK_PATTERNS = [
    re.compile(r"\{\{.*?\}\}"),
    re.compile(r"(?<![\w.])(None(?! of)|null|undefined)(?!\w)"),
]


@dataclass(frozen=True)
class SiteReport:
    pages: int
    links: int
    problems: list[str]
    #: How many hub values a value check looked for (``check_values_escaped``).
    values: int = 0


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {tag["id"] for tag in soup.find_all(id=True)} | {
            tag["name"] for tag in soup.find_all("a", attrs={"name": True})
        }
    return cache[path]


def check_links(site: Path) -> SiteReport:
    """Every internal link and anchor resolves; every image and local asset exists."""
    problems: list[str] = []
    ids: dict[Path, set[str]] = {}
    checked = 0
    pages = html_pages(site)
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        references = [("a", a.get("href")) for a in soup.find_all("a", href=True)]
        references += [("img", img.get("src")) for img in soup.find_all("img")]
        references += [("link", link.get("href")) for link in soup.find_all("link", href=True)]
        references += [("script", s.get("src")) for s in soup.find_all("script", src=True)]
        for tag, url in references:
            if url is None:
                problems.append(f"{page.relative_to(site)}: <{tag}> without a target")
                continue
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue  # external anchors are not fetched; external assets are another gate
            checked += 1
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page.relative_to(site)}: <{tag}> {url}: no such file")
                continue
            if (
                parts.fragment
                and tag == "a"
                and target.suffix == ".html"
                and unquote(parts.fragment) not in _ids(target, ids)
            ):
                problems.append(f"{page.relative_to(site)}: {url}: no element with id {parts.fragment!r}")
    return SiteReport(len(pages), checked, problems)


#: Pages that document the placeholder syntax: ``{{ hub.x }}`` in their code samples is the point.
SYNTAX_PAGES = {"docs/maintainers.html", "docs/hub-profile.html"}

#: Attributes whose values a reader sees (tooltips, link targets in the status bar) or a screen reader reads.
LEAK_ATTRIBUTES = ("alt", "title", "aria-label", "href")


def _readable_parts(page: Path, skip_code: bool = False) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for everything of a page a reader sees or hears, whitespace collapsed.

    The ``<title>``, the visible text of the whole body (header, sidebar, main content, footer), and
    the values of :data:`LEAK_ATTRIBUTES` (hrefs URL-decoded). Scripts and styles are not read;
    ``skip_code`` also leaves out ``<code>`` and ``<pre>`` (syntax examples) with their attributes.
    """
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style", "template", "noscript", *(["code", "pre"] if skip_code else [])]):
        tag.decompose()
    if soup.title:
        yield "<title>", " ".join(soup.title.get_text(" ").split())
    body = soup.body or soup
    yield "text", " ".join(body.get_text(" ").split())
    for tag in soup.find_all(True):
        for attribute in LEAK_ATTRIBUTES:
            value = tag.get(attribute)
            if value is None:
                continue
            value = " ".join(value) if isinstance(value, list) else value
            if attribute == "href":
                value = unquote(value)
            yield f"<{tag.name} {attribute}>", " ".join(value.split())


def visible_text(page: Path, skip_code: bool = False) -> str:
    """The visible text of a page's body (not only ``<main>``: the sidebar and header too)."""
    return next(text for where, text in _readable_parts(page, skip_code) if where == "text")


def check_leaks(site: Path) -> SiteReport:
    """No raw ``{{ ... }}`` and no None/null/undefined in any page's title, visible text or read attributes."""
    problems = []
    pages = html_pages(site)
    for page in pages:
        name = page.relative_to(site).as_posix()
        for where, text in _readable_parts(page, skip_code=name in SYNTAX_PAGES):
            for pattern in LEAK_PATTERNS:
                for match in pattern.finditer(text):
                    context = text[max(0, match.start() - 40) : match.end() + 40]
                    label = "" if where == "text" else f"{where} "
                    problems.append(f"{name}: {label}{match.group(0)!r} in “…{context}…”")
    return SiteReport(len(pages), 0, problems)


#: Characters that make a value markup if written into HTML unescaped.
MARKUP_CHARACTERS = ("<", ">", '"')


def markup_values(values: Any, path: str = "") -> list[tuple[str, str]]:
    """``(dotted.path, value)`` for every string in nested hub values that contains a markup character."""
    if isinstance(values, dict):
        return [
            found
            for key, value in values.items()
            for found in markup_values(value, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(values, list):
        return [found for index, value in enumerate(values) for found in markup_values(value, f"{path}[{index}]")]
    if isinstance(values, str) and any(character in values for character in MARKUP_CHARACTERS):
        return [(path, values)]
    return []


def check_values_escaped(site: Path, values: dict[str, Any]) -> SiteReport:
    """No hub value with markup characters appears verbatim in the source of any page: all are escaped.

    ``values`` are the hub's nested values (``HubProfile.values()``). A value with ``<``, ``>`` or
    ``"`` written as is would be live HTML (the book theme's print header once did this with the hub
    name); escaped, it reads ``&lt;`` and so on. The whole source is searched, scripts included.
    """
    risky = markup_values(values)
    problems = []
    pages = html_pages(site)
    for page in pages:
        source = page.read_text(encoding="utf-8")
        for path, value in risky:
            if value in source:
                line = source.count("\n", 0, source.index(value)) + 1
                problems.append(f"{page.relative_to(site)}:{line}: hub.{path} {value!r} written unescaped")
    return SiteReport(len(pages), 0, problems, len(risky))


def check_self_contained(site: Path) -> SiteReport:
    """No page or style sheet makes the browser fetch anything from another host."""
    problems = []
    files = [*html_pages(site), *sorted(site.rglob("*.css"))]
    for path in files:
        for url in external_assets(path.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{path.relative_to(site)}: loads {url}")
    return SiteReport(len(files), 0, problems)


def check_images_have_alt(site: Path) -> SiteReport:
    problems = []
    pages = html_pages(site)
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("main img, article img"):
            if not (img.get("alt") or "").strip():
                problems.append(f"{page.relative_to(site)}: image {img.get('src')} has no alt text")
    return SiteReport(len(pages), 0, problems)


def main(argv: list[str] | None = None) -> int:
    """``python -m training.gates.site_checks SITE [HUB_FILE]``: links/anchors, leaks and self-contained checks.

    With ``HUB_FILE`` (the hub the site was built for), also that its values with markup are escaped.
    """
    import sys

    from training.model.hub_profile import load_hub_profile

    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0]) if args else Path("_build/demo/html")
    checks = [
        ("links and anchors", check_links),
        ("leaks", check_leaks),
        ("self-contained", check_self_contained),
        ("alt text", check_images_have_alt),
    ]
    if len(args) > 1:
        values = load_hub_profile(args[1]).values()
        checks.append(("escaped hub values", lambda site: check_values_escaped(site, values)))
    failed = False
    for name, check in checks:
        report = check(site)
        checked = f"{report.values} values" if name == "escaped hub values" else f"{report.links} links"
        print(f"{name}: {report.pages} files, {checked} checked, {len(report.problems)} problems")
        for problem in report.problems:
            print(f"  {problem}")
        failed |= bool(report.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
