"""``qr-code``: a QR code of a link, drawn as inline SVG (segno), with the link printed under it.

Used on the workshop handout, so a participant with the paper copy opens the materials by pointing a
phone at it. The SVG is part of the page: nothing is loaded from another host.
"""

from __future__ import annotations

import html

import segno
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from training.sphinx_ext.warnings import TrainingWarning, warn


def qr_svg(url: str, label: str) -> str:
    """An accessible inline SVG of the QR code of ``url`` (error correction M: survives a crease)."""
    code = segno.make(url, error="m", micro=False)
    # A viewBox and no fixed size: the style sheets size it (on paper in mm), the code keeps its shape.
    svg = code.svg_inline(border=4, dark="#000", light="#fff", title=label, svgclass="training-qr-code", omitsize=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)


class QrCode(SphinxDirective):
    required_arguments = 1
    option_spec = {"label": directives.unchanged_required, "caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        url = self.arguments[0].strip()
        if not url.startswith(("https://", "http://")):
            warn(f"qr-code: {url!r} is not a web address", TrainingWarning.directive, self.get_location())
            return []
        label = self.options.get("label", "QR code of the link")
        caption = self.options.get("caption", "")
        markup = (
            '<figure class="training-qr">'
            + qr_svg(url, label)
            + (f"<figcaption>{html.escape(caption)}</figcaption>" if caption else "")
            + "</figure>"
        )
        return [nodes.raw("", markup, format="html")]


def setup_qr_code(app: Sphinx) -> None:
    app.add_directive("qr-code", QrCode)
