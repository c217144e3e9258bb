"""Curriculum 1 as a whole: what is not replayed, the Start-here path, and a hub without RStudio.

- Every step the replica cannot replay is listed at the end of the run (the "quality gates"
  section): the ``<!-- not-replayed: <reason> -->`` markers of the module pages, with the step
  text after each, and the walkthrough steps that are ``not_replayed`` or need something the
  replica lacks (RStudio). The gap stays visible in every run.
- The demo site's Start-here path begins with the seven modules of Curriculum 1, and its total
  time is the sum of the modules' times.
- A GitHub + JupyterLab-only hub (``tests/hubs/github-lab.yaml``) gets no RStudio module, no link
  to it and no RStudio steps in the Curriculum 1 pages.

Nothing here needs the replica: walkthroughs are read, never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import training.replay.walkthrough as w
from training.model.hub_profile import HubFileError, load_hub_profile
from training.model.module_info import format_minutes, read_catalogue
from training.replay.replica import NOT_INSTALLABLE, Replica

from .conftest import DEMO_HUB, HUBS, ROOT, BuiltSite, report_gate, run_cli
from .test_module_jupyterlab_tour import links_to_module

MODULES = ROOT / "modules"

#: Curriculum 1, in the order of the Start-here path.
CURRICULUM_1 = [
    "welcome",
    "logging-in",
    "choosing-an-environment",
    "jupyterlab-tour",
    "rstudio-tour",
    "stopping-your-server",
    "getting-materials",
]

#: Why a marked step cannot be replayed. Features the replica may lack (its own reason is printed
#: when this machine lacks them), and places outside the hub that no replica can show.
KNOWN_REASONS: dict[str, str] = {
    **NOT_INSTALLABLE,
    "notebook": "Jupyter Notebook is replayed only where the notebook package is installed",
    "github.com": "github.com is not part of the hub: the replica cannot sign in there",
    "browser-devtools": "the browser's developer tools are not part of the page",
    "binderhub": "the image build needs a BinderHub service, which cannot run here",
    "resource-usage": "the replica's JupyterLab has no jupyter-resource-usage indicator to photograph",
}

MARKER = re.compile(r"<!--\s*not-replayed:\s*(?P<reason>[^\s>]+)\s*-->")
FENCE = re.compile(r"^\s*(:{3,}|`{3,}).*$")


@dataclass(frozen=True)
class NotReplayed:
    module: str
    where: str  # "index.md:<line>" or the walkthrough's title
    step: str
    reason: str

    def line(self) -> str:
        return f"  {self.module} {self.where}: {self.step} [{self.reason}]"


# --- (a) every step that is not replayed ----------------------------------------------------------


def _step_text(lines: list[str], index: int) -> str:
    """The step a marker on line ``index`` announces: the first line of text after it (fences
    skipped). A marker put after its step, just before a closing fence, names the line before it."""
    for following in lines[index + 1 :]:
        if not following.strip() or (FENCE.match(following) and following.strip().strip(":`")):
            continue  # blank, or an opening fence (```r, :::{only-if} ...)
        if FENCE.match(following):  # a closing fence: the marker ends its block
            before = next(p for p in reversed(lines[:index]) if p.strip() and not FENCE.match(p))
            return f"{_clean(before)} (the marker follows this step)"
        return _clean(following)
    return "(nothing follows the marker)"


def _clean(line: str) -> str:
    text = re.sub(r"^\s*(?:[-*]|\d+\.)\s+", "", line).strip()
    return text if len(text) <= 110 else text[:107] + "..."


def marked_steps() -> list[NotReplayed]:
    """Every ``<!-- not-replayed: ... -->`` marker of every module page, with the step after it."""
    found = []
    for page in sorted(MODULES.glob("*/index.md")):
        if page.parent.name.startswith(("_", ".")):
            continue
        lines = page.read_text(encoding="utf-8").split("\n")
        for index, line in enumerate(lines):
            for match in MARKER.finditer(line):
                found.append(
                    NotReplayed(page.parent.name, f"index.md:{index + 1}", _step_text(lines, index), match["reason"])
                )
    return found


def replica_lacks() -> dict[str, str]:
    """What the replicas of the demo hub and of the test hubs cannot show on this machine, and why.

    Reads the replica's own check (nothing is started): RStudio is never installable here, Jupyter
    Notebook only when its package is missing."""
    lacks: dict[str, str] = {}
    for hub_file in [DEMO_HUB, *sorted(HUBS.glob("*.yaml"))]:
        try:
            hub = load_hub_profile(hub_file)
        except HubFileError:  # hostile.yaml and friends: not hubs a walkthrough runs on
            continue
        for feature, why in Replica(hub)._find_unavailable().items():
            lacks.setdefault(feature, why)
    return lacks


def _not_replayed_reason(step: w.Step) -> str | None:
    """The reason a ``w.not_replayed`` step gives (it raises :class:`w.Skip` with it); None for other steps."""
    if step.action.__qualname__ != f"{w.not_replayed.__name__}.<locals>.action":
        return None
    try:
        step.action(None)  # type: ignore[arg-type]  # it only raises its reason
    except w.Skip as skip:
        return str(skip)
    raise AssertionError(f"the not_replayed step {step.title!r} did not raise Skip")


def walkthrough_steps(lacks: dict[str, str]) -> list[NotReplayed]:
    """Walkthrough steps that are ``not_replayed``, or that need a feature the replica lacks; and the
    walkthroughs skipped whole for that (a module that ``requires`` RStudio)."""
    found = []
    for walkthrough in w.discover(MODULES):
        module = walkthrough.module or "?"
        whole = sorted(walkthrough.requires & set(lacks))
        if whole:
            reason = "; ".join(f"{f}: {lacks[f]}" for f in whole)
            found.append(
                NotReplayed(module, "walkthrough", f"{walkthrough.title!r}, all {len(walkthrough.steps)} steps", reason)
            )
        for step in walkthrough.steps:
            missing = sorted(step.requires & set(lacks))
            skip_reason = _not_replayed_reason(step)
            if missing:
                reason = "; ".join(f"{f}: {lacks[f]}" for f in missing)
            elif skip_reason is not None:
                reason = skip_reason
            else:
                continue
            found.append(NotReplayed(module, f"walkthrough {walkthrough.title!r}", step.title, reason))
    return found


def test_every_step_that_is_not_replayed_is_listed() -> None:
    """Prints the full list (see "quality gates" at the end of the run) and checks every marker's reason."""
    lacks = replica_lacks()
    marked = marked_steps()
    in_walkthroughs = walkthrough_steps(lacks)
    assert marked and in_walkthroughs, "nothing is listed as not replayed: the RStudio steps went missing"
    unknown = [m for m in marked if m.reason not in KNOWN_REASONS]
    assert not unknown, "markers with an unknown reason (known: {}):\n{}".format(
        ", ".join(KNOWN_REASONS), "\n".join(m.line() for m in unknown)
    )
    # Every Curriculum 1 module teaches some RStudio step (or card), and marks it.
    rstudio_marked = {m.module for m in marked if m.reason == "rstudio"}
    assert set(CURRICULUM_1) <= rstudio_marked, sorted(set(CURRICULUM_1) - rstudio_marked)

    reasons = sorted({m.reason for m in marked})
    report_gate(
        f"not replayed: {len(marked)} marked steps in the module pages, {len(in_walkthroughs)} walkthrough "
        f"entries; marker reasons: " + "; ".join(f"{r} = {lacks.get(r, KNOWN_REASONS[r])}" for r in reasons)
    )
    report_gate("not replayed, marked in modules/<id>/index.md (module, line: step [reason]):")
    for entry in marked:
        report_gate(entry.line())
    report_gate("not replayed, in the walkthroughs (module, walkthrough: step [reason]):")
    for entry in in_walkthroughs:
        report_gate(entry.line())


