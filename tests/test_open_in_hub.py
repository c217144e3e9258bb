"""The ``open-in-hub`` directive and role on a small site with its own modules (tests/sites/open_in_hub).

Every link is found by its ``data-`` attributes and its href is decoded back into nbgitpuller's
parameters, so the test does not depend on how the link text or the query happen to be written.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from training.model.hub_profile import load_hub_profile
from training.model.nbgitpuller import nbgitpuller_url
from training.sphinx_ext.open_in_hub import choose_interfaces, materials_target

from .conftest import DEMO_HUB, HUBS, SITES, run_sphinx

SITE = SITES / "open_in_hub"
OCEAN = HUBS / "gcp-cilogon.yaml"
WORKSHOP = HUBS / "password-rstudio.yaml"
HOSTILE = HUBS / "hostile.yaml"
MODULE_PAGE = "modules/first-steps/index.html"


def build(out: Path, hub: Path, src: Path = SITE) -> Path:
    result = run_sphinx(src, out, hub)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The test site built for four hubs (lab+notebook, RStudio only, lab+RStudio, hostile values)."""
    root = tmp_path_factory.mktemp("open_in_hub")
    hubs = {"ocean": OCEAN, "workshop": WORKSHOP, "demo": DEMO_HUB, "hostile": HOSTILE}
    return {name: build(root / name, hub) for name, hub in hubs.items()}


def links(site: Path, page: str) -> list[Tag]:
    soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    return soup.select("a.training-open-in-hub")


def decoded(link: Tag) -> dict[str, str]:
    parts = urlsplit(str(link["href"]))
    query = dict(parse_qsl(parts.query, strict_parsing=True))
    return {"base": f"{parts.scheme}://{parts.netloc}{parts.path}", **query}


def test_every_link_carries_its_path_and_interface(sites: dict[str, Path]) -> None:
    for site in sites.values():
        found = [a for page in (MODULE_PAGE, "links.html") for a in links(site, page)]
        assert len(found) >= 8
        for a in found:
            assert a.has_attr("data-materials-path")
            assert a["data-interface"] in {"lab", "notebook", "rstudio"}
            assert a.get_text(strip=True), "a link needs visible text"


def test_ocean_hub_links_decode_to_the_right_parts(sites: dict[str, Path]) -> None:
    hub = load_hub_profile(OCEAN)
    found = links(sites["ocean"], MODULE_PAGE)
    for a in found:
        parts = decoded(a)
        assert parts["base"] == "https://ocean.university.edu/jupyter/hub/user-redirect/git-pull"
        assert parts["repo"] == "https://gitlab.university.edu/ocean/training-notebooks.git"
        assert parts["branch"] == "release/2026"
        assert parts["targetpath"] == "training-notebooks"
        prefix = {"lab": "lab/tree/", "notebook": "tree/"}[a["data-interface"]]
        assert parts["urlpath"] == f"{prefix}training-notebooks/{a['data-materials-path']}"
        assert a["href"] == nbgitpuller_url(
            hub.url, hub.materials.repo, hub.materials.branch, a["data-materials-path"], a["data-interface"]
        )
    # default: the hub's first interface; ":interface: all": lab and notebook.
    buttons = [
        (a["data-interface"], a["data-materials-path"]) for a in found if "training-open-in-hub-button" in a["class"]
    ]
    assert buttons == [
        ("lab", "first-steps/first-notebook.ipynb"),
        ("lab", "first-steps/first-notebook.ipynb"),
        ("notebook", "first-steps/first-notebook.ipynb"),
    ]
    paths = {a["data-materials-path"] for a in found}
    assert {"first-steps/café au lait.ipynb", "first-steps/data/sea level.csv"} <= paths
    cafe = next(a for a in found if a["data-materials-path"] == "first-steps/café au lait.ipynb")
    assert decoded(cafe)["urlpath"] == "lab/tree/training-notebooks/first-steps/café au lait.ipynb"
    assert "first-steps%2Fcaf%C3%A9%20au%20lait.ipynb" in cafe["href"]  # encoded once


