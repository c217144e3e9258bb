"""``hub-training report HUB_YAML``: gather, aggregate, write; one clear line and exit 1 on any problem."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from training.model.hub_profile import HubProfile
from training.model.onboarding import ModuleRef
from training.model.site_file import LoadedSite
from training.report.hub_api import REQUIRED_SCOPES, ReportError

DEFAULT_TOKEN_VARIABLE = "JUPYTERHUB_API_TOKEN"

HELP = f"""\
Make the onboarding report of a hub: who logged in, started a server and completed each module,
weekly active users, which Server Options people pick, servers running now and their cost per
hour, servers beyond the culler's limits, and modules started but not finished.

The token is read from the environment variable ${DEFAULT_TOKEN_VARIABLE} (or --token-env) and is never
printed or written. It needs the scopes {", ".join(REQUIRED_SCOPES)}; for example, in
jupyterhub_config.py:

  c.JupyterHub.services = [{{"name": "onboarding-report", "api_token": "<a secret, 32+ random hex>"}}]
  c.JupyterHub.load_roles = [{{"name": "onboarding-report", "services": ["onboarding-report"],
                              "scopes": {json.dumps(list(REQUIRED_SCOPES))}}}]

Without --names the report holds counts only, and any group smaller than the hub file's
report.min_group_size (default 5) is not shown on its own. Nothing is sent anywhere.
Needs matplotlib: pip install 'hub-training[report]'."""


def add_report_command(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report",
        help="the onboarding report of a hub (HTML, CSV, JSON) from its REST API and users' homes",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("hub", metavar="HUB_YAML", help="the hub file (its url, costs, culler limits)")
    report.add_argument("--homes", metavar="DIR", help="folder with one home folder per user (completion stamps)")
    report.add_argument("--names", action="store_true", help="show user names and every small group (keep it private)")
    report.add_argument("-o", "--output", metavar="OUT", help="output folder (default: onboarding-report-<hub-id>)")
    report.add_argument("--api-url", metavar="URL", help="the hub's REST API (default: <hub url>/hub/api)")
    report.add_argument(
        "--token-env",
        metavar="NAME",
        default=DEFAULT_TOKEN_VARIABLE,
        help=f"environment variable holding the token (default: {DEFAULT_TOKEN_VARIABLE})",
    )
    report.add_argument(
        "--min-group-size",
        type=int,
        metavar="N",
        help="smallest group shown (default: the hub file's report.min_group_size)",
    )
    report.add_argument("--modules", metavar="DIR", help="modules folder (default: the site's modules)")
    report.add_argument("--site", metavar="SITE_YAML", help="the site file (default: site.yaml in this folder)")
    report.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from training.cli.main import hub_or_exit, site_or_exit

    site = site_or_exit(args.site)
    hub = hub_or_exit(args.hub)
    try:
        return make_report(args, hub, report_modules(args, site, hub))
    except ReportError as exc:
        print(f"hub-training report: {exc}", file=sys.stderr)
        return 1


def report_modules(args: argparse.Namespace, site: LoadedSite | None, hub: HubProfile) -> list[ModuleRef]:
    """The modules the hub's site teaches, in path order: the standard curriculum and the site's own
    (or ``--modules``), without those the site leaves out or the hub cannot offer."""
    from training.model.module_info import Catalogue, available, learning_path, read_catalogue
    from training.site import standard_modules_dir

    folders = [Path(args.modules)] if args.modules else [standard_modules_dir()]
    if site is not None and not args.modules and site.modules_dir.is_dir():
        folders.append(site.modules_dir)  # a site's own modules, after the standard ones
    catalogue = Catalogue()
    for folder in folders:
        catalogue.modules.update(read_catalogue(folder).modules)
    left_out = set(site.site.leave_out) if site else set()
    offered = {key: info for key, info in available(catalogue, hub.features).items() if key not in left_out}
    return [ModuleRef(m.id, m.title) for m in learning_path(offered)]


def make_report(args: argparse.Namespace, hub: HubProfile, modules: list[ModuleRef]) -> int:
    from training.model.nbgitpuller import clone_dir
    from training.model.onboarding import build_report
    from training.report.homes import read_homes
    from training.report.hub_api import HubAPI
    from training.report.render import MATPLOTLIB_MISSING, write_report

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ReportError(MATPLOTLIB_MISSING) from None
    if args.min_group_size is not None and args.min_group_size < 1:
        raise ReportError(f"--min-group-size {args.min_group_size} is too small; expected 1 or more")
    token = os.environ.get(args.token_env, "").strip()
    if not token:
        raise ReportError(
            f"${args.token_env} is not set; expected a JupyterHub API token with the scopes {', '.join(REQUIRED_SCOPES)}"
        )
    homes = None
    if args.homes:
        homes = read_homes(Path(args.homes), clone_dir(hub.materials.repo), {m.id for m in modules})
    api = HubAPI(args.api_url or f"{hub.url}/hub/api", token, args.token_env)
    api.check()
    users = api.users()
    report = build_report(
        hub, users, homes, modules, datetime.now(UTC), names=args.names, min_group_size=args.min_group_size
    )
    out = Path(args.output) if args.output else Path.cwd() / f"onboarding-report-{hub.id}"
    files = write_report(report, out)
    print(f"Wrote the onboarding report of {hub.name} into {out}: {', '.join(files)}")
    return 0
