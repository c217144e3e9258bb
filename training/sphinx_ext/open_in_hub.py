"""``open-in-hub``: a button (directive) and an inline link (role) that pull the materials and open a file.

The link is built by :mod:`training.model.nbgitpuller` from the hub profile, and the file is checked against
:mod:`training.model.materials`, so a page can never send a learner to a file the repository lacks (a located
warning, an error under ``-W``). Usage in a module page::

    ```{open-in-hub} exercises/first-notebook.md
    :interface: lab notebook
    ```

    Try {open-in-hub}`the first notebook <exercises/first-notebook.md>` now.

The argument is a path in the module folder (``exercises/<name>.md``, ``data/<file>``) or a path in the
materials (``<module-id>/<name>.ipynb``, ``<module-id>/``; empty for the whole repository). RStudio
cannot open one file from a URL, so its link opens the folder and a note next to it says where the
file is.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import ReferenceRole, SphinxDirective

from training.model.hub_profile import HubProfile
from training.model.materials import (
    DATA,
    EXERCISES,
    MaterialsError,
    MaterialsIndex,
    materials_index,
    source_for,
    target_for,
)
from training.model.nbgitpuller import INTERFACE_NAMES, LINK_INTERFACES, clone_dir, nbgitpuller_url
from training.sphinx_ext.assets import add_asset
from training.sphinx_ext.config import hub_of, per_build
from training.sphinx_ext.warnings import TrainingWarning, warn


class open_in_hub_link(nodes.Inline, nodes.TextElement):
    """An ``<a>`` with ``data-`` attributes, which docutils' ``reference`` cannot carry."""


def _visit_link_html(self: Any, node: open_in_hub_link) -> None:
    attributes = {
        "href": node["href"],
        "data-materials-path": node["materials_path"],
        "data-interface": node["interface"],
    }
    if node.get("describedby"):
        attributes["aria-describedby"] = node["describedby"]
    if node.get("title"):
        attributes["title"] = node["title"]
    self.body.append(self.starttag(node, "a", "", **attributes))


def _depart_link_html(self: Any, node: open_in_hub_link) -> None:
    self.body.append("</a>")


def _pass(self: Any, node: nodes.Node) -> None:
    """Other builders show the link text only (a hub link is no use in print)."""


# --- resolving a path ----------------------------------------------------------------------------


def module_of_doc(env: Any, docname: str) -> str | None:
    """The module folder a page is in (``modules/<id>/...``), or None for pages outside modules."""
    parts = PurePosixPath(docname).parts
    prefix = PurePosixPath(env.config.training_modules_dir).parts
    if len(parts) > len(prefix) + 1 and parts[: len(prefix)] == prefix:
        return parts[len(prefix)]
    return None


def materials_target(argument: str, module_id: str | None) -> str:
    """The materials path an argument names; ValueError with a reason when it names none.

    Paths starting with ``exercises/`` or ``data/`` are read relative to the page's module folder.
    A trailing ``/`` names a folder; an empty argument names the whole repository.
    """
    text = argument.strip()
    if text.startswith("/") or "\\" in text or ".." in PurePosixPath(text).parts:
        raise ValueError(f"{argument!r} must be a relative path without '..' or backslashes")
    folder = text.endswith("/") or text in {EXERCISES, DATA}
    relative = PurePosixPath(text) if text else None
    if relative is not None and relative.parts[0] in {EXERCISES, DATA}:
        if module_id is None:
            raise ValueError(
                f"{argument!r} is relative to a module folder, but this page is not in one; "
                "write the materials path instead, e.g. <module-id>/<name>.ipynb"
            )
        if len(relative.parts) == 1:
            return f"{module_id}/" if relative.parts[0] == EXERCISES else f"{module_id}/{DATA}/"
        target = target_for(module_id, relative)
        if target is None:
            raise ValueError(f"{argument!r} is not a file the materials can hold")
        return target + ("/" if folder else "")
    return "" if relative is None else str(relative) + ("/" if folder else "")


