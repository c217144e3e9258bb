"""The module "Working in JupyterLab": its page on each test hub, and what it teaches about JupyterLab.

The walkthrough itself (``modules/jupyterlab-tour/walkthrough.py``) is replayed by
``tests/test_walkthrough.py``; its steps check the facts the page teaches (interrupt keeps variables,
restart loses them, closing a tab leaves the kernel and the terminal running).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import training.replay.walkthrough as w

from .conftest import ROOT, BuiltSite

MODULE = "jupyterlab-tour"
PAGE = f"modules/{MODULE}/index.html"
SHOTS = {s.name: s for wt in w.load_file(ROOT / "modules" / MODULE / "walkthrough.py") for s in wt.shots()}


def links_to_module(site: BuiltSite, module: str) -> list[str]:
    """Every page that links to the module's page (``href`` ending in ``<module>/index.html``)."""
    found = []
    for page in site.pages():
        soup = site.page(str(page.relative_to(site.html)))
        hrefs = [a.get("href", "") for a in soup.select("a[href]")]
        if any(f"{module}/index.html" in href.split("#")[0] for href in hrefs):
            found.append(str(page.relative_to(site.html)))
    return found


def test_demo_page_has_every_screenshot_with_the_walkthroughs_alt_text(demo_site: BuiltSite) -> None:
    images = demo_site.page(PAGE).select("article figure.training-screenshot img")
    shown = {Path(img["src"]).stem: img["alt"] for img in images}
    assert shown == {name: shot.alt for name, shot in SHOTS.items()}
    for name in shown:
        assert (ROOT / "modules" / MODULE / "images" / f"{name}.png").is_file(), name


def test_demo_page_has_quiz_instructor_notes_solution_and_troubleshooting(demo_site: BuiltSite) -> None:
    soup = demo_site.page(PAGE)
    quizzes = soup.select("article .training-quiz")
    assert 3 <= len(quizzes) <= 5, len(quizzes)
    assert len(soup.select("article .training-instructor-note")) >= 3
    text = demo_site.text(PAGE)
    assert "Solution" in text
    assert "When something goes wrong" in text
    assert "appears to have died. It will restart automatically." in text


def test_demo_exercise_links_open_the_notebooks_in_jupyterlab(demo_site: BuiltSite) -> None:
    links = demo_site.page(PAGE).select("article a.training-open-in-hub")
    paths = sorted(link["data-materials-path"] for link in links)
    assert paths == [f"{MODULE}/tour-notebook-r.ipynb", f"{MODULE}/tour-notebook.ipynb"]
    for link in links:
        query = parse_qs(urlsplit(link["href"]).query)
        assert link["href"].startswith("https://hub.example.org/hub/user-redirect/git-pull?")
        assert query["urlpath"] == [f"lab/tree/hub-training-materials/{link['data-materials-path']}"]
        assert query["branch"] == ["main"]


def test_demo_hub_without_notebook_interface_has_no_jupyter_notebook_section(demo_site: BuiltSite) -> None:
    assert "Open in Jupyter Notebook" not in demo_site.text(PAGE)
    assert "RStudio card" in demo_site.text(PAGE)  # the demo hub offers RStudio


def test_ocean_hub_shows_the_jupyter_notebook_section_and_only_python(ocean_site: BuiltSite) -> None:
    text = ocean_site.text(PAGE)
    assert "View > Open in Jupyter Notebook" in text
    assert "https://ocean.university.edu/jupyter/hub/user-redirect/tree" in text
    assert "RStudio" not in text
    tabs = [label.get_text(strip=True) for label in ocean_site.page(PAGE).select("article label.sd-tab-label")]
    assert tabs and set(tabs) == {"Python"}, tabs
    # No screenshots generated for this hub yet: hub-dependent pictures give way to their text.
    alts = [img["alt"] for img in ocean_site.page(PAGE).select("article img")]
    assert all(not SHOTS[Path(img["src"]).stem].hub_dependent for img in ocean_site.page(PAGE).select("article img")), (
        alts
    )
    assert "The Running Terminals and Kernels panel after closing" in text


def test_rstudio_only_hub_has_no_jupyterlab_page_and_nothing_links_to_it(workshop_hub_site: BuiltSite) -> None:
    assert not (workshop_hub_site.html / PAGE).exists()
    assert links_to_module(workshop_hub_site, MODULE) == []


@pytest.mark.parametrize(
    "label",
    [
        "Rename Notebook…",
        "Restart Kernel…",
        "Close and Shut Down Notebook…",
        "Change Kernel…",
        "Shut Down All Kernels…",
    ],
)
def test_page_uses_jupyterlabs_own_ellipsis(label: str) -> None:
    """JupyterLab writes "…" (one character) in its menus; "..." is not what learners see."""
    source = (ROOT / "modules" / MODULE / "index.md").read_text(encoding="utf-8")
    assert label in source
    assert label.replace("…", "...") not in source


def _jupyterlab_bundle() -> str:
    """JupyterLab's built code as the hub serves it (``share/jupyter/lab/static``)."""
    import sys

    static = Path(sys.prefix) / "share" / "jupyter" / "lab" / "static"
    return "".join(p.read_text(encoding="utf-8") for p in sorted(static.glob("jlab_core.*.js")))


def test_menu_labels_are_jupyterlabs_own() -> None:
    """The Run menu's item is the notebook's command "Run All Cells" (its generic label, "Run All", shows
    only when no notebook is in front); Kernel > Shut Down All Kernels… and the panel's Shut Down All
    both ask "Shut Down All?" with a Shut Down All button."""
    import re

    bundle = _jupyterlab_bundle()
    assert re.search(r'addCommand\(\w+\.runAll,\{label:\w+\.__\("Run All Cells"\)', bundle)
    assert re.search(
        r'id:\w+\.runAll,commands:\w+,shell:\w+,semanticCommands:[\w.]+,default:\{label:\w+\.__\("Run All"\)', bundle
    )
    assert re.search(r'shutdownAllKernels,\{label:\w+\.__\("Shut Down All Kernels…"\)', bundle)
    assert re.search(r'title:\w+\.__\("Shut Down All\?"\)', bundle)
    assert re.search(r'warnButton\(\{label:\w+\.__\("Shut Down All"\)\}\)', bundle)
    source = (ROOT / "modules" / MODULE / "index.md").read_text(encoding="utf-8")
    assert "Run > Run All Cells" in source
    assert not re.search(r"Run All\*\*|Run All\.", source), "the Run menu shows Run All Cells with a notebook in front"
    assert "Kernel > Shut Down All\n  Kernels…" in source or "Kernel > Shut Down All Kernels…" in source
