"""Film a walkthrough while it runs: Chromium's screencast, a drawn pointer, Debian's ffmpeg.

The same replay that takes the screenshots films them, so the two cannot disagree:

- :class:`Recorder` is attached to the browser context before the walkthrough opens its page. It
  starts Chromium's DevTools screencast (``Page.startScreencast``) on every tab, and a small script
  in each page reports every click (where) and every key typed (which) back to Python. Headless
  Chromium draws no pointer, so the pointer, the click marks and the typed keys are drawn onto the
  frames afterwards.
- The walkthrough tells it when each step starts and ends and when each screenshot is taken.
- :func:`write_video` turns that into a script (:mod:`training.model.video_script`: one chapter per
  step instruction, paced for people), draws the frames with Pillow and encodes them with ffmpeg
  into WebM (VP9) and MP4 (H.264, yuv420p, ``+faststart``), beside a WebVTT captions track, a
  chapters track and a poster frame. The tracks keep the instructions' ``{{ hub.x }}``
  placeholders: the build fills in the values of the hub it builds for.

Videos are :data:`WIDTH` x :data:`HEIGHT` at :data:`~training.model.video_script.FPS` frames per
second and must stay within :data:`BYTES_PER_MINUTE` per file.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from training.model.hub_values import substitute
from training.model.video_script import (
    CARD_TEXT,
    FPS,
    Action,
    Cue,
    Script,
    Segment,
    Take,
    chapter_cues,
    format_vtt,
    plan,
)

if TYPE_CHECKING:
    from PIL import Image
    from playwright.sync_api import BrowserContext, CDPSession, Page

    from training.model.hub_profile import HubProfile
    from training.replay.walkthrough import Shot, Step, Walkthrough

#: Size of the video frames: the 1280x800 viewport at three quarters, readable and light.
WIDTH, HEIGHT = 960, 600
SCALE = WIDTH / 1280
#: Size of the screencast's frames: the viewport's own, scaled down here (Lanczos) to keep text sharper
#: than Chromium's own scaling does.
SCREENCAST_SIZE = (1280, 800)
#: Size budget of each video file (WebM and MP4 alike), per minute of video.
BYTES_PER_MINUTE = 1_000_000
#: Encoder settings: constant quality; screens are mostly still, so a long keyframe interval is cheap.
VP9_OPTIONS = ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "40", "-row-mt", "1", "-deadline", "good", "-cpu-used", "4"]
H264_OPTIONS = ["-c:v", "libx264", "-preset", "slow", "-crf", "30", "-tune", "stillimage", "-movflags", "+faststart"]
#: The files of one video, by role: ``<slug><suffix>``.
SUFFIXES = {
    "webm": ".webm",
    "mp4": ".mp4",
    "captions": ".captions.vtt",
    "chapters": ".chapters.vtt",
    "poster": ".poster.jpg",
    "shots": ".shots.json",
}
#: The last chapter, without a screenshot, shows the screen this long after it ended (the replay
#: pauses longer while it films: :data:`~training.replay.walkthrough.CHAPTER_PAUSE_MS`).
SETTLE_SECONDS = 0.3
#: Size of the poster frame (shown before play): half size, to keep the page light.
POSTER_SIZE = (WIDTH // 2, HEIGHT // 2)

_BINDING = "__hubTrainingInput"
#: Reports trusted clicks and keys of the top frame to Python. Clicks are ``pointerdown``: JupyterLab's
#: menus cancel it, and then the browser sends no ``mousedown``. ``fill()`` types without key events,
#: so text inserted without a key just before it is reported too. Password fields report dots.
_LISTENER = """
(() => {
  if (window !== window.top) return;
  const send = (event) => { try { window.__BINDING__(event); } catch (error) {} };
  const now = () => Date.now() / 1000;
  const secret = (target) => !!target && target.type === "password";
  let lastKey = -1e9;
  addEventListener("pointerdown", (e) => {
    if (e.isTrusted) send({kind: "click", x: e.clientX, y: e.clientY, t: now()});
  }, true);
  addEventListener("keydown", (e) => {
    if (!e.isTrusted || ["Shift", "Control", "Alt", "Meta"].includes(e.key)) return;
    lastKey = performance.now();
    const plain = e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey;
    const mods = (e.ctrlKey ? "Ctrl+" : "") + (e.metaKey ? "Meta+" : "") + (e.altKey ? "Alt+" : "")
      + (e.shiftKey && !plain ? "Shift+" : "");
    const text = plain ? (secret(e.target) ? "\\u2022" : e.key) : "[" + mods + e.key + "]";
    send({kind: "key", text: text, t: now()});
  }, true);
  addEventListener("input", (e) => {
    if (!e.isTrusted || e.inputType !== "insertText" || !e.data || performance.now() - lastKey < 100) return;
    send({kind: "key", text: secret(e.target) ? "\\u2022".repeat(e.data.length) : e.data, t: now()});
  }, true);
})();
""".replace("__BINDING__", _BINDING)


class FilmingError(RuntimeError):
    """ffmpeg is missing or failed: the message says which and what it printed."""


# --- recording ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    at: float
    jpeg: bytes


@dataclass(frozen=True)
class Input:
    kind: str  # "click" | "key"
    at: float
    page: int
    x: float = 0.0
    y: float = 0.0
    text: str = ""


@dataclass
class StepMark:
    step: Step
    start: float
    page: int
    end: float = 0.0
    end_page: int = 0
    status: str = ""


@dataclass(frozen=True)
class ShotMark:
    name: str
    at: float
    page: int
    box: tuple[float, float, float, float] | None


@dataclass
class Recorder:
    """Frames of every tab, inputs, and the walkthrough's step and screenshot times, as they happen."""

    context: BrowserContext
    frames: dict[int, list[Frame]] = field(default_factory=dict)
    inputs: list[Input] = field(default_factory=list)
    steps: list[StepMark] = field(default_factory=list)
    shots: list[ShotMark] = field(default_factory=list)
    _pages: list[Page] = field(default_factory=list)
    _sessions: list[CDPSession] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context.expose_binding(_BINDING, self._on_input)
        self.context.add_init_script(_LISTENER)
        self.context.on("page", self._watch)
        for page in self.context.pages:
            self._watch(page)

    def page_key(self, page: Page) -> int:
        for index, known in enumerate(self._pages):
            if known is page:
                return index
        self._pages.append(page)
        return len(self._pages) - 1

    def _watch(self, page: Page) -> None:
        key = self.page_key(page)
        frames = self.frames.setdefault(key, [])
        session = self.context.new_cdp_session(page)

        def on_frame(params: dict[str, Any]) -> None:
            metadata = params.get("metadata", {})
            at = float(metadata.get("timestamp") or time.time())
            frame = Frame(at, base64.b64decode(params["data"]))
            width, height = float(metadata.get("deviceWidth", 0)), float(metadata.get("deviceHeight", 0))
            scale = min(1.0, SCREENCAST_SIZE[0] / max(width, 1), SCREENCAST_SIZE[1] / max(height, 1))
            got = _jpeg_size(frame.jpeg)
            if abs(got[0] - width * scale) > 1 or abs(got[1] - height * scale) > 1:
                pass  # a screenshot's clip that Chromium also sends to the screencast: not the tab
            elif frames and at - frames[-1].at < 0.5 / FPS:
                frames[-1] = frame  # two repaints within one video frame: keep the later
            else:
                frames.append(frame)
            with suppress(Exception):  # the tab is closing; its frames so far are kept
                session.send("Page.screencastFrameAck", {"sessionId": params["sessionId"]})

        session.on("Page.screencastFrame", on_frame)
        width, height = SCREENCAST_SIZE
        session.send("Page.startScreencast", {"format": "jpeg", "quality": 90, "maxWidth": width, "maxHeight": height})
        self._sessions.append(session)

    def _on_input(self, source: dict[str, Any], event: dict[str, Any]) -> None:
        key = self.page_key(source["page"])
        at = float(event["t"])
        if abs(at - time.time()) > 5:  # a walkthrough fixed the page's clock (for a steady picture)
            at = time.time()
        self.inputs.append(
            Input(
                str(event["kind"]),
                at,
                key,
                float(event.get("x", 0)),
                float(event.get("y", 0)),
                str(event.get("text", "")),
            )
        )

    def step_started(self, step: Step, page: Page) -> None:
        self.steps.append(StepMark(step, time.time(), self.page_key(page)))

    def step_ended(self, step: Step, page: Page, status: str) -> None:
        mark = self.steps[-1]
        mark.end, mark.end_page, mark.status = time.time(), self.page_key(page), status

    def shot(self, shot: Shot, page: Page, box: tuple[float, float, float, float] | None) -> None:
        self.shots.append(ShotMark(shot.name, time.time(), self.page_key(page), box))

    def stop(self) -> None:
        for session in self._sessions:
            try:
                session.send("Page.stopScreencast")
                session.detach()
            except Exception:  # the tab is already closed
                pass
        self._sessions.clear()

    # --- from the recording to a script ---

    def chapters(self) -> list[list[StepMark]]:
        """Steps grouped by instruction; steps before the first instruction are not filmed."""
        grouped: list[list[StepMark]] = []
        for mark in self.steps:
            if mark.step.instruction:
                grouped.append([mark])
            elif grouped:
                grouped[-1].append(mark)
        return grouped

    def takes(self, hub: HubProfile) -> list[Take]:
        """One take per replayed chapter. Its result is its last screenshot, or else the screen just
        before the next chapter starts: the replay leaves the page alone between chapters while it
        films (a page reports "loaded" before it is painted, and the frames lag the page), and
        the next chapter may navigate at once."""
        chapters = [c for c in self.chapters() if c[0].status == "done"]  # others: not on this hub
        takes = []
        for number, chapter in enumerate(chapters):
            start, end = chapter[0].start, chapter[-1].end
            hidden = [(m.start, m.end) for m in chapter if m.step.off_camera]
            inputs = [i for i in self.inputs if start <= i.at <= end and not any(a <= i.at <= b for a, b in hidden)]
            shots = [s for s in self.shots if start <= s.at <= end]
            following = chapters[number + 1] if number + 1 < len(chapters) else None
            settled = end + SETTLE_SECONDS if following is None else following[0].start
            result_at, result_page = (shots[-1].at, shots[-1].page) if shots else (settled, chapter[-1].end_page)
            takes.append(
                Take(
                    chapter[0].step.instruction or "",
                    tuple(_actions(inputs)),
                    result_at,
                    result_page,
                    any(m.step.waits_for_cloud for m in chapter),
                    tuple(s.name for s in shots),
                    read_as=instruction(chapter[0].step, hub),
                )
            )
        return takes

    def frame_at(self, page: int, at: float, *, before: bool = False) -> bytes | None:
        """The last frame of tab ``page`` at ``at`` (strictly before it when ``before``)."""
        frames = self.frames.get(page) or [f for fs in self.frames.values() for f in fs]
        earlier = [f for f in frames if (f.at < at if before else f.at <= at)]
        if earlier:
            return max(earlier, key=lambda f: f.at).jpeg
        return min(frames, key=lambda f: f.at).jpeg if frames else None


