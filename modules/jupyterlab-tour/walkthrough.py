"""Working in JupyterLab: the Launcher, a notebook and its kernel, the terminal, the Running panel.

Replayed on the hub's replica (``hub-training screenshots``), JupyterLab 4 as ``jupyterhub-singleuser``
serves it. Besides photographing, the steps check what the module teaches about the real software:

- interrupting a running cell raises ``KeyboardInterrupt`` and keeps the kernel;
- **Restart Kernel…** asks first, then the kernel's variables are gone, and **Run > Run All Cells**
  (the label JupyterLab gives **Run All** while a notebook is in front) brings them back;
- closing a notebook's tab does **not** stop its kernel, and closing a terminal's tab does not stop
  the terminal: both stay listed in **Running Terminals and Kernels** (checked in the server's REST
  API too) until you shut them down there or with **Close and Shut Down Notebook…**.

The Jupyter Notebook steps need the ``notebook`` interface: skipped on hubs without it, and on the
replica when the ``notebook`` package is not installed (see the module's ``not-replayed: notebook``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import training.replay.walkthrough as w

NOTEBOOK = "first-steps.ipynb"
R_NOTEBOOK = "first-steps-r.ipynb"


# --- small actions on the real JupyterLab -----------------------------------------------------------


def menu(*path: str) -> w.Step:
    """Like ``w.menu``, but finds items by their label alone.

    A JupyterLab menu item's accessible name also holds its shortcut ("Interrupt Kernel I, I"), so
    ``w.menu`` (exact accessible name) cannot click items that have one.
    """

    def action(run: w.Run) -> None:
        page = run.page
        page.keyboard.press("Escape")
        run.exact("menuitem", path[0], page.locator("#jp-menu-panel")).click()
        for index, label in enumerate(path[1:], start=1):
            item = (
                page.locator(".lm-Menu")
                .last.locator(".lm-Menu-item")
                .filter(has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(label)}$")))
            )
            assert item.count() == 1, f"the menu {' > '.join(path[:index])} has {item.count()} items {label!r}"
            if index < len(path) - 1:
                item.hover()
            else:
                item.click()

    return w.Step(" > ".join(path), action, frozenset({"lab"}), tuple(path))


def _panel(run: w.Run):  # type: ignore[no-untyped-def]
    """The notebook on screen."""
    return run.page.locator(".jp-NotebookPanel:visible").first


def _kernel_idle(kernel: str) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        w.wait_for_idle_kernel(run, kernel)

    return action


def _run_cell(code: str, expect: str | re.Pattern[str] | None = None, *, wait: bool = True) -> Callable[[w.Run], None]:
    """Type ``code`` into the notebook's last cell and press Shift+Enter, as a learner does."""

    def action(run: w.Run) -> None:
        page = run.page
        cells = _panel(run).locator(".jp-Notebook .jp-Cell")
        cell = cells.nth(cells.count() - 1)
        cell.locator(".cm-content").click()
        page.keyboard.insert_text(code)  # no auto-indent: the code arrives as written
        page.keyboard.press("Shift+Enter")
        if not wait:
            cell.locator(".jp-InputPrompt", has_text="[*]").wait_for()
            return
        cell.locator(".jp-InputPrompt", has_text=re.compile(r"\[\d+\]")).wait_for(timeout=w.START_TIMEOUT_MS)
        if expect is not None:
            cell.locator(".jp-OutputArea-output", has_text=expect).first.wait_for()

    return action


def _markdown_cell(text: str) -> Callable[[w.Run], None]:
    """Turn the last cell into Markdown (Esc, M), type ``text`` and render it (Shift+Enter)."""

    def action(run: w.Run) -> None:
        page = run.page
        cells = _panel(run).locator(".jp-Notebook .jp-Cell")
        cell = cells.nth(cells.count() - 1)
        cell.locator(".cm-content").click()
        page.keyboard.press("Escape")
        page.keyboard.press("m")
        page.keyboard.press("Enter")
        page.keyboard.insert_text(text)
        page.keyboard.press("Shift+Enter")
        _panel(run).locator(".jp-MarkdownOutput h1", has_text=text.lstrip("# ")).first.wait_for()

    return action


