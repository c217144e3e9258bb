"""Content lint, Carpentries-style: build warnings with file:line, so ``-W`` keeps content honest.

- every image has alt text;
- one title per page, and headings do not skip levels (MyST reports skips itself as ``myst.header``);
- no hub value written literally in modules (use ``{{ hub.* }}``);
- product names spelled as the software shows them (JupyterHub, JupyterLab, GitHub, nbgitpuller);
- no heading without content a learner sees (instructor notes alone are hidden from learners);
- no heading repeated as the title of the box right under it;
- hub values that pages use as a name ("tell {{ hub.support.name }}") are names, not sentences.

Unknown directives are already errors (``myst.directive_unknown``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from training.model.hub_profile import HubProfile, load_hub_profile
from training.model.hub_values import line_contexts, split_line
from training.sphinx_ext.config import hub_of, per_build
from training.sphinx_ext.warnings import TrainingWarning, warn

#: Wrong spelling → the name as the software shows it.
SPELLINGS: dict[str, str] = {
    r"\bJupyter[ -]?hub\b|\bJupyter Hub\b|\bJupyterhub\b": "JupyterHub",
    r"\bJupyter[ -]?lab\b|\bJupyter Lab\b|\bJupyterlab\b": "JupyterLab",
    # Not inside an identifier such as the module id `git-and-github` (preceded by - _ / . @).
    r"\bGithub\b|(?<![-_/.@])\bgithub(?!\.com|\.io|-|_|/|\.)\b": "GitHub",
    r"\bNbgitpuller\b|\bNBGitPuller\b|\bnbGitPuller\b|\bNbGitPuller\b|\bnbGitpuller\b|\bnb-gitpuller\b": "nbgitpuller",
    r"\bRstudio\b|\bR[ -][Ss]tudio\b|\bRSTUDIO\b": "RStudio",
}
_SPELLING_PATTERNS = [(re.compile(pattern), right) for pattern, right in SPELLINGS.items()]


@dataclass(frozen=True)
class LintProblem:
    line: int
    message: str


def literal_values(hub: HubProfile) -> list[str]:
    """Hub values specific enough that writing them in content means hard-coding a hub."""
    candidates = [hub.host, hub.url, hub.name, hub.materials.repo, hub.support.email or "", hub.support.url or ""]
    for bucket in (hub.storage.scratch, hub.storage.persistent):
        if bucket:
            candidates.append(bucket.url.split("{", 1)[0].rstrip("/"))
    return sorted({c for c in candidates if len(c) >= 8}, key=len, reverse=True)


def lint_source(text: str, forbidden_values: list[str]) -> list[LintProblem]:
    """Problems in one Markdown source (before placeholders are replaced)."""
    if not _may_have_problems(text, forbidden_values):
        return []
    problems: list[LintProblem] = []
    contexts = line_contexts(text)
    for number, (line, context) in enumerate(zip(text.split("\n"), contexts, strict=True), start=1):
        for value in forbidden_values:
            if value in line:
                problems.append(
                    LintProblem(number, f"hub value {value!r} written literally; use a {{{{ hub.* }}}} placeholder")
                )
                break
        if context != "prose":
            continue
        prose = " ".join(seg.text for seg in split_line(line) if seg.context == "prose")
        prose = re.sub(r"\]\([^)]*\)|<[^>]+>|https?://\S+|\{\{[^}]*\}\}|\{[\w-]+\}`[^`]*`", " ", prose)
        for pattern, right in _SPELLING_PATTERNS:
            for match in pattern.finditer(prose):
                if match.group(0) != right:
                    problems.append(
                        LintProblem(number, f"write {right!r}, not {match.group(0)!r} (as the software shows it)")
                    )
    return problems


def _may_have_problems(text: str, forbidden_values: list[str]) -> bool:
    """One look at the whole text: most sources are clean, and then no line needs splitting into contexts."""
    if any(value in text for value in forbidden_values):
        return True
    return any(match.group(0) != right for pattern, right in _SPELLING_PATTERNS for match in pattern.finditer(text))


def _forbidden_values(app: Sphinx) -> list[str]:
    """This hub's values and the demo hub's, longest first: read once per build."""
    return sorted({*literal_values(hub_of(app)), *literal_values(load_hub_profile())}, key=len, reverse=True)


def _lint_module_source(app: Sphinx, docname: str, source: list[str]) -> None:
    if not docname.startswith(app.config.training_modules_dir + "/"):
        return
    forbidden = per_build(app, "lint-forbidden", app.config.training_hub_data, lambda _: _forbidden_values(app))
    for problem in lint_source(source[0], forbidden):
        warn(problem.message, TrainingWarning.content_lint, (docname, problem.line))


def _line_mentioning(app: Sphinx, docname: str, uri: str) -> int | None:
    """MyST images carry no line number: find the first source line naming the file."""
    name = uri.rsplit("/", 1)[-1]
    lines = app.env.doc2path(docname).read_text(encoding="utf-8").splitlines()
    return next((number for number, line in enumerate(lines, start=1) if name and name in line), None)


def _hidden_from_learners(node: nodes.Node) -> bool:
    """Nodes a learner does not see: comments, targets, instructor notes (only in the instructor view)."""
    from training.sphinx_ext.instructor import instructor_note

    if isinstance(node, nodes.comment | nodes.target | nodes.system_message | instructor_note):
        return True
    # An empty paragraph or container is not seen; other nodes (a table of contents, an image, a
    # form or a list filled in when the page is written) are.
    return (
        type(node) in {nodes.paragraph, nodes.container, nodes.compound}
        and not node.astext().strip()
        and not any(node.findall(lambda n: isinstance(n, nodes.image | addnodes.toctree | nodes.raw)))
    )


def _title_of(node: nodes.Node) -> str | None:
    """The visible title of a box (admonition, dropdown, topic), if it has one."""
    if isinstance(node, nodes.Element):
        title = next((c for c in node.children if isinstance(c, nodes.title | nodes.rubric)), None)
        if title is not None:
            return title.astext()
    return None


def heading_problems(doctree: nodes.Node) -> list[tuple[nodes.section, str]]:
    """Sections with nothing a learner sees under their heading, or whose first box repeats the heading."""
    problems: list[tuple[nodes.section, str]] = []
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        if title is None or title.parent is not section:
            continue
        body = [c for c in section.children if c is not title and not _hidden_from_learners(c)]
        if not body:
            problems.append((section, f"heading {title.astext()!r} has no content a learner sees; remove it"))
            continue
        first = body[0]
        if (
            not isinstance(first, nodes.section)
            and (_title_of(first) or "").strip().lower() == title.astext().strip().lower()
        ):
            problems.append(
                (
                    section,
                    f"heading {title.astext()!r} is repeated as the title of the box under it; "
                    "give the box another title or drop one of them",
                )
            )
    return problems


#: Words that start an instruction: a name field that starts with one holds a sentence.
_IMPERATIVES = {
    "ask",
    "contact",
    "email",
    "e-mail",
    "write",
    "send",
    "post",
    "talk",
    "use",
    "see",
    "go",
    "call",
    "mail",
    "please",
    "reach",
    "open",
    "visit",
    "message",
    "tell",
}

#: Hub values pages use as a name inside a sentence ("tell {name}", "ask {name}"), by dotted key.
NAME_VALUES = ("support.name", "feedback.name", "community", "name")


def sentence_problem(value: str) -> str | None:
    """Why a value meant as a name reads as a sentence, or None when it reads as a name."""
    words = value.split()
    if not words:
        return None
    if words[0].lower().strip(",:") in _IMPERATIVES:
        return f"starts with {words[0]!r}, an instruction"
    if value.rstrip().endswith((".", "!", "?")) and not value.rstrip().endswith("..."):
        return "ends like a sentence"
    return None


def hub_value_problems(hub: HubProfile) -> list[tuple[str, str]]:
    """(dotted key, message) for each name-like hub value that reads as a sentence."""
    from training.model.hub_values import lookup

    values = hub.values()
    problems = []
    for key in NAME_VALUES:
        try:
            value = lookup(values, key)
        except KeyError:
            continue
        if isinstance(value, str) and (reason := sentence_problem(value)):
            problems.append(
                (
                    key,
                    f"{key} {value!r} {reason}; pages put it inside sentences such as 'tell <{key}>', so write a "
                    "name, e.g. 'your instructor' or '#hub-help on Slack'",
                )
            )
    return problems


def _lint_hub_values(app: Sphinx, config: object) -> None:
    from training.site import DEMO_HUB_FILE
    from training.sphinx_ext.config import hub_file_from

    hub_file = Path(hub_file_from(app.config) or DEMO_HUB_FILE)
    lines = _hub_file_lines(hub_file)
    for key, message in hub_value_problems(hub_of(app)):
        warn(message, TrainingWarning.content_lint, f"{hub_file}:{lines.get(key, 1)}")


def _hub_file_lines(path: Path) -> dict[str, int]:
    import yaml

    from training.model.hub_profile import SAFE_LOADER
    from training.model.module_info import _key_lines

    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError):
        return {}
    return _key_lines(root, 1) if root is not None else {}


def _lint_doctree(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    for image in doctree.findall(nodes.image):
        if not (image.get("alt") or "").strip():
            warn(
                f"image {image.get('uri')} has no alt text",
                TrainingWarning.content_lint,
                (docname, image.line or _line_mentioning(app, docname, image.get("uri", ""))),
            )
    for section, message in heading_problems(doctree):
        warn(message, TrainingWarning.content_lint, (docname, section.line or _heading_line(app, docname, section)))
    top_sections = [s for s in doctree.children if isinstance(s, nodes.section)]
    if len(top_sections) > 1:
        warn(
            "more than one top-level heading; a page has one '#' title and '##' sections under it",
            TrainingWarning.content_lint,
            (docname, top_sections[1].line or 1),
        )


def _heading_line(app: Sphinx, docname: str, section: nodes.section) -> int | None:
    """Sections carry no line: find the heading's line in the source."""
    title = section.next_node(nodes.title)
    text = title.astext() if title is not None else ""
    lines = app.env.doc2path(docname).read_text(encoding="utf-8").splitlines()
    return next((n for n, line in enumerate(lines, start=1) if line.startswith("#") and text in line), None)


def setup_content_lint(app: Sphinx) -> None:
    app.connect("source-read", _lint_module_source, priority=300)  # before placeholders are replaced
    app.connect("config-inited", _lint_hub_values, priority=900)
    app.connect("doctree-read", _lint_doctree, priority=600)  # after the generated parts are placed
