"""Your files: upload (button and drag and drop), download a file, pack and download a folder,
check your usage in a terminal, delete a file for good from the File Browser (a hub's default: no
Trash), and see that Delete refuses a folder with files in it, which ``rm -r`` removes.
RStudio's Files pane steps, and Move to Trash on a hub that keeps a Trash, are listed as not
replayed (tests/test_module_your_files.py replays Move to Trash on JupyterLab alone).

Every label here ("Upload Files", "Download", "Delete", "Delete Failed", "Terminal", ...) is matched
exactly on JupyterLab 4.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import training.replay.walkthrough as w

SAMPLE = "station,temperature\nA,12.5\nB,14.1\nC,9.8\n"
TRASH = Path(".local/share/Trash")
DROPPED = "station,rainfall\nA,3.2\nB,0.0\nC,11.4\n"


def _item(run: w.Run, name: str):  # type: ignore[no-untyped-def]
    """The File Browser row of ``name`` (exact name)."""
    return run.page.locator(".jp-DirListing-item").filter(
        has=run.page.locator(".jp-DirListing-itemText", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
    )


def upload_with_button(run: w.Run) -> None:
    """Press the File Browser's "Upload Files" button and pick a file in the browser's file dialog."""
    source = Path(tempfile.mkdtemp(prefix="walkthrough-upload-")) / "temperatures.csv"
    source.write_text(SAMPLE)
    with run.page.expect_file_chooser() as chooser:
        run.exact("button", "Upload Files", run.page.locator(".jp-FileBrowser-toolbar")).click()
    chooser.value.set_files(str(source))
    _item(run, "temperatures.csv").wait_for()
    uploaded = run.replica.home() / "temperatures.csv"
    assert uploaded.read_text() == SAMPLE, "the uploaded file on the server differs from the original"


def drag_and_drop(run: w.Run) -> None:
    """Drop a file from the computer onto the File Browser's list.

    A real drop from the desktop cannot be scripted, so this dispatches the browser's own ``drop``
    event on the list with the file in ``dataTransfer.files`` (what a browser without directory
    entries hands JupyterLab); JupyterLab then uploads it exactly as it does a desktop drop.
    """
    run.page.evaluate(
        """(text) => {
            const list = document.querySelector(".jp-FileBrowser .jp-DirListing-content");
            const drop = new Event("drop", {bubbles: true, cancelable: true});
            const file = new File([text], "rainfall.csv", {type: "text/csv"});
            Object.defineProperty(drop, "dataTransfer", {value: {files: [file]}});
            list.dispatchEvent(drop);
        }""",
        DROPPED,
    )
    _item(run, "rainfall.csv").wait_for()
    assert (run.replica.home() / "rainfall.csv").read_text() == DROPPED


def open_context_menu(name: str) -> w.Step:
    def action(run: w.Run) -> None:
        run.page.keyboard.press("Escape")
        _item(run, name).click(button="right")
        run.page.locator(".lm-Menu").last.wait_for()

    return w.do(f"right-click {name} in the File Browser", action, requires=["lab"])


def download(name: str) -> w.Step:
    """Click "Download" in the open context menu and check the browser received the file unchanged."""

    def action(run: w.Run) -> None:
        with run.page.expect_download() as event:
            run.exact("menuitem", "Download", run.page.locator(".lm-Menu").last).click()
        received = Path(event.value.path())
        assert event.value.suggested_filename == name, f"downloaded as {event.value.suggested_filename!r}"
        assert received.read_bytes() == (run.replica.home() / name).read_bytes(), "the download differs from the file"

    return w.do(f"Download {name}", action, requires=["lab"], labels=["Download"])


def folder_has_no_download(run: w.Run) -> None:
    """JupyterLab 4 offers "Download" for files only: a folder's menu has no such item."""
    items = [" ".join(t.split()) for t in run.page.locator(".lm-Menu").last.get_by_role("menuitem").all_inner_texts()]
    assert "Download" not in items, f"a folder's context menu now offers Download: {items}"
    assert "Open in Terminal" in items, items
    run.page.keyboard.press("Escape")


def make_results_folder(run: w.Run) -> None:
    """A results folder, as a learner would have after some work (made on the server's disk)."""
    folder = run.replica.home() / "results"
    folder.mkdir(exist_ok=True)
    (folder / "summary.csv").write_text("station,mean\nA,12.1\nB,13.9\n")
    (folder / "notes.txt").write_text("Run on the hub.\n")
    run.exact("button", "Refresh the file browser.").click()
    _item(run, "results").wait_for()


