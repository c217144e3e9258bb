"""Sphinx wiring for ``{{ hub.x }}`` placeholders (logic in :mod:`training.model.hub_values`) and ``only-if``.

``hub-markdown`` renders a hub value that is Markdown by design (``login.instructions``): parsed as
Markdown, with raw HTML shown as text, so a hub file can add formatted words but never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from training.model.hub_profile import feature_names
from training.model.hub_values import line_contexts, lookup, substitute
from training.sphinx_ext.config import hub_of
from training.sphinx_ext.warnings import TrainingWarning, warn

#: The opening fence of an ``only-if`` block: its fence and its feature words.
_ONLY_IF = re.compile(r"^\s*(?P<fence>:{3,}|`{3,})\{only-if\}\s*(?P<words>.*?)\s*$")


@dataclass(frozen=True)
class OnlyIfBlock:
    opening: int  # 1-based line of the opening fence
    closing: int  # 1-based line of the closing fence
    words: tuple[str, ...]


def only_if_blocks(text: str) -> list[OnlyIfBlock]:
    """Every ``only-if`` block outside code (examples in code blocks are text, not blocks)."""
    lines = text.split("\n")
    contexts = line_contexts(text)
    blocks = []
    for index, line in enumerate(lines):
        match = _ONLY_IF.match(line)
        if not match or contexts[index] == "code":
            continue
        fence = match.group("fence")
        closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((i for i in range(index + 1, len(lines)) if closing.match(lines[i])), len(lines) - 1)
        blocks.append(OnlyIfBlock(index + 1, end + 1, tuple(match.group("words").split())))
    return blocks


def keeps(words: tuple[str, ...], features: set[str]) -> bool:
    return all((w.removeprefix("!") in features) != w.startswith("!") for w in words)


def resolve_only_if(text: str, features: set[str]) -> tuple[str, set[int], list[tuple[int, str]]]:
    """Apply ``only-if`` before parsing: a kept block loses its fences, a dropped one its lines.

    Done on the source (not as a directive) so that headings inside a block stay real headings.
    Lines are blanked, never removed, so every other line keeps its number in warnings. Returns the
    text, the dropped line numbers and (line, message) problems.
    """
    known = feature_names()
    lines = text.split("\n")
    dropped: set[int] = set()
    problems: list[tuple[int, str]] = []
    for block in only_if_blocks(text):
        unknown = [w for w in block.words if w.removeprefix("!") not in known]
        if not block.words or unknown:
            what = f"unknown hub feature {unknown[0].removeprefix('!')!r}" if unknown else "no hub feature given"
            problems.append((block.opening, f"only-if: {what}"))
            continue
        if keeps(block.words, features):
            lines[block.opening - 1] = lines[block.closing - 1] = ""
        else:
            dropped.update(range(block.opening, block.closing + 1))
            for number in range(block.opening, block.closing + 1):
                lines[number - 1] = ""
    return "\n".join(lines), dropped, problems


def _replace(app: Sphinx, docname: str, source: list[str]) -> None:
    hub = hub_of(app)
    text, problems = substitute(source[0], hub.values())
    text, dropped, only_if_problems = resolve_only_if(text, hub.features)
    source[0] = text
    for line, message in only_if_problems:
        warn(message, TrainingWarning.feature, (docname, line))
    for problem in problems:
        if problem.unset and problem.line in dropped:
            continue  # a value this hub lacks, in a block this hub drops; typos are still reported
        warn(f"{{{{ hub.{problem.key} }}}} {problem.reason}", TrainingWarning.hub_key, (docname, problem.line))


def _replace_included(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    _replace(app, str(relative_path), content)


def markdown_without_html(text: str) -> str:
    """Markdown whose ``<`` and ``&`` are entities: tags and entities show as typed, never as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


class HubMarkdown(SphinxDirective):
    """``{hub-markdown} login.instructions``: the hub value at that dotted path, as Markdown."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0].removeprefix("hub.")
        try:
            value = lookup(hub_of(self.env).values(), key)
        except KeyError:
            warn(f"hub-markdown: {key!r} is not a key of the hub profile", TrainingWarning.hub_key, self.get_location())
            return []
        if not isinstance(value, str) or not value.strip():
            warn(
                f"hub-markdown: {key!r} is not set for this hub (put it in an only-if block)",
                TrainingWarning.hub_key,
                self.get_location(),
            )
            return []
        container = nodes.container(classes=["training-hub-markdown"])
        source = self.get_source_info()[0]
        content = StringList(markdown_without_html(value).splitlines(), source=source)
        self.state.nested_parse(content, self.content_offset, container)
        return [container]


def setup_substitution(app: Sphinx) -> None:
    app.add_directive("hub-markdown", HubMarkdown)
    app.connect("source-read", _replace)
    app.connect("include-read", _replace_included)
