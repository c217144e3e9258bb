"""Self-check quizzes: one ``quiz`` directive per question, checked in the browser, nothing sent anywhere.

Authoring syntax (the question, then a task list of options; the lines under an option are its feedback)::

    :::{quiz}
    :type: multiple

    Which of these survive when your server stops?

    - [x] Files in your home folder
      The home folder is a disk that stays when the server stops.
    - [ ] Variables in a running notebook
      They live in the kernel's memory, which stops with the server.
    :::

- ``:type:`` is ``single`` (the default: radio buttons, exactly one ``[x]``) or ``multiple``
  (checkboxes, one or more ``[x]``: the learner must tick exactly those).
- The first paragraph is the question (the fieldset's ``<legend>``); blocks between it and the options
  (a code cell, say) are shown with the question.
- An option's feedback is whatever follows its first line: more lines, or indented paragraphs.

Why this shape: the options read as a checklist in the Markdown source and on GitHub, the answers are
plain ``[x]`` marks (this is self-check, not grading), and JavaScript is an enhancement. Without it
the question and options stay readable and the answers with their feedback sit in a collapsed
``<details>`` block; with it a "Check answer" button gives feedback in an ``aria-live`` region and,
once every quiz on a module page is passed, marks the module done (``quiz.js`` + ``progress.js``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from training.sphinx_ext.assets import add_asset
from training.sphinx_ext.warnings import TrainingWarning, warn

QUIZ_TYPES = ("single", "multiple")
_MARKS = {"[x]": True, "[X]": True, "[ ]": False}


class quiz_element(nodes.General, nodes.Element):
    """One HTML element with attributes: docutils has no fieldset, legend, input, button or details."""


_VOID_TAGS = {"input"}


def _visit_quiz_element(self: Any, node: quiz_element) -> None:
    tag = node["tag"]
    self.body.append(self.starttag(node, tag, "", empty=tag in _VOID_TAGS, **node["attributes"]))
    if node.get("text"):
        self.body.append(self.encode(node["text"]))


def _depart_quiz_element(self: Any, node: quiz_element) -> None:
    if node["tag"] not in _VOID_TAGS:
        self.body.append(f"</{node['tag']}>")


def _visit_text_only(self: Any, node: quiz_element) -> None:
    """Non-HTML builders: keep the readable parts (question, options, answers), drop the controls."""
    if node["tag"] in ("input", "button") or "training-quiz-feedback" in node["classes"]:
        raise nodes.SkipNode


def _depart_text_only(self: Any, node: quiz_element) -> None:
    pass


def element(tag: str, classes: list[str] | None = None, text: str = "", **attributes: str) -> quiz_element:
    """``<tag class=... data-...>``; ``attributes`` use ``_`` for ``-`` (``aria_live`` → ``aria-live``)."""
    ids = [attributes.pop("id")] if "id" in attributes else []
    return quiz_element(
        tag=tag,
        ids=ids,
        classes=classes or [],
        text=text,
        attributes={name.replace("_", "-"): value for name, value in attributes.items()},
    )


@dataclass
class Option:
    """One answer: its inline content (the label), whether it is right, and its feedback blocks."""

    label: list[nodes.Node]
    correct: bool
    feedback: list[nodes.Node] = field(default_factory=list)
    line: int | None = None


class QuizSyntaxError(Exception):
    """A quiz that cannot be shown as written; carries the source line of the culprit."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def _strip_mark(paragraph: nodes.paragraph) -> bool | None:
    """Remove the leading ``[x]``/``[ ]`` (plain text or MyST's tasklist checkbox); None if there is none."""
    first = paragraph.children[0] if paragraph.children else None
    if isinstance(first, nodes.raw) and "task-list-item-checkbox" in first.astext():
        paragraph.remove(first)
        _lstrip(paragraph)
        return 'checked="checked"' in first.astext()
    if isinstance(first, nodes.Text):
        text = str(first)
        for mark, correct in _MARKS.items():
            if text.startswith(mark) and (len(text) == len(mark) or text[len(mark)].isspace()):
                paragraph.replace(first, nodes.Text(text[len(mark) :]))
                _lstrip(paragraph)
                return correct
    return None


def _lstrip(paragraph: nodes.paragraph) -> None:
    if paragraph.children and isinstance(paragraph.children[0], nodes.Text):
        rest = str(paragraph.children[0]).lstrip()
        if rest:
            paragraph.replace(paragraph.children[0], nodes.Text(rest))
        else:
            paragraph.remove(paragraph.children[0])


def _split_first_line(paragraph: nodes.paragraph) -> tuple[list[nodes.Node], list[nodes.Node]]:
    """The inline nodes up to the first soft line break, and those after it (the feedback)."""
    children = list(paragraph.children)
    for index, child in enumerate(children):
        if isinstance(child, nodes.Text) and "\n" in str(child):
            before, after = str(child).split("\n", 1)
            head = [*children[:index], *([nodes.Text(before)] if before.strip() else [])]
            tail = [*([nodes.Text(after)] if after.strip() else []), *children[index + 1 :]]
            return head, tail
    return children, []


def parse_options(options_list: nodes.bullet_list) -> list[Option]:
    options = []
    for item in options_list.children:
        first = item.children[0] if item.children else None
        correct = _strip_mark(first) if isinstance(first, nodes.paragraph) else None
        if correct is None or not isinstance(first, nodes.paragraph):
            raise QuizSyntaxError("each option must start with '[x] ' (right) or '[ ] ' (wrong)", item.line)
        label, rest = _split_first_line(first)
        if not label:
            raise QuizSyntaxError("an option has no text after its '[x]' or '[ ]'", item.line)
        feedback: list[nodes.Node] = []
        if rest:
            feedback.append(nodes.paragraph("", "", *rest))
        feedback += item.children[1:]
        options.append(Option(label=label, correct=correct, feedback=feedback, line=item.line))
    return options


