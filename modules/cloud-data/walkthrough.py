"""Data in the cloud: the one UI step is reading your bucket's address from its environment variable
in a terminal. The replica sets the variables as the hub does (``{username}`` filled in); the
object storage itself is exercised by the notebooks against a local S3 server (tests).
"""

from __future__ import annotations

import training.replay.walkthrough as w


def echo_scratch(run: w.Run) -> None:
    """Type ``echo $<SCRATCH VARIABLE>`` and check that the terminal prints this user's address."""
    bucket = run.hub.storage.scratch
    assert bucket is not None, "cloud-data requires a scratch bucket"
    w.run_in_terminal(f"echo ${bucket.env}").action(run)
    w.terminal_text(run, bucket.url.replace("{username}", run.replica.username))


OPEN_HUB, *STARTING = w.into_jupyterlab()

WALKTHROUGH = w.Walkthrough(
    "See your bucket's address in a terminal",
    w.say("Open {{ hub.url }}, log in and start your server: JupyterLab opens.", OPEN_HUB),
    *STARTING,
    w.say("In the Launcher, click Terminal under Other. A terminal opens.", w.open_terminal()),
    w.say(
        "Type echo ${{ hub.storage.scratch.env }} and press Enter. The terminal answers with your own address.",
        w.do("print the scratch bucket's address", echo_scratch, requires=["lab", "scratch-bucket"]),
    ),
    w.screenshot(
        "scratch-bucket-terminal",
        "A JupyterLab terminal after echo of the scratch bucket variable: it prints your own folder in the bucket",
        clip=(284, 28, 996, 160),
        trim=True,
    ),
    requires=["scratch-bucket"],
)
