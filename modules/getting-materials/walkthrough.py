"""Getting the materials: a real nbgitpuller link, clicked twice, with an update in between.

Replayed on the hub's replica with a private copy of the materials repository (the one
``hub-training screenshots`` writes, or, when a run has none, a small one made here from this
module's exercise). The copy lets the walkthrough play the instructor too: between the learner's two
clicks it commits an update, so that the second click shows what nbgitpuller 1.3.0 really does
(``nbgitpuller/pull.py``):

- the first click clones the branch into ``~/<clone folder>`` and opens the file;
- the second click keeps the learner's edit (their changes are committed, then the update is merged
  with ``git merge -Xours``), and renames a file of the learner's that the update also brings, to
  ``<name>__<YYYYMMDDHHMMSS><extension>`` (``rename_local_untracked``);
- a file of the materials the learner deleted comes back (``reset_deleted_files``).

The sync page ("Synchronizing git repository ...") is photographed while the request that does
the pull is held back, so that the picture does not depend on how fast the clone is.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import training.replay.walkthrough as w

MODULE = Path(__file__).resolve().parent
NOTEBOOK = "getting-materials/check-my-materials.ipynb"
NOTEBOOK_NAME = "check-my-materials.ipynb"
DELETED = "getting-materials/check-my-materials-r.ipynb"
CLASH = "getting-materials/notes.txt"
MY_ANSWER = "My own answer, kept by nbgitpuller"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Instructor",
    "GIT_AUTHOR_EMAIL": "instructor@example.org",
    "GIT_COMMITTER_NAME": "Instructor",
    "GIT_COMMITTER_EMAIL": "instructor@example.org",
    "PATH": "/usr/local/bin:/usr/bin:/bin",
}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True, text=True
    ).stdout


def _state(run: w.Run) -> dict[str, Any]:
    """What this walkthrough keeps between steps, on the run itself."""
    if not hasattr(run, "getting_materials"):
        run.getting_materials = {}  # type: ignore[attr-defined]
    return run.getting_materials  # type: ignore[attr-defined,no-any-return]


def _minimal_materials(run: w.Run, root: Path) -> str:
    """A materials repository holding this module's exercises, for runs given none."""
    import nbformat

    from training.model.materials import convert_notebook

    repo = root / "source"
    (repo / "getting-materials").mkdir(parents=True)
    for source in sorted((MODULE / "exercises").iterdir()):
        if source.suffix == ".md":
            target = f"getting-materials/{source.stem}.ipynb"
            notebook, problems = convert_notebook(source, run.hub.values(), target)
            assert not problems, problems
            nbformat.write(notebook, repo / target)
        else:
            (repo / "getting-materials" / source.name).write_bytes(source.read_bytes())
    _git(repo, "init", "-q")
    _git(repo, "symbolic-ref", "HEAD", f"refs/heads/{run.hub.materials.branch}")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Training materials")
    return repo.as_uri()


def _make_upstream(run: w.Run) -> None:
    """A private, writable copy of the materials, named like the last part of the hub's repository URL.

    So a hub whose repository URL ends in ``.git`` gets a link with ``targetpath``, as on the real hub.
    """
    root = Path(tempfile.mkdtemp(prefix="getting-materials-"))
    source = run.materials_repo or _minimal_materials(run, root)
    upstream = root / "upstream" / urlsplit(run.hub.materials.repo).path.rstrip("/").rsplit("/", 1)[-1]
    upstream.parent.mkdir()
    subprocess.run(["git", "clone", "-q", "--branch", run.hub.materials.branch, source, str(upstream)], check=True)
    assert (upstream / NOTEBOOK).is_file(), f"the materials have no {NOTEBOOK}"
    _state(run)["upstream"] = upstream


def _link(run: w.Run, path: str) -> str:
    from training.model.nbgitpuller import nbgitpuller_url

    upstream: Path = _state(run)["upstream"]
    return nbgitpuller_url(run.replica.url, upstream.as_uri(), run.hub.materials.branch, path, "lab")


def _click_link_holding_the_sync(run: w.Run) -> None:
    """Open the link; hold nbgitpuller's pull request back until :func:`_release_sync` (for the photo)."""
    held: list[Any] = []
    _state(run)["held"] = held
    run.page.route(re.compile(r".*/git-pull/api\?.*"), lambda route: held.append(route))
    run.page.goto(_link(run, NOTEBOOK))


