"""Walkthroughs: the model (fast), every module's walkthrough on the replica, and UI facts the curriculum teaches."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import training.replay.walkthrough as w
from training.model.hub_profile import load_hub_profile
from training.replay.replica.spawner import _allowed_profiles

from .conftest import HUBS, ROOT, report_gate

EXAMPLES = Path(__file__).parent / "walkthroughs"
try:
    MODULE_WALKTHROUGHS = w.discover(ROOT / "modules")
    DISCOVERY_ERROR: Exception | None = None
except Exception as exc:  # reported by test_module_walkthroughs_load, not as a collection error
    MODULE_WALKTHROUGHS, DISCOVERY_ERROR = [], exc


def test_module_walkthroughs_load() -> None:
    """Every ``modules/<id>/walkthrough.py`` imports and defines walkthroughs with unique screenshot names."""
    if DISCOVERY_ERROR is not None:
        raise DISCOVERY_ERROR


# --- the model ------------------------------------------------------------------------------------------


def test_example_is_discovered_with_its_module_id_and_labels() -> None:
    [example] = w.discover(EXAMPLES)
    assert example.module == "hub-basics"
    assert example.ui_labels() == ["Start", "File", "Hub Control Panel", "Stop My Server", "Start My Server", "Logout"]
    assert [s.name for s in example.shots()] == [
        "login",
        "server-options",
        "jupyterlab-launcher",
        "file-menu",
        "hub-control-panel",
        "server-stopped",
    ]


def test_template_folders_are_not_discovered(tmp_path: Path) -> None:
    (tmp_path / "_template").mkdir()
    (tmp_path / "_template" / "walkthrough.py").write_text("raise SystemExit('must not be imported')\n")
    assert w.discover(tmp_path) == []


def test_a_walkthrough_file_must_define_walkthroughs(tmp_path: Path) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "walkthrough.py").write_text("STEPS = []\n")
    with pytest.raises(TypeError, match="define WALKTHROUGH"):
        w.discover(tmp_path)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: w.screenshot("Server Options", "alt"), "lowercase letters"),
        (lambda: w.screenshot("options", "  "), "needs alt text"),
        (lambda: w.screenshot("options", "alt", crop="#x", clip=(0, 0, 1, 1)), "not both"),
        (lambda: w.Walkthrough("no steps"), "has no steps"),
        (lambda: w.Walkthrough("twice", w.screenshot("a", "x"), w.screenshot("a", "y")), "names a screenshot twice"),
        (lambda: w.menu("File"), "needs a menu and an item"),
    ],
)
def test_mistakes_are_reported_when_the_walkthrough_is_written(call, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()


def test_steps_the_hub_or_replica_cannot_do_are_skipped_with_a_reason() -> None:
    hub = load_hub_profile(HUBS / "password-rstudio.yaml")
    replica = SimpleNamespace(hub=hub, unavailable={"rstudio": "RStudio Server cannot be installed here"})
    run = w.Run(page=None, replica=replica, walkthrough=w.Walkthrough("x", w.open_hub()))  # type: ignore[arg-type]
    assert run.missing({"lab"}) == "lab: the hub r-workshop does not have it"
    assert run.missing({"rstudio"}) == "rstudio: not replayed, RStudio Server cannot be installed here"
    assert run.missing({"r", "login-shared-password"}) == ""


def test_a_screenshot_after_a_skipped_step_is_skipped_too() -> None:
    """On an RStudio-only hub a JupyterLab picture would show the wrong page: it is skipped, with the reason."""
    hub = load_hub_profile(HUBS / "password-rstudio.yaml")
    replica = SimpleNamespace(hub=hub, unavailable={"rstudio": "not installable"})
    page = SimpleNamespace(set_default_timeout=lambda ms: None)
    context = SimpleNamespace(new_page=lambda: page)
    done: list[str] = []
    walkthrough = w.Walkthrough(
        "x",
        w.do("note", lambda run: done.append("first")),
        w.do("JupyterLab only", lambda run: done.append("lab"), requires=["lab"]),
        w.screenshot("lab-picture", "JupyterLab"),
        w.do("note again", lambda run: done.append("last")),
    )
    report = w.run_walkthrough(walkthrough, replica, context)  # type: ignore[arg-type]
    assert done == ["first", "last"]
    assert [(r.title, r.status) for r in report.results] == [
        ("note", "done"),
        ("JupyterLab only", "skipped"),
        ("screenshot lab-picture", "skipped"),
        ("note again", "done"),
    ]
    assert report.results[2].reason == "the step before it was skipped (lab: the hub r-workshop does not have it)"


def test_profiles_restricted_to_groups_are_shown_to_members_only() -> None:
    profiles = [p.model_dump() for p in load_hub_profile(None).profile_list]

    def visible(groups: list[str]) -> list[str]:
        user = SimpleNamespace(groups=[SimpleNamespace(name=g) for g in groups])
        spawner = SimpleNamespace(user=user, replica_profiles=profiles)
        return [p["display_name"] for p in _allowed_profiles(spawner)]  # type: ignore[arg-type]

    assert visible([]) == ["Small"]
    assert visible(["example-org:gpu-users"]) == ["Small", "GPU"]


# --- every module's walkthrough on the demo hub's replica -------------------------------------------


@pytest.mark.hub
@pytest.mark.browser
@pytest.mark.parametrize("walkthrough", MODULE_WALKTHROUGHS, ids=lambda x: x.id)
def test_module_walkthrough_replays_on_the_replica(walkthrough: w.Walkthrough, replica, hub_context) -> None:  # type: ignore[no-untyped-def]
    replica.reset_user()
    report = w.run_walkthrough(walkthrough, replica, hub_context)
    if report.skipped or report.skipped_all:
        report_gate("walkthrough " + report.summary().replace("\n", " /"))
    replica.reset_user()


@pytest.mark.parametrize("walkthrough", MODULE_WALKTHROUGHS, ids=lambda x: x.id)
def test_module_text_uses_the_labels_its_walkthrough_clicks(walkthrough: w.Walkthrough) -> None:
    """The labels a walkthrough asserts on the real UI are the words the module tells people to click.

    A label may be taught by the module or by one of its prerequisites (a walkthrough often starts
    with steps another module teaches, like the Server Options page's Start button).
    """
    from training.model.module_info import read_catalogue

    assert walkthrough.source is not None
    modules_dir = walkthrough.source.parent.parent
    catalogue = read_catalogue(modules_dir)
    seen: set[str] = set()
    todo = [walkthrough.source.parent.name]
    while todo:
        module_id = todo.pop()
        if module_id not in seen:
            seen.add(module_id)
            info = catalogue.modules.get(module_id)
            todo.extend(info.prerequisites if info else [])
    text = "\n".join(
        p.read_text(encoding="utf-8") for m in sorted(seen) for p in sorted((modules_dir / m).rglob("*.md"))
    )
    missing = [label for label in walkthrough.ui_labels() if label not in text]
    assert not missing, f"{walkthrough.source.parent.name}: neither the module nor its prerequisites name {missing}"


# --- facts the curriculum teaches, checked on the real software ----------------------------------------


def _log_out_walkthrough() -> w.Walkthrough:
    return w.Walkthrough(
        "start, then File > Log Out",
        w.open_hub(),
        w.log_in(),
        w.choose_profile(),
        w.start(),
        w.wait_for_lab(),
        w.menu("File", "Log Out"),
        w.expect_url("/hub/login"),
    )


@pytest.mark.hub
@pytest.mark.browser
@pytest.mark.parametrize(
    ("hub_file", "stops"), [(None, False), (HUBS / "gcp-cilogon.yaml", True)], ids=["demo", "ocean"]
)
def test_log_out_stops_the_server_only_when_the_hub_says_so(hub_replica, hub_context, hub_file, stops) -> None:  # type: ignore[no-untyped-def]
    """File > Log Out ends the session and returns to the login page; the server keeps running unless
    the hub sets ``shutdown_on_logout`` (the hub profile's ``login.shutdown_on_logout``)."""
    replica = hub_replica(hub_file)
    assert replica.hub.login.shutdown_on_logout is stops
    replica.reset_user()
    report = w.run_walkthrough(_log_out_walkthrough(), replica, hub_context)
    assert not report.skipped
    page = hub_context.pages[-1]
    assert re.search(r"/hub/login", page.url)
    assert page.get_by_role("button", name=f"Sign in with {replica.login_service}", exact=True).is_visible()
    assert replica.server_running() is (not stops)
    replica.reset_user()
