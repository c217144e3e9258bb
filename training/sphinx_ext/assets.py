"""Our JavaScript and CSS: shipped from ``training/static``, added to HTML builds only.

Components call :func:`add_asset` from their setup; settings reach JS through ``data-`` attributes.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from training.site import SITE_DIR

STATIC_DIR = SITE_DIR / "static"
TEMPLATES_DIR = SITE_DIR / "templates"

_ASSETS: list[str] = []


def add_asset(filename: str) -> None:
    """Register ``training/static/<filename>`` (``.js`` or ``.css``) for every HTML page."""
    if filename not in _ASSETS:
        _ASSETS.append(filename)


def _add_to_builder(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    # The themes write their defaults into the theme options; on a copy, the configuration stays
    # as conf.py made it (see _steady_configuration).
    if getattr(app.builder, "theme_options", None) is app.config.html_theme_options:
        app.builder.theme_options = dict(app.config.html_theme_options)
    for filename in _ASSETS:
        if filename.endswith(".js"):
            app.add_js_file(filename, defer="defer")
        else:
            app.add_css_file(filename)


def _theme_components(theme: str) -> list[str]:
    """The folders the book theme and its parent add to ``templates_path`` when they load."""
    if theme not in {"sphinx_book_theme", "pydata_sphinx_theme"}:
        return []
    import pydata_sphinx_theme

    folders = [Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "components"]
    if theme == "sphinx_book_theme":
        import sphinx_book_theme

        folders.insert(0, Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "components")
    return [str(folder) for folder in folders]


def _steady_configuration(app: Sphinx, config: object) -> None:
    """Put our folders, and the ones the themes add later, in the configuration now.

    The HTML builder hashes the configuration when it starts and rewrites every page when the hash
    differs from the last build's. The themes add their folders only after that, and in a warm
    process (the live server) before it: without this, every live rebuild rewrote all pages.
    """
    paths = app.config.templates_path
    if str(TEMPLATES_DIR) not in paths:
        paths.insert(0, str(TEMPLATES_DIR))
    paths.extend(folder for folder in _theme_components(app.config.html_theme) if folder not in paths)
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def setup_assets(app: Sphinx) -> None:
    app.connect("config-inited", _steady_configuration)
    app.connect("builder-inited", _add_to_builder, priority=100)
