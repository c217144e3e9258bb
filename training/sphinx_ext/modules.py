"""Sphinx wiring for modules: metadata checks, per-hub omission, overview, key points, path, catalogue.

The metadata logic is in :mod:`training.model.module_info`. Here:

- on ``config-inited`` the catalogue is read, problems become located warnings, and modules whose
  ``requires`` the hub lacks are added to ``exclude_patterns`` (gone from navigation, search and
  links: a link to them is a build error, never a silent 404);
- each module page gets an overview card under its title and a "Key points" section at its end;
- ``module-path`` (the Start-here page) and ``module-catalogue`` list the hub's modules;
- ``only-if`` keeps or drops a block by hub feature; Python/R tabs the hub lacks are dropped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective

from training.model.hub_profile import HubProfile, feature_names
from training.model.hub_values import escape_markdown, substitute
from training.model.module_info import (
    ModuleInfo,
    available,
    format_minutes,
    learning_path,
    read_catalogue,
    total_minutes,
)
from training.sphinx_ext.config import exclude, hub_of, per_build
from training.sphinx_ext.warnings import TrainingWarning, warn

AUDIENCE = {"python": "Python users", "r": "R users", "both": "Python and R users"}


def audience_label(audience: str, languages: list[str]) -> str:
    """Who a module is for on this hub: "both" means only the languages the hub offers."""
    offered = set(languages) & {"python", "r"}
    if audience == "both" and len(offered) == 1:
        return AUDIENCE[offered.pop()]
    return AUDIENCE[audience]


LANGUAGE_SYNC_IDS = {"python", "r"}


class html_element(nodes.Element):
    """An element written as ``<tag data-...>``: lets JS find modules and minutes without parsing text."""


def _visit_html_element(self: Any, node: html_element) -> None:
    attributes = {f"data-{k}": str(v) for k, v in node["data"].items()}
    attributes.update(node.get("html_attributes", {}))
    self.body.append(self.starttag(node, node["tag"], "", **attributes))


def _depart_html_element(self: Any, node: html_element) -> None:
    self.body.append(f"</{node['tag']}>")


def element(tag: str, classes: list[str], data: dict[str, Any] | None = None, **attributes: str) -> html_element:
    return html_element(tag=tag, classes=classes, data=data or {}, html_attributes=attributes)


# --- the catalogue for this build ----------------------------------------------------------------


def _read_modules(app: Sphinx, config: Config) -> None:
    hub = hub_of(app)
    catalogue = read_catalogue(Path(app.srcdir) / config.training_modules_dir)
    for problem in catalogue.problems:
        warn(problem.message, TrainingWarning.module_metadata, f"{problem.file}:{problem.line}")
    left_out = set(config.training_site_data.get("leave_out", []))
    kept = {mid: m for mid, m in available(catalogue, hub.features).items() if mid not in left_out}
    for module_id in sorted(set(catalogue.modules) - set(kept) - left_out):
        exclude(config, f"{config.training_modules_dir}/{module_id}/**")
    first = config.training_site_data.get("start_here", [])
    config.training_modules_data = [m.model_dump() for m in learning_path(kept, first=first)]


def _validated(data: list[dict[str, Any]]) -> dict[str, ModuleInfo]:
    return {m["id"]: ModuleInfo.model_validate(m) for m in data}


def _site_modules(app_or_env: Any) -> dict[str, ModuleInfo]:
    """The modules of this hub's site by id, in path order: validated once per build."""
    return per_build(app_or_env, "modules", app_or_env.config.training_modules_data, _validated)


def path_modules(app_or_env: Any) -> list[ModuleInfo]:
    """The modules of this hub's site, in path order."""
    return list(_site_modules(app_or_env).values())


def module_of(env: Any, docname: str) -> ModuleInfo | None:
    prefix = env.config.training_modules_dir + "/"
    if not (docname.startswith(prefix) and docname.endswith("/index")):
        return None
    return _site_modules(env).get(docname[len(prefix) : -len("/index")])


def _doc_link(module: ModuleInfo, modules_folder: str) -> str:
    return f"{{doc}}`{module.title} </{modules_folder}/{module.id}/index>`"


# --- directives ----------------------------------------------------------------------------------


