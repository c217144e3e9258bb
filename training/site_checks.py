"""Checks over a built site (pure functions over its folder), used by the quality-gate tests.

Each returns a list of human-readable problems; an empty list means the gate passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from training.self_contained import external_assets

#: Visible text that means a value leaked unrendered.
LEAK_PATTERNS = [
    re.compile(r"\{\{.*?\}\}"),
    re.compile(r"(?<![\w.])(None(?! of)|null|undefined)(?!\w)"),
]


@dataclass(frozen=True)
class SiteReport:
    pages: int
    links: int
    problems: list[str]


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


def visible_text(page: Path, skip_code: bool = False) -> str:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style", "template", "noscript", *(["code", "pre"] if skip_code else [])]):
        tag.decompose()
    main = soup.select_one("main") or soup.body or soup
    return " ".join(main.get_text(" ").split())


def check_leaks(site: Path) -> SiteReport:
    """No raw ``{{ ... }}`` and no None/null/undefined in any page's main content."""
    problems = []
    pages = html_pages(site)
    for page in pages:
        text = visible_text(page, skip_code=page.relative_to(site).as_posix() in SYNTAX_PAGES)
        for pattern in LEAK_PATTERNS:
            for match in pattern.finditer(text):
                context = text[max(0, match.start() - 40) : match.end() + 40]
                problems.append(f"{page.relative_to(site)}: {match.group(0)!r} in “…{context}…”")
    return SiteReport(len(pages), 0, problems)


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
    """``python -m training.site_checks SITE``: links/anchors, leaks and self-contained checks of a built site."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0]) if args else Path("_build/demo/html")
    failed = False
    for name, check in [
        ("links and anchors", check_links),
        ("leaks", check_leaks),
        ("self-contained", check_self_contained),
        ("alt text", check_images_have_alt),
    ]:
        report = check(site)
        print(f"{name}: {report.pages} files, {report.links} links checked, {len(report.problems)} problems")
        for problem in report.problems:
            print(f"  {problem}")
        failed |= bool(report.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
