"""The hub's Server Options page, drawn from its profile list: the ``hub-options`` figure and table.

Hand-made screenshots of this page go stale whenever a hub changes its profiles (STYLE.md, "Hub docs
to out-do"); drawing it from the hub profile keeps it true for every hub the site is built for.

The figure mirrors KubeSpawner's ``templates/form.html`` inside JupyterHub's ``spawn.html`` (and the
labels of jupyterhub-fancy-profiles): the heading "Server Options", one radio card per profile, one
select per option, "Other..." revealing a free-text field, and a "Start" button. It is a picture of a
form, not a form: nothing in it can be focused or submitted, so keyboard and screen-reader users meet
plain text and lists instead of controls that do nothing.

The ``hub-options-table`` lists what each profile is for and only what the data says about it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from training.model.hub_profile import HubProfile, Profile, ProfileOption
from training.sphinx_ext.assets import add_asset
from training.sphinx_ext.config import hub_of
from training.sphinx_ext.warnings import TrainingWarning, warn

#: KubeSpawner's label for the choice that reveals the free-text field when none is configured.
DEFAULT_UNLISTED_IN_CHOICES = "Other..."

# --- defaults, as KubeSpawner fills them in (KubeSpawner._get_initialized_profile_list) ------------


def default_profile(profiles: Sequence[Profile]) -> Profile | None:
    """The profile the page selects first: the one marked ``default``, else the first one."""
    return next((p for p in profiles if p.default), profiles[0] if profiles else None)


def default_choice(option: ProfileOption) -> str | None:
    """Key of the choice the select shows first: the one marked ``default``, else the first one."""
    keys = list(option.choices)
    return next((k for k in keys if option.choices[k].default), keys[0] if keys else None)


def unlisted_enabled(option: ProfileOption) -> bool:
    return bool(option.unlisted_choice and option.unlisted_choice.enabled)


def unlisted_labels(option: ProfileOption) -> tuple[str, str]:
    """(label of the choice in the select, label of the text field) for an enabled ``unlisted_choice``.

    KubeSpawner defaults the first to "Other..." and has no default for the second; the option's own
    name stands in, so the field is never unlabelled.
    """
    unlisted = option.unlisted_choice
    in_choices = (unlisted.display_name_in_choices if unlisted else None) or DEFAULT_UNLISTED_IN_CHOICES
    field = (unlisted.display_name if unlisted else None) or option.display_name
    return in_choices, field


def spawn_url(hub: HubProfile) -> str:
    """Where the page lives: JupyterHub serves it at ``<hub url>/hub/spawn``."""
    return f"{hub.url}/hub/spawn"


def join_names(names: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def no_options_sentence(hub: HubProfile) -> str:
    return f"{hub.name} has no Server Options page: when you start your server, the hub starts it directly."


def default_caption(hub: HubProfile) -> str:
    return f"The Server Options page of {hub.name}"


def default_table_caption(hub: HubProfile) -> str:
    return f"Which profile to choose on {hub.name}"


# --- the figure -----------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _default_mark() -> str:
    return '<span class="hub-options-default">(default)</span>'


def _option_html(option: ProfileOption) -> str:
    """One option: its label, a closed select showing the default, the open list of every choice."""
    chosen = default_choice(option)
    has_unlisted = unlisted_enabled(option)
    in_choices, field_label = unlisted_labels(option)
    shown = option.choices[chosen].display_name if chosen is not None else in_choices
    items = []
    for key, choice in option.choices.items():
        is_default = key == chosen
        description = (
            f'<span class="hub-options-choice-description">{_e(choice.description)}</span>'
            if choice.description
            else ""
        )
        items.append(
            f'<li class="hub-options-choice{" hub-options-is-default" if is_default else ""}">'
            f'<span class="hub-options-choice-name">{_e(choice.display_name)}'
            f"{' ' + _default_mark() if is_default else ''}</span>{description}</li>"
        )
    if has_unlisted:
        default = " hub-options-is-default" if chosen is None else ""
        items.append(
            f'<li class="hub-options-choice hub-options-unlisted-choice{default}">'
            f'<span class="hub-options-choice-name">{_e(in_choices)}'
            f"{' ' + _default_mark() if chosen is None else ''}</span></li>"
        )
    parts = [
        '<div class="hub-options-option">',
        f'<dt class="hub-options-option-name">{_e(option.display_name)}</dt>',
        '<dd class="hub-options-option-control">',
        # The closed select repeats the default choice, which the list below already names.
        f'<div class="hub-options-select" aria-hidden="true">{_e(shown)}</div>',
        f'<ul class="hub-options-choices">{"".join(items)}</ul>',
    ]
    if has_unlisted:
        unlisted = option.unlisted_choice
        message = unlisted.validation_message if unlisted else None
        parts += [
            '<div class="hub-options-unlisted">',
            f'<p class="hub-options-unlisted-label">{_e(field_label)}</p>',
            f'<p class="hub-options-unlisted-when">Shown when you choose \u201c{_e(in_choices)}\u201d.</p>',
            '<div class="hub-options-textbox" aria-hidden="true"></div>',
            f'<p class="hub-options-hint">{_e(message)}</p>' if message else "",
            "</div>",
        ]
    parts += ["</dd>", "</div>"]
    return "".join(parts)


def _profile_html(profile: Profile, is_default: bool) -> str:
    default_class = " hub-options-is-default" if is_default else ""
    parts = [
        f'<li class="hub-options-profile{default_class}" data-slug="{_e(profile.effective_slug)}">',
        '<span class="hub-options-radio" aria-hidden="true"></span>',
        '<div class="hub-options-profile-body">',
        f'<p class="hub-options-profile-name">{_e(profile.display_name)}'
        f"{' ' + _default_mark() if is_default else ''}</p>",
    ]
    if profile.description:
        parts.append(f'<p class="hub-options-profile-description">{_e(profile.description)}</p>')
    if profile.restricted_to:
        names = join_names([f"<strong>{_e(name)}</strong>" for name in profile.restricted_to])
        parts.append(f'<p class="hub-options-restricted">Only for members of {names}.</p>')
    if profile.profile_options:
        options = "".join(_option_html(option) for option in profile.profile_options.values())
        parts.append(f'<dl class="hub-options-options">{options}</dl>')
    parts += ["</div>", "</li>"]
    return "".join(parts)


def render_options_page(hub: HubProfile, only: str | None = None) -> str:
    """HTML of the drawn page (without the caption). Every hub value is escaped.

    ``only`` keeps one profile (by slug); the default is still the one of the whole list, as on the hub.
    """
    default = default_profile(hub.profile_list)
    profiles = [p for p in hub.profile_list if only is None or p.effective_slug == only]
    cards = "".join(_profile_html(p, p is default) for p in profiles)
    return (
        '<div class="hub-options-window">'
        '<div class="hub-options-address">'
        '<span class="hub-options-dots" aria-hidden="true"><span></span><span></span><span></span></span>'
        f'<span class="hub-options-visually-hidden">Address: </span>{_e(spawn_url(hub))}</div>'
        '<div class="hub-options-page">'
        '<p class="hub-options-title">Server Options</p>'
        f'<ul class="hub-options-profiles">{cards}</ul>'
        '<p class="hub-options-start"><span class="hub-options-button">Start</span></p>'
        "</div></div>"
    )


# --- the table: what each profile is for ------------------------------------------------------------

_BYTE_UNITS = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}

#: kubespawner_override keys we explain, with their label and kind.
RESOURCE_KEYS: dict[str, tuple[str, str]] = {
    "mem_guarantee": ("Guaranteed memory", "bytes"),
    "mem_limit": ("Memory limit", "bytes"),
    "cpu_guarantee": ("Guaranteed CPUs", "cpu"),
    "cpu_limit": ("CPU limit", "cpu"),
}


def parse_bytes(value: Any) -> float | None:
    """Bytes the way JupyterHub's ``ByteSpecification`` reads them (K/M/G/T are powers of 1024)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([KMGT])\s*", value)
        if match:
            return float(match.group(1)) * _BYTE_UNITS[match.group(2)]
    return None


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_bytes(value: Any) -> str:
    """``1991341312`` → ``1.9 GiB``; a value we cannot read is shown as written."""
    size = parse_bytes(value)
    if size is None:
        return str(value)
    if size >= 1024**3:
        return f"{size / 1024**3:.1f}".removesuffix(".0") + " GiB"
    return f"{size / 1024**2:.0f} MiB"


