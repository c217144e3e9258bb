"""Mark a module's "going further" sections, the ones a shorter session skips.

The module's front matter names them (``further:``); here each such section gets the class
``training-going-further`` and a line under its heading saying that it is optional and how long it
takes, so a learner in a hurry and a TA with a short slot see what to skip. The workshop guide names
the same sections (:func:`training.model.workshop.slot_plan`).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from training.model.hub_values import substitute
from training.model.module_info import format_minutes
from training.sphinx_ext.config import hub_of
from training.sphinx_ext.modules import module_of


def heading_text(heading: str, values: dict[str, object]) -> str:
    """A heading as the page shows it: placeholders replaced, Markdown escapes removed."""
    text, _ = substitute(heading, values)
    return text.replace("\\", "").replace("`", "")


def _mark(app: Sphinx, doctree: nodes.document) -> None:
    module = module_of(app.env, app.env.docname)
    if module is None or not module.further:
        return
    values = hub_of(app).values()
    wanted = {heading_text(f.section, values): f for f in module.further}
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        further = wanted.get(title.astext()) if title is not None and title.parent is section else None
        if further is None:
            continue
        section["classes"].append("training-going-further")
        note = nodes.paragraph(classes=["training-going-further-note"])
        note += nodes.strong(text="Going further")
        note += nodes.Text(
            f" ({format_minutes(further.minutes)}): not needed for the first steps. In a hurry, or in a short "
            "workshop session, skip this section and come back to it later."
        )
        section.insert(section.index(title) + 1, note)


def setup_going_further(app: Sphinx) -> None:
    app.connect("doctree-read", _mark, priority=450)  # after the overview card is placed under the title
