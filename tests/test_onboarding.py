"""The onboarding report without a hub: completion checks, stamps, the numbers and their privacy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest

from training.model.completion import STAMP_FOLDER, StampError, parse_stamp, python_check, r_check
from training.model.hub_profile import HubFileError, load_hub_profile
from training.model.materials import write_materials
from training.model.onboarding import (
    OTHER,
    OWN_VALUE,
    HomeRecord,
    ModuleRef,
    ServerRecord,
    UserRecord,
    build_report,
    picked,
    report_data,
)

from .conftest import HUBS, ROOT

REPORT_HUB = HUBS / "report.yaml"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture(scope="module")
def hub():  # type: ignore[no-untyped-def]
    return load_hub_profile(REPORT_HUB)


# --- the hub file --------------------------------------------------------------------------------


def test_costs_and_report_keys_are_read(hub) -> None:  # type: ignore[no-untyped-def]
    small, large = hub.profile_list
    assert small.cost.per_hour == 0.05 and small.cost.currency == "USD" and str(small.cost.as_of) == "2026-11-01"
    assert small.profile_options["requests"].choices["mem_8"].cost.per_hour == 0.2
    assert large.cost.per_hour == 0.5
    assert hub.report.enabled and hub.report.min_group_size == 5
    assert "report" in hub.features
    assert "report" not in load_hub_profile(None).features  # off unless the hub file turns it on


def test_a_bad_cost_is_one_clear_line(tmp_path: Path) -> None:
    text = REPORT_HUB.read_text().replace(
        "currency: USD, as_of: 2026-11-01}\n    profile_options",
        "currency: dollars, as_of: 2026-11-01}\n    profile_options",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(HubFileError) as caught:
        load_hub_profile(bad)
    assert caught.value.problems == [
        f"{bad}: profile_list[0].cost.currency: 'dollars' has the wrong form; expected to match ^[A-Z]{{3}}$"
    ]


# --- what a server was started with --------------------------------------------------------------


def test_user_options_resolve_to_labels_and_cost(hub) -> None:  # type: ignore[no-untyped-def]
    chosen = picked(hub, {"profile": "small", "image": "geo", "requests": "mem_8"})
    assert chosen.label == "Small · Image: Geospatial · Memory: 8 GB"
    assert chosen.cost.per_hour == 0.2  # the choice's cost replaces the profile's
    defaults = picked(hub, {})  # KubeSpawner's defaults: the default profile and choices
    assert defaults.label == "Small · Image: Python · Memory: 2 GB" and defaults.cost.per_hour == 0.05
    own = picked(hub, {"profile": "small", "image": "unlisted_choice", "image--unlisted-choice": "me/mine:1"})
    assert ("Image", OWN_VALUE) in own.choices and "me/mine" not in own.label
    assert picked(hub, {"profile": "large"}).label == "Large"


# --- the numbers ---------------------------------------------------------------------------------


def _server(user: str, options: dict, *, active: bool = True, started_ago: timedelta, idle: timedelta) -> ServerRecord:
    return ServerRecord(user, "", active, NOW - started_ago, NOW - idle, options)


def _stamp(module: str, when: datetime) -> object:
    text = json.dumps(
        {"format": 1, "module": module, "exercise": "x", "completed_at": when.isoformat(), "checks": {"on_hub": True}}
    )
    return parse_stamp(text, module)


def _population() -> tuple[list[UserRecord], list[HomeRecord]]:
    hour = timedelta(hours=1)
    users = [
        UserRecord(
            f"p{i}",
            NOW - 20 * 24 * hour,
            NOW - hour,
            (_server(f"p{i}", {"profile": "small"}, started_ago=2 * hour, idle=0.5 * hour),),
        )
        for i in range(6)
    ]
    users.append(
        UserRecord(
            "gpu-person",
            NOW - 30 * 24 * hour,
            NOW - 3 * hour,
            (_server("gpu-person", {"profile": "large"}, started_ago=8 * 24 * hour, idle=3 * hour),),
        )
    )
    users.append(UserRecord("never", NOW - 2 * 24 * hour, None, ()))
    homes = [HomeRecord(f"p{i}", (_stamp("welcome", NOW - hour),), frozenset({"welcome"})) for i in range(5)]
    homes.append(HomeRecord("gpu-person", (), frozenset({"welcome"})))
    return users, homes


MODULES = [ModuleRef("welcome", "Welcome"), ModuleRef("your-files", "Your files")]


def test_exact_numbers_with_groups_of_one(hub) -> None:  # type: ignore[no-untyped-def]
    users, homes = _population()
    report = build_report(hub, users, homes, MODULES, NOW, min_group_size=1)
    assert [(c.label, c.value) for c in report.funnel] == [
        ("Have an account on the hub", 8),
        ("Logged in", 7),
        ("Started a server", 7),
        ("Completed “Welcome”", 5),
        ("Completed “Your files”", 0),
    ]
    assert [(c.label, c.value) for c in report.profiles] == [("Small", 6), ("Large", 1)]
    assert report.running_total == 7
    assert report.running_cost_per_hour == pytest.approx(6 * 0.05 + 0.5)
    risky = {(r.reason, r.label): r for r in report.at_risk}
    assert set(risky) == {("idle", "Large"), ("too old", "Large")}
    assert risky["idle", "Large"].over_hours == 2.0 and risky["idle", "Large"].cost_over == 1.0
    assert risky["too old", "Large"].over_hours == 24.0 and risky["too old", "Large"].cost_over == 12.0
    assert report.at_risk_cost == 13.0
    welcome = report.modules[0]
    assert (welcome.started, welcome.completed, welcome.started_not_finished) == (6, 5, 1)
    assert report.weekly_active[-1].value == 7 and report.weekly_active[-1].label == "2026-11-23"


def test_small_groups_are_withheld_and_merged(hub) -> None:  # type: ignore[no-untyped-def]
    users, homes = _population()
    report = build_report(hub, users, homes, MODULES, NOW)  # the hub file's threshold: 5
    data = report_data(report)
    assert [(c["label"], c["people"]) for c in data["profiles"]] == [("Small", 6), (OTHER, None)]
    assert data["at_risk"]["withheld"] and data["at_risk"]["servers"] == []  # one person: not shown
    assert [m["started_not_finished"] for m in data["modules"]] == [None, 0]
    assert data["running"]["groups"][-1] == {"label": OTHER, "servers": None, "cost_per_hour": None, "currency": None}
    text = json.dumps(data)
    for user in users:
        assert user.name not in text


# --- the check cell and its stamp ----------------------------------------------------------------


def _run_python(code: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOME": str(home), **env}
    environment.pop("JUPYTERHUB_USER", None)
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)


def test_python_check_writes_a_stamp_only_when_its_checks_pass(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code = python_check("stopping-your-server", "Stopping your server", "what-survives", hub)
    home = tmp_path / "home"
    home.mkdir()
    first = _run_python(code, home, JUPYTERHUB_USER="someone")
    assert "Not recorded yet" in first.stdout and "run the first cell of this notebook" in first.stdout
    assert not (home / STAMP_FOLDER).exists()
    (home / "what-survives.txt").write_text("written\n")
    done = _run_python(code, home, JUPYTERHUB_USER="someone", JUPYTER_IMAGE="example/geo-notebook:2026.11")
    assert "Well done" in done.stdout
    path = home / STAMP_FOLDER / "stopping-your-server.json"
    stamp = parse_stamp(path.read_text(), path.stem)
    assert stamp.checks == {"on_hub": True, "file_in_home": True}
    assert stamp.server["image"] == "example/geo-notebook:2026.11"
    assert "someone" not in path.read_text()  # no name in the stamp


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_check_writes_the_same_stamp(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    (home).mkdir()
    (home / "what-survives.txt").write_text("written\n")
    code = r_check("stopping-your-server", "Stopping your server", "what-survives", hub)
    env = {**os.environ, "HOME": str(home), "JUPYTERHUB_USER": "someone", "JUPYTER_IMAGE": 'odd "image"'}
    subprocess.run(["Rscript", "-e", code], env=env, capture_output=True, text=True, check=True)
    path = home / STAMP_FOLDER / "stopping-your-server.json"
    stamp = parse_stamp(path.read_text(), path.stem)
    assert stamp.checks == {"on_hub": True, "file_in_home": True}
    assert stamp.server == {"image": 'odd "image"', "cpu_limit": None, "mem_limit": None}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "is not JSON (Expecting property name enclosed in double quotes at line 1)"),
        ("[]", "holds a list; expected a JSON object"),
        ('{"format": 2}', "format is 2; expected 1"),
        (
            '{"format": 1, "module": "other", "exercise": "x", "checks": {}}',
            "module is 'other' but the file is named welcome.json",
        ),
        ('{"format": 1, "module": "welcome", "exercise": "x", "checks": {"a": "yes"}}', "checks is not a mapping"),
        (
            '{"format": 1, "module": "welcome", "exercise": "x", "checks": {}, "completed_at": "2026-11-20"}',
            "has no time zone",
        ),
    ],
)
def test_malformed_stamps_are_named(text: str, message: str) -> None:
    with pytest.raises(StampError, match=None) as caught:
        parse_stamp(text, "welcome")
    assert message in str(caught.value)


# --- the materials -------------------------------------------------------------------------------


def test_materials_end_each_exercise_with_the_check(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "materials"
    write_materials(hub, ROOT / "modules", out)
    notebook = nbformat.read(out / "welcome" / "hello-hub.ipynb", as_version=4)
    intro, check = notebook.cells[-2:]
    assert (
        intro.source.startswith("## Record that you finished")
        and "~/.hub-training/completed/welcome.json" in intro.source
    )
    assert 'stamp_file = home / ".hub-training/completed" / "welcome.json"' in check.source.replace("'", '"')
    r_notebook = nbformat.read(out / "welcome" / "hello-hub-r.ipynb", as_version=4)
    assert "writeLines(stamp, stamp_file)" in r_notebook.cells[-1].source
    script = (out / "welcome" / "hello-hub.R").read_text()
    assert script.rstrip().endswith("}") and "# Record that you finished." in script
    demo = tmp_path / "demo"
    write_materials(load_hub_profile(None), ROOT / "modules", demo)  # report off: no check
    plain = nbformat.read(demo / "welcome" / "hello-hub.ipynb", as_version=4)
    assert not any("hub-training/completed" in cell.source for cell in plain.cells)


def test_without_matplotlib_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    """The plain install has no matplotlib: one line naming the extra, before the hub is asked anything."""
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"  # what `import matplotlib` sees when it is not installed
        "from training.cli.main import main\n"
        f"raise SystemExit(main(['report', {str(REPORT_HUB)!r}, '-o', {str(tmp_path / 'out')!r}]))"
    )
    env = {**os.environ, "JUPYTERHUB_API_TOKEN": "secret-token-value"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr == (
        "hub-training report: matplotlib is not installed; the report draws its plots with it. "
        "Install the report extra: pip install 'hub-training[report]'\n"
    )
    assert not (tmp_path / "out").exists()
