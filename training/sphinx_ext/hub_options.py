"""The hub's Server Options page, drawn from its profile list: the ``hub-options`` figure and table.

Hand-made screenshots of this page go stale whenever a hub changes its profiles; drawing it from the hub profile keeps it true for every hub the site is built for.

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

from training.model.hub_profile import Choice, HubProfile, Profile, ProfileOption, interface_of_url
from training.sphinx_ext.assets import add_asset
from training.sphinx_ext.config import hub_of
from training.sphinx_ext.warnings import TrainingWarning, warn

#: KubeSpawner's label for the choice that reveals the free-text field when none is configured.
DEFAULT_UNLISTED_IN_CHOICES = "Other..."

#: jupyterhub-fancy-profiles' extra image choice when ``dynamic_image_building`` is enabled, and its hint.
BUILD_IMAGE_LABEL = "Build your own image"
BUILD_IMAGE_DESCRIPTION = "Use a mybinder.org compatible GitHub repo to build your own image"

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


def join_names(names: Sequence[str], last: str = "or") -> str:
    """``a``, ``a or b``, ``a, b or c`` (``last="and"``: ``a, b and c``)."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {last} " + names[-1]


def single_server_facts(hub: HubProfile) -> list[str]:
    """What the one server of a hub without a profile list has, as far as its configuration says."""
    server = hub.single_server
    if server is None:
        return []
    facts = []
    if server.image:
        facts.append(f"it runs the image {server.image}")
    memory = _range_words(server.mem_guarantee, server.mem_limit, format_bytes)
    if memory:
        facts.append(f"it has {memory} of memory")
    cpus = _range_words(server.cpu_guarantee, server.cpu_limit, format_cpu)
    if cpus:
        facts.append(f"it has {cpus} CPUs")
    if server.default_url and interface_of_url(server.default_url):
        facts.append(f"it opens {INTERFACE_NAMES[interface_of_url(server.default_url) or 'lab']}")
    return facts


def _range_words(guarantee: Any, limit: Any, show: Any) -> str:
    if guarantee is None and limit is None:
        return ""
    if guarantee is None:
        return f"up to {show(limit)}"
    if limit is None or show(limit) == show(guarantee):
        return f"{show(guarantee)}" if limit is not None else f"at least {show(guarantee)}"
    return f"{show(guarantee)} guaranteed, up to {show(limit)}"


def no_options_sentence(hub: HubProfile) -> str:
    sentence = f"{hub.name} has no Server Options page: when you start your server, the hub starts it directly."
    facts = single_server_facts(hub)
    if facts:
        sentence += f" Every server is the same: {join_names(facts, 'and')}."
    return sentence


#: What each interface is called where the site names it.
INTERFACE_NAMES = {
    "lab": "JupyterLab",
    "notebook": "the classic notebook",
    "rstudio": "RStudio",
    "vscode": "VS Code",
    "desktop": "a Linux desktop",
}


def default_caption(hub: HubProfile) -> str:
    return f"The Server Options page of {hub.name}"


def default_table_caption(hub: HubProfile) -> str:
    return f"Which profile to choose on {hub.name}"


def interface_openers(hub: HubProfile, interface: str) -> list[str]:
    """How to reach ``interface`` directly on this hub: one sentence per profile or choice that opens it."""
    name = INTERFACE_NAMES[interface]
    found: list[str] = []
    server = hub.single_server
    if server and interface_of_url(server.default_url) == interface:
        found.append(f"Start your server: {hub.name} opens {name} for you.")
    for profile in hub.profile_list:
        if interface_of_url(profile.default_url) == interface:
            found.append(f"On the Server Options page, select **{profile.display_name}** and click **Start**.")
        for option in profile.profile_options.values():
            for choice in option.choices.values():
                if interface_of_url(choice.default_url) == interface:
                    found.append(_choice_sentence(hub, profile, option, choice))
    return found


def _choice_sentence(hub: HubProfile, profile: Profile, option: ProfileOption, choice: Choice) -> str:
    where = f"**{option.display_name}**"
    if len(hub.profile_list) > 1:
        where += f" of **{profile.display_name}**"
    return f"On the Server Options page, choose **{choice.display_name}** under {where} and click **Start**."


