"""Generated screenshots: same pixels on a second run, each hub's own profiles, light files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from training.replay import screenshots
from training.replay.walkthrough import discover, trim_empty_bottom

from .conftest import HUBS, report_gate

EXAMPLES = Path(__file__).parent / "walkthroughs"
OCEAN = HUBS / "gcp-cilogon.yaml"


# --- the comparison (fast) -----------------------------------------------------------------------------


def _png(pixels: dict[tuple[int, int], tuple[int, int, int]], size: tuple[int, int] = (100, 50)) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (255, 255, 255))
    for xy, colour in pixels.items():
        image.putpixel(xy, colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_compare_ignores_antialiasing_noise_and_catches_real_changes() -> None:
    blank = _png({})
    noise = _png({(x, 10): (230, 230, 230) for x in range(100)})  # a faint line: below the tolerance
    one_dot = _png({(5, 5): (0, 0, 0)})  # 1 of 5000 pixels: 0.02 %, within the changed-pixel budget
    text = _png({(x, y): (0, 0, 0) for x in range(20) for y in range(5)})  # 100 px: 2 %
    assert screenshots.compare_images(blank, noise).changed == 0
    assert screenshots.images_match(blank, noise)
    assert screenshots.compare_images(blank, one_dot).changed == 1
    assert not screenshots.images_match(blank, one_dot, max_fraction=0)
    assert not screenshots.images_match(blank, text)
    assert not screenshots.images_match(blank, _png({}, size=(100, 51)))
    assert "sizes differ" in str(screenshots.compare_images(blank, _png({}, size=(100, 51))))


def test_optimise_png_stays_within_budget_and_keeps_small_images_lossless() -> None:
    small = _png({(1, 1): (10, 20, 30)})
    assert screenshots.compare_images(screenshots.optimise_png(small), small).max_delta == 0
    import random

    from PIL import Image

    rng = random.Random(4)
    noisy = Image.new("RGB", (400, 400))
    noisy.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(400 * 400)])
    out = io.BytesIO()
    noisy.save(out, "PNG")
    assert len(screenshots.optimise_png(out.getvalue(), budget=200_000)) < out.tell()


def test_trim_cuts_empty_rows_below_the_content_and_keeps_a_margin() -> None:
    from PIL import Image

    terminal = _png({(x, y): (0, 0, 0) for x in range(3, 30) for y in range(4, 9)}, size=(100, 200))
    trimmed = Image.open(io.BytesIO(trim_empty_bottom(terminal, margin=5)))
    assert trimmed.size == (100, 9 + 5)
    assert trimmed.getpixel((3, 8)) == (0, 0, 0)  # the content is kept
    blank = _png({})
    assert trim_empty_bottom(blank) == blank  # nothing to keep: unchanged
    full = _png({(0, 0): (0, 0, 0), (99, 49): (1, 1, 1)})
    assert trim_empty_bottom(full, margin=0) == full  # content down to the last row: unchanged


def test_image_paths_demo_in_modules_other_hubs_beside_their_file(tmp_path: Path) -> None:
    from training.model.hub_profile import load_hub_profile

    demo = load_hub_profile(None)
    ocean = load_hub_profile(OCEAN)
    assert (
        screenshots.image_path(None, demo, "logging-in", "login")
        == screenshots.MODULES_DIR / "logging-in/images/login.png"
    )
    assert screenshots.image_path(OCEAN, ocean, "logging-in", "login") == (
        HUBS / ".hub-training/ocean-gcp/screenshots/logging-in/login.png"
    )
    assert screenshots.image_path(OCEAN, ocean, "m", "n", out=tmp_path) == tmp_path / "m/n.png"


def test_cli_without_walkthroughs_says_how_to_add_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from training.cli.main import main

    assert main(["screenshots", "--modules", str(tmp_path)]) == 0
    assert "add modules/<id>/walkthrough.py" in capsys.readouterr().out


# --- generated on the replica ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_shots(replica, browser, tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("shots-demo-1")
    result = screenshots.generate(
        None, walkthroughs=discover(EXAMPLES), replica=replica, browser=browser, out=out, keep_unchanged=False
    )
    assert result.ok, result.problems
    return out, result


@pytest.mark.hub
@pytest.mark.browser
def test_example_walkthrough_replays_every_step_and_writes_light_pngs(demo_shots) -> None:  # type: ignore[no-untyped-def]
    out, result = demo_shots
    assert result.summaries == [
        "hub-basics: Start a server, open the Hub Control Panel, stop the server and log out: "
        "18 steps replayed, 0 skipped, 6 screenshots"
    ]
    files = sorted(out.rglob("*.png"))
    assert [f.name for f in files] == sorted(f"{s.name}.png" for s in discover(EXAMPLES)[0].shots())
    sizes = {f.name: f.stat().st_size for f in files}
    assert all(size < screenshots.BUDGET_BYTES for size in sizes.values()), sizes
    assert all(f.read_bytes().startswith(b"\x89PNG") for f in files)
    assert "Sign in with GitHub" in result.texts["hub-basics/login"]
    assert result.texts["hub-basics/hub-control-panel"].endswith("Stop My Server My Server")
    assert result.texts["hub-basics/server-stopped"].endswith("Start My Server")
    # JupyterLab 4 under JupyterHub: File ends with the hub's two items; JupyterLab's own Log Out and
    # Shut Down are hidden. Hub Control Panel opened the hub's home page in a new tab (menu(new_tab=True)).
    file_menu = result.texts["hub-basics/file-menu"]
    assert file_menu.endswith("Hub Control Panel Log Out"), file_menu
    assert file_menu.count("Log Out") == 1, file_menu
    assert "Log Out Shut Down" not in file_menu, file_menu
    assert "JupyterHub home page" in result.texts["hub-basics/hub-control-panel"]


@pytest.mark.hub
@pytest.mark.browser
def test_a_second_run_changes_no_image_beyond_antialiasing(demo_shots, replica, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, _ = demo_shots
    result = screenshots.generate(
        None, walkthroughs=discover(EXAMPLES), replica=replica, browser=browser, out=tmp_path, keep_unchanged=False
    )
    assert result.ok, result.problems
    diffs = {}
    for image in sorted(first.rglob("*.png")):
        again = tmp_path / image.relative_to(first)
        diffs[image.name] = screenshots.compare_images(image, again)
    worst = max(diffs.values(), key=lambda d: d.fraction)
    report_gate(
        f"screenshots: {len(diffs)} images regenerated, worst difference {worst} "
        f"(tolerance {screenshots.TOLERANCE}, max {screenshots.MAX_CHANGED_FRACTION:.2%} of pixels)"
    )
    changed = {name: str(d) for name, d in diffs.items() if not d.same()}
    assert not changed, changed


@pytest.mark.hub
@pytest.mark.browser
def test_server_options_screenshot_shows_each_hubs_own_profiles(demo_shots, hub_replica, browser, tmp_path) -> None:  # type: ignore[no-untyped-def]
    demo_out, demo = demo_shots
    ocean = screenshots.generate(
        OCEAN, walkthroughs=discover(EXAMPLES), replica=hub_replica(OCEAN), browser=browser, out=tmp_path
    )
    assert ocean.ok, ocean.problems
    demo_text, ocean_text = demo.texts["hub-basics/server-options"], ocean.texts["hub-basics/server-options"]
    for shown in ("Small", "GPU", "Image", "Pangeo Notebook (Python)", "Resource Allocation"):
        assert shown in demo_text, shown
        assert shown not in ocean_text, shown
    for shown in ("Standard ocean environment", "Big memory", "Memory", "128 GB of memory"):
        assert shown in ocean_text, shown
        assert shown not in demo_text, shown
    assert "Sign in with CILogon" in ocean.texts["hub-basics/login"]
    demo_png = demo_out / "hub-basics" / "server-options.png"
    ocean_png = tmp_path / "hub-basics" / "server-options.png"
    assert not screenshots.images_match(demo_png, ocean_png)