def _sync_page_shown(run: w.Run) -> None:
    page = run.page
    page.wait_for_url(re.compile(r".*/user/[^/]+/git-pull\?.*"), timeout=w.START_TIMEOUT_MS)
    page.get_by_text("Synchronizing", exact=False).first.wait_for()
    page.wait_for_timeout(1000)
    assert _state(run)["held"], "nbgitpuller's page did not start the pull"


def _release_sync(run: w.Run) -> None:
    for route in _state(run).pop("held"):
        route.continue_()
    run.page.unroute(re.compile(r".*/git-pull/api\?.*"))


def _clone_is_there(run: w.Run) -> None:
    from training.model.nbgitpuller import clone_dir

    clone = run.replica.home() / clone_dir(run.hub.materials.repo)
    assert (clone / NOTEBOOK).is_file(), f"no {NOTEBOOK} in {clone}"
    origin = _git(clone, "remote", "get-url", "origin").strip()
    assert origin == _state(run)["upstream"].as_uri(), origin
    _state(run)["clone"] = clone


def _notebook_ready(run: w.Run) -> None:
    """The notebook is rendered and its kernel is idle (what the learner sees a moment after the click)."""
    page = run.page
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput h1", has_text="Check your materials").first.wait_for()
    w.wait_for_idle_kernel(run, "Python 3 (ipykernel)")


def _write_my_answer(run: w.Run) -> None:
    """Change the text of the "Your own change" cell, run it, and save (File > Save Notebook)."""
    page = run.page
    w.wait_for_idle_kernel(run, "Python 3 (ipykernel)")
    panel = page.locator(".jp-NotebookPanel:visible").first
    cells = panel.locator(".jp-Cell")
    texts = cells.all_inner_texts()
    index = next(i for i, text in enumerate(texts) if "Write your own text here" in text and "my_answer" in text)
    cell = cells.nth(index)
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(f'my_answer = "{MY_ANSWER}"\nprint(my_answer)')
    page.keyboard.press("Shift+Enter")
    cell.locator(".jp-OutputArea-output", has_text=MY_ANSWER).wait_for(timeout=w.START_TIMEOUT_MS)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    page.wait_for_function("el => !el.classList.contains('jp-mod-dirty')", arg=tab.element_handle())
    assert MY_ANSWER in (_state(run)["clone"] / NOTEBOOK).read_text()


def _learner_makes_a_file_and_deletes_one(run: w.Run) -> None:
    """The learner saves notes of their own, and deletes a notebook they do not need (via the server)."""
    clone: Path = _state(run)["clone"]
    (clone / CLASH).write_text("My own notes\n")
    (clone / DELETED).unlink()


def _instructor_updates_the_materials(run: w.Run) -> None:
    upstream: Path = _state(run)["upstream"]
    (upstream / CLASH).write_text("Notes from the instructor\n")
    readme = upstream / "README.md"
    readme.write_text((readme.read_text() if readme.exists() else "") + "\nUpdated for the second session.\n")
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-q", "-m", "Add the instructor's notes")


def _click_link_again(run: w.Run) -> None:
    run.page.goto(_link(run, NOTEBOOK))


def _after_the_second_click(run: w.Run) -> None:
    clone: Path = _state(run)["clone"]
    assert MY_ANSWER in (clone / NOTEBOOK).read_text(), "the learner's edit was lost"
    assert (clone / CLASH).read_text() == "Notes from the instructor\n"
    renamed = sorted(p.name for p in (clone / "getting-materials").glob("notes__*.txt"))
    assert len(renamed) == 1 and re.fullmatch(r"notes__\d{14}\.txt", renamed[0]), renamed
    assert (clone / "getting-materials" / renamed[0]).read_text() == "My own notes\n"
    assert (clone / DELETED).is_file(), "the deleted notebook did not come back"
    assert "Automatic commit by nbgitpuller" in _git(clone, "log", "--format=%s")
    _state(run)["renamed"] = renamed[0]


def _answer_still_in_the_notebook(run: w.Run) -> None:
    panel = run.page.locator(".jp-NotebookPanel:visible").first
    panel.get_by_text(MY_ANSWER).first.wait_for()


def _show_folder_in_file_browser(run: w.Run) -> None:
    """Go to <clone>/getting-materials in the File Browser (the notebook's folder) and refresh it."""
    page = run.page
    page.get_by_title("Refresh the file browser.", exact=True).first.click()
    listing = page.locator(".jp-DirListing-content")
    listing.get_by_text(_state(run)["renamed"], exact=True).wait_for()
    listing.get_by_text("notes.txt", exact=True).wait_for()


