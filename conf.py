"""Sphinx configuration for a folder that ``hub-training build`` staged (what ``nox -s docs`` runs).

There is one configuration, the packaged one; a staged site's ``conf.py`` is this file. Maintainers
build the demo site with ``nox -s docs`` (or ``hub-training build``), which stages the packaged
pages and this checkout's ``modules/`` into ``_build/<hub-id>/source`` and builds from there.
"""

from training.site.conf import *  # noqa: F403