def check_quiz(quiz_type: str, options: list[Option], line: int | None) -> None:
    """The rules an author can break; each one is a located build warning."""
    if len(options) < 2:
        raise QuizSyntaxError("a quiz needs at least two options", line)
    right = [o for o in options if o.correct]
    if not right:
        raise QuizSyntaxError("no option is marked right: mark it '[x]'", line)
    if quiz_type == "single" and len(right) > 1:
        raise QuizSyntaxError(
            f"{len(right)} options are marked right in a single-choice quiz: keep one '[x]', or add ':type: multiple'",
            right[1].line or line,
        )


class Quiz(SphinxDirective):
    """``quiz``: one question with single- or multiple-choice options and feedback per option."""

    has_content = True
    option_spec = {"type": str}

    def run(self) -> list[nodes.Node]:
        parsed = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, parsed)
        try:
            return [self._render(parsed)]
        except QuizSyntaxError as problem:
            warn(f"quiz: {problem}", TrainingWarning.directive, (self.env.docname, problem.line or self.lineno))
            return parsed.children

    def _render(self, parsed: nodes.container) -> quiz_element:
        quiz_type = self.options.get("type", "single").strip()
        if quiz_type not in QUIZ_TYPES:
            raise QuizSyntaxError(f"':type: {quiz_type}' is not one of {', '.join(QUIZ_TYPES)}", self.lineno)
        lists = [i for i, child in enumerate(parsed.children) if isinstance(child, nodes.bullet_list)]
        if not lists:
            raise QuizSyntaxError("no options: list them as '- [x] right' and '- [ ] wrong'", self.lineno)
        at = lists[0]
        question, options_list, after = parsed.children[:at], parsed.children[at], parsed.children[at + 1 :]
        if after:
            raise QuizSyntaxError("only the question may come before the options, nothing after them", after[0].line)
        if not question or not isinstance(question[0], nodes.paragraph):
            raise QuizSyntaxError("the quiz must start with its question, as a paragraph", self.lineno)
        options = parse_options(options_list)
        check_quiz(quiz_type, options, self.lineno)
        return self._html(quiz_type, question, options)

    def _html(self, quiz_type: str, question: list[nodes.Node], options: list[Option]) -> quiz_element:
        quiz_id = f"training-quiz-{self.env.new_serialno('training-quiz') + 1}"
        data = {"data_quiz_type": quiz_type}
        module = _module_id(self.env.docname, self.config.training_modules_dir)
        if module:
            data["data_module"] = module
        quiz = element("div", ["training-quiz"], id=quiz_id, **data)

        fieldset = element("fieldset", ["training-quiz-fieldset"])
        legend = element("legend", ["training-quiz-question"])
        legend.extend(question[0].children)
        hint = " Choose all that apply." if quiz_type == "multiple" else " Choose one."
        legend += element("span", ["training-quiz-hint"], text=hint)
        fieldset += legend
        if question[1:]:
            context = element("div", ["training-quiz-context"])
            context.extend(question[1:])
            fieldset += context
        choices = element("div", ["training-quiz-options"])
        input_type = "checkbox" if quiz_type == "multiple" else "radio"
        for number, option in enumerate(options, start=1):
            option_id = f"{quiz_id}-{number}"
            row = element("div", ["training-quiz-option"])
            row += element("input", type=input_type, id=option_id, name=quiz_id, value=str(number))
            label = element("label", **{"for": option_id})
            label.extend(node.deepcopy() for node in option.label)
            row += label
            choices += row
        fieldset += choices
        quiz += fieldset

        # Shown by quiz.js: a button that does nothing without JavaScript would only confuse.
        controls = element("div", ["training-quiz-controls"])
        controls += element(
            "button", ["training-button", "training-quiz-check"], "Check answer", type="button", hidden="hidden"
        )
        quiz += controls
        # In the page from the start (empty) so that screen readers announce what quiz.js writes into it.
        quiz += element("div", ["training-quiz-feedback"], aria_live="polite")

        answers = element("details", ["training-quiz-answers"])
        answers += element("summary", text="Show the answer and the feedback for each option")
        answer_list = element("ul", ["training-quiz-answer-list"])
        for number, option in enumerate(options, start=1):
            item = element(
                "li",
                ["training-quiz-answer"],
                data_option=f"{quiz_id}-{number}",
                data_correct=str(option.correct).lower(),
            )
            verdict = element("p", ["training-quiz-answer-option"])
            verdict += element("strong", ["training-quiz-verdict"], text="Right: " if option.correct else "Wrong: ")
            verdict.extend(option.label)
            item += verdict
            explanation = element("div", ["training-quiz-explanation"])
            explanation.extend(option.feedback)
            item += explanation
            answer_list += item
        answers += answer_list
        quiz += answers
        return quiz


def _module_id(docname: str, modules_dir: str) -> str | None:
    """``modules/<id>/...`` → ``<id>``: lets a quiz on any page of a module mark that module done."""
    parts = docname.split("/")
    if len(parts) >= 3 and parts[0] == modules_dir.strip("/"):
        return parts[1]
    return None


def setup_quiz(app: Sphinx) -> None:
    text_only = (_visit_text_only, _depart_text_only)
    app.add_node(
        quiz_element,
        html=(_visit_quiz_element, _depart_quiz_element),
        latex=text_only,
        text=text_only,
        man=text_only,
        texinfo=text_only,
    )
    app.add_directive("quiz", Quiz)
    add_asset("quiz.css")
    add_asset("quiz.js")
