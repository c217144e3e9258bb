"""Compiled page templates kept in memory between builds of one process (the live server).

Each build makes a new Sphinx application, whose template environment would compile the theme's
templates again: a good part of a one-page rebuild. Jinja checks each cached template against a
checksum of its source, so a changed template is compiled afresh.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sphinx.application import Sphinx


class MemoryBytecodeCache(BytecodeCache):
    """Jinja's bytecode cache, in this process's memory."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = MemoryBytecodeCache()


def _use_cache(app: Sphinx) -> None:
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is not None and environment.bytecode_cache is None:
        environment.bytecode_cache = COMPILED_TEMPLATES


def setup_template_cache(app: Sphinx) -> None:
    app.connect("builder-inited", _use_cache)
