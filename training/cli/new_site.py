"""``hub-training new DIR``: write a site repository a community fills in and publishes.

The files come from the package (``training/site/skeleton``); the module template is the standard
curriculum's own ``_template``, so there is one copy of it. Names that begin with a dot are kept
without it in the package (setuptools' package data and many tools skip dot files).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from training.site import SITE_DIR, standard_modules_dir

SKELETON_DIR = SITE_DIR / "skeleton"
#: Packaged name -> name in the site repository.
DOT_NAMES = {"gitignore": ".gitignore", "gitlab-ci.yml": ".gitlab-ci.yml", "github": ".github"}
EXECUTABLES = ("ci/build-site.sh",)


class TargetNotEmpty(Exception):
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


def write_site_repository(target: Path) -> list[Path]:
    """Write a new site repository into ``target`` (missing or empty); returns the files written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise TargetNotEmpty(f"{target}: is not an empty folder; expected a new or empty folder for the site")
    written = []
    for relative, source in skeleton_files().items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        if relative in EXECUTABLES:
            path.chmod(0o755)
        written.append(path)
    return written
