"""The materials repository: what the "Open in hub" links pull into a learner's home folder.

Sources stay text in this repository (jupytext MyST, reviewable diffs); learners get plain
notebooks. The layout is one folder per module::

    modules/<id>/exercises/<name>.md   ->  <id>/<name>.ipynb   (hub values filled in, no outputs)
    modules/<id>/exercises/<other>     ->  <id>/<other>         (e.g. images a notebook shows)
    modules/<id>/data/<path>           ->  <id>/data/<path>

:func:`materials_files` is the single mapping: the site's ``open-in-hub`` links are checked against
it and :func:`write_materials` writes it, so a link can never point at a file the repository lacks.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from training.model.hub_profile import HubProfile
from training.model.hub_values import escape_markdown, substitute
from training.model.module_info import available, read_catalogue
from training.model.nbgitpuller import INTERFACE_NAMES, LINK_INTERFACES, clone_dir, nbgitpuller_url, pull_all_url

if TYPE_CHECKING:
    import nbformat

EXERCISES = "exercises"
DATA = "data"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
#: The generator commits as itself, so ``materials`` works on a machine without git configuration.
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Hub Training",
    "GIT_AUTHOR_EMAIL": "hub-training@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "Hub Training",
    "GIT_COMMITTER_EMAIL": "hub-training@users.noreply.github.com",
}


class MaterialsError(Exception):
    """The materials cannot be written. ``problems`` holds one ``file:line: message`` per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MaterialsFile:
    """One file of the materials repository and the source it is made from."""

    source: Path
    target: str  # POSIX path inside the materials repository
    module: str

    @property
    def notebook(self) -> bool:
        return self.target.endswith(".ipynb") and self.source.suffix == ".md"


def _shown(path: Path) -> str:
    """A path as people read it in an error: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _hidden(relative: PurePosixPath) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


def target_for(module_id: str, relative: PurePosixPath) -> str | None:
    """Where a file of a module folder (path relative to the folder) lands, or None if it is not material."""
    if len(relative.parts) < 2 or _hidden(relative):
        return None
    top, rest = relative.parts[0], PurePosixPath(*relative.parts[1:])
    if top == DATA:
        return f"{module_id}/{DATA}/{rest}"
    if top == EXERCISES:
        if rest.suffix == ".md":
            return f"{module_id}/{rest.with_suffix('.ipynb')}"
        return f"{module_id}/{rest}"
    return None


def module_folders(modules_dir: Path) -> list[Path]:
    """Module folders, sorted; ``_template`` and hidden folders are not modules."""
    if not modules_dir.is_dir():
        return []
    return sorted(p for p in modules_dir.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def excluded_modules(modules_dir: Path, features: Iterable[str]) -> set[str]:
    """Modules whose ``requires`` the hub lacks: left out of its site, so out of its materials too.

    A folder whose metadata cannot be read stays in (the site build reports it): better a notebook too
    many in the repository than a link to a missing one.
    """
    catalogue = read_catalogue(modules_dir)
    return set(catalogue.modules) - set(available(catalogue, set(features)))


def materials_files(modules_dir: Path, exclude: Iterable[str] = ()) -> list[MaterialsFile]:
    """Every file of the materials repository (README aside), sorted by target."""
    skip = set(exclude)
    files: dict[str, MaterialsFile] = {}
    problems: list[str] = []
    for folder in module_folders(modules_dir):
        if folder.name in skip:
            continue
        for source in sorted(folder.rglob("*")):
            if not source.is_file():
                continue
            relative = PurePosixPath(source.relative_to(folder).as_posix())
            target = target_for(folder.name, relative)
            if target is None:
                continue
            if relative.parts[0] == EXERCISES and source.suffix == ".ipynb":
                problems.append(
                    f"{_shown(source)}:1: exercises are kept as jupytext MyST text; "
                    f"convert it with `jupytext --to myst {source.name}` and delete the .ipynb"
                )
                continue
            if target in files:
                problems.append(
                    f"{_shown(source)}:1: becomes {target}, like {_shown(files[target].source)}; rename one"
                )
                continue
            files[target] = MaterialsFile(source, target, folder.name)
    if problems:
        raise MaterialsError(problems)
    return [files[t] for t in sorted(files)]


@dataclass(frozen=True)
class MaterialsIndex:
    """What a hub's materials hold: file targets with their sources, and every folder."""

    files: dict[str, Path]
    folders: frozenset[str]  # "a", "a/data", ...

    def has(self, target: str) -> bool:
        """Is ``target`` (a file, a folder with or without ``/``, or ``""`` for all) in the materials?"""
        stripped = target.strip("/")
        return not stripped or stripped in self.files or stripped in self.folders


