"""Sections of a module, cut out to be shown on another page (the quick start).

Pure text functions: the quick start shows the module's own words, so it cannot disagree with the
module. What only makes sense on the module's own page is left out, by blanking its lines (never
removing them, so every line keeps its number in warnings):

- screenshots, "Open in hub" buttons, quizzes and instructor notes (they belong to the module page);
- HTML comments (replay markers);
- deeper headings become bold lines (a step of the quick start has no sub-sections).

Relative links to other modules (``../x/index``) are made absolute, as seen from any page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from training.model.hub_values import line_contexts

#: Directives left out of an excerpt: they only work, or only make sense, on the module's page.
#: (``open-in-hub`` with a path is read relative to the module; without one it works anywhere.)
MODULE_PAGE_ONLY = {"screenshot", "quiz", "instructor-note", "open-in-hub <path>"}

_DIRECTIVE = re.compile(r"^\s*(?P<fence>:{3,}|`{3,})\{(?P<name>[\w-]+)\}(?P<argument>.*)$")
_RELATIVE_DOC = re.compile(r"(\{doc\}`(?:[^`<]*<)?)\.\./")
_RELATIVE_LINK = re.compile(r"\]\(\.\./")
_SUBHEADING = re.compile(r"^#{3,6}\s+(?P<text>.+?)\s*$")


@dataclass(frozen=True)
class Excerpt:
    """Lines of a module source, with the 1-based number of the first one."""

    first_line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def section_range(text: str, heading: str) -> tuple[int, int] | None:
    """0-based [start, end) of the body of the ``## heading`` section: up to the next ``#`` or ``##``."""
    lines = text.split("\n")
    contexts = line_contexts(text)
    start = next(
        (i + 1 for i, line in enumerate(lines) if contexts[i] == "prose" and line.strip() == f"## {heading}"), None
    )
    if start is None:
        return None
    end = next(
        (i for i in range(start, len(lines)) if contexts[i] == "prose" and re.match(r"^#{1,2}\s", lines[i])),
        len(lines),
    )
    return start, end


def _blank_blocks(lines: list[str], names: set[str]) -> list[str]:
    """Blank every fenced directive in ``names`` (with its body and closing fence)."""
    out = list(lines)
    index = 0
    while index < len(out):
        match = _DIRECTIVE.match(out[index])
        name = match.group("name") if match else ""
        if match and match.group("argument").strip():
            name = f"{name} <path>" if f"{name} <path>" in names else name
        if match and name in names:
            fence = match.group("fence")
            closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
            end = next((i for i in range(index + 1, len(out)) if closing.match(out[i])), len(out) - 1)
            for number in range(index, end + 1):
                out[number] = ""
            _end_sentence_before(out, index)
            index = end + 1
        else:
            index += 1
    return out


def _end_sentence_before(lines: list[str], index: int) -> None:
    """A sentence that introduced a left-out picture ("...shows its folder:") ends with a full stop."""
    before = next((i for i in range(index - 1, -1, -1) if lines[i].strip()), None)
    if before is not None and lines[before].rstrip().endswith(":") and not lines[before].lstrip().startswith(":"):
        lines[before] = lines[before].rstrip()[:-1] + "."


def _blank_comments(lines: list[str]) -> list[str]:
    out = list(lines)
    inside = False
    for index, line in enumerate(out):
        stripped = line.strip()
        if inside or stripped.startswith("<!--"):
            inside = "-->" not in stripped
            out[index] = ""
    return out


def excerpt(text: str, headings: list[str], modules_dir: str = "modules") -> list[Excerpt]:
    """The bodies of the named ``##`` sections of a (placeholder-resolved) module source.

    A heading that is not there gives no excerpt: the module's metadata check reports it.
    """
    lines = text.split("\n")
    parts: list[Excerpt] = []
    for heading in headings:
        found = section_range(text, heading)
        if found is None:
            continue
        start, end = found
        body = _blank_comments(_blank_blocks(lines[start:end], MODULE_PAGE_ONLY))
        body = [
            _RELATIVE_LINK.sub(f"](/{modules_dir}/", _RELATIVE_DOC.sub(rf"\g<1>/{modules_dir}/", line)) for line in body
        ]
        body = [f"**{m.group('text')}**" if (m := _SUBHEADING.match(line)) else line for line in body]
        parts.append(Excerpt(start + 1, body))
    return parts
