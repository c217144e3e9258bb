"""Shared fixtures: build sites once per session and hand out their HTML."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
HUBS = Path(__file__).resolve().parent / "hubs"
SITES = Path(__file__).resolve().parent / "sites"
DEMO_HUB = ROOT / "training" / "hubs" / "demo.yaml"


@dataclass
class BuiltSite:
    """A site built by the real command, its output folder and what the build printed."""

    html: Path
    returncode: int
    output: str

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.html / name).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[Path]:
        return sorted(self.html.rglob("*.html"))

    def text(self, name: str) -> str:
        """Visible text of a page's article (what a reader sees), whitespace collapsed."""
        soup = self.page(name)
        article = soup.select_one("article") or soup
        return " ".join(article.get_text(" ").split())


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "training.cli", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def run_sphinx(srcdir: Path, out: Path, hub_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-d", str(out / ".doctrees")]
    if hub_file:
        args += ["-D", f"training_hub_file={hub_file}"]
    return subprocess.run([*args, str(srcdir), str(out)], capture_output=True, text=True, check=False, cwd=ROOT)


@pytest.fixture(scope="session")
def build_hub_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path | None], BuiltSite]:
    """Build the real site for a hub file (None: the demo hub), once per session per hub."""
    cache: dict[str, BuiltSite] = {}

    def build(hub_file: Path | None) -> BuiltSite:
        key = str(hub_file)
        if key not in cache:
            out = tmp_path_factory.mktemp("site") / "html"
            result = run_cli("build", *([str(hub_file)] if hub_file else []), "-o", str(out))
            cache[key] = BuiltSite(out, result.returncode, result.stdout + result.stderr)
        return cache[key]

    return build


@pytest.fixture(scope="session")
def demo_site(build_hub_site: Callable[[Path | None], BuiltSite]) -> BuiltSite:
    site = build_hub_site(None)
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="session")
def ocean_site(build_hub_site: Callable[[Path | None], BuiltSite]) -> BuiltSite:
    site = build_hub_site(HUBS / "gcp-cilogon.yaml")
    assert site.returncode == 0, site.output
    return site


@pytest.fixture(scope="session")
def workshop_hub_site(build_hub_site: Callable[[Path | None], BuiltSite]) -> BuiltSite:
    site = build_hub_site(HUBS / "password-rstudio.yaml")
    assert site.returncode == 0, site.output
    return site


# --- browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the session (Debian's, via Playwright's executable_path)."""
    from playwright.sync_api import sync_playwright

    from .browser import launch_options

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page in a fresh context (empty localStorage) that refuses every request off 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def route(route):  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.blocked_requests = blocked  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture(scope="session")
def demo_url(demo_site: BuiltSite) -> Iterator[str]:
    """The demo site served on 127.0.0.1."""
    from .browser import serve_directory

    with serve_directory(demo_site.html) as url:
        yield url