def refresh(name: str) -> w.Step:
    def action(run: w.Run) -> None:
        run.exact("button", "Refresh the file browser.").click()
        _item(run, name).wait_for()

    return w.do(f"refresh the File Browser until {name} shows", action, requires=["lab"])


def delete_permanently(name: str) -> w.Step:
    """Click "Delete" in the open context menu and confirm JupyterLab's dialog: the file is gone for good.

    jupyter_server sends deleted files to the Trash by default (``delete_to_trash``), but the hub's
    single-user server turns that off (jupyterhub/jupyterhub#1688): JupyterLab then says "Delete",
    asks to "permanently delete", and keeps nothing in ``~/.local/share/Trash``.
    """

    def action(run: w.Run) -> None:
        w.menu_item(run, "Delete").click()
        w.answer_dialog(
            run,
            "Delete",
            f"Are you sure you want to permanently delete: {name}?",
            "Delete",
            buttons=["Cancel", "Delete"],
        )
        _item(run, name).wait_for(state="detached")
        assert not (run.replica.home() / name).exists(), f"{name} is still in the home folder"
        assert not (run.replica.home() / TRASH).exists(), "the hub keeps a Trash"

    return w.do(f"delete {name} for good", action, requires=["lab"], labels=["Delete"])


def move_to_trash(name: str) -> w.Step:
    """Click "Move to Trash" in the open context menu and confirm: the file lands in ``~/.local/share/Trash``.

    With ``delete_to_trash`` on, JupyterLab names the menu item, the dialog and its button "Move to
    Trash". The file leaves the File Browser and the home folder's list, and is kept in the Trash
    inside the home folder (``files/`` and ``info/``), where it still takes up space.
    """

    def action(run: w.Run) -> None:
        original = (run.replica.home() / name).read_bytes()
        w.menu_item(run, "Move to Trash").click()
        question = f"Are you sure you want to move to trash: {name}?"
        w.answer_dialog(run, "Move to Trash", question, "Move to Trash", buttons=["Cancel", "Move to Trash"])
        _item(run, name).wait_for(state="detached")
        assert not (run.replica.home() / name).exists(), f"{name} is still in the home folder"
        trash = run.replica.home() / TRASH
        assert (trash / "files" / name).read_bytes() == original, f"{name} is not in {trash}/files"
        info = (trash / "info" / f"{name}.trashinfo").read_text()
        assert f"Path={run.replica.home() / name}" in info, info

    return w.do(f"move {name} to the Trash", action, requires=["lab"], labels=["Move to Trash"])


def delete_full_folder(name: str) -> w.Step:
    """Delete on a folder with files in it: the server refuses, JupyterLab shows "Delete Failed"."""

    def action(run: w.Run) -> None:
        w.menu_item(run, "Delete").click()
        w.answer_dialog(
            run,
            "Delete",
            f"Are you sure you want to permanently delete: {name}?",
            "Delete",
            buttons=["Cancel", "Delete"],
        )
        # jupyter_server refuses to delete a folder that is not empty (without a Trash); JupyterLab says so.
        w.answer_dialog(
            run, "Delete Failed", f"Directory {run.replica.home() / name} not empty", "Close", buttons=["Close"]
        )
        assert (run.replica.home() / name).is_dir(), f"{name} was deleted"

    return w.do(
        f"Delete on the folder {name} fails", action, requires=["lab"], labels=["Delete", "Delete Failed", "Close"]
    )


def folder_removed(name: str) -> w.Step:
    """The folder is gone from the home folder, and from the File Browser once it is refreshed."""

    def action(run: w.Run) -> None:
        deadline = time.monotonic() + 10
        while (run.replica.home() / name).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not (run.replica.home() / name).exists(), f"{name} is still there"
        run.exact("button", "Refresh the file browser.").click()
        _item(run, name).wait_for(state="detached")

    return w.do(f"{name} is gone", action, requires=["lab"])


def home_usage_printed(run: w.Run) -> None:
    """``du -sh ~`` printed a size and the home folder's path."""
    text = w.terminal_text(run, str(run.replica.home()))
    line = next(line for line in text.splitlines() if str(run.replica.home()) in line and "du -sh" not in line)
    assert re.match(r"^\s*\d+(\.\d+)?[KMG]?\s+/", line), f"du printed {line!r}"


def show_launcher(run: w.Run) -> None:
    """Bring the Launcher tab to the front (an uploaded file may have opened in front of it)."""
    tabs = run.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab")
    tabs.filter(has=run.page.locator(".lm-TabBar-tabLabel", has_text=re.compile(r"^Launcher$"))).first.click()
    run.page.locator(".jp-Launcher:visible").first.wait_for()


OPEN_HUB, *STARTING = w.into_jupyterlab()

