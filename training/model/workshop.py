"""Workshop files: one short YAML file a TA writes to run a workshop from the site.

Pure code only (no Sphinx), so the build, the CLI and the tests share it:

- :class:`Workshop` is the schema (strict, like the hub profile; the reference page is rendered from it);
- :func:`load_workshop` validates a file and reports problems in the hub file's one-line style;
- :func:`agenda_entries` and :func:`schedule` turn items into clock times (the Carpentries way: the
  schedule is computed from each module's teaching and exercise minutes, never typed by hand);
- :func:`check_workshop` finds what the TA should fix, each problem at its file and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from training.model.hub_profile import (
    SAFE_LOADER,
    SLUG_PATTERN,
    HubFileError,
    HubProfile,
    StrictModel,
    read_yaml_mapping,
    validation_problems,
)
from training.model.module_info import MODULE_ID_PATTERN, FurtherSection, ModuleInfo, Problem, _key_lines
from training.model.nbgitpuller import LINK_INTERFACES, LinkInterface, pull_all_url

ItemKind = Literal["module", "break", "free"]


class WorkshopFileError(HubFileError):
    """A workshop file is wrong; ``problems`` holds one ready-to-print line per problem.

    ``lines`` gives the file line of each problem, so the build can report them as located warnings.
    """

    def __init__(self, problems: list[str], lines: list[int] | None = None):
        super().__init__(problems)
        self.lines = lines or [1] * len(problems)


class WorkshopItem(StrictModel):
    """One line of the agenda: a module, a break, or a free item (a title and its minutes)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    module: str | None = Field(None, description="A module id; its time is the module's teaching + exercises.")
    break_: int | None = Field(None, alias="break", ge=1, description="A break of this many minutes.")
    title: str | None = Field(None, description="Title of a free item, or of a break (default 'Break').")
    minutes: int | None = Field(
        None, ge=1, description="Length of a free item; on a module, replaces the module's own time."
    )

    @field_validator("module")
    @classmethod
    def _module_id(cls, value: str | None) -> str | None:
        if value is not None and not re.match(MODULE_ID_PATTERN, value):
            raise ValueError(f"{value!r} is not a module id; expected the name of a folder in modules/")
        return value

    @field_validator("title")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and (not value or "\n" in value or "{{" in value):
            raise ValueError("expected one line of text without '{{'")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> WorkshopItem:
        if self.module is not None:
            if self.break_ is not None or self.title is not None:
                raise ValueError("a module item takes its title and time from the module; remove break/title")
        elif self.break_ is not None:
            if self.minutes is not None:
                raise ValueError("a break's minutes are its value (break: 10); remove minutes")
        elif self.title is None or self.minutes is None:
            raise ValueError("expected one of: 'module: <id>', 'break: <minutes>', or 'title' with 'minutes'")
        return self

    @property
    def kind(self) -> ItemKind:
        if self.module is not None:
            return "module"
        return "break" if self.break_ is not None else "free"


