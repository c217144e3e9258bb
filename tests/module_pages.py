"""What every Curriculum 1 module page must have in a built site, as plain functions for tests/test_module_*.py.

Each check names the module and the hub, so a failure says which page of which site lacks what.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag

from .conftest import ROOT, BuiltSite

MODULES = ROOT / "modules"


def page_path(module_id: str) -> str:
    return f"modules/{module_id}/index.html"


def article(site: BuiltSite, module_id: str) -> Tag:
    path = site.html / page_path(module_id)
    assert path.is_file(), f"{path} was not built"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one("article")
    assert found is not None, f"{path} has no <article>"
    return found


def learner_text(site: BuiltSite, module_id: str) -> str:
    """What a learner reads: the article without instructor notes (hidden) and without the quizzes'
    answer blocks (the same words as the options). Whitespace collapsed."""
    body = BeautifulSoup(str(article(site, module_id)), "html.parser")
    for hidden in body.select("[data-instructor-note]"):
        hidden.decompose()
    return " ".join(body.get_text(" ").split())


def quizzes(site: BuiltSite, module_id: str) -> list[Tag]:
    return article(site, module_id).select("div.training-quiz")


def instructor_notes(site: BuiltSite, module_id: str) -> list[Tag]:
    return article(site, module_id).select("[data-instructor-note]")


def open_in_hub_links(site: BuiltSite, module_id: str) -> list[Tag]:
    return article(site, module_id).select("a.training-open-in-hub")


def screenshots(site: BuiltSite, module_id: str) -> list[Tag]:
    return article(site, module_id).select("figure.training-screenshot img")


def assert_complete_module_page(site: BuiltSite, module_id: str, *, min_screenshots: int) -> None:
    """The parts the curriculum promises on every module page of this site."""
    where = f"{module_id} on {site.html}"
    found = quizzes(site, module_id)
    assert 3 <= len(found) <= 5, f"{where}: {len(found)} quizzes, expected 3 to 5"
    assert instructor_notes(site, module_id), f"{where}: no instructor note"
    links = open_in_hub_links(site, module_id)
    assert links, f"{where}: no open-in-hub link"
    for link in links:
        url = urlsplit(link["href"])
        assert url.path.endswith("/hub/user-redirect/git-pull"), f"{where}: {link['href']} is not an nbgitpuller link"
        query = parse_qs(url.query)
        for part in ("repo", "branch", "urlpath"):
            assert query.get(part), f"{where}: {link['href']} has no {part}"
        # A module's own files, or "" for the whole materials folder (getting-materials pulls it all).
        path = link["data-materials-path"]
        assert path == "" or path.startswith(f"{module_id}/"), f"{where}: {path}"
    images = screenshots(site, module_id)
    assert len(images) >= min_screenshots, f"{where}: {len(images)} screenshots, expected at least {min_screenshots}"
    for image in images:
        assert image.get("alt", "").strip(), f"{where}: screenshot {image['src']} has no alt text"
        built = (site.html / page_path(module_id)).parent / image["src"]
        assert built.resolve().is_file(), f"{where}: {image['src']} is not in the built site"
    trouble = article(site, module_id).select_one("section#when-something-goes-wrong")
    assert trouble is not None, f"{where}: no 'When something goes wrong' section"
    assert trouble.select("div.admonition"), f"{where}: no box of problems under 'When something goes wrong'"
    for label in ("Hint", "Solution"):
        assert collapsed_blocks(site, module_id, label), f"{where}: no collapsed {label} (a <details> that is not open)"


def collapsed_blocks(site: BuiltSite, module_id: str, label: str) -> list[Tag]:
    """Dropdowns titled ``label``: <details> elements, closed until clicked (also without JavaScript)."""
    return [
        details
        for details in article(site, module_id).select("details")
        if details.find("summary") is not None
        and details.find("summary").get_text(" ", strip=True) == label
        and not details.has_attr("open")
    ]


def demo_images(module_id: str) -> list[Path]:
    return sorted((MODULES / module_id / "images").glob("*.png"))


def materials_paths(site: BuiltSite, module_id: str) -> set[str]:
    return {link["data-materials-path"] for link in open_in_hub_links(site, module_id)}


def interfaces(site: BuiltSite, module_id: str) -> set[str]:
    return {link["data-interface"] for link in open_in_hub_links(site, module_id)}


def run_r_script(script: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Run an exercise's R script as RStudio's Source button would, with ``home`` as the home folder."""
    return subprocess.run(
        ["Rscript", str(script)],
        env={"HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        check=False,
        cwd=home,
    )
