"""The benchmark page: tables, chart and missed targets rendered from results.json (issue 9).

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


def sample_results() -> dict[str, Any]:
    return {
        "date": "2026-11-26",
        "machine": {"cores": 2, "python": "3.11.2", "platform": "Linux"},
        "runs": 3,
        "pages": 27,
        "cold_build": {"median_s": 40.0},
        "baseline_cold_build": {"median_s": 32.0},
        "jupyter_book_cold_build": {"median_s": 50.0},
        "no_change_rebuild": {"median_s": 4.0},
        "edit_one_module_rebuild": {"median_s": 8.0},
        "live_edit": {"median_s": 1.5},
        "many_hubs": {"1": {"seconds": 40.0, "per_hub_s": 40.0}, "16": {"seconds": 240.0, "per_hub_s": 15.0}},
        "page_weight": {
            key: {"bytes": size, "requests": 9}
            for key, size in [
                ("landing", 300_000),
                ("module", 400_000),
                ("landing_default_theme", 1_000_000),
                ("module_default_theme", 1_000_000),
            ]
        },
        "parse_floor": {"files": 40, "in_process_s": 0.5, "whole_process_s": 0.8},
        "profile_s": {"our extension (training/)": 2.0, "theme (pydata/book theme)": 9.0},
        "ratios": {"parse_floor_vs_cold": 0.02},
        "targets": {
            "cold_vs_baseline": {"target": 1.1, "value": 1.25, "met": False},
            "cold_below_jupyter_book": {"target": 1.0, "value": 0.8, "met": True},
            "edit_vs_cold": {"target": 0.25, "value": 0.2, "met": True},
            "live_seconds": {"target": 3.0, "value": 1.5, "met": True},
            "sixteen_vs_one": {"target": 8.0, "value": 6.0, "met": True},
            "page_bytes_vs_default": {"target": 0.6, "value": 0.4, "met": True},
        },
    }


def test_page_states_machine_date_and_every_target() -> None:
    text = results_markdown(sample_results())
    assert "Measured on 2026-11-26: 2 cores, Python 3.11.2, 3 runs" in text
    for label in ["plain Sphinx", "Jupyter Book 1", "editing one module", "Live server", "16 hubs", "Module page"]:
        assert label in text
    assert "| 16 | 240.00 | 15.00 |" in text
    assert "| Module page, this site | 400,000 | 9 |" in text


def test_only_missed_targets_are_listed_with_how_far_off() -> None:
    lines = missed_targets(sample_results())
    assert len(lines) == 1
    assert "plain Sphinx" in lines[0] and "1.25 against ≤ 1.1 ×, 14 % over" in lines[0]
    data = sample_results()
    data["targets"]["cold_below_jupyter_book"] = {"target": 1.0, "value": None, "met": False}
    assert any("not measured in this run" in line for line in missed_targets(data))


def test_chart_is_an_accessible_svg_with_one_bar_per_measured_timing() -> None:
    data = sample_results()
    data["jupyter_book_cold_build"] = {"median_s": None, "note": "does not install"}
    svg = BeautifulSoup(chart_svg(data), "html.parser").svg
    assert svg["role"] == "img" and svg["aria-labelledby"] == "bench-title bench-desc"
    assert len(svg.find_all("rect")) == 5  # Jupyter Book was not measured: no bar
    assert "This site, cold: 40.00 s" in svg.desc.get_text()


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
    assert "2 cores" in page.get_text() and len(page.select("table")) >= 4

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
