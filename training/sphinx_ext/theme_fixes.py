"""Accessibility fixes for the theme that can be made from our side (issue 8's axe gate).

- The sidebar's section toggles are ``<summary>`` elements without a name (axe "summary-name");
  we name each after the page it expands.
- The brand link outside any landmark (axe "region") is fixed in ``templates/training-brand.html``.
- The book theme writes the page title into its print header unescaped (``{{ pagetitle }}``); a hub
  or workshop name with markup would become live HTML there, so we escape it.
- Font Awesome's 1.5 MB script is left out (``templates/static/webpack-macros.html``); the dozen
  icons the theme shows are drawn by ``static/icons.css``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bs4 import BeautifulSoup
from markupsafe import Markup, escape
from sphinx.application import Sphinx

from training.sphinx_ext.assets import add_asset


def name_summaries(html: str) -> str:
    """Give every nameless ``<summary>`` an aria-label from the link it belongs to."""
    if "<summary" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for summary in soup.find_all("summary"):
        if summary.get("aria-label") or summary.get_text(strip=True):
            continue
        item = summary.find_parent("li")
        link = item.find("a") if item else None
        title = link.get_text(" ", strip=True) if link else "this section"
        summary["aria-label"] = f"Show or hide the pages under {title}"
    return str(soup)


def _wrap_toctree(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    generate: Callable[..., str] | None = context.get("generate_toctree_html")
    if generate is None:
        return

    def generate_named(*args: Any, **kwargs: Any) -> Markup:
        return Markup(name_summaries(str(generate(*args, **kwargs))))

    context["generate_toctree_html"] = generate_named


def _escape_page_title(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The book theme sets ``pagetitle`` from the title's plain text and prints it as is."""
    if "pagetitle" in context and not isinstance(context["pagetitle"], Markup):
        context["pagetitle"] = escape(context["pagetitle"])


def setup_theme_fixes(app: Sphinx) -> None:
    add_asset("icons.css")  # replaces Font Awesome's script (templates/static/webpack-macros.html)
    app.connect("html-page-context", _wrap_toctree, priority=900)
    app.connect("html-page-context", _escape_page_title, priority=900)
