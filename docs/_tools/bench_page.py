"""``bench-results``: the benchmark page's tables and scaling chart, rendered at build time from results.json."""

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
    "on_vs_off_300": ("CPU time at 300 pages, extension on vs off", "≤ 1.3 ×"),
    "growth_100_to_300": ("CPU time from 100 to 300 pages, extension on", "≤ 3.5 ×"),
    "extension_share_25": ("The extension's share of a cold build, 25 pages", "≤ 0.10"),
    "extension_share_300": ("The extension's share of a cold build, 300 pages", "≤ 0.10"),
    "live_seconds_25": ("Live server, save to changed page served, 25 pages (s)", "≤ 1 s"),
    "live_seconds_300": ("Live server, save to changed page served, 300 pages (s)", "≤ 2 s"),
    "page_bytes_vs_default": ("Module page bytes vs the default book theme", "≤ 0.3 ×"),
}

#: Why a target is missed, written after reading the measurements; shown only while it is missed.
REASONS = {
    "extension_share_25": (
        "At 25 pages about a third of the difference is importing the extension (its validation "
        "models are built on import); the rest is validating the hub file and every module's "
        "metadata and the richer pages our directives make (overview cards, quizzes, tabs, figures, "
        "the player), which the extension-off build renders as plain blocks."
    ),
    "extension_share_300": "See the share at 25 pages: the same work, per page.",
    "on_vs_off_300": (
        "Look at the load average of the 300-page runs: this target is close, and other jobs on the "
        "machine during those runs slow the build with the extension more (it does more work per page)."
    ),
    "live_seconds_25": "The live server checks for saves four times a second and rebuilds in a warm process.",
    "live_seconds_300": (
        "At 300 pages a rebuild still loads Sphinx's environment and the doctrees of the pages it writes "
        "(about 0.8 s), indexes the materials again when the edited page links to them, and resolves "
        "the navigation tree once."
    ),
    "page_bytes_vs_default": "The theme's own style sheet and Bootstrap are most of the bytes left.",
}


def _number(value: Any, unit: str = "") -> str:
    if value is None:
        return "not measured"
    return f"{value:.2f}{unit}" if isinstance(value, float) else f"{value}{unit}"


def missed_targets(data: dict[str, Any]) -> list[str]:
    """One line per missed or unmeasured target: by how much, and why."""
    lines = []
    for key, (label, target) in LABELS.items():
        entry = data["targets"].get(key, {})
        if entry.get("met") is True:
            continue
        value, limit = entry.get("value"), entry.get("target")
        if value is None or not limit:
            lines.append(f"- **{label}**: not measured in this run.")
            continue
        over = (value / limit - 1) * 100
        lines.append(
            f"- **{label}**: {_number(value)} against {target}, {over:.0f} % over. {REASONS.get(key, '')}".rstrip()
        )
    return lines


