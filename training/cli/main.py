"""The ``hub-training`` command: build a site for a hub, check a hub file, write the materials.

Problems with a hub file are printed one per line (``<file>: <field>: <what is expected>``) and the
command exits with status 1, before Sphinx starts, so no half-built site is left behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from training import __version__
from training.cli.gates import cmd_gates_args
from training.cli.report import add_report_command
from training.model.hub_profile import DEMO_HUB_FILE, HubFileError, HubProfile, load_hub_profile
from training.model.overrides import check_overrides
from training.model.site_file import LoadedSite, SiteFileError, find_site_file, load_site_file
from training.model.workshop import LoadedWorkshop, WorkshopFileError, load_workshop
from training.site import PAGES_DIR, standard_modules_dir
from training.site.staging import SiteSources, origin_of, stage_site

SPHINX_FLAGS = ["-n", "-W", "--keep-going"]


def site_or_exit(path: str | None) -> LoadedSite | None:
    """The site file given (``--site``), else ``site.yaml`` in the current folder, else none."""
    found = Path(path) if path else find_site_file(Path.cwd())
    if found is None:
        return None
    try:
        return load_site_file(found)
    except SiteFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(1) from None


def site_sources(site: LoadedSite | None) -> SiteSources:
    """What the site is made of: the packaged pages and curriculum, then the community's own.

    Own modules that reuse a standard id, and overrides of files the installed release no longer
    has, stop the command (one line each); overrides whose standard file changed are warned about.
    """
    if site is None:
        return SiteSources()
    standard = standard_modules_dir()
    problems = [
        f"{folder}: has the id of a standard module; expected a new id "
        f"(to change the standard module, put your files in overrides/{folder.name}/)"
        for folder in sorted(site.modules_dir.glob("*/"))
        if (standard / folder.name).is_dir() and not folder.name.startswith("_")
    ]
    states = check_overrides(site.overrides_dir, standard, __version__)
    problems += [state.problem for state in states if state.problem]
    problems += [
        f"{site.location(f'leave_out.{index}')}: leave_out: {module_id!r} is not a standard module; "
        "expected one of the ids in the installed curriculum"
        for index, module_id in enumerate(site.site.leave_out)
        if not (standard / module_id).is_dir()
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise SystemExit(1)
    for state in states:
        if state.warning:
            print(f"warning: {state.warning}", file=sys.stderr)
    return SiteSources(
        pages=((PAGES_DIR, ""), (site.pages_dir, "pages/"), (site.workshops_dir, "workshops/")),
        modules=(standard, site.modules_dir),
        page_overrides={state.override.staged: state.override.path for state in states},
    )


def stage_for(out: Path) -> Path:
    """The staged source folder of a build: beside its output, never in a source folder."""
    return out.parent / "source"


def hub_or_exit(path: str | None) -> HubProfile:
    try:
        return load_hub_profile(path)
    except HubFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(1) from None


def default_output(hub: HubProfile, workshop_slug: str | None = None) -> Path:
    name = hub.id if workshop_slug is None else f"{hub.id}-{workshop_slug}"
    return Path.cwd() / "_build" / name / "html"


def screenshots_dir_for(hub_file: Path | None, hub: HubProfile) -> Path | None:
    """Generated screenshots of a non-demo hub live beside its hub file."""
    if hub_file is None or hub_file.resolve() == DEMO_HUB_FILE.resolve():
        return None
    return hub_file.resolve().parent / ".hub-training" / hub.id / "screenshots"


def sphinx_arguments(
    hub_file: Path | None, out: Path, extra: Sequence[str] = (), site: LoadedSite | None = None
) -> list[str]:
    """Arguments for sphinx-build (and the live server) that build the site for one hub.

    Stages the site's sources first (see :mod:`training.site.staging`)."""
    stage = stage_site(site_sources(site), stage_for(out))
    doctrees = out.parent / "doctrees"
    args = ["-b", "html", *SPHINX_FLAGS, "-d", str(doctrees)]
    if hub_file is not None:
        args += ["-D", f"training_hub_file={hub_file.resolve()}"]
    if site is not None:
        args += ["-D", f"training_site_file={site.path.resolve()}"]
    return [*args, *extra, str(stage), str(out)]


