"""Instructor view: notes for the people who teach a module, hidden from learners, collected on one page.

- ``instructor-note`` (MyST body, optional title argument) renders ``<div hidden>``: learners, their
  screen readers and their copy-paste skip it. ``instructor.js`` adds the "Instructor view" toggle to
  the page header, remembers the choice in localStorage and honours ``?view=instructor`` /
  ``?view=learner``, so a TA can share a link that opens in the instructor view.
- ``instructor-notes-index`` lists every note of the site, grouped by module, on one page.

The notes are collected with sphinx-exercise's registry pattern (fill on ``doctree-read``, purge on
``env-purge-doc``, merge on ``env-merge-info``) so incremental and parallel builds stay right; the
index is filled in a post-transform, when every document has been read.
"""

from __future__ import annotations

import pickle
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join
from sphinx.util.docutils import SphinxDirective

from training.sphinx_ext.assets import add_asset

DEFAULT_TITLE = "Instructor note"


class instructor_note(nodes.General, nodes.Element):
    """A note for instructors; ``collected`` is set on the copies shown on the index page."""


class instructor_notes_index(nodes.General, nodes.Element):
    """Placeholder for the list of all notes, replaced once all documents are read."""


def _visit_note(self: Any, node: instructor_note) -> None:
    attributes: dict[str, str] = {"role": "note", "aria-label": node["title"]}
    classes = ["admonition", "training-instructor-note"]
    if node.get("collected"):
        classes.append("training-instructor-note-collected")
    else:
        # The learner view is the default, also without JavaScript.
        attributes.update({"hidden": "hidden", "data-instructor-note": "true"})
    self.body.append(self.starttag(node, "div", "", CLASS=" ".join(classes), **attributes))
    self.body.append(f'<p class="admonition-title">{self.encode(node["title"])}</p>')


def _depart_note(self: Any, node: instructor_note) -> None:
    self.body.append("</div>\n")


def _skip(self: Any, node: nodes.Node) -> None:
    """Other builders (LaTeX, text, man) make learner material: no notes there."""
    raise nodes.SkipNode


def collected_copy(note: instructor_note, from_doc: str, to_doc: str) -> instructor_note:
    """A note of ``from_doc`` to show on ``to_doc`` (notes page, workshop guide): no ids, links re-aimed.

    The ids belong to the module page (repeated they would clash). Links resolve from ``to_doc``: a
    relative ``{doc}`` target is made absolute first, since it is read relative to the page that wrote it.
    """
    copy = note.deepcopy()
    copy["collected"] = True
    for element in copy.findall(nodes.Element):
        element["ids"] = []
    for xref in copy.findall(addnodes.pending_xref):
        if xref.get("refdomain") == "std" and xref.get("reftype") == "doc":
            xref["reftarget"] = "/" + docname_join(xref.get("refdoc", from_doc), xref["reftarget"])
        xref["refdoc"] = to_doc
    return copy


class InstructorNote(SphinxDirective):
    """``instructor-note``: MyST content shown only in the instructor view and on the notes page."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        title = f"{DEFAULT_TITLE}: {self.arguments[0]}" if self.arguments else DEFAULT_TITLE
        note = instructor_note(title=title)
        self.set_source_info(note)
        self.state.nested_parse(self.content, self.content_offset, note)
        return [note]


class InstructorNotesIndex(SphinxDirective):
    """``instructor-notes-index``: every instructor note of the site, grouped by module."""

    def run(self) -> list[nodes.Node]:
        return [instructor_notes_index(docname=self.env.docname)]


# --- the registry ---------------------------------------------------------------------------------


def _registry(env: BuildEnvironment) -> dict[str, bytes]:
    """docname → its notes (detached copies, in page order), pickled.

    It lives in the environment, which every build loads: kept as bytes, the notes cost nothing to
    load until a page that shows them is written.
    """
    if not hasattr(env, "training_instructor_notes"):
        env.training_instructor_notes = {}
    return env.training_instructor_notes


def notes_of(env: BuildEnvironment, docname: str) -> list[instructor_note]:
    """The instructor notes of ``docname``, as new nodes the caller may change."""
    blob = _registry(env).get(docname)
    return pickle.loads(blob) if blob else []


def _index_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, "training_instructor_index_pages"):
        env.training_instructor_index_pages = set()
    return env.training_instructor_index_pages


def _detached(note: instructor_note) -> instructor_note:
    """A copy of the note that does not point at its page's document.

    A docutils copy keeps a reference to the whole document, which would be pickled with the
    environment for every note and loaded again on every rebuild.
    """
    copy = note.deepcopy()
    for node in copy.findall():
        node.document = None
    return copy


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    notes = [_detached(note) for note in doctree.findall(instructor_note)]
    if notes:
        _registry(app.env)[docname] = pickle.dumps(notes)
    if any(True for _ in doctree.findall(instructor_notes_index)):
        _index_pages(app.env).add(docname)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _registry(env).pop(docname, None)
    _index_pages(env).discard(docname)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for docname, notes in _registry(other).items():
        if docname in docnames:
            _registry(env)[docname] = notes
    _index_pages(env).update(_index_pages(other) & docnames)


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """A removed page takes its notes with it: re-read the index pages."""
    return sorted(_index_pages(env) - removed) if removed else []


def notes_signature(env: BuildEnvironment, docname: str) -> tuple[str, bytes]:
    """What other pages show of ``docname``: its title and its instructor notes."""
    title = env.titles.get(docname)
    return (title.astext() if title is not None else "", _registry(env).get(docname, b""))


def _remember_before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    env.training_notes_before = {d: notes_signature(env, d) for d in docnames}  # type: ignore[attr-defined]


def _rewrite_index_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write the index pages again only when a page read in this build changed its title or its notes.

    The index is filled in when a page is written, so it never needs reading again; writing it
    copies every note of the site, which an edit that changes no note should not pay for.
    """
    before: dict[str, Any] = getattr(env, "training_notes_before", {})
    env.training_notes_before = {}  # type: ignore[attr-defined]
    if any(notes_signature(env, docname) != signature for docname, signature in before.items()):
        return sorted(_index_pages(env) - set(before))
    return []