def _rename_to(name: str) -> Callable[[w.Run], None]:
    """The dialog File > Rename… opens: type the new name, press Rename."""

    def action(run: w.Run) -> None:
        dialog = run.page.locator(".jp-Dialog")
        dialog.get_by_text("Rename File", exact=True).wait_for()
        field = dialog.locator("input").first
        field.fill(name)
        dialog.locator(".jp-Dialog-footer button", has_text=re.compile(r"^\s*Rename\s*$")).click()
        run.page.locator(
            ".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel", has_text=name
        ).wait_for()

    return action


def _dialog(title: str, body: str, button: str) -> Callable[[w.Run], None]:
    """A JupyterLab dialog with exactly this title and text: press ``button``."""
    return lambda run: w.answer_dialog(run, title, body, button)


def _close_current_tab(run: w.Run) -> None:
    """Click the × of the current tab (no dialog: the document was saved)."""
    tab = run.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    label = tab.locator(".lm-TabBar-tabLabel").inner_text()
    tab.locator(".lm-TabBar-tabCloseIcon").click()
    run.page.locator(
        ".lm-DockPanel-tabBar .lm-TabBar-tabLabel", has_text=re.compile(rf"^{re.escape(label)}$")
    ).wait_for(state="detached")
    assert run.page.locator(".jp-Dialog").count() == 0, f"closing {label} asked something"


def _server_api(run: w.Run, what: str) -> list[dict]:  # type: ignore[type-arg]
    """The single-user server's own REST API (``kernels``, ``terminals``), with the browser's login."""
    response = run.page.request.get(run.url(f"user/{run.replica.username}/api/{what}"))
    assert response.ok, f"GET api/{what}: {response.status}"
    return response.json()


def _kernels_running(count: int) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        deadline = time.monotonic() + 20
        while len(kernels := _server_api(run, "kernels")) != count:
            assert time.monotonic() < deadline, f"{len(kernels)} kernels running on the server, expected {count}"
            time.sleep(0.3)

    return action


def _terminals_running(count: int) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        terminals = _server_api(run, "terminals")
        assert len(terminals) == count, f"{len(terminals)} terminals running on the server, expected {count}"

    return action


def _sidebar(title: str) -> Callable[[w.Run], None]:
    """Click a left-sidebar icon by its tooltip (``Table of Contents``, ``Running Terminals and Kernels``)."""

    def action(run: w.Run) -> None:
        tab = run.page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab").filter(
            has=run.page.locator(".lm-TabBar-tabIcon")
        )
        titles = [t or "" for t in (tab.nth(i).get_attribute("title") for i in range(tab.count()))]
        index = next((i for i, t in enumerate(titles) if t == title or t.startswith(f"{title} (")), None)
        assert index is not None, f"no left-sidebar icon titled {title!r}; the icons are {titles}"
        if "lm-mod-current" not in (tab.nth(index).get_attribute("class") or ""):
            tab.nth(index).click()

    return action


def _running_panel_lists(*texts: str) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        panel = run.page.locator("#jp-running-sessions")
        for text in texts:
            panel.get_by_text(text, exact=True).first.wait_for()

    return action


def _shut_down_kernel_of(notebook: str) -> Callable[[w.Run], None]:
    """In Running Terminals and Kernels, under Kernels: hover the notebook's kernel, press its Shut Down (×)."""

    def action(run: w.Run) -> None:
        panel = run.page.locator("#jp-running-sessions")
        kernel = panel.locator(".jp-RunningSessions-item.jp-mod-kernel").filter(
            has=run.page.locator(":scope > .jp-RunningSessions-itemLabel", has_text=notebook)
        )
        assert kernel.count() == 1, f"Kernels lists {kernel.count()} kernels of {notebook}"
        kernel.locator(":scope > .jp-RunningSessions-itemLabel").hover()
        kernel.locator(":scope > .jp-RunningSessions-itemShutdown[title='Shut Down']").click()

    return action


def _toc_shows(heading: str) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        run.page.locator(".jp-TableOfContents").get_by_text(heading, exact=True).first.wait_for()

    return action


def _command_palette(query: str) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        page = run.page
        page.keyboard.press("Escape")
        _panel(run).locator(".jp-Notebook").click(position={"x": 600, "y": 400}) if _panel(run).count() else None
        page.keyboard.press("Control+Shift+C")
        palette = page.locator(".lm-CommandPalette:visible").first
        palette.locator("input").fill(query)
        palette.locator(".lm-CommandPalette-itemLabel", has_text="Restart Kernel…").first.wait_for()

    return action