WALKTHROUGH = w.Walkthrough(
    "Upload, download and check your usage",
    w.say(
        "Open {{ hub.url }}, log in and start your server. Upload Files is the arrow pointing up, above the file list.",
        OPEN_HUB,
    ),
    *STARTING,
    w.open_file_browser(),
    w.screenshot(
        "upload-button",
        "JupyterLab's File Browser with its toolbar: the Upload Files button is the arrow pointing up",
        clip=(0, 28, 284, 110),
        hub_dependent=False,
    ),
    w.say(
        "Click Upload Files, choose a file in the window that opens, and confirm. The file is in the list.",
        w.do(
            "upload temperatures.csv with the Upload Files button",
            upload_with_button,
            requires=["lab"],
            labels=["Upload Files"],
        ),
    ),
    w.say(
        "Or drag files from your computer's file manager and drop them onto the file list.",
        w.do("drag rainfall.csv onto the File Browser", drag_and_drop, requires=["lab"]),
    ),
    w.screenshot(
        "uploaded-files",
        "The File Browser listing the two uploaded files, rainfall.csv and temperatures.csv",
        clip=(33, 68, 152, 110),  # not the Modified column: "now" and "1s ago" change from run to run
        hub_dependent=False,
    ),
    w.say(
        "To download a file, right-click it in the File Browser and choose Download.",
        open_context_menu("temperatures.csv"),
    ),
    w.screenshot(
        "download-menu",
        "The menu that opens when you right-click a file in the File Browser, with Download in it",
        crop=".lm-Menu",
        blur=False,
        hub_dependent=False,
    ),
    download("temperatures.csv"),
    w.do("make a results folder", make_results_folder, requires=["lab"]),
    w.say("A folder's right-click menu has no Download.", open_context_menu("results")),
    w.do("a folder's menu has no Download", folder_has_no_download, requires=["lab"]),
    w.say(
        "Click the Launcher tab, then Terminal under Other.",
        w.do("click the Launcher tab", show_launcher, requires=["lab"], labels=["Launcher"]),
    ),
    w.open_terminal(),
    w.say("Run du -sh ~ to see how much space your home folder uses.", w.run_in_terminal("du -sh ~")),
    w.do("see the size of the home folder", home_usage_printed, requires=["lab"]),
    w.say(
        "To download a folder, pack it into one file first: tar -czf results.tar.gz results.",
        w.run_in_terminal("tar -czf results.tar.gz results", expect="$"),
    ),
    w.say(
        "List each folder's size, largest last, with du -h --max-depth=1 | sort -h. The last line is the total.",
        w.run_in_terminal("clear"),
    ),
    w.run_in_terminal("du -h --max-depth=1 | sort -h", expect="./results"),
    w.screenshot(
        "terminal-usage",
        "A JupyterLab terminal showing the size of each folder in the home folder, the total last",
        clip=(284, 28, 996, 260),
        hub_dependent=False,
    ),
    w.say(
        "If results.tar.gz does not appear in the File Browser, click the circular arrow to refresh it.",
        w.open_file_browser(),
    ),
    refresh("results.tar.gz"),
    w.say("Right-click results.tar.gz and choose Download.", open_context_menu("results.tar.gz")),
    download("results.tar.gz"),
    w.say(
        "To delete a file, right-click it and choose Delete. Click Delete in the dialog.",
        open_context_menu("temperatures.csv"),
    ),
    delete_permanently("temperatures.csv"),
    w.say(
        "JupyterLab deletes a folder only when it is empty: Delete Failed says so. Click Close.",
        open_context_menu("results"),
    ),
    delete_full_folder("results"),
    w.say("Delete such a folder in a terminal instead: rm -r results.", w.run_in_terminal("rm -r results")),
    folder_removed("results"),
    w.not_replayed(
        "a hub that keeps a Trash: Move to Trash, then du -sh and rm -rf ~/.local/share/Trash",
        "the replica cannot start a server with the Trash on (a command-line option of the hub's spawner); "
        "tests/test_module_your_files.py replays Move to Trash on JupyterLab alone",
        requires=["lab"],
        labels=["Move to Trash"],
    ),
    w.not_replayed("RStudio: Files pane > Upload, choose the file, OK", requires=["rstudio"], labels=["Upload", "OK"]),
    w.not_replayed(
        "RStudio: tick the file, More > Export..., Download",
        requires=["rstudio"],
        labels=["More", "Export...", "Download"],
    ),
    w.not_replayed("RStudio: tick the files, Delete, confirm", requires=["rstudio"], labels=["Delete"]),
    w.not_replayed("RStudio: open know-your-files.R, Source", requires=["rstudio"], labels=["Source", "Console"]),
)
