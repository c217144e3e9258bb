"""``hub-costs``: what an hour of each server costs on this hub, and where to see the hub's usage.

Figures come from the hub file (``cost`` on a profile or a choice, with its currency and the date it
was true) and are shown as given: the operators know their cloud bill, the site does not guess it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from training.model.hub_values import escape_markdown
from training.sphinx_ext.config import hub_of
from training.sphinx_ext.hub_options import cost_hints
from training.sphinx_ext.modules import GeneratedMarkdownDirective


def cost_lines(hub_profiles: list, dashboard: str | None) -> list[str]:  # type: ignore[type-arg]
    lines = []
    for profile in hub_profiles:
        hints = cost_hints(profile)
        if hints:
            text = "; ".join(h.removeprefix("Cost: ") for h in hints)
            lines.append(f"- **{escape_markdown(profile.display_name)}**: {escape_markdown(text)}")
    if dashboard:
        lines += ["", f"The hub's [usage dashboard]({dashboard}) shows how many servers run and what they use."]
    return lines


class HubCosts(GeneratedMarkdownDirective):
    def run(self) -> list[nodes.Node]:
        hub = hub_of(self.env)
        lines = cost_lines(hub.profile_list, hub.usage_dashboard)
        if not lines:
            return []
        box = nodes.container(classes=["training-hub-costs"])
        return [self.parse_markdown("\n".join(lines), box)]


def setup_hub_costs(app: Sphinx) -> None:
    app.add_directive("hub-costs", HubCosts)