def _open_from_file_browser(name: str) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        run.page.locator(".jp-DirListing-item", has_text=name).first.dblclick()
        run.page.locator(
            ".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel", has_text=name
        ).wait_for()

    return action


def _delete_cell_with(text: str) -> Callable[[w.Run], None]:
    """Select the code cell that contains ``text``, press Esc (command mode), then D, D to delete it."""

    def action(run: w.Run) -> None:
        cells = _panel(run).locator(".jp-Notebook .jp-Cell")
        before = cells.count()
        target = cells.filter(has=run.page.locator(".cm-content", has_text=text))
        assert target.count() == 1, f"{target.count()} cells contain {text!r}"
        target.locator(".cm-content").click()
        run.page.keyboard.press("Escape")
        run.page.keyboard.press("d")
        run.page.keyboard.press("d")
        deadline = time.monotonic() + 10
        while cells.count() != before - 1:
            assert time.monotonic() < deadline, f"D, D did not delete the cell with {text!r}"
            time.sleep(0.2)

    return action


def _ran_from_the_top(run: w.Run) -> None:
    """After Run > Run All Cells, the cell ``x`` shows 42 again instead of its NameError."""
    cells = _panel(run).locator(".jp-Notebook .jp-Cell")
    x_cell = cells.filter(has=run.page.locator(".cm-content", has_text=re.compile(r"^x$")))
    assert x_cell.count() == 1, f"{x_cell.count()} cells hold just x"
    x_cell.locator(".jp-OutputArea-output", has_text="42").first.wait_for()
    w.wait_for_idle_kernel(run, "Python 3 (ipykernel)")
    assert _panel(run).get_by_text("NameError").count() == 0, "a cell still shows the NameError"


def _saved(run: w.Run) -> None:
    """A notebook with unsaved changes shows a dot instead of the × on its tab."""
    tab = run.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    deadline = time.monotonic() + 10
    while "jp-mod-dirty" in (tab.get_attribute("class") or ""):
        assert time.monotonic() < deadline, "the notebook still has unsaved changes"
        time.sleep(0.2)


def _press(*keys: str) -> Callable[[w.Run], None]:
    def action(run: w.Run) -> None:
        for key in keys:
            run.page.keyboard.press(key)

    return action


def _open_in_jupyter_notebook(run: w.Run) -> None:
    """Runs only where the replica serves Jupyter Notebook (the ``notebook`` package installed)."""
    page = run.page
    with page.context.expect_page() as opened:
        run.exact("menuitem", "View", page.locator("#jp-menu-panel")).click()
        run.exact("menuitem", "Open in Jupyter Notebook", page.locator(".lm-Menu").last).click()
    tab = opened.value
    tab.wait_for_url(re.compile(rf".*/user/[^/]+/notebooks/{re.escape(NOTEBOOK)}$"))
    tab.close()


# --- the walkthroughs -------------------------------------------------------------------------------

OPEN_HUB, *STARTING = w.into_jupyterlab()

