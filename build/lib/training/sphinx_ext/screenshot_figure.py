"""``screenshot``: show a generated screenshot of the hub, never a picture of another hub.

Usage in ``modules/<id>/index.md``::

    ::::{screenshot} server-options
    :::{hub-options}
    :::
    ::::

The name must be photographed by a step of the module's ``walkthrough.py``, which also gives the
alt text and says whether the picture depends on the hub (``hub_dependent``). Which file is shown:

- demo hub: ``modules/<id>/images/<name>.png`` (committed; missing = build error);
- another hub: its generated ``.hub-training/<hub-id>/screenshots/<id>/<name>.png`` beside the hub
  file; when it has none yet, a hub-independent picture falls back to the demo one, and a
  hub-dependent one is replaced by the directive's body (e.g. the static ``hub-options`` figure).
  The build says once which command makes them.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from training.model.hub_profile import DEMO_HUB_FILE
from training.replay.walkthrough import Shot, load_file
from training.sphinx_ext.config import hub_file_from, hub_of
from training.sphinx_ext.warnings import TrainingWarning, warn

logger = logging.getLogger(__name__)


@cache
def module_shots(walkthrough_file: Path, modified: float) -> dict[str, Shot]:
    """Every screenshot a module's walkthrough takes, by name (cached per file version)."""
    return {shot.name: shot for walkthrough in load_file(walkthrough_file) for shot in walkthrough.shots()}


def screenshots_root(hub_file: str, hub_id: str) -> Path | None:
    """Where generated screenshots of a non-demo hub live; None for the demo hub."""
    if not hub_file or Path(hub_file).resolve() == DEMO_HUB_FILE.resolve():
        return None
    return Path(hub_file).resolve().parent / ".hub-training" / hub_id / "screenshots"


class Screenshot(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {"alt": directives.unchanged_required, "width": directives.length_or_percentage_or_unitless}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        parts = self.env.docname.split("/")
        modules_folder = self.env.config.training_modules_dir
        if len(parts) != 3 or parts[0] != modules_folder or parts[2] != "index":
            warn(
                "screenshot: only module pages (modules/<id>/index.md) can show screenshots",
                TrainingWarning.screenshot,
                self.get_location(),
            )
            return []
        module_id = parts[1]
        module_dir = Path(self.env.srcdir) / modules_folder / module_id
        walkthrough = module_dir / "walkthrough.py"
        if not walkthrough.is_file():
            warn(
                f"screenshot {name!r}: {walkthrough} does not exist; screenshots come from a walkthrough",
                TrainingWarning.screenshot,
                self.get_location(),
            )
            return []
        self.env.note_dependency(str(walkthrough))
        shot = module_shots(walkthrough, walkthrough.stat().st_mtime).get(name)
        if shot is None:
            warn(
                f"screenshot {name!r}: no step of {walkthrough.name} photographs it; add w.screenshot({name!r}, ...)",
                TrainingWarning.screenshot,
                self.get_location(),
            )
            return []
        alt = self.options.get("alt") or shot.alt
        if not alt.strip():
            warn(f"screenshot {name!r} has no alt text", TrainingWarning.screenshot, self.get_location())
            return []
        demo_image = module_dir / "images" / f"{name}.png"
        self.env.note_dependency(str(demo_image))  # re-read this page when the image appears or changes
        hub = hub_of(self.env)
        root = screenshots_root(hub_file_from(self.env.config), hub.id)
        if root is None:
            if not demo_image.is_file():
                warn(
                    f"screenshot {name!r}: {demo_image} is missing; run 'nox -s screenshots'",
                    TrainingWarning.screenshot,
                    self.get_location(),
                )
                return []
            return [self.figure(demo_image, alt)]
        generated = root / module_id / f"{name}.png"
        self.env.note_dependency(str(generated))
        if generated.is_file():
            return [self.figure(generated, alt)]
        app = self.env.app
        if not getattr(app, "training_told_no_screenshots", False):
            app.training_told_no_screenshots = True  # once per build, not once per page
            logger.info(
                f"[training] {hub.name} has no generated screenshots yet; hub-specific pictures are replaced "
                f"by static figures. Make them with: hub-training screenshots {hub_file_from(self.env.config)}",
                color="yellow",
            )
        if not shot.hub_dependent and demo_image.is_file():
            return [self.figure(demo_image, alt)]
        container = nodes.container(classes=["training-screenshot-fallback"])
        self.state.nested_parse(self.content, self.content_offset, container)
        return container.children

    def figure(self, image: Path, alt: str) -> nodes.figure:
        doc_dir = Path(self.env.doc2path(self.env.docname)).parent
        self.env.note_dependency(str(image))
        uri = os.path.relpath(image, doc_dir).replace(os.sep, "/")
        figure = nodes.figure(classes=["training-screenshot"])
        image_node = nodes.image(uri=uri, alt=alt, candidates={"*": uri})
        if "width" in self.options:
            image_node["width"] = self.options["width"]
        figure += image_node
        return figure


def setup_screenshot_figure(app: Sphinx) -> None:
    app.add_directive("screenshot", Screenshot)
