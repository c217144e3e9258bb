"""The site file: what a community says about its own training site, beside its hub file.

A site repository (``hub-training new``) holds ``site.yaml``, the hub file, ``modules/`` (the
community's own modules), ``overrides/`` (replacements for standard modules or single pages) and
``pages/`` (extra pages such as "Our data catalogue"). The standard curriculum comes from the
installed engine, so a new release reaches the site without a merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator

from training.model.hub_profile import (
    SAFE_LOADER,
    SLUG_PATTERN,
    HubFileError,
    StrictModel,
    read_yaml_mapping,
    validation_problems,
)
from training.model.module_info import _key_lines
from training.model.workshop import line_of

SITE_FILE_NAME = "site.yaml"
COLOUR_PATTERN = r"^#[0-9a-fA-F]{6}$"
#: The languages the standard curriculum is written in.
SITE_LANGUAGES = ("en",)


class SiteFileError(HubFileError):
    """A site file (or a folder it names) is wrong; one ready-to-print line per problem."""


class Colours(StrictModel):
    primary: str = Field(description="Links, buttons and the current page in the menu: ``#rrggbb``.")
    secondary: str | None = Field(None, description="Accents (hover, focus): ``#rrggbb``; default: the primary colour.")

    @field_validator("primary", "secondary")
    @classmethod
    def _hex(cls, value: str | None) -> str | None:
        if value is not None and not re.match(COLOUR_PATTERN, value):
            raise ValueError(f"{value!r} is not a colour; expected #rrggbb, e.g. #0b5394")
        return value


class SiteFile(StrictModel):
    """``site.yaml``: every key is optional but ``hub``."""

    hub: str = Field(description="The hub file, relative to the site file (``hub.yaml``).")
    title: str | None = Field(None, description="The site's title; default: '<hub name> training'.")
    logo: str | None = Field(None, description="The community's logo (PNG, SVG or JPEG), relative to the site file.")
    colours: Colours | None = Field(None, description="The community's colours.")
    leave_out: list[str] = Field(
        default_factory=list, description="Ids of standard modules this site leaves out (``scaling-with-dask``)."
    )
    start_here: list[str] = Field(
        default_factory=list,
        description="The order of the Start-here path, as module ids; default: the modules' own order.",
    )
    pages: list[str] = Field(
        default_factory=list,
        description="Extra pages from ``pages/``, by file name without ``.md`` (``our-data-catalogue``), in menu order.",
    )
    language: Literal[SITE_LANGUAGES] = Field(  # type: ignore[valid-type]
        "en", description="The language the site is written in (the standard curriculum is in English)."
    )

    @field_validator("leave_out", "start_here", "pages")
    @classmethod
    def _slugs(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(SLUG_PATTERN, value):
                raise ValueError(f"{value!r} is not an id; expected lower-case words joined by '-'")
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise ValueError(f"{', '.join(duplicates)} listed twice; expected each once")
        return values


@dataclass(frozen=True)
class LoadedSite:
    """A validated site file, its folder, and where each key is written."""

    site: SiteFile
    path: Path
    lines: dict[str, int]

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def hub_file(self) -> Path:
        return self.root / self.site.hub

    @property
    def modules_dir(self) -> Path:
        return self.root / "modules"

    @property
    def overrides_dir(self) -> Path:
        return self.root / "overrides"

    @property
    def pages_dir(self) -> Path:
        return self.root / "pages"

    @property
    def workshops_dir(self) -> Path:
        return self.root / "workshops"

    def location(self, key: str) -> str:
        return f"{self.path}:{line_of(self.lines, key)}"


def load_site_file(path: str | Path) -> LoadedSite:
    """Read and validate a site file, or raise :class:`SiteFileError` (one line per problem)."""
    path = Path(path)
    try:
        data = read_yaml_mapping(path, "site file")
    except HubFileError as exc:
        raise SiteFileError(exc.problems) from None
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    lines = _key_lines(root, 1) if root is not None else {}
    try:
        site = SiteFile.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(path, exc, SiteFile)
        raise SiteFileError([_with_line(problem, path, lines) for problem in problems]) from None
    loaded = LoadedSite(site, path, lines)
    problems = []
    if not loaded.hub_file.is_file():
        problems.append(f"{loaded.location('hub')}: hub: {loaded.hub_file} does not exist; expected a hub file")
    if site.logo and not (loaded.root / site.logo).is_file():
        problems.append(f"{loaded.location('logo')}: logo: {loaded.root / site.logo} does not exist; expected an image")
    for index, page in enumerate(site.pages):
        if not (loaded.pages_dir / f"{page}.md").is_file():
            problems.append(
                f"{loaded.location(f'pages.{index}')}: pages: {loaded.pages_dir / (page + '.md')} does not exist; "
                "expected a Markdown page in pages/"
            )
    if problems:
        raise SiteFileError(problems)
    return loaded


def _with_line(problem: str, path: Path, lines: dict[str, int]) -> str:
    """``<file>: <key>: ...`` becomes ``<file>:<line>: <key>: ...``, the way editors jump to it."""
    prefix = f"{path}: "
    if not problem.startswith(prefix):
        return problem
    key = problem[len(prefix) :].split(":", 1)[0]
    return f"{path}:{line_of(lines, key)}: {problem[len(prefix) :]}"


def find_site_file(start: Path) -> Path | None:
    """``site.yaml`` in ``start`` (a folder, or a hub file's folder), if there is one."""
    folder = start if start.is_dir() else start.parent
    candidate = folder / SITE_FILE_NAME
    return candidate if candidate.is_file() else None