# --- the figure -----------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _group_names(groups: Sequence[str]) -> str:
    return join_names([f"<strong>{_e(name)}</strong>" for name in groups])


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
        restricted = (
            f'<span class="hub-options-restricted">Only for members of {_group_names(choice.allowed_groups)}.</span>'
            if choice.allowed_groups
            else ""
        )
        opens = interface_of_url(choice.default_url)
        opens_note = f'<span class="hub-options-opens">Opens {_e(INTERFACE_NAMES[opens])}.</span>' if opens else ""
        items.append(
            f'<li class="hub-options-choice{" hub-options-is-default" if is_default else ""}" data-key="{_e(key)}">'
            f'<span class="hub-options-choice-name">{_e(choice.display_name)}'
            f"{' ' + _default_mark() if is_default else ''}</span>{description}{restricted}{opens_note}</li>"
        )
    if has_unlisted:
        default = " hub-options-is-default" if chosen is None else ""
        items.append(
            f'<li class="hub-options-choice hub-options-unlisted-choice{default}">'
            f'<span class="hub-options-choice-name">{_e(in_choices)}'
            f"{' ' + _default_mark() if chosen is None else ''}</span></li>"
        )
    if option.builds_images:
        items.append(
            '<li class="hub-options-choice hub-options-build-choice">'
            f'<span class="hub-options-choice-name">{_e(BUILD_IMAGE_LABEL)}</span>'
            f'<span class="hub-options-choice-description">{_e(BUILD_IMAGE_DESCRIPTION)}</span></li>'
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
        parts.append(
            f'<p class="hub-options-restricted">Only for members of {_group_names(profile.restricted_to)}.</p>'
        )
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
        per_choice = [_resources(choice.kubespawner_override) for choice in option.choices.values()]
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


def cost_hints(profile: Profile) -> list[str]:
    """What an hour of the profile costs, from the hub file: its own figure, or its choices' range."""
    hints = [f"Cost: {profile.cost.text()}"] if profile.cost else []
    for option in profile.profile_options.values():
        costs = [choice.cost for choice in option.choices.values() if choice.cost is not None]
        if not costs:
            continue
        low, high = min(costs, key=lambda c: c.per_hour), max(costs, key=lambda c: c.per_hour)
        if low.per_hour == high.per_hour:
            hints.append(f"Cost: {low.text()}")
        else:
            currency = f" {low.currency}" if low.currency != high.currency else ""
            hints.append(
                f"Cost: {low.amount}{currency} to {high.text()}, depending on your {option.display_name} choice"
            )
    return hints


def cost_legend(hub: HubProfile) -> str:
    """The figure's legend line on costs ("" when the hub file gives none)."""
    parts = []
    for profile in hub.profile_list:
        hints = cost_hints(profile)
        if hints:
            parts.append(f"{profile.display_name}: " + "; ".join(h.removeprefix("Cost: ") for h in hints))
    return ("What a running server costs. " + ". ".join(parts) + ".") if parts else ""


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
    #: "<option>: <choice>" and the groups that alone may pick it, for choices with ``allowed_groups``.
    restricted_choices: tuple[tuple[str, tuple[str, ...]], ...] = ()


def summarize_profiles(profiles: Sequence[Profile]) -> list[ProfileSummary]:
    default = default_profile(profiles)
    return [
        ProfileSummary(
            name=profile.display_name,
            slug=profile.effective_slug,
            default=profile is default,
            description=profile.description,
            options=tuple(option.display_name for option in profile.profile_options.values()),
            resources=(*resource_hints(profile), *cost_hints(profile)),
            restricted_to=tuple(profile.restricted_to),
            restricted_choices=tuple(
                (f"{option.display_name}: {choice.display_name}", tuple(choice.allowed_groups))
                for option in profile.profile_options.values()
                for choice in option.choices.values()
                if choice.allowed_groups
            ),
        )
        for profile in profiles
    ]


TABLE_HEADERS = ("Profile", "What it is for", "Options on the page", "Resources", "Who can choose it")


def who_can_choose(row: ProfileSummary) -> list[str]:
    """Who may pick the profile, then who may pick each of its restricted choices."""
    lines = [f"Members of {join_names(row.restricted_to)}" if row.restricted_to else "Everyone who can log in"]
    lines += [f"{choice}: only members of {join_names(groups)}" for choice, groups in row.restricted_choices]
    return lines


def table_cells(row: ProfileSummary) -> tuple[str, str, str, list[str], list[str]]:
    """The row's cells as text (resources and who may choose are lists): the same words the HTML shows."""
    return (
        row.name + (" (default)" if row.default else ""),
        row.description or "Not described in the hub's configuration",
        ", ".join(row.options) or "No options to choose",
        list(row.resources) or ["Not stated in the hub's configuration"],
        who_can_choose(row),
    )


def _entry(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    entry.extend(children)
    return entry


def _text_entry(text: str) -> nodes.entry:
    return _entry(nodes.paragraph("", text))


def _lines_entry(lines: Sequence[str]) -> nodes.entry:
    """One paragraph, or a bullet list when there are several lines."""
    if len(lines) == 1:
        return _text_entry(lines[0])
    items = nodes.bullet_list()
    items.extend(nodes.list_item("", nodes.paragraph("", line)) for line in lines)
    return _entry(items)


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
        body += nodes.row(
            "",
            _text_entry(name),
            _text_entry(description),
            _text_entry(options),
            _lines_entry(resources),
            _lines_entry(who),
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
        if cost_legend(hub):
            figure += nodes.legend("", nodes.paragraph("", cost_legend(hub), classes=["hub-options-cost"]))
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


class HubOpens(SphinxDirective):
    """``hub-opens``: how to reach one interface directly on this hub, from its ``default_url`` settings."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        interface = self.arguments[0].strip()
        if interface not in INTERFACE_NAMES:
            warn(
                f"{self.name}: unknown interface {interface!r}; expected one of: {', '.join(INTERFACE_NAMES)}",
                TrainingWarning.directive,
                self.get_location(),
            )
            return []
        hub = hub_of(self.env)
        sentences = interface_openers(hub, interface)
        if not sentences:
            return []
        ending = f" Your server opens in {INTERFACE_NAMES[interface]}."
        text = sentences[0] + ending if len(sentences) == 1 else "Any of these opens it:"
        from docutils.statemachine import StringList

        lines = [text] if len(sentences) == 1 else [text, "", *(f"- {s}" for s in sentences)]
        container = nodes.container(classes=["hub-opens"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), self.content_offset, container)
        return container.children


def setup_hub_options(app: Sphinx) -> None:
    app.add_directive("hub-options", HubOptionsFigure)
    app.add_directive("hub-opens", HubOpens)
    app.add_directive("hub-options-table", HubOptionsTable)
    add_asset("hub-options.css")
