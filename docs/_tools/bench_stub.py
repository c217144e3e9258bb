"""The benchmark's "extension off": every directive and role name the extension registers, doing nothing
of its own (content parsed as a plain block, roles kept as text), and no event handler.

So the same sources build with and without the extension, and the difference is the extension's own
cost: hub values, generated parts, checks, the sidebar, the handout.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import training

PACKAGE = Path(training.__file__).parent


class _AnyOption(dict):
    """Accept every option a page gives, unchecked."""

    def __missing__(self, key: str) -> Any:
        return directives.unchanged

    def __contains__(self, key: object) -> bool:
        return True


class PlainBlock(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = _AnyOption()

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


def plain_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None):
    return [nodes.inline(rawtext, text)], []


def registered_names() -> tuple[set[str], set[str]]:
    """The directive and role names the extension's source registers."""
    found_directives: set[str] = set()
    found_roles: set[str] = set()
    for source in PACKAGE.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found_directives |= set(re.findall(r"add_directive\(\s*\"([\w-]+)\"", text))
        found_roles |= set(re.findall(r"add_role\(\s*\"([\w-]+)\"", text))
    return found_directives, found_roles


def setup(app: Sphinx) -> dict[str, Any]:
    found_directives, found_roles = registered_names()
    for name in sorted(found_directives):
        app.add_directive(name, PlainBlock)
    for name in sorted(found_roles):
        app.add_role(name, plain_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