def _jpeg_size(jpeg: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(jpeg)) as image:  # reads the header only
        return image.size


def instruction(step: Step, hub: HubProfile) -> str:
    """A step's instruction with the hub's values in it, as the page shows them.

    Raises :class:`FilmingError` when it names a value this hub lacks: its captions could not be shown.
    """
    text, unknown = substitute(step.instruction or "", hub.values(), code=True)
    if unknown:
        raise FilmingError(f"step {step.title!r}: {{{{ hub.{unknown[0].key} }}}} {unknown[0].reason} ({hub.id})")
    return text


#: Interfaces the replica cannot run, so walkthroughs that need them are never filmed.
NOT_FILMED = {"rstudio": "RStudio", "vscode": "VS Code"}


def not_filmed_reason(walkthrough: Walkthrough, hub: HubProfile) -> str:
    """The software this hub has that the whole walkthrough needs and that cannot be filmed ('' when none)."""
    return " and ".join(NOT_FILMED[f] for f in sorted(walkthrough.requires) if f in NOT_FILMED and f in hub.features)


def steps_not_filmed(walkthrough: Walkthrough, hub: HubProfile) -> str:
    """The same for single steps: the video leaves them out, and the page says so ('' when none)."""
    needed = set().union(*(step.requires for step in walkthrough.steps)) - set(walkthrough.requires)
    return " and ".join(NOT_FILMED[f] for f in sorted(needed) if f in NOT_FILMED and f in hub.features)


def filmed_step(step: Step, hub: HubProfile) -> bool:
    """A step this hub's video shows: the hub has what it needs, and it is not beyond the replica."""
    return step.requires <= hub.features and not (step.requires & NOT_FILMED.keys())


def filmable(walkthrough: Walkthrough, hub: HubProfile) -> bool:
    """It has instructions on steps this hub films, and the walkthrough as a whole is not beyond the replica."""
    return (
        any(step.instruction and filmed_step(step, hub) for step in walkthrough.steps)
        and walkthrough.requires <= hub.features
        and not not_filmed_reason(walkthrough, hub)
    )


def _actions(inputs: list[Input]) -> Iterator[Action]:
    """Clicks as they are; keys in a row become one typing action (its frame: before the first key)."""
    typed: list[Input] = []
    for item in sorted(inputs, key=lambda i: i.at):
        if item.kind == "key":
            typed.append(item)
            continue
        if typed:
            yield Action("type", typed[0].at, typed[0].page, text="".join(k.text for k in typed))
            typed = []
        yield Action("click", item.at, item.page, item.x * SCALE, item.y * SCALE)
    if typed:
        yield Action("type", typed[0].at, typed[0].page, text="".join(k.text for k in typed))


# --- drawing ------------------------------------------------------------------------------------------

