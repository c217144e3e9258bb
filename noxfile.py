"""Maintainer commands. ``nox -l`` lists them; ``nox`` alone builds the docs."""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "virtualenv"
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent


def hub_first(posargs: list[str]) -> list[str]:
    """``--hub FILE`` (nox style) becomes the command's positional HUB_YAML; other arguments follow."""
    args = list(posargs)
    if "--hub" not in args:
        return args
    index = args.index("--hub")
    hub = args[index + 1]
    del args[index : index + 2]
    return [hub, *args]


@nox.session(default=True)
def docs(session: nox.Session) -> None:
    """Build the site: ``nox -s docs [-- --hub HUB.yaml] [--workshop WORKSHOP.yaml] [--live]``.

    Without arguments: the demo training site into _build/demo/html and the project's own
    documentation (docs/) into _build/project-docs/html. Otherwise _build/<hub-id>/html; with ``--workshop`` (only that workshop's pages and modules)
    _build/<hub-id>-<workshop-slug>/html. ``--workshop`` is passed on to ``hub-training build``.
    """
    session.install("-e", ".")
    session.run("hub-training", "build", *hub_first(session.posargs))
    if not session.posargs:
        session.run("sphinx-build", "-b", "html", "-n", "-W", "--keep-going", "docs", "_build/project-docs/html")


@nox.session(default=False)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (real hub and browser included): ``nox -s tests [-- pytest args]``.

    Two workers (pytest-xdist), one per core: tests of one file run in the same worker, so that
    its fixtures are made once; built sites are shared between the workers.
    """
    session.install("-e", ".[test]")
    session.run("pytest", "-n", "2", "--dist", "loadfile", "--durations=25", *session.posargs)


@nox.session(default=False)
def screenshots(session: nox.Session) -> None:
    """Regenerate every walkthrough's screenshots on a local replica of a hub: ``nox -s screenshots [-- --hub FILE]``.

    Demo hub: modules/<id>/images/<name>.png (commit them). Other hubs: .hub-training/<id>/screenshots/
    beside the hub file, which ``hub-training build HUB_YAML`` uses. Images that only antialiasing
    changed are left untouched, so a re-run shows only real UI changes in ``git status``.
    """
    session.install("-e", ".[test]")
    session.run("hub-training", "screenshots", *hub_first(session.posargs))


@nox.session(default=False)
def lint(session: nox.Session) -> None:
    """ruff (lint and format check) and codespell."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("codespell", "training", "modules", "docs", "tests", "README.md")


@nox.session(default=False)
def linkcheck(session: nox.Session) -> None:
    """Check every internal link, anchor and image of the built demo site (and leaks, CDN assets)."""
    session.install("-e", ".")
    session.run("hub-training", "build")
    session.run("hub-training", "gates", "_build/demo/html", "--hub", "training/site/hubs/demo.yaml")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Build speed with the extension on and off, edit loop, page weight: writes docs/benchmarks/results.json.

    ``nox -s bench -- --runs 5 --sizes 25,100,300`` (the defaults). mystmd is measured as a reference
    when ``myst`` is on PATH or in ./node_modules (``npm install mystmd``).
    """
    session.install("-e", ".[bench]")
    session.run("python", "docs/_tools/bench.py", *session.posargs)


@nox.session(default=False)
def clean(session: nox.Session) -> None:
    """Remove build output."""
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
