"""The benchmark page: tables, chart and missed targets rendered from results.json.

No timings are asserted here: the numbers are made up; what is tested is how they are shown.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from .conftest import ROOT, run_sphinx

sys.path.insert(0, str(ROOT / "docs" / "_tools"))  # the benchmark tools are not part of the package
from bench_page import chart_svg, missed_targets, results_markdown


def _run(wall: float, cpu: float, peak: int, output: int) -> dict[str, Any]:
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": peak, "load_1min": 1.5, "output_bytes": output, "samples": []}


def sample_results() -> dict[str, Any]:
    resources = [
        {"url": "modules/welcome/index.html", "bytes": 60_000, "gzip_bytes": 12_000},
        {"url": "_static/styles/pydata-sphinx-theme.css", "bytes": 300_000, "gzip_bytes": 45_000},
    ]
    return {
        "date": "2026-11-26",
        "machine": {"cores": 2, "python": "3.11.2", "platform": "Linux", "load_1min_at_start": 0.4},
        "runs": 5,
        "note": "",
        "scaling": {
            "25": {"pages": 26, "on": _run(9.0, 8.0, 200, 8_000_000), "off": _run(8.0, 7.5, 150, 7_000_000)},
            "100": {"pages": 100, "on": _run(30.0, 28.0, 250, 20_000_000), "off": _run(27.0, 26.0, 200, 18_000_000)},
            "300": {"pages": 300, "on": _run(90.0, 84.0, 400, 60_000_000), "off": _run(80.0, 78.0, 300, 50_000_000)},
        },
        "edit_loop": {"25": {"live": {"median_s": 0.8}, "sphinx_autobuild": {"median_s": 4.2}}},
        "page_weight": {
            "module": {"bytes": 360_000, "gzip_bytes": 57_000, "requests": 2, "resources": resources},
            "module_default_theme": {"bytes": 2_400_000, "gzip_bytes": 700_000, "requests": 30, "resources": []},
        },
        "mystmd": {"writes": "JSON for each page", "25": {"wall_s": 3.0, "cpu_s": 2.5, "samples": []}},
        "targets": {
            "on_vs_off_300": {"target": 1.3, "value": 1.08, "met": True},
            "growth_100_to_300": {"target": 3.5, "value": 3.0, "met": True},
            "extension_share_25": {"target": 0.1, "value": 0.125, "met": False},
            "extension_share_300": {"target": 0.1, "value": 0.07, "met": True},
            "live_seconds_25": {"target": 1.0, "value": 0.8, "met": True},
            "live_seconds_300": {"target": 2.0, "value": None, "met": None},
            "page_bytes_vs_default": {"target": 0.3, "value": 0.15, "met": True},
        },
    }


def test_page_states_machine_load_and_every_target() -> None:
    text = results_markdown(sample_results())
    assert "Measured on 2026-11-26: 2 cores, Python 3.11.2, load average 0.4" in text
    assert "5 interleaved run(s)" in text
    for label in ["300 pages, extension on vs off", "100 to 300 pages", "share", "Live server", "Module page bytes"]:
        assert label in text
    assert "| 300 | on | 90.00 | 84.00 | 1.50 | 400 | 60.0 |" in text
    assert "| 25 | 0.80 | 4.20 |" in text  # the edit loop against sphinx-autobuild
    assert "| This site | 360,000 | 57,000 | 2 |" in text
    assert "| `_static/styles/pydata-sphinx-theme.css` | 300,000 | 45,000 |" in text
    assert "mystmd on the same Markdown" in text and "JSON" in text


def test_only_missed_or_unmeasured_targets_are_listed_with_how_far_off() -> None:
    lines = missed_targets(sample_results())
    assert len(lines) == 2
    assert "25 pages" in lines[0] and "0.12 against ≤ 0.10, 25 % over" in lines[0]
    assert "300 pages (s)**: not measured in this run" in lines[1]


def test_chart_is_an_accessible_scaling_curve_on_and_off() -> None:
    svg = BeautifulSoup(chart_svg(sample_results()), "html.parser").svg
    assert svg["role"] == "img" and svg["aria-labelledby"] == "bench-title bench-desc"
    assert len(svg.find_all("polyline")) == 2 and len(svg.find_all("circle")) == 6
    assert "extension on: 26 pages 8.0 s, 100 pages 28.0 s, 300 pages 84.0 s" in svg.desc.get_text()


def _site(tmp_path: Path, results: str | None) -> Path:
    src = tmp_path / "src"
    (src / "benchmarks").mkdir(parents=True)
    conf = (Path(__file__).parent / "sites" / "quiz_errors" / "conf.py").read_text()
    tools = ROOT / "docs" / "_tools"
    conf += f"\nimport sys\nsys.path.insert(0, {str(tools)!r})\nextensions = [*extensions, 'bench_page']\n"
    (src / "conf.py").write_text(conf)
    (src / "index.md").write_text("# Site\n\n```{toctree}\nbenchmarks/index\n```\n")
    (src / "benchmarks" / "index.md").write_text("# Benchmarks\n\n```{bench-results}\n```\n")
    if results is not None:
        (src / "benchmarks" / "results.json").write_text(results)
    return src


def test_site_renders_results_and_says_when_there_are_none(tmp_path: Path) -> None:
    src = _site(tmp_path, json.dumps(sample_results()))
    built = run_sphinx(src, tmp_path / "html")
    assert built.returncode == 0, built.stderr
    page = BeautifulSoup((tmp_path / "html" / "benchmarks" / "index.html").read_text(), "html.parser")
    assert page.select_one("figure.training-bench-figure svg[role=img]") is not None
    assert "2 cores" in page.get_text() and len(page.select("table")) >= 5

    empty = _site(tmp_path / "empty", None)
    built = run_sphinx(empty, tmp_path / "empty-html")
    assert built.returncode == 0, built.stderr
    assert "No measurements yet" in (tmp_path / "empty-html" / "benchmarks" / "index.html").read_text()


def test_broken_results_file_is_one_located_warning(tmp_path: Path) -> None:
    broken = _site(tmp_path / "broken", "{not json")
    built = run_sphinx(broken, tmp_path / "broken-html")
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert "cannot show" in built.stderr and "Expecting property name" in built.stderr

    src = _site(tmp_path, json.dumps({"date": "2026-11-26"}))
    built = run_sphinx(src, tmp_path / "html")
    page, results = src / "benchmarks" / "index.md", src / "benchmarks" / "results.json"
    warnings = [line for line in built.stderr.splitlines() if "WARNING" in line]
    assert built.returncode != 0
    assert warnings == [
        f"{page}:3: WARNING: cannot show {results} (missing 'machine'); "
        "run 'nox -s bench' to measure again [training.benchmarks]"
    ]
    assert "Traceback" not in built.stderr
