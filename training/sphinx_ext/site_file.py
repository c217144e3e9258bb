"""A community's site file in the build: its title, logo, colours, left-out modules, Start-here
order and extra pages (see :mod:`training.model.site_file`).

``hub-training build`` passes ``-D training_site_file=PATH`` when the site has a ``site.yaml``. The
file is validated on ``config-inited`` (errors stop the build with one line per problem, as a hub
file's do); the validated data lives in a config value, so any change to it re-reads the site.
"""

from __future__ import annotations

import sys
from typing import Any

from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.config import Config

from training.model.site_file import SiteFileError, load_site_file
from training.sphinx_ext.config import exclude

EXTRA_PAGES_CAPTION = "Our pages"


def _load_site_file(app: Sphinx, config: Config) -> None:
    if not config.training_site_file:
        config.training_site_data = {}
        return
    try:
        loaded = load_site_file(config.training_site_file)
    except SiteFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(1) from None
    site = loaded.site
    config.training_site_data = site.model_dump(mode="json")
    if site.title:  # else the hub's training (config.site_title); HTML, so escaped
        config.html_title = str(escape(site.title))
    if site.logo:  # the site's logo wins over the hub file's
        config.html_logo = str((loaded.root / site.logo).resolve())
        options = dict(config.html_theme_options or {})
        options["logo"] = {"text": config.html_title, "alt_text": ""}
        config.html_theme_options = options
    for module_id in site.leave_out:
        exclude(config, f"{config.training_modules_dir}/{module_id}/**")


def site_data(app_or_env: Any) -> dict[str, Any]:
    """The validated site file of this build ({} when the site has none)."""
    return app_or_env.config.training_site_data


def _colours(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    colours = site_data(app).get("colours")
    if not colours:
        return
    primary = colours["primary"]
    secondary = colours.get("secondary") or primary
    rules = f"--pst-color-primary: {primary}; --pst-color-secondary: {secondary}; --pst-color-link: {primary};"
    style = f'<style>html[data-theme="light"] {{ {rules} }}</style>'
    context["metatags"] = context.get("metatags", "") + style


def _extra_pages(app: Sphinx, docname: str, source: list[str]) -> None:
    """The site's extra pages join the root page's menu under their own caption."""
    pages = site_data(app).get("pages") or []
    if docname != app.config.root_doc or not pages:
        return
    entries = "\n".join(f"pages/{page}" for page in pages)
    source[0] += f"\n\n```{{toctree}}\n:caption: {EXTRA_PAGES_CAPTION}\n:maxdepth: 1\n\n{entries}\n```\n"


def setup_site_file(app: Sphinx) -> None:
    # After the hub (priority 100), before the modules are read (200).
    app.connect("config-inited", _load_site_file, priority=150)
    app.connect("source-read", _extra_pages, priority=200)
    app.connect("html-page-context", _colours)
