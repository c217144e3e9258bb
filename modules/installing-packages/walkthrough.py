"""Installing packages: the kernels in the Launcher, a missing package, restarting the kernel, R's error.

Nothing is installed from the network: the steps show what learners see when a package is missing
(the state after every server start) and the Restart Kernel dialog they need after ``%pip install``.
The RStudio steps cannot be replayed here (RStudio Server is not installable) and are listed as
skipped; the module marks them ``not-replayed: rstudio``.
"""

from __future__ import annotations

import re

import training.replay.walkthrough as w

#: A package that is on PyPI and CRAN but in no image of the replica: what a fresh server shows.
MISSING = "cmocean"


def _new_notebook(kernel: str) -> w.Step:
    """Launcher > Notebook > <kernel>, then wait until the notebook's kernel is idle."""
    card = w.launcher(kernel, "Notebook")

    def action(run: w.Run) -> None:
        card.action(run)
        run.page.locator(".jp-NotebookPanel:visible .jp-Notebook").wait_for()
        w.wait_for_idle_kernel(run, kernel)

    return w.Step(
        f"new {kernel} notebook", action, card.requires | ({"r"} if kernel == "R" else {"python"}), card.labels
    )


def _run_cell(code: str, expect: str) -> w.Step:
    """Type code into the active notebook's last cell, run it with Shift+Enter, wait for ``expect``."""

    def action(run: w.Run) -> None:
        panel = run.page.locator(".jp-NotebookPanel:visible")
        editor = panel.locator(".jp-Cell .cm-content").last
        editor.click()
        run.page.keyboard.type(code)
        run.page.keyboard.press("Shift+Enter")
        panel.locator(".jp-OutputArea-output").filter(has_text=expect).first.wait_for(timeout=60_000)

    return w.Step(f"run {code!r}", action, frozenset({"lab"}))


def _restart_kernel(run: w.Run) -> None:
    """Kernel > Restart Kernel…, which asks first."""
    w.menu("Kernel", "Restart Kernel…").action(run)
    run.page.locator(".jp-Dialog").filter(has_text="Restart Kernel?").wait_for()


def _confirm_restart(run: w.Run) -> None:
    """The dialog's button reads "Restart" (its accessible name is "Confirm Kernel Restart")."""
    page = run.page
    page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").filter(has_text=re.compile(r"^\s*Restart\s*$")).click()
    page.locator(".jp-Dialog").wait_for(state="detached")
    w.wait_for_idle_kernel(run, "Python 3 (ipykernel)")


def _new_launcher(run: w.Run) -> None:
    """The + button at the end of the tabs ("New Launcher") opens the Launcher again."""
    button = run.page.locator(".lm-DockPanel-tabBar .lm-TabBar-addButton").first
    title = button.get_attribute("title") or ""
    assert title.startswith("New Launcher"), f"the + button is titled {title!r}, not 'New Launcher'"
    button.click()
    run.page.locator(".jp-Launcher:visible").wait_for()


OPEN_HUB, *STARTING = w.into_jupyterlab()

WALKTHROUGH = w.Walkthrough(
    "A missing package, the kernels and the Restart Kernel dialog",
    w.say(
        "Open {{ hub.url }}, log in and start your server. In the Launcher, each card under Notebook is one kernel.",
        OPEN_HUB,
    ),
    *STARTING,
    w.screenshot(
        "launcher-kernels",
        "The Notebook section of JupyterLab's Launcher: one card for each kernel the image offers",
        crop=".jp-Launcher-section",
    ),
    w.say("Under Notebook, click Python 3 (ipykernel). A new notebook opens.", _new_notebook("Python 3 (ipykernel)")),
    w.say(
        "Run import cmocean. ModuleNotFoundError: No module named 'cmocean' means the package is not there.",
        _run_cell(f"import {MISSING}", "ModuleNotFoundError"),
    ),
    w.screenshot(
        "module-not-found",
        f"A notebook cell 'import {MISSING}' and its red error: ModuleNotFoundError: No module named '{MISSING}'",
        crop=".jp-NotebookPanel:visible .jp-Cell",
        hub_dependent=False,
    ),
    w.say(
        "After an install, restart the kernel: open the Kernel menu and click Restart Kernel…",
        w.do(
            "Kernel > Restart Kernel…",
            _restart_kernel,
            requires=["lab"],
            labels=["Kernel", "Restart Kernel…", "Restart Kernel?"],
        ),
    ),
    w.screenshot(
        "restart-kernel-dialog",
        "JupyterLab's dialog Restart Kernel? with the buttons Cancel and Restart",
        crop=".jp-Dialog-content",
        hub_dependent=False,
    ),
    w.say(
        "Click Restart. The kernel restarts, and the variables you had are gone.",
        w.do("click Restart", _confirm_restart, requires=["lab"], labels=["Restart"]),
    ),
    w.say(
        "For R, click the + next to the tabs, then R under Notebook. Run library(cmocean): "
        "there is no package called ‘cmocean’.",
        w.do("+ (New Launcher)", _new_launcher, requires=["lab", "r"]),
    ),
    _new_notebook("R"),
    _run_cell(f"library({MISSING})", "there is no package called"),
    w.screenshot(
        "r-package-missing",
        f"An R notebook cell 'library({MISSING})' and its error: there is no package called '{MISSING}'",
        crop=".jp-NotebookPanel:visible .jp-Cell",
        hub_dependent=False,
        requires=["r"],
    ),
    w.not_replayed("RStudio: install.packages() in the Console", requires=["rstudio"]),
)
