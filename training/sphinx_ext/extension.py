"""Calls each component's setup, in order (sphinx-design's layout)."""

from __future__ import annotations

from sphinx.application import Sphinx

from training.sphinx_ext.assets import add_asset, setup_assets
from training.sphinx_ext.config import setup_config
from training.sphinx_ext.content_lint import setup_content_lint
from training.sphinx_ext.environment_choices import setup_environment_choices
from training.sphinx_ext.front_door import setup_front_door
from training.sphinx_ext.going_further import setup_going_further
from training.sphinx_ext.hub_costs import setup_hub_costs
from training.sphinx_ext.hub_options import setup_hub_options
from training.sphinx_ext.instructor import setup_instructor
from training.sphinx_ext.locations import setup_locations
from training.sphinx_ext.modules import setup_modules
from training.sphinx_ext.navigation import setup_navigation
from training.sphinx_ext.open_in_hub import setup_open_in_hub
from training.sphinx_ext.progress import setup_progress
from training.sphinx_ext.qr_code import setup_qr_code
from training.sphinx_ext.quick_start import setup_quick_start
from training.sphinx_ext.quiz import setup_quiz
from training.sphinx_ext.reference import setup_reference
from training.sphinx_ext.screenshot_figure import setup_screenshot_figure
from training.sphinx_ext.self_contained import setup_self_contained
from training.sphinx_ext.site_file import setup_site_file
from training.sphinx_ext.substitution import setup_substitution
from training.sphinx_ext.template_cache import setup_template_cache
from training.sphinx_ext.theme_fixes import setup_theme_fixes
from training.sphinx_ext.video import setup_video_player
from training.sphinx_ext.workshops import setup_workshops


def setup_extension(app: Sphinx) -> None:
    setup_config(app)
    setup_locations(app)
    setup_site_file(app)
    setup_assets(app)
    setup_template_cache(app)
    add_asset("training.css")
    add_asset("print.css")  # a module printed from the browser: the article only, compact
    setup_substitution(app)
    setup_self_contained(app)
    setup_reference(app)
    setup_modules(app)
    setup_quick_start(app)
    setup_going_further(app)
    setup_environment_choices(app)
    setup_content_lint(app)
    setup_theme_fixes(app)
    setup_navigation(app)
    setup_screenshot_figure(app)
    setup_video_player(app)
    setup_hub_options(app)
    setup_hub_costs(app)
    setup_progress(app)
    setup_quiz(app)
    setup_instructor(app)
    setup_open_in_hub(app)
    setup_qr_code(app)
    setup_workshops(app)
    setup_front_door(app)
