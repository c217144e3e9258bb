"""Overrides: a community's own version of a standard module's page, kept in step with new releases.

``overrides/<module-id>/<file>`` replaces that file of the standard module (``index.md`` is the
module's page; any other file of the module can be replaced the same way). When an override is made
with ``hub-training override``, the standard file it started from is kept in
``overrides/.upstream/<module-id>/<file>`` and its release and hash are recorded in
``overrides/overrides.yaml``. A later release that changes the standard file makes the build warn,
naming the override; ``hub-training diff MODULE`` shows what changed upstream. An override of a
file the release no longer has is an error: nothing is silently dropped.
"""

from __future__ import annotations

import difflib
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

RECORD_FILE = "overrides.yaml"
UPSTREAM_DIR = ".upstream"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Override:
    """One overriding file, and the standard file it replaces."""

    module_id: str
    relative: str  # inside the module folder, POSIX
    path: Path  # the community's file

    @property
    def staged(self) -> str:
        return f"modules/{self.module_id}/{self.relative}"


@dataclass(frozen=True)
class OverrideState:
    """How an override stands against the installed release."""

    override: Override
    problem: str | None  # an error: the standard file is gone
    warning: str | None  # the standard file changed since the override was made


def find_overrides(overrides_dir: Path) -> list[Override]:
    if not overrides_dir.is_dir():
        return []
    found = []
    for module in sorted(p for p in overrides_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for path in sorted(p for p in module.rglob("*") if p.is_file() and not p.name.startswith(".")):
            found.append(Override(module.name, path.relative_to(module).as_posix(), path))
    return found


def read_records(overrides_dir: Path) -> dict[str, dict[str, str]]:
    """``modules/<id>/<file>`` -> {release, sha256} of the standard file each override started from."""
    path = overrides_dir / RECORD_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def check_overrides(overrides_dir: Path, standard_modules: Path, release: str) -> list[OverrideState]:
    """Each override against the installed standard curriculum (``release`` names it in messages)."""
    records = read_records(overrides_dir)
    states = []
    for override in find_overrides(overrides_dir):
        standard = standard_modules / override.module_id / override.relative
        record = records.get(override.staged, {})
        problem = warning = None
        if not (standard_modules / override.module_id).is_dir():
            problem = (
                f"{override.path}: overrides the module {override.module_id!r}, which hub-training {release} "
                f"no longer has; expected a standard module's id (move it to modules/ to keep it as your own)"
            )
        elif not standard.is_file():
            problem = (
                f"{override.path}: overrides {override.staged}, which hub-training {release} no longer has; "
                "expected a file of the standard module (remove the override, or see hub-training diff "
                f"{override.module_id})"
            )
        elif not record:
            warning = (
                f"{override.path}: no record of the release it was made from; "
                f"run 'hub-training override {override.module_id} {override.relative}' on a copy to record it"
            )
        elif record.get("sha256") != file_hash(standard):
            warning = (
                f"{override.path}: made from {override.staged} of hub-training {record.get('release', '?')}, "
                f"which changed in {release}; see what changed with 'hub-training diff {override.module_id}'"
            )
        states.append(OverrideState(override, problem, warning))
    return states


def make_override(overrides_dir: Path, standard_modules: Path, module_id: str, relative: str, release: str) -> Path:
    """Copy a standard file into ``overrides/`` to edit, keeping its upstream copy and record."""
    standard = standard_modules / module_id / relative
    if not standard.is_file():
        raise FileNotFoundError(f"{standard}: no such file in the standard module {module_id!r}")
    target = overrides_dir / module_id / relative
    upstream = overrides_dir / UPSTREAM_DIR / module_id / relative
    for path in (target, upstream):
        path.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        shutil.copyfile(standard, target)
    shutil.copyfile(standard, upstream)
    records = read_records(overrides_dir)
    records[f"modules/{module_id}/{relative}"] = {"release": release, "sha256": file_hash(standard)}
    (overrides_dir / RECORD_FILE).write_text(
        "# Written by hub-training override: the release each override was made from.\n"
        + yaml.safe_dump(dict(sorted(records.items())), sort_keys=False),
        encoding="utf-8",
    )
    return target


def upstream_diff(overrides_dir: Path, standard_modules: Path, module_id: str, release: str) -> str:
    """What changed in the standard module since each of its overrides was made (unified diff)."""
    chunks = []
    for override in find_overrides(overrides_dir):
        if override.module_id != module_id:
            continue
        base = overrides_dir / UPSTREAM_DIR / module_id / override.relative
        standard = standard_modules / module_id / override.relative
        old = base.read_text(encoding="utf-8").splitlines(keepends=True) if base.is_file() else []
        new = standard.read_text(encoding="utf-8").splitlines(keepends=True) if standard.is_file() else []
        made_from = read_records(overrides_dir).get(override.staged, {}).get("release", "unknown")
        chunks.extend(
            difflib.unified_diff(
                old,
                new,
                fromfile=f"{override.staged} (hub-training {made_from}, your override's starting point)",
                tofile=f"{override.staged} (hub-training {release}, installed)",
            )
        )
    return "".join(chunks)