PYTHON = w.Walkthrough(
    "Tour JupyterLab with a Python notebook, a terminal and the Running panel",
    w.say(
        "Open {{ hub.url }}, log in and start your server. JupyterLab shows the File Browser and the Launcher.",
        OPEN_HUB,
    ),
    *STARTING,
    w.open_file_browser(),
    w.screenshot(
        "launcher",
        "JupyterLab just after the server started: the menu bar at the top, the icons of the left sidebar, "
        "the File Browser, and the Launcher with its Notebook, Console and Other sections",
    ),
    w.say(
        "In the Launcher, under Notebook, click Python 3 (ipykernel). A tab called Untitled.ipynb opens.",
        w.launcher("Python 3 (ipykernel)", "Notebook"),
    ),
    w.do("the kernel starts: Python 3 (ipykernel) | Idle in the status bar", _kernel_idle("Python 3 (ipykernel)")),
    w.say(
        "Give it a name: open the File menu, click Rename Notebook…, type first-steps.ipynb and click Rename.",
        menu("File", "Rename Notebook…"),
    ),
    w.do(f"rename the notebook to {NOTEBOOK}", _rename_to(NOTEBOOK), labels=["Rename File", "Rename"]),
    w.say(
        "Press Esc, then M: the cell is now Markdown. Type a heading and press Shift+Enter.",
        w.do("a Markdown cell with a heading", _markdown_cell("# My first notebook")),
    ),
    w.say(
        "Type code into the next cell and press Shift+Enter. The cell runs, and its output appears under it.",
        w.do("run a code cell", _run_cell("x = 6 * 7\nx", "42")),
    ),
    w.do(
        "run a second code cell", _run_cell("import platform\nprint('Python', platform.python_version())", "Python 3")
    ),
    w.screenshot(
        "notebook",
        "A notebook in JupyterLab: a heading, two code cells with their outputs, the notebook toolbar, "
        "and the status bar showing Python 3 (ipykernel) | Idle",
    ),
    w.say(
        "The code runs in the notebook's kernel. Its menu, Kernel, can interrupt it or restart it.",
        w.open_menu("Kernel"),
    ),
    w.screenshot(
        "kernel-menu",
        "JupyterLab's Kernel menu: Interrupt Kernel, Restart Kernel…, Restart Kernel and Clear…, "
        "Shut Down Kernel, Change Kernel… and more",
        crop=".lm-Menu",
        hub_dependent=False,
        blur=False,
    ),
    w.say(
        "This cell runs for a minute. It shows [*] until it is done.",
        w.do(
            "start a cell that runs for a minute",
            _run_cell("import time\nfor second in range(60):\n    time.sleep(1)", wait=False),
        ),
    ),
    w.say(
        "To stop it, open the Kernel menu and click Interrupt Kernel. Python shows KeyboardInterrupt.",
        menu("Kernel", "Interrupt Kernel"),
    ),
    w.do(
        "the cell stops with KeyboardInterrupt",
        lambda run: _panel(run).get_by_text("KeyboardInterrupt").first.wait_for(),
    ),
    w.do("the kernel is idle again", _kernel_idle("Python 3 (ipykernel)")),
    w.say(
        "To start fresh, open the Kernel menu and click Restart Kernel…, then Restart in the dialog.",
        menu("Kernel", "Restart Kernel…"),
    ),
    w.do(
        "confirm the restart",
        _dialog("Restart Kernel?", "All variables will be lost.", "Restart"),
        labels=["Restart Kernel?", "Restart"],
    ),
    w.do("the kernel is back", _kernel_idle("Python 3 (ipykernel)")),
    w.say(
        "After a restart every variable is gone: x gives a NameError.",
        w.do("x is gone after the restart", _run_cell("x", "NameError")),
    ),
    w.say(
        "Delete the cell that runs too long: click it, press Esc, then D twice.",
        w.do("delete the cell that runs too long: Esc, then D, D", _delete_cell_with("range(60)")),
    ),
    w.say("Run > Run All Cells runs the cells again from the top: x is back.", menu("Run", "Run All Cells")),
    w.do("the notebook ran from the top: x is back", _ran_from_the_top),
    w.say(
        "The icon Table of Contents on the left lists the headings of the notebook.",
        w.do("open the Table of Contents", _sidebar("Table of Contents"), labels=["Table of Contents"]),
    ),
    w.do("it lists the notebook's heading", _toc_shows("My first notebook")),
    w.say(
        "Press Ctrl+Shift+C for the command palette, and type a few letters: it finds every command.",
        w.do("open the command palette and search", _command_palette("restart")),
    ),
    w.screenshot(
        "command-palette",
        "JupyterLab's command palette with the word restart typed in: the matching commands, "
        "such as Restart Kernel…, with their keyboard shortcuts",
        crop=".lm-CommandPalette",
        hub_dependent=False,
        blur=False,
    ),
    w.do("close the palette", _press("Escape")),
    w.say("Save: File > Save Notebook. The dot on the notebook's tab goes away.", menu("File", "Save Notebook")),
    w.do("saved: no dot on the tab", _saved),
    w.say(
        "Close the notebook's tab with the × on the tab. Its kernel keeps running.",
        w.do(f"close the tab of {NOTEBOOK}", _close_current_tab),
    ),
    w.do("its kernel is still running on the server", _kernels_running(1)),
    w.say(
        "In the Launcher, click Terminal under Other. Type ls and press Enter: it lists the files of your home folder.",
        w.open_file_browser(),
    ),
    w.open_terminal(),
    w.run_in_terminal("ls", expect=NOTEBOOK),
    w.screenshot(
        "terminal",
        "A terminal in JupyterLab: the command ls lists the notebook first-steps.ipynb in the home folder",
    ),
    w.say(
        "Close the terminal's tab too: the terminal keeps running.",
        w.do("close the terminal's tab", _close_current_tab),
    ),
    w.do("the terminal is still running on the server", _terminals_running(1)),
    w.say(
        "Click the icon Running Terminals and Kernels on the left. Under Kernels and Terminals, both still run.",
        w.do(
            "open Running Terminals and Kernels",
            _sidebar("Running Terminals and Kernels"),
            labels=["Running Terminals and Kernels"],
        ),
    ),
    w.do("it lists the closed notebook's kernel and the terminal", _running_panel_lists(NOTEBOOK, "terminals/1")),
    w.screenshot(
        "running-panel",
        "The Running Terminals and Kernels panel after closing both tabs: under Kernels, the kernel of "
        "first-steps.ipynb is still running; under Terminals, terminals/1 is too",
    ),
    w.say(
        "To stop a kernel, point at it under Kernels and click the × (Shut Down) that appears.",
        w.do(
            "Kernels: Shut Down the kernel of the closed notebook",
            _shut_down_kernel_of(NOTEBOOK),
            labels=["Kernels", "Shut Down"],
        ),
    ),
    w.do("no kernel is left", _kernels_running(0)),
    w.say("Double-click first-steps.ipynb in the File Browser: its kernel starts again.", w.open_file_browser()),
    w.do(f"open {NOTEBOOK} again from the File Browser", _open_from_file_browser(NOTEBOOK)),
    w.do("its kernel starts again", _kernel_idle("Python 3 (ipykernel)")),
    w.do("one kernel is running", _kernels_running(1)),
    w.say(
        "To close a notebook and stop its kernel in one go: File > Close and Shut Down Notebook…, then Ok.",
        menu("File", "Close and Shut Down Notebook…"),
    ),
    w.do(
        "confirm",
        _dialog("Shut down the notebook?", f'Are you sure you want to close "{NOTEBOOK}"?', "Ok"),
        labels=["Shut down the notebook?", "Ok"],
    ),
    w.do("the tab is closed and no kernel is left", _kernels_running(0)),
    w.do(
        "View > Open in Jupyter Notebook opens the same notebook in Jupyter Notebook",
        _open_in_jupyter_notebook,
        requires=["notebook"],
    ),
    requires=["lab", "python"],
)

