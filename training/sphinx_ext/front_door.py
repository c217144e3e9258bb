"""The landing page as a front door: the hub, one start button, a card per way through the training.

``index.md`` holds two blocks::

    ```{front-door}
    ```

    ```{front-door-paths}
    ```

``front-door`` says which hub this is and where it lives, shows the community's logo when the hub
file gives one, and has one start button (to the quick start). ``front-door-paths`` has one card per
path: the quick start, the full self-paced path, a workshop and "I'm stuck". Every time shown is
computed from the modules' own minutes (and a workshop's agenda), never written by hand.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from markupsafe import escape
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from training.model.module_info import ModuleInfo, format_minutes, total_minutes
from training.sphinx_ext.config import hub_of
from training.sphinx_ext.modules import GeneratedMarkdownDirective, element, path_modules
from training.sphinx_ext.quick_start import page_quick_start_ids, quick_start_minutes
from training.sphinx_ext.warnings import TrainingWarning, warn
from training.sphinx_ext.workshops import docname_of, workshop_pages

QUICK_START = "quick-start"
FULL_PATH = "start-here"
WORKSHOPS = "workshops/index"
HELP_MODULE = "getting-help"


@dataclass(frozen=True)
class PathCard:
    """One way through the training, as the landing page offers it."""

    kind: str  # "quick-start", "full-path", "workshop" or "help": names its CSS class and test hook
    title: str
    docname: str
    summary: str
    minutes: int | None


def _quick_start_minutes(env: BuildEnvironment) -> int | None:
    """How long the quick start takes, summed from the module parts it is made of (None when the
    site has no quick start page: the card then shows no time rather than a made-up one)."""
    page = Path(env.srcdir) / f"{QUICK_START}.md"
    if QUICK_START not in env.found_docs or not page.is_file():
        return None
    env.note_dependency(str(page))
    ids = page_quick_start_ids(page)
    return quick_start_minutes(env, ids) if ids else None


def path_cards(
    modules: list[ModuleInfo],
    modules_dir: str,
    support_name: str,
    quick_start_minutes: int | None,
    workshop: tuple[str, str, int] | None,
) -> list[PathCard]:
    """The cards, in the order a newcomer should read them.

    ``workshop`` is ``(title, agenda docname, minutes)`` of the first workshop of the site, if any.
    """
    count = f"{len(modules)} module" + ("" if len(modules) == 1 else "s")
    cards = [
        PathCard(
            "quick-start",
            "Quick start",
            QUICK_START,
            "Log in, choose your server, open your work, get the materials, save, and stop your server.",
            quick_start_minutes,
        ),
        PathCard(
            "full-path",
            "The full path",
            FULL_PATH,
            f"All {count} in order, at your own pace, with exercises on the hub and quizzes.",
            total_minutes(modules),
        ),
    ]
    if workshop is not None:
        title, docname, minutes = workshop
        cards.append(PathCard("workshop", "A workshop", docname, f"{title}: with a teaching assistant.", minutes))
    else:
        cards.append(
            PathCard("workshop", "A workshop", WORKSHOPS, "Plan a workshop from the modules' own times.", None)
        )
    help_module = next((m for m in modules if m.id == HELP_MODULE), None)
    if help_module is not None:
        cards.append(
            PathCard(
                "help",
                "I'm stuck",
                f"{modules_dir}/{help_module.id}/index",
                f"What to check first, and how to ask {support_name} so that they can help.",
                help_module.minutes,
            )
        )
    return cards


def _doc_link(docname: str, text: str, refdoc: str, classes: list[str]) -> addnodes.pending_xref:
    """A link to a page that the build checks (a missing page is an error under ``-n -W``)."""
    link = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True, refwarn=True, refdoc=refdoc
    )
    link += nodes.inline(text, text, classes=classes)
    return link


class FrontDoor(GeneratedMarkdownDirective):
    """The hub, its address, its logo and the one start button."""

    option_spec = {"start": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        hub = hub_of(self.env)
        start = self.options.get("start", QUICK_START)
        door = element("div", ["training-front-door"])
        if hub.logo:
            here = posixpath.dirname(self.env.docname) or "."
            src = posixpath.relpath(f"_static/{Path(hub.logo).name}", here)
            alt = f"Logo of {hub.community or hub.name}"
            door += nodes.raw("", f'<img class="training-logo" src="{escape(src)}" alt="{escape(alt)}">', format="html")
        lead = nodes.paragraph(classes=["training-lead"])
        lead += nodes.Text("Learn to work on ")
        lead += nodes.strong(hub.name, hub.name)
        lead += nodes.Text(", the cloud JupyterHub at ")
        lead += nodes.reference(hub.url, hub.url, refuri=hub.url)
        lead += nodes.Text(". Train alone at your own pace, or with your group in a workshop.")
        door += lead
        button = nodes.paragraph(classes=["training-start"])
        button += _doc_link(start, "Start the quick start", self.env.docname, ["training-start-button"])
        door += button
        if start not in self.env.found_docs:
            warn(f"front-door: no page {start!r} to start at", TrainingWarning.directive, self.get_location())
        return [door]


class FrontDoorPaths(GeneratedMarkdownDirective):
    """One card per path, with the time it takes."""

    def run(self) -> list[nodes.Node]:
        hub = hub_of(self.env)
        workshops = sorted(workshop_pages(self.env).values(), key=lambda p: (p.workshop.date, p.workshop.slug))
        first = (
            (
                workshops[0].workshop.title,
                docname_of(self.env, workshops[0].workshop.slug),
                total_minutes(workshops[0].entries),
            )
            if workshops
            else None
        )
        modules = path_modules(self.env)
        folder = self.env.config.training_modules_dir
        cards = path_cards(modules, folder, hub.support.name, _quick_start_minutes(self.env), first)
        grid = element("div", ["training-paths"])
        for card in cards:
            if card.docname not in self.env.found_docs:
                continue  # e.g. a workshop-only site without the workshops' list
            box = element("div", ["training-path-card", f"training-path-{card.kind}"], {"path": card.kind})
            title = nodes.paragraph(classes=["training-path-card-title"])
            title += _doc_link(card.docname, card.title, self.env.docname, [])
            box += title
            box += nodes.paragraph(card.summary, card.summary, classes=["training-path-card-summary"])
            if card.minutes is not None:
                time = element("p", ["training-path-card-time"], {"minutes": card.minutes})
                time += nodes.Text(f"About {format_minutes(card.minutes)}")
                box += time
            grid += box
        return [grid]


def setup_front_door(app: Sphinx) -> None:
    app.add_directive("front-door", FrontDoor)
    app.add_directive("front-door-paths", FrontDoorPaths)
