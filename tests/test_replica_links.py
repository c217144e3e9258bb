"""Every "Open in hub" link of the demo site, opened for real on the replica.

The materials (``hub-training materials``) are written as a git repository on this machine, the site
is built for the demo hub with ``materials.repo`` pointing at it, and each link found in the HTML is
opened in a logged-out browser with only its host changed to the replica's. Each must log in, start
the server, clone into ``~/<clone-dir>`` and open the right file (or folder) in the right interface.
RStudio cannot run here: its links are still opened (clone and redirect checked) and listed.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections import defaultdict
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, urlsplit, urlunsplit

import nbformat
import pytest
import yaml

import training.replay.walkthrough as w
from training.model.hub_profile import DEMO_HUB_FILE, load_hub_profile
from training.model.nbgitpuller import INTERFACE_NAMES, clone_dir

from .conftest import run_cli

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def local_materials(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(hub file, materials repository): the demo hub whose materials live in a local git repository."""
    root = tmp_path_factory.mktemp("links")
    demo = yaml.safe_load(DEMO_HUB_FILE.read_text(encoding="utf-8"))
    repo = root / "served" / clone_dir(demo["materials"]["repo"])
    demo["materials"]["repo"] = repo.as_uri()
    hub_file = root / "demo-local.yaml"
    hub_file.write_text(yaml.safe_dump(demo, sort_keys=False), encoding="utf-8")
    result = run_cli("materials", str(hub_file), str(repo))
    assert result.returncode == 0, result.stdout + result.stderr
    return hub_file, repo


def collect_links(html: Path) -> dict[str, list[tuple[str, str, str]]]:
    """href -> [(page, materials path, interface)] for every Open-in-hub link of every page."""
    from bs4 import BeautifulSoup

    links: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for page in sorted(html.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("a.training-open-in-hub"):
            links[a["href"]].append((str(page.relative_to(html)), a["data-materials-path"], a["data-interface"]))
    return dict(links)


def on_replica(href: str, replica_url: str) -> str:
    """The same link with only scheme and host (and port) replaced by the replica's."""
    parts, target = urlsplit(href), urlsplit(replica_url)
    return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, parts.fragment))


def test_every_open_in_hub_link_of_the_demo_site_works(build_hub_site, local_materials, replica, browser) -> None:  # type: ignore[no-untyped-def]
    hub_file, repo = local_materials
    hub = load_hub_profile(hub_file)
    started = time.monotonic()
    site = build_hub_site(hub_file)
    built = time.monotonic() - started
    # A warning elsewhere in the content fails the build (-W) but still writes every page; the site
    # tests report such warnings, this test is about the links.
    assert (site.html / "index.html").exists(), site.output[-3000:]
    links = collect_links(site.html)
    occurrences = sum(len(v) for v in links.values())
    assert links, "the demo site has no Open in hub links"
    replica.reset_user()
    clone = replica.home() / clone_dir(hub.materials.repo)
    opened: dict[str, str] = {}
    for href, where in links.items():
        query = parse_qs(urlsplit(href).query)
        assert query["repo"] == [hub.materials.repo], href
        assert query["branch"] == [hub.materials.branch], href
        _page, path, interface = where[0]
        context = w.new_context(browser)
        try:
            page = context.new_page()
            page.set_default_timeout(w.TIMEOUT_MS)
            run = w.Run(page, replica, w.Walkthrough(f"link to {path}", w.open_hub()))
            page.goto(on_replica(href, replica.url))
            assert "/hub/login" in page.url, f"{href}: a logged-out visitor should land on the login page"
            w.log_in().action(run)
            if "/hub/spawn" in page.url and page.get_by_role("heading", name="Server Options").count():
                w.start().action(run)
            opened[href] = _check_destination(run, clone, path, interface)
        finally:
            context.close()
    skipped = [href for href in links if href not in opened]
    assert not skipped, f"links not exercised: {skipped}"
    from .conftest import report_gate

    not_replayed = sum(1 for o in opened.values() if o.startswith("not replayed"))
    report_gate(
        f"open-in-hub: {len(opened)} distinct links ({occurrences} on the pages) opened on the replica, "
        f"{not_replayed} RStudio links checked up to the redirect (RStudio not replayed); "
        f"site build {built:.0f} s, links {time.monotonic() - started - built:.0f} s"
    )

    # A new commit in the materials, a learner's edit: the next click updates and keeps the edit.
    notebooks = sorted(p.relative_to(clone) for p in clone.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    assert notebooks, "the materials have no notebook"
    mine = clone / notebooks[0]
    edited = nbformat.read(mine, as_version=4)
    edited.cells.append(nbformat.v4.new_markdown_cell("A note of the learner's"))
    nbformat.write(edited, mine)
    (repo / "NEWS.md").write_text("New this week\n")
    subprocess.run(["git", "add", "NEWS.md"], cwd=repo, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "news"], cwd=repo, check=True
    )
    href = next(h for h, where in links.items() if where[0][2] == "lab")
    context = w.new_context(browser)
    try:
        page = context.new_page()
        page.goto(on_replica(href, replica.url))
        w.log_in().action(w.Run(page, replica, w.Walkthrough("again", w.open_hub())))
        page.wait_for_url(re.compile(r".*/user/[^/]+/lab.*"), timeout=w.START_TIMEOUT_MS)
        page.locator(".jp-LabShell").wait_for(timeout=w.START_TIMEOUT_MS)
    finally:
        context.close()
    assert (clone / "NEWS.md").read_text() == "New this week\n"
    assert nbformat.read(mine, as_version=4).cells[-1].source == "A note of the learner's"
    replica.reset_user()


def _check_destination(run: w.Run, clone: Path, path: str, interface: str) -> str:
    """Wait for the pull to finish and check where the learner ends up; return what was checked."""
    page = run.page
    target = path.strip("/")
    if interface == "rstudio":
        page.wait_for_url(re.compile(r".*/user/[^/]+/rstudio/?$"), timeout=w.START_TIMEOUT_MS)
        assert (clone / target).exists(), f"{path}: not cloned into {clone}"
        return "not replayed: RStudio (clone and redirect to /rstudio/ checked)"
    assert interface == "lab", f"{INTERFACE_NAMES.get(interface, interface)} links cannot be replayed here"
    expected = "/".join(p for p in (clone.name, target) if p)
    page.wait_for_url(re.compile(rf".*/user/[^/]+/lab/tree/{re.escape(expected)}/?$"), timeout=w.START_TIMEOUT_MS)
    page.locator(".jp-LabShell").wait_for(timeout=w.START_TIMEOUT_MS)
    assert (clone / target).exists(), f"{path}: not cloned into {clone}"
    if (clone / target).is_file():
        w.wait_for_file(PurePosixPath(target).name).action(run)
        return f"{target} open in JupyterLab"
    crumbs = page.locator(".jp-FileBrowser .jp-BreadCrumbs")
    folder = PurePosixPath(expected).name
    crumbs.filter(has_text=folder).first.wait_for(timeout=w.START_TIMEOUT_MS)
    return f"{expected}/ shown in the File Browser"
