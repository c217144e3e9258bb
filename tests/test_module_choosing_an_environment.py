"""Choosing an environment: the hub's own Server Options, custom images, slow starts, changing your choice."""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from training.model.hub_profile import load_hub_profile

from .conftest import HUBS, BuiltSite
from .module_pages import MODULES, article, assert_complete_module_page, learner_text, run_r_script, screenshots

MODULE = "choosing-an-environment"


def test_demo_page_is_complete(demo_site: BuiltSite) -> None:
    assert_complete_module_page(demo_site, MODULE, min_screenshots=3)


def test_demo_page_shows_the_hubs_own_profiles(demo_site: BuiltSite) -> None:
    hub = load_hub_profile()
    page = article(demo_site, MODULE)
    table = page.select_one("table.hub-options-table")
    assert table is not None
    table_text = table.get_text(" ")
    for profile in hub.profile_list:
        assert profile.display_name in table_text
    assert {Path(i["src"]).name for i in screenshots(demo_site, MODULE)} == {
        "server-options.png",
        "custom-image.png",
        "server-starting.png",
    }


def test_custom_images_only_where_the_hub_allows_them(demo_site: BuiltSite, ocean_site: BuiltSite) -> None:
    assert "Use an image that is not in the list" in learner_text(demo_site, MODULE)
    ocean = learner_text(ocean_site, MODULE)
    assert "Use an image that is not in the list" not in ocean
    assert "Other..." not in ocean


def test_ocean_hub_shows_its_own_options_never_the_demo_picture(ocean_site: BuiltSite) -> None:
    """Without generated screenshots, the Server Options picture is the figure drawn from its profile list."""
    hub = load_hub_profile(HUBS / "gcp-cilogon.yaml")
    page = article(ocean_site, MODULE)
    figure = page.select_one("figure.hub-options")
    assert figure is not None
    for profile in hub.profile_list:
        assert profile.display_name in figure.get_text(" ")
    assert {Path(i["src"]).name for i in screenshots(ocean_site, MODULE)} == {"server-starting.png"}
    assert f"up to {hub.server.start_timeout_minutes} minutes" in learner_text(ocean_site, MODULE)


def installed_jupyterhub(relative: str) -> tuple[str, str]:
    """A file of the installed JupyterHub, whitespace collapsed: as written, and with its Jinja and HTML
    tags taken out (what a template shows, e.g. "your server has failed." for the default server).
    ``templates/...`` are under ``share/jupyterhub``, ``jupyterhub/...`` in site-packages."""
    import jupyterhub
    from jupyterhub._data import DATA_FILES_PATH

    root = Path(DATA_FILES_PATH) if relative.startswith("templates/") else Path(jupyterhub.__file__).parent.parent
    raw = (root / relative).read_text(encoding="utf-8")
    shown = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", " ", raw, flags=re.S)
    return " ".join(raw.split()), " ".join(shown.split())


#: What the page quotes, and where the installed JupyterHub says it: (page words, file, words in the file).
QUOTED = [
    ("Your server is starting up.", "templates/spawn_pending.html", "<p>Your server is starting up.</p>"),
    ("Event log", "templates/spawn_pending.html", "<summary>Event log</summary>"),
    ("Stop Server", "templates/spawn_pending.html", ">Stop Server</button>"),
    # On failure the progress bar turns red and the Event log opens by itself.
    ("turns red", "templates/spawn_pending.html", "progressBar.addClass('bg-danger');"),
    ("The Event log opens by itself", "templates/spawn_pending.html", "$('#progress-details').prop('open', true);"),
    ("Spawn failed:", "jupyterhub/apihandlers/users.py", "failed_event['message'] = f\"Spawn failed: {message}\""),
    # JupyterHub's own start timeout is asyncio's TimeoutError, which has no message (see the next test).
    (
        "gave up waiting after {timeout} minutes, nothing follows Spawn failed:",
        "jupyterhub/user.py",
        "await asyncio.wait_for(f, timeout=spawner.start_timeout)",
    ),
    (
        "Spawn failed: Server at http://<address>/user/<username>/api didn't respond in <n> seconds",
        "jupyterhub/utils.py",
        'f"Server at {url} didn\'t respond in {timeout} seconds"',
    ),
    # ... where {url} is the server's address followed by api: JupyterHub asks the server's /api.
    ("/user/<username>/api didn't respond", "jupyterhub/user.py", 'extra_path="api",'),
    ("the heading Spawn failed", "templates/not_running.html", "{% if failed %} Spawn failed {% else %}"),
    (
        '"The latest attempt to start your server has failed."',
        "templates/not_running.html",
        "The latest attempt to start your server has failed.",
    ),
    ('"Would you like to retry starting it?"', "templates/not_running.html", "Would you like to retry starting it?"),
    ("Relaunch Server", "templates/not_running.html", "{% if failed %} Relaunch {% else %} Launch {% endif %} Server"),
]


@pytest.mark.parametrize(("page_words", "relative", "source_words"), QUOTED, ids=[q[2][:40] for q in QUOTED])
def test_quotes_the_real_start_and_failure_messages(
    demo_site: BuiltSite, page_words: str, relative: str, source_words: str
) -> None:
    """Each message the page quotes is on the page, and in the installed JupyterHub's own files."""
    hub = load_hub_profile()
    assert page_words.format(timeout=hub.server.start_timeout_minutes) in learner_text(demo_site, MODULE)
    raw, shown = installed_jupyterhub(relative)
    assert source_words in raw or source_words in shown, f"the installed {relative} does not say {source_words!r}"


def test_a_start_timeout_leaves_nothing_after_spawn_failed() -> None:
    """What JupyterHub prints for a timed-out start: ``f"Spawn failed: {message}"`` of asyncio's TimeoutError."""
    import asyncio

    from jupyterhub.utils import format_exception

    async def timed_out() -> BaseException:
        try:
            await asyncio.wait_for(asyncio.sleep(10), timeout=0.01)
        except TimeoutError as exc:
            return exc
        raise AssertionError("no timeout")

    def run(coroutine: Any) -> BaseException:
        # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coroutine).result()

    message, html = format_exception(run(timed_out()))
    assert (message, html) == ("", None)
    # and the reloaded page has no sentence with the reason (only_jupyterhub: a TimeoutError has none)
    assert format_exception(run(timed_out()), only_jupyterhub=True) == (None, None)


def test_kernel_restarting_is_jupyterlabs_own_dialog(demo_site: BuiltSite) -> None:
    import sys

    text = learner_text(demo_site, MODULE)
    assert '"Kernel Restarting" and "The kernel for ... appears to have died. It will restart automatically."' in text
    static = Path(sys.prefix) / "share" / "jupyter" / "lab" / "static"
    bundle = "".join(p.read_text(encoding="utf-8") for p in static.glob("jlab_core.*.js"))
    assert '__("Kernel Restarting")' in bundle
    assert '__("The kernel for %1 appears to have died. It will restart automatically."' in bundle


def test_changing_your_choice_is_stop_then_start(demo_site: BuiltSite) -> None:
    text = learner_text(demo_site, MODULE)
    assert "Click Stop My Server" in text
    assert "Click Start My Server . The Server Options page opens." in text


def test_not_built_for_a_hub_without_server_options(workshop_hub_site: BuiltSite) -> None:
    assert not (workshop_hub_site.html / "modules" / MODULE / "index.html").exists()


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_r_script_reads_the_limits_the_hub_sets(tmp_path: Path) -> None:
    result = run_r_script(MODULES / MODULE / "exercises" / "check-my-server.R", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Memory limit: not set" in result.stdout
