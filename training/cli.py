"""The ``hub-training`` command: build a site for a hub, check a hub file, write the materials.

Problems with a hub file are printed one per line (``<file>: <field>: <what is expected>``) and the
command exits with status 1, before Sphinx starts, so no half-built site is left behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from training.hub_profile import DEMO_HUB_FILE, HubFileError, HubProfile, load_hub_profile
from training.workshop import LoadedWorkshop, WorkshopFileError, load_workshop

SPHINX_FLAGS = ["-n", "-W", "--keep-going"]


def source_dir() -> Path:
    """The site's source directory: the current checkout, else the one this package came from."""
    for candidate in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if (candidate / "conf.py").is_file() and (candidate / "training").is_dir():
            return candidate
    raise SystemExit("hub-training: no conf.py found; run this command in a Hub Training checkout")


def hub_or_exit(path: str | None) -> HubProfile:
    try:
        return load_hub_profile(path)
    except HubFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(1) from None


def default_output(hub: HubProfile, workshop_slug: str | None = None) -> Path:
    name = hub.id if workshop_slug is None else f"{hub.id}-{workshop_slug}"
    return source_dir() / "_build" / name / "html"


def screenshots_dir_for(hub_file: Path | None, hub: HubProfile) -> Path | None:
    """Generated screenshots of a non-demo hub live beside its hub file."""
    if hub_file is None or hub_file.resolve() == DEMO_HUB_FILE.resolve():
        return None
    return hub_file.resolve().parent / ".hub-training" / hub.id / "screenshots"


def sphinx_arguments(hub_file: Path | None, out: Path, extra: Sequence[str] = ()) -> list[str]:
    """Arguments for sphinx-build (and the live server) that build the site for one hub."""
    doctrees = out.parent / "doctrees"
    args = ["-b", "html", *SPHINX_FLAGS, "-d", str(doctrees)]
    if hub_file is not None:
        args += ["-D", f"training_hub_file={hub_file.resolve()}"]
    return [*args, *extra, str(source_dir()), str(out)]


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
    hub = hub_or_exit(args.hub)
    if args.workshop:
        from training.module_info import available, read_catalogue
        from training.workshop import check_workshop

        loaded = workshop_or_exit(args.workshop)
        hub_file_for(args.hub, loaded)
        catalogue = read_catalogue(source_dir() / "modules")
        problems = check_workshop(loaded, catalogue.modules, available(catalogue, hub.features), hub)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
    print("OK")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    workshop = workshop_or_exit(args.workshop) if args.workshop else None
    hub_path = hub_file_for(args.hub, workshop)
    hub_file = Path(hub_path) if hub_path else None
    hub = hub_or_exit(hub_path)
    slug = workshop.workshop.slug if workshop else None
    out = Path(args.output) if args.output else default_output(hub, slug)
    extra = list(args.sphinx_args or [])
    if workshop is not None:
        extra = ["-D", f"training_workshop_file={workshop.path.resolve()}", *extra]
    if args.live:
        from sphinx.cmd.build import build_main as live_build

        from training.live import serve_live

        arguments = sphinx_arguments(hub_file, out, extra)
        watch = [source_dir() / name for name in ("conf.py", "index.md", "docs", "modules", "training")]
        watch += [hub_file] if hub_file else []
        serve_live(lambda: live_build(arguments), out, watch, port=args.port)
        return 0
    from sphinx.cmd.build import build_main

    status = build_main(sphinx_arguments(hub_file, out, extra))
    if status == 0:
        what = f"the workshop {workshop.workshop.title!r}" if workshop else "the site"
        print(f"Built {what} for {hub.name} into {out}")
    return status


def cmd_check_args(parser: argparse._SubParsersAction) -> None:
    check = parser.add_parser("check", help="validate a hub file: prints OK or the problems")
    check.add_argument("hub", metavar="HUB_YAML")
    check.add_argument("--workshop", metavar="FILE", help="also check a workshop file against the hub and the modules")
    check.set_defaults(func=cmd_check)


def cmd_materials(args: argparse.Namespace) -> int:
    """Write the repository the "Open in hub" links pull; problems are printed as file:line, exit 1."""
    from training.materials import MaterialsError, write_materials

    hub = hub_or_exit(args.hub)
    modules = Path(args.modules) if args.modules else source_dir() / "modules"
    out = Path(args.out)
    try:
        files = write_materials(hub, modules, out)
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
    materials.add_argument("--modules", metavar="DIR", help="modules folder (default: modules/ of the checkout)")
    materials.set_defaults(func=cmd_materials)


def cmd_screenshots(args: argparse.Namespace) -> int:
    """Replay every module's walkthrough on a local replica of the hub and write the screenshots."""
    hub_or_exit(args.hub)
    from training.screenshots import main as screenshots_main

    return screenshots_main(args.hub, args.modules, args.out)


def cmd_screenshots_args(parser: argparse._SubParsersAction) -> None:
    shots = parser.add_parser(
        "screenshots", help="regenerate every walkthrough's screenshots on a local replica of the hub"
    )
    shots.add_argument("hub", nargs="?", metavar="HUB_YAML", help="hub profile (default: the embedded demo hub)")
    shots.add_argument("--modules", metavar="DIR", help="modules folder (default: modules/ of the checkout)")
    shots.add_argument("--out", metavar="DIR", help="write <DIR>/<module>/<name>.png instead of the hub's usual place")
    shots.set_defaults(func=cmd_screenshots)


def cmd_build_many(args: argparse.Namespace) -> int:
    """One site per hub file, built in warm worker processes (as many as cores)."""
    from training.multi_build import build_many

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub-training", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the training site for a hub (default: the demo hub)")
    build.add_argument("hub", nargs="?", metavar="HUB_YAML", help="hub profile (default: the embedded demo hub)")
    build.add_argument("-o", "--output", metavar="OUT", help="output folder (default: _build/<id>/html)")
    build.add_argument(
        "--workshop", metavar="FILE", help="build only this workshop's pages and modules (_build/<hub-id>-<slug>/html)"
    )
    build.add_argument("--live", action="store_true", help="serve the site and rebuild on every change")
    build.add_argument("--port", type=int, default=8000, help="port of the live server (default 8000)")
    build.add_argument("--sphinx-args", nargs=argparse.REMAINDER, help="passed on to sphinx-build")
    build.set_defaults(func=cmd_build)

    cmd_check_args(commands)
    cmd_build_many_args(commands)
    cmd_materials_args(commands)
    cmd_screenshots_args(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
