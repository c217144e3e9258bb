"""Module metadata: located errors, per-hub omission, overview card, key points, path and catalogue."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from training.model.module_info import ModuleInfo, format_minutes, learning_path, read_catalogue

from .conftest import HUBS, BuiltSite, run_sphinx

CONF = 'extensions = ["myst_parser", "sphinx_design", "training"]\nmyst_enable_extensions = ["colon_fence", "deflist"]\nnitpicky = True\nexclude_patterns = ["modules/*/exercises"]\n'


def module_text(module_id: str, body: str = "", **changes: object) -> str:
    meta: dict[str, object] = {
        "id": module_id,
        "title": f"Module {module_id}",
        "summary": f"Summary of {module_id}.",
        "audience": "both",
        "teaching": 10,
        "exercises": 5,
        "questions": ["Why?"],
        "objectives": ["Do it."],
        "keypoints": [f"Keypoint of {module_id}."],
    }
    for key, value in changes.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    front = yaml.safe_dump({"module": meta}, sort_keys=False)
    return f"---\n{front}---\n\n# Module {module_id}\n\nText of {module_id}.\n{body}\n"


def make_site(root: Path, modules: dict[str, str], index_extra: str = "") -> Path:
    (root / "conf.py").write_text(CONF)
    (root / "index.md").write_text("# Home\n\n```{toctree}\npath\ncatalogue\n```\n" + index_extra)
    (root / "path.md").write_text("# Path\n\n```{module-path}\n```\n")
    (root / "catalogue.md").write_text("# Catalogue\n\n```{module-catalogue}\n```\n")
    for folder, text in modules.items():
        (root / "modules" / folder).mkdir(parents=True, exist_ok=True)
        (root / "modules" / folder / "index.md").write_text(text)
    return root


def build(root: Path, hub: Path | None = None) -> tuple[int, str, Path]:
    out = root.parent / f"out-{root.name}"
    result = run_sphinx(root, out, hub)
    return result.returncode, result.stdout + result.stderr, out


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    path = tmp_path / "src"
    path.mkdir()
    return path


def front_matter_line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


BAD_METADATA = [
    pytest.param(
        {"prerequisites": ["welcom"]},
        "- welcom",
        "unknown prerequisite 'welcom'; did you mean 'welcome'?",
        id="unknown-prerequisite",
    ),
    pytest.param(
        {"requires": ["rstudi"]},
        "- rstudi",
        "unknown hub feature 'rstudi'; did you mean 'rstudio'?",
        id="unknown-feature",
    ),
    pytest.param({"objectives": None}, "module:", "module.objectives is missing", id="missing-objectives"),
    pytest.param({"keypoints": []}, "keypoints: []", "module.keypoints is empty", id="empty-keypoints"),
    pytest.param({"keypoints": None}, "module:", "module.keypoints is missing", id="missing-keypoints"),
    pytest.param({"teaching": None}, "module:", "module.teaching is missing", id="missing-minutes"),
    pytest.param({"exercises": None}, "module:", "module.exercises is missing", id="missing-exercise-minutes"),
    pytest.param({"exercises": -3}, "exercises: -3", "module.exercises", id="negative-minutes"),
    pytest.param({"audience": "julia"}, "audience: julia", "module.audience", id="bad-audience"),
    pytest.param(
        {"objectivs": ["x"]},
        "objectivs:",
        "module.objectivs is not a module field; did you mean 'objectives'?",
        id="unknown-field",
    ),
]


@pytest.mark.parametrize(("changes", "line_with", "message"), BAD_METADATA)
def test_bad_metadata_is_located_and_fails_the_build(
    site_dir: Path, changes: dict, line_with: str, message: str
) -> None:
    text = module_text("second", **changes)
    make_site(site_dir, {"welcome": module_text("welcome"), "second": text})
    status, output, _ = build(site_dir)
    assert status != 0
    expected = (
        f"{site_dir / 'modules' / 'second' / 'index.md'}:{front_matter_line(text, line_with)}: WARNING: {message}"
    )
    assert expected in output, output


def test_cycle_is_reported(site_dir: Path) -> None:
    first = module_text("a", prerequisites=["b"])
    make_site(
        site_dir,
        {
            "a": first,
            "b": module_text("b", prerequisites=["c"]),
            "c": module_text("c", prerequisites=["a"]),
        },
    )
    status, output, _ = build(site_dir)
    assert status != 0
    # Reported once, at the prerequisites line of the module where the cycle is entered.
    line = front_matter_line(first, "prerequisites:")
    expected = (
        f"{site_dir / 'modules' / 'a' / 'index.md'}:{line}: WARNING: prerequisites form a cycle: a -> b -> c -> a"
    )
    assert expected in output, output
    assert output.count("prerequisites form a cycle") == 1


def test_duplicate_id_is_reported(site_dir: Path) -> None:
    make_site(site_dir, {"a": module_text("a"), "b": module_text("a")})
    status, output, _ = build(site_dir)
    assert status != 0
    assert f"{site_dir / 'modules' / 'b' / 'index.md'}:3: WARNING: duplicate module id 'a'" in output


def test_module_pages_have_overview_keypoints_and_next(site_dir: Path) -> None:
    make_site(
        site_dir,
        {
            "welcome": module_text("welcome", order=1, teaching=7, exercises=0),
            "second": module_text("second", order=2, prerequisites=["welcome"], teaching=20, exercises=25),
        },
    )
    status, output, out = build(site_dir)
    assert status == 0, output
    page = BeautifulSoup((out / "modules" / "second" / "index.html").read_text(), "html.parser")
    card = page.select_one("section.training-module-overview[data-module=second]")
    h1 = page.select_one("h1")
    assert card is not None and h1.find_next_sibling() is card  # right under the title
    text = " ".join(card.get_text(" ").split())
    assert "Summary of second." in text
    assert "45 min (20 min reading, 25 min exercises)" in text
    assert "Why?" in text and "Do it." in text
    prerequisite = card.find("a", string="Module welcome")
    assert prerequisite["href"] == "../welcome/index.html"
    keypoints = page.select_one("section#key-points")
    assert keypoints.h2.get_text().startswith("Key points")
    assert "Keypoint of second." in keypoints.get_text()
    assert keypoints is page.select("section section")[-1]  # the page ends with it
    assert keypoints.select_one(".training-progress-slot[data-module=second]") is not None
    first = BeautifulSoup((out / "modules" / "welcome" / "index.html").read_text(), "html.parser")
    next_link = first.select_one("#key-points").find("a", string="Module second")
    assert next_link["href"] == "../second/index.html"


def test_path_and_catalogue_totals(site_dir: Path) -> None:
    make_site(
        site_dir,
        {
            "welcome": module_text("welcome", order=1, teaching=7, exercises=0),
            "later": module_text("later", order=2, prerequisites=["third"], teaching=30, exercises=30),
            "third": module_text("third", order=3, teaching=8, exercises=12),
        },
    )
    status, output, out = build(site_dir)
    assert status == 0, output
    path = BeautifulSoup((out / "path.html").read_text(), "html.parser")
    items = path.select("ol.training-path > li")
    assert [(li["data-module"], li["data-minutes"]) for li in items] == [
        ("welcome", "7"),
        ("third", "20"),
        ("later", "60"),
    ]
    summary = path.select_one("p.training-path-summary")
    assert summary["data-total-minutes"] == "87"
    assert summary.get_text() == "3 modules, 1 h 27 min in total."
    catalogue = BeautifulSoup((out / "catalogue.html").read_text(), "html.parser")
    rows = [[" ".join(td.get_text(" ").split()) for td in tr.select("td")] for tr in catalogue.select("tbody tr")]
    assert rows == [
        ["Module later", "Summary of later.", "Python and R users", "1 h"],
        ["Module third", "Summary of third.", "Python and R users", "20 min"],
        ["Module welcome", "Summary of welcome.", "Python and R users", "7 min"],
    ]


def test_module_needing_a_missing_feature_is_absent_and_unlinked(site_dir: Path) -> None:
    make_site(
        site_dir,
        {"welcome": module_text("welcome"), "rstudio-tour": module_text("rstudio-tour", requires=["rstudio"])},
    )
    status, output, out = build(site_dir, HUBS / "gcp-cilogon.yaml")  # lab + notebook, no RStudio
    assert status == 0, output
    assert not (out / "modules" / "rstudio-tour").exists()
    for page in out.rglob("*.html"):
        assert "rstudio-tour" not in page.read_text(), page
    assert "rstudio-tour" not in (out / "searchindex.js").read_text()
    status, output, out = build(site_dir)  # the demo hub has RStudio
    assert (out / "modules" / "rstudio-tour" / "index.html").exists()


def test_a_link_to_an_omitted_module_is_a_build_error(site_dir: Path) -> None:
    make_site(
        site_dir,
        {
            "welcome": module_text("welcome", body="\nSee {doc}`/modules/rstudio-tour/index`.\n"),
            "rstudio-tour": module_text("rstudio-tour", requires=["rstudio"]),
        },
    )
    status, output, _ = build(site_dir, HUBS / "gcp-cilogon.yaml")
    assert status != 0
    assert "modules/welcome/index.md:" in output and "rstudio-tour" in output


def test_only_if_keeps_and_drops_blocks(site_dir: Path) -> None:
    body = textwrap.dedent(
        """
        :::{only-if} rstudio
        RStudio-only text, with a link to {doc}`/modules/rstudio-tour/index`.
        :::

        :::{only-if} !rstudio
        No-RStudio text.
        :::

        :::{only-if} lab python
        Lab and Python text.
        :::
        """
    )
    make_site(
        site_dir,
        {
            "welcome": module_text("welcome", body=body),
            "rstudio-tour": module_text("rstudio-tour", requires=["rstudio"]),
        },
    )
    status, output, out = build(site_dir, HUBS / "gcp-cilogon.yaml")
    assert status == 0, output  # the dropped block's link to the omitted module is never parsed
    text = (out / "modules" / "welcome" / "index.html").read_text()
    assert "RStudio-only text" not in text and "No-RStudio text." in text and "Lab and Python text." in text
    status, output, out = build(site_dir)
    text = (out / "modules" / "welcome" / "index.html").read_text()
    assert "RStudio-only text" in text and "No-RStudio text." not in text


def test_only_if_unknown_feature_is_located(site_dir: Path) -> None:
    make_site(site_dir, {"welcome": module_text("welcome", body="\n:::{only-if} rstuido\nx\n:::\n")})
    status, output, _ = build(site_dir)
    assert status != 0
    assert "modules/welcome/index.md:" in output and "only-if: unknown hub feature 'rstuido'" in output


def test_language_tabs_follow_the_hub(site_dir: Path) -> None:
    body = textwrap.dedent(
        """
        ::::{tab-set}
        :::{tab-item} Python
        :sync: python
        Python steps.
        :::
        :::{tab-item} R
        :sync: r
        R steps.
        :::
        ::::
        """
    )
    make_site(site_dir, {"welcome": module_text("welcome", body=body)})
    _, _output, out = build(site_dir, HUBS / "gcp-cilogon.yaml")  # Python only
    text = (out / "modules" / "welcome" / "index.html").read_text()
    assert "Python steps." in text and "R steps." not in text
    _, _output, out = build(site_dir)  # Python and R
    page = BeautifulSoup((out / "modules" / "welcome" / "index.html").read_text(), "html.parser")
    assert [label["data-sync-id"] for label in page.select("label.sd-tab-label")] == ["python", "r"]


# --- pure functions ------------------------------------------------------------------------------


def info(module_id: str, order: int = 100, prerequisites: tuple[str, ...] = ()) -> ModuleInfo:
    data = yaml.safe_load(module_text(module_id, order=order, prerequisites=list(prerequisites)).split("---")[1])
    return ModuleInfo.model_validate(data["module"])


def test_learning_path_puts_prerequisites_first() -> None:
    modules = {m.id: m for m in [info("a", 1, ("c",)), info("b", 2), info("c", 3)]}
    assert [m.id for m in learning_path(modules)] == ["b", "c", "a"]


@pytest.mark.parametrize(("minutes", "text"), [(0, "0 min"), (45, "45 min"), (60, "1 h"), (95, "1 h 35 min")])
def test_format_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text


def test_repository_modules_are_valid() -> None:
    catalogue = read_catalogue(Path(__file__).resolve().parent.parent / "modules")
    assert [str(p) for p in catalogue.problems] == []
    assert "welcome" in catalogue.modules


def test_demo_site_has_the_path(demo_site: BuiltSite) -> None:
    path = demo_site.page("start-here.html")
    assert path.select("ol.training-path > li")


def test_only_if_is_resolved_in_the_source_keeping_line_numbers() -> None:
    from training.sphinx_ext.substitution import resolve_only_if

    text = "a\n:::{only-if} rstudio\n## RStudio heading\nx\n:::\nb\n::::{only-if} !rstudio\ny\n::::\n````\n:::{only-if} rstudio\n````\nc"
    kept, dropped, problems = resolve_only_if(text, {"rstudio"})
    assert kept.split("\n") == [
        "a",
        "",
        "## RStudio heading",
        "x",
        "",
        "b",
        "",
        "",
        "",
        "````",
        ":::{only-if} rstudio",
        "````",
        "c",
    ]
    assert dropped == {7, 8, 9} and problems == []
    _, _, problems = resolve_only_if(":::{only-if} rstuido\nx\n:::", set())
    assert problems == [(1, "only-if: unknown hub feature 'rstuido'")]