def test_link_text_names_the_interface_and_the_hub(sites: dict[str, Path]) -> None:
    found = links(sites["ocean"], MODULE_PAGE)
    texts = [a.get_text() for a in found]
    assert "Open in JupyterLab on Ocean Modelling Hub" in texts
    assert "Open in Jupyter Notebook on Ocean Modelling Hub" in texts
    labelled = next(a for a in found if a.get_text() == "the first notebook")
    assert labelled["title"] == "Open in JupyterLab on Ocean Modelling Hub"
    assert "training-open-in-hub-inline" in labelled["class"]


def test_materials_paths_and_relative_paths_give_the_same_link(sites: dict[str, Path]) -> None:
    site = sites["ocean"]
    from_module = links(site, MODULE_PAGE)[0]
    from_outside = links(site, "links.html")[0]
    assert from_outside["href"] == from_module["href"]
    folder, everything = links(site, "links.html")[1:3]
    assert decoded(folder)["urlpath"] == "lab/tree/training-notebooks/first-steps"
    assert decoded(everything)["urlpath"] == "lab/tree/training-notebooks"


def test_no_rstudio_note_on_a_hub_without_rstudio(sites: dict[str, Path]) -> None:
    soup = BeautifulSoup((sites["ocean"] / MODULE_PAGE).read_text(encoding="utf-8"), "html.parser")
    assert not soup.select(".training-open-in-hub-note")


def test_rstudio_opens_the_folder_and_says_so(sites: dict[str, Path]) -> None:
    soup = BeautifulSoup((sites["workshop"] / MODULE_PAGE).read_text(encoding="utf-8"), "html.parser")
    found = soup.select("a.training-open-in-hub")
    assert found
    assert {a["data-interface"] for a in found} == {"rstudio"}
    for a in found:
        parts = decoded(a)
        assert parts["base"] == "http://127.0.0.1:18999/hub/user-redirect/git-pull"
        assert parts["urlpath"] == "rstudio/"
        assert parts["branch"] == "main"
        note = soup.find(id=a["aria-describedby"])
        assert note is not None
        assert "training-open-in-hub-note" in note["class"]
        assert f"materials/{a['data-materials-path']}" in note.get_text()
        assert "Files pane" in note.get_text()
    # The note sits right after the button, visible (not in a tooltip).
    button = soup.select_one("a.training-open-in-hub-button")
    assert button.find_parent("p").find_next_sibling("p")["id"] == button["aria-describedby"]


def test_demo_hub_all_gives_lab_and_rstudio(sites: dict[str, Path]) -> None:
    found = links(sites["demo"], MODULE_PAGE)
    buttons = [a["data-interface"] for a in found if "training-open-in-hub-button" in a["class"]]
    assert buttons == ["lab", "lab", "rstudio"]
    group = found[2].find_parent("div")
    assert "Files pane" in group.select_one(".training-open-in-hub-note").get_text()
    # The R module is on this hub's site (it has RStudio), and links to its own exercise.
    r_links = links(sites["demo"], "modules/r-plots/index.html")
    assert [a["data-materials-path"] for a in r_links] == ["r-plots/plots.ipynb"]


def test_hub_name_is_escaped(sites: dict[str, Path]) -> None:
    html = (sites["hostile"] / MODULE_PAGE).read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    a = soup.select_one("a.training-open-in-hub-button")
    assert a.get_text() == "Open in JupyterLab on <script>alert('pwned')</script> & \"Friends\" *hub*"
    assert a.find("script") is None
    assert "&lt;script&gt;alert" in html


def test_the_stylesheet_is_added(sites: dict[str, Path]) -> None:
    css = (sites["ocean"] / "_static" / "open-in-hub.css").read_text(encoding="utf-8")
    assert ":focus-visible" in css
    assert "outline" in css
    soup = BeautifulSoup((sites["ocean"] / MODULE_PAGE).read_text(encoding="utf-8"), "html.parser")
    assert soup.find("link", href=lambda h: bool(h) and "open-in-hub.css" in h)


# --- problems are located build errors -----------------------------------------------------------


def build_with(tmp_path: Path, hub: Path, page: str, added: str) -> tuple[int, str, int]:
    """Copy the site, append ``added`` to ``page``; return the status, the output and the added line."""
    src = tmp_path / "src"
    shutil.copytree(SITE, src)
    path = src / page
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    path.write_text(text + added, encoding="utf-8")
    result = run_sphinx(src, tmp_path / "out", hub)
    return result.returncode, result.stdout + result.stderr, line


