"""Our build warnings: typed (``type="training"``), one subtype per kind, always with a location.

The catalogue page in the maintainer guide is rendered from :class:`TrainingWarning`, so it cannot drift.
"""

from __future__ import annotations

from enum import Enum

from sphinx.util import logging

logger = logging.getLogger("training")


class TrainingWarning(Enum):
    """Kinds of problem the build reports. Suppress one with ``suppress_warnings = ["training.<kind>"]``."""

    hub_key = "A ``{{ hub.x }}`` placeholder names a key the hub profile does not have, or one that is not set."
    external_asset = "A page would load a script, style sheet or font from another host; it was removed."
    module_metadata = "A module's front matter is missing a field, has a wrong value, or an unknown key."
    prerequisite = "A module names a prerequisite that does not exist, or the prerequisites form a cycle."
    feature = "A module or ``only-if`` block names a hub feature that does not exist."
    materials = "An 'Open in hub' link points to a file that is not in the materials."
    directive = "A directive of ours got a wrong argument or option."
    screenshot = "A screenshot is missing or has no alt text."
    video = (
        "A module's walkthrough is filmed for the demo hub, but its video files are missing, or a caption file "
        "cannot be read."
    )
    content_lint = (
        "A content rule is broken: image without alt text, heading levels, literal hub values, UI labels, an empty "
        "heading, a heading repeated by its box, or a hub value that reads as a sentence where a name is expected."
    )
    benchmarks = "docs/benchmarks/results.json is not JSON or lacks a measurement the benchmark page shows."
    workshop = (
        "A workshop file lists modules out of order, a module the hub lacks, one without timing, a slot shorter "
        "than a module's core, or a profile or interface the hub does not have; or its handout does not print on "
        "one page."
    )

    @property
    def subtype(self) -> str:
        return self.name

    def describe(self) -> str:
        return str(self.value)


def warn(message: str, kind: TrainingWarning, location: tuple[str, int | None] | str | None) -> None:
    """Log a located warning; ``-W`` turns it into a build error."""
    # Sphinx appends "[training.<subtype>]" to the message itself.
    logger.warning(message, type="training", subtype=kind.subtype, location=location)