def _widen_file_browser(run: w.Run, width: int = 470) -> None:
    """Drag the edge of the left panel to the right, so that long file names show in full."""
    page = run.page
    handle = page.locator("#jp-main-split-panel > .lm-SplitPanel-handle").first
    box = handle.bounding_box()
    assert box is not None, "the left panel has no handle"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(width, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()


def _needs_upstream(action: Callable[[w.Run], None]) -> Callable[[w.Run], None]:
    def guarded(run: w.Run) -> None:
        if "upstream" not in _state(run):
            raise w.Skip("no materials repository")
        action(run)

    return guarded


LINK_IN_JUPYTERLAB = w.Walkthrough(
    "Open the materials with a link, change them, and click the link again after an update",
    w.Step(
        "make a private copy of the materials (the instructor's repository)",
        _make_upstream,
        frozenset({"lab"}),
        needs_materials=True,
    ),
    w.say(
        "Click a link to the materials. If you are not logged in, the hub asks you to log in first.",
        w.do("click the link while logged out", _needs_upstream(_click_link_holding_the_sync), requires=["lab"]),
    ),
    w.say("Log in with {{ hub.login.provider_name }}.", w.log_in()),
    w.say(
        "If your server is not running, it starts. The Server Options page appears first: click Start.",
        w.choose_profile(),
    ),
    w.start(),
    w.say(
        "nbgitpuller's page appears: Synchronizing git repository, with a progress bar.",
        w.do("nbgitpuller's page: Synchronizing git repository ...", _sync_page_shown, requires=["lab"]),
    ),
    w.screenshot(
        "sync-page",
        "nbgitpuller's page while it copies the materials: \"Synchronizing git repository before sending "
        'you to" the notebook, and a progress bar',
        clip=(0, 0, 1280, 260),
        requires=["lab"],
    ),
    w.say(
        "nbgitpuller copies the materials into the folder {{ hub.materials.clone_dir }}. The notebook opens in a tab.",
        w.do("let the pull run", _release_sync, requires=["lab"]),
    ),
    w.wait_for_lab(),
    w.wait_for_file(NOTEBOOK_NAME),
    w.do("the materials are cloned into the home folder", _clone_is_there, requires=["lab"]),
    w.do("widen the File Browser", _widen_file_browser, requires=["lab"]),
    w.do("the notebook is rendered and its kernel idle", _notebook_ready, requires=["lab"]),
    w.screenshot(
        "materials-opened",
        "JupyterLab after the first click: the File Browser shows the folder getting-materials of the "
        "materials, and the notebook check-my-materials.ipynb is open",
        requires=["lab"],
    ),
    w.say(
        "The copy is yours to change. Write your own text in a cell, run it, and save the notebook with Ctrl+S.",
        w.do("change the text in the notebook and save it", _write_my_answer, requires=["lab"]),
    ),
    w.do("make notes.txt and delete a notebook", _learner_makes_a_file_and_deletes_one, requires=["lab"]),
    w.do("the instructor adds notes.txt to the materials", _instructor_updates_the_materials, requires=["lab"]),
    w.say(
        "Days later, the materials were updated. Click the link again: your text stays in the notebook.",
        w.do("click the link again", _click_link_again, requires=["lab"]),
    ),
    w.wait_for_lab(),
    w.wait_for_file(NOTEBOOK_NAME),
    w.do("the edit is kept, notes renamed, the deleted notebook back", _after_the_second_click, requires=["lab"]),
    w.do("the notebook shows the learner's text", _answer_still_in_the_notebook, requires=["lab"]),
    w.do("the notebook is rendered and its kernel idle", _notebook_ready, requires=["lab"]),
    w.do("widen the File Browser", _widen_file_browser, requires=["lab"]),
    w.say(
        "The update brought a notes.txt of its own, so your notes.txt is renamed: notes__ and the date and time.",
        w.do("the File Browser shows both notes files", _show_folder_in_file_browser, requires=["lab"]),
    ),
    w.screenshot(
        "after-update",
        "JupyterLab after the second click: the File Browser lists notes.txt from the update next to the "
        "learner's own notes, renamed notes__ followed by the date and time; the notebook still shows "
        "the learner's text",
        requires=["lab"],
    ),
    requires=["lab"],
)


LINK_IN_RSTUDIO = w.Walkthrough(
    "Open the materials with a link in RStudio",
    w.not_replayed(
        "click a link with urlpath=rstudio/: RStudio opens, with the Files pane", requires=["rstudio"], labels=["Files"]
    ),
    w.not_replayed("Files pane: open the materials folder, then the script", requires=["rstudio"]),
    requires=["rstudio"],
)

WALKTHROUGHS = [LINK_IN_JUPYTERLAB, LINK_IN_RSTUDIO]
