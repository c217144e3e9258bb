"""Content lint, Carpentries-style: build warnings with file:line, so ``-W`` keeps content honest.

- every image has alt text;
- one title per page, and headings do not skip levels (MyST reports skips itself as ``myst.header``);
- no hub value written literally in modules (use ``{{ hub.* }}``);
- product names spelled as the software shows them (JupyterHub, JupyterLab, GitHub, nbgitpuller).

Unknown directives are already errors (``myst.directive_unknown``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes
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


def _lint_doctree(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    for image in doctree.findall(nodes.image):
        if not (image.get("alt") or "").strip():
            warn(
                f"image {image.get('uri')} has no alt text",
                TrainingWarning.content_lint,
                (docname, image.line or _line_mentioning(app, docname, image.get("uri", ""))),
            )
    top_sections = [s for s in doctree.children if isinstance(s, nodes.section)]
    if len(top_sections) > 1:
        warn(
            "more than one top-level heading; a page has one '#' title and '##' sections under it",
            TrainingWarning.content_lint,
            (docname, top_sections[1].line or 1),
        )


def setup_content_lint(app: Sphinx) -> None:
    app.connect("source-read", _lint_module_source, priority=300)  # before placeholders are replaced
    app.connect("doctree-read", _lint_doctree)
