"""Sphinx configuration of the project's own documentation (for maintainers, not learners).

Built by ``nox -s docs`` into ``_build/project-docs/html``. It uses the packaged configuration, so the
directives the maintainer guide shows render exactly as on a training site, and adds the benchmark
page's directive from ``docs/_tools``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_tools"))

from training.site.conf import *  # noqa: F403
from training.site.conf import exclude_patterns, extensions

project = "Hub Training"
html_title = "Hub Training documentation"
extensions = [*extensions, "bench_page"]
exclude_patterns = [*exclude_patterns, "_tools", "images/design/*.md"]
