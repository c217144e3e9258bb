"""Sphinx configuration of the Hub Training site. The source directory is the repository root.

The hub the site is built for comes from ``-D training_hub_file=PATH`` (what ``hub-training build``
passes), the ``HUB_TRAINING_HUB`` environment variable, or the embedded demo hub.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # use this checkout's generator

project = "Hub Training"
author = "Hub Training contributors"
copyright = "2026, Hub Training contributors. Content CC-BY-4.0, code BSD-3-Clause"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinx_togglebutton",
    "training",
]

root_doc = "index"
source_suffix = {".md": "markdown"}
# Only these are site content; everything else in the repository root (tests, caches, README) is not.
include_patterns = ["index.md", "docs/**", "modules/**"]
exclude_patterns = [
    # Folders Sphinx would otherwise walk file by file (caches, virtual environments, build output).
    ".*",
    "_build",
    "tests",
    "training",
    "*.egg-info",
    "node_modules",
    "venv",
    "**/.ipynb_checkpoints",
    "**/.hub-training",
    "modules/_template",
    "modules/*/exercises",
    "modules/*/data",
]

myst_enable_extensions = ["colon_fence", "deflist", "attrs_inline", "attrs_block", "fieldlist"]
myst_heading_anchors = 3

nitpicky = True
suppress_warnings: list[str] = []

html_theme = "sphinx_book_theme"
html_title = "Hub Training"
html_static_path: list[str] = []
# A list of our own: Sphinx's default list is shared by every build in one process (the live server),
# and the themes append to it on each build.
templates_path: list[str] = []
html_theme_options = {
    "show_toc_level": 2,
    # Only the current section's pages in the sidebar: much faster builds on big sites, and no
    # unlabelled <summary> toggles (axe "summary-name").
    "collapse_navbar": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
}
html_show_sourcelink = False
# The themes' own defaults, set here so that they do not change the configuration after it was read
# (which made every rebuild rewrite every page).
html_permalinks_icon = "#"
html_sourcelink_suffix = ""
html_copy_source = False
# Without a default mode, pydata-sphinx-theme logs "Got invalid theme mode" on a first visit.
html_context = {"default_mode": "auto"}
# The book theme's default sidebar, with the brand link inside a landmark (training/templates).
html_sidebars = {"**": ["training-brand.html", "icon-links.html", "search-button-field.html", "sbt-sidebar-nav.html"]}
# UI labels exactly as the software shows them: no curly quotes, no "..." turned into "…".
smartquotes = False