class Workshop(StrictModel):
    """A workshop: when it is, for which hub, and what it teaches in which order."""

    title: str = Field(min_length=1, max_length=200, description="Name of the workshop, shown on every page.")
    slug: str = Field(description="`[a-z0-9-]+`; names the pages and the output folder of a workshop-only build.")
    date: dt.date = Field(strict=False, description="Day of the workshop, YYYY-MM-DD (quoted or not).")
    start: str = Field(description='Start time, local, 24 h, quoted: `"09:30"`.')
    timezone: str = Field(description="IANA time zone of the start time, e.g. `America/New_York`.")
    hub: str | None = Field(
        None, description="Hub profile (path relative to this file); default: the hub the site is built for."
    )
    instructors: list[str] = Field(default_factory=list, description="Names of the instructors and helpers.")
    location: str | None = Field(None, max_length=200, description="Room or video-call name, shown to participants.")
    interface: LinkInterface | None = Field(
        None, description="Interface the materials link opens; default: the hub's first (JupyterLab if it has it)."
    )
    profiles: list[str] = Field(
        default_factory=list,
        description="Slugs of the Server Options profiles participants use; default: the hub's default profile.",
    )
    items: list[WorkshopItem] = Field(min_length=1, description="The agenda, in order.")

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not re.match(SLUG_PATTERN, value) or len(value) > 63:
            raise ValueError(f"{value!r} is not a valid slug; expected lowercase letters, digits and dashes")
        return value

    @field_validator("title", "location")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and ("\n" in value or "{{" in value):
            raise ValueError("expected one line of text without '{{'")
        return value

    @field_validator("instructors")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        if any(not name.strip() or "\n" in name or "{{" in name for name in value):
            raise ValueError("expected names, one line each")
        return [name.strip() for name in value]

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, value: object) -> object:
        if isinstance(value, int):
            # YAML 1.1 reads an unquoted 9:30 as the sexagesimal number 570.
            raise ValueError(f'{value!r} is a number; expected a quoted 24-hour time like "09:30"')
        if isinstance(value, str):
            match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value.strip())
            if not match:
                raise ValueError(f'{value!r} is not a time; expected a 24-hour time like "09:30"')
            return f"{int(match.group(1)):02d}:{match.group(2)}"
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a time zone; expected an IANA name like America/New_York or Europe/Berlin"
            ) from None
        return value

    @property
    def starts_at(self) -> dt.datetime:
        """The start as an aware datetime (so the time zone's abbreviation is right for the date)."""
        hour, minute = (int(part) for part in self.start.split(":"))
        return dt.datetime.combine(self.date, dt.time(hour, minute), tzinfo=ZoneInfo(self.timezone))

    def module_ids(self) -> list[str]:
        return [item.module for item in self.items if item.module is not None]


def line_of(lines: Mapping[str, int], key: str) -> int:
    """The line of ``items.2.module``, else of its nearest parent that is written in the file."""
    while key:
        if key in lines:
            return lines[key]
        key = key.rpartition(".")[0]
    return 1


@dataclass(frozen=True)
class LoadedWorkshop:
    """A validated workshop file, with where each key is written (for located warnings)."""

    workshop: Workshop
    path: Path
    lines: dict[str, int]  # dotted key path (``items.2.module``) -> 1-based line

    def line_of(self, key: str) -> int:
        return line_of(self.lines, key)

    def location(self, key: str) -> str:
        return f"{self.path}:{self.line_of(key)}"

    @property
    def hub_file(self) -> Path | None:
        """The ``hub:`` file, resolved against the folder the workshop file really is in (a staged
        site links to it)."""
        if not self.workshop.hub:
            return None
        path = Path(self.workshop.hub).expanduser()
        return path if path.is_absolute() else self.path.resolve().parent / path


def load_workshop(path: str | Path) -> LoadedWorkshop:
    """Read and validate a workshop file, or raise :class:`WorkshopFileError` (one line per problem)."""
    path = Path(path)
    try:
        data = read_yaml_mapping(path, "workshop file")
    except HubFileError as exc:
        raise WorkshopFileError(exc.problems) from None
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    lines = _key_lines(root, 1) if root is not None else {}
    try:
        workshop = Workshop.model_validate(data)
    except ValidationError as exc:
        located = [line_of(lines, ".".join(str(part) for part in error["loc"])) for error in exc.errors()]
        raise WorkshopFileError(validation_problems(path, exc, Workshop), located) from None
    return LoadedWorkshop(workshop, path, lines)


# --- the agenda ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda line, resolved against the site's modules (``module`` is None when it is missing)."""

    index: int  # position in ``items``
    kind: ItemKind
    title: str
    minutes: int
    module_id: str | None = None
    module: ModuleInfo | None = None


class HasMinutes(Protocol):
    @property
    def minutes(self) -> int: ...


E = TypeVar("E", bound=HasMinutes)


@dataclass(frozen=True)
class Slot(Generic[E]):
    """An entry with its clock times."""

    start: dt.datetime
    end: dt.datetime
    entry: E