def choose_interfaces(hub: HubProfile, option: str | None) -> tuple[list[str], list[str]]:
    """The interfaces to link to, and the problems to report.

    No option: the hub's first interface a link can open. ``all``: each one the hub offers. A list:
    those, minus the ones the hub lacks (each reported: the page would promise something the hub
    cannot do).
    """
    offered = [i for i in hub.interfaces if i in LINK_INTERFACES]
    if option is None:
        if offered:
            return offered[:1], []
        return [], [f"{hub.name} offers no interface an nbgitpuller link can open ({', '.join(LINK_INTERFACES)})"]
    words = option.replace(",", " ").split()
    if words == ["all"]:
        return offered, [] if offered else [f"{hub.name} offers none of {', '.join(LINK_INTERFACES)}"]
    chosen: list[str] = []
    problems: list[str] = []
    for word in words:
        if word not in LINK_INTERFACES:
            problems.append(f":interface: {word!r} is not one of: all, {', '.join(LINK_INTERFACES)}")
        elif word not in hub.interfaces:
            problems.append(f":interface: {word!r}, but {hub.name} does not offer {INTERFACE_NAMES[word]}; skipped")
        elif word not in chosen:
            chosen.append(word)
    if not words:
        problems.append(":interface: is empty; expected all, or one or more of: " + ", ".join(LINK_INTERFACES))
    return chosen, problems


def link_text(hub: HubProfile, interface: str) -> str:
    return f"Open in {INTERFACE_NAMES[interface]} on {hub.name}"


def rstudio_note(hub: HubProfile, target: str) -> list[nodes.Node]:
    """Where the file is, since RStudio opens its Files pane and not the file (no trailing full stop)."""
    where = "/".join(p for p in (clone_dir(hub.materials.repo), target.strip("/")) if p)
    if target and not target.endswith("/"):
        lead = "RStudio cannot open one file from a link: it opens the Files pane. There, open "
    else:
        lead = "RStudio opens the Files pane. There, open the folder "
    return [nodes.Text(lead), nodes.literal(where, where)]


def build_materials(env: Any) -> MaterialsIndex:
    """The materials of this build's hub, indexed once per build (not once per link).

    A page that links to a file depends on it (``note_dependency``), so saving or adding that file
    re-reads the page in the next build, which indexes the materials afresh.
    """
    modules = Path(env.srcdir) / env.config.training_modules_dir
    found = per_build(env, "materials", env.config.training_hub_data, lambda _: _index_or_error(modules, hub_of(env)))
    if isinstance(found, MaterialsError):
        raise found
    return found


def _index_or_error(modules: Path, hub: HubProfile) -> MaterialsIndex | MaterialsError:
    try:
        return materials_index(modules, hub.features)
    except MaterialsError as exc:
        return exc


class _Resolver:
    """Shared by the directive and the role: resolve, check, and report with the page's location."""

    env: Any
    lineno: int

    def location(self) -> tuple[str, int]:
        return (self.env.docname, self.lineno)

    def resolve(self, argument: str) -> str | None:
        """The materials target, or None after a located warning."""
        config = self.env.config
        modules = Path(self.env.srcdir) / config.training_modules_dir
        try:
            target = materials_target(argument, module_of_doc(self.env, self.env.docname))
        except ValueError as exc:
            warn(f"open-in-hub: {exc}", TrainingWarning.directive, self.location())
            return None
        hub = hub_of(self.env)
        try:
            index = build_materials(self.env)
        except MaterialsError as exc:
            for problem in exc.problems:
                warn(
                    f"open-in-hub: the materials cannot be written: {problem}",
                    TrainingWarning.materials,
                    self.location(),
                )
            return None
        source = source_for(modules, target)
        if index.has(target):
            if target.strip("/") in index.files:
                self.env.note_dependency(str(index.files[target.strip("/")]))
            return target
        if source is not None and source.is_file():
            reason = f"{target} is left out of {hub.name}'s materials (its module needs a feature the hub lacks)"
        else:
            expected = f" (expected the file {os.path.relpath(source, self.env.srcdir)})" if source else ""
            reason = f"{argument.strip()!r} is not in the materials{expected}"
        if source is not None:
            self.env.note_dependency(str(source))  # re-read this page when the file appears
        warn(f"open-in-hub: {reason}", TrainingWarning.materials, self.location())
        return None

    def link(self, hub: HubProfile, target: str, interface: str, classes: list[str], text: str) -> open_in_hub_link:
        url = nbgitpuller_url(hub.url, hub.materials.repo, hub.materials.branch, target, interface)
        return open_in_hub_link(
            "",
            text,
            href=url,
            materials_path=target,
            interface=interface,
            classes=["training-open-in-hub", *classes],
            support_smartquotes=False,  # the hub's name exactly as in the hub file
        )


