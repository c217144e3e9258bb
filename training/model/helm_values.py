"""Helm values files as ``helm upgrade -f a.yaml -f b.yaml`` reads them: later files win.

Mappings merge key by key; any other value (a list, a string, null) replaces the earlier one, as Helm's
``coalesce`` does for ``-f`` files. Pure functions, no YAML reading here: callers pass mappings.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any


def merge_values(layers: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One mapping from values files given in ``helm -f`` order (the last one wins)."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged = _merge(merged, layer)
    return merged


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def dig(data: Any, path: tuple[str, ...]) -> Any:
    """``data[path[0]][path[1]]...``, or None where a step is missing or not a mapping."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
