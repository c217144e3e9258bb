"""The "Watch it" player at the top of each module whose walkthrough is filmed, and ``video-list``.

The videos are made by ``hub-training screenshots`` (:mod:`training.replay.filming`), from the same
replay as the screenshots. Which files a page shows:

- demo hub: ``modules/<id>/videos/<walkthrough>.*`` (committed; missing = build warning);
- another hub: its own ``.hub-training/<hub-id>/videos/<id>/<walkthrough>.*`` beside the hub file;
  until they exist the page shows no video, never another hub's.

A walkthrough that needs what cannot be replayed (RStudio Server, code-server) is not filmed; on a
hub that has it, the page says so where the video would be.

The player is the browser's own ``<video controls preload="none">``: nothing is fetched before the
learner presses play (the poster frame excepted), there is no autoplay, captions are on by default,
the chapters track lists the steps, and the transcript (the same cue texts) is in a ``<details>``
under it. The files are copied to ``_videos/`` in the output, so the site works offline.

The caption and chapter files keep the ``{{ hub.x }}`` placeholders of the walkthrough's sentences
(a committed file holds no hub's values); the build fills in this hub's values in the transcript and
in the ``.vtt`` files it writes to the output.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from training.model.hub_profile import DEMO_HUB_FILE
from training.model.video_script import Cue, format_vtt, length_label, parse_vtt, with_values
from training.replay.filming import filmable, not_filmed_reason, steps_not_filmed
from training.replay.walkthrough import Walkthrough, load_file
from training.sphinx_ext.config import hub_file_from, hub_of
from training.sphinx_ext.modules import module_of, path_modules
from training.sphinx_ext.warnings import TrainingWarning, warn

logger = logging.getLogger(__name__)

#: The files of one video, by role (as :data:`training.replay.filming.SUFFIXES` writes them).
SUFFIXES = {
    "webm": ".webm",
    "mp4": ".mp4",
    "captions": ".captions.vtt",
    "chapters": ".chapters.vtt",
    "poster": ".poster.jpg",
}
OUTPUT_FOLDER = "_videos"
_told: set[str] = set()


@cache
def module_walkthroughs(walkthrough_file: Path, modified: float) -> tuple[Walkthrough, ...]:
    """A module's walkthroughs (cached per file version)."""
    return tuple(load_file(walkthrough_file))


def videos_root(hub_file: str, hub_id: str, modules_folder: Path) -> Path:
    """Where this hub's videos live, one folder per module below it."""
    if not hub_file or Path(hub_file).resolve() == DEMO_HUB_FILE.resolve():
        return modules_folder
    return Path(hub_file).resolve().parent / ".hub-training" / hub_id / "videos"


def module_videos_dir(hub_file: str, hub_id: str, modules_folder: Path, module_id: str) -> Path:
    root = videos_root(hub_file, hub_id, modules_folder)
    return root / module_id / "videos" if root == modules_folder else root / module_id


@dataclass(frozen=True)
class FoundVideo:
    """A video's files and its captions with the hub's values; ``problems``: what the build reports
    about them (one warning each: a placeholder this hub has no value for, an unreadable file)."""

    walkthrough: Walkthrough
    files: dict[str, Path]
    captions: tuple[Cue, ...]
    problems: tuple[tuple[TrainingWarning, str], ...] = ()

    @property
    def seconds(self) -> float:
        return self.captions[-1].end if self.captions else 0.0


