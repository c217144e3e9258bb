"""Every module page of the demo site has the parts the curriculum promises.

Per-module tests check what each module teaches; this one checks the anatomy of all of them, so a
new module cannot forget a quiz, a hint, instructor notes or the pictures its walkthrough takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import training.replay.walkthrough as w

from .conftest import BuiltSite
from .module_pages import MODULES, assert_complete_module_page, screenshots

MODULE_IDS = sorted(p.parent.name for p in MODULES.glob("*/index.md") if not p.parent.name.startswith("_"))
WALKTHROUGHS = w.discover(MODULES)


def pictures_of(module_id: str) -> set[str]:
    """The screenshots this module's walkthroughs take on a hub with JupyterLab (the demo hub)."""
    return {f"{shot.name}.png" for walk in WALKTHROUGHS if walk.module == module_id for shot in walk.shots()}


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_every_module_page_is_complete(demo_site: BuiltSite, ocean_site: BuiltSite, module_id: str) -> None:
    """On the demo site; a module the demo hub lacks (Dask Gateway) on the ocean hub's site."""
    site = demo_site if (demo_site.html / "modules" / module_id).is_dir() else ocean_site
    expected = pictures_of(module_id) if site is demo_site else set()
    assert_complete_module_page(site, module_id, min_screenshots=len(expected))
    if site is demo_site:
        shown = {Path(image["src"]).name for image in screenshots(site, module_id)}
        assert shown == expected, (
            f"{module_id}: the page shows {sorted(shown)}, its walkthrough takes {sorted(expected)}"
        )