# --- the index --------------------------------------------------------------------------------------


def reading_order(env: BuildEnvironment) -> list[str]:
    """Documents in the order of the table of contents (depth first from the root), then the rest."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(docname: str) -> None:
        if docname in seen:
            return
        seen.add(docname)
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(env.config.root_doc)
    return order + sorted(set(env.all_docs) - seen)


def group_of(docname: str, modules_dir: str, all_docs: Any) -> str:
    """The page a note is listed under: its module's ``<modules_dir>/<id>/index``, else its own page."""
    parts = docname.split("/")
    if len(parts) >= 3 and parts[0] == modules_dir.strip("/"):
        module_page = f"{parts[0]}/{parts[1]}/index"
        if module_page in all_docs:
            return module_page
    return docname


class FillNotesIndex(SphinxPostTransform):
    """Replace each ``instructor-notes-index`` placeholder, before references are resolved (priority 10)."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        for placeholder in list(self.document.findall(instructor_notes_index)):
            placeholder.replace_self(self._groups(placeholder["docname"]))

    def _title(self, docname: str) -> str:
        title = self.env.titles.get(docname)
        return title.astext() if title is not None else docname

    def _link(self, from_doc: str, to_doc: str, text: str) -> nodes.reference:
        uri = self.app.builder.get_relative_uri(from_doc, to_doc)
        return nodes.reference("", text, refuri=uri, internal=True)

    def _groups(self, index_doc: str) -> list[nodes.Node]:
        groups: dict[str, list[tuple[str, instructor_note]]] = {}
        for docname in reading_order(self.env):
            if docname == index_doc:
                continue
            for note in notes_of(self.env, docname):
                group = group_of(docname, self.config.training_modules_dir, self.env.all_docs)
                groups.setdefault(group, []).append((docname, note))
        if not groups:
            return [nodes.paragraph("", "No page has instructor notes yet.")]
        result: list[nodes.Node] = []
        for group, notes in groups.items():
            section = nodes.section(ids=[nodes.make_id(f"notes-{group}")], classes=["training-notes-group"])
            title = nodes.title()
            title += self._link(index_doc, group, self._title(group))
            section += title
            for docname, note in notes:
                copy = collected_copy(note, docname, index_doc)
                if docname != group:
                    source = nodes.paragraph("", "From ", classes=["training-note-source"])
                    source += self._link(index_doc, docname, self._title(docname))
                    section += source
                section += copy
            result.append(section)
        return result


def setup_instructor(app: Sphinx) -> None:
    app.add_node(
        instructor_note,
        html=(_visit_note, _depart_note),
        latex=(_skip, None),
        text=(_skip, None),
        man=(_skip, None),
        texinfo=(_skip, None),
    )
    app.add_node(instructor_notes_index)
    app.add_directive("instructor-note", InstructorNote)
    app.add_directive("instructor-notes-index", InstructorNotesIndex)
    app.add_post_transform(FillNotesIndex)
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-before-read-docs", _remember_before_read)
    app.connect("env-updated", _rewrite_index_pages)
    add_asset("instructor.css")
    add_asset("instructor.js")
