"""Which profile and which choice on the Server Options page gives Python, R or RStudio.

A hub file lists languages and interfaces for the whole hub, but on most hubs they come from one
image among several. What each profile or choice offers is read from what KubeSpawner itself gets:
the image (``kubespawner_override.image``), the page the server opens (``default_url``), and the
names and descriptions people read on the page. A choice's override wins over its profile's, as in
KubeSpawner. Nothing here is specific to one hub.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from training.model.hub_profile import HubProfile, Profile, ProfileOption

Target = Literal["python", "r", "rstudio"]
TARGET_NAMES: dict[Target, str] = {"python": "Python", "r": "R", "rstudio": "RStudio"}

#: Images known to hold R (the Rocker project, Jupyter's r-notebook, 2i2c's and Pangeo's R images).
_R_IMAGE = re.compile(r"(^|/)(rocker/|r-notebook|r-base|.*-r:|.*/r:|rstudio)|(^|[/-])r-?ver", re.I)
#: Rocker images that ship RStudio Server (rocker/r-ver alone does not).
_RSTUDIO_IMAGE = re.compile(r"rocker/(rstudio|tidyverse|verse|geospatial|binder|ml|ml-verse|cuda)\b|rstudio", re.I)
#: Images known to hold Python: Jupyter's docker stacks, Pangeo's, and anything naming Python.
_PYTHON_IMAGE = re.compile(
    r"pangeo/|jupyter/|jupyter-|quay\.io/jupyter|python|scipy|datascience|pytorch|tensorflow|notebook", re.I
)


def _words(*texts: str | None) -> str:
    return " ".join(t for t in texts if t)


def offers(image: str, words: str, default_url: str = "") -> set[Target]:
    """What an environment offers, from its image name, the words shown for it and its start page."""
    found: set[Target] = set()
    if re.search(r"\bR\b", words) or _R_IMAGE.search(image):
        found.add("r")
    if re.search(r"rstudio", words, re.I) or _RSTUDIO_IMAGE.search(image) or "rstudio" in default_url:
        found |= {"r", "rstudio"}
    if re.search(r"\bpython\b", words, re.I) or (_PYTHON_IMAGE.search(image) and not re.match(r"rocker/", image)):
        found.add("python")
    return found


@dataclass(frozen=True)
class Way:
    """One way to get an environment: a profile, and maybe a choice in one of its options."""

    profile: str  # the profile's display name
    option: str | None = None  # the option's display name, e.g. "Image"
    choice: str | None = None  # the choice's display name
    default_choice: bool = False  # the choice is what the page selects first
    restricted_to: tuple[str, ...] = ()  # groups that may use the profile


def _first_choice(option: ProfileOption) -> str | None:
    keys = list(option.choices)
    return next((k for k in keys if option.choices[k].default), keys[0] if keys else None)


def _image_option(profile: Profile) -> ProfileOption | None:
    """The option whose choices set the image, if any (usually called Image)."""
    for option in profile.profile_options.values():
        if any("image" in choice.kubespawner_override for choice in option.choices.values()):
            return option
    return None


def ways(hub: HubProfile) -> dict[Target, list[Way]]:
    """For each language or interface the hub offers, every profile (and choice) that gives it."""
    wanted: list[Target] = [t for t in ("python", "r") if t in hub.languages]
    if "rstudio" in hub.interfaces:
        wanted.append("rstudio")
    found: dict[Target, list[Way]] = {t: [] for t in wanted}
    # No profile or choice names an image: every server runs the hub-wide image, with all the hub offers.
    one_image = not any(
        "image" in profile.kubespawner_override
        or any("image" in c.kubespawner_override for o in profile.profile_options.values() for c in o.choices.values())
        for profile in hub.profile_list
    )
    for profile in hub.profile_list:
        if one_image:
            for target in wanted:
                found[target].append(Way(profile.display_name, restricted_to=tuple(profile.restricted_to)))
            continue
        own = profile.kubespawner_override
        profile_words = _words(profile.display_name, profile.description)
        restricted = tuple(profile.restricted_to)
        option = _image_option(profile)
        if option is None:
            offered = offers(str(own.get("image", "")), profile_words, str(own.get("default_url", "")))
            for target in wanted:
                if target in offered:
                    found[target].append(Way(profile.display_name, restricted_to=restricted))
            continue
        first = _first_choice(option)
        for choice_key, choice in option.choices.items():
            override = choice.kubespawner_override
            image = str(override.get("image", own.get("image", "")))
            default_url = str(override.get("default_url", own.get("default_url", "")))
            offered = offers(image, _words(choice.display_name, choice.description), default_url)
            for target in wanted:
                if target in offered:
                    found[target].append(
                        Way(
                            profile.display_name,
                            option.display_name,
                            choice.display_name,
                            choice_key == first,
                            restricted,
                        )
                    )
    return found


def _way_text(way: Way) -> str:
    text = f"the profile **{way.profile}**"
    if way.choice:
        text += f", then under **{way.option}** the choice **{way.choice}**"
        if way.default_choice:
            text += " (already selected)"
    if way.restricted_to:
        text += f" (only for {', '.join(way.restricted_to)})"
    return text


def choice_lines(hub: HubProfile, targets: list[Target] | None = None) -> list[str]:
    """Markdown lines, one per language or interface: what to select for it on this hub.

    Targets with the same ways share a line ("R and RStudio"). Names come from the hub file and are
    escaped by the caller's Markdown rules (they are shown in bold, as the page shows them).
    """
    from training.model.hub_values import escape_markdown

    found = ways(hub)
    order = [t for t in (targets or list(found)) if t in found]
    if not hub.profile_list:
        names = " and ".join(TARGET_NAMES[t] for t in order)
        return [f"- **{names}**: every server of {escape_markdown(hub.name)} has it; there is nothing to choose."]
    groups: list[tuple[list[Target], list[Way]]] = []
    for target in order:
        same = next((g for g in groups if g[1] == found[target]), None)
        if same:
            same[0].append(target)
        else:
            groups.append(([target], found[target]))
    lines = []
    for group_targets, group_ways in groups:
        names = " and ".join(TARGET_NAMES[t] for t in group_targets)
        if not group_ways:
            lines.append(
                f"- **{names}**: the names on the **Server Options** page do not say which choice has it; "
                f"ask {escape_markdown(hub.support.name)}."
            )
            continue
        safe = [
            Way(
                escape_markdown(w.profile),
                w.option and escape_markdown(w.option),
                w.choice and escape_markdown(w.choice),
                w.default_choice,
                tuple(escape_markdown(g) for g in w.restricted_to),
            )
            for w in group_ways
        ]
        first, *others = safe
        line = f"- **{names}**: select {_way_text(first)}."
        if others:
            line += " Or " + "; or ".join(_way_text(w) for w in others) + "."
        lines.append(line)
    return lines