def materials_index(modules_dir: Path, features: Iterable[str]) -> MaterialsIndex:
    """The materials of a hub with ``features``, for checking links (the build makes it once per build).

    Raises :class:`MaterialsError` when the materials cannot be written at all.
    """
    files = materials_files(modules_dir, excluded_modules(modules_dir, features))
    folders = {str(parent) for f in files for parent in PurePosixPath(f.target).parents if str(parent) != "."}
    return MaterialsIndex({f.target: f.source for f in files}, frozenset(folders))


def source_for(modules_dir: Path, target: str) -> Path | None:
    """The source a materials target would be made from (the inverse of :func:`target_for`), for messages."""
    parts = PurePosixPath(target.strip("/")).parts
    if len(parts) < 2:
        return None
    module, rest = parts[0], PurePosixPath(*parts[1:])
    if rest.parts[0] == DATA:
        return modules_dir / module / rest
    if rest.suffix == ".ipynb":
        return modules_dir / module / EXERCISES / rest.with_suffix(".md")
    return modules_dir / module / EXERCISES / rest


# --- writing -------------------------------------------------------------------------------------


#: Scripts beside the notebooks (RStudio users open these): hub values are filled in like in notebooks.
SCRIPT_SUFFIXES = {".R", ".r", ".py", ".sh", ".Rmd", ".qmd"}


def _filled_in(source: Path, values: dict[str, Any], *, code: bool = False) -> tuple[str, list[str]]:
    """A source's text with the hub values filled in, and one located line per unknown placeholder."""
    text, unknown = substitute(source.read_text(encoding="utf-8"), values, code=code)
    return text, [f"{_shown(source)}:{u.line}: {{{{ hub.{u.key} }}}} {u.reason}" for u in unknown]


