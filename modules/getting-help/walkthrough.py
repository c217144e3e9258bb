"""Getting help: the facts and logs a learner can find themselves.

- the **Event log** of the page "Your server is starting up." (JupyterHub's spawn-pending page);
- the username at the top of the Hub Control Panel;
- JupyterLab's Log Console (**View > Show Log Console**, **Log Level: Info**), which records every
  output and error of the active notebook with its time.

The browser's own console (developer tools) is outside the page and cannot be photographed; the
module marks it ``not-replayed: browser-devtools``. RStudio is not installable here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import training.replay.walkthrough as w

#: The time the Log Console shows in the picture (the browser's clock is fixed before the log level is
#: set, so that the screenshot does not change with the time of day it was taken).
PICTURE_TIME = datetime(2026, 3, 17, 14, 5, 12, tzinfo=UTC)


def _open_event_log(run: w.Run) -> None:
    """On "Your server is starting up.", open the collapsed Event log and wait for its first line."""
    page = run.page
    page.wait_for_url(re.compile(r".*/hub/spawn-pending/.*"))
    page.get_by_text("Your server is starting up.", exact=True).wait_for()
    page.locator("summary").filter(has_text=re.compile(r"^\s*Event log\s*$")).click()
    page.locator("#progress-log .progress-log-event").first.wait_for()


def _new_python_notebook(run: w.Run) -> None:
    w.launcher("Python 3 (ipykernel)", "Notebook").action(run)
    w.wait_for_idle_kernel(run, "Python 3 (ipykernel)")


def _log_level_info(run: w.Run) -> None:
    """The Log Console's toolbar: Log Level: Warning (the default) -> Info.

    The browser's clock is fixed first, so that the times in the picture do not change from run to run.
    """
    run.page.clock.set_fixed_time(PICTURE_TIME)
    console = run.page.locator(".jp-LogConsole").first
    console.wait_for()
    console.locator("select").select_option(label="Info")
    console.get_by_text("Log level set to info").wait_for()


def _run_failing_cell(run: w.Run) -> None:
    """Run a cell that fails; its error appears in the Log Console too."""
    page = run.page
    page.locator(".jp-NotebookPanel:visible .jp-Cell .cm-content").first.click()
    page.keyboard.type('open("results.csv")')
    page.keyboard.press("Shift+Enter")
    logged = page.locator(".jp-LogConsole .jp-OutputArea-output").filter(has_text="FileNotFoundError")
    logged.first.wait_for(timeout=60_000)


WALKTHROUGH = w.Walkthrough(
    "Find the facts and logs for a help request",
    w.say("Open {{ hub.url }}, log in and start your server. The hub shows Your server is starting up.", w.open_hub()),
    w.log_in(),
    w.choose_profile(),
    w.start(),
    w.say(
        "Under the progress bar, click Event log to see each step of the start.",
        w.do("open the Event log", _open_event_log, labels=["Your server is starting up.", "Event log"]),
    ),
    w.screenshot(
        "spawn-event-log",
        "The page Your server is starting up., with its progress bar and the Event log opened under it",
        crop="div.container:has(#progress-details)",
        hub_dependent=False,
    ),
    w.say("When your server is ready, JupyterLab opens.", w.wait_for_lab()),
    w.say(
        "Open the File menu and click Hub Control Panel. Your username is at the top right, next to Logout.",
        w.menu("File", "Hub Control Panel", new_tab=True),
    ),
    w.expect("Stop My Server", role="button"),
    w.screenshot(
        "hub-control-panel-username",
        "The top of the Hub Control Panel: your username is shown at the right, next to Logout",
        clip=(0, 0, 1280, 72),
        hub_dependent=False,
    ),
    w.say(
        "Back in JupyterLab, open a new notebook from the Launcher: Notebook > Python 3 (ipykernel).",
        w.back_to_jupyterlab(),
    ),
    w.do(
        "new Python notebook",
        _new_python_notebook,
        requires=["lab", "python"],
        labels=["Notebook", "Python 3 (ipykernel)"],
    ),
    w.say(
        "Open the View menu and click Show Log Console. The Log Console opens under the notebook.",
        w.menu("View", "Show Log Console"),
    ),
    w.say(
        "In its toolbar, set Log Level to Info: it then records every output and error of the notebook.",
        w.do("Log Level: Info", _log_level_info, requires=["lab"], labels=["Log Level", "Info"]),
    ),
    w.say(
        'Run open("results.csv"), which fails. Its error appears in the Log Console, with the time it happened.',
        w.do("run a cell that fails", _run_failing_cell, requires=["lab", "python"]),
    ),
    w.screenshot(
        "log-console",
        "JupyterLab with the Log Console open under a notebook: at Log Level Info it lists the cell's "
        "FileNotFoundError with the time it happened",
        hub_dependent=False,
        requires=["python"],
    ),
    w.not_replayed("the browser's console (developer tools)", "the developer tools are not part of the page"),
    w.not_replayed("RStudio: copy the error from the Console", requires=["rstudio"]),
)