def agenda_entries(workshop: Workshop, modules: Mapping[str, ModuleInfo]) -> list[AgendaEntry]:
    """The items with titles and minutes: a module's minutes are its teaching plus exercises."""
    entries: list[AgendaEntry] = []
    for index, item in enumerate(workshop.items):
        if item.module is not None:
            module = modules.get(item.module)
            minutes = item.minutes if item.minutes is not None else (module.minutes if module else 0)
            title = module.title if module else item.module
            entries.append(AgendaEntry(index, "module", title, minutes, item.module, module))
        elif item.break_ is not None:
            entries.append(AgendaEntry(index, "break", item.title or "Break", item.break_))
        else:
            entries.append(AgendaEntry(index, "free", item.title or "", item.minutes or 0))
    return entries


@dataclass(frozen=True)
class SlotPlan:
    """How a module fills its slot: teaching and exercise minutes that add up to the slot, what to skip.

    ``fits`` is False when even the module's core (without its "going further" sections) is longer
    than the slot: the minutes are then shared in the module's own proportion, and the build warns.
    """

    teaching: int
    exercises: int
    skip: tuple[FurtherSection, ...] = ()
    fits: bool = True

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises


def slot_plan(module: ModuleInfo, minutes: int) -> SlotPlan:
    """Fit a module into ``minutes``: skip "going further" sections, last first, until the rest fits.

    Spare minutes go to the exercises (more time to practise); the two always add up to the slot.
    """
    if minutes >= module.minutes:
        return SlotPlan(module.teaching, module.exercises + minutes - module.minutes)
    teaching, exercises = module.teaching, module.exercises
    skipped: list[FurtherSection] = []
    for further in reversed(module.further):
        if teaching + exercises <= minutes:
            break
        skipped.insert(0, further)
        teaching -= further.teaching
        exercises -= further.exercises
    if teaching + exercises <= minutes:
        return SlotPlan(teaching, exercises + minutes - teaching - exercises, tuple(skipped))
    share = round(minutes * teaching / (teaching + exercises)) if teaching + exercises else minutes
    return SlotPlan(share, minutes - share, tuple(skipped), fits=False)


def schedule(start: dt.datetime, entries: Sequence[E]) -> list[Slot[E]]:
    """Clock times: each entry starts when the one before it ends."""
    slots: list[Slot[E]] = []
    clock = start
    for entry in entries:
        end = clock + dt.timedelta(minutes=entry.minutes)
        slots.append(Slot(clock, end, entry))
        clock = end
    return slots


def total_minutes(entries: Sequence[HasMinutes]) -> int:
    return sum(entry.minutes for entry in entries)


def with_prerequisites(module_ids: Sequence[str], modules: Mapping[str, ModuleInfo]) -> set[str]:
    """The given modules and every module they need first (transitively), as far as ``modules`` has them."""
    found: set[str] = set()
    pending = [m for m in module_ids if m in modules]
    while pending:
        module_id = pending.pop()
        if module_id in found:
            continue
        found.add(module_id)
        pending.extend(p for p in modules[module_id].prerequisites if p in modules)
    return found


def _needs(module_id: str, modules: Mapping[str, ModuleInfo]) -> dict[str, list[str]]:
    """Every module ``module_id`` needs first, with the chain of prerequisites leading to it."""
    chains: dict[str, list[str]] = {}
    pending = [(p, [module_id, p]) for p in modules[module_id].prerequisites]
    while pending:
        current, chain = pending.pop(0)
        if current in chains or current == module_id or current not in modules:
            continue
        chains[current] = chain
        pending.extend((p, [*chain, p]) for p in modules[current].prerequisites)
    return chains


def default_interface(hub: HubProfile) -> LinkInterface:
    """The interface the materials link opens when the workshop does not say."""
    return next((i for i in LINK_INTERFACES if i in hub.interfaces), "lab")


