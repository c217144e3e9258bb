"""Keep every page self-contained: nothing is loaded from another host (campus networks block CDNs).

Known traps: Sphinx's MathJax default, myst-nb's widget JS, Google Fonts added by
extensions. Any script or style sheet pointing elsewhere is removed from the page and reported.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

from training.sphinx_ext.warnings import TrainingWarning, warn


def is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def _asset_url(asset: Any) -> str:
    return str(getattr(asset, "filename", asset))


def _drop_external_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    for key in ("css_files", "script_files"):
        kept = []
        for asset in context.get(key, []):
            url = _asset_url(asset)
            if is_external(url):
                warn(
                    f"removed {url}: pages must not load anything from another host",
                    TrainingWarning.external_asset,
                    pagename,
                )
            else:
                kept.append(asset)
        if key in context:
            context[key] = kept


def _no_cdn_config(app: Sphinx, config: Any) -> None:
    # myst-nb would add require.js and the widget manager from CDNs to pages with widget state.
    if hasattr(config, "nb_ipywidgets_js"):
        config.nb_ipywidgets_js = {}


def setup_self_contained(app: Sphinx) -> None:
    app.connect("config-inited", _no_cdn_config)
    app.connect("html-page-context", _drop_external_assets, priority=900)


_ASSET_PATTERNS = [
    re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)", re.I),
    re.compile(r"<(?:img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)", re.I),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?((?:https?:)?//[^\"')\s;]+)", re.I),
    re.compile(r"url\(\s*[\"']?((?:https?:)?//[^\"')\s]+)", re.I),
]


def external_assets(text: str) -> list[str]:
    """URLs on another host that a browser would fetch on its own (scripts, styles, fonts, images).

    Plain ``<a href>`` links are not fetched, so they are allowed. Works on HTML and CSS.
    """
    return sorted({m.group(1) for pattern in _ASSET_PATTERNS for m in pattern.finditer(text)})
