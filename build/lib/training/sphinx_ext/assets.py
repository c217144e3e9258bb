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


def _extension_static_folders() -> list[str]:
    """The folders sphinx-design, sphinx-copybutton and sphinx-togglebutton add to ``html_static_path``
    when the builder starts (after the configuration was compared with the last build's)."""
    folders = []
    for module, folder in [
        ("sphinx_design", "static"),
        ("sphinx_copybutton", "_static"),
        ("sphinx_togglebutton", "_static"),
    ]:
        try:
            package = __import__(module)
        except ImportError:
            continue
        folders.append(str((Path(package.__file__).parent / folder).absolute()))
    return folders


def _without_duplicates(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _steady_configuration(app: Sphinx, config: object) -> None:
    """Put our folders, and the ones the themes and extensions add later, in the configuration now.

    Sphinx compares the configuration with the last build's right after ``config-inited`` and
    re-reads every page ("The configuration has changed") when they differ; the last build's was
    saved after the themes and extensions appended their folders. So the lists are made final here,
    and :func:`_drop_duplicate_folders` undoes the extensions' second appending.
    """
    paths = app.config.templates_path
    if str(TEMPLATES_DIR) not in paths:
        paths.insert(0, str(TEMPLATES_DIR))
    paths.extend(folder for folder in _theme_components(app.config.html_theme) if folder not in paths)
    paths[:] = _without_duplicates(paths)
    _theme_defaults_now(app)
    static = app.config.html_static_path
    if str(STATIC_DIR) not in static:
        static.append(str(STATIC_DIR))
    static.extend(folder for folder in _extension_static_folders() if folder not in static)


#: Values the themes set when the builder starts, unless the site's configuration sets them.
THEME_DEFAULTS = {
    "pydata_sphinx_theme": {"html_permalinks_icon": "#"},
    "sphinx_book_theme": {"html_permalinks_icon": "#", "html_sourcelink_suffix": ""},
}


def _theme_defaults_now(app: Sphinx) -> None:
    config = app.config
    for name, value in THEME_DEFAULTS.get(config.html_theme, {}).items():
        if name not in config._raw_config and name not in config.overrides:
            setattr(config, name, value)


def _drop_duplicate_folders(app: Sphinx) -> None:
    """The extensions append their static folder again when the builder starts: keep one of each."""
    for name in ("html_static_path", "templates_path"):
        values = getattr(app.config, name)
        values[:] = _without_duplicates(values)


def setup_assets(app: Sphinx) -> None:
    app.connect("config-inited", _steady_configuration, priority=900)  # after the themes' own
    app.connect("builder-inited", _add_to_builder, priority=100)
    app.connect("builder-inited", _drop_duplicate_folders, priority=950)
