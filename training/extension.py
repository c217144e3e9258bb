"""Calls each component's setup, in order (sphinx-design's layout)."""

from __future__ import annotations

from sphinx.application import Sphinx

from training.assets import add_asset, setup_assets
from training.config import setup_config
from training.hub_options import setup_hub_options
from training.modules import setup_modules
from training.reference import setup_reference
from training.self_contained import setup_self_contained
from training.substitution import setup_substitution


def setup_extension(app: Sphinx) -> None:
    setup_config(app)
    setup_assets(app)
    add_asset("training.css")
    setup_substitution(app)
    setup_self_contained(app)
    setup_reference(app)
    setup_modules(app)
    setup_hub_options(app)
