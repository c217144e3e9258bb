"""``hub-training gates HTML_DIR``: the quality gates on a built site, as one command for CI.

Content lint runs during the build (a warning stops it); these gates read what the build wrote.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_gates(args: argparse.Namespace) -> int:
    from training.cli.main import hub_or_exit, site_or_exit
    from training.gates.site_checks import static_gates, summary

    site_dir = Path(args.html)
    if not (site_dir / "index.html").is_file():
        print(f"{site_dir}: no index.html; expected the output folder of hub-training build", file=sys.stderr)
        return 1
    site = site_or_exit(args.site)
    hub_path = args.hub or (str(site.hub_file) if site else None)
    values = hub_or_exit(hub_path).values() if hub_path else None
    failed = False
    summaries = []
    for name, report in static_gates(site_dir, values):
        for problem in report.problems:
            print(f"{site_dir}/{problem}")
        summaries.append(summary(name, report))
        failed |= bool(report.problems)
    if args.axe:
        from training.gates.axe import AxeUnavailable, check_axe

        try:
            axe = check_axe(site_dir)
        except AxeUnavailable as exc:
            print(f"hub-training gates: {exc}", file=sys.stderr)
            return 1
        for problem in axe.problems:
            print(f"{site_dir}/{problem}")
        summaries.append(f"axe: {axe.pages} pages, {len(axe.problems)} problems")
        failed |= bool(axe.problems)
    for line in summaries:
        print(line)
    return 1 if failed else 0


def cmd_gates_args(parser: argparse._SubParsersAction) -> None:
    gates = parser.add_parser(
        "gates", help="run the quality gates on a built site: links, self-contained, leaks, alt text (and axe)"
    )
    gates.add_argument("html", metavar="HTML_DIR", help="the built site (the output folder of hub-training build)")
    gates.add_argument("--hub", metavar="HUB_YAML", help="the hub it was built for: its values must be escaped")
    gates.add_argument("--site", metavar="SITE_YAML", help="the site file (default: site.yaml in this folder, if any)")
    gates.add_argument(
        "--axe", action="store_true", help='also run axe in Chromium (pip install "hub-training[gates]")'
    )
    gates.set_defaults(func=cmd_gates)
