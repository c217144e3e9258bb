"""What keeps builds linear and rebuilds small: indexes made once per build, a steady configuration,
and the sidebar written from one tree per build. No timing is asserted: the benchmark measures those.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

import training.sphinx_ext.open_in_hub
from training.sphinx_ext.navigation import NavEntry, NavGroup, PageNavigation

from .conftest import SITES, run_sphinx

EXTENSIONS = ["myst_parser", "sphinx_design", "sphinx_copybutton", "sphinx_togglebutton", "training"]


def _site(tmp_path: Path) -> Path:
    """The open-in-hub test site, with every extension of the real site and a page of many links."""
    source = tmp_path / "src"
    shutil.copytree(SITES / "open_in_hub", source)
    conf = (source / "conf.py").read_text(encoding="utf-8")
    (source / "conf.py").write_text(conf.replace('["myst_parser", "training"]', repr(EXTENSIONS)), encoding="utf-8")
    links = "\n\n".join("{open-in-hub}`a link <first-steps/first-notebook.ipynb>`" for _ in range(20))
    (source / "many.md").write_text(f"# Many links\n\n{links}\n\n{{open-in-hub}}`new <first-steps/new.ipynb>`\n")
    index = (source / "index.md").read_text(encoding="utf-8")
    (source / "index.md").write_text(index.replace("links\n", "links\nmany\n", 1), encoding="utf-8")
    return source


def _build(source: Path, out: Path) -> tuple[str, str]:
    status, warnings = io.StringIO(), io.StringIO()
    with docutils_namespace():  # as sphinx-build does: each build registers its nodes afresh
        app = Sphinx(source, source, out, out / ".doctrees", "html", status=status, warning=warnings, freshenv=False)
        app.build()
    return status.getvalue(), warnings.getvalue()


def test_materials_are_indexed_once_per_build_and_again_in_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _site(tmp_path)
    assert "many" in (source / "index.md").read_text()
    calls: list[Path] = []
    real = training.sphinx_ext.open_in_hub.materials_index

    def counted(modules_dir: Path, features: object) -> object:
        calls.append(modules_dir)
        return real(modules_dir, features)  # type: ignore[arg-type]

    monkeypatch.setattr(training.sphinx_ext.open_in_hub, "materials_index", counted)
    _status, warnings = _build(source, tmp_path / "out")
    assert len(calls) == 1  # 20 links and more on other pages, one index
    assert "'first-steps/new.ipynb' is not in the materials" in warnings

    # The live server's next build, in the same process: the new exercise is found, once.
    (source / "modules" / "first-steps" / "exercises" / "new.md").write_text(
        (source / "modules" / "first-steps" / "exercises" / "first-notebook.md").read_text(encoding="utf-8")
    )
    _status, warnings = _build(source, tmp_path / "out")
    assert len(calls) == 2
    assert "new.ipynb" not in warnings


def test_a_rebuild_without_changes_keeps_the_configuration(tmp_path: Path) -> None:
    source = _site(tmp_path)
    (source / "many.md").write_text("# Many links\n\nNone here.\n")
    first = run_sphinx(source, tmp_path / "html")
    assert first.returncode == 0, first.stderr
    again = run_sphinx(source, tmp_path / "html")
    assert again.returncode == 0, again.stderr
    assert "configuration has changed" not in again.stdout
    assert "0 added, 0 changed, 0 removed" in again.stdout


def _tree() -> list[NavGroup]:
    modules = [
        NavEntry("Welcome", "modules/welcome/index", "modules/welcome/index.html"),
        NavEntry("Logging <in>", "modules/logging-in/index", "modules/logging-in/index.html"),
    ]
    return [
        NavGroup(
            "Learn",
            [
                NavEntry("Start here", "docs/start-here", "docs/start-here.html", modules),
                NavEntry("All modules", "docs/catalogue", "docs/catalogue.html"),
            ],
        ),
        NavGroup("Elsewhere", [NavEntry("Forum", None, "https://forum.example.org/")]),
    ]


def test_sidebar_opens_the_pages_chain_and_names_each_toggle() -> None:
    html = PageNavigation(_tree(), "modules/welcome/index.html", "modules/welcome/index", collapse=True).html()
    assert '<ul class="current nav bd-sidenav">' in html
    assert (
        '<li class="toctree-l1 current active has-children"><a class="reference internal" href="../../docs/start-here.html">Start here</a>'
        in html
    )
    assert '<details open="open"><summary aria-label="Show or hide the pages under Start here">' in html
    assert '<li class="toctree-l2 current active"><a class="current reference internal" href="#">Welcome</a>' in html
    assert 'href="../logging-in/index.html">Logging &lt;in&gt;</a>' in html  # titles are escaped
    assert '<a class="reference external" href="https://forum.example.org/">Forum</a>' in html
    assert html.count("<summary") == 1


def test_sidebar_of_another_section_leaves_the_path_closed() -> None:
    html = PageNavigation(_tree(), "docs/catalogue.html", "docs/catalogue", collapse=True).html()
    assert "Welcome" not in html and "<details" not in html  # collapsed: only the current chain opens
    assert (
        '<li class="toctree-l1 current active"><a class="current reference internal" href="#">All modules</a>' in html
    )
    expanded = PageNavigation(_tree(), "docs/catalogue.html", "docs/catalogue", collapse=False).html()
    assert '<details><summary aria-label="Show or hide the pages under Start here">' in expanded
    assert 'href="../modules/welcome/index.html">Welcome</a>' in expanded


def test_the_live_servers_next_build_reads_only_what_a_module_edit_changes(tmp_path: Path) -> None:
    """Two builds of the staged demo site in one process, as the live server makes them.

    The packaged configuration's lists are shared by every build of a process: they must come out of
    a build as they went in, or the next build sees a changed configuration and reads every page.
    """
    from training.site.conf import exclude_patterns
    from training.site.staging import SiteSources, stage_site

    patterns_before = list(exclude_patterns)
    source = stage_site(SiteSources(), tmp_path / "src")
    out = tmp_path / "out"
    _status, warnings = _build(source, out)
    assert warnings == ""
    _status, warnings = _build(source, out)
    assert "configuration has changed" not in _status
    assert "0 added, 0 changed, 0 removed" in re.sub(r"\x1b\[[0-9;]*m", "", _status)
    assert exclude_patterns == patterns_before

    notes_page = out / "instructor-notes.html"
    written = notes_page.stat().st_mtime_ns
    page = source / "modules" / "welcome" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nOne more sentence.\n", encoding="utf-8")
    status, warnings = _build(source, out)
    assert warnings == ""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", status)
    read = {line.split("] ", 1)[1].strip() for line in plain.splitlines() if line.startswith("reading sources... [")}
    assert read == {"modules/welcome/index"}
    assert "One more sentence." in (out / "modules" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert notes_page.stat().st_mtime_ns == written  # no note changed: the page of every note is as it was

    # A new instructor note: the page of every note shows it, without being read again.
    page.write_text(
        page.read_text(encoding="utf-8") + "\n```{instructor-note}\nA brand-new note for instructors.\n```\n",
        encoding="utf-8",
    )
    status, warnings = _build(source, out)
    assert warnings == ""
    assert notes_page.stat().st_mtime_ns > written
    assert "A brand-new note for instructors." in notes_page.read_text(encoding="utf-8")
