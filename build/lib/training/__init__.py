"""Hub Training: a Sphinx extension that turns MyST modules plus one hub profile into a training site."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def setup(app: Any) -> dict[str, Any]:
    from training.sphinx_ext.extension import setup_extension

    setup_extension(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