def materials_link(workshop: Workshop, hub: HubProfile) -> str:
    """One link for everything: pulls the whole materials repository and opens its folder."""
    interface = workshop.interface or default_interface(hub)
    return pull_all_url(hub.url, hub.materials.repo, hub.materials.branch, interface)


def workshop_profiles(workshop: Workshop, hub: HubProfile) -> list[str]:
    """Slugs of the profiles to test before the day: the listed ones, else the hub's default."""
    slugs = [p.effective_slug for p in hub.profile_list]
    if workshop.profiles:
        return [s for s in workshop.profiles if s in slugs]
    default = next((p for p in hub.profile_list if p.default), hub.profile_list[0] if hub.profile_list else None)
    return [default.effective_slug] if default else []


def check_workshop(
    loaded: LoadedWorkshop,
    catalogue: Mapping[str, ModuleInfo],
    site_modules: Mapping[str, ModuleInfo],
    hub: HubProfile,
) -> list[Problem]:
    """What the TA should fix, each at its line: unknown or unavailable modules, no timing, bad order.

    ``catalogue`` holds every module in ``modules/``; ``site_modules`` those the hub can teach.
    """
    workshop, path = loaded.workshop, loaded.path
    problems: list[Problem] = []

    def add(key: str, message: str) -> None:
        problems.append(Problem(path, loaded.line_of(key), message))

    positions: dict[str, int] = {}
    for index, item in enumerate(workshop.items):
        if item.module is not None:
            positions.setdefault(item.module, index)
    for index, item in enumerate(workshop.items):
        module_id = item.module
        if module_id is None:
            continue
        key = f"items.{index}.module"
        module = catalogue.get(module_id)
        if module is None:
            close = difflib.get_close_matches(module_id, list(catalogue), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "expected the id of a module in modules/"
            add(key, f"unknown module {module_id!r}; {hint}")
            continue
        if module_id not in site_modules:
            lacking = ", ".join(sorted(set(module.requires) - hub.features)) or "a feature it requires"
            add(key, f"module {module_id!r} is not in the site for {hub.name}: the hub lacks {lacking}; remove it")
        if item.minutes is None and module.minutes == 0:
            add(
                key,
                f"module {module_id!r} has no timing (0 teaching and 0 exercise minutes); add 'minutes' to the item",
            )
        elif item.minutes is not None and not slot_plan(module, item.minutes).fits:
            skippable = ", ".join(repr(f.section) for f in module.further)
            add(
                f"items.{index}.minutes",
                f"module {module_id!r} does not fit in {item.minutes} minutes: its core takes "
                f"{module.core_minutes} ({module.core_teaching} teaching, {module.core_exercises} exercises)"
                + (f" even without {skippable}" if skippable else "")
                + f"; expected at least {module.core_minutes} minutes",
            )
        for needed, chain in _needs(module_id, catalogue).items():
            later = positions.get(needed)
            if later is not None and later > index:
                through = f" (through {' -> '.join(chain[1:-1])})" if len(chain) > 2 else ""
                add(
                    key,
                    f"module {module_id!r} comes before its prerequisite {needed!r}{through} "
                    f"(line {loaded.line_of(f'items.{later}.module')}); move it after",
                )
    slugs = {p.effective_slug for p in hub.profile_list}
    for index, slug in enumerate(workshop.profiles):
        if slug not in slugs:
            expected = ", ".join(sorted(slugs)) or "none: the hub has no Server Options"
            add(f"profiles.{index}", f"{hub.name} has no profile {slug!r}; expected one of: {expected}")
    if workshop.interface and workshop.interface not in hub.interfaces:
        add(
            "interface",
            f"{hub.name} does not offer {workshop.interface!r}; expected one of: {', '.join(hub.interfaces)}",
        )
    return problems


# --- how times read ------------------------------------------------------------------------------


def clock(moment: dt.datetime) -> str:
    return f"{moment:%H:%M}"


def long_date(day: dt.date) -> str:
    """``Tuesday 3 February 2026``: unambiguous in every country (unlike 3/2/2026)."""
    return f"{day:%A} {day.day} {day:%B %Y}"