class GeneratedMarkdownDirective(SphinxDirective):
    """Parse Markdown built from module metadata (hub placeholders in metadata are replaced first)."""

    def parse_markdown(self, markdown: str, container: nodes.Element) -> nodes.Element:
        text, problems = substitute(markdown, hub_of(self.env).values())
        for problem in problems:
            warn(f"{{{{ hub.{problem.key} }}}} {problem.reason}", TrainingWarning.hub_key, self.get_location())
        self.state.nested_parse(
            StringList(text.splitlines(), source=self.get_source_info()[0]), self.content_offset, container
        )
        return container


class ModuleOverview(GeneratedMarkdownDirective):
    """Added to every module page by the build; moved under the title on ``doctree-read``."""

    def run(self) -> list[nodes.Node]:
        module = module_of(self.env, self.env.docname)
        if module is None:
            return []
        folder = self.env.config.training_modules_dir
        names = _site_modules(self.env)
        prerequisites = [names[p] for p in module.prerequisites if p in names]
        lines = [
            module.summary,
            "",
            f"- **Time:** {format_minutes(module.minutes)} ({module.teaching} min reading, {module.exercises} min exercises)",
            f"- **For:** {audience_label(module.audience, hub_of(self.env).languages)}",
            "- **Before this module:** "
            + (", ".join(_doc_link(p, folder) for p in prerequisites) or "nothing, you can start here."),
            "",
            "Questions",
            "",
            *[f"- {q}" for q in module.questions],
            "",
            "Objectives: after this module you can",
            "",
            *[f"- {o}" for o in module.objectives],
        ]
        card = element(
            "section", ["training-module-overview"], {"module": module.id}, **{"aria-label": "Module overview"}
        )
        self.parse_markdown("\n".join(lines), card)
        for paragraph in card.findall(nodes.paragraph):
            if paragraph.astext() in {"Questions", "Objectives: after this module you can"}:
                paragraph["classes"].append("training-overview-heading")
        return [card]


class ModuleFooter(GeneratedMarkdownDirective):
    """Key points and what comes next; moved to the end of the page as its own section."""

    def run(self) -> list[nodes.Node]:
        module = module_of(self.env, self.env.docname)
        if module is None:
            return []
        folder = self.env.config.training_modules_dir
        order = list(_site_modules(self.env))
        index = order.index(module.id)
        following = _site_modules(self.env)[order[index + 1]] if index + 1 < len(order) else None
        lines = [*[f"- {k}" for k in module.keypoints], ""]
        if following:
            lines.append(f"**Next:** {_doc_link(following, folder)} ({format_minutes(following.minutes)})")
        elif "catalogue" in self.env.found_docs:
            lines.append("**Next:** this is the last module of the path. {doc}`See all modules </catalogue>`.")
        else:
            lines.append("**Next:** this is the last module of the path.")
        lines += ["", feedback_line(hub_of(self.env), module.title)]
        footer = nodes.container(classes=["training-module-footer"])
        self.parse_markdown("\n".join(lines), footer)
        footer += element("div", ["training-progress-slot"], {"module": module.id})
        return [footer]


def feedback_line(hub: HubProfile, title: str) -> str:
    """How to tell the people who run the training what was unclear (the support channel by default)."""
    feedback = hub.feedback
    name, url, email = (
        (feedback.name, feedback.url, feedback.email)
        if feedback
        else (hub.support.name, hub.support.url, hub.support.email)
    )
    ways = [f"[{escape_markdown(name)}]({url})" if url else escape_markdown(name)]
    if email:
        subject = quote(f"Training: {title}")
        ways.append(f"[{escape_markdown(email)}](mailto:{email}?subject={subject})")
    return (
        "**Was something unclear, wrong or missing?** Tell the people who run this training: "
        + " or ".join(ways)
        + ". Say which module and which step."
    )


class ModulePath(GeneratedMarkdownDirective):
    """The self-paced path: every module of this hub in order, with its time and the total."""

    def run(self) -> list[nodes.Node]:
        modules = path_modules(self.env)
        folder = self.env.config.training_modules_dir
        toctree = ["```{toctree}", ":hidden:", ":maxdepth: 1", "", *[f"/{m.docname}" for m in modules], "```"]
        result = nodes.container(classes=["training-path-wrapper"])
        self.parse_markdown("\n".join(toctree), result)
        path_list = element("ol", ["training-path"])
        for module in modules:
            item = element("li", ["training-path-item"], {"module": module.id, "minutes": module.minutes})
            line = f"{_doc_link(module, folder)} — {format_minutes(module.minutes)}. {module.summary}"
            self.parse_markdown(line, item)
            path_list += item
        result += path_list
        total = total_minutes(modules)
        summary = element("p", ["training-path-summary"], {"total-minutes": total})
        count = f"{len(modules)} module" + ("" if len(modules) == 1 else "s")
        summary += nodes.Text(f"{count}, {format_minutes(total)} in total.")
        result += summary
        return [result]


