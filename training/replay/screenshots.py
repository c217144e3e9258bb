"""``hub-training screenshots [HUB_YAML]``: every walkthrough's screenshots, taken on the hub's replica.

Where they go:

- the demo hub: ``modules/<module-id>/images/<name>.png`` (committed);
- any other hub: ``.hub-training/<hub-id>/screenshots/<module-id>/<name>.png`` beside the hub file,
  with a ``manifest.json`` (what each image shows, which software took it).

The same run films every walkthrough whose steps carry instructions and that the replica can play
whole on this hub (:func:`~training.replay.filming.filmable`; :mod:`training.replay.filming`):
``modules/<module-id>/videos/<walkthrough>.{webm,mp4,captions.vtt,chapters.vtt,poster.jpg}`` for the
demo hub, ``.hub-training/<hub-id>/videos/<module-id>/...`` beside any other hub's file.

Images are PNG, cut to the step's ``crop``/``clip``, in a 1280x800 light-mode viewport at scale 1,
and at most :data:`BUDGET_BYTES` each: re-encoded losslessly, and quantised to 256 colours only when
that is still too heavy. Pages are frozen before each shot (no animation, transition, caret or hover).

Re-running changes nothing that only antialiasing changed: an image whose new pixels match the
committed ones (:func:`compare_images`: a pixel counts as changed when a channel moves by more than
:data:`TOLERANCE`; at most :data:`MAX_CHANGED_FRACTION` of the pixels may change) is left as it is,
so ``git status`` shows only real UI changes.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from training.model.hub_profile import DEMO_HUB_FILE, HubProfile, load_hub_profile
from training.replay.chromium import launch_options
from training.replay.filming import BYTES_PER_MINUTE, FilmingError, Recorder, Video, filmable, write_video
from training.replay.walkthrough import Shot, Walkthrough, discover, new_context, run_walkthrough
from training.site import standard_modules_dir

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from training.replay.replica import Replica

MODULES_DIR = standard_modules_dir()

#: Size budget per screenshot (bytes).
BUDGET_BYTES = 150_000
#: A pixel changed when one of its channels moved by more than this (0-255): antialiasing stays below.
TOLERANCE = 48
#: Images match when at most this fraction of their pixels changed.
MAX_CHANGED_FRACTION = 0.001


# --- comparing and encoding --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageDiff:
    """How two images differ: sizes, how many pixels changed beyond the tolerance, the largest change."""

    size_a: tuple[int, int]
    size_b: tuple[int, int]
    changed: int
    total: int
    max_delta: int

    @property
    def fraction(self) -> float:
        return self.changed / self.total if self.total else 1.0

    def same(self, max_fraction: float = MAX_CHANGED_FRACTION) -> bool:
        return self.size_a == self.size_b and self.fraction <= max_fraction

    def __str__(self) -> str:
        if self.size_a != self.size_b:
            return f"sizes differ: {self.size_a} vs {self.size_b}"
        return (
            f"{self.changed} of {self.total} pixels changed ({self.fraction:.4%}), "
            f"largest channel change {self.max_delta}"
        )


def _image(data: Path | bytes) -> Any:
    from PIL import Image

    raw = data.read_bytes() if isinstance(data, Path) else data
    return Image.open(io.BytesIO(raw)).convert("RGB")


def compare_images(a: Path | bytes, b: Path | bytes, tolerance: int = TOLERANCE) -> ImageDiff:
    """Compare two PNGs pixel by pixel (RGB); a pixel changed when a channel differs by > ``tolerance``."""
    from PIL import ImageChops

    first, second = _image(a), _image(b)
    if first.size != second.size:
        return ImageDiff(first.size, second.size, first.width * first.height, first.width * first.height, 255)
    difference = ImageChops.difference(first, second)
    # The largest channel difference of each pixel, then count the pixels above the tolerance.
    per_pixel = ImageChops.lighter(ImageChops.lighter(*difference.split()[:2]), difference.split()[2])
    histogram = per_pixel.histogram()
    changed = sum(histogram[tolerance + 1 :])
    max_delta = max((i for i, n in enumerate(histogram) if n), default=0)
    return ImageDiff(first.size, second.size, changed, first.width * first.height, max_delta)


def images_match(
    a: Path | bytes, b: Path | bytes, *, tolerance: int = TOLERANCE, max_fraction: float = MAX_CHANGED_FRACTION
) -> bool:
    return compare_images(a, b, tolerance).same(max_fraction)


def optimise_png(png: bytes, budget: int = BUDGET_BYTES) -> bytes:
    """Re-encode losslessly (smallest zlib); quantise to 256 colours only when still over ``budget``."""
    from PIL import Image

    image = _image(png)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    smallest = min(png, out.getvalue(), key=len)
    if len(smallest) <= budget:
        return smallest
    quantised = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    quantised.save(out, "PNG", optimize=True)
    return out.getvalue()


# --- where images go ----------------------------------------------------------------------------------


def is_demo(hub_file: Path | None) -> bool:
    return hub_file is None or hub_file.resolve() == DEMO_HUB_FILE.resolve()


def cache_dir(hub_file: Path, hub: HubProfile) -> Path:
    """``.hub-training/<id>/screenshots`` beside a (non-demo) hub file."""
    return hub_file.resolve().parent / ".hub-training" / hub.id / "screenshots"


def image_path(
    hub_file: Path | None,
    hub: HubProfile,
    module: str,
    name: str,
    *,
    modules_dir: Path = MODULES_DIR,
    out: Path | None = None,
) -> Path:
    """Where the screenshot ``name`` of ``module`` goes for this hub (``out`` overrides the default root)."""
    if out is not None:
        return out / module / f"{name}.png"
    if is_demo(hub_file):
        return modules_dir / module / "images" / f"{name}.png"
    assert hub_file is not None
    return cache_dir(hub_file, hub) / module / f"{name}.png"


def videos_dir(
    hub_file: Path | None, hub: HubProfile, module: str, *, modules_dir: Path = MODULES_DIR, out: Path | None = None
) -> Path:
    """Where the videos of ``module`` go for this hub (``out`` overrides the default root)."""
    if out is not None:
        return out / module / "videos"
    if is_demo(hub_file):
        return modules_dir / module / "videos"
    assert hub_file is not None
    return hub_file.resolve().parent / ".hub-training" / hub.id / "videos" / module


def expected_screenshots(modules_dir: Path = MODULES_DIR) -> list[tuple[str, Shot]]:
    """``(module id, shot)`` for every screenshot some walkthrough takes (what a build may reference)."""
    return [(w.module or "", s) for w in discover(modules_dir) for s in w.shots()]


# --- generating ----------------------------------------------------------------------------------------


@dataclass
class Written:
    path: Path
    status: str  # "new" | "updated" | "unchanged"
    size: int
    diff: str = ""


@dataclass
class Generated:
    """What a generation did: images per status, walkthrough summaries, problems (non-empty = failure)."""

    hub: str
    images: list[Written] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # "<module>/<name>" -> visible text when taken
    videos: list[Video] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def software_versions() -> dict[str, str]:
    found = {}
    for name in ("jupyterhub", "jupyterlab", "jupyterhub-kubespawner", "jupyterhub-fancy-profiles", "nbgitpuller"):
        with suppress(PackageNotFoundError):
            found[name] = version(name)
    return found


@contextmanager
def _browser(browser: Browser | None) -> Iterator[Browser]:
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(**launch_options())
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def _replica(hub: HubProfile, replica: Replica | None, log: Callable[[str], None]) -> Iterator[Replica]:
    if replica is not None:
        yield replica
        return
    from training.replay.replica import Replica

    with Replica(hub, log=log) as started:
        yield started


def _materials_repo(hub: HubProfile, modules_dir: Path, workdir: Path, log: Callable[[str], None]) -> str | None:
    """The hub's materials as a local git repository (file:// URL), for walkthroughs that open links."""
    try:
        from training.model.materials import MaterialsError, write_materials
        from training.model.nbgitpuller import clone_dir
    except ImportError:  # the materials writer is not in this checkout yet
        return None
    target = workdir / clone_dir(hub.materials.repo)
    try:
        write_materials(hub, modules_dir, target)
    except MaterialsError as exc:
        log(f"hub-training screenshots: no materials repository ({'; '.join(exc.problems)})")
        return None
    return target.as_uri()


