"""The packaged site: the Sphinx configuration, learner pages, templates, static files, the demo hub
and the standard curriculum (copied into the wheel from the repository's ``modules/``)."""

from __future__ import annotations

from pathlib import Path

SITE_DIR = Path(__file__).parent
PAGES_DIR = SITE_DIR / "pages"
DEMO_HUB_FILE = SITE_DIR / "hubs" / "demo.yaml"


def standard_modules_dir() -> Path:
    """The standard curriculum: inside the installed wheel, or the checkout's ``modules/`` when the
    package runs from a checkout (an editable install, the tests)."""
    packaged = SITE_DIR / "modules"
    if packaged.is_dir():
        return packaged
    return SITE_DIR.parent.parent / "modules"
