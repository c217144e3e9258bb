"""Problems are reported where their author edits them, not in the staged copy Sphinx reads.

``hub-training build`` copies a site's sources into ``_build/<hub-id>/source`` (see
:mod:`training.site.staging`). Sphinx names that copy in its warnings; this filter puts back the
path of the file the author keeps (a community's own module, an override, or the standard one).
"""

from __future__ import annotations

import logging
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util.logging import NAMESPACE, WarningStreamHandler

from training.site.staging import STAGED_LIST, origin_of


class OriginLocations(logging.Filter):
    """Rewrite ``<stage>/<file>:<line>`` in a record's location to ``<source file>:<line>``."""

    def __init__(self, stage: Path) -> None:
        super().__init__()
        self.prefix = f"{stage}/"

    def filter(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        if isinstance(location, str) and location.startswith(self.prefix):
            path, colon, line = location.partition(":")
            record.location = f"{origin_of(Path(path))}{colon}{line}"
        return True


def _install(app: Sphinx, config: object) -> None:
    stage = Path(app.srcdir)
    if not (stage / STAGED_LIST).is_file():
        return  # not a staged build: Sphinx's paths are the author's
    for handler in logging.getLogger(NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler):
            handler.addFilter(OriginLocations(stage))


def setup_locations(app: Sphinx) -> None:
    # Before anything reads the sources (module metadata is read on config-inited too).
    app.connect("config-inited", _install, priority=10)
