"""A walkthrough video's script: pacing, captions and chapters. Pure logic: no browser, no Sphinx.

A walkthrough step that carries an ``instruction`` (the sentence a learner reads) starts a
*chapter*; the steps after it without one belong to the same chapter. Each chapter becomes one
caption cue and one chapter cue with that same text, so the captions, the chapter list and the
transcript under the player say exactly what the walkthrough says. The cues keep the
``{{ hub.x }}`` placeholders as written: the build fills in the hub's values where it shows them,
so no file holds one hub's values.

Pacing rule, for people rather than for the test: a chapter stays on screen for

    max(MIN_CHAPTER_SECONDS, words / WORDS_PER_MINUTE minutes)

and never for less than twice what its pointer moves, clicks, typing and "a few minutes later" card
take, plus :data:`HOLD_MIN_SECONDS` of the result. The result is held for the rest of the chapter, so
the middle of every chapter shows what the chapter did. Waiting for the cloud (a server starting)
is never filmed: a chapter with such a step shows a card "A few minutes later" instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from training.model.hub_values import UnknownKey, substitute

#: Frames per second of the videos: the pointer glides smoothly enough; still frames cost nothing.
FPS = 10
#: A chapter is on screen at least this long.
MIN_CHAPTER_SECONDS = 4.0
#: Reading speed assumed for captions (words per minute): slow, for people reading a second language.
WORDS_PER_MINUTE = 150
#: The pointer glides to its target in this time, then the click mark shows for PRESS_SECONDS.
MOVE_SECONDS = 0.8
PRESS_SECONDS = 0.5
#: Typed text appears at this many seconds per character (between TYPE_MIN and TYPE_MAX seconds).
TYPE_SECONDS_PER_CHARACTER = 0.06
TYPE_MIN_SECONDS = 1.0
TYPE_MAX_SECONDS = 2.5
#: The "A few minutes later" card replaces a wait for the cloud.
CARD_SECONDS = 2.5
CARD_TEXT = "A few minutes later"
#: The result of a chapter is held at least this long.
HOLD_MIN_SECONDS = 1.5


# --- captions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One WebVTT cue: from ``start`` to ``end`` seconds, showing ``text``."""

    start: float
    end: float
    text: str


