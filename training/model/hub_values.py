"""``{{ hub.<dotted.path> }}`` in sources: replaced everywhere, escaped for where it lands.

MyST's own substitutions do not reach code, inline code or link targets, so we
replace placeholders in the raw text before parsing. Each placeholder is escaped for its context:

- prose: every ASCII punctuation character is backslash-escaped, so a hub name like
  ``<script>`` is shown as text and cannot become Markdown or raw HTML;
- code (fenced blocks, inline code, directive options): inserted as is, because Sphinx escapes
  code and attributes when it writes HTML;
- directive arguments (often a title parsed as Markdown): Markdown's active characters are escaped;
- front matter: as prose, because module metadata is rendered as Markdown;
- ``\\{{ hub.x }}`` (with a backslash) stays as written, minus the backslash: how guides show the syntax.
- link targets ``](...)``: percent-encoded where Markdown would end the target.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

PLACEHOLDER = re.compile(r"(\\?)\{\{\s*hub\.([A-Za-z0-9_.\-\[\]]+)\s*\}\}")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
OPTION_LINE = re.compile(r"^\s*:[\w-]+:")

#: Directives whose body is code (inserted raw); any other ``{name}`` fence holds Markdown.
CODE_DIRECTIVES = {"code", "code-block", "code-cell", "sourcecode", "literalinclude", "raw", "math", "mermaid"}

_MARKDOWN_PUNCTUATION = set(string.punctuation)


@dataclass(frozen=True)
class UnknownKey:
    """A placeholder whose dotted path is not in the hub profile."""

    key: str
    line: int  # 1-based
    reason: str = "is not a key of the hub profile"

    @property
    def unset(self) -> bool:
        """The key exists but this hub has no value for it (fine inside a dropped ``only-if``)."""
        return self.reason == "is not set for this hub"


@dataclass(frozen=True)
class Segment:
    """A part of one line and whether placeholders in it are inserted raw (code) or escaped (prose)."""

    text: str
    context: str  # "prose" | "code" | "link" | "argument"


def lookup(values: Mapping[str, Any], dotted: str) -> Any:
    """Follow ``a.b.0.c`` into nested dicts/lists; raise KeyError when a step is missing.

    Inside an optional group the hub leaves unset (``github_push: null``) the value is None: not set.
    """
    current: Any = values
    for part in dotted.split("."):
        if current is None:  # an optional group this hub does not have (e.g. github_push)
            return None
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit():
            if int(part) >= len(current):  # this hub's list is shorter: not set (fine in a dropped only-if)
                return None
            current = current[int(part)]
        else:
            raise KeyError(dotted)
    return current


def as_text(value: Any) -> str:
    """How a hub value reads in a sentence: lists are comma-separated, booleans are yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(as_text(v) for v in value)
    return str(value)


def escape_markdown(text: str) -> str:
    """Backslash-escape every ASCII punctuation character: CommonMark then shows it literally."""
    return "".join("\\" + c if c in _MARKDOWN_PUNCTUATION else c for c in text).replace("\n", " ")


def escape_link_target(text: str) -> str:
    return quote(text, safe=":/?#@!$&'*+,;=%~-._[]")


def split_line(line: str) -> list[Segment]:
    """Split a prose line into prose, inline-code and link-target segments."""
    segments: list[Segment] = []
    pos = 0
    pattern = re.compile(r"(?P<code>(?P<ticks>`+).*?(?P=ticks))|(?P<link>\]\((?P<target>(?:\{\{[^}]*\}\}|[^)\s])*))")
    for match in pattern.finditer(line):
        if match.start() > pos:
            segments.append(Segment(line[pos : match.start()], "prose"))
        if match.group("code"):
            segments.append(Segment(match.group("code"), "code"))
        else:
            segments.append(Segment("](", "prose"))
            segments.append(Segment(match.group("target"), "link"))
        pos = match.end()
    if pos < len(line):
        segments.append(Segment(line[pos:], "prose"))
    return segments


def line_contexts(text: str) -> list[str]:
    """For each line: "code" (insert raw) or "prose" (split further). Tracks nested fences."""
    lines = text.split("\n")
    contexts: list[str] = []
    stack: list[tuple[str, bool]] = []  # (fence, body is code)
    in_options = False
    front_matter = bool(lines) and lines[0].strip() == "---"
    for index, line in enumerate(lines):
        if front_matter:
            contexts.append("code" if index == 0 or line.strip() == "---" else "prose")
            if index > 0 and line.strip() == "---":
                front_matter = False
            continue
        match = FENCE.match(line)
        in_code = bool(stack) and stack[-1][1]
        if (
            match
            and stack
            and match.group("fence").startswith(stack[-1][0][0])
            and (len(match.group("fence")) >= len(stack[-1][0]) and not match.group("info").strip())
        ):
            stack.pop()
            contexts.append("code")
            in_options = False
            continue
        if match and not in_code:
            info = match.group("info").strip()
            directive = re.match(r"^\{([\w:-]+)\}", info)
            is_code = directive.group(1) in CODE_DIRECTIVES if directive else match.group("fence")[0] != ":"
            stack.append((match.group("fence"), is_code))
            # The argument of a Markdown directive may be a title (parsed as Markdown) or a path.
            contexts.append("code" if is_code else "argument")
            in_options = not is_code
            continue
        if in_code:
            contexts.append("code")
            continue
        if in_options and OPTION_LINE.match(line):
            contexts.append("code")
            continue
        in_options = False
        contexts.append("prose")
    return contexts


def substitute(text: str, values: Mapping[str, Any], *, code: bool = False) -> tuple[str, list[UnknownKey]]:
    """Replace every ``{{ hub.x }}`` in ``text``; return the new text and the unknown keys.

    ``code=True``: the whole text is code (an R or Python script), values go in as they are.
    """
    if "{{" not in text:
        return text, []
    unknown: list[UnknownKey] = []
    lines = text.split("\n")
    contexts = ["code"] * len(lines) if code else line_contexts(text)
    out: list[str] = []
    for number, (line, context) in enumerate(zip(lines, contexts, strict=True), start=1):
        if "{{" not in line:
            out.append(line)
            continue
        segments = [Segment(line, context)] if context != "prose" else split_line(line)

        def replace(match: re.Match[str], context: str, number: int = number) -> str:
            key = match.group(2)
            if match.group(1):  # \{{ hub.x }} documents the syntax: keep it, minus the backslash
                return match.group(0)[1:]
            try:
                raw = lookup(values, key)
            except KeyError:
                unknown.append(UnknownKey(key, number))
                return match.group(0)
            if raw is None or raw == [] or isinstance(raw, dict):
                reason = "is not set for this hub" if not isinstance(raw, dict) else "is a group of keys, not a value"
                unknown.append(UnknownKey(key, number, reason))
                return match.group(0)
            value = as_text(raw)
            if context == "prose":
                return escape_markdown(value)
            if context == "link":
                return escape_link_target(value)
            if context == "argument":
                return "".join("\\" + c if c in "<>&[]`*\\" else c for c in value)
            return value

        out.append("".join(PLACEHOLDER.sub(lambda m, c=seg.context: replace(m, c), seg.text) for seg in segments))
    return "\n".join(out), unknown
