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
    """Arguments for sphinx-build (or sphinx-autobuild) that build the site for one hub."""
    doctrees = out.parent / "doctrees"
    args = ["-b", "html", *SPHINX_FLAGS, "-d", str(doctrees)]
    if hub_file is not None:
        args += ["-D", f"training_hub_file={hub_file.resolve()}"]
    return [*args, *extra, str(source_dir()), str(out)]


def cmd_check(args: argparse.Namespace) -> int:
    hub_or_exit(args.hub)
    print("OK")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    hub_file = Path(args.hub) if args.hub else None
    hub = hub_or_exit(args.hub)
    out = Path(args.output) if args.output else default_output(hub)
    extra = list(args.sphinx_args or [])
    if args.live:
        from sphinx_autobuild.__main__ import main as autobuild

        ignore = ["--ignore", "*/_build/*", "--ignore", "*/.nox/*", "--ignore", "*/.git/*"]
        return autobuild([*ignore, "--watch", str(source_dir() / "training"), *sphinx_arguments(hub_file, out, extra)]) or 0
    from sphinx.cmd.build import build_main

    status = build_main(sphinx_arguments(hub_file, out, extra))
    if status == 0:
        print(f"Built the site for {hub.name} into {out}")
    return status


def cmd_check_args(parser: argparse._SubParsersAction) -> None:
    check = parser.add_parser("check", help="validate a hub file: prints OK or the problems")
    check.add_argument("hub", metavar="HUB_YAML")
    check.set_defaults(func=cmd_check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub-training", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the training site for a hub (default: the demo hub)")
    build.add_argument("hub", nargs="?", metavar="HUB_YAML", help="hub profile (default: the embedded demo hub)")
    build.add_argument("-o", "--output", metavar="OUT", help="output folder (default: _build/<id>/html)")
    build.add_argument("--live", action="store_true", help="serve the site and rebuild on every change")
    build.add_argument("--sphinx-args", nargs=argparse.REMAINDER, help="passed on to sphinx-build")
    build.set_defaults(func=cmd_build)

    cmd_check_args(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
