"""The quick start: a short path made of the modules' own core sections, and its time.

A page holds a ``quick-start`` block listing module ids in order::

    ```{quick-start}
    logging-in
    choosing-an-environment
    ```

On ``source-read`` (before placeholders and ``only-if`` blocks are resolved, so the excerpts get the
same treatment as the modules) the block is replaced by one ``##`` section per module of this site
that declares ``quick_start`` in its front matter: the sections it names, cut by
:mod:`training.model.module_excerpt`, under the step's title, its minutes and a link to the module.
Modules this hub lacks are left out; the total is the sum of the steps' minutes.

``quick-start-summary`` (on any page) says how long the quick start takes and links to it.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from training.model.module_excerpt import excerpt
from training.model.module_info import ModuleInfo, format_minutes
from training.sphinx_ext.modules import GeneratedMarkdownDirective, element, path_modules
from training.sphinx_ext.warnings import TrainingWarning, warn

_BLOCK = re.compile(r"^(?P<fence>`{3,}|:{3,})\{quick-start\}[ \t]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


def quick_start_modules(modules: list[ModuleInfo], ids: list[str]) -> list[ModuleInfo]:
    """The listed modules this site has and that declare a quick start part, in the listed order."""
    by_id = {m.id: m for m in modules}
    return [by_id[i] for i in ids if i in by_id and by_id[i].quick_start is not None]


def step_markdown(module: ModuleInfo, module_text: str, modules_dir: str) -> str:
    """One step: its heading, time and source module, then the module's own sections."""
    assert module.quick_start is not None
    part = module.quick_start
    lines = [
        f"## {part.title}",
        "",
        f"*About {format_minutes(part.minutes)}. From the module "
        f"{{doc}}`{module.title} </{modules_dir}/{module.id}/index>`, which has the pictures and more.*",
        "",
    ]
    for piece in excerpt(module_text, part.sections, modules_dir):
        lines += [*piece.lines, ""]
    return "\n".join(lines)


def _expand(app: Sphinx, docname: str, source: list[str]) -> None:
    match = _BLOCK.search(source[0])
    if match is None:
        return
    ids = [line.strip() for line in match.group("body").splitlines() if line.strip()]
    line = source[0].count("\n", 0, match.start()) + 1
    folder = app.config.training_modules_dir
    site = path_modules(app)
    known = {m.id: m for m in site}
    for module_id in ids:
        if module_id in known and known[module_id].quick_start is None:
            warn(
                f"quick-start: module {module_id!r} declares no quick_start part in its front matter",
                TrainingWarning.directive,
                (docname, line),
            )
    steps = quick_start_modules(site, ids)
    if not steps:
        warn("quick-start: none of the listed modules is in this site", TrainingWarning.directive, (docname, line))
    parts: list[str] = []
    for module in steps:
        path = Path(app.srcdir) / folder / module.id / "index.md"
        app.env.note_dependency(str(path))
        parts.append(step_markdown(module, path.read_text(encoding="utf-8"), folder))
    total = sum(m.quick_start.minutes for m in steps if m.quick_start)
    titles = " · ".join(m.quick_start.title for m in steps if m.quick_start)
    summary = (
        f"{{.training-quick-start-total}}\n**{len(steps)} steps, about {format_minutes(total)} in all:** {titles}.\n"
    )
    source[0] = source[0][: match.start()] + summary + "\n" + "\n".join(parts) + source[0][match.end() :]


def quick_start_minutes(app_or_env: object, ids: list[str]) -> int:
    modules = quick_start_modules(path_modules(app_or_env), ids)
    return sum(m.quick_start.minutes for m in modules if m.quick_start)


def page_quick_start_ids(path: Path) -> list[str]:
    """The module ids listed in a page's ``quick-start`` block ([] when it has none)."""
    match = _BLOCK.search(path.read_text(encoding="utf-8")) if path.is_file() else None
    return [line.strip() for line in match.group("body").splitlines() if line.strip()] if match else []


class QuickStartSummary(GeneratedMarkdownDirective):
    """``quick-start-summary <docname>``: one line pointing a newcomer at the quick start, with its time."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        docname = target.lstrip("/")
        path = Path(self.env.srcdir) / f"{docname}.md"
        if docname not in self.env.found_docs or not path.is_file():
            warn(f"quick-start-summary: no page {target!r}", TrainingWarning.directive, self.get_location())
            return []
        self.env.note_dependency(str(path))
        minutes = quick_start_minutes(self.env, page_quick_start_ids(path))
        box = element("div", ["training-quick-start-link"], {"minutes": minutes})
        text = (
            f"**New here?** Take the {{doc}}`quick start </{docname}>` first: {format_minutes(minutes)} from "
            "logging in to stopping your server. Then come back for the whole path."
        )
        return [self.parse_markdown(text, box)]


def setup_quick_start(app: Sphinx) -> None:
    app.add_directive("quick-start-summary", QuickStartSummary)
    app.connect("source-read", _expand, priority=300)  # before placeholders and only-if blocks
