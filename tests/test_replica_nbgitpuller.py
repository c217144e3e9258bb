"""nbgitpuller links opened for real on the replica: logged out → login → spawn → clone → the file open.

Also what a learner sees when they click again after the materials changed: new files arrive, their
edits are kept (``git merge -Xours``), a file of theirs that upstream now also has is renamed with a
``__<timestamp>`` suffix, and a file they deleted comes back. And whether git's "dumb HTTP" (a plain
static server) can serve the materials.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import nbformat
import pytest

import training.replay.walkthrough as w
from training.gates.static_server import serve_directory
from training.model.nbgitpuller import nbgitpuller_url
from training.replay.replica import Replica

from .conftest import report_gate

pytestmark = [pytest.mark.hub, pytest.mark.browser]

NOTES = ["line 1", "line 2", "line 3", "line 4", "line 5"]


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    return subprocess.run(
        ["git", "-c", "user.name=Tests", "-c", "user.email=tests@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(repo), **env},
    ).stdout


def notebook(path: Path, heading: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {heading}")])
    nbformat.write(nb, path)


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def materials(tmp_path: Path) -> Path:
    """A source repository like the materials: a notebook, notes and a data file, on branch main."""
    repo = tmp_path / "src" / "training-materials"
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    notebook(repo / "intro" / "welcome.ipynb", "Welcome to the materials")
    (repo / "notes.md").write_text("\n".join(NOTES) + "\n")
    (repo / "data.csv").write_text("a,b\n1,2\n")
    commit_all(repo, "first")
    return repo


def open_link(url: str, file_name: str, heading: str) -> w.Walkthrough:
    """Open a link (logging in and starting the server when the hub asks) until the file is open."""

    def go(run: w.Run) -> None:
        run.page.goto(url)
        if "/hub/login" in run.page.url:
            w.log_in().action(run)
        if "/hub/spawn" in run.page.url and run.page.get_by_role("heading", name="Server Options").count():
            w.start().action(run)

    def heading_shown(run: w.Run) -> None:
        run.page.locator(".jp-MarkdownOutput h1", has_text=heading).first.wait_for()

    return w.Walkthrough(
        f"open {file_name}",
        w.do("open the link", go),
        w.wait_for_lab(),
        w.wait_for_file(file_name),
        w.do(f"see the heading {heading!r}", heading_shown),
    )


def test_link_clones_opens_the_file_and_a_second_click_updates_and_keeps_edits(
    replica: Replica, browser, materials: Path
) -> None:  # type: ignore[no-untyped-def]
    replica.reset_user()
    repo_url = materials.as_uri()
    link = nbgitpuller_url(replica.url, repo_url, "main", "intro/welcome.ipynb", "lab")
    context = w.new_context(browser)
    try:
        # 1. Logged out: login, Server Options, start, clone, the notebook open in JupyterLab.
        w.run_walkthrough(open_link(link, "welcome.ipynb", "Welcome to the materials"), replica, context)
        page = context.pages[-1]
        assert re.search(r"/user/researcher/lab/tree/training-materials/intro/welcome\.ipynb$", page.url), page.url
        clone = replica.home() / "training-materials"
        assert git(clone, "remote", "get-url", "origin").strip() == repo_url
        assert git(clone, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"

        # 2. The learner works: edits the notebook and notes, adds a file, deletes the data.
        edited = nbformat.read(clone / "intro" / "welcome.ipynb", as_version=4)
        edited.cells.append(nbformat.v4.new_markdown_cell("My own note"))
        nbformat.write(edited, clone / "intro" / "welcome.ipynb")
        (clone / "notes.md").write_text("\n".join(["learner line 1", *NOTES[1:]]) + "\n")
        (clone / "intro" / "extra.md").write_text("the learner's extra\n")
        (clone / "data.csv").unlink()

        # 3. The materials change upstream, in the same places and elsewhere.
        notebook(materials / "intro" / "second.ipynb", "The second notebook")
        (materials / "notes.md").write_text("\n".join(["upstream line 1", *NOTES[1:4], "upstream line 5"]) + "\n")
        (materials / "intro" / "extra.md").write_text("upstream extra\n")
        commit_all(materials, "second")

        # 4. A click on a link to the new notebook (the server is still running).
        second = nbgitpuller_url(replica.url, repo_url, "main", "intro/second.ipynb", "lab")
        w.run_walkthrough(open_link(second, "second.ipynb", "The second notebook"), replica, context)
    finally:
        context.close()

    assert (clone / "intro" / "second.ipynb").exists()
    cells = nbformat.read(clone / "intro" / "welcome.ipynb", as_version=4).cells
    assert [c.source for c in cells] == ["# Welcome to the materials", "My own note"], "the learner's edit is kept"
    notes = (clone / "notes.md").read_text().splitlines()
    assert notes[0] == "learner line 1", "a line both changed: the learner's version wins (-Xours)"
    assert notes[4] == "upstream line 5", "a line only upstream changed: updated"
    assert (clone / "intro" / "extra.md").read_text() == "upstream extra\n"
    renamed = [p.name for p in (clone / "intro").glob("extra__*.md")]
    assert len(renamed) == 1, renamed
    assert re.fullmatch(r"extra__\d{14}\.md", renamed[0]), renamed
    assert (clone / "intro" / renamed[0]).read_text() == "the learner's extra\n"
    assert (clone / "data.csv").exists(), "a deleted file comes back on the next click"
    report_gate(
        "nbgitpuller: second click pulled new files, kept edits (-Xours), "
        f"renamed a clashing learner file to {renamed[0]}, restored a deleted file"
    )
    replica.reset_user()


def _bare_http_copy(materials: Path, root: Path) -> Path:
    bare = root / "training-materials.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(materials), str(bare)], check=True)
    subprocess.run(["git", "update-server-info"], cwd=bare, check=True)
    return bare


@pytest.mark.parametrize(("depth", "works"), [(None, False), ("0", True)], ids=["default-depth", "depth-0"])
def test_dumb_http_from_a_static_server(
    replica: Replica, browser, materials: Path, tmp_path: Path, depth, works
) -> None:  # type: ignore[no-untyped-def]
    """A plain static server (``git update-server-info`` + http.server) serves git's "dumb HTTP".

    nbgitpuller clones with ``--depth 1`` by default, which dumb HTTP cannot do; a link with
    ``&depth=0`` asks for a full clone, which works.
    """
    replica.reset_user()
    root = tmp_path / "static"
    root.mkdir()
    _bare_http_copy(materials, root)
    with serve_directory(root) as base:
        repo_url = f"{base}training-materials.git"
        link = nbgitpuller_url(replica.url, repo_url, "main", "intro/welcome.ipynb", "lab")
        if depth is not None:
            link += f"&depth={depth}"
        context = w.new_context(browser)
        try:
            if works:
                w.run_walkthrough(open_link(link, "welcome.ipynb", "Welcome to the materials"), replica, context)
                assert (replica.home() / "training-materials" / "intro" / "welcome.ipynb").exists()
                outcome = "works"
            else:
                page = context.new_page()
                page.goto(link)
                w.log_in().action(w.Run(page, replica, open_link(link, "", "")))
                page.get_by_role("button", name="Start", exact=True).click()
                page.wait_for_url(re.compile(r".*/git-pull.*"), timeout=120_000)
                # What the learner sees: nbgitpuller's error page; git's reason is in its (folded) log.
                page.get_by_text("An unexpected error occurred", exact=True).wait_for(timeout=60_000)
                assert page.locator("#recovery-link a").inner_text().strip() == "Proceed without syncing"
                reason = "fatal: dumb http transport does not support shallow capabilities"
                assert reason in replica.log_file.read_text()
                assert not (replica.home() / "training-materials" / "intro").exists()
                outcome = f"fails with {reason!r} (page: 'An unexpected error occurred')"
        finally:
            context.close()
    report_gate(f"nbgitpuller over dumb HTTP ({'no depth' if depth is None else 'depth=' + depth}): {outcome}")
    replica.reset_user()