def generate(
    hub_file: Path | None = None,
    *,
    modules_dir: Path = MODULES_DIR,
    out: Path | None = None,
    walkthroughs: list[Walkthrough] | None = None,
    browser: Browser | None = None,
    replica: Replica | None = None,
    keep_unchanged: bool = True,
    videos: bool = True,
    log: Callable[[str], None] = print,
) -> Generated:
    """Replay every walkthrough on the hub's replica and write its screenshots (see the module docstring).

    ``replica``/``browser``: reuse running ones (tests); ``out``: another root (``<out>/<module>/<name>.png``);
    ``keep_unchanged=False`` writes every image even when only antialiasing changed;
    ``videos=False`` films nothing.
    """
    hub = load_hub_profile(hub_file)
    found = discover(modules_dir) if walkthroughs is None else walkthroughs
    result = Generated(hub.id)
    if not found:
        log(f"hub-training screenshots: no walkthroughs in {modules_dir} (add modules/<id>/walkthrough.py)")
        return result
    with tempfile.TemporaryDirectory(prefix="hub-training-materials-") as workdir:
        needs_materials = any(s.needs_materials for w in found for s in w.steps)
        materials = _materials_repo(hub, modules_dir, Path(workdir), log) if needs_materials else None
        with _replica(hub, replica, log) as hub_replica, _browser(browser) as chromium:
            if hub_replica.hub is not hub and hub_replica.hub.id != hub.id:
                raise ValueError(f"the replica runs {hub_replica.hub.id}, not {hub.id}")
            for walkthrough in found:
                module = walkthrough.module or "unsorted"

                def save(shot: Shot, png: bytes, _module: str | None, module: str = module) -> Path:
                    path = image_path(hub_file, hub, module, shot.name, modules_dir=modules_dir, out=out)
                    result.images.append(_write(path, optimise_png(png), keep_unchanged))
                    return path

                hub_replica.reset_user()
                context = new_context(chromium)
                # A walkthrough with a step beyond the replica (RStudio) is not filmed on a hub that has it.
                film = Recorder(context) if videos and filmable(walkthrough, hub) else None
                try:
                    report = run_walkthrough(
                        walkthrough, hub_replica, context, save=save, materials_repo=materials, film=film
                    )
                    if film is not None:
                        film.stop()
                        folder = videos_dir(hub_file, hub, module, modules_dir=modules_dir, out=out)
                        video = None if report.skipped_all else write_video(film, walkthrough, hub, folder)
                        if video is not None:
                            result.videos.append(video)
                except (AssertionError, FilmingError) as exc:
                    result.problems.append(str(exc))
                    continue
                finally:
                    context.close()
                result.summaries.append(report.summary())
                result.texts.update({f"{module}/{name}": text for name, text in report.texts.items()})
            hub_replica.reset_user()
    for video in result.videos:
        for role, size in video.sizes().items():
            budget = BYTES_PER_MINUTE * max(1.0, video.seconds / 60)
            if size > budget:
                result.problems.append(f"{video.path(role)}: {size} bytes, over the budget of {budget:.0f} bytes")
    for image in result.images:
        if image.size > BUDGET_BYTES:
            result.problems.append(f"{image.path}: {image.size} bytes, over the {BUDGET_BYTES} byte budget; crop it")
    if not is_demo(hub_file) and out is None and hub_file is not None:
        _write_manifest(cache_dir(hub_file, hub), hub, found)
    return result


