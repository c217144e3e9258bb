"""The extension's configuration, declared once and validated on ``config-inited``.

Components read :func:`hub_of` (the validated hub profile), never raw ``app.config``.
"""

from __future__ import annotations

import os
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sphinx.application import Sphinx
from sphinx.config import Config

from training.model.hub_profile import HubFileError, HubProfile, load_hub_profile

HUB_ENV_VAR = "HUB_TRAINING_HUB"


@dataclass(frozen=True)
class ConfigValue:
    name: str
    default: Any
    rebuild: str
    help: str


CONFIG_VALUES = [
    ConfigValue(
        "training_hub_file",
        "",
        "env",
        f"Path of the hub profile YAML; empty means ${HUB_ENV_VAR} or the embedded demo hub.",
    ),
    ConfigValue("training_hub_data", {}, "env", "Set by the extension: the validated hub profile as JSON."),
    ConfigValue("training_modules_dir", "modules", "env", "Folder (under the source dir) holding the modules."),
    ConfigValue(
        "training_screenshots_dir",
        "",
        "env",
        "Folder of generated screenshots for this hub; empty means the committed demo ones (demo hub only).",
    ),
]


def hub_file_from(config: Config) -> str:
    return config.training_hub_file or os.environ.get(HUB_ENV_VAR, "")


def _load_config(app: Sphinx, config: Config) -> None:
    try:
        hub = load_hub_profile(hub_file_from(config) or None)
    except HubFileError as exc:
        # One line per problem and exit status 1, as the CLI does: Sphinx would wrap a ConfigError
        # raised here in a crash report, which hides the one thing the user must read.
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(1) from None
    config.training_hub_data = hub.model_dump(mode="json")
    if hub.example and config.html_theme in {"sphinx_book_theme", "pydata_sphinx_theme"}:
        options = dict(config.html_theme_options or {})
        options.setdefault(
            "announcement",
            "This site describes a fictional example hub. To make it describe your own hub, "
            "build it with your hub file: hub-training build my-hub.yaml",
        )
        config.html_theme_options = options


Source = TypeVar("Source")
Made = TypeVar("Made")

#: What a build computed once, by the build's configuration object (each build has a new one, so a
#: warm process such as the live server starts every build afresh).
_PER_BUILD: weakref.WeakKeyDictionary[Config, dict[str, tuple[Any, Any]]] = weakref.WeakKeyDictionary()


def per_build(app_or_env: Any, name: str, source: Source, make: Callable[[Source], Made]) -> Made:
    """``make(source)``, computed once per build and again only when ``source`` is another object.

    Pages, links and lookups read the same modules, materials and hub: indexing them once keeps the
    build linear in its pages. ``source`` is the configuration value the result is made from (the
    extension replaces a value, never mutates it, after ``config-inited``).
    """
    store = _PER_BUILD.setdefault(app_or_env.config, {})
    cached = store.get(name)
    if cached is None or cached[0] is not source:
        cached = store[name] = (source, make(source))
    return cached[1]


def hub_of(app_or_env: Any) -> HubProfile:
    """The validated hub profile of this build (validated once per build)."""
    return per_build(app_or_env, "hub", app_or_env.config.training_hub_data, HubProfile.model_validate)


def modules_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.training_modules_dir


def setup_config(app: Sphinx) -> None:
    for value in CONFIG_VALUES:
        app.add_config_value(value.name, value.default, value.rebuild)
    app.connect("config-inited", _load_config, priority=100)
