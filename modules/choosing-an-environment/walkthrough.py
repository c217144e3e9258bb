"""Choosing an environment: the hub's Server Options page, a custom image, the start, and changing your mind.

Uses only what the hub profile says (the default profile, the first option with a free-text choice),
so it replays on every hub that has a Server Options page.
"""

from __future__ import annotations

import training.replay.walkthrough as w

#: What the walkthrough types into the custom-image field (any "name:tag" passes the demo's regex).
EXAMPLE_IMAGE = "pangeo/base-notebook:2026.11.01"


def _type_custom_image(run: w.Run) -> None:
    """Pick the free-text choice ("Other...") of the first option that has one, and type an image."""
    from training.sphinx_ext.hub_options import unlisted_enabled, unlisted_labels

    for profile in run.hub.profile_list:
        for option in profile.profile_options.values():
            if unlisted_enabled(option):
                in_choices, _field = unlisted_labels(option)
                step = w.choose_profile(profile.display_name, {option.display_name: (in_choices, EXAMPLE_IMAGE)})
                step.action(run)
                return
    raise AssertionError(f"the hub {run.hub.id} has custom-image but no option with an enabled unlisted_choice")


def _hub_page_ready(run: w.Run) -> None:
    """JupyterHub binds its buttons' clicks once its scripts load (home.js sets this flag): wait for it,
    or a quick click on Stop My Server does nothing."""
    run.page.wait_for_function("window._jupyterhub_page_loaded === true")


WALKTHROUGH = w.Walkthrough(
    "Choose an environment, start it, and change your choice",
    w.say("Open {{ hub.url }}: the hub shows its login page.", w.open_hub()),
    w.say("Log in with {{ hub.login.provider_name }}. The hub shows Server Options.", w.log_in()),
    w.expect("Server Options", role="heading"),
    w.screenshot(
        "server-options",
        "The Server Options page: the hub's profiles, each with its choices, and the Start button",
        crop="#spawn_form",
    ),
    w.say(
        "To use an image that is not in the list, choose the list's last choice. Type the image's full name with its tag.",
        w.do("choose Other... and type an image", _type_custom_image, requires=["custom-image"]),
    ),
    w.screenshot(
        "custom-image",
        "The Server Options page with Other... chosen and an image name typed into the free-text field",
        crop="#spawn_form",
        requires=["custom-image"],
    ),
    w.not_replayed(
        "choose Build your own image, give a repository and a ref, and click Build Image and Start",
        "the image build needs a BinderHub service, which cannot run here",
        requires=["build-image"],
    ),
    w.open_hub("hub/spawn"),
    w.say(
        "If you are not sure, keep what is already selected. Click Start: a page says Your server is starting up.",
        w.choose_profile(),
    ),
    w.start(),
    w.expect("Your server is starting up."),
    w.screenshot(
        "server-starting",
        "The page shown while the server starts: Your server is starting up, a progress bar and the Event log",
        clip=(0, 0, 1280, 360),
        hub_dependent=False,
    ),
    w.say(
        "You do not need to do anything: the page moves on to your server by itself when it is ready.",
        w.wait_for_lab(),
    ),
    w.say(
        "To change your choice, open the File menu and click Hub Control Panel. It opens in a new browser tab.",
        w.menu("File", "Hub Control Panel", new_tab=True),
    ),
    w.do("wait for the page's scripts", _hub_page_ready),
    w.say(
        "Click Stop My Server. When the page shows Start My Server, your server has stopped.",
        w.click("Stop My Server"),
    ),
    w.expect("Start My Server", role="button", timeout=60),
    w.say("Click Start My Server. The Server Options page opens: choose again.", w.click("Start My Server")),
    w.expect("Server Options", role="heading"),
    requires=["profile-options"],
)
