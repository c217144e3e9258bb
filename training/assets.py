"""Our JavaScript and CSS: shipped from ``training/static``, added to HTML builds only.

Components call :func:`add_asset` from their setup; settings reach JS through ``data-`` attributes.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATES_DIR = Path(__file__).parent / "templates"

_ASSETS: list[str] = []


def add_asset(filename: str) -> None:
    """Register ``training/static/<filename>`` (``.js`` or ``.css``) for every HTML page."""
    if filename not in _ASSETS:
        _ASSETS.append(filename)


def _add_to_builder(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))
    for filename in _ASSETS:
        if filename.endswith(".js"):
            app.add_js_file(filename, defer="defer")
        else:
            app.add_css_file(filename)


def _add_templates(app: Sphinx, config: object) -> None:
    paths = app.config.templates_path
    if str(TEMPLATES_DIR) not in paths:
        paths.insert(0, str(TEMPLATES_DIR))


def setup_assets(app: Sphinx) -> None:
    app.connect("config-inited", _add_templates)
    app.connect("builder-inited", _add_to_builder)
