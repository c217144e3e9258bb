"""Stopping your server: from JupyterLab (File > Hub Control Panel) and from RStudio (the hub's home page).

Both end on JupyterHub's own Hub Control Panel, which is replayed on every hub, RStudio-only ones
included. The RStudio steps themselves cannot be replayed here (RStudio Server is not installable)
and are listed as skipped; the module marks them ``not-replayed: rstudio``.
"""

from __future__ import annotations

import time

import training.replay.walkthrough as w


def _hub_page_ready(run: w.Run) -> None:
    """JupyterHub binds its buttons' clicks once its scripts load (home.js sets this flag): wait for it,
    or a quick click on Stop My Server does nothing."""
    run.page.wait_for_function("window._jupyterhub_page_loaded === true")


def _wait_until(run: w.Run, running: bool, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while run.replica.server_running() != running:
        if time.monotonic() > deadline:
            raise AssertionError(what)
        time.sleep(0.5)


def _server_is_running(run: w.Run) -> None:
    _wait_until(run, True, "the server did not start")


def _server_is_stopped(run: w.Run) -> None:
    _wait_until(run, False, "the hub still reports the server as running after Stop My Server", timeout=60)


OPEN_HUB, *STARTING = w.into_jupyterlab()

FROM_JUPYTERLAB = w.Walkthrough(
    "Stop your server from JupyterLab",
    w.say("Open {{ hub.url }}, log in and start your server: JupyterLab opens.", OPEN_HUB),
    *STARTING,
    w.say("In JupyterLab, open the File menu.", w.open_menu("File")),
    w.screenshot(
        "file-menu",
        "JupyterLab's File menu open, with Hub Control Panel and Log Out at its end",
        crop=".lm-Menu",
        hub_dependent=False,
        blur=False,
    ),
    w.say(
        "Click Hub Control Panel, near the end of the menu. It opens in a new browser tab.",
        w.menu("File", "Hub Control Panel", new_tab=True),
    ),
    w.expect("Stop My Server", role="button"),
    w.do("wait for the page's scripts", _hub_page_ready),
    w.screenshot(
        "hub-control-panel",
        "The Hub Control Panel of a running server: a red Stop My Server button and a blue My Server button",
        clip=(340, 66, 600, 78),
        hub_dependent=False,
    ),
    w.say("On the Hub Control Panel, click the red Stop My Server button.", w.click("Stop My Server")),
    w.say(
        "Wait a few seconds. When only Start My Server is left, your server has stopped.",
        w.expect("Start My Server", role="button", timeout=60),
    ),
    w.do("the server is stopped", _server_is_stopped),
    w.screenshot(
        "server-stopped",
        "The Hub Control Panel after stopping: only the Start My Server button is left",
        clip=(340, 66, 600, 78),
        hub_dependent=False,
    ),
    w.say(
        "If you go back to the JupyterLab tab after stopping, JupyterLab notices that its server is gone.",
        w.back_to_jupyterlab(),
    ),
    w.expect("Server unavailable or unreachable", timeout=90),
    w.screenshot(
        "server-unavailable",
        "JupyterLab's dialog Server unavailable or unreachable, with the buttons Dismiss and Restart",
        crop=".jp-Dialog-content",
        hub_dependent=False,
    ),
    requires=["lab"],
)

FROM_RSTUDIO = w.Walkthrough(
    "Stop your server from the hub's home page, as from RStudio",
    w.say("Open {{ hub.url }}, log in and start your server.", w.open_hub()),
    w.log_in(),
    w.choose_profile(),
    w.start(),
    w.do("the server is running", _server_is_running),
    w.not_replayed("RStudio: File > Quit Session... ends R, not the server", requires=["rstudio"]),
    w.say(
        "In the browser's address bar, open {{ hub.url }}/hub/home. That address always opens the Hub Control Panel.",
        w.open_hub("hub/home"),
    ),
    w.expect("Stop My Server", role="button"),
    w.do("wait for the page's scripts", _hub_page_ready),
    w.say(
        "Click the red Stop My Server button. When only Start My Server is left, your server has stopped.",
        w.click("Stop My Server"),
    ),
    w.expect("Start My Server", role="button", timeout=60),
    w.do("the server is stopped", _server_is_stopped),
)

WALKTHROUGHS = [FROM_JUPYTERLAB, FROM_RSTUDIO]
