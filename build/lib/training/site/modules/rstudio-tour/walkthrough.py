"""Working in RStudio: open it, its panes, console and terminal, packages, and why Quit Session is not a stop.

RStudio Server cannot be installed on this machine, so every RStudio step is marked
``requires=["rstudio"]`` and is listed as not replayed (the module marks the same steps with
``<!-- not-replayed: rstudio -->``). What they describe comes from the software's source:

- jupyter-rsession-proxy registers the server process ``rstudio`` with the launcher title
  "RStudio"; jupyter-server-proxy puts it in the Launcher's "Notebook" section and opens it in a new
  browser tab, at ``/user/<name>/rstudio/``;
- RStudio's **File > Quit Session...** (and the power button) end the R session and show "R Session
  Ended" with a "Start New Session" button; the Jupyter server, and so the hub's server, keeps
  running.

The module requires ``rstudio``, so the whole walkthrough is listed as not replayed here (the steps
that need no RStudio, ``/hub/home`` with **Stop My Server**, are replayed and photographed by the
module on stopping your server). It takes no screenshot: none could be regenerated.
"""

from __future__ import annotations

import re
import time

import training.replay.walkthrough as w


def _server_is_running(run: w.Run) -> None:
    """The server is ready and the browser has followed the hub to it (no navigation left pending)."""
    deadline = time.monotonic() + 120
    while not run.replica.server_running():
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.5)
    run.page.wait_for_url(re.compile(r".*/user/[^/]+/.*"), timeout=w.START_TIMEOUT_MS)
    run.page.wait_for_load_state()


def _rstudio(title: str, *labels: str, also: tuple[str, ...] = ()) -> w.Step:
    return w.not_replayed(title, requires=["rstudio", *also], labels=labels)


WALKTHROUGH = w.Walkthrough(
    "Open RStudio, use its panes, quit it, and go back to the hub",
    w.open_hub(),
    w.log_in(),
    w.choose_profile(),
    w.start(),
    w.do("the server is running", _server_is_running),
    _rstudio(
        "JupyterLab: Launcher > Notebook > RStudio opens RStudio in a new tab", "Notebook", "RStudio", also=("lab",)
    ),
    _rstudio("or open /hub/user-redirect/rstudio/: RStudio at /user/<name>/rstudio/"),
    _rstudio(
        "the panes: Source, Console (with Terminal), Environment, Files (with Plots, Packages, Help)",
        "Console",
        "Terminal",
        "Environment",
        "Files",
        "Plots",
        "Packages",
        "Help",
    ),
    _rstudio("File > New File > R Script opens the Source pane", "File", "New File", "R Script"),
    _rstudio("Console: .libPaths() and install.packages() into the first folder", "Install"),
    _rstudio("Terminal tab: ls lists the home folder", "Terminal"),
    _rstudio(
        "File > Quit Session... shows R Session Ended and Start New Session",
        "Quit Session...",
        "R Session Ended",
        "Start New Session",
    ),
    _rstudio("the server still runs after Quit Session"),
    w.open_hub("hub/home"),
    w.expect("Stop My Server", role="button"),
    w.expect("My Server", role="button"),
)
