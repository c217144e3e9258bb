"""Calls each component's setup, in order (sphinx-design's layout)."""

from __future__ import annotations

from sphinx.application import Sphinx

from training.assets import add_asset, setup_assets
from training.bench_page import setup_bench_page
from training.config import setup_config
from training.content_lint import setup_content_lint
from training.hub_options import setup_hub_options
from training.instructor import setup_instructor
from training.modules import setup_modules
from training.open_in_hub import setup_open_in_hub
from training.progress import setup_progress
from training.quiz import setup_quiz
from training.reference import setup_reference
from training.screenshot_figure import setup_screenshot_figure
from training.self_contained import setup_self_contained
from training.substitution import setup_substitution
from training.theme_fixes import setup_theme_fixes
from training.workshops import setup_workshops


def setup_extension(app: Sphinx) -> None:
    setup_config(app)
    setup_assets(app)
    add_asset("training.css")
    setup_substitution(app)
    setup_self_contained(app)
    setup_reference(app)
    setup_modules(app)
    setup_content_lint(app)
    setup_theme_fixes(app)
    setup_screenshot_figure(app)
    setup_bench_page(app)
    setup_hub_options(app)
    setup_progress(app)
    setup_quiz(app)
    setup_instructor(app)
    setup_open_in_hub(app)
    setup_workshops(app)
