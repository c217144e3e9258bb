"""Read completion stamps and started exercises from a folder of users' homes.

Many hubs give admins every home in one folder (``<homes>/<user name>/``). For each home the report
reads ``.hub-training/completed/*.json`` (the stamps exercises write) and, in the materials folder,
which exercise notebooks were run and saved (a code cell with an execution count): a module whose
exercise was run but that has no stamp was started and not finished.
"""

from __future__ import annotations

import json
from pathlib import Path

from training.model.completion import STAMP_FOLDER, StampError, parse_stamp
from training.model.onboarding import HomeRecord
from training.report.hub_api import ReportError


def _ran(notebook: Path) -> bool:
    """True when a saved notebook has a code cell that was run (a pulled one has none)."""
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return False  # a learner's broken notebook is theirs; it just does not count as started
    cells = data.get("cells", []) if isinstance(data, dict) else []
    return any(
        isinstance(cell, dict) and cell.get("cell_type") == "code" and cell.get("execution_count") is not None
        for cell in cells
    )


def read_homes(homes: Path, clone_dir: str, module_ids: set[str]) -> list[HomeRecord]:
    """One record per home folder; a malformed stamp stops everything with one located line."""
    if not homes.is_dir():
        raise ReportError(f"{homes}: no such folder; expected a folder with one home folder per user")
    records = []
    for home in sorted(p for p in homes.iterdir() if p.is_dir() and not p.name.startswith(".")):
        stamps = []
        for path in sorted((home / STAMP_FOLDER).glob("*.json")):
            try:
                stamps.append(parse_stamp(path.read_text(encoding="utf-8"), path.stem))
            except (OSError, UnicodeDecodeError) as exc:
                raise ReportError(f"{path}: cannot be read ({exc.__class__.__name__}); expected a stamp file") from None
            except StampError as exc:
                raise ReportError(f"{path}: malformed completion stamp: {exc}") from None
        materials = home / clone_dir
        started = frozenset(
            module for module in module_ids if any(_ran(nb) for nb in sorted((materials / module).glob("*.ipynb")))
        )
        records.append(HomeRecord(home.name, tuple(stamps), started))
    return records
