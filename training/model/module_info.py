"""Module metadata: read from each module's front matter, validated, ordered into a learning path.

Pure functions only (no Sphinx): the build, the workshop tools and the materials writer share them.
Every problem carries the file and line of the field it is about.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from training.model.hub_profile import FEATURES, SAFE_LOADER, feature_names
from training.model.hub_values import line_contexts

MODULE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class FurtherSection(BaseModel):
    """A ``##`` section that is "going further": a shorter session skips it, the module still makes sense."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    section: str = Field(min_length=1, description="The section's heading, exactly as written after '## '.")
    teaching: int = Field(0, ge=0, description="Minutes of the module's teaching time the section takes.")
    exercises: int = Field(0, ge=0, description="Minutes of the module's exercise time the section takes.")

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises


class QuickStartPart(BaseModel):
    """The module's core steps, shown on the quick start page as one step of its path."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    title: str = Field(min_length=1, description="The step's name on the quick start page, e.g. 'Log in'.")
    sections: list[str] = Field(min_length=1, description="Headings of the '##' sections the step shows, in order.")
    minutes: int = Field(ge=1, description="Minutes the step takes (at most the module's own time).")


class ModuleInfo(BaseModel):
    """What a module declares about itself (front matter key ``module:``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    id: str = Field(pattern=MODULE_ID_PATTERN, description="Slug; must equal the module's folder name.")
    title: str = Field(min_length=1, description="Title, as in the page's heading.")
    summary: str = Field(min_length=1, description="One or two sentences: what you will be able to do.")
    audience: Literal["python", "r", "both"] = Field(description="Who the module is for.")
    teaching: int = Field(ge=0, description="Minutes of reading or teaching.")
    exercises: int = Field(ge=0, description="Minutes of hands-on exercises.")
    order: int = Field(100, description="Position in the self-paced path (smaller comes first).")
    prerequisites: list[str] = Field(default_factory=list, description="Ids of modules to take first.")
    questions: list[str] = Field(min_length=1, description="Questions the module answers.")
    objectives: list[str] = Field(min_length=1, description="What a learner can do afterwards.")
    keypoints: list[str] = Field(min_length=1, description="What to remember (shown at the end).")
    requires: list[str] = Field(default_factory=list, description="Hub features the module needs.")
    further: list[FurtherSection] = Field(
        default_factory=list, description="Sections a shorter session skips ('going further'), with their minutes."
    )
    quick_start: QuickStartPart | None = Field(None, description="The sections the quick start page shows.")

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises

    @property
    def core_teaching(self) -> int:
        """Teaching minutes without the "going further" sections."""
        return self.teaching - sum(f.teaching for f in self.further)

    @property
    def core_exercises(self) -> int:
        return self.exercises - sum(f.exercises for f in self.further)

    @property
    def core_minutes(self) -> int:
        return self.core_teaching + self.core_exercises

    @property
    def docname(self) -> str:
        return f"modules/{self.id}/index"


@dataclass(frozen=True)
class Problem:
    """One located problem in a module's metadata."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class Catalogue:
    """All modules found, and the problems found while reading them."""

    modules: dict[str, ModuleInfo] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    lines: dict[str, dict[str, int]] = field(default_factory=dict)  # module id -> key path -> line
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, module_id: str, key: str) -> int:
        return self.lines.get(module_id, {}).get(key, 1)


def _front_matter(text: str) -> tuple[str, int] | None:
    """The YAML front matter and the line (1-based) of its first line, or None."""
    if not text.startswith("---"):
        return None
    end = re.search(r"^---\s*$", text[3:], flags=re.M)
    if end is None:
        return None
    return text[3 : 3 + end.start()].lstrip("\n"), 2


def _key_lines(node: yaml.Node, offset: int, prefix: str = "") -> dict[str, int]:
    """Map dotted key paths (``module.prerequisites.1``) to 1-based file lines."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}{key_node.value}"
            lines[path] = key_node.start_mark.line + offset
            lines.update(_key_lines(value_node, offset, path + "."))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}{index}"
            lines[path] = item.start_mark.line + offset
            lines.update(_key_lines(item, offset, path + "."))
    return lines


def _pydantic_message(error: dict[str, Any]) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "missing":
        return f"module.{loc[0]} is missing; add it (see modules/_template/index.md)"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), list(ModuleInfo.model_fields), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(ModuleInfo.model_fields)}"
        return f"module.{loc[-1]} is not a module field; {hint}"
    if kind == "too_short":
        return f"module.{loc[0]} is empty; expected at least one entry"
    dotted = ".".join(str(p) for p in loc)
    return f"module.{dotted}: {error['msg']}"


