"""The extension's configuration: every value declared once (:data:`CONFIG_VALUES`), the ones a
maintainer sets checked on ``config-inited``, the hub profile validated there too.

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

from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.config import Config

from training.model.hub_profile import HubFileError, HubProfile, load_hub_profile

HUB_ENV_VAR = "HUB_TRAINING_HUB"


@dataclass(frozen=True)
class ConfigValue:
    """One configuration value of the extension: every one is declared here, once."""

    name: str
    default: Any
    rebuild: str
    help: str

    @property
    def set_by_extension(self) -> bool:
        """Derived data the extension writes on ``config-inited`` (validated by its own component)."""
        return self.help.startswith("Set by the extension")


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
    ConfigValue("training_site_file", "", "env", "Path of the site file (site.yaml); empty means none."),
    ConfigValue("training_site_data", {}, "env", "Set by the extension: the validated site file."),
    ConfigValue("training_modules_data", [], "env", "Set by the extension: the site's modules, in path order."),
    ConfigValue("training_workshops_dir", "workshops", "env", "Folder (under the source dir) of workshop files."),
    ConfigValue(
        "training_workshop_file",
        "",
        "env",
        "Build only this workshop: its pages, its modules and their prerequisites (``--workshop FILE``).",
    ),
    ConfigValue("training_workshop_pdf", True, "env", "Print each handout to PDF when Chromium is installed."),
    ConfigValue("training_workshops_data", [], "env", "Set by the extension: the validated workshops."),
    ConfigValue(
        "training_workshop_omitted", [], "env", "Set by the extension: modules a workshop-only build leaves out."
    ),
]


def config_problems(config: Config) -> list[str]:
    """Each value a maintainer set (``conf.py`` or ``-D``) of the wrong type, one line each."""
    problems = []
    for value in CONFIG_VALUES:
        if value.set_by_extension:
            continue
        given = getattr(config, value.name)
        expected = type(value.default)
        if not isinstance(given, expected):
            problems.append(
                f"conf.py: {value.name}: {given!r} is a {type(given).__name__}; expected a {expected.__name__} "
                f"({value.help})"
            )
    return problems


def exclude(config: Config, pattern: str) -> None:
    """Leave ``pattern`` out of the build, without changing the list ``conf.py`` gave.

    A staged ``conf.py`` imports its lists from the packaged configuration, so appending in place
    would grow that shared list on every rebuild in one process (the live server), and Sphinx would
    see a changed configuration and re-read every page.
    """
    if pattern not in config.exclude_patterns:
        config.exclude_patterns = [*config.exclude_patterns, pattern]


def hub_file_from(config: Config) -> str:
    return config.training_hub_file or os.environ.get(HUB_ENV_VAR, "")


def _load_config(app: Sphinx, config: Config) -> None:
    problems = config_problems(config)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        raise SystemExit(1)
    try:
        hub = load_hub_profile(hub_file_from(config) or None)
    except HubFileError as exc:
        # One line per problem and exit status 1, as the CLI does: Sphinx would wrap a ConfigError
        # raised here in a crash report, which hides the one thing the user must read.
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise SystemExit(1) from None
    config.training_hub_data = hub.model_dump(mode="json")
    _name_the_site(config, hub)
    if hub.example and config.html_theme in {"sphinx_book_theme", "pydata_sphinx_theme"}:
        options = dict(config.html_theme_options or {})
        options.setdefault(
            "announcement",
            "This site describes a fictional example hub. For a site about your own hub: "
            "pip install hub-training, then hub-training new my-training",
        )
        config.html_theme_options = options


def site_title(hub: HubProfile) -> str:
    """What the site calls itself: the hub's training, not the generator's name."""
    return f"{hub.name} training"


def _name_the_site(config: Config, hub: HubProfile) -> None:
    """Title every page after the hub, and show its community's logo when the hub file gives one.

    Sphinx writes ``html_title`` into pages as HTML, so a hub name with markup is escaped here.
    """
    config.html_title = str(escape(site_title(hub)))
    if hub.logo and config.html_theme in {"sphinx_book_theme", "pydata_sphinx_theme"}:
        config.html_logo = hub.logo  # Sphinx copies it into _static/
        options = dict(config.html_theme_options or {})
        # The title stays beside the logo; the logo is then decorative (empty alt text).
        options.setdefault("logo", {"text": config.html_title, "alt_text": ""})
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
    """The validated hub profile of this build (validated once per build).

    The data keeps the hub's own order of profile options and choices (KubeSpawner and the
    fancy-profiles form keep the YAML order, and the first choice is the default).
    """
    return per_build(app_or_env, "hub", app_or_env.config.training_hub_data, HubProfile.model_validate)


def modules_dir(app: Sphinx) -> Path:
    return Path(app.srcdir) / app.config.training_modules_dir


def setup_config(app: Sphinx) -> None:
    for value in CONFIG_VALUES:
        app.add_config_value(value.name, value.default, value.rebuild)
    app.connect("config-inited", _load_config, priority=100)
