"""``environment-choices``: what to select on the Server Options page for Python, R or RStudio.

Computed from the hub file by :mod:`training.model.environments`, so every page that says "choose
the image with R" names the real profile and choice of this hub. With arguments (``r rstudio``) it
names only those.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from training.model.environments import TARGET_NAMES, Target, choice_lines
from training.sphinx_ext.config import hub_of
from training.sphinx_ext.modules import GeneratedMarkdownDirective
from training.sphinx_ext.warnings import TrainingWarning, warn


class EnvironmentChoices(GeneratedMarkdownDirective):
    optional_arguments = 3

    def run(self) -> list[nodes.Node]:
        targets: list[Target] = []
        for word in self.arguments:
            if word not in TARGET_NAMES:
                warn(
                    f"environment-choices: {word!r} is not one of {', '.join(TARGET_NAMES)}",
                    TrainingWarning.directive,
                    self.get_location(),
                )
                return []
            targets.append(word)  # type: ignore[arg-type]
        lines = choice_lines(hub_of(self.env), targets or None)
        box = nodes.container(classes=["training-environment-choices"])
        return [self.parse_markdown("\n".join(lines), box)] if lines else []


def setup_environment_choices(app: Sphinx) -> None:
    app.add_directive("environment-choices", EnvironmentChoices)