POINTER = [(0, 0), (0, 22), (6, 17), (10, 26), (14, 24), (10, 16), (17, 16)]
MARK_COLOUR = (214, 51, 0)
BADGE_BACKGROUND = (33, 37, 41)


@cache
def _font(size: int) -> Any:
    from PIL import ImageFont

    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


@cache
def _decoded(jpeg: bytes | None) -> Image.Image:
    from PIL import Image

    if jpeg is None:
        return Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    image = Image.open(io.BytesIO(jpeg)).convert("RGB")
    return image if image.size == (WIDTH, HEIGHT) else image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def draw_pointer(image: Image.Image, x: float, y: float) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    draw.polygon([(x + px, y + py) for px, py in POINTER], fill=(255, 255, 255), outline=(0, 0, 0), width=2)


def draw_click(image: Image.Image, x: float, y: float, progress: float) -> None:
    from PIL import ImageDraw

    radius = 10 + 14 * progress
    draw = ImageDraw.Draw(image)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=MARK_COLOUR, width=4)


def draw_badge(image: Image.Image, text: str) -> None:
    """Typed keys in a dark badge at the bottom centre: 'Typed: ls -l [Enter]', or 'Pressed: Escape'."""
    from PIL import ImageDraw

    font = _font(22)
    keys_only = re.fullmatch(r"(\[[^\]]+\])+", text)
    label = "Pressed: " + text.strip("[]").replace("][", ", ") if keys_only else f"Typed: {text}"
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    while right - left + 32 > WIDTH - 48 and len(label) > 12:  # a long command: its end, just typed, shows
        prefix, rest = label.split(": ", 1)
        label = f"{prefix}: …{rest.lstrip('…')[4:]}"
        left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    width, height = right - left + 32, bottom - top + 20
    x0, y0 = (WIDTH - width) // 2, HEIGHT - height - 24
    draw.rounded_rectangle((x0, y0, x0 + width, y0 + height), radius=10, fill=BADGE_BACKGROUND)
    draw.text((x0 + 16 - left, y0 + 10 - top), label, font=font, fill=(255, 255, 255))


def draw_card(image: Image.Image, text: str) -> Image.Image:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    card = PILImage.blend(image, PILImage.new("RGB", image.size, (245, 247, 250)), 0.85)
    font = _font(40)
    draw = ImageDraw.Draw(card)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(
        ((WIDTH - (right - left)) / 2 - left, (HEIGHT - (bottom - top)) / 2 - top), text, font=font, fill=(0, 0, 0)
    )
    return card


