"""The Sphinx configuration of every training site, packaged with the engine.

``hub-training build`` stages a site's sources (these pages, the standard curriculum, a community's
own modules, overrides and pages) into one folder whose ``conf.py`` imports this module. The hub the
site is built for comes from ``-D training_hub_file=PATH`` (what the command passes), the
``HUB_TRAINING_HUB`` environment variable, or the embedded demo hub.
"""

from __future__ import annotations

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
exclude_patterns = [
    # Folders Sphinx would otherwise walk file by file (caches, build output).
    ".*",
    "_build",
    "**/.ipynb_checkpoints",
    "**/.hub-training",
    "**/__pycache__",
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
# The book theme's default sidebar, with the brand link inside a landmark (training/site/templates).
html_sidebars = {"**": ["training-brand.html", "icon-links.html", "search-button-field.html", "sbt-sidebar-nav.html"]}
# UI labels exactly as the software shows them: no curly quotes, no "..." turned into "…".
smartquotes = False
