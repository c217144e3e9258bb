"""``bench-results``: the benchmark page's tables and chart, rendered at build time from results.json."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from training.sphinx_ext.reference import GeneratedMarkdown
from training.sphinx_ext.warnings import TrainingWarning, warn

LABELS = {
    "cold_vs_baseline": ("Cold build vs plain Sphinx + myst-parser + book theme", "≤ 1.1 ×"),
    "cold_below_jupyter_book": ("Cold build vs Jupyter Book 1", "< 1 ×"),
    "edit_vs_cold": ("Rebuild after editing one module (warm, as the live server does) vs cold build", "≤ 0.25 ×"),
    "live_seconds": ("Live server: save to changed page served (s)", "< 3 s"),
    "sixteen_vs_one": ("16 hubs vs 1 hub", "≤ 8 ×"),
    "page_bytes_vs_default": ("Module page bytes vs default book theme setup", "≤ 0.6 ×"),
}


#: Why a target is missed, written after reading the profile; shown only while it is missed.
REASONS = {
    "cold_vs_baseline": (
        "The baseline is the article text only: headings, paragraphs, lists and code, with three "
        "extensions fewer (sphinx-design, sphinx-copybutton, sphinx-togglebutton). Our pages also carry "
        "tabs, cards, quizzes, figures and tables, so there are more nodes to transform and write, "
        "and the build validates the hub file, reads every module's metadata, lints the content and "
        "prints the workshop handout to PDF with Chromium (in a thread, on the second core). "
        "When this page was written, a cold build without the PDF took about 0.4 s less; the rest "
        "is the richer pages: more text to index for search, more nodes for docutils and Sphinx to "
        "transform and write (see the profile below; our own code is a small part of it)."
    ),
    "cold_below_jupyter_book": (
        "Jupyter Book 1 builds the same static text as the baseline, not our richer pages; the "
        "difference is the one explained for the baseline above. Against the pages it really builds, "
        "it is slower than plain Sphinx."
    ),
    "edit_vs_cold": (
        "A rebuild in a new process pays the start-up again (imports, extensions, configuration); "
        "the live server keeps them loaded."
    ),
    "live_seconds": "The live server checks for saves four times a second and rebuilds in a warm process.",
    "sixteen_vs_one": "Two cores: at best two hubs build at once; start-up is paid once per worker.",
    "page_bytes_vs_default": "The theme's own style sheet and Bootstrap are most of the bytes left.",
}


def missed_targets(data: dict[str, Any]) -> list[str]:
    """One line per missed target: by how much, and why."""
    lines = []
    for key, (label, target) in LABELS.items():
        entry = data["targets"].get(key, {})
        if entry.get("met") is not False:
            continue
        value, limit = entry.get("value"), entry.get("target")
        if value is None or not limit:
            lines.append(f"- **{label}**: not measured in this run. {REASONS.get(key, '')}".rstrip())
            continue
        over = (value / limit - 1) * 100
        lines.append(
            f"- **{label}**: {_number(value)} against {target}, {over:.0f} % over. {REASONS.get(key, '')}".rstrip()
        )
    return lines


def _number(value: Any, unit: str = "") -> str:
    if value is None:
        return "not measured"
    return f"{value:.2f}{unit}" if isinstance(value, float) else f"{value}{unit}"


def results_markdown(data: dict[str, Any]) -> str:
    lines = [
        f"Measured on {data['date']}: {data['machine']['cores']} cores, Python {data['machine']['python']}, "
        f"{data['runs']} runs per median after one warm-up, {data.get('pages', '?')} pages.",
        "",
        "| Target | Measured | Target value | Met |",
        "|---|---|---|---|",
    ]
    for key, (label, target) in LABELS.items():
        entry = data["targets"].get(key, {})
        met = {True: "yes", False: "**no**"}.get(entry.get("met"), "?")
        lines.append(f"| {label} | {_number(entry.get('value'))} | {target} | {met} |")
    missed = missed_targets(data)
    if missed:
        lines += ["", "Targets missed in this run:", "", *missed]
    lines += ["", "| Measurement | Seconds (median) |", "|---|---|"]
    for key, label in [
        ("cold_build", "Cold build, this site"),
        ("baseline_cold_build", "Cold build, plain Sphinx baseline"),
        ("jupyter_book_cold_build", "Cold build, Jupyter Book 1"),
        ("no_change_rebuild", "Rebuild, no change"),
        ("edit_one_module_rebuild", "Rebuild after editing one module (new process)"),
        ("edit_one_module_warm_rebuild", "Rebuild after editing one module (warm process)"),
        ("live_edit", "Live server, save to page served"),
    ]:
        lines.append(f"| {label} | {_number(data.get(key, {}).get('median_s'))} |")
    many = data["many_hubs"]
    lines += ["", "| Hubs | Seconds | Per hub |", "|---|---|---|"]
    lines += [
        f"| {count} | {_number(entry['seconds'])} | {_number(entry['per_hub_s'])} |" for count, entry in many.items()
    ]
    weight = data["page_weight"]
    lines += ["", "| Page | Bytes | Requests |", "|---|---|---|"]
    for key, label in [
        ("landing", "Landing page, this site"),
        ("landing_default_theme", "Landing page, default book theme"),
        ("module", "Module page, this site"),
        ("module_default_theme", "Module page, default book theme"),
    ]:
        lines.append(f"| {label} | {weight[key]['bytes']:,} | {weight[key]['requests']} |")
    floor = data["parse_floor"]
    lines += [
        "",
        f"Parse floor: markdown-it-py parses the {floor['files']} sources in {floor['in_process_s']} s in a warm process, "
        f"{floor['whole_process_s']} s as a whole process ({_number(data['ratios']['parse_floor_vs_cold'])} × the cold build).",
        "",
        "Where a cold build's time goes, from one build under cProfile: the time spent in each group's "
        "own code. The profiler slows the build down about twofold, so compare the groups with each "
        "other rather than with the timings above.",
        "",
        "| Where a cold build's time goes (cProfile, own time) | Seconds |",
        "|---|---|",
        *[f"| {group} | {seconds} |" for group, seconds in data["profile_s"].items()],
    ]
    return "\n".join(lines)


def chart_svg(data: dict[str, Any]) -> str:
    """A horizontal bar chart of the build timings; accessible (role=img, title, description)."""
    bars = [
        ("This site, cold", data["cold_build"].get("median_s")),
        ("Plain Sphinx, cold", data["baseline_cold_build"].get("median_s")),
        ("Jupyter Book 1, cold", data["jupyter_book_cold_build"].get("median_s")),
        ("No-change rebuild", data["no_change_rebuild"].get("median_s")),
        ("Edit one module, new process", data["edit_one_module_rebuild"].get("median_s")),
        ("Edit one module, warm", data.get("edit_one_module_warm_rebuild", {}).get("median_s")),
        ("Live: save to page", data["live_edit"].get("median_s")),
    ]
    bars = [(label, value) for label, value in bars if value is not None]
    top = max(value for _, value in bars) or 1.0
    width, left, row = 640, 170, 30
    height = row * len(bars) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="bench-title bench-desc" '
        f'viewBox="0 0 {width} {height}" class="training-bench-chart">',
        '<title id="bench-title">Build times in seconds</title>',
        '<desc id="bench-desc">'
        + html.escape("; ".join(f"{label}: {value:.2f} s" for label, value in bars))
        + "</desc>",
    ]
    for index, (label, value) in enumerate(bars):
        y = 10 + index * row
        length = (width - left - 70) * value / top
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" fill="currentColor" font-size="13">{html.escape(label)}</text>'
        )
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="18" fill="#3b6fb6"/>')
        parts.append(
            f'<text x="{left + length + 6:.1f}" y="{y + 16}" fill="currentColor" font-size="13">{value:.2f} s</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


class BenchResults(GeneratedMarkdown):
    """Renders docs/benchmarks/results.json (written by ``nox -s bench``)."""

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / "benchmarks" / "results.json"
        if not path.is_file():
            paragraph = nodes.paragraph(text="No measurements yet: run nox -s bench.")
            return [paragraph]
        self.env.note_dependency(str(path))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self._markdown = results_markdown(data)
            svg = chart_svg(data)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            problem = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
            warn(
                f"cannot show {path} ({problem}); run 'nox -s bench' to measure again",
                TrainingWarning.benchmarks,
                self.get_location(),
            )
            return [nodes.paragraph(text="The benchmark results cannot be read: run nox -s bench.")]
        chart = nodes.raw("", f'<figure class="training-bench-figure">{svg}</figure>', format="html")
        return [chart, *super().run()]

    def markdown(self) -> str:
        return self._markdown


def setup_bench_page(app: Sphinx) -> None:
    app.add_directive("bench-results", BenchResults)


def setup(app: Sphinx) -> dict[str, object]:
    """The project documentation loads this file as a local extension (docs/conf.py)."""
    setup_bench_page(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
