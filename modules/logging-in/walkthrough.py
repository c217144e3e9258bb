"""Logging in: the hub's login page, the first page after it, and what File > Log Out does.

Replayed on the hub's replica (``hub-training screenshots``). The login page is JupyterHub's own:
one "Sign in with <provider>" button on an OAuth hub, a username/password form on a workshop hub.
The last steps check the one thing people most often get wrong: logging out is not stopping the
server (unless the hub is configured to do both, ``login.shutdown_on_logout``).
"""

from __future__ import annotations

import re
import time

import training.replay.walkthrough as w


def _back_on_login_page(run: w.Run) -> None:
    """JupyterHub sends you to its login page after logging out (``LogoutHandler.render_logout_page``)."""
    run.page.wait_for_url(re.compile(r".*/hub/login.*"))


def _wait_running(run: w.Run) -> None:
    deadline = time.monotonic() + 120
    while not run.replica.server_running():
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.5)


def _server_state_after_logout(run: w.Run) -> None:
    """Log Out stops the server only on hubs with ``shutdown_on_logout``; check the replica agrees."""
    stops = "logout-stops-server" in run.hub.features
    deadline = time.monotonic() + 30
    while run.replica.server_running() == stops:
        if time.monotonic() > deadline:
            state = "still running" if stops else "stopped"
            raise AssertionError(f"after File > Log Out the server is {state}; the module says the opposite")
        time.sleep(0.5)
    if not stops:  # give a delayed stop the chance to show up before saying it did not happen
        time.sleep(3)
        assert run.replica.server_running(), "File > Log Out stopped the server on a hub without shutdown_on_logout"


FROM_HUB_HOME = w.Walkthrough(
    "Log in and log out from the hub's home page, as from RStudio",
    w.say("Open {{ hub.url }}: the hub shows its login page.", w.open_hub()),
    w.screenshot(
        "login-page",
        # What the crop shows depends on the provider: the module page gives each one its own alt text.
        "The sign-in part of the hub's login page: the button Sign in with the login provider's name, "
        "or, on a shared-password hub, the Sign in form with Username, Password and the Sign in button",
        crop="#login-main .service-login, #login-main form",
    ),
    w.say("Log in with {{ hub.login.provider_name }}.", w.log_in()),
    w.say("For now, keep what is already selected and click Start. Your server starts.", w.choose_profile()),
    w.start(),
    w.do("the server is running", _wait_running),
    w.say(
        "In the browser's address bar, open {{ hub.url }}/hub/home. This is the hub's own page, the Hub Control Panel.",
        w.open_hub("hub/home"),
    ),
    w.say("Click Logout at the top right. The hub shows its login page again.", w.click("Logout")),
    w.do("back on the hub's login page", _back_on_login_page),
    w.do("the server is running or stopped, as the hub is configured", _server_state_after_logout),
)

FROM_JUPYTERLAB = w.Walkthrough(
    "Log in, reach your server, and log out from JupyterLab",
    w.say("Open {{ hub.url }}: the hub shows its login page.", w.open_hub()),
    w.say("Log in with {{ hub.login.provider_name }}.", w.log_in()),
    w.expect("Server Options", role="heading", requires=["profile-options"]),
    w.screenshot(
        "after-login",
        "The first page after logging in: Server Options, with the hub's profiles and the Start button",
        clip=(200, 60, 880, 690),
        requires=["profile-options"],
    ),
    w.say("For now, keep what is already selected and click Start. JupyterLab opens.", w.choose_profile()),
    w.start(),
    w.wait_for_lab(),
    w.say("In JupyterLab, open the File menu.", w.open_menu("File")),
    w.screenshot(
        "file-menu-log-out",
        "JupyterLab's File menu open; its last item is Log Out",
        crop=".lm-Menu",
        hub_dependent=False,
        blur=False,
        requires=["lab"],
    ),
    w.say(
        "Click Log Out, its last item. The hub logs you out and shows its login page again.",
        w.menu("File", "Log Out"),
    ),
    w.do("back on the hub's login page", _back_on_login_page, requires=["lab"]),
    w.do("the server is running or stopped, as the hub is configured", _server_state_after_logout, requires=["lab"]),
    requires=["lab"],
)

WALKTHROUGHS = [FROM_HUB_HOME, FROM_JUPYTERLAB]
