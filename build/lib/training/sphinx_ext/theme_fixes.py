"""Accessibility fixes for the theme that can be made from our side (the axe gate).

- The sidebar's section toggles are ``<summary>`` elements without a name (axe "summary-name"):
  :mod:`training.sphinx_ext.navigation` writes the sidebar and names each after the page it expands.
- The brand link outside any landmark (axe "region") is fixed in ``templates/training-brand.html``.
- The book theme writes the page title into its print header unescaped (``{{ pagetitle }}``); a hub
  or workshop name with markup would become live HTML there, so we escape it.
- Font Awesome's 1.5 MB script is left out (``templates/static/webpack-macros.html``); the dozen
  icons the theme shows are drawn by ``static/icons.css``.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from sphinx.application import Sphinx

from training.sphinx_ext.assets import add_asset


def _escape_page_title(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The book theme sets ``pagetitle`` from the title's plain text and prints it as is."""
    if "pagetitle" in context and not isinstance(context["pagetitle"], Markup):
        context["pagetitle"] = escape(context["pagetitle"])


def setup_theme_fixes(app: Sphinx) -> None:
    add_asset("icons.css")  # replaces Font Awesome's script (templates/static/webpack-macros.html)
    app.connect("html-page-context", _escape_page_title, priority=900)