class ModuleCatalogue(GeneratedMarkdownDirective):
    """All modules of this hub's site in a table: title, summary, audience, time."""

    def run(self) -> list[nodes.Node]:
        folder = self.env.config.training_modules_dir
        modules = sorted(path_modules(self.env), key=lambda m: m.title.lower())
        languages = hub_of(self.env).languages
        lines = [
            "| Module | What you learn | For | Time |",
            "|---|---|---|---|",
            *[
                f"| {_doc_link(m, folder)} | {m.summary} | {audience_label(m.audience, languages)} | "
                f"{format_minutes(m.minutes)} |"
                for m in modules
            ],
        ]
        result = nodes.container(classes=["training-catalogue"])
        return [self.parse_markdown("\n".join(lines), result)]


class OnlyIf(SphinxDirective):
    """Keep the content only when the hub has every listed feature (``!feature`` = must lack it).

    Blocks in Markdown sources are resolved before parsing (:func:`training.sphinx_ext.substitution.resolve_only_if`,
    so headings inside stay headings); this directive handles the rest (e.g. inside generated text).
    """

    has_content = True
    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        hub_features = hub_of(self.env).features
        known = feature_names()
        keep = True
        for word in self.arguments[0].split():
            name = word.removeprefix("!")
            if name not in known:
                warn(f"only-if: unknown hub feature {name!r}", TrainingWarning.feature, self.get_location())
                return []
            keep &= (name in hub_features) != word.startswith("!")
        if not keep:
            return []
        container = nodes.container(classes=["training-only-if", *self.options.get("class", [])])
        self.state.nested_parse(self.content, self.content_offset, container)
        return container.children if not self.options.get("class") else [container]


# --- placing generated parts, dropping language tabs ---------------------------------------------


def _append_module_parts(app: Sphinx, docname: str, source: list[str]) -> None:
    if module_of(app.env, docname) is not None:
        # Appended (not inserted) so every authored line keeps its number in warnings.
        source[0] += "\n\n```{module-overview}\n```\n\n```{module-footer}\n```\n"


def _place_module_parts(app: Sphinx, doctree: nodes.document) -> None:
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    for card in [n for n in doctree.findall(html_element) if "training-module-overview" in n["classes"]]:
        card.parent.remove(card)
        top.insert(top.first_child_matching_class(nodes.title) + 1, card)
    for footer in [n for n in doctree.findall(nodes.container) if "training-module-footer" in n["classes"]]:
        footer.parent.remove(footer)
        section = nodes.section(ids=["key-points"], names=["key points"])
        section += nodes.title("", "Key points")
        section += footer
        top += section
        doctree.note_implicit_target(section)


def _drop_language_tabs(app: Sphinx, doctree: nodes.document) -> None:
    languages = set(hub_of(app).languages)
    for item in [n for n in doctree.findall(nodes.container) if n.get("design_component") == "tab-item"]:
        label = item.children[0] if item.children else None
        sync_id = label.get("sync_id") if isinstance(label, nodes.Element) else None
        if sync_id in LANGUAGE_SYNC_IDS and sync_id not in languages:
            item.parent.remove(item)


def setup_modules(app: Sphinx) -> None:
    app.add_node(html_element, html=(_visit_html_element, _depart_html_element))
    app.add_directive("module-overview", ModuleOverview)
    app.add_directive("module-footer", ModuleFooter)
    app.add_directive("module-path", ModulePath)
    app.add_directive("module-catalogue", ModuleCatalogue)
    app.add_directive("only-if", OnlyIf)
    app.connect("config-inited", _read_modules, priority=200)
    app.connect("source-read", _append_module_parts, priority=400)
    app.connect("doctree-read", _place_module_parts, priority=400)
    app.connect("doctree-read", _drop_language_tabs, priority=400)