def convert_notebook(source: Path, values: dict[str, Any], target: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """A jupytext MyST exercise as a notebook: hub values filled in, no outputs, stable cell ids."""
    text, problems = _filled_in(source, values)
    import jupytext  # imported here: nbformat's import costs about a second of every site build

    notebook = jupytext.reads(text, fmt="md:myst")
    if not notebook.metadata.get("kernelspec"):
        problems.append(f"{_shown(source)}:1: no kernelspec in the front matter; learners would be asked for a kernel")
    notebook.metadata.pop("jupytext", None)  # a plain notebook for learners, not a paired one
    for index, cell in enumerate(notebook.cells):
        # Stable ids: regenerating the materials does not change every cell (nbgitpuller merges less).
        cell["id"] = hashlib.sha1(f"{target}:{index}".encode()).hexdigest()[:12]
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return notebook, problems


def add_completion_check(
    notebook: nbformat.NotebookNode, hub: HubProfile, module_id: str, module_title: str, target: str
) -> None:
    """End an exercise notebook with the check that writes a completion stamp (report hubs only)."""
    import nbformat

    from training.model.completion import markdown_intro, python_check, r_check

    exercise = PurePosixPath(target).stem
    language = str(notebook.metadata.get("kernelspec", {}).get("language", "python")).lower()
    make = r_check if language == "r" else python_check
    cells = [
        nbformat.v4.new_markdown_cell(markdown_intro(module_title, module_id)),
        nbformat.v4.new_code_cell(make(module_id, module_title, exercise, hub)),
    ]
    for offset, cell in enumerate(cells):
        cell["id"] = hashlib.sha1(f"{target}:check:{offset}".encode()).hexdigest()[:12]
        notebook.cells.append(cell)


def _module_titles(modules_dir: Path) -> dict[str, str]:
    catalogue = read_catalogue(modules_dir)
    return {module_id: info.title for module_id, info in catalogue.modules.items()}


def _md(text: str) -> str:
    return escape_markdown(text)


def readme_text(hub: HubProfile, files: list[MaterialsFile]) -> str:
    """The README learners and maintainers see on the forge: what this is, how to open it, the licence."""
    repo, branch = hub.materials.repo, hub.materials.branch
    interfaces = [i for i in hub.interfaces if i in LINK_INTERFACES]
    folder = clone_dir(repo)
    lines = [
        f"# Training materials for {_md(hub.name)}",
        "",
        f"The exercise notebooks and data files of the training site for {_md(hub.name)} (<{hub.url}>).",
        "",
        "You do not need to clone or download this repository. The **Open in hub** buttons on the training site "
        f"pull it into the folder `{folder}` in your home folder on the hub (with nbgitpuller) and open the "
        "exercise. Opening a link again brings in updates and keeps your own changes.",
        "",
        "## Open everything on the hub",
        "",
    ]
    if interfaces:
        for interface in interfaces:
            url = pull_all_url(hub.url, repo, branch, interface)
            lines.append(f"- [Open the materials in {INTERFACE_NAMES[interface]} on {_md(hub.name)}](<{url}>)")
        if "rstudio" in interfaces:
            lines += ["", f"RStudio opens its Files pane: go to the folder `{folder}` and open the file from there."]
    else:
        lines.append("This hub offers no interface an nbgitpuller link can open; clone the repository instead.")
    notebooks = [f for f in files if f.notebook]
    file_interfaces = [i for i in interfaces if i != "rstudio"]
    if notebooks:
        lines += ["", "## Notebooks", ""]
        for module in sorted({f.module for f in notebooks}):
            lines.append(f"- `{module}/`")
            for item in (f for f in notebooks if f.module == module):
                links = ", ".join(
                    f"[{INTERFACE_NAMES[i]}](<{nbgitpuller_url(hub.url, repo, branch, item.target, i)}>)"
                    for i in file_interfaces
                )
                lines.append(f"  - `{item.target}`" + (f": open in {links}" if links else ""))
    if any(f"/{DATA}/" in f.target for f in files):
        lines += ["", "Data files are in each module's `data/` folder."]
    lines += [
        "",
        "## Licence",
        "",
        f"This content is licensed under the [Creative Commons Attribution 4.0 International licence (CC-BY-4.0)]"
        f"(<{LICENCE_URL}>). Copyright Hub Training contributors.",
        "",
        "## For maintainers",
        "",
        "This repository is generated by `hub-training materials` from the jupytext sources of the training "
        f"modules; edit those and regenerate instead of editing here. The links use the branch `{branch}`.",
        "",
    ]
    return "\n".join(lines)


def _git(args: list[str], cwd: Path) -> None:
    env = {**os.environ}
    for name, value in GIT_IDENTITY.items():
        env.setdefault(name, value)
    try:
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise MaterialsError(["git is not installed; install git and run the command again"]) from None
    except subprocess.CalledProcessError as exc:
        raise MaterialsError([f"git {' '.join(args)} failed: {(exc.stderr or exc.stdout).strip()}"]) from None


def check_branch(branch: str) -> None:
    """Refuse a branch name git would refuse, before anything is written."""
    result = subprocess.run(
        ["git", "check-ref-format", "--branch", branch], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise MaterialsError([f"materials.branch {branch!r} is not a valid git branch name"])


def write_materials(hub: HubProfile, modules_dir: Path, out: Path, left_out: Iterable[str] = ()) -> list[MaterialsFile]:
    """Write the materials for ``hub`` into ``out`` as a git repository with one commit, ready to push.

    Everything is converted and checked before ``out`` appears, so a problem leaves nothing behind.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise MaterialsError([f"{out} exists and is not empty; give a new or empty folder"])
    if shutil.which("git") is None:
        raise MaterialsError(["git is not installed; install git and run the command again"])
    check_branch(hub.materials.branch)
    files = materials_files(modules_dir, excluded_modules(modules_dir, hub.features) | set(left_out))
    import nbformat

    values = hub.values()
    notebooks: dict[str, nbformat.NotebookNode] = {}
    problems: list[str] = []
    scripts: dict[str, str] = {}
    titles = _module_titles(modules_dir) if hub.report.enabled else {}
    for item in files:
        if item.notebook:
            notebook, found = convert_notebook(item.source, values, item.target)
            problems += found
            if hub.report.enabled:
                add_completion_check(notebook, hub, item.module, titles.get(item.module, item.module), item.target)
            notebooks[item.target] = notebook
        elif item.source.suffix in SCRIPT_SUFFIXES:
            scripts[item.target], found = _filled_in(item.source, values, code=True)
            problems += found
            if hub.report.enabled and item.source.suffix in {".R", ".r"}:
                from training.model.completion import r_script_block

                title = titles.get(item.module, item.module)
                script = scripts[item.target].rstrip("\n") + "\n"
                scripts[item.target] = script + r_script_block(item.module, title, PurePosixPath(item.target).stem, hub)
    if problems:
        raise MaterialsError(problems)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for item in files:
            destination = staging / item.target
            destination.parent.mkdir(parents=True, exist_ok=True)
            if item.notebook:
                nbformat.validate(notebooks[item.target])
                nbformat.write(notebooks[item.target], destination, version=nbformat.NO_CONVERT)
            elif item.source.suffix in SCRIPT_SUFFIXES:
                destination.write_text(scripts[item.target], encoding="utf-8")
            else:
                shutil.copyfile(item.source, destination)
        (staging / "README.md").write_text(readme_text(hub, files), encoding="utf-8")
        _git(["init", "-q"], staging)
        _git(["symbolic-ref", "HEAD", f"refs/heads/{hub.materials.branch}"], staging)
        _git(["add", "--all"], staging)
        message = f"Training materials for {hub.name}"
        _git(["-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", message], staging)
        if out.exists():
            out.rmdir()  # checked empty above
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return files
