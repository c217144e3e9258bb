"""Walkthrough videos: pacing and captions, the committed demo videos read by ffprobe, each chapter
showing its screenshot, another hub's own videos, and the player's page (axe, keyboard, weight)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from training.model import video_script as vs
from training.model.hub_profile import HubProfile, load_hub_profile
from training.model.hub_values import substitute
from training.replay import screenshots
from training.replay.filming import BYTES_PER_MINUTE, SCALE, SUFFIXES, FilmingError, filmed_step, instruction
from training.replay.walkthrough import Walkthrough, discover

from .conftest import HUBS, report_gate, run_sphinx

MODULES = screenshots.MODULES_DIR
OCEAN = HUBS / "gcp-cilogon.yaml"
#: A chapter's middle frame matches its screenshot when the mean absolute difference of their
#: pixels (RGB, 0-255; the screenshot scaled to the video's size, compared with its region of the
#: frame) is at most this, and smaller than with the middle frame of any other chapter that shows
#: another screen. Lossy video and the drawn pointer give 2-5; another screen of the same walkthrough
#: gives 6 to 75. Two chapters may show the very same screen (the login page before logging in and
#: after logging out): their middle frames then differ by at most this too, and the screenshot
#: cannot tell them apart.
MAX_MEAN_DIFFERENCE = 6.0

needs_ffmpeg = pytest.mark.skipif(not shutil.which("ffprobe"), reason="ffmpeg is not installed")


# --- pacing and captions (fast) ---------------------------------------------------------------------


def test_vtt_round_trip_escapes_markup_and_keeps_times() -> None:
    cues = [vs.Cue(0, 4.5, "Open https://hub.example.org & log in"), vs.Cue(4.5, 61.25, "Click <b>Start</b>.")]
    text = vs.format_vtt(cues)
    assert text.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.500\n")
    assert "&amp; log in" in text and "&lt;b&gt;" in text
    assert vs.parse_vtt(text) == cues
    with pytest.raises(ValueError, match="not a WebVTT file"):
        vs.parse_vtt("1\n00:00:00.000 --> 00:00:01.000\nx\n")
    assert vs.length_label(65.4) == "1 min 05 s" and vs.length_label(9.6) == "10 s"


def test_captions_get_the_hub_values_before_escaping() -> None:
    values = {"url": "https://hub.example.org/?a=1&b=<2>", "name": "Ocean"}
    written = [vs.Cue(0, 4, "Open {{ hub.url }} on {{hub.name}}."), vs.Cue(4, 8, "Ask {{ hub.nope }}.")]
    filled, unknown = vs.with_values(written, values)
    assert [c.text for c in filled] == ["Open https://hub.example.org/?a=1&b=<2> on Ocean.", "Ask {{ hub.nope }}."]
    assert [(c.start, c.end) for c in filled] == [(0, 4), (4, 8)]
    assert [u.key for u in unknown] == ["nope"]
    text = vs.format_vtt(filled)
    assert "?a=1&amp;b=&lt;2&gt; on Ocean." in text
    assert vs.parse_vtt(text) == filled


def test_pacing_rule_reading_time_minimum_and_result_in_the_middle() -> None:
    short = vs.Take("Open the File menu.", (vs.Action("click", 1.0, 0, 100, 100),), 2.0, 0)
    long_text = " ".join(["word"] * 30)
    long = vs.Take(long_text, (), 3.0, 0)
    busy = vs.Take(
        "Log in.",
        tuple(vs.Action("click", 4.0 + i, 0, 10 * i, 10) for i in range(4)),
        9.0,
        0,
        waits_for_cloud=True,
    )
    script = vs.plan([short, long, busy], (480, 300))
    first, second, third = script.captions
    assert first.end - first.start == pytest.approx(vs.MIN_CHAPTER_SECONDS)
    assert second.end - second.start == pytest.approx(30 * 60 / vs.WORDS_PER_MINUTE)  # 12 s for 30 words
    actions = 4 * (vs.MOVE_SECONDS + vs.PRESS_SECONDS) + vs.CARD_SECONDS
    assert third.end - third.start == pytest.approx(2 * actions)
    assert [c.start for c in script.captions[1:]] == [c.end for c in script.captions[:-1]]  # no gap
    assert script.seconds == pytest.approx(third.end)
    assert [s.kind for s in script.segments if s.kind == "card"] == ["card"]
    # The middle of every chapter falls in its "hold" (its result), whatever its actions.
    elapsed = 0
    for cue in script.captions:
        middle = (cue.start + cue.end) / 2 * vs.FPS
        for segment in script.segments:
            if elapsed <= middle < elapsed + segment.frames:
                break
            elapsed += segment.frames
        assert segment.kind == "hold", cue.text
        elapsed = round(cue.end * vs.FPS)


def test_a_step_instruction_is_one_line_with_hub_values() -> None:
    import training.replay.walkthrough as w

    step = w.say("Open   {{ hub.url }}\tand log in.", w.open_hub())
    assert step.instruction == "Open {{ hub.url }} and log in."
    assert instruction(step, load_hub_profile(OCEAN)) == f"Open {load_hub_profile(OCEAN).url} and log in."
    with pytest.raises(ValueError, match="one non-empty line"):
        w.say("  ", w.open_hub())
    with pytest.raises(FilmingError, match=r"\{\{ hub\.nope \}\} is not a key of the hub profile"):
        instruction(w.say("Ask {{ hub.nope }}.", w.open_hub()), load_hub_profile(OCEAN))


def test_pacing_reads_the_hub_values_not_the_placeholders() -> None:
    take = vs.Take("Open {{ hub.url }} and log in with your account.", (), 1.0, 0)
    wordy = vs.Take(take.instruction, (), 1.0, 0, read_as=" ".join(["word"] * 20))
    (cue,) = vs.plan([take], (0, 0)).captions
    (read,) = vs.plan([wordy], (0, 0)).captions
    assert cue.text == read.text == take.instruction  # the captions keep the placeholder
    assert read.end == pytest.approx(20 * 60 / vs.WORDS_PER_MINUTE)
    assert cue.end == pytest.approx(vs.MIN_CHAPTER_SECONDS)


# --- the committed demo videos -------------------------------------------------------------------------


def filmed(hub: HubProfile, modules_dir: Path = MODULES) -> list[Walkthrough]:
    """Walkthroughs this hub films: with instructions, and everything they need replayable here."""
    from training.sphinx_ext.video import filmable

    return [w for w in discover(modules_dir) if filmable(w, hub)]


def written_captions(walkthrough: Walkthrough, hub: HubProfile) -> list[str]:
    """The instructions of the steps this hub replays, as written: what the caption files must say."""
    return [s.instruction for s in walkthrough.steps if s.instruction and filmed_step(s, hub)]


def expected_captions(walkthrough: Walkthrough, hub: HubProfile) -> list[str]:
    """The same with the hub's values: what its built site's captions and transcript must say."""
    return [instruction(s, hub) for s in walkthrough.steps if s.instruction and filmed_step(s, hub)]


def with_values(text: str, hub: HubProfile) -> str:
    return substitute(text, hub.values(), code=True)[0]


def probe(path: Path) -> dict:  # type: ignore[type-arg]
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def frame_at(path: Path, seconds: float):  # type: ignore[no-untyped-def]
    from PIL import Image

    result = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-ss",
            f"{seconds:.3f}",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-f",
            "image2",
            "-c:v",
            "png",
            "-",
        ],
        capture_output=True,
        check=True,
    )
    return Image.open(io.BytesIO(result.stdout)).convert("RGB")


def mean_difference(a, b) -> float:  # type: ignore[no-untyped-def]
    from PIL import ImageChops, ImageStat

    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def screenshot_difference(video: Path, seconds: float, screenshot: Path, box: list[float]):  # type: ignore[no-untyped-def]
    """Mean difference between the screenshot and its region of the video frame at ``seconds``."""
    from PIL import Image

    frame = frame_at(video, seconds)
    x, y, width, height = (v * SCALE for v in box)
    # The box's edges may fall between the video's pixels (42 px x 0.75 = 31.5): its region is resampled
    # from exactly there, or every edge in the picture would differ by half a pixel.
    size = (round(width), round(height))
    region = frame.resize(size, Image.Resampling.LANCZOS, box=(x, y, x + width, y + height))
    picture = Image.open(screenshot).convert("RGB").resize(size, Image.Resampling.LANCZOS)
    return mean_difference(region, picture), region


def check_video(folder: Path, images: Path, walkthrough: Walkthrough, hub: HubProfile) -> list[str]:
    """Every acceptance check of one video; returns one line per chapter with its similarity."""
    files = {role: folder / f"{walkthrough.slug}{suffix}" for role, suffix in SUFFIXES.items()}
    missing = [str(p) for p in files.values() if not p.is_file()]
    assert not missing, f"no video of {walkthrough!r}: {missing} (run 'nox -s screenshots')"
    captions = vs.parse_vtt(files["captions"].read_text())
    chapters = vs.parse_vtt(files["chapters"].read_text())
    assert [c.text for c in captions] == written_captions(walkthrough, hub)
    assert len(chapters) == len(captions)
    assert [(c.start, c.end) for c in chapters] == [(c.start, c.end) for c in captions]
    assert all(ch.text.endswith(c.text) for ch, c in zip(chapters, captions, strict=True))
    assert captions[0].start == 0
    for cue in captions:
        assert cue.end - cue.start >= vs.reading_seconds(with_values(cue.text, hub)) - 0.05, cue
    for role, codec in (("webm", "vp9"), ("mp4", "h264")):
        info = probe(files[role])
        stream = info["streams"][0]
        assert stream["codec_name"] == codec
        assert stream["pix_fmt"] == "yuv420p"
        assert len(info["streams"]) == 1  # no sound track
        duration = float(info["format"]["duration"])
        assert captions[-1].end - 1 / vs.FPS - 0.05 <= duration <= captions[-1].end + 0.2, (role, duration)
        assert files[role].stat().st_size <= BYTES_PER_MINUTE * max(1.0, duration / 60), role
    head = files["mp4"].read_bytes()[:4096]
    assert b"moov" in head, "the MP4 is not +faststart: its index is not at the start"
    lines = []
    shots = json.loads(files["shots"].read_text())["shots"]
    taken = [s.shot.name for s in walkthrough.steps if s.shot is not None and filmed_step(s, hub)]
    # Every screenshot this hub takes is shown by a chapter (a walkthrough may take none: nothing to compare).
    assert sorted(shot["name"] for shot in shots) == sorted(taken), (shots, taken)
    for shot in shots:
        image = images / f"{shot['name']}.png"
        middles = [(cue.start + cue.end) / 2 for cue in captions]
        measured = [screenshot_difference(files["mp4"], middle, image, shot["box"]) for middle in middles]
        own, own_region = measured.pop(shot["chapter"])
        # A chapter at least as close as this one must show the very same screen as this one.
        closer = [mean_difference(region, own_region) for difference, region in measured if difference <= own]
        lines.append(
            f"{shot['name']}: {own:.1f} (other chapters: {min((d for d, _ in measured), default=255):.1f} or more"
            + (f"; {len(closer)} showing the same screen" if closer else "")
            + ")"
        )
        assert own <= MAX_MEAN_DIFFERENCE, lines[-1]
        assert all(same <= MAX_MEAN_DIFFERENCE for same in closer), lines[-1] + f": frames differ by {closer}"
    return lines


def _committed() -> list[tuple[str, Walkthrough]]:
    demo = load_hub_profile(None)
    return [(w.module or "", w) for w in filmed(demo)]


def test_every_walkthrough_says_its_steps_and_the_demo_hub_has_each_video_it_can_film() -> None:
    for walkthrough in discover(MODULES):
        if "rstudio" not in walkthrough.requires:
            assert walkthrough.instructions(), f"{walkthrough!r}: no step has a w.say(...) instruction"
    committed = {(path.parent.parent.name, path.name.removesuffix(".webm")) for path in MODULES.glob("*/videos/*.webm")}
    assert committed == {(module, walkthrough.slug) for module, walkthrough in _committed()}
    assert len(committed) >= 8, committed


def test_committed_captions_keep_placeholders_not_the_demo_values() -> None:
    demo = load_hub_profile(None)
    files = sorted(MODULES.glob("*/videos/*.vtt"))
    assert files
    for path in files:
        text = path.read_text()
        assert demo.url not in text and demo.name not in text, path
    captions = (
        MODULES / "stopping-your-server" / "videos" / "stop-your-server-from-jupyterlab.captions.vtt"
    ).read_text()
    assert "{{ hub.url }}" in captions


@needs_ffmpeg
@pytest.mark.parametrize(("module", "walkthrough"), _committed(), ids=lambda v: getattr(v, "slug", v))
def test_committed_video_captions_chapters_duration_and_frames(module: str, walkthrough: Walkthrough) -> None:
    demo = load_hub_profile(None)
    lines = check_video(MODULES / module / "videos", MODULES / module / "images", walkthrough, demo)
    report_gate(f"video {module}/{walkthrough.slug}: screenshot vs mid-chapter frame: " + "; ".join(lines))


# --- another hub's own videos, made on the replica ----------------------------------------------------------

WALKTHROUGH = textwrap.dedent(
    """
    import training.replay.walkthrough as w

    WALKTHROUGH = w.Walkthrough(
        "Open the hub",
        w.say("Open {{ hub.url }}: {{ hub.name }} shows its login page.", w.open_hub()),
        w.screenshot("login", "The login page of the hub", clip=(0, 0, 1280, 400)),
        w.say("Log in with {{ hub.login.provider_name }}.", w.log_in()),
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

    Some introduction.

    ## Log in

    ::::{screenshot} login
    Static stand-in for the login page.
    ::::
    """
)


def make_site(root: Path) -> Path:
    (root / "modules" / "m").mkdir(parents=True)
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "training"]\nmyst_enable_extensions = ["colon_fence"]\nnitpicky = True\n'
    )
    (root / "index.md").write_text("# Home\n\n```{toctree}\nmodules/m/index\nguide\n```\n")
    (root / "guide.md").write_text("# Guide\n\n```{video-list}\n```\n")
    (root / "modules" / "m" / "index.md").write_text(PAGE)
    (root / "modules" / "m" / "walkthrough.py").write_text(WALKTHROUGH)
    return root


def videos_of(out: Path) -> list[str]:
    html = BeautifulSoup((out / "modules" / "m" / "index.html").read_text(), "html.parser")
    return [source["src"] for source in html.select("video source")]


@pytest.mark.hub
@pytest.mark.browser
@needs_ffmpeg
def test_second_hub_shows_its_own_videos_after_screenshots_and_none_before(  # type: ignore[no-untyped-def]
    tmp_path, replica, hub_replica, browser
) -> None:
    src = make_site(tmp_path / "src")
    modules = src / "modules"
    hub_file = tmp_path / "hubs" / "ocean.yaml"
    hub_file.parent.mkdir()
    shutil.copy(OCEAN, hub_file)
    shutil.copytree(HUBS / "values", hub_file.parent / "values")
    ocean = load_hub_profile(hub_file)
    demo = load_hub_profile(None)

    made = screenshots.generate(None, modules_dir=modules, replica=replica, browser=browser)
    assert made.ok, made.problems
    (walkthrough,) = discover(modules)
    check_video(modules / "m" / "videos", modules / "m" / "images", walkthrough, demo)

    before = run_sphinx(src, tmp_path / "before", hub_file)
    assert before.returncode == 0, before.stderr
    assert videos_of(tmp_path / "before") == []  # the demo's video is there, but it is not this hub's
    assert "has no videos yet" in before.stdout
    assert "no videos for this hub yet" in (tmp_path / "before" / "guide.html").read_text()

    made = screenshots.generate(hub_file, modules_dir=modules, replica=hub_replica(OCEAN), browser=browser)
    assert made.ok, made.problems
    folder = hub_file.parent / ".hub-training" / ocean.id / "videos" / "m"
    images = hub_file.parent / ".hub-training" / ocean.id / "screenshots" / "m"
    check_video(folder, images, walkthrough, ocean)

    after = run_sphinx(src, tmp_path / "after", hub_file)
    assert after.returncode == 0, after.stderr
    sources = videos_of(tmp_path / "after")
    assert sources == [f"../../_videos/{ocean.id}/m/open-the-hub.webm", f"../../_videos/{ocean.id}/m/open-the-hub.mp4"]
    served = tmp_path / "after" / "modules" / "m" / sources[1]
    assert served.read_bytes() == (folder / "open-the-hub.mp4").read_bytes()
    assert "{{ hub.url }}" in (folder / "open-the-hub.captions.vtt").read_text()
    built = tmp_path / "after" / "_videos" / ocean.id / "m"
    said = expected_captions(walkthrough, ocean)
    assert ocean.url in said[0]
    captions = vs.parse_vtt((built / "open-the-hub.captions.vtt").read_text())
    chapters = vs.parse_vtt((built / "open-the-hub.chapters.vtt").read_text())
    assert [c.text for c in captions] == said
    assert [c.text for c in chapters] == [f"{n}. {text}" for n, text in enumerate(said, 1)]
    html = BeautifulSoup((tmp_path / "after" / "modules" / "m" / "index.html").read_text(), "html.parser")
    transcript = [li.get_text() for li in html.select("details.training-video-transcript li")]
    assert transcript == expected_captions(walkthrough, ocean)
    assert ocean.url in transcript[0] and demo.url not in transcript[0]
    guide = (tmp_path / "after" / "guide.html").read_text()
    assert "M: Open the hub" in guide and " s, 2 steps)" in guide

    demo_build = run_sphinx(src, tmp_path / "demo")
    assert demo_build.returncode == 0, demo_build.stderr
    html = BeautifulSoup((tmp_path / "demo" / "modules" / "m" / "index.html").read_text(), "html.parser")
    assert [li.get_text() for li in html.select("details li")] == expected_captions(walkthrough, demo)
    served = vs.parse_vtt((tmp_path / "demo" / "_videos" / demo.id / "m" / "open-the-hub.captions.vtt").read_text())
    assert [c.text for c in served] == expected_captions(walkthrough, demo)


def test_captions_naming_a_value_the_hub_lacks_give_one_warning_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    src = make_site(tmp_path / "src")
    videos = src / "modules" / "m" / "videos"
    videos.mkdir()
    for suffix in (".webm", ".mp4", ".poster.jpg"):
        (videos / f"open-the-hub{suffix}").write_bytes(b"not a real video")
    cues = [vs.Cue(0, 4, "Open {{ hub.url }}."), vs.Cue(4, 8, "Ask {{ hub.no_such_key }} for help.")]
    (videos / "open-the-hub.captions.vtt").write_text(vs.format_vtt(cues))
    (videos / "open-the-hub.chapters.vtt").write_text(vs.format_vtt(vs.chapter_cues(cues)))
    result = run_sphinx(src, tmp_path / "out")
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if "no_such_key" in line]
    assert len(lines) == 1, output
    assert "{{ hub.no_such_key }} is not a key of the hub profile" in lines[0] and "open-the-hub" in lines[0]
    assert result.returncode != 0  # -W: the warning fails the build


# --- the player on the demo site ------------------------------------------------------------------------------

PLAYER_PAGE = "modules/stopping-your-server/index.html"


def test_player_markup_no_autoplay_nothing_preloaded_captions_on(demo_site) -> None:  # type: ignore[no-untyped-def]
    html = demo_site.page(PLAYER_PAGE)
    section = html.select_one("section#watch-it")
    assert section is not None and section.select_one("h2").get_text(strip=True).startswith("Watch it")
    video = section.select_one("video")
    assert video.has_attr("controls") and video["preload"] == "none" and not video.has_attr("autoplay")
    assert video["poster"].endswith(".poster.jpg")
    assert [s["type"] for s in video.select("source")] == ["video/webm", "video/mp4"]
    captions, chapters = video.select("track")
    assert captions["kind"] == "captions" and chapters["kind"] == "chapters"
    assert not captions.has_attr("default")  # a default track is fetched with the page; play turns it on
    assert section.select_one("details summary").get_text().startswith("Transcript")
    for element in [*video.select("source"), *video.select("track")]:
        assert (demo_site.html / "modules" / "stopping-your-server" / element["src"]).is_file(), element
    # The committed captions keep {{ hub.url }}; the site's captions and transcript say the demo's address.
    demo = load_hub_profile(None)
    served = (demo_site.html / "modules" / "stopping-your-server" / captions["src"]).read_text()
    assert demo.url in vs.parse_vtt(served)[0].text and "{{" not in served
    transcript = [li.get_text() for li in section.select("details.training-video-transcript li")]
    assert demo.url in transcript[0] and not any("{{" in line for line in transcript)
    # The module page's own sections follow: the player sits at the top.
    headings = [h.get_text(strip=True) for h in html.select("article h2")]
    assert headings[0].startswith("Watch it"), headings
    # RStudio cannot be filmed: its module says so where the video would be, and has no player.
    rstudio = demo_site.page("modules/rstudio-tour/index.html").select_one("section#watch-it")
    assert rstudio is not None and rstudio.select("video") == []
    assert "The steps in RStudio have no video" in rstudio.get_text()
    assert "The steps in RStudio have no video" in section.get_text()  # its second walkthrough
    # A walkthrough with a few RStudio steps is filmed without them, and its page says so under the player.
    files = demo_site.page("modules/your-files/index.html").select_one("section#watch-it")
    assert files is not None and len(files.select("video")) == 1
    assert "The steps in RStudio have no video" in files.get_text()
    assert not any("RStudio" in li.get_text() for li in files.select("details.training-video-transcript li"))


@pytest.mark.browser
def test_page_with_player_loads_no_video_byte_passes_axe_and_keyboard(browser, demo_site, demo_url) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{demo_url}/{PLAYER_PAGE}")
    page.wait_for_load_state("networkidle")
    media = [url for url in requested if url.endswith((".webm", ".mp4", ".vtt"))]
    assert media == [], media
    posters = [url for url in requested if url.endswith(".poster.jpg")]
    report_gate(f"player page: {len(requested)} requests on load, no video or caption file; poster only ({posters})")
    violations = Axe().run(page).response["violations"]
    assert violations == [], [v["id"] for v in violations]
    # Keyboard: Tab reaches the player and the transcript; Enter opens the transcript.
    reached: list[str] = []
    where = "e => (e.closest('.training-watch-it') ? 'player:' : '') + e.tagName"
    for _ in range(200):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(f"({where})(document.activeElement)"))
        if reached[-1] == "player:SUMMARY":
            break
    assert "player:VIDEO" in reached, reached
    assert reached[-1] == "player:SUMMARY", reached
    page.keyboard.press("Enter")
    assert page.locator("details.training-video-transcript").first.evaluate("d => d.open")
    # Playing switches the captions on (and only then fetches them and the video).
    video = page.locator("video").first
    assert video.evaluate("v => v.textTracks[0].mode") == "disabled"
    video.evaluate("v => { v.muted = true; return v.play().catch(() => v.dispatchEvent(new Event('play'))); }")
    page.wait_for_function("() => document.querySelector('video').textTracks[0].mode === 'showing'")
    page.wait_for_function(
        "() => [...document.querySelector('video').textTracks[0].cues || []].length > 0", timeout=10_000
    )
    cues = video.evaluate("v => [...v.textTracks[0].cues].map(c => c.text)")
    assert cues[0].startswith("Open "), cues
    context.close()
