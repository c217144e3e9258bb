"""The screenshot directive: the demo's committed images, another hub's generated ones, never a wrong hub."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from training.model.hub_profile import DEMO_HUB_FILE

from .conftest import HUBS, run_sphinx

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
WALKTHROUGH = textwrap.dedent(
    """
    import training.replay.walkthrough as w

    WALKTHROUGH = w.Walkthrough(
        "Log in",
        w.open_hub(),
        w.screenshot("login", "The login page of the hub"),
        w.screenshot("launcher", "The JupyterLab launcher", hub_dependent=False),
    )
    """
)
PAGE = textwrap.dedent(
    """\
    ---
    module: {id: m, title: M, summary: S., audience: both, teaching: 1, exercises: 1,
             questions: ["Q?"], objectives: [O.], keypoints: [K.]}
    ---

    # M

    ::::{screenshot} login
    Static stand-in for the login page.
    ::::

    ::::{screenshot} launcher
    Launcher stand-in.
    ::::
    """
)


def make_site(root: Path, page: str = PAGE, images: tuple[str, ...] = ("login", "launcher")) -> Path:
    (root / "modules" / "m" / "images").mkdir(parents=True)
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "training"]\nmyst_enable_extensions = ["colon_fence"]\nnitpicky = True\n'
    )
    (root / "index.md").write_text("# Home\n\n```{toctree}\nmodules/m/index\n```\n")
    (root / "modules" / "m" / "index.md").write_text(page)
    (root / "modules" / "m" / "walkthrough.py").write_text(WALKTHROUGH)
    for name in images:
        (root / "modules" / "m" / "images" / f"{name}.png").write_bytes(PNG)
    return root


def page(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "modules" / "m" / "index.html").read_text(), "html.parser")


def test_demo_hub_shows_committed_images_with_walkthrough_alt(tmp_path: Path) -> None:
    src = make_site(tmp_path / "src")
    result = run_sphinx(src, tmp_path / "out", DEMO_HUB_FILE)
    assert result.returncode == 0, result.stderr
    images = page(tmp_path / "out").select("figure.training-screenshot img")
    assert [(img["alt"], Path(img["src"]).name) for img in images] == [
        ("The login page of the hub", "login.png"),
        ("The JupyterLab launcher", "launcher.png"),
    ]
    assert "stand-in" not in page(tmp_path / "out").get_text()


def test_missing_demo_image_fails_the_build(tmp_path: Path) -> None:
    src = make_site(tmp_path / "src", images=("launcher",))
    result = run_sphinx(src, tmp_path / "out", DEMO_HUB_FILE)
    assert result.returncode != 0
    assert "modules/m/index.md:8: WARNING: screenshot 'login':" in result.stderr
    assert "run 'nox -s screenshots'" in result.stderr


def test_unknown_screenshot_name_fails_the_build(tmp_path: Path) -> None:
    src = make_site(tmp_path / "src", page=PAGE.replace("{screenshot} login", "{screenshot} logn"))
    result = run_sphinx(src, tmp_path / "out", DEMO_HUB_FILE)
    assert result.returncode != 0
    assert "no step of walkthrough.py photographs it" in result.stderr


def test_other_hub_without_screenshots_never_shows_the_demo_picture_of_a_hub_page(tmp_path: Path) -> None:
    src = make_site(tmp_path / "src")
    hub_file = tmp_path / "hubs" / "ocean.yaml"
    hub_file.parent.mkdir()
    shutil.copy(HUBS / "gcp-cilogon.yaml", hub_file)
    shutil.copytree(HUBS / "values", hub_file.parent / "values")
    result = run_sphinx(src, tmp_path / "out", hub_file)
    assert result.returncode == 0, result.stderr
    assert "has no generated screenshots yet" in result.stdout
    assert f"hub-training screenshots {hub_file}" in result.stdout
    html = page(tmp_path / "out")
    assert "Static stand-in for the login page." in html.get_text()  # hub-dependent: the body instead
    assert [img["alt"] for img in html.select("img")] == ["The JupyterLab launcher"]  # hub-independent: demo's


def test_other_hub_uses_its_generated_screenshots(tmp_path: Path) -> None:
    src = make_site(tmp_path / "src")
    hub_file = tmp_path / "hubs" / "ocean.yaml"
    hub_file.parent.mkdir()
    shutil.copy(HUBS / "gcp-cilogon.yaml", hub_file)
    shutil.copytree(HUBS / "values", hub_file.parent / "values")
    hub_id = yaml.safe_load(hub_file.read_text())["id"]
    generated = hub_file.parent / ".hub-training" / hub_id / "screenshots" / "m"
    generated.mkdir(parents=True)
    (generated / "login.png").write_bytes(PNG + b"ocean")
    result = run_sphinx(src, tmp_path / "out", hub_file)
    assert result.returncode == 0, result.stderr
    html = page(tmp_path / "out")
    assert "stand-in" not in html.get_text().replace("Launcher stand-in", "")
    login = html.select_one('img[alt="The login page of the hub"]')
    assert (tmp_path / "out" / "modules" / "m" / login["src"]).read_bytes().endswith(b"ocean")
