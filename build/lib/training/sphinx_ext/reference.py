"""Reference pages rendered from the code, so they can never drift from it (MyST-Parser's model).

- ``hub-profile-reference``: every key of the hub profile, from the pydantic models.
- ``warning-catalogue``: every warning kind, from :class:`training.sphinx_ext.warnings.TrainingWarning`.
- ``feature-list``: the features a module can ``require``.
"""

from __future__ import annotations

import datetime
import types
import typing
from typing import Any, Literal

from docutils import nodes
from docutils.statemachine import StringList
from pydantic import BaseModel
from pydantic_core import PydanticUndefined
from sphinx.util.docutils import SphinxDirective

from training.model.hub_profile import DERIVED_VALUES, FEATURES, HubProfile
from training.model.hub_values import as_text
from training.sphinx_ext.warnings import TrainingWarning


def type_name(annotation: Any) -> str:
    """A short, human name for a field's type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        names = [type_name(a) for a in args if a is not type(None)]
        return " or ".join(names) + (" (optional)" if type(None) in args else "")
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"mapping of name to {type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#hub-{annotation.__name__.lower()})"
    names = {str: "text", int: "whole number", float: "number", bool: "true/false", datetime.date: "date (YYYY-MM-DD)"}
    return names.get(annotation, str(annotation))


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _nested_models(arg)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def model_reference(root: type[BaseModel] = HubProfile) -> str:
    """MyST Markdown: one table per model reachable from ``root``, in order of first use."""
    order: list[type[BaseModel]] = []
    pending = [root]
    while pending:
        model = pending.pop(0)
        if model in order:
            continue
        order.append(model)
        for field in model.model_fields.values():
            pending.extend(_nested_models(field.annotation))
    lines: list[str] = []
    for model in order:
        lines += [f"({'hub-' + model.__name__.lower()})=", f"### `{model.__name__}`", ""]
        doc = (model.__doc__ or "").strip().splitlines()
        if doc and model is not root:
            lines += [doc[0], ""]
        if model.model_config.get("extra") == "allow":
            lines += ["Other keys (Kubernetes-only settings) are accepted, kept and not shown.", ""]
        lines += ["| Key | Type | Default | Description |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            if field.is_required():
                default = "**required**"
            elif field.default_factory is not None:
                made = field.default_factory()  # type: ignore[call-arg]
                default = "(its own defaults)" if isinstance(made, BaseModel) else f"`{made!r}`"
            elif field.default is PydanticUndefined or field.default is None:
                default = ""  # an optional key without a default: "None" would read as a value
            else:
                default = f"`{field.default!r}`"
            key = field.alias or name
            kind = _cell(type_name(field.annotation))
            lines.append(f"| `{key}` | {kind} | {_cell(default)} | {_cell(field.description or '')} |")
        lines.append("")
    return "\n".join(lines)


def hub_values_table(values: dict[str, Any]) -> str:
    """Every ``{{ hub.* }}`` placeholder with this hub's value (profiles left out)."""
    rows = ["| Placeholder | This hub | Derived from the hub file |", "|---|---|---|"]

    def walk(values: dict[str, Any], prefix: str) -> None:
        for key, value in values.items():
            if key == "profile_list":
                continue
            if isinstance(value, dict):
                walk(value, f"{prefix}{key}.")
            else:
                shown = "(not set)" if value is None else as_text(value) or "(empty)"
                derived = _cell(DERIVED_VALUES.get(f"{prefix}{key}", ""))
                rows.append(f"| `\\{{{{ hub.{prefix}{key} }}}}` | `{_cell(shown)}` | {derived} |")

    walk(values, "")
    return "\n".join(rows)


def warning_catalogue() -> str:
    lines = ["| Warning | When |", "|---|---|"]
    lines += [f"| `training.{kind.subtype}` | {_cell(kind.describe())} |" for kind in TrainingWarning]
    return "\n".join(lines)


def feature_table() -> str:
    lines = ["| Feature | A module that requires it is shown when |", "|---|---|"]
    lines += [f"| `{name}` | {_cell(text)} |" for name, text in FEATURES.items()]
    return "\n".join(lines)


class GeneratedMarkdown(SphinxDirective):
    """Base: parse a Markdown string produced by code."""

    has_content = False

    def markdown(self) -> str:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        container = nodes.container(classes=["training-generated"])
        source, _line = self.get_source_info()
        content = StringList(self.markdown().splitlines(), source=source)
        self.state.nested_parse(content, self.content_offset, container, match_titles=True)
        return container.children


class HubProfileReference(GeneratedMarkdown):
    def markdown(self) -> str:
        return model_reference()


class HubValuesList(GeneratedMarkdown):
    def markdown(self) -> str:
        from training.sphinx_ext.config import hub_of

        return hub_values_table(hub_of(self.env).values())


class WarningCatalogue(GeneratedMarkdown):
    def markdown(self) -> str:
        return warning_catalogue()


class FeatureList(GeneratedMarkdown):
    def markdown(self) -> str:
        return feature_table()


def setup_reference(app: Any) -> None:
    app.add_directive("hub-profile-reference", HubProfileReference)
    app.add_directive("warning-catalogue", WarningCatalogue)
    app.add_directive("hub-values-list", HubValuesList)
    app.add_directive("feature-list", FeatureList)
