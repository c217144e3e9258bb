"""git-and-github: the RStudio script pushes, the error texts the module quotes are git's own, and each
hub's page shows its own way to push: the gh-scoped-creds device flow where the hub has a GitHub app
(``github_push``), a personal access token everywhere else."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from training.model.hub_profile import load_hub_profile
from training.model.hub_values import substitute

from .conftest import HUBS, ROOT, BuiltSite

MODULE = ROOT / "modules" / "git-and-github"
PAGE = "modules/git-and-github/index.html"

#: What only the gh-scoped-creds way shows, and what only the personal access token way shows.
DEVICE_FLOW = ["gh-scoped-creds", "https://github.com/login/device", "Authentication will expire in 8.0 hours"]
TOKEN = ["A personal access token", "Fine-grained tokens", "credential.helper 'cache --timeout=28800'"]


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")
def test_rstudio_script_clones_commits_and_pushes(tmp_path: Path) -> None:
    script = MODULE / "exercises" / "practice-push.R"
    text, unknown = substitute(script.read_text(encoding="utf-8"), load_hub_profile().values(), code=True)
    assert unknown == []
    filled = tmp_path / script.name
    filled.write_text(text, encoding="utf-8")
    env = {"HOME": str(tmp_path), "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["Rscript", "--vanilla", str(filled)], capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "main -> main" in result.stdout
    assert "Your branch is up to date with 'origin/main'." in result.stdout


class _AskForLogin(http.server.BaseHTTPRequestHandler):
    """An HTTPS remote as git sees GitHub before you logged in: every request wants a login."""

    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="GitHub"')
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def login_remote() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AskForLogin)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_git_cannot_ask_for_a_username_without_a_terminal(login_remote: str, tmp_path: Path) -> None:
    """What `!git push` in a notebook cell shows: git needs a username and has no terminal to ask."""
    env = {**os.environ, "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"}
    env.pop("GIT_ASKPASS", None)
    env.pop("SSH_ASKPASS", None)
    result = subprocess.run(
        ["git", "ls-remote", f"{login_remote}/owner/repository.git"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no controlling terminal, like a notebook's kernel
    )
    assert result.returncode != 0
    expected = f"fatal: could not read Username for '{login_remote}': No such device or address"
    assert expected in result.stderr
    page = (MODULE / "index.md").read_text(encoding="utf-8")
    assert "fatal: could not read Username for 'https://github.com': No such device or address" in page


def test_hub_with_a_github_app_shows_the_device_flow_and_the_apps_page(demo_site: BuiltSite) -> None:
    hub = load_hub_profile()
    assert hub.github_push is not None
    text = demo_site.text(PAGE)
    for shown in DEVICE_FLOW:
        assert shown in text, shown
    app_url = str(hub.github_push.app_url)
    assert app_url in text
    assert demo_site.page(PAGE).select(f'article a[href="{app_url}"]'), "the app's page is a link"
    for hidden in TOKEN:
        assert hidden not in text, hidden


@pytest.mark.parametrize(
    ("site", "hub_file"),
    [("ocean_site", "gcp-cilogon.yaml"), ("workshop_hub_site", "password-rstudio.yaml")],
    ids=["gcp", "rstudio"],
)
def test_hubs_without_a_github_app_show_the_personal_access_token(
    site: str, hub_file: str, request: pytest.FixtureRequest
) -> None:
    assert load_hub_profile(HUBS / hub_file).github_push is None
    built: BuiltSite = request.getfixturevalue(site)
    text = built.text(PAGE)
    for shown in TOKEN:
        assert shown in text, shown
    assert "use a personal access token as the password" in text  # the troubleshooting box too
    for hidden in [*DEVICE_FLOW, "github.com/apps/"]:
        assert hidden not in text, hidden
