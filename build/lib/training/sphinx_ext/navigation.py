"""The sidebar's site navigation, resolved once per build instead of once per page.

The book theme asks Sphinx for the site's table of contents on every page (twice: the parent theme
renders each sidebar item once more to see whether it is empty), renders it to HTML and re-parses
it with BeautifulSoup: the work grows with pages × entries, the square of the site. Here the table
of contents is resolved once per build into a small tree (:class:`NavEntry`); each page only writes
it out, with its own chain of pages open and marked current (``templates/sbt-sidebar-nav.html``
replaces the book theme's). The HTML is the theme's
own (same classes, ``<details>``/``<summary>`` toggles, so the theme's CSS and keyboard use hold),
and each toggle is named after the page it expands (axe "summary-name").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

from docutils import nodes
from markupsafe import Markup
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment.adapters.toctree import global_toctree_for_doc
from sphinx.util.osutil import relative_uri

from training.sphinx_ext.config import per_build


@dataclass
class NavEntry:
    """One page of the navigation: its title, where it is, and the pages under it."""

    title: str
    docname: str | None  # None for an external link
    uri: str  # from the root page (internal) or absolute (external)
    children: list[NavEntry] = field(default_factory=list)


@dataclass
class NavGroup:
    """One toctree of the root page: its caption and its entries."""

    caption: str | None
    entries: list[NavEntry]


def _entries(bullet_list: nodes.bullet_list, docnames: dict[str, str]) -> list[NavEntry]:
    found = []
    for item in bullet_list.children:
        if not isinstance(item, nodes.list_item):
            continue
        reference = next(iter(item.findall(nodes.reference)), None)
        if reference is None:
            continue
        uri = reference.get("refuri", "")
        entry = NavEntry(" ".join(reference.astext().split()), docnames.get(uri), uri)
        for child in item.children:
            if isinstance(child, nodes.bullet_list):
                entry.children += _entries(child, docnames)
        found.append(entry)
    return found


def navigation_tree(app: Sphinx, maxdepth: int) -> list[NavGroup]:
    """The root page's toctrees, every level open: made once per build."""
    builder, env = app.builder, app.env
    root = app.config.root_doc
    toctree = global_toctree_for_doc(
        env, root, builder, tags=builder.tags, collapse=False, includehidden=True, maxdepth=maxdepth, titles_only=True
    )
    if toctree is None:
        return []
    docnames = {builder.get_target_uri(d): d for d in env.found_docs}
    groups: list[NavGroup] = []
    caption: str | None = None
    for child in toctree.children:
        if isinstance(child, nodes.title | nodes.caption):
            caption = child.astext()
        elif isinstance(child, nodes.bullet_list):
            groups.append(NavGroup(caption, _entries(child, docnames)))
            caption = None
        elif isinstance(child, addnodes.compact_paragraph):  # a nested wrapper (Sphinx versions differ)
            for inner in child.children:
                if isinstance(inner, nodes.title | nodes.caption):
                    caption = inner.astext()
                elif isinstance(inner, nodes.bullet_list):
                    groups.append(NavGroup(caption, _entries(inner, docnames)))
                    caption = None
    return groups


def _chain(entries: list[NavEntry], docname: str) -> list[NavEntry]:
    """The entries from the top down to ``docname`` (empty when the page is not in the navigation)."""
    for entry in entries:
        if entry.docname == docname:
            return [entry]
        below = _chain(entry.children, docname)
        if below:
            return [entry, *below]
    return []


class PageNavigation:
    """Writes the navigation for one page from the build's tree."""

    def __init__(self, groups: list[NavGroup], page_uri: str, docname: str, collapse: bool):
        self.groups = groups
        self.page_uri = page_uri
        self.collapse = collapse
        self.chain: set[int] = set()
        for group in groups:
            self.chain = {id(e) for e in _chain(group.entries, docname)} or self.chain
        self.docname = docname

    def href(self, entry: NavEntry) -> str:
        if entry.docname is None:
            return entry.uri
        if entry.docname == self.docname:
            return "#"
        return relative_uri(self.page_uri, entry.uri)

    def items(self, entries: list[NavEntry], level: int) -> str:
        parts = []
        for entry in entries:
            on_chain = id(entry) in self.chain
            show_children = bool(entry.children) and (on_chain or not self.collapse)
            classes = [f"toctree-l{level}"]
            if on_chain:
                classes += ["current", "active"]
            if show_children:
                classes.append("has-children")
            link_classes = "current reference internal" if entry.docname == self.docname else "reference internal"
            if entry.docname is None:
                link_classes = "reference external"
            title = escape(entry.title)
            html = f'<li class="{" ".join(classes)}"><a class="{link_classes}" href="{escape(self.href(entry))}">{title}</a>'
            if show_children:
                label = escape(f"Show or hide the pages under {entry.title}", quote=True)
                opened = ' open="open"' if on_chain else ""
                current = ' class="current"' if on_chain and entry.docname != self.docname else ""
                html += (
                    f'<details{opened}><summary aria-label="{label}">'
                    '<span class="toctree-toggle" role="presentation"><i class="fa-solid fa-chevron-down"></i>'
                    f"</span></summary><ul{current}>\n"
                    f"{self.items(entry.children, level + 1)}</ul>\n</details>"
                )
            parts.append(html + "</li>\n")
        return "".join(parts)

    def html(self) -> str:
        parts = []
        for group in self.groups:
            if group.caption:
                parts.append(
                    f'<p aria-level="2" class="caption" role="heading"><span class="caption-text">'
                    f"{escape(group.caption)}</span></p>\n"
                )
            current = any(id(e) in self.chain for e in group.entries)
            parts.append(
                f'<ul class="{"current " if current else ""}nav bd-sidenav">\n{self.items(group.entries, 1)}</ul>\n'
            )
        return "".join(parts)


def _add_navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``training_site_navigation()`` for ``templates/sbt-sidebar-nav.html``: this page's sidebar."""

    def training_site_navigation(maxdepth: int = 0, collapse: bool = True) -> Markup:
        groups = per_build(app, f"navigation-{maxdepth}", app.env.tocs, lambda _: navigation_tree(app, maxdepth))
        return Markup(PageNavigation(groups, app.builder.get_target_uri(pagename), pagename, collapse).html())

    context["training_site_navigation"] = training_site_navigation


def setup_navigation(app: Sphinx) -> None:
    app.connect("html-page-context", _add_navigation, priority=400)  # before the theme renders its sidebar
