"""``hub-training build-many HUB...``: one site per hub, in warm worker processes.

A hub operator may rebuild a site for every hub they run. Each build of a small site is mostly
start-up (imports, extensions), so the workers keep those loaded between hubs, and as many run at
once as the machine has cores.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HubBuild:
    hub_file: str
    out: str
    status: int
    seconds: float


def _build_one(hub_file: str, out: str) -> HubBuild:
    from sphinx.cmd.build import build_main

    from training.cli.main import sphinx_arguments

    started = time.perf_counter()
    status = build_main(["-q", *sphinx_arguments(Path(hub_file), Path(out))])
    return HubBuild(hub_file, out, status, time.perf_counter() - started)


def _warm_up() -> None:
    """Import the build's heavy modules once per worker, before the first hub arrives."""
    import myst_parser  # noqa: F401
    import sphinx.builders.html  # noqa: F401
    import sphinx_book_theme  # noqa: F401
    import sphinx_design  # noqa: F401

    import training.sphinx_ext.extension  # noqa: F401


def build_many(jobs_and_outputs: list[tuple[Path, Path]], workers: int | None = None) -> list[HubBuild]:
    """Build each ``(hub_file, out)``; results in the order given."""
    workers = workers or min(len(jobs_and_outputs), os.cpu_count() or 1)
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_up) as pool:
        futures = [pool.submit(_build_one, str(hub), str(out)) for hub, out in jobs_and_outputs]
        return [future.result() for future in futures]
