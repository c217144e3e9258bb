"""Example walkthrough: log in, Server Options, start, JupyterLab, Hub Control Panel, stop, log out.

Copy it to ``modules/<module-id>/walkthrough.py`` and keep the steps the module's text describes.
Every label here ("Start", "Hub Control Panel", "Stop My Server", "Log Out") is matched exactly on
the real software, so the module must use the same words.
"""

import training.replay.walkthrough as w

WALKTHROUGH = w.Walkthrough(
    "Start a server, open the Hub Control Panel, stop the server and log out",
    w.open_hub(),
    w.screenshot("login", "The hub's login page with its sign-in button", crop="#login-main"),
    w.log_in(),
    w.screenshot(
        "server-options",
        "The Server Options page: the hub's profiles, each with its choices, and the Start button",
        crop="#spawn_form",
        requires=["profile-options"],
    ),
    w.choose_profile(),
    w.start(),
    w.wait_for_lab(),
    w.screenshot("jupyterlab-launcher", "JupyterLab just after the server started: the Launcher and the File Browser"),
    w.open_menu("File"),
    w.screenshot(
        "file-menu",
        "JupyterLab's File menu open, with Hub Control Panel and Log Out at its end",
        crop=".lm-Menu",
        hub_dependent=False,
        blur=False,
    ),
    w.menu("File", "Hub Control Panel", new_tab=True),
    w.expect("Stop My Server", role="button"),
    w.screenshot("hub-control-panel", "The Hub Control Panel with the Stop My Server and My Server buttons"),
    w.click("Stop My Server"),
    w.expect("Start My Server", role="button", timeout=60),
    w.screenshot("server-stopped", "The Hub Control Panel after stopping: only Start My Server is left"),
    w.click("Logout"),
    w.expect_url("/hub/login"),
)
