"""Staging: the one source folder Sphinx reads, made of the packaged pages, the standard curriculum
and a community's own modules, overrides and pages.

Files are copied with their modification times, and only when they changed, so Sphinx's own change
tracking keeps incremental builds incremental; each build (and each live rebuild) stages again, so
an edit in the community's folder is what the next build reads. Copies, not links: Sphinx resolves
links to their real place, which is outside the staged folder. Nothing is ever written into a
source folder: the stage lives in the build folder.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from training.site import PAGES_DIR, standard_modules_dir

STAGED_CONF = (
    '"""Staged by hub-training: the packaged configuration."""\n\nfrom training.site.conf import *  # noqa: F403\n'
)
#: Staged file -> its source, from the last staging: files gone from the sources go from the stage
#: too, and messages about a staged file name the file its author edits (:func:`origin_of`).
STAGED_LIST = ".staged-files.json"
SKIPPED_NAMES = {"__pycache__", ".ipynb_checkpoints", ".hub-training", ".git", ".DS_Store"}


@dataclass(frozen=True)
class SiteSources:
    """Where a site's sources come from; later folders win over earlier ones."""

    #: (folder, staged prefix): every file of the folder shows under the prefix ("" is the root)
    pages: tuple[tuple[Path, str], ...] = ((PAGES_DIR, ""),)
    modules: tuple[Path, ...] = field(default_factory=lambda: (standard_modules_dir(),))
    #: module id -> the folder that replaces the standard module of that id
    module_overrides: dict[str, Path] = field(default_factory=dict)
    #: "modules/<id>/<page>.md" -> the file that replaces that one page
    page_overrides: dict[str, Path] = field(default_factory=dict)
    #: module ids left out of the site
    left_out: frozenset[str] = frozenset()


def _files_under(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_NAMES and not d.startswith("."))
        for name in sorted(files):
            if name in SKIPPED_NAMES or name.startswith(".") or name.endswith(".pyc"):
                continue
            path = Path(root) / name
            found[path.relative_to(folder).as_posix()] = path
    return found


def staged_files(sources: SiteSources) -> dict[str, Path]:
    """Staged path (POSIX, relative) -> the source file it shows."""
    files: dict[str, Path] = {}
    for folder, prefix in sources.pages:
        if folder.is_dir():
            files.update({f"{prefix}{relative}": path for relative, path in _files_under(folder).items()})
    module_folders: dict[str, Path] = {}
    for modules in sources.modules:
        if modules.is_dir():
            for child in sorted(modules.iterdir()):
                if child.is_dir() and child.name not in SKIPPED_NAMES and not child.name.startswith("."):
                    module_folders[child.name] = child
    module_folders.update(sources.module_overrides)
    for module_id, folder in module_folders.items():
        if module_id in sources.left_out:
            continue
        for relative, path in _files_under(folder).items():
            files[f"modules/{module_id}/{relative}"] = path
    for staged, path in sources.page_overrides.items():
        if staged.split("/")[1] not in sources.left_out:
            files[staged] = path
    return files


def stage_site(sources: SiteSources, stage: Path) -> Path:
    """Make ``stage`` show exactly ``sources`` (plus the staged ``conf.py``); returns ``stage``.

    Staged copies that no longer belong are removed; files the build itself writes there (pages
    generated from workshop files, listed in ``generated``) are left alone.
    """
    files = staged_files(sources)
    stage.mkdir(parents=True, exist_ok=True)
    conf = stage / "conf.py"
    if not conf.is_file() or conf.read_text(encoding="utf-8") != STAGED_CONF:
        conf.write_text(STAGED_CONF, encoding="utf-8")
    record = stage / STAGED_LIST
    before = set(_origins(stage))
    for relative, source in files.items():
        target = stage / relative
        if _same_file(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for relative in sorted(before - set(files)):
        (stage / relative).unlink(missing_ok=True)
    for root, _dirs, _names in os.walk(stage, topdown=False):
        folder = Path(root)
        if folder != stage and not any(folder.iterdir()):
            folder.rmdir()
    origins = {relative: str(source.resolve()) for relative, source in sorted(files.items())}
    record.write_text(json.dumps(origins, indent=0), encoding="utf-8")
    _origins.cache_clear()
    return stage


@lru_cache(maxsize=8)
def _origins(stage: Path) -> dict[str, str]:
    record = stage / STAGED_LIST
    return json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}


def origin_of(path: Path) -> Path:
    """The source file a staged file was copied from (``path`` itself when it was not staged).

    Relative paths written in a staged file (a workshop's ``hub:``) are relative to its source, and
    problems are reported where its author edits it.
    """
    for folder in path.parents:
        if (folder / STAGED_LIST).is_file():
            source = _origins(folder).get(path.relative_to(folder).as_posix())
            return Path(source) if source else path
    return path


def _same_file(source: Path, target: Path) -> bool:
    if not target.is_file():
        return False
    a, b = source.stat(), target.stat()
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns
