"""``hub-training new DIR``: write a site repository a community fills in and publishes.

The files come from the package (``training/site/skeleton``); the module template is the standard
curriculum's own ``_template``, so there is one copy of it. Names that begin with a dot are kept
without it in the package (setuptools' package data and many tools skip dot files).

With ``--hub-from``, the hub file is drafted from the hub's helm values files (as ``hub-training
init`` does) instead of the example, and the values files are copied into ``hub-config/``: the hub
file reads its profile list from them at every build, in CI too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from training.site import SITE_DIR, standard_modules_dir

SKELETON_DIR = SITE_DIR / "skeleton"
#: Packaged name -> name in the site repository.
DOT_NAMES = {"gitignore": ".gitignore", "gitlab-ci.yml": ".gitlab-ci.yml", "github": ".github"}
EXECUTABLES = ("ci/build-site.sh",)
HUB_FILE = "hub.yaml"
#: Where ``--hub-from`` copies the values files, beside the hub file that reads them.
HUB_CONFIG_DIR = "hub-config"


class NewSiteError(Exception):
    """A site repository cannot be written as asked; the message is one ready-to-print line."""


class TargetNotEmpty(NewSiteError):
    """The folder for a new site repository already has files in it."""


def skeleton_files() -> dict[str, Path]:
    """Path in the new repository (POSIX) -> packaged file it is written from."""
    files: dict[str, Path] = {}
    for path in sorted(p for p in SKELETON_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        parts = path.relative_to(SKELETON_DIR).parts
        files["/".join((DOT_NAMES.get(parts[0], parts[0]), *parts[1:]))] = path
    template = standard_modules_dir() / "_template"
    for path in sorted(p for p in template.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        files[f"modules/_template/{path.relative_to(template).as_posix()}"] = path
    return files


def check_target(target: Path) -> None:
    """A site repository is written only into a new or empty folder."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TargetNotEmpty(f"{target}: is not an empty folder; expected a new or empty folder for the site")


def config_copies(values_files: list[Path]) -> dict[str, Path]:
    """``hub-config/<name>`` -> values file, for the files ``--hub-from`` names (names must differ)."""
    copies: dict[str, Path] = {}
    for path in values_files:
        relative = f"{HUB_CONFIG_DIR}/{path.name}"
        if relative in copies:
            raise ValueError(
                f"{path}: has the same name as {copies[relative]}; expected values files with different names"
            )
        copies[relative] = path
    return copies


def write_site_repository(
    target: Path, hub_text: str | None = None, extra: dict[str, Path] | None = None
) -> list[Path]:
    """Write a new site repository into ``target`` (missing or empty); returns the files written.

    ``hub_text`` replaces the example hub file; ``extra`` (path in the repository -> file) is copied too.
    """
    check_target(target)
    files = {**skeleton_files(), **(extra or {})}
    written = []
    for relative, source in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative == HUB_FILE and hub_text is not None:
            path.write_text(hub_text, encoding="utf-8")
        else:
            shutil.copyfile(source, path)
        if relative in EXECUTABLES:
            path.chmod(0o755)
        written.append(path)
    return written