def format_cpu(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(float(value))
    return str(value)


def _gpus(override: Mapping[str, Any]) -> dict[str, str]:
    limits = override.get("extra_resource_limits")
    if not isinstance(limits, Mapping):
        return {}
    return {str(name): str(count) for name, count in limits.items() if "gpu" in str(name).lower()}


def _resources(override: Mapping[str, Any]) -> dict[str, tuple[float | None, str]]:
    """Label → (number to sort by, value as shown) for the resource keys an override sets."""
    found: dict[str, tuple[float | None, str]] = {}
    for key, (label, kind) in RESOURCE_KEYS.items():
        value = override.get(key)
        if value is None:
            continue
        if kind == "bytes":
            found[label] = (parse_bytes(value), format_bytes(value))
        else:
            number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
            found[label] = (number, format_cpu(value))
    for name, count in _gpus(override).items():
        found[f"GPUs ({name})"] = (None, count)
    return found


def resource_hints(profile: Profile) -> list[str]:
    """What the profile's configuration says about CPUs, memory and GPUs, in words.

    A choice's override wins over the profile's own, as in KubeSpawner; when the choices of an option
    differ, the hint gives the range and names the option.
    """
    own = _resources(profile.kubespawner_override)
    from_options: dict[str, tuple[list[str], str]] = {}
    for option in profile.profile_options.values():
        per_choice = [
            _resources((choice.model_extra or {}).get("kubespawner_override") or {})
            for choice in option.choices.values()
        ]
        for label in dict.fromkeys(label for resources in per_choice for label in resources):
            values: set[tuple[float | None, str]] = set()
            for resources in per_choice:
                value = resources.get(label, own.get(label))
                if value is not None:
                    values.add(value)
            ordered = sorted(values, key=lambda v: (v[0] is None, v[0] or 0.0, v[1]))
            from_options[label] = ([shown for _, shown in ordered], option.display_name)
    hints = []
    for label in [*own, *(k for k in from_options if k not in own)]:
        if label in from_options:
            shown, option_name = from_options[label]
            if len(shown) == 1:
                hints.append(f"{label}: {shown[0]}")
            else:
                hints.append(f"{label}: {shown[0]} to {shown[-1]}, depending on your {option_name} choice")
        else:
            hints.append(f"{label}: {own[label][1]}")
    return hints


@dataclass(frozen=True)
class ProfileSummary:
    """One row of the "which profile" table: only what the hub's configuration says."""

    name: str
    slug: str
    default: bool
    description: str | None
    options: tuple[str, ...]
    resources: tuple[str, ...]
    restricted_to: tuple[str, ...]


def summarize_profiles(profiles: Sequence[Profile]) -> list[ProfileSummary]:
    default = default_profile(profiles)
    return [
        ProfileSummary(
            name=profile.display_name,
            slug=profile.effective_slug,
            default=profile is default,
            description=profile.description,
            options=tuple(option.display_name for option in profile.profile_options.values()),
            resources=tuple(resource_hints(profile)),
            restricted_to=tuple(profile.restricted_to),
        )
        for profile in profiles
    ]


TABLE_HEADERS = ("Profile", "What it is for", "Options on the page", "Resources", "Who can choose it")


def table_cells(row: ProfileSummary) -> tuple[str, str, str, list[str], str]:
    """The row's cells as text (the resources cell is a list): the same words the HTML shows."""
    return (
        row.name + (" (default)" if row.default else ""),
        row.description or "Not described in the hub's configuration",
        ", ".join(row.options) or "No options to choose",
        list(row.resources) or ["Not stated in the hub's configuration"],
        f"Members of {join_names(row.restricted_to)}" if row.restricted_to else "Everyone who can log in",
    )


def _entry(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    entry.extend(children)
    return entry


def _text_entry(text: str) -> nodes.entry:
    return _entry(nodes.paragraph("", text))


def summary_table(rows: Sequence[ProfileSummary], caption: str) -> nodes.table:
    """A docutils table with a caption, a header row and the profile names as row headers."""
    # Hub values are shown exactly: no typographic quotes in names such as "Other..." or image tags.
    table = nodes.table(classes=["hub-options-table"], support_smartquotes=False)
    table += nodes.title("", caption)
    group = nodes.tgroup(cols=len(TABLE_HEADERS))
    table += group
    for index in range(len(TABLE_HEADERS)):
        group += nodes.colspec(colwidth=1, stub=1 if index == 0 else 0)
    head = nodes.thead()
    head += nodes.row("", *(_text_entry(title) for title in TABLE_HEADERS))
    group += head
    body = nodes.tbody()
    for row in rows:
        name, description, options, resources, who = table_cells(row)
        if len(resources) == 1:
            resources_entry = _text_entry(resources[0])
        else:
            items = nodes.bullet_list()
            items.extend(nodes.list_item("", nodes.paragraph("", hint)) for hint in resources)
            resources_entry = _entry(items)
        body += nodes.row(
            "", _text_entry(name), _text_entry(description), _text_entry(options), resources_entry, _text_entry(who)
        )
    group += body
    return table


# --- directives -----------------------------------------------------------------------------------------


class HubOptionsDirective(SphinxDirective):
    """Base: reads the hub, checks ``:profile:``, says so in one sentence when there is no options page."""

    has_content = False
    option_spec = {
        "profile": directives.unchanged_required,
        "caption": directives.unchanged_required,
        "name": directives.unchanged,
    }

    def build(self, hub: HubProfile, only: str | None) -> list[nodes.Node]:
        raise NotImplementedError

    def run(self) -> list[nodes.Node]:
        hub = hub_of(self.env)
        if not hub.profile_list:
            sentence = no_options_sentence(hub)
            return [nodes.paragraph("", sentence, classes=["hub-options-none"], support_smartquotes=False)]
        only = self.options.get("profile")
        if only is not None:
            only = only.strip()
            slugs = [p.effective_slug for p in hub.profile_list]
            if only not in slugs:
                warn(
                    f"{self.name}: {hub.name!r} has no profile with the slug {only!r}; "
                    f"expected one of: {', '.join(slugs)}",
                    TrainingWarning.directive,
                    self.get_location(),
                )
                return []
        return self.build(hub, only)


class HubOptionsFigure(HubOptionsDirective):
    """``hub-options``: the Server Options page as a figure with a caption."""

    def build(self, hub: HubProfile, only: str | None) -> list[nodes.Node]:
        figure = nodes.figure(classes=["hub-options"], support_smartquotes=False)
        figure += nodes.raw("", render_options_page(hub, only), format="html")
        figure += nodes.caption("", self.options.get("caption") or default_caption(hub))
        self.set_source_info(figure)
        self.add_name(figure)
        return [figure]


class HubOptionsTable(HubOptionsDirective):
    """``hub-options-table``: what each profile is for, its resources and who may choose it."""

    def build(self, hub: HubProfile, only: str | None) -> list[nodes.Node]:
        profiles = [p for p in hub.profile_list if only is None or p.effective_slug == only]
        rows = [row for row in summarize_profiles(hub.profile_list) if row.slug in {p.effective_slug for p in profiles}]
        table = summary_table(rows, self.options.get("caption") or default_table_caption(hub))
        self.set_source_info(table)
        self.add_name(table)
        return [table]


def setup_hub_options(app: Sphinx) -> None:
    app.add_directive("hub-options", HubOptionsFigure)
    app.add_directive("hub-options-table", HubOptionsTable)
    add_asset("hub-options.css")