@dataclass(frozen=True)
class ModuleFile:
    """What one ``index.md`` says on its own: its metadata (None when unreadable), key lines, problems."""

    path: Path
    info: ModuleInfo | None
    lines: dict[str, int]
    problems: tuple[Problem, ...]
    section_messages: tuple[tuple[str, str], ...]  # (message, key) from check_sections


#: The last reading of each module file, with the file's size and modification time.
_FILES: dict[Path, tuple[tuple[int, int], ModuleFile]] = {}


def module_file(path: Path) -> ModuleFile:
    """Read and validate one module file, again only when its size or modification time changed.

    A build asks for the catalogue several times, and the live server on every save, when
    usually one module of many changed.
    """
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _FILES.get(path)
    if cached is None or cached[0] != stamp:
        cached = _FILES[path] = (stamp, _parse_module_file(path))
    return cached[1]


def _parse_module_file(path: Path) -> ModuleFile:
    def failed(line: int, message: str, lines: dict[str, int] | None = None) -> ModuleFile:
        return ModuleFile(path, None, lines or {}, (Problem(path, line, message),), ())

    text = path.read_text(encoding="utf-8")
    found = _front_matter(text)
    if found is None:
        return failed(1, "no front matter; expected a '---' block with a 'module:' key")
    yaml_text, offset = found
    try:
        root = yaml.compose(yaml_text, Loader=SAFE_LOADER)
        data = yaml.load(yaml_text, Loader=SAFE_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + offset if mark else 1
        return failed(line, f"invalid YAML in front matter: {getattr(exc, 'problem', exc)}")
    lines = _key_lines(root, offset) if root is not None else {}
    module = data.get("module") if isinstance(data, dict) else None
    if not isinstance(module, dict):
        return failed(1, "front matter has no 'module:' mapping; expected module metadata")
    try:
        info = ModuleInfo.model_validate(module)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = "module." + ".".join(str(p) for p in error["loc"])
            line = lines.get(key) or lines.get(key.rsplit(".", 1)[0]) or lines.get("module", 1)
            problems.append(Problem(path, line, _pydantic_message(error)))
        return ModuleFile(path, None, lines, tuple(problems), ())
    return ModuleFile(path, info, lines, (), tuple(check_sections(info, text)))


def read_module(path: Path, catalogue: Catalogue) -> None:
    """Read one ``modules/<id>/index.md`` into the catalogue (or record its problems)."""
    found = module_file(path)
    catalogue.problems.extend(found.problems)
    info, lines = found.info, found.lines
    if info is None:
        return
    if info.id in catalogue.modules:
        first = catalogue.files[info.id]
        catalogue.problems.append(
            Problem(path, lines.get("module.id", 1), f"duplicate module id {info.id!r} (also {first})")
        )
        return
    if info.id != path.parent.name:
        catalogue.problems.append(
            Problem(
                path, lines.get("module.id", 1), f"module.id {info.id!r} differs from its folder {path.parent.name!r}"
            )
        )
        return
    catalogue.modules[info.id] = info
    catalogue.files[info.id] = path
    catalogue.lines[info.id] = {k.removeprefix("module."): v for k, v in lines.items()}
    for message, key in found.section_messages:
        catalogue.problems.append(Problem(path, catalogue.line_of(info.id, key), message))


def section_headings(text: str) -> dict[str, int]:
    """The ``##`` headings of a module outside code, each with its 1-based line."""
    headings: dict[str, int] = {}
    for number, (line, context) in enumerate(zip(text.split("\n"), line_contexts(text), strict=True), start=1):
        if context == "prose" and line.startswith("## "):
            headings.setdefault(line[3:].strip(), number)
    return headings


def check_sections(info: ModuleInfo, text: str) -> list[tuple[str, str]]:
    """(message, front matter key) for each "going further" or quick start section that does not add up."""
    headings = section_headings(text)
    problems: list[tuple[str, str]] = []

    def unknown(name: str, key: str) -> None:
        close = difflib.get_close_matches(name, list(headings), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "expected the text of a '## ' heading of the module"
        problems.append((f"{key.split('.')[0]}: no section {name!r} in the module; {hint}", key))

    for index, further in enumerate(info.further):
        if further.section not in headings:
            unknown(further.section, f"further.{index}.section")
        if further.minutes == 0:
            problems.append(
                (
                    f"further: section {further.section!r} has no minutes; give its teaching or exercises",
                    f"further.{index}",
                )
            )
    if info.core_teaching < 0 or info.core_exercises < 0:
        problems.append(
            (
                f"further: the sections take more than the module's {info.teaching} teaching and "
                f"{info.exercises} exercise minutes; expected at most those",
                "further",
            )
        )
    if info.quick_start:
        for index, name in enumerate(info.quick_start.sections):
            if name not in headings:
                unknown(name, f"quick_start.sections.{index}")
            if name in {f.section for f in info.further}:
                problems.append(
                    (f"quick_start: section {name!r} is marked 'going further'; expected a core section", "quick_start")
                )
        if info.quick_start.minutes > info.core_minutes:
            problems.append(
                (
                    f"quick_start.minutes is {info.quick_start.minutes}, more than the module's core "
                    f"{info.core_minutes} minutes; expected at most that",
                    "quick_start.minutes",
                )
            )
    return problems


def check_references(catalogue: Catalogue) -> None:
    """Unknown prerequisites, unknown features, cycles: each reported where it is written."""
    known_features = feature_names()
    for module in catalogue.modules.values():
        path = catalogue.files[module.id]
        for index, prerequisite in enumerate(module.prerequisites):
            if prerequisite not in catalogue.modules:
                close = difflib.get_close_matches(prerequisite, list(catalogue.modules), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "expected the id of a module in modules/"
                line = catalogue.line_of(module.id, f"prerequisites.{index}")
                catalogue.problems.append(Problem(path, line, f"unknown prerequisite {prerequisite!r}; {hint}"))
        for index, feature in enumerate(module.requires):
            if feature not in known_features:
                close = difflib.get_close_matches(feature, sorted(known_features), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(FEATURES)}"
                line = catalogue.line_of(module.id, f"requires.{index}")
                catalogue.problems.append(Problem(path, line, f"unknown hub feature {feature!r}; {hint}"))
    for cycle in find_cycles(
        {m.id: [p for p in m.prerequisites if p in catalogue.modules] for m in catalogue.modules.values()}
    ):
        first = cycle[0]
        catalogue.problems.append(
            Problem(
                catalogue.files[first],
                catalogue.line_of(first, "prerequisites"),
                "prerequisites form a cycle: " + " -> ".join([*cycle, first]),
            )
        )


def find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle once, as the list of its nodes starting from the smallest id."""
    cycles: set[tuple[str, ...]] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            cycle = trail[trail.index(node) :]
            start = cycle.index(min(cycle))
            cycles.add(tuple(cycle[start:] + cycle[:start]))
            return
        for nxt in graph.get(node, []):
            visit(nxt, [*trail, node])

    for node in sorted(graph):
        visit(node, [])
    return [list(c) for c in sorted(cycles)]


def read_catalogue(modules_dir: Path) -> Catalogue:
    """Every ``<modules_dir>/<id>/index.md`` (folders starting with ``_`` are templates)."""
    catalogue = Catalogue()
    if modules_dir.is_dir():
        for path in sorted(modules_dir.glob("*/index.md")):
            if not path.parent.name.startswith(("_", ".")):
                read_module(path, catalogue)
    check_references(catalogue)
    return catalogue


def available(catalogue: Catalogue, features: set[str]) -> dict[str, ModuleInfo]:
    """The modules a hub with ``features`` can teach (every ``requires`` present)."""
    return {mid: m for mid, m in catalogue.modules.items() if set(m.requires) <= features}


def learning_path(modules: dict[str, ModuleInfo], first: Sequence[str] = ()) -> list[ModuleInfo]:
    """Modules in path order: ``first`` (a site's own order) then by ``order`` and id, but never
    before one of their prerequisites."""
    rank = {module_id: index for index, module_id in enumerate(first)}
    remaining = sorted(modules.values(), key=lambda m: (rank.get(m.id, len(rank)), m.order, m.id))
    placed: list[ModuleInfo] = []
    done: set[str] = set()
    while remaining:
        for module in remaining:
            if all(p in done or p not in modules for p in module.prerequisites):
                placed.append(module)
                done.add(module.id)
                remaining.remove(module)
                break
        else:  # a cycle (already reported): keep the rest in order
            placed.extend(remaining)
            break
    return placed


def total_minutes(modules: list[ModuleInfo]) -> int:
    return sum(m.minutes for m in modules)


def format_minutes(minutes: int) -> str:
    """``95`` → ``1 h 35 min``: how people read durations."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"
