"""Shared fixtures: build sites once per session and hand out their HTML."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
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