def test_step_text_after_a_marker() -> None:
    lines = ["<!-- not-replayed: rstudio -->", "", "```r", "x <- 1", "```"]
    assert _step_text(lines, 0) == "x <- 1"
    lines = [":::{only-if} rstudio", "Copy it with **Ctrl+C**.", "<!-- not-replayed: rstudio -->", ":::"]
    assert _step_text(lines, 2) == "Copy it with **Ctrl+C**. (the marker follows this step)"
    lines = ["<!-- not-replayed: rstudio -->", "1. Open `x.R` and click **Source**."]
    assert _step_text(lines, 0) == "Open `x.R` and click **Source**."


# --- (b) the Start-here path of the demo site --------------------------------------------------------


def test_start_here_begins_with_curriculum_1_and_adds_up_its_time(demo_site: BuiltSite) -> None:
    page = demo_site.page("start-here.html")
    items = page.select("ol.training-path > li.training-path-item")
    path = [item["data-module"] for item in items]
    assert path[: len(CURRICULUM_1)] == CURRICULUM_1, path
    catalogue = read_catalogue(MODULES).modules
    minutes = [int(item["data-minutes"]) for item in items]
    assert minutes == [catalogue[module].minutes for module in path]
    summary = page.select_one("p.training-path-summary")
    assert summary is not None
    total = sum(minutes)
    assert int(summary["data-total-minutes"]) == total
    assert summary.get_text(strip=True) == f"{len(path)} modules, {format_minutes(total)} in total."
    for item, module in zip(items, path, strict=True):  # each item shows its own time too
        assert f"— {format_minutes(catalogue[module].minutes)}." in " ".join(item.get_text(" ").split())


