"""Hub Training: a Sphinx extension that turns MyST modules plus one hub profile into a training site."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
#: The shape of what the extension keeps in Sphinx's environment. Raise it whenever that shape changes:
#: Sphinx then reads every page again instead of loading an environment an older version wrote.
ENVIRONMENT_VERSION = 2


def setup(app: Any) -> dict[str, Any]:
    from training.sphinx_ext.extension import setup_extension

    setup_extension(app)
    return {
        "version": __version__,
        "env_version": ENVIRONMENT_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