def _write(path: Path, png: bytes, keep_unchanged: bool) -> Written:
    if path.exists():
        diff = compare_images(path, png)
        if keep_unchanged and diff.same():
            return Written(path, "unchanged", path.stat().st_size, str(diff))
        status, detail = "updated", str(diff)
    else:
        status, detail = "new", ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return Written(path, status, len(png), detail)


def _write_manifest(root: Path, hub: HubProfile, walkthroughs: list[Walkthrough]) -> None:
    entries = [
        {"module": w.module, "name": s.name, "alt": s.alt, "hub_dependent": s.hub_dependent}
        for w in walkthroughs
        for s in w.shots()
        if (root / (w.module or "unsorted") / f"{s.name}.png").exists()
    ]
    manifest = {"hub": hub.id, "software": software_versions(), "screenshots": entries}
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


def main(hub: str | None, modules: str | None = None, out: str | None = None) -> int:
    """The CLI: print one line per image and walkthrough; exit 1 when a walkthrough failed."""
    hub_file = Path(hub) if hub else None
    result = generate(hub_file, modules_dir=Path(modules) if modules else MODULES_DIR, out=Path(out) if out else None)
    for image in result.images:
        print(f"{image.status:9} {image.size / 1000:6.1f} kB  {image.path}")
    for video in result.videos:
        sizes = ", ".join(f"{role} {size / 1000:.0f} kB" for role, size in video.sizes().items())
        print(f"video     {video.seconds:5.1f} s   {video.path('webm').with_suffix('')} ({sizes})")
    for summary in result.summaries:
        print(summary)
    for problem in result.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    counts = {s: sum(i.status == s for i in result.images) for s in ("new", "updated", "unchanged")}
    print(f"Screenshots for {result.hub}: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
    return 0 if result.ok else 1
