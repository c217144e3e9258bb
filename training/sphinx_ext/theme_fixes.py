"""Accessibility fixes for the theme that can be made from our side (the axe gate).

- The sidebar's section toggles are ``<summary>`` elements without a name (axe "summary-name"):
  :mod:`training.sphinx_ext.navigation` writes the sidebar and names each after the page it expands.
- The brand link outside any landmark (axe "region") is fixed in ``templates/training-brand.html``.
- The book theme writes the page title into its print header unescaped (``{{ pagetitle }}``); a hub
  or workshop name with markup would become live HTML there, so we escape it.
- Font Awesome's 1.5 MB script is left out (``templates/static/webpack-macros.html``); the dozen
  icons the theme shows are drawn by ``static/icons.css``.
- The parent theme puts a search field in a header of its own unless ``navbar_persistent`` is set;
  the book theme means that header to be empty. With it, a page had two buttons for the site menu
  and two for the page contents, and the themes' scripts bound the first of each, the header's,
  which is hidden on a phone: the visible buttons opened nothing. We set it empty, so the page has
  one header (the article's) and its buttons work.
- Search ranks learner pages above instructor and maintainer pages (``static/search-scorer.js``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from sphinx.application import Sphinx
from sphinx.config import Config

from training.sphinx_ext.assets import STATIC_DIR, add_asset


def _escape_page_title(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The book theme sets ``pagetitle`` from the title's plain text and prints it as is."""
    if "pagetitle" in context and not isinstance(context["pagetitle"], Markup):
        context["pagetitle"] = escape(context["pagetitle"])


def _one_header(app: Sphinx, config: Config) -> None:
    """No second header: its hidden menu buttons would take the clicks meant for the visible ones."""
    if config.html_theme != "sphinx_book_theme":
        return
    options = dict(config.html_theme_options or {})
    options.setdefault("navbar_persistent", [])
    config.html_theme_options = options


SCORER_FILE = "training-search-scorer.js"
#: Learner pages besides the modules, in the order a newcomer meets them.
LEARNER_PAGES = ["index", "quick-start", "start-here", "catalogue"]


def learner_pages_in_order(module_docnames: list[str]) -> list[str]:
    return [*LEARNER_PAGES, *module_docnames]


def scorer_code(learner_pages: list[str]) -> str:
    """``static/search-scorer.js`` with this site's learner pages, in the path's order."""
    template = (STATIC_DIR / "search-scorer.js").read_text(encoding="utf-8")
    return template.replace("LEARNER_PAGES_IN_ORDER", json.dumps(learner_pages))


def _learners_first_in_search(app: Sphinx, config: Config) -> None:
    """Sphinx appends the scorer file to its search code; it is written beside the doctrees."""
    if not config.html_search_scorer:
        config.html_search_scorer = str(Path(app.doctreedir) / SCORER_FILE)


def _write_scorer(app: Sphinx) -> None:
    if Path(app.config.html_search_scorer).name != SCORER_FILE:
        return  # a site with its own scorer keeps it
    from training.sphinx_ext.modules import path_modules

    code = scorer_code(learner_pages_in_order([m.docname for m in path_modules(app)]))
    target = Path(app.config.html_search_scorer)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != code:
        target.write_text(code, encoding="utf-8")


def setup_theme_fixes(app: Sphinx) -> None:
    app.connect("config-inited", _one_header)
    app.connect("config-inited", _learners_first_in_search)
    app.connect("builder-inited", _write_scorer)
    add_asset("theme-fixes.js")  # a link followed in a phone's drawer closes the drawer
    add_asset("icons.css")  # replaces Font Awesome's script (templates/static/webpack-macros.html)
    app.connect("html-page-context", _escape_page_title, priority=900)
