"""The built sites: self-contained, and each one shows its own hub's values only."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.sphinx_ext.self_contained import external_assets

from .conftest import ROOT, BuiltSite, run_cli, run_sphinx

DEMO_VALUES = [
    "hub.example.org",
    "Example Research Hub",
    "example-scratch",
    "example-persistent",
    "hub-help@example.org",
]


def test_demo_site_builds_without_warnings(demo_site: BuiltSite) -> None:
    assert (demo_site.html / "index.html").is_file()
    assert "WARNING" not in demo_site.output
    assert "Example Research Hub" in demo_site.text("index.html")


def test_demo_site_says_it_is_an_example(demo_site: BuiltSite) -> None:
    banner = demo_site.page("index.html").select_one(".bd-header-announcement")
    assert banner is not None
    assert "fictional example hub" in banner.get_text()


@pytest.mark.parametrize("site_name", ["demo_site", "ocean_site", "workshop_hub_site"])
def test_every_page_is_self_contained(site_name: str, request: pytest.FixtureRequest) -> None:
    site: BuiltSite = request.getfixturevalue(site_name)
    checked = 0
    for path in [*site.pages(), *site.html.rglob("*.css")]:
        assert external_assets(path.read_text(encoding="utf-8", errors="replace")) == [], path
        checked += 1
    assert checked > 5


def test_external_asset_detector_catches_the_known_traps() -> None:
    html = """
    <script defer src="https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js"></script>
    <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Vibur">
    <script src='//unpkg.com/@jupyter-widgets/html-manager'></script>
    <style>@import url("https://fonts.example.com/a.css"); .x { background: url(https://t.example.com/p.gif) }</style>
    <a href="https://github.com/example">a link is fine</a><script src="_static/local.js"></script>
    """
    assert external_assets(html) == [
        "//unpkg.com/@jupyter-widgets/html-manager",
        "https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js",
        "https://fonts.example.com/a.css",
        "https://fonts.googleapis.com/css?family=Vibur",
        "https://t.example.com/p.gif",
    ]


def test_external_script_added_by_an_extension_is_removed_and_fails_the_build(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "training"]\ntraining_modules_dir = "none"\n'
        "def setup(app):\n    app.add_js_file('https://cdn.example.com/tracker.js')\n"
    )
    (src / "index.md").write_text("# Home\n")
    from .conftest import run_sphinx

    result = run_sphinx(src, tmp_path / "out")
    assert result.returncode != 0
    assert "removed https://cdn.example.com/tracker.js" in result.stderr
    assert "tracker.js" not in (tmp_path / "out" / "index.html").read_text()


def test_second_hub_shows_its_values_and_none_of_the_demo(ocean_site: BuiltSite) -> None:
    assert ocean_site.html.name == "html"
    index = ocean_site.text("index.html")
    assert "Ocean Modelling Hub" in index
    assert "https://ocean.university.edu/jupyter" in index
    for path in ocean_site.pages():
        text = path.read_text(encoding="utf-8")
        for value in DEMO_VALUES:
            assert value not in text, f"{value} in {path}"
    assert ocean_site.page("index.html").select_one(".bd-header-announcement") is None


def test_build_goes_into_a_folder_named_after_the_hub_id() -> None:
    from training.cli.main import default_output
    from training.model.hub_profile import load_hub_profile

    hub = load_hub_profile(ROOT / "tests" / "hubs" / "gcp-cilogon.yaml")
    assert default_output(hub) == ROOT / "_build" / "ocean-gcp" / "html"
    assert default_output(load_hub_profile()) == ROOT / "_build" / "demo" / "html"


def test_check_command_prints_ok_for_the_demo() -> None:
    result = run_cli("check", str(ROOT / "training" / "site" / "hubs" / "demo.yaml"))
    assert result.stdout.strip() == "OK"


def _models(root: type) -> list[type]:
    """Every pydantic model reachable from ``root`` through its fields."""
    import typing

    from pydantic import BaseModel

    found: list[type] = []
    pending = [root]
    while pending:
        model = pending.pop(0)
        if model in found:
            continue
        found.append(model)
        for field in model.model_fields.values():
            stack = [field.annotation]
            while stack:
                annotation = stack.pop()
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    pending.append(annotation)
                stack.extend(typing.get_args(annotation))
    return found


@pytest.mark.parametrize(
    ("site", "page", "root"),
    [
        ("project_docs", "hub-profile.html", "training.model.hub_profile:HubProfile"),
        ("demo_site", "workshops/workshop-file.html", "training.model.workshop:Workshop"),
    ],
)
def test_reference_pages_list_every_key_of_the_code(
    request: pytest.FixtureRequest, site: str, page: str, root: str
) -> None:
    """The reference pages are generated from the validating models: every key of every model is there."""
    import importlib

    module, name = root.split(":")
    tables = request.getfixturevalue(site).page(page).select("article table")
    keys = {code.get_text() for table in tables for code in table.select("tbody tr td:first-child code")}
    for model in _models(getattr(importlib.import_module(module), name)):
        for field_name, field in model.model_fields.items():
            assert (field.alias or field_name) in keys, f"{page}: {model.__name__}.{field_name} is not listed"


def test_maintainer_guide_lists_every_derived_value(project_docs: BuiltSite) -> None:
    from training.model.hub_profile import DERIVED_VALUES

    text = project_docs.text("maintainers.html")
    for key, description in DERIVED_VALUES.items():
        assert f"{{{{ hub.{key} }}}}" in text, key
        assert description.split("`")[0].strip() in text, key


def test_a_configuration_value_of_the_wrong_type_is_one_line(tmp_path: Path) -> None:
    """Every value of the extension is declared once and checked: a wrong type names the value."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "training"]\ntraining_workshops_dir = 3\n')
    (src / "index.md").write_text("# Home\n")
    result = run_sphinx(src, tmp_path / "html")
    assert result.returncode == 1
    assert "conf.py: training_workshops_dir: 3 is a int; expected a str" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