# --- (c) a GitHub + JupyterLab-only hub ----------------------------------------------------------------

GITHUB_LAB = HUBS / "github-lab.yaml"


@pytest.fixture(scope="module")
def github_lab_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The site of ``tests/hubs/github-lab.yaml``, built once for this file by the real command."""
    out = tmp_path_factory.mktemp("github-lab") / "html"
    result = run_cli("build", str(GITHUB_LAB), "-o", str(out))
    site = BuiltSite(out, result.returncode, result.stdout + result.stderr)
    assert site.returncode == 0, site.output
    return site


def _article_text(site: BuiltSite, module: str) -> str:
    """Everything the page says, instructor notes included, whitespace collapsed."""
    soup = BeautifulSoup((site.html / "modules" / module / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article is not None
    return " ".join(article.get_text(" ").split())


def test_github_lab_hub_is_what_this_file_says() -> None:
    hub = load_hub_profile(GITHUB_LAB)
    demo = load_hub_profile(DEMO_HUB)
    assert (hub.id, hub.login.provider, hub.interfaces, hub.languages) == (
        "github-lab",
        "github",
        ["lab"],
        ["python", "r"],
    )
    assert hub.profile_list and hub.server == demo.server  # otherwise the demo hub, without RStudio


def test_github_lab_site_builds_without_warnings(github_lab_site: BuiltSite) -> None:
    assert "WARNING" not in github_lab_site.output, github_lab_site.output


def test_github_lab_site_has_no_rstudio_module_and_no_link_to_it(github_lab_site: BuiltSite) -> None:
    assert not (github_lab_site.html / "modules" / "rstudio-tour").exists()
    assert links_to_module(github_lab_site, "rstudio-tour") == []
    path = [li["data-module"] for li in github_lab_site.page("start-here.html").select("ol.training-path > li")]
    assert path[:6] == [m for m in CURRICULUM_1 if m != "rstudio-tour"], path
    interfaces = {a["data-interface"] for page in github_lab_site.pages() for a in _open_in_hub(github_lab_site, page)}
    assert interfaces == {"lab"}


def _open_in_hub(site: BuiltSite, page: Path) -> list:  # type: ignore[type-arg]
    return site.page(str(page.relative_to(site.html))).select("a.training-open-in-hub")


@pytest.mark.parametrize("module", [m for m in CURRICULUM_1 if m != "rstudio-tour"])
def test_github_lab_curriculum_pages_have_no_rstudio_steps(
    module: str, github_lab_site: BuiltSite, demo_site: BuiltSite
) -> None:
    """On the demo hub every one of these pages teaches RStudio steps; on a hub without RStudio none
    does, and none needs to say that RStudio is missing: "RStudio" is not on the page at all."""
    assert "RStudio" in _article_text(demo_site, module)
    assert "RStudio" not in _article_text(github_lab_site, module)


def test_github_lab_hub_still_teaches_its_github_login_and_jupyterlab(github_lab_site: BuiltSite) -> None:
    logging_in = _article_text(github_lab_site, "logging-in")
    assert "Sign in with GitHub" in logging_in and "open the File menu and click Log Out" in logging_in
    assert "Run > Run All Cells" in _article_text(github_lab_site, "jupyterlab-tour")