R = w.Walkthrough(
    "Run an R notebook in JupyterLab",
    w.say("Open {{ hub.url }}, log in and start your server: JupyterLab opens.", OPEN_HUB),
    *STARTING,
    w.say(
        "In the Launcher, under Notebook, click R. It runs R in a notebook, with the IRkernel kernel.",
        w.launcher("R", "Notebook"),
    ),
    w.do("the R kernel starts: R | Idle in the status bar", _kernel_idle("R")),
    w.say(
        "Give it a name: open the File menu, click Rename Notebook…, type first-steps-r.ipynb and click Rename.",
        menu("File", "Rename Notebook…"),
    ),
    w.do(f"rename the notebook to {R_NOTEBOOK}", _rename_to(R_NOTEBOOK)),
    w.say(
        "Press Esc, then M: the cell is now Markdown. Type a heading and press Shift+Enter.",
        w.do("a Markdown cell with a heading", _markdown_cell("# My first R notebook")),
    ),
    w.say(
        "Type R code into the next cell and press Shift+Enter. Its output appears under it.",
        w.do("run an R cell", _run_cell("x <- c(3, 1, 4, 1, 5, 9)\nmean(x)", "3.83333333333333")),
    ),
    w.do("run a second R cell", _run_cell("R.version.string", "R version")),
    w.screenshot(
        "r-notebook",
        "An R notebook in JupyterLab: a heading and two R cells with their outputs; the toolbar and the "
        "status bar name the kernel R",
    ),
    w.say(
        "This cell runs for a minute. It shows [*] until it is done.",
        w.do("start a cell that runs for a minute", _run_cell("Sys.sleep(60)", wait=False)),
    ),
    w.say(
        "To stop it, open the Kernel menu and click Interrupt Kernel. The kernel becomes Idle again.",
        menu("Kernel", "Interrupt Kernel"),
    ),
    w.do("the R kernel is idle again, well before the minute is over", _kernel_idle("R")),
    w.say(
        "Your variables are kept: print(x) still shows x.",
        w.do("x survived the interrupt", _run_cell("print(x)", "[1] 3 1 4 1 5 9")),
    ),
    requires=["lab", "r"],
)

WALKTHROUGHS = [PYTHON, R]