def find_video(folder: Path, walkthrough: Walkthrough, values: Mapping[str, Any]) -> FoundVideo | None:
    """The walkthrough's video in ``folder`` (None until all its files are there), captions with ``values``."""
    files = {role: folder / f"{walkthrough.slug}{suffix}" for role, suffix in SUFFIXES.items()}
    if not all(path.is_file() for path in files.values()):
        return None
    try:
        written = parse_vtt(files["captions"].read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        problem = f"{files['captions'].name} cannot be read: {exc}"
        return FoundVideo(walkthrough, files, (), ((TrainingWarning.video, problem),))
    captions, unknown = with_values(written, values)
    keys = sorted({f"{{{{ hub.{u.key} }}}} {u.reason}" for u in unknown})
    problems = ((TrainingWarning.hub_key, f"the captions of {walkthrough.slug}: {'; '.join(keys)}"),) if keys else ()
    return FoundVideo(walkthrough, files, tuple(captions), problems)


def vtt_with_values(source: Path, values: Mapping[str, Any]) -> str:
    """A caption or chapter file as the output serves it: the hub's values in place of the placeholders."""
    cues, _ = with_values(parse_vtt(source.read_text(encoding="utf-8")), values)
    return format_vtt(cues)


def hub_videos(env: BuildEnvironment, module_id: str) -> tuple[list[FoundVideo], list[Walkthrough], list[str]]:
    """This hub's videos of a module, the filmable walkthroughs without one, and why others are not filmed."""
    folder = Path(env.srcdir) / env.config.training_modules_dir
    walkthrough_file = folder / module_id / "walkthrough.py"
    if not walkthrough_file.is_file():
        return [], [], []
    env.note_dependency(str(walkthrough_file))
    hub = hub_of(env)
    videos_dir = module_videos_dir(hub_file_from(env.config), hub.id, folder, module_id)
    found, missing, not_filmed = [], [], []
    for walkthrough in module_walkthroughs(walkthrough_file, walkthrough_file.stat().st_mtime):
        reason = not_filmed_reason(walkthrough, hub)
        if reason:
            not_filmed.append(reason)
            continue
        if walkthrough.requires <= hub.features and steps_not_filmed(walkthrough, hub):
            not_filmed.append(steps_not_filmed(walkthrough, hub))
        if not filmable(walkthrough, hub):
            continue
        env.note_dependency(str(videos_dir / f"{walkthrough.slug}{SUFFIXES['captions']}"))
        video = find_video(videos_dir, walkthrough, hub.values())
        if video is None:
            missing.append(walkthrough)
        else:
            found.append(video)
    return found, missing, sorted(set(not_filmed))


# --- the player -------------------------------------------------------------------------------------


def _registry(env: BuildEnvironment) -> dict[str, list[tuple[str, str]]]:
    """docname -> (source file, path in the output) of every video file its page shows."""
    if not hasattr(env, "training_videos"):
        env.training_videos = {}  # type: ignore[attr-defined]
    return env.training_videos  # type: ignore[attr-defined, no-any-return]


#: Captions are switched on when the video first plays, not with ``default``: a default track is
#: fetched with the page, and nothing of the video should be fetched before the learner plays it.
CAPTIONS_ON_PLAY = (
    "if (!this.dataset.played) { this.dataset.played = 'yes'; "
    "for (const track of this.textTracks) { if (track.kind === 'captions') track.mode = 'showing'; } }"
)


def player_html(video: FoundVideo, urls: dict[str, str], title: str) -> str:
    """The browser's own player: no autoplay, nothing fetched before play, captions on at play, chapters."""
    e = html.escape
    steps = "".join(f"<li>{e(cue.text)}</li>" for cue in video.captions)
    length = length_label(video.seconds)
    return (
        '<figure class="training-video">'
        f'<video controls preload="none" width="960" height="600" poster="{e(urls["poster"])}" '
        f'aria-label="Video: {e(title)}" onplay="{CAPTIONS_ON_PLAY}">'
        f'<source src="{e(urls["webm"])}" type="video/webm">'
        f'<source src="{e(urls["mp4"])}" type="video/mp4">'
        f'<track kind="captions" srclang="en" label="English" src="{e(urls["captions"])}">'
        f'<track kind="chapters" srclang="en" label="Steps" src="{e(urls["chapters"])}">'
        f'<p>Your browser cannot play this video. <a href="{e(urls["mp4"])}">Download it (MP4)</a>.</p>'
        "</video>"
        f"<figcaption>{e(title)} ({e(length)}, no sound, captions on)</figcaption>"
        "</figure>"
        '<details class="training-video-transcript">'
        f"<summary>Transcript: {e(title)}</summary>"
        f'<ol class="training-video-steps">{steps}</ol>'
        "</details>"
    )


class WatchIt(SphinxDirective):
    """Added to every module page by the build; moved under the overview on ``doctree-read``."""

    def run(self) -> list[nodes.Node]:
        module = module_of(self.env, self.env.docname)
        if module is None:
            return []
        found, missing, not_filmed = hub_videos(self.env, module.id)
        hub = hub_of(self.env)
        hub_file = hub_file_from(self.env.config)
        if missing:
            if not hub_file or Path(hub_file).resolve() == DEMO_HUB_FILE.resolve():
                names = ", ".join(w.slug for w in missing)
                warn(
                    f"module {module.id}: no video of {names} in modules/{module.id}/videos; run 'nox -s screenshots'",
                    TrainingWarning.video,
                    (self.env.docname, 1),
                )
            elif hub.id not in _told:
                _told.add(hub.id)
                logger.info(
                    f"[training] {hub.name} has no videos yet; module pages show none. "
                    f"Make them with: hub-training screenshots {hub_file}",
                    color="yellow",
                )
        if not found and not not_filmed:
            return []
        section = nodes.section(names=["watch it"], classes=["training-watch-it"])
        section += nodes.title("", "Watch it")
        depth = "../" * self.env.docname.count("/")
        registry = _registry(self.env).setdefault(self.env.docname, [])
        for video in found:
            for kind, problem in video.problems:
                warn(f"module {module.id}: {problem}", kind, (self.env.docname, 1))
            urls = {}
            for role, path in video.files.items():
                target = f"{OUTPUT_FOLDER}/{hub.id}/{module.id}/{path.name}"
                registry.append((str(path), target))
                self.env.note_dependency(str(path))
                urls[role] = depth + target
            section += nodes.raw("", player_html(video, urls, video.walkthrough.title), format="html")
        for software in not_filmed:
            note = nodes.paragraph(classes=["training-not-filmed"])
            note += nodes.Text(
                f"The steps in {software} have no video: the videos are filmed automatically on a copy "
                f"of {hub.name}, and {software} cannot run there. Follow the steps and pictures below."
            )
            section += note
        self.state.document.note_implicit_target(section)
        return [section]


class VideoList(SphinxDirective):
    """``video-list [module ids]``: every module video of this hub with its length (instructor guides)."""

    optional_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        folder = self.env.config.training_modules_dir
        items = nodes.bullet_list(classes=["training-video-list"])
        wanted = self.arguments[0].split() if self.arguments else None
        modules = path_modules(self.env)
        if wanted is not None:
            by_id = {m.id: m for m in modules}
            modules = [by_id[m] for m in wanted if m in by_id]
        for module in modules:
            walkthrough_file = Path(self.env.srcdir) / folder / module.id / "walkthrough.py"
            if walkthrough_file.is_file():  # a missing dependency would re-read this page on every build
                self.env.note_dependency(str(walkthrough_file))
            found, _, _ = hub_videos(self.env, module.id)
            for video in found:
                item = nodes.list_item()
                paragraph = nodes.paragraph()
                reference = nodes.reference("", "", internal=True)
                reference["refuri"] = "../" * self.env.docname.count("/") + f"{folder}/{module.id}/index.html#watch-it"
                reference += nodes.Text(f"{module.title}: {video.walkthrough.title}")
                paragraph += reference
                paragraph += nodes.Text(f" ({length_label(video.seconds)}, {len(video.captions)} steps)")
                item += paragraph
                items += item
        if not items.children:
            paragraph = nodes.paragraph()
            paragraph += nodes.Text("There are no videos for this hub yet.")
            return [paragraph]
        return [items]


def _append_watch_it(app: Sphinx, docname: str, source: list[str]) -> None:
    if module_of(app.env, docname) is not None:
        source[0] += "\n\n```{watch-it}\n```\n"


def _place_watch_it(app: Sphinx, doctree: nodes.document) -> None:
    """Move the section to the top of the module: the first section, after the overview and introduction."""
    top = next(iter(doctree.findall(nodes.section)), None)
    for section in [n for n in doctree.findall(nodes.section) if "training-watch-it" in n["classes"]]:
        if top is None or section is top:
            return
        section.parent.remove(section)
        first = top.first_child_matching_class(nodes.section)
        top.insert(len(top.children) if first is None else first, section)


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _registry(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    registry = _registry(env)
    for docname, files in _registry(other).items():
        if docname in docnames:
            registry[docname] = files


def _copy_page_videos(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Copy the video files of the page being written to the output; captions and chapters get the hub's values.

    Done as each page is written, so a rebuild touches only the files of the pages it writes. A file
    already there is left alone when it is the same (media: the same size, as a re-encoded video
    differs in size; captions: the same text, as another hub's values may be just as long).
    """
    files = _registry(app.env).get(pagename)
    if not files or app.builder.format != "html":
        return
    values = hub_of(app).values()
    for source, target in files:
        destination = Path(app.outdir) / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.endswith(".vtt"):
            try:
                text = vtt_with_values(Path(source), values)
            except (ValueError, UnicodeDecodeError) as exc:
                warn(f"{Path(source).name} cannot be read: {exc}", TrainingWarning.video, source)
                continue
            if not destination.is_file() or destination.read_text(encoding="utf-8") != text:
                destination.write_text(text, encoding="utf-8")
            continue
        if destination.is_file() and destination.stat().st_size == Path(source).stat().st_size:
            continue
        shutil.copyfile(source, destination)


def setup_video_player(app: Sphinx) -> None:
    app.add_directive("watch-it", WatchIt)
    app.add_directive("video-list", VideoList)
    app.connect("source-read", _append_watch_it, priority=410)
    app.connect("doctree-read", _place_watch_it, priority=410)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _copy_page_videos)