def results_markdown(data: dict[str, Any]) -> str:
    machine = data["machine"]
    lines = [
        f"Measured on {data['date']}: {machine['cores']} cores, Python {machine['python']}, load average "
        f"{machine.get('load_1min_at_start', '?')} at the start, {data['runs']} interleaved run(s) per size "
        "and mode (medians).",
    ]
    if data.get("note"):
        lines += ["", f"*{data['note']}*"]
    lines += ["", "| Target | Measured | Target value | Met |", "|---|---|---|---|"]
    for key, (label, target) in LABELS.items():
        entry = data["targets"].get(key, {})
        met = {True: "yes", False: "**no**"}.get(entry.get("met"), "not measured")
        lines.append(f"| {label} | {_number(entry.get('value'))} | {target} | {met} |")
    missed = missed_targets(data)
    if missed:
        lines += ["", "Targets missed or not measured in this run:", "", *missed]
    lines += [
        "",
        "| Pages | Extension | Wall (s) | CPU (s) | Load average | Peak memory (MB) | Output (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for _size, entry in sorted(data["scaling"].items(), key=lambda item: int(item[0])):
        for mode in ("on", "off"):
            run = entry[mode]
            lines.append(
                f"| {entry['pages']} | {mode} | {_number(run['wall_s'])} | {_number(run['cpu_s'])} | "
                f"{_number(run['load_1min'])} | {run['peak_mb']:.0f} | {run['output_bytes'] / 1e6:.1f} |"
            )
    lines += ["", "| Pages | Live server (s) | sphinx-autobuild (s) |", "|---|---|---|"]
    for size, entry in sorted(data.get("edit_loop", {}).items(), key=lambda item: int(item[0])):
        live, autobuild = entry.get("live", {}), entry.get("sphinx_autobuild", {})
        lines.append(f"| {size} | {_number(live.get('median_s'))} | {_number(autobuild.get('median_s'))} |")
    weight = data["page_weight"]
    lines += ["", "| Module page | Bytes | Gzip bytes | Requests |", "|---|---|---|---|"]
    for key, label in (("module", "This site"), ("module_default_theme", "Default book theme (extension off)")):
        lines.append(
            f"| {label} | {weight[key]['bytes']:,} | {weight[key]['gzip_bytes']:,} | {weight[key]['requests']} |"
        )
    lines += ["", "| Resource of this site's module page | Bytes | Gzip bytes |", "|---|---|---|"]
    for resource in sorted(weight["module"]["resources"], key=lambda r: -r["gzip_bytes"]):
        lines.append(f"| `{resource['url'] or '(the page)'}` | {resource['bytes']:,} | {resource['gzip_bytes']:,} |")
    myst = data.get("mystmd", {})
    measured = {size: entry for size, entry in myst.items() if isinstance(entry, dict)}
    if measured:
        lines += [
            "",
            f"mystmd on the same Markdown, as a reference: it {myst.get('writes', 'writes JSON')}.",
            "",
            "| Pages | Wall (s) | CPU (s) |",
            "|---|---|---|",
            *[
                f"| {data['scaling'].get(size, {}).get('pages', size)} | {_number(e['wall_s'])} | {_number(e['cpu_s'])} |"
                for size, e in sorted(measured.items(), key=lambda item: int(item[0]))
            ],
        ]
    elif myst.get("note"):
        lines += ["", f"mystmd: {myst['note']}."]
    return "\n".join(lines)


def chart_svg(data: dict[str, Any]) -> str:
    """CPU seconds of a cold build against pages, extension on and off: the scaling curve (accessible SVG)."""
    points = {
        mode: [(entry["pages"], entry[mode]["cpu_s"]) for entry in data["scaling"].values()] for mode in ("on", "off")
    }
    for series in points.values():
        series.sort()
    top_pages = max(p for series in points.values() for p, _ in series) or 1
    top_seconds = max(s for series in points.values() for _, s in series) or 1.0
    width, height, left, bottom, right, top = 640, 300, 60, 40, 100, 20

    def x(pages: float) -> float:
        return left + (width - left - right) * pages / top_pages

    def y(seconds: float) -> float:
        return height - bottom - (height - top - bottom) * seconds / top_seconds

    description = "; ".join(
        f"extension {mode}: " + ", ".join(f"{p} pages {s:.1f} s" for p, s in series) for mode, series in points.items()
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="bench-title bench-desc" '
        f'viewBox="0 0 {width} {height}" class="training-bench-chart">',
        '<title id="bench-title">CPU seconds of a cold build by number of pages</title>',
        f'<desc id="bench-desc">{html.escape(description)}</desc>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="currentColor"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="currentColor"/>',
        f'<text x="{(width - right + left) / 2}" y="{height - 8}" text-anchor="middle" fill="currentColor" font-size="13">pages</text>',
        f'<text x="{left - 8}" y="{top + 4}" text-anchor="end" fill="currentColor" font-size="13">{top_seconds:.0f} s</text>',
    ]
    styles = {"on": ("#3b6fb6", ""), "off": ("#b65a3b", ' stroke-dasharray="6 4"')}
    for mode, series in points.items():
        colour, dash = styles[mode]
        path = " ".join(f"{x(p):.1f},{y(s):.1f}" for p, s in series)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        for pages, seconds in series:
            parts.append(f'<circle cx="{x(pages):.1f}" cy="{y(seconds):.1f}" r="4" fill="{colour}"/>')
            parts.append(
                f'<text x="{x(pages):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="currentColor" font-size="12">{pages}</text>'
            )
        last_pages, last_seconds = series[-1]
        parts.append(
            f'<text x="{x(last_pages) + 8:.1f}" y="{y(last_seconds) + 4:.1f}" fill="currentColor" font-size="13">'
            f"extension {mode}</text>"
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
