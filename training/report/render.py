"""Write the onboarding report: one self-contained HTML page, JSON and CSV of the same numbers.

The page loads nothing: its CSS is inline and its plots are PNG images drawn now with matplotlib
(``pip install 'hub-training[report]'``) and embedded as ``data:`` URLs; every plot has the same
numbers in a table beside it, so the page reads in print and with a screen reader. Everything is
written into a temporary folder next to the output and renamed into place at the end: an error
never leaves a half-written report.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from training.model.onboarding import OnboardingReport, report_data
from training.report.hub_api import ReportError

MATPLOTLIB_MISSING = (
    "matplotlib is not installed; the report draws its plots with it. Install the report extra: "
    "pip install 'hub-training[report]'"
)

CSS = """
body { font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 0 auto;
       max-width: 60rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.8rem; margin-bottom: .25rem; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .75rem 0; }
th, td { border: 1px solid #999; padding: .3rem .6rem; text-align: left; vertical-align: top; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
.note { color: #333; }
.withheld { font-style: italic; }
@media print { body { max-width: none; font-size: 11pt; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _people(value: int | None, threshold: int) -> str:
    return f'<span class="withheld">fewer than {threshold}</span>' if value is None else str(value)


def _money(value: float | None, currency: str | None) -> str:
    if value is None:
        return "not given"
    return f"{value:,.2f} {currency or ''}".strip()


def _table(caption: str, headers: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    head = "".join(
        f'<th scope="col"{" class=number" if i in numeric else ""}>{_e(h)}</th>' for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=number' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    if not rows:
        body = f'<tr><td colspan="{len(headers)}">None.</td></tr>'
    return f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bar_chart(labels: list[str], values: list[int | None], title: str, horizontal: bool = True) -> str | None:
    """A bar chart as a PNG ``data:`` URL; withheld values are drawn as 0 (the table says why)."""
    if not labels:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    heights = [v or 0 for v in values]
    figure = Figure(figsize=(8, max(2.2, 0.45 * len(labels) + 1)) if horizontal else (8, 3.2), dpi=110)
    axes = figure.add_subplot()
    if horizontal:
        positions = list(range(len(labels)))[::-1]
        axes.barh(positions, heights, color="#1f5f8b")
        axes.set_yticks(positions, [label if len(label) < 48 else label[:45] + "…" for label in labels])
        axes.set_xlabel("people")
    else:
        axes.bar(range(len(labels)), heights, color="#1f5f8b")
        axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        axes.set_ylabel("people")
    axes.set_title(title)
    (axes.xaxis if horizontal else axes.yaxis).get_major_locator().set_params(integer=True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(url: str | None, alt: str) -> str:
    return "" if url is None else f'<figure><img src="{url}" alt="{_e(alt)}"></figure>'


def _names(names: list[str] | None) -> str:
    return "" if names is None else _e(", ".join(names))


def render_html(report: OnboardingReport) -> str:
    t = report.min_group_size
    named = report.names_shown
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Onboarding report: {_e(report.hub_name)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>Onboarding report: {_e(report.hub_name)}</h1>",
        f'<p class="note">Made {report.generated_at:%Y-%m-%d %H:%M} UTC by <code>hub-training report</code> from '
        "the hub's REST API"
        + (", the completion stamps in the users' homes" if report.homes_read else "")
        + " and the hub file. Nothing was sent anywhere.</p>",
        '<p class="note">'
        + (
            "Names are shown: this report was made with <code>--names</code>. Keep it private."
            if named
            else "No names. Every group is shown, however small (made with --min-group-size 1)."
            if t == 1
            else f"No names. Any group of fewer than {t} people is not shown on its own: it says "
            f"“fewer than {t}”, or is merged into “Other”."
        )
        + "</p>",
    ]

    funnel_rows = [[_e(c.label), _people(c.value, t)] + ([_names(c.names)] if named else []) for c in report.funnel]
    parts += [
        "<h2>Onboarding funnel</h2>",
        "<p>From an account to a first server to each module completed. “Logged in” counts people the hub has "
        "seen active; “Started a server” counts people with a server that ever ran (the hub still lists it).</p>",
        _figure(
            _bar_chart([c.label for c in report.funnel], [c.value for c in report.funnel], "Onboarding funnel"),
            "Bar chart of the onboarding funnel; the same numbers are in the table below.",
        ),
        _table("Onboarding funnel", ["Step", "People"] + (["Users"] if named else []), funnel_rows, {1}),
    ]
    if not report.homes_read:
        parts.append(
            '<p class="note">No homes folder was given (<code>--homes</code>): module completions are not counted.</p>'
        )

    weekly_rows = [
        [_e(c.label), _people(c.value, t)] + ([_names(c.names)] if named else []) for c in report.weekly_active
    ]
    parts += [
        "<h2>Weekly active users</h2>",
        "<p>People active in each week (weeks start on Monday), as far as the hub and the stamps still record it: "
        "each person's last activity, their servers' start and last activity, and their completions. Activity "
        "older than what the hub keeps is not counted, so earlier weeks are a lower bound.</p>",
        _figure(
            _bar_chart(
                [c.label for c in report.weekly_active],
                [c.value for c in report.weekly_active],
                "Weekly active users",
                False,
            ),
            "Bar chart of weekly active users; the same numbers are in the table below.",
        ),
        _table("Weekly active users", ["Week of", "People"] + (["Users"] if named else []), weekly_rows, {1}),
    ]

    def breakdown(title: str, counts: list[Any], first: str) -> list[str]:
        rows = [[_e(c.label), _people(c.value, t)] + ([_names(c.names)] if named else []) for c in counts]
        return [_table(title, [first, "People"] + (["Users"] if named else []), rows, {1})]

    parts += [
        "<h2>What people pick</h2>",
        "<p>The Server Options each person's server was last started with, running or stopped.</p>",
        _figure(
            _bar_chart([c.label for c in report.profiles], [c.value for c in report.profiles], "Profiles"),
            "Bar chart of the profiles people pick; the same numbers are in the table below.",
        ),
        *breakdown("Profiles", report.profiles, "Profile"),
        *breakdown("Choices", report.choices, "Choice"),
    ]

    running_rows = [
        [_e(g.label), _people(g.servers, t), _money(g.cost_per_hour, g.currency)] + ([_names(g.names)] if named else [])
        for g in report.running
    ]
    total = _money(report.running_cost_per_hour, report.currency)
    parts += [
        "<h2>Servers running now</h2>",
        f"<p>{report.running_total} server(s) running now, costing {total} per hour in total"
        + (f" ({report.unpriced_running} of them have no cost in the hub file)" if report.unpriced_running else "")
        + ". Costs come from the hub file's <code>cost</code> entries.</p>",
        _table(
            "Servers running now",
            ["Profile and choices", "Servers", "Cost per server per hour"] + (["Users"] if named else []),
            running_rows,
            {1, 2},
        ),
    ]

    limits = f"idle for more than {report.idle_limit_minutes} minutes"
    if report.max_age_days:
        limits += f", or running for more than {report.max_age_days:g} days"
    risk_rows = [
        [
            _e(r.reason),
            _e(r.label),
            f"{r.over_hours:.2f}",
            _money(r.cost_per_hour, r.currency),
            _money(r.cost_over, r.currency),
        ]
        + ([_e(r.user or "")] if named else [])
        for r in report.at_risk
    ]
    parts += [
        "<h2>Money at risk</h2>",
        f"<p>Servers the culler should already have stopped: {limits} (the hub file's <code>server</code> values). "
        "If any are listed, the culler may not be running as the hub file says.</p>",
    ]
    if report.at_risk_withheld:
        parts.append(f'<p class="withheld">Fewer than {t} people have such servers: not shown.</p>')
    else:
        parts += [
            f"<p>Cost beyond the limits so far: {_money(report.at_risk_cost, report.currency)}.</p>",
            _table(
                "Servers beyond the culler's limits",
                ["Why", "Profile and choices", "Hours beyond the limit", "Cost per hour", "Cost beyond the limit"]
                + (["User"] if named else []),
                risk_rows,
                {2, 3, 4},
            ),
        ]

    if report.homes_read:
        module_rows = [
            [_e(m.title), _people(m.started, t), _people(m.completed, t), _people(m.started_not_finished, t)]
            for m in report.modules
        ]
        parts += [
            "<h2>Modules started but not finished</h2>",
            "<p>Started: the module's exercise notebook was run and saved in the person's home, or the module "
            "was completed. Completed: the exercise's last cell wrote its completion stamp.</p>",
            _table("Modules", ["Module", "Started", "Completed", "Started, not finished"], module_rows, {1, 2, 3}),
        ]
        if report.unmatched_homes:
            parts.append(
                f'<p class="note">{report.unmatched_homes} home folder(s) with stamps match no user name on the hub; '
                "their completions are counted.</p>"
            )
    parts += [
        "<h2>How this report is made</h2>",
        "<p>The command reads the hub's REST API with a read-only token (users, servers and their Server "
        "Options), the optional homes folder (completion stamps) and the hub file (costs, culler limits). It "
        "writes this page, <code>report.json</code> and one CSV file per table, and sends nothing anywhere.</p>",
        "</main></body></html>",
    ]
    return "\n".join(part for part in parts if part)


def _csv_text(headers: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return buffer.getvalue()


def csv_files(data: dict[str, Any]) -> dict[str, str]:
    """One CSV per table of the report; an empty cell is a withheld number (see report.json)."""
    named = data["privacy"]["names_shown"]

    def people(items: list[dict[str, Any]], first: str) -> str:
        extra = ["users"] if named else []
        return _csv_text(
            [first, "people", *extra],
            [[i["label"], i["people"], *([" ".join(i.get("users", []))] if named else [])] for i in items],
        )

    running = data["running"]["groups"]
    risk = data["at_risk"]["servers"]
    return {
        "funnel.csv": people(data["funnel"], "step"),
        "weekly_active.csv": people(data["weekly_active"], "week_of"),
        "profiles.csv": people(data["profiles"], "profile"),
        "choices.csv": people(data["choices"], "choice"),
        "running.csv": _csv_text(
            ["profile_and_choices", "servers", "cost_per_hour", "currency", *(["users"] if named else [])],
            [
                [
                    g["label"],
                    g["servers"],
                    g["cost_per_hour"],
                    g["currency"],
                    *([" ".join(g.get("users", []))] if named else []),
                ]
                for g in running
            ],
        ),
        "at_risk.csv": _csv_text(
            [
                "reason",
                "profile_and_choices",
                "over_hours",
                "cost_per_hour",
                "cost_over_limit",
                "currency",
                *(["user"] if named else []),
            ],
            [
                [
                    r["reason"],
                    r["label"],
                    r["over_hours"],
                    r["cost_per_hour"],
                    r["cost_over_limit"],
                    r["currency"],
                    *([r.get("user")] if named else []),
                ]
                for r in risk
            ],
        ),
        "modules.csv": _csv_text(
            ["module", "title", "started", "completed", "started_not_finished"],
            [
                [m["module"], m["title"], m["started"], m["completed"], m["started_not_finished"]]
                for m in data["modules"]
            ],
        ),
    }


def write_report(report: OnboardingReport, out: Path) -> list[str]:
    """Write ``out/`` (index.html, report.json, CSVs) atomically; return the file names written.

    ``out`` may be new, empty, or a previous report (it has ``report.json``), which is replaced.
    """
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "report.json").is_file())):
        raise ReportError(f"{out} exists and is not an earlier report; give a new or empty folder")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ReportError(MATPLOTLIB_MISSING) from None
    data = report_data(report)
    files = {"index.html": render_html(report), "report.json": json.dumps(data, indent=1, ensure_ascii=False) + "\n"}
    files.update(csv_files(data))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        previous = None
        if out.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            out.rename(previous / "report")
        staging.rename(out)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(files)
