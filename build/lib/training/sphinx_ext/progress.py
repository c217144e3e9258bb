"""Learner progress: which modules are done, kept only in the learner's browser (no account, no server).

All behaviour is in ``progress.js``; it finds its places through markup that ``modules.py`` writes:

- ``<div class="training-progress-slot" data-module="ID">`` at the end of a module page becomes a
  "Mark this module as done" toggle button (``aria-pressed``) with a status line;
- ``<ol class="training-path">`` items (``data-module``, ``data-minutes``) on the Start-here page get a
  visible "Done" mark, ``<p class="training-path-summary" data-total-minutes="N">`` gets the time left,
  and a "Reset my progress" button (with a confirm step) follows the summary.

Storage: one localStorage key, ``hub-training:progress``, holding ``{"version": 1, "done": {ID: ISO date}}``.
``quiz.js`` marks a module done through ``window.hubTraining.progress`` once its quizzes are passed.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from training.sphinx_ext.assets import add_asset


def storage_key(hub_id: str) -> str:
    """The localStorage key progress.js uses on a hub's site (one per hub: sites may share an origin)."""
    return f"hub-training:{hub_id}:progress"


def _hub_meta(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """``<meta name="training-hub">``: progress.js keys the learner's progress by hub."""
    from html import escape

    from training.sphinx_ext.config import hub_of

    context["metatags"] = (
        context.get("metatags", "") + f'<meta name="training-hub" content="{escape(hub_of(app).id)}">\n'
    )


def setup_progress(app: Sphinx) -> None:
    app.connect("html-page-context", _hub_meta)
    add_asset("progress.css")
    # Before quiz.js: deferred scripts run in order, and quiz.js uses the progress API.
    add_asset("progress.js")