def render(segment: Segment, index: int, recorder: Recorder) -> Image.Image:
    """Frame ``index`` of ``segment``: the recorded frame with the pointer and marks drawn on it."""
    before = segment.kind in {"move", "press", "type"}
    image = _decoded(recorder.frame_at(segment.page, segment.at, before=before)).copy()
    progress = (index + 1) / segment.frames
    if segment.kind == "card":
        return draw_card(image, CARD_TEXT)
    x, y = segment.end
    if segment.kind == "move":
        t = _ease(progress)
        x = segment.start[0] + (segment.end[0] - segment.start[0]) * t
        y = segment.start[1] + (segment.end[1] - segment.start[1]) * t
    if segment.kind == "press":
        draw_click(image, x, y, progress)
    draw_pointer(image, x, y)
    if segment.kind == "type":
        # Text appears as it is typed; keys alone ([Enter]) show at once.
        shown = max(1, round(len(segment.text) * min(1.0, progress * 1.5)))
        draw_badge(image, segment.text if segment.text.startswith("[") else segment.text[:shown])
    return image


# --- writing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Video:
    """The files of one walkthrough's video and what they say."""

    slug: str
    folder: Path
    seconds: float
    captions: tuple[Cue, ...]

    def path(self, role: str) -> Path:
        return self.folder / f"{self.slug}{SUFFIXES[role]}"

    def sizes(self) -> dict[str, int]:
        return {role: self.path(role).stat().st_size for role in ("webm", "mp4")}


def ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if not found:
        raise FilmingError("ffmpeg is not installed (Debian: apt-get install ffmpeg); videos need it")
    return found


def write_video(recorder: Recorder, walkthrough: Walkthrough, hub: HubProfile, folder: Path) -> Video | None:
    """Encode the recording of ``walkthrough`` into ``folder``; None when it has no instruction to film."""
    takes = recorder.takes(hub)
    if not takes:
        return None
    script = plan(takes, (WIDTH / 2, HEIGHT / 2))
    folder.mkdir(parents=True, exist_ok=True)
    video = Video(walkthrough.slug, folder, script.seconds, script.captions)
    partial = {role: video.path(role).with_name(f".partial-{video.path(role).name}") for role in SUFFIXES}
    try:
        _encode(script, recorder, partial["webm"], partial["mp4"])
        partial["captions"].write_text(format_vtt(script.captions), encoding="utf-8")
        partial["chapters"].write_text(format_vtt(chapter_cues(script.captions)), encoding="utf-8")
        _poster(script, recorder).resize(POSTER_SIZE).save(partial["poster"], "JPEG", quality=70, optimize=True)
        partial["shots"].write_text(json.dumps(_shots(takes, recorder), indent=1) + "\n", encoding="utf-8")
        for role, path in partial.items():
            path.replace(video.path(role))  # all files appear together, never half a video
    finally:
        for path in partial.values():
            path.unlink(missing_ok=True)
    return video


def _shots(takes: list[Take], recorder: Recorder) -> dict[str, Any]:
    """Which chapter shows which screenshot, and where in the viewport: what the tests compare."""
    boxes = {s.name: s.box for s in recorder.shots}
    return {
        "viewport_to_video": SCALE,
        "shots": [
            {"name": name, "chapter": index, "box": boxes.get(name)}
            for index, take in enumerate(takes)
            for name in take.shots
        ],
    }


def _poster(script: Script, recorder: Recorder) -> Image.Image:
    """The result of the first chapter, so the still before playing shows where the steps start."""
    hold = next(s for s in script.segments if s.kind == "hold")
    return render(hold, hold.frames - 1, recorder)


def _encode(script: Script, recorder: Recorder, webm: Path, mp4: Path) -> None:
    command = [
        ffmpeg(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{WIDTH}x{HEIGHT}",
        "-r",
        str(FPS),
        "-i",
        "-",
        "-an",
        "-g",
        str(10 * FPS),
        *VP9_OPTIONS,
        "-pix_fmt",
        "yuv420p",
        "-f",
        "webm",
        str(webm),
        "-an",
        "-g",
        str(10 * FPS),
        *H264_OPTIONS,
        "-pix_fmt",
        "yuv420p",
        "-f",
        "mp4",
        str(mp4),
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None
    try:
        for segment in script.segments:
            still = segment.kind in {"hold", "card"}
            raw = render(segment, 0, recorder).tobytes() if still else b""
            for index in range(segment.frames):
                process.stdin.write(raw if still else render(segment, index, recorder).tobytes())
        process.stdin.close()
    except BrokenPipeError:
        pass
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.wait() != 0:
        raise FilmingError(f"ffmpeg failed ({process.returncode}): {errors.strip()[-800:]}")