def workshop_or_exit(path: str) -> LoadedWorkshop:
    try:
        return load_workshop(path)
    except WorkshopFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(1) from None


def hub_file_for(hub_arg: str | None, workshop: LoadedWorkshop | None) -> str | None:
    """The hub given, else the workshop's ``hub:``; both given must name the same hub."""
    if workshop is None or workshop.hub_file is None:
        return hub_arg
    if hub_arg is None:
        return str(workshop.hub_file)
    named, given = hub_or_exit(str(workshop.hub_file)), hub_or_exit(hub_arg)
    if named.id != given.id:
        print(
            f"{workshop.path}: hub: names the hub {named.id!r} but the build is for {given.id!r}; "
            "expected the same hub (or leave one out)",
            file=sys.stderr,
        )
        raise SystemExit(1)
    return hub_arg


def cmd_check(args: argparse.Namespace) -> int:
    site = site_or_exit(args.site)
    hub_path = args.hub or (str(site.hub_file) if site else None)
    hub = hub_or_exit(hub_path)
    problems: list[str] = []
    if site is not None:
        from training.model.module_info import read_catalogue

        modules = staged_modules(site, hub)
        catalogue = read_catalogue(modules)
        problems += [f"{origin_of(Path(p.file))}:{p.line}: {p.message}" for p in catalogue.problems]
    if args.workshop:
        from training.model.module_info import available, read_catalogue
        from training.model.workshop import check_workshop

        loaded = workshop_or_exit(args.workshop)
        hub_file_for(hub_path, loaded)
        catalogue = read_catalogue(staged_modules(site, hub) if site else standard_modules_dir())
        problems += [str(p) for p in check_workshop(loaded, catalogue.modules, available(catalogue, hub.features), hub)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print("OK")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    site = site_or_exit(args.site)
    workshop = workshop_or_exit(args.workshop) if args.workshop else None
    hub_path = hub_file_for(args.hub or (str(site.hub_file) if site else None), workshop)
    hub_file = Path(hub_path) if hub_path else None
    hub = hub_or_exit(hub_path)
    slug = workshop.workshop.slug if workshop else None
    out = Path(args.output) if args.output else default_output(hub, slug)
    extra = list(args.sphinx_args or [])
    if workshop is not None:
        extra = ["-D", f"training_workshop_file={workshop.path.resolve()}", *extra]
    if args.live:
        from sphinx.cmd.build import build_main as live_build

        from training.cli.live import serve_live

        sources = site_sources(site)
        watch = [folder for folder, _prefix in sources.pages] + list(sources.modules)
        watch += [path for path in (hub_file, site and site.path, site and site.overrides_dir) if path]
        # Staged again before each build: a module added while serving joins the site.
        serve_live(lambda: live_build(sphinx_arguments(hub_file, out, extra, site)), out, watch, port=args.port)
        return 0
    from sphinx.cmd.build import build_main

    status = build_main(sphinx_arguments(hub_file, out, extra, site))
    if status == 0:
        what = f"the workshop {workshop.workshop.title!r}" if workshop else "the site"
        print(f"Built {what} for {hub.name} into {out}")
    return status


def cmd_check_args(parser: argparse._SubParsersAction) -> None:
    check = parser.add_parser("check", help="validate a hub file: prints OK or the problems")
    check.add_argument("hub", nargs="?", metavar="HUB_YAML", help="hub profile (default: the site file's hub)")
    check.add_argument("--site", metavar="SITE_YAML", help="the site file (default: site.yaml in this folder, if any)")
    check.add_argument("--workshop", metavar="FILE", help="also check a workshop file against the hub and the modules")
    check.set_defaults(func=cmd_check)


def staged_modules(site: LoadedSite | None, hub: HubProfile) -> Path:
    """The modules a site teaches (standard, own and overridden), as one staged folder."""
    return stage_site(site_sources(site), stage_for(default_output(hub))) / "modules"


def cmd_materials(args: argparse.Namespace) -> int:
    """Write the repository the "Open in hub" links pull; problems are printed as file:line, exit 1."""
    from training.model.materials import MaterialsError, write_materials

    site = site_or_exit(args.site)
    hub = hub_or_exit(args.hub or (str(site.hub_file) if site else None))
    modules = Path(args.modules) if args.modules else staged_modules(site, hub)
    left_out = set(site.site.leave_out) if site else set()
    out = Path(args.out)
    try:
        files = write_materials(hub, modules, out, left_out=left_out)
    except MaterialsError as exc:
        for problem in exc.problems:
            print(f"hub-training materials: {problem}", file=sys.stderr)
        return 1
    notebooks = sum(f.notebook for f in files)
    branch = hub.materials.branch
    others = len(files) - notebooks
    print(f"Wrote the materials for {hub.name} into {out}: {notebooks} notebook(s), {others} other file(s)")
    print(f"One commit on branch {branch}. Publish it with:")
    print(f"  git -C {out} remote add origin {hub.materials.repo} && git -C {out} push -u origin {branch}")
    return 0


def cmd_materials_args(parser: argparse._SubParsersAction) -> None:
    materials = parser.add_parser(
        "materials", help="write the materials repository (notebooks, data, README) the Open-in-hub links pull"
    )
    materials.add_argument("hub", nargs="?", metavar="HUB_YAML", help="hub profile (default: the embedded demo hub)")
    materials.add_argument("out", metavar="OUT", help="new or empty folder to write the git repository into")
    materials.add_argument("--modules", metavar="DIR", help="modules folder (default: the site's modules)")
    materials.add_argument("--site", metavar="SITE_YAML", help="the site file (default: site.yaml in this folder)")
    materials.set_defaults(func=cmd_materials)


def cmd_screenshots(args: argparse.Namespace) -> int:
    """Replay every module's walkthrough on a local replica of the hub and write the screenshots."""
    site = site_or_exit(args.site)
    hub_path = args.hub or (str(site.hub_file) if site else None)
    hub = hub_or_exit(hub_path)
    from training.replay.screenshots import main as screenshots_main

    modules = args.modules or (str(staged_modules(site, hub)) if site else None)
    return screenshots_main(hub_path, modules, args.out)


def cmd_screenshots_args(parser: argparse._SubParsersAction) -> None:
    shots = parser.add_parser(
        "screenshots", help="regenerate every walkthrough's screenshots on a local replica of the hub"
    )
    shots.add_argument("hub", nargs="?", metavar="HUB_YAML", help="hub profile (default: the embedded demo hub)")
    shots.add_argument("--modules", metavar="DIR", help="modules folder (default: the site's modules)")
    shots.add_argument("--site", metavar="SITE_YAML", help="the site file (default: site.yaml in this folder)")
    shots.add_argument("--out", metavar="DIR", help="write <DIR>/<module>/<name>.png instead of the hub's usual place")
    shots.set_defaults(func=cmd_screenshots)


def _site_here_or_exit(args: argparse.Namespace) -> LoadedSite:
    site = site_or_exit(args.site)
    if site is None:
        print(
            f"hub-training {args.command}: no site.yaml in {Path.cwd()}; expected to run in a site folder "
            "(make one with hub-training new DIR) or --site SITE_YAML",
            file=sys.stderr,
        )
        raise SystemExit(1)
    return site


def cmd_override(args: argparse.Namespace) -> int:
    """Copy a standard module's page into overrides/ to edit, recording the release it came from."""
    from training.model.overrides import make_override

    site = _site_here_or_exit(args)
    standard = standard_modules_dir()
    if not (standard / args.module).is_dir():
        known = ", ".join(sorted(p.name for p in standard.iterdir() if p.is_dir() and not p.name.startswith("_")))
        print(
            f"hub-training override: {args.module!r} is not a standard module; expected one of {known}", file=sys.stderr
        )
        return 1
    try:
        target = make_override(site.overrides_dir, standard, args.module, args.page, __version__)
    except FileNotFoundError as exc:
        print(f"hub-training override: {exc}; expected a file of the module (default index.md)", file=sys.stderr)
        return 1
    print(f"Wrote {target} (from hub-training {__version__}); edit it, and the build uses it instead")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """What changed upstream in a standard module since the site's overrides of it were made."""
    from training.model.overrides import find_overrides, upstream_diff

    site = _site_here_or_exit(args)
    if not any(o.module_id == args.module for o in find_overrides(site.overrides_dir)):
        print(
            f"hub-training diff: {site.overrides_dir}/{args.module}: no overrides of {args.module!r}", file=sys.stderr
        )
        return 1
    diff = upstream_diff(site.overrides_dir, standard_modules_dir(), args.module, __version__)
    print(diff or f"{args.module}: no change upstream since your overrides were made")
    return 0


def cmd_override_args(parser: argparse._SubParsersAction) -> None:
    override = parser.add_parser("override", help="copy a standard module's page into overrides/ to change it")
    override.add_argument("module", metavar="MODULE", help="a standard module's id")
    override.add_argument("page", nargs="?", default="index.md", metavar="PAGE", help="file of the module (index.md)")
    override.add_argument("--site", metavar="SITE_YAML", help="the site file (default: site.yaml in this folder)")
    override.set_defaults(func=cmd_override, command="override")
    diff = parser.add_parser("diff", help="show what changed in a standard module since you overrode it")
    diff.add_argument("module", metavar="MODULE", help="a standard module's id")
    diff.add_argument("--site", metavar="SITE_YAML", help="the site file (default: site.yaml in this folder)")
    diff.set_defaults(func=cmd_diff, command="diff")


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new site repository: hub file, site file, own modules, overrides, pages, CI."""
    from training.cli.new_site import (
        HUB_FILE,
        NewSiteError,
        check_target,
        config_copies,
        write_site_repository,
    )
    from training.model.hub_init import InitError, draft_hub, unset_values
    from training.model.hub_profile import read_yaml_mapping

    target = Path(args.dir)
    hub_text, extra = None, {}
    try:
        check_target(target)
        if args.hub_from:
            extra = config_copies([Path(name) for name in args.hub_from])
            values = [
                (target / relative, read_yaml_mapping(source, "values file")) for relative, source in extra.items()
            ]
            cluster = (
                (Path(args.cluster), read_yaml_mapping(Path(args.cluster), "cluster file")) if args.cluster else None
            )
            hub_text = draft_hub(values, target / HUB_FILE, cluster, args.hub_name)
        write_site_repository(target, hub_text, extra)
    except NewSiteError as exc:
        print(exc, file=sys.stderr)
        return 1
    except (HubFileError, InitError) as exc:
        for problem in exc.problems:
            for relative, source in extra.items():  # name the user's file, not its copy-to-be
                problem = problem.replace(str(target / relative), str(source))
            print(problem, file=sys.stderr)
        return 1
    hub_file = target / HUB_FILE
    print(f"Wrote a site repository into {target}.")
    if hub_text is None:
        print(f"Next: fill in every line marked CHANGE in {hub_file},")
    else:
        print(f"Drafted {hub_file} from the values files (copied into {target / 'hub-config'}; commit them only if")
        print(f"they hold no secret). Next: fill in its {len(unset_values(hub_text))} value(s) marked FILL IN,")
    print(f"then build it with: cd {target} && hub-training build   (see {target / 'README.md'})")
    return 0


def cmd_new_args(parser: argparse._SubParsersAction) -> None:
    new = parser.add_parser("new", help="write a site repository for your hub (hub file, site file, modules, CI)")
    new.add_argument("dir", metavar="DIR", help="a new or empty folder")
    new.add_argument(
        "--hub-from",
        nargs="+",
        metavar="VALUES_YAML",
        help="draft the hub file from the hub's helm values files, in helm's -f order (as hub-training init)",
    )
    new.add_argument("--cluster", metavar="CLUSTER_YAML", help="with --hub-from: the cluster file (domain, cloud)")
    new.add_argument("--hub", dest="hub_name", metavar="NAME", help="with --hub-from: which hub of the cluster file")
    new.set_defaults(func=cmd_new)


def cmd_build_many(args: argparse.Namespace) -> int:
    """One site per hub file, built in warm worker processes (as many as cores)."""
    from training.cli.multi_build import build_many

    jobs = []
    for path in args.hubs:
        hub = hub_or_exit(path)
        out = Path(args.output_root) / hub.id / "html" if args.output_root else default_output(hub)
        jobs.append((Path(path), out))
    results = build_many(jobs, args.jobs)
    for result in results:
        state = "built" if result.status == 0 else "FAILED"
        print(f"{state}: {result.hub_file} -> {result.out} ({result.seconds:.1f} s)")
    return 0 if all(r.status == 0 for r in results) else 1


def cmd_build_many_args(parser: argparse._SubParsersAction) -> None:
    many = parser.add_parser("build-many", help="build one site per hub file, in parallel")
    many.add_argument("hubs", nargs="+", metavar="HUB_YAML")
    many.add_argument("-o", "--output-root", metavar="DIR", help="write each site to DIR/<hub-id>/html")
    many.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: cores)")
    many.set_defaults(func=cmd_build_many)


def cmd_init(args: argparse.Namespace) -> int:
    """Draft a hub file from values files (and a cluster file); never overwrite one."""
    from training.model.hub_init import InitError, draft_hub, unset_values
    from training.model.hub_profile import read_yaml_mapping

    out = Path(args.output)
    if out.exists():
        print(f"{out}: (file): already exists; expected a new file name (init never overwrites)", file=sys.stderr)
        return 1
    try:
        values = [(Path(name), read_yaml_mapping(Path(name), "values file")) for name in args.values]
        cluster = (Path(args.cluster), read_yaml_mapping(Path(args.cluster), "cluster file")) if args.cluster else None
        text = draft_hub(values, out, cluster, args.hub_name)
    except (HubFileError, InitError) as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    unset = unset_values(text)
    print(f"Wrote {out}: {len(unset)} value(s) to fill in; `hub-training check {out}` lists them")
    return 0


def cmd_init_args(parser: argparse._SubParsersAction) -> None:
    init = parser.add_parser("init", help="draft a hub file from the hub's helm values files (and cluster file)")
    init.add_argument("values", nargs="+", metavar="VALUES_YAML", help="values files, in helm's -f order")
    init.add_argument("--cluster", metavar="CLUSTER_YAML", help="the cluster file (domain, cloud, chart)")
    init.add_argument("--hub", dest="hub_name", metavar="NAME", help="which hub of the cluster file")
    init.add_argument("-o", "--output", required=True, metavar="HUB_YAML", help="the hub file to write")
    init.set_defaults(func=cmd_init)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub-training", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the training site for a hub (default: the demo hub)")
    build.add_argument("hub", nargs="?", metavar="HUB_YAML", help="hub profile (default: the embedded demo hub)")
    build.add_argument("-o", "--output", metavar="OUT", help="output folder (default: _build/<id>/html)")
    build.add_argument(
        "--workshop", metavar="FILE", help="build only this workshop's pages and modules (_build/<hub-id>-<slug>/html)"
    )
    build.add_argument("--site", metavar="SITE_YAML", help="the site file (default: site.yaml in this folder, if any)")
    build.add_argument("--live", action="store_true", help="serve the site and rebuild on every change")
    build.add_argument("--port", type=int, default=8000, help="port of the live server (default 8000)")
    build.add_argument("--sphinx-args", nargs=argparse.REMAINDER, help="passed on to sphinx-build")
    build.set_defaults(func=cmd_build)

    cmd_check_args(commands)
    cmd_init_args(commands)
    cmd_new_args(commands)
    cmd_gates_args(commands)
    cmd_build_many_args(commands)
    cmd_materials_args(commands)
    cmd_screenshots_args(commands)
    cmd_override_args(commands)
    add_report_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