def test_missing_exercise_fails_the_build_with_file_and_line(tmp_path: Path) -> None:
    status, output, line = build_with(
        tmp_path, OCEAN, "modules/first-steps/index.md", "```{open-in-hub} exercises/no-such-notebook.md\n```\n"
    )
    assert status != 0
    assert f"modules/first-steps/index.md:{line}:" in output
    assert "'exercises/no-such-notebook.md' is not in the materials" in output
    assert "modules/first-steps/exercises/no-such-notebook.md" in output
    assert "[training.materials]" in output


def test_missing_file_in_a_role_fails_the_build(tmp_path: Path) -> None:
    status, output, line = build_with(
        tmp_path, OCEAN, "links.md", "See {open-in-hub}`this <first-steps/missing.ipynb>`.\n"
    )
    assert status != 0
    assert f"links.md:{line}:" in output
    assert "[training.materials]" in output


def test_file_of_a_module_the_hub_lacks_is_not_in_its_materials(tmp_path: Path) -> None:
    status, output, line = build_with(tmp_path, OCEAN, "links.md", "```{open-in-hub} r-plots/plots.ipynb\n```\n")
    assert status != 0
    assert f"links.md:{line}:" in output
    assert "left out of Ocean Modelling Hub's materials" in output


def test_asking_for_an_interface_the_hub_lacks_is_a_located_warning(tmp_path: Path) -> None:
    status, output, line = build_with(
        tmp_path,
        OCEAN,
        "modules/first-steps/index.md",
        "```{open-in-hub} exercises/first-notebook.md\n:interface: rstudio lab\n```\n",
    )
    assert status != 0
    assert f"modules/first-steps/index.md:{line}:" in output
    assert "does not offer RStudio; skipped [training.directive]" in output


def test_relative_path_outside_a_module_is_a_located_warning(tmp_path: Path) -> None:
    status, output, line = build_with(
        tmp_path, OCEAN, "links.md", "```{open-in-hub} exercises/first-notebook.md\n```\n"
    )
    assert status != 0
    assert f"links.md:{line}:" in output
    assert "not in one" in output


# --- the pure parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "module", "target"),
    [
        ("exercises/first-notebook.md", "first-steps", "first-steps/first-notebook.ipynb"),
        ("exercises/part 1/é.md", "first-steps", "first-steps/part 1/é.ipynb"),
        ("exercises/figure.png", "first-steps", "first-steps/figure.png"),
        ("data/sea level.csv", "first-steps", "first-steps/data/sea level.csv"),
        ("data/", "first-steps", "first-steps/data/"),
        ("exercises", "first-steps", "first-steps/"),
        ("first-steps/first-notebook.ipynb", None, "first-steps/first-notebook.ipynb"),
        ("first-steps/first-notebook.ipynb", "other", "first-steps/first-notebook.ipynb"),
        ("first-steps/", None, "first-steps/"),
        ("", None, ""),
    ],
)
def test_materials_target(argument: str, module: str | None, target: str) -> None:
    assert materials_target(argument, module) == target


@pytest.mark.parametrize(
    ("argument", "module"),
    [("/etc/passwd", "m"), ("exercises/../../x.md", "m"), ("exercises\\a.md", "m"), ("exercises/a.md", None)],
)
def test_materials_target_refuses(argument: str, module: str | None) -> None:
    with pytest.raises(ValueError, match=r"relative path|not in one"):
        materials_target(argument, module)


def test_choose_interfaces() -> None:
    demo = load_hub_profile(DEMO_HUB)  # lab, rstudio
    assert choose_interfaces(demo, None) == (["lab"], [])
    assert choose_interfaces(demo, "all") == (["lab", "rstudio"], [])
    assert choose_interfaces(demo, "rstudio, lab") == (["rstudio", "lab"], [])
    chosen, problems = choose_interfaces(demo, "notebook lab vscode")
    assert chosen == ["lab"]
    assert len(problems) == 2
    assert "does not offer Jupyter Notebook" in problems[0]
    assert "'vscode'" in problems[1]
    assert choose_interfaces(load_hub_profile(WORKSHOP), None) == (["rstudio"], [])