def stamp_note(hub: HubProfile, target: str) -> list[nodes.Node]:
    """On a hub with the onboarding report: what an exercise's last cell records, and why."""
    path = PurePosixPath(target.strip("/"))
    if not hub.report.enabled or len(path.parts) != 2 or path.suffix not in {".ipynb", ".R"}:
        return []
    from training.model.completion import stamp_path

    stamp = f"~/{stamp_path(path.parts[0])}"
    note = nodes.paragraph(classes=["training-open-in-hub-note"])
    note += [
        nodes.Text("The exercise ends with a check of your work. When it passes, it writes the small file "),
        nodes.literal(stamp, stamp),
        nodes.Text(
            ": this module, the time, which checks passed and your server's image; no name and none of your work. "
            "The people who run and fund the hub count these files to see how training goes. "
            "You can read the file, and delete it at any time."
        ),
    ]
    return [note]


class OpenInHubDirective(SphinxDirective, _Resolver):
    """A button per interface; for RStudio, a note saying where the file is."""

    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec = {"interface": str}

    def run(self) -> list[nodes.Node]:
        hub = hub_of(self.env)
        interfaces, problems = choose_interfaces(hub, self.options.get("interface"))
        for problem in problems:
            warn(f"open-in-hub: {problem}", TrainingWarning.directive, self.location())
        target = self.resolve(self.arguments[0] if self.arguments else "")
        if target is None or not interfaces:
            return []
        group = nodes.container(classes=["training-open-in-hub-group"])
        buttons = nodes.paragraph(classes=["training-open-in-hub-buttons"])
        note_id = f"training-open-in-hub-note-{self.env.new_serialno('open-in-hub')}"
        for interface in interfaces:
            node = self.link(hub, target, interface, ["training-open-in-hub-button"], link_text(hub, interface))
            if interface == "rstudio":
                node["describedby"] = note_id
            if len(buttons):
                buttons += nodes.Text(" ")
            buttons += node
        group += buttons
        if "rstudio" in interfaces:
            note = nodes.paragraph("", "", *rstudio_note(hub, target), nodes.Text("."), ids=[note_id])
            note["classes"].append("training-open-in-hub-note")
            group += note
        stamp = stamp_note(hub, target)
        if stamp and not self.env.temp_data.get("training_stamp_note"):
            self.env.temp_data["training_stamp_note"] = True  # once per page
            group += stamp
        return [group]


class OpenInHubRole(ReferenceRole, _Resolver):
    """An inline link, ``{open-in-hub}`label <path>```, to the hub's first interface a link can open."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        hub = hub_of(self.env)
        interfaces, problems = choose_interfaces(hub, None)
        for problem in problems:
            warn(f"open-in-hub: {problem}", TrainingWarning.directive, self.location())
        target = self.resolve(self.target)
        if target is None or not interfaces:
            return [nodes.inline(self.rawtext, self.title)], []
        interface = interfaces[0]
        default = link_text(hub, interface)
        node = self.link(
            hub, target, interface, ["training-open-in-hub-inline"], self.title if self.has_explicit_title else default
        )
        if self.has_explicit_title:
            node["title"] = default
        result: list[nodes.Node] = [node]
        if interface == "rstudio":
            note_id = f"training-open-in-hub-note-{self.env.new_serialno('open-in-hub')}"
            node["describedby"] = note_id
            note = nodes.inline("", "", ids=[note_id], classes=["training-open-in-hub-note"])
            note += [nodes.Text(" ("), *rstudio_note(hub, target), nodes.Text(")")]
            result.append(note)
        return result, []


def setup_open_in_hub(app: Sphinx) -> None:
    app.add_node(
        open_in_hub_link,
        html=(_visit_link_html, _depart_link_html),
        latex=(_pass, _pass),
        text=(_pass, _pass),
        man=(_pass, _pass),
        texinfo=(_pass, _pass),
    )
    app.add_directive("open-in-hub", OpenInHubDirective)
    app.add_role("open-in-hub", OpenInHubRole())
    add_asset("open-in-hub.css")
