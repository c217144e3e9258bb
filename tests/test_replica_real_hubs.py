"""The replica renders a real hub's Server Options form: its own choices, in source order, with the
default KubeSpawner computes selected (jupyterhub-fancy-profiles' form and KubeSpawner's classic one)."""

from __future__ import annotations

import re

import pytest

from training.model.hub_profile import load_hub_profile
from training.replay.replica import Replica
from training.replay.walkthrough import Walkthrough, do, log_in, open_hub, run_walkthrough
from training.sphinx_ext.hub_options import default_choice, default_profile

from .test_real_hubs import REAL

pytestmark = [pytest.mark.hub, pytest.mark.browser]

HUB_FILE = REAL / "cryocloud" / "hub.yaml"


@pytest.mark.parametrize("form", ["fancy", "classic"])
def test_real_form_lists_choices_in_order_with_the_default_selected(hub_context, form: str) -> None:  # type: ignore[no-untyped-def]
    hub = load_hub_profile(HUB_FILE)
    profile = default_profile(hub.profile_list)
    assert profile is not None
    seen: dict[str, tuple[list[str], str]] = {}

    def read_form(run) -> None:  # type: ignore[no-untyped-def]
        page = run.page
        page.wait_for_url(re.compile(r".*/hub/spawn.*"))
        slug = profile.effective_slug
        for key, option in profile.profile_options.items():
            if form == "classic":
                select = page.locator(f"#profile-option-{slug}--{key}")
                values = select.locator("option").evaluate_all("els => els.map(e => e.value)")
                seen[key] = (
                    [v for v in values if v not in {"unlisted_choice", "unlisted-choice"}],
                    select.input_value(),
                )
            else:
                block = page.locator(f"#profile-{slug}")
                combobox = block.get_by_role("combobox", name=option.display_name, exact=True)
                shown = block.locator(".select__single-value .react-select-item-title").all_inner_texts()
                combobox.click()
                titles = page.locator(".select__option .react-select-item-title").all_inner_texts()
                page.keyboard.press("Escape")
                by_name = {c.display_name: k for k, c in option.choices.items()}
                listed = [by_name[t.strip()] for t in titles if t.strip() in by_name]
                chosen = next(by_name[s.strip()] for s in shown if s.strip() in by_name)
                seen[key] = (listed, chosen)

    with Replica(hub, form=form) as replica:
        run_walkthrough(Walkthrough("read the form", open_hub(), log_in(), do("read", read_form)), replica, hub_context)
    for key, option in profile.profile_options.items():
        listed, selected = seen[key]
        assert listed == list(option.choices), key
        assert selected == default_choice(option), key
    assert seen["resource_allocation"][1] == "mem_2_gb"  # not mem_119_gb, the first one sorted