def timestamp(seconds: float) -> str:
    """WebVTT's ``hh:mm:ss.ttt``."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _seconds(stamp: str) -> float:
    parts = stamp.strip().split(":")
    value = 0.0
    for part in parts:
        value = value * 60 + float(part)
    return value


def format_vtt(cues: Sequence[Cue]) -> str:
    """A WebVTT file. Cue text is plain text: ``&``, ``<`` and ``>`` are escaped as WebVTT requires."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, 1):
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{number}\n{timestamp(cue.start)} --> {timestamp(cue.end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


_TIMING = re.compile(r"^\s*(?P<start>[\d:.]+)\s+-->\s+(?P<end>[\d:.]+)")


def parse_vtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file written by :func:`format_vtt` (or any simple WebVTT file)."""
    if not text.startswith("WEBVTT"):
        raise ValueError("not a WebVTT file: it does not start with WEBVTT")
    cues = []
    for block in re.split(r"\n\s*\n", text.strip())[1:]:
        lines = block.splitlines()
        timing = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing is None:
            continue
        match = _TIMING.match(lines[timing])
        assert match is not None
        body = "\n".join(lines[timing + 1 :]).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        cues.append(Cue(_seconds(match["start"]), _seconds(match["end"]), body))
    return cues


def with_values(cues: Sequence[Cue], values: Mapping[str, Any]) -> tuple[list[Cue], list[UnknownKey]]:
    """The cues with a hub's values in place of their ``{{ hub.x }}`` placeholders, and the keys it lacks.

    Done on the cue texts, before :func:`format_vtt` escapes them, so a value with ``&`` or ``<``
    reads as written.
    """
    filled, unknown = [], []
    for cue in cues:
        text, missing = substitute(cue.text, values, code=True)
        filled.append(replace(cue, text=text))
        unknown.extend(missing)
    return filled, unknown


def length_label(seconds: float) -> str:
    """``1 min 05 s`` / ``45 s``: a video's length as the instructor guide lists it."""
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


# --- pacing -----------------------------------------------------------------------------------------


def words(text: str) -> int:
    return len(text.split())


def reading_seconds(text: str) -> float:
    """How long a caption must stay on screen to be read (the first half of the pacing rule)."""
    return max(MIN_CHAPTER_SECONDS, words(text) * 60 / WORDS_PER_MINUTE)


def typing_seconds(text: str) -> float:
    return min(TYPE_MAX_SECONDS, max(TYPE_MIN_SECONDS, len(text) * TYPE_SECONDS_PER_CHARACTER))


def frames(seconds: float) -> int:
    """Whole frames for a duration (at least one), so cues fall on frame boundaries."""
    return max(1, round(seconds * FPS))


@dataclass(frozen=True)
class Action:
    """What the learner does in a chapter: a click at ``(x, y)`` or text typed (``kind`` "type").

    ``at`` is when it happened in the recording (the frame shown is the last one before it);
    ``page`` which browser tab it happened in. ``x``/``y`` are viewport pixels (typing: the pointer stays).
    """

    kind: str  # "click" | "type"
    at: float
    page: int
    x: float = 0.0
    y: float = 0.0
    text: str = ""


@dataclass(frozen=True)
class Take:
    """One chapter as recorded: its instruction, what was done, and which moment shows its result.

    ``instruction`` is as written (placeholders kept, for the captions); ``read_as`` is what the
    filmed hub's learners read (its values filled in), so the pacing times that.
    """

    instruction: str
    actions: tuple[Action, ...]
    result_at: float
    result_page: int
    waits_for_cloud: bool = False
    shots: tuple[str, ...] = ()  # the screenshots taken in this chapter (its result shows the last)
    read_as: str = ""  # empty: the instruction as written


@dataclass(frozen=True)
class Segment:
    """A stretch of the video: ``frames`` frames showing the recording at ``at`` on tab ``page``.

    ``kind``: "move" (the pointer glides from ``start`` to ``end``), "press" (a click mark at
    ``end``), "type" (``text`` typed, shown as keys), "card" (:data:`CARD_TEXT` on a plain
    background) or "hold" (the result, pointer at ``end``).
    """

    kind: str
    frames: int
    at: float
    page: int
    start: tuple[float, float]
    end: tuple[float, float]
    text: str = ""


@dataclass(frozen=True)
class Script:
    segments: tuple[Segment, ...]
    captions: tuple[Cue, ...]

    @property
    def seconds(self) -> float:
        return sum(s.frames for s in self.segments) / FPS


def chapter_seconds(take: Take) -> tuple[float, float]:
    """``(whole chapter, its actions and card)`` in seconds: the pacing rule of the module docstring."""
    busy = 0.0
    for action in take.actions:
        busy += MOVE_SECONDS + PRESS_SECONDS if action.kind == "click" else typing_seconds(action.text)
    if take.waits_for_cloud:
        busy += CARD_SECONDS
    read = reading_seconds(take.read_as or take.instruction)
    return max(read, 2 * busy, busy + HOLD_MIN_SECONDS), busy


def plan(takes: Iterable[Take], start_pointer: tuple[float, float]) -> Script:
    """The segments and caption cues of a video: one chapter per take, paced by :func:`chapter_seconds`."""
    segments: list[Segment] = []
    cues: list[Cue] = []
    pointer = start_pointer
    elapsed = 0  # frames
    for take in takes:
        total, _ = chapter_seconds(take)
        chapter_frames = frames(total)
        used = 0
        for action in take.actions:
            if action.kind == "click":
                target = (action.x, action.y)
                move, press = frames(MOVE_SECONDS), frames(PRESS_SECONDS)
                segments.append(Segment("move", move, action.at, action.page, pointer, target))
                segments.append(Segment("press", press, action.at, action.page, target, target))
                used += move + press
                pointer = target
            else:
                typed = frames(typing_seconds(action.text))
                segments.append(Segment("type", typed, action.at, action.page, pointer, pointer, action.text))
                used += typed
        if take.waits_for_cloud:
            card = frames(CARD_SECONDS)
            segments.append(Segment("card", card, take.result_at, take.result_page, pointer, pointer, CARD_TEXT))
            used += card
        hold = max(frames(HOLD_MIN_SECONDS), chapter_frames - used)
        segments.append(Segment("hold", hold, take.result_at, take.result_page, pointer, pointer))
        cues.append(Cue(elapsed / FPS, (elapsed + used + hold) / FPS, take.instruction))
        elapsed += used + hold
    return Script(tuple(segments), tuple(cues))


def chapter_cues(captions: Sequence[Cue]) -> list[Cue]:
    """The chapters track: one chapter per caption cue, numbered, with the same text."""
    return [Cue(c.start, c.end, f"{n}. {c.text}") for n, c in enumerate(captions, 1)]
