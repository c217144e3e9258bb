"""Walkthroughs: a module's UI steps, written once, replayed on the replica and photographed.

A module that shows UI steps has a ``walkthrough.py`` beside its ``index.md``::

    import training.replay.walkthrough as w

    WALKTHROUGH = w.Walkthrough(
        "Start a server and stop it",
        w.open_hub(),
        w.log_in(),
        w.screenshot("server-options", "The Server Options page of the hub", crop="#spawn_form"),
        w.choose_profile(),            # the hub's default profile; or choose_profile("Small", {"Image": "..."})
        w.start(),
        w.wait_for_lab(),
        w.menu("File", "Hub Control Panel", new_tab=True),
        w.click("Stop My Server"),
        w.expect("Start My Server", role="button"),
    )

Each step is an action on the real UI of the replica (:mod:`training.replay.replica`). A label in a step
(``"Hub Control Panel"``) is matched exactly, so the test fails when the software renames what the
module tells people to click; :meth:`Walkthrough.ui_labels` lists them for the content check.
Steps that need something the hub lacks, or the replica cannot run (RStudio), are skipped and listed
in the :class:`Report`. The same run writes the named screenshots when given somewhere to save them
(:mod:`training.replay.screenshots`); in tests it only checks that what would be photographed is on screen.

:func:`discover` finds every ``modules/<id>/walkthrough.py`` (it defines ``WALKTHROUGH`` or a list
``WALKTHROUGHS``).
"""

from __future__ import annotations

import importlib.util
import io
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page

    from training.model.hub_profile import HubProfile, Profile
    from training.replay.filming import Recorder
    from training.replay.replica import Replica

#: Browser settings every run uses, so that two runs photograph the same pixels.
VIEWPORT = {"width": 1280, "height": 800}
CONTEXT_OPTIONS: dict[str, Any] = {
    "viewport": VIEWPORT,
    "device_scale_factor": 1,
    "color_scheme": "light",
    "reduced_motion": "reduce",
    "locale": "en-US",
    "timezone_id": "UTC",
}

#: Injected before each screenshot: no animation, transition or text caret in the picture.
STILL_CSS = """
*, *::before, *::after {
  animation-duration: 0s !important; animation-delay: 0s !important;
  transition: none !important; caret-color: transparent !important; scroll-behavior: auto !important;
}
.xterm-cursor-blink { animation: none !important; }
"""

#: How long a server may take to start on the replica (a real hub's pods take longer).
START_TIMEOUT_MS = 120_000
TIMEOUT_MS = 30_000
#: At most this long a screenshot of JupyterLab waits for two identical frames in a row.
SETTLE_SECONDS = 15
#: While filming, the page is left alone this long when a chapter ends: the screencast's frames lag
#: the page, and the chapter's result must be on a frame before the next chapter acts.
CHAPTER_PAUSE_MS = 600


class Skip(Exception):
    """Raised by a step that cannot run here; the run records the reason and goes on."""


class WalkthroughFailed(AssertionError):
    """A step failed: the message names the walkthrough, the step, the URL and a screenshot of it."""


# --- the model -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shot:
    """A named screenshot: ``crop`` is a CSS selector of the region to keep, ``clip`` a rectangle
    ``(x, y, width, height)`` of the viewport; neither: the whole viewport."""

    name: str
    alt: str
    crop: str | None = None
    clip: tuple[int, int, int, int] | None = None
    full_page: bool = False
    hub_dependent: bool = True
    blur: bool = True
    trim: bool = False


@dataclass(frozen=True)
class Step:
    """One thing a learner does. ``labels`` are the exact UI labels it clicks (the content must use them)."""

    title: str
    action: Callable[[Run], None]
    requires: frozenset[str] = frozenset()
    labels: tuple[str, ...] = ()
    shot: Shot | None = None
    needs_materials: bool = False
    #: The sentence a learner reads for this step (``{{ hub.x }}`` values allowed): the video's caption,
    #: chapter and transcript line. Set it with :func:`say`; steps without one join the chapter before.
    instruction: str | None = None
    #: The step waits for the cloud (a server starting): the video shows "A few minutes later" instead.
    waits_for_cloud: bool = False
    #: Scaffolding the module does not teach (a fixed clock for the picture): the video draws none of its
    #: clicks or keys. Leave the screen as it was before it (``clear`` a terminal), as its result is filmed.
    off_camera: bool = False


class Walkthrough:
    """A module's UI steps in order. ``requires``: hub features without which the whole walkthrough is skipped."""

    def __init__(self, title: str, *steps: Step, requires: Iterable[str] = ()):
        if not steps:
            raise ValueError(f"walkthrough {title!r} has no steps")
        self.title = title
        self.steps = tuple(steps)
        self.requires = frozenset(requires)
        self.module: str | None = None  # set by discover() from the folder name
        self.source: Path | None = None
        names = [s.shot.name for s in self.steps if s.shot]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"walkthrough {title!r} names a screenshot twice: {', '.join(duplicates)}")

    def __repr__(self) -> str:
        return f"Walkthrough({self.module or '?'}: {self.title!r}, {len(self.steps)} steps)"

    @property
    def id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        return f"{self.module}/{slug}" if self.module else slug

    def ui_labels(self) -> list[str]:
        """Every UI label the steps click, in order, once each (hub-dependent labels excluded)."""
        seen: list[str] = []
        for step in self.steps:
            seen.extend(label for label in step.labels if label not in seen)
        return seen

    def shots(self) -> list[Shot]:
        return [s.shot for s in self.steps if s.shot]

    def instructions(self) -> list[str]:
        """The instructions of its steps, in order, as written (``{{ hub.x }}`` not yet replaced)."""
        return [s.instruction for s in self.steps if s.instruction]

    @property
    def slug(self) -> str:
        """The walkthrough's name in file names (its video is ``<slug>.webm``)."""
        return self.id.rsplit("/", 1)[-1]


# --- running -----------------------------------------------------------------------------------------


@dataclass
class StepResult:
    index: int
    title: str
    status: str  # "done" | "skipped"
    reason: str = ""
    seconds: float = 0.0


@dataclass
class Report:
    """What a run did: each step's result, the screenshots written and the text each one showed."""

    walkthrough: str
    module: str | None
    results: list[StepResult] = field(default_factory=list)
    screenshots: dict[str, Path] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    skipped_all: str = ""

    @property
    def skipped(self) -> list[StepResult]:
        return [r for r in self.results if r.status == "skipped"]

    def summary(self) -> str:
        head = f"{self.module or '-'}: {self.walkthrough}"
        if self.skipped_all:
            return f"{head}: skipped ({self.skipped_all})"
        done = sum(r.status == "done" for r in self.results)
        lines = [f"{head}: {done} steps replayed, {len(self.skipped)} skipped, {len(self.screenshots)} screenshots"]
        lines += [f"  skipped step {r.index} {r.title!r}: {r.reason}" for r in self.skipped]
        return "\n".join(lines)


#: ``save(shot, png_bytes, module) -> path``: where screenshots go (None: check only, write nothing).
Saver = Callable[[Shot, bytes, str | None], Path]


class Run:
    """The state of one replay: the browser page (it changes when a step opens a new tab), the replica."""

    def __init__(
        self,
        page: Page,
        replica: Replica,
        walkthrough: Walkthrough,
        *,
        save: Saver | None = None,
        materials_repo: str | None = None,
        film: Recorder | None = None,
    ):
        self.page = page
        self.replica = replica
        self.walkthrough = walkthrough
        self.save = save
        self.film = film
        self.materials_repo = materials_repo
        self.report = Report(walkthrough.title, walkthrough.module)

    @property
    def hub(self) -> HubProfile:
        return self.replica.hub

    def url(self, path: str = "") -> str:
        return self.replica.url + path.lstrip("/")

    def missing(self, requires: Iterable[str]) -> str:
        """Why ``requires`` cannot be met here ('' when it can)."""
        reasons = []
        for feature in sorted(requires):
            if feature in self.replica.unavailable:
                reasons.append(f"{feature}: not replayed, {self.replica.unavailable[feature]}")
            elif feature not in self.hub.features:
                reasons.append(f"{feature}: the hub {self.hub.id} does not have it")
        return "; ".join(reasons)

    def exact(self, role: str, name: str, within: Page | Locator | None = None) -> Locator:
        """The one visible element with this role and exactly this accessible name."""
        return (within or self.page).get_by_role(role, name=name, exact=True)  # type: ignore[arg-type]


def run_walkthrough(
    walkthrough: Walkthrough,
    replica: Replica,
    context: BrowserContext,
    *,
    save: Saver | None = None,
    materials_repo: str | None = None,
    film: Recorder | None = None,
) -> Report:
    """Replay every step in a new page of ``context``; raise :class:`WalkthroughFailed` on the first failure.

    ``film``: a recorder already attached to ``context``; it is told when each step starts and ends.
    """
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    run = Run(page, replica, walkthrough, save=save, materials_repo=materials_repo, film=film)
    whole = run.missing(walkthrough.requires)
    if whole:
        run.report.skipped_all = whole
        return run.report
    before_skipped = ""  # why the last step that was not a screenshot was skipped
    for index, step in enumerate(walkthrough.steps, 1):
        if film is not None and step.instruction and any(s.instruction for s in walkthrough.steps[: index - 1]):
            run.page.wait_for_timeout(CHAPTER_PAUSE_MS)
        started = time.monotonic()
        if film is not None:
            film.step_started(step, run.page)
        reason = run.missing(step.requires)
        if not reason and step.shot is not None and before_skipped:
            # The picture would show a state the skipped step never made (e.g. JupyterLab on an RStudio hub).
            reason = f"the step before it was skipped ({before_skipped})"
        if not reason:
            try:
                step.action(run)
            except Skip as exc:
                reason = str(exc)
            except Exception as exc:
                raise _failure(run, index, step, exc) from exc
        status = "skipped" if reason else "done"
        if film is not None:
            film.step_ended(step, run.page, status)
        run.report.results.append(StepResult(index, step.title, status, reason, time.monotonic() - started))
        if step.shot is None:
            before_skipped = reason
    if film is not None:
        run.page.wait_for_timeout(CHAPTER_PAUSE_MS)
    return run.report


def new_context(browser: Browser) -> BrowserContext:
    """A fresh browser context (logged out, empty storage) with the fixed screenshot settings."""
    return browser.new_context(**CONTEXT_OPTIONS)


def _failure(run: Run, index: int, step: Step, exc: Exception) -> WalkthroughFailed:
    where = "(no screenshot)"
    try:
        shot = Path(tempfile.mkdtemp(prefix="walkthrough-failure-")) / f"step-{index}.png"
        run.page.screenshot(path=str(shot))
        where = str(shot)
    except Exception:  # the page may be gone; the original error matters more
        pass
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return WalkthroughFailed(
        f"{run.walkthrough!r}: step {index} {step.title!r} failed: {first_line}\n"
        f"  page: {run.page.url}\n  screenshot: {where}\n  hub log: {run.replica.log_file}"
    )


# --- the steps -------------------------------------------------------------------------------------
# Each function returns a Step. Labels are the exact words on screen.


def open_hub(path: str = "") -> Step:
    """Open the hub's address (or a path on it) in the browser."""

    def action(run: Run) -> None:
        goto(run, run.url(path))

    return Step(f"open the hub{' at /' + path if path else ''}", action)


def goto(run: Run, url: str) -> None:
    """Type an address: ``page.goto``, once more if the page was still redirecting (spawn-pending → lab)."""
    from playwright.sync_api import Error

    try:
        run.page.goto(url)
    except Error as exc:
        if "interrupted by another navigation" not in str(exc):
            raise
        run.page.wait_for_load_state()
        run.page.goto(url)


def log_in() -> Step:
    """On the login page: the provider's "Sign in with ..." button, or the username/password form."""

    def action(run: Run) -> None:
        page = run.page
        page.wait_for_url(re.compile(r".*/hub/login.*"))
        service = run.replica.login_service
        if service:
            run.exact("button", f"Sign in with {service}").click()
        else:
            page.get_by_label("Username:", exact=True).fill(run.replica.username)
            page.get_by_label("Password:", exact=True).fill(run.replica.password or "")
            run.exact("button", "Sign in").click()
        page.wait_for_url(lambda url: "/hub/login" not in url)

    return Step("log in", action)


def _profile(hub: HubProfile, which: str | int | None) -> Profile:
    profiles = hub.profile_list
    if which is None:
        return next((p for p in profiles if p.default), profiles[0])
    if isinstance(which, int):
        return profiles[which]
    for profile in profiles:
        if profile.display_name == which:
            return profile
    raise AssertionError(
        f"the hub {hub.id} has no profile {which!r}; its profiles: {', '.join(p.display_name for p in profiles)}"
    )


def choose_profile(
    profile: str | int | None = None, choices: Mapping[str, str | tuple[str, str]] | None = None
) -> Step:
    """On the Server Options page, pick a profile (name, index, or None for the default) and its choices.

    ``choices`` maps an option's label to a choice's label, e.g. ``{"Image": "Pangeo Notebook (Python)"}``;
    ``{"Image": ("Other...", "pangeo/base-notebook:2026.11.01")}`` picks the free-text choice and types.
    Works with jupyterhub-fancy-profiles' form and with KubeSpawner's classic one.
    """
    choices = dict(choices or {})

    def action(run: Run) -> None:
        page = run.page
        page.wait_for_url(re.compile(r".*/hub/spawn.*"))
        run.exact("heading", "Server Options").wait_for()
        chosen = _profile(run.hub, profile)
        slug = chosen.effective_slug
        if run.replica.form == "fancy":
            block = page.locator(f"#profile-{slug}")
            title = block.locator("h2").first
        else:
            block = page.locator(f"label[for='profile-item-{slug}']")
            title = block.locator("h3").first
        actual = title.inner_text().strip()
        assert actual == chosen.display_name, f"profile {slug} is shown as {actual!r}, not {chosen.display_name!r}"
        radio = page.locator(f"#profile-option-{slug}" if run.replica.form == "fancy" else f"#profile-item-{slug}")
        if not radio.is_checked():
            title.click()
            assert radio.is_checked(), f"clicking {chosen.display_name!r} did not select it"
        for option_label, wanted in choices.items():
            key = next((k for k, o in chosen.profile_options.items() if o.display_name == option_label), None)
            assert key is not None, f"profile {chosen.display_name!r} has no option {option_label!r}"
            label, text = wanted if isinstance(wanted, tuple) else (wanted, None)
            if run.replica.form == "fancy":
                _fancy_choose(run, block, option_label, label)
            else:
                page.locator(f"#profile-option-{slug}--{key}").select_option(label=label)
            if text is not None:
                custom = chosen.profile_options[key].unlisted_choice
                field_label = (custom.display_name if custom else None) or option_label
                block.get_by_label(field_label, exact=True).fill(text)

    names = [n for v in choices.values() for n in ((v[0],) if isinstance(v, tuple) else (v,))]
    labels = tuple(n for n in ([profile] if isinstance(profile, str) else []) + [*choices, *names])
    title = f"choose profile {profile if profile is not None else '(default)'}" + (
        f" with {choices}" if choices else ""
    )
    return Step(title, action, frozenset({"profile-options"}), labels)


def _fancy_choose(run: Run, block: Locator, option_label: str, choice_label: str) -> None:
    """jupyterhub-fancy-profiles draws each option as a react-select combobox labelled by the option."""
    combobox = block.get_by_role("combobox", name=option_label, exact=True)
    combobox.click()
    title = re.compile(rf"^\s*{re.escape(choice_label)}\s*$")
    run.page.locator(".select__option").filter(
        has=run.page.locator(".react-select-item-title", has_text=title)
    ).first.click()
    shown = block.locator(".select__single-value .react-select-item-title").all_inner_texts()
    assert choice_label in [s.strip() for s in shown], f"{option_label}: {choice_label!r} not selected (shown: {shown})"


def start() -> Step:
    """Press the Server Options page's "Start" button."""

    def action(run: Run) -> None:
        run.exact("button", "Start").click()

    return Step("press Start", action, frozenset({"profile-options"}), ("Start",), waits_for_cloud=True)


def wait_for_lab() -> Step:
    """Wait until JupyterLab has loaded (the server may be starting), with no pop-up over it."""

    def action(run: Run) -> None:
        page = run.page
        page.wait_for_url(re.compile(r".*/user/[^/]+/lab.*"), timeout=START_TIMEOUT_MS)
        page.locator(".jp-LabShell").wait_for(timeout=START_TIMEOUT_MS)
        page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=START_TIMEOUT_MS)
        page.locator(".jp-Launcher, .jp-Document, .jp-Terminal").first.wait_for(timeout=START_TIMEOUT_MS)
        toasts = page.locator(".Toastify__toast")
        assert toasts.count() == 0, f"a notification covers JupyterLab: {toasts.all_inner_texts()}"

    return Step("wait for JupyterLab", action, frozenset({"lab"}), waits_for_cloud=True)


def wait_for_idle_kernel(run: Run, kernel: str) -> None:
    """Wait until the status bar reads "<kernel> | Idle": the kernel has started and answers."""
    status = run.page.locator("#jp-main-statusbar")
    status.get_by_text(f"{kernel} | Idle", exact=True).first.wait_for(timeout=START_TIMEOUT_MS)


def back_to_jupyterlab() -> Step:
    """Go back to the browser tab that still shows JupyterLab (the Hub Control Panel opened a new one)."""

    def action(run: Run) -> None:
        lab = next(p for p in run.page.context.pages if "/lab" in p.url)
        lab.bring_to_front()
        run.page = lab

    return Step("back to the JupyterLab tab", action, frozenset({"lab"}))


def into_jupyterlab() -> tuple[Step, ...]:
    """The opening most walkthroughs share: open the hub, log in, take the default profile, start,
    wait for JupyterLab. Use as ``w.Walkthrough("title", *w.into_jupyterlab(), ...)``."""
    return (open_hub(), log_in(), choose_profile(), start(), wait_for_lab())


def open_file_browser() -> Step:
    """Show the File Browser in JupyterLab's left sidebar (the folder icon)."""

    def action(run: Run) -> None:
        tab = run.page.locator(".jp-SideBar .lm-TabBar-tab[data-id='filebrowser']")
        title = tab.get_attribute("title") or ""
        assert title.startswith("File Browser"), f"the folder icon is titled {title!r}, not 'File Browser'"
        if "lm-mod-current" not in (tab.get_attribute("class") or ""):
            tab.click()
        run.page.locator(".jp-FileBrowser").wait_for()

    return Step("open the File Browser", action, frozenset({"lab"}), ("File Browser",))


def launcher(card: str, section: str | None = None) -> Step:
    """Click a card of JupyterLab's Launcher: ``launcher("Terminal")``, ``launcher("R", "Notebook")``."""

    def action(run: Run) -> None:
        page = run.page
        root = page.locator(".jp-Launcher").first
        if section:
            root = root.locator(".jp-Launcher-section").filter(
                has=page.locator(".jp-Launcher-sectionTitle", has_text=re.compile(rf"^{re.escape(section)}$"))
            )
        cards = root.locator(".jp-LauncherCard").filter(
            has=page.locator(".jp-LauncherCard-label", has_text=re.compile(rf"^\s*{re.escape(card)}\s*$"))
        )
        assert cards.count() >= 1, f"the Launcher has no card {card!r}" + (f" under {section!r}" if section else "")
        cards.first.click()

    labels = (card,) if section is None else (section, card)
    return Step(f"Launcher: {section + ' > ' if section else ''}{card}", action, frozenset({"lab"}), labels)


def open_terminal() -> Step:
    """Open a terminal from the Launcher ("Terminal" under "Other") and wait for its prompt."""
    click_card = launcher("Terminal", "Other")

    def action(run: Run) -> None:
        click_card.action(run)
        terminal_text(run, "$", TIMEOUT_MS)

    return Step("open a Terminal", action, frozenset({"lab"}), click_card.labels)


def _terminal_rows(run: Run) -> str:
    """What the current terminal shows now (xterm's accessibility rows); empty while it has none."""
    rows = run.page.locator(".jp-Terminal:visible .xterm-accessibility-tree, .jp-Terminal:visible .xterm-rows")
    return rows.first.inner_text() if rows.count() else ""


def terminal_text(run: Run, expected: str, timeout_ms: int = TIMEOUT_MS) -> str:
    """Text of the current terminal; waits until ``expected`` is in it."""
    deadline = time.monotonic() + timeout_ms / 1000
    text = ""
    while time.monotonic() < deadline:
        text = _terminal_rows(run)
        if expected in text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"the terminal does not show {expected!r}; it shows:\n{text[-800:]}")


#: The end of a terminal whose shell (or REPL) waits for input: ``...$ ``, ``# ``, ``>>> ``, ``> ``.
PROMPT_READY = re.compile(r"[$#>]\s*$")


def wait_for_terminal_prompt(run: Run, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the terminal's last line is a prompt: the previous command has finished."""
    deadline = time.monotonic() + timeout_ms / 1000
    last = ""
    while time.monotonic() < deadline:
        lines = [line for line in _terminal_rows(run).splitlines() if line.strip()]
        last = lines[-1] if lines else ""
        if PROMPT_READY.search(last):
            return
        time.sleep(0.2)
    raise AssertionError(f"the terminal is still busy (its last line is {last!r}); nothing was typed")


def _wait_for_echo(run: Run, command: str, timeout_ms: int) -> None:
    wanted = "".join(command.split())
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        if "".join(_terminal_rows(run).split()).endswith(wanted):
            return
        time.sleep(0.1)
    raise AssertionError(f"the terminal did not echo {command!r}")


def run_in_terminal(
    command: str, expect: str | None = None, timeout: float = 30, *, wait_for_prompt: bool = True
) -> Step:
    """Type a command in the open terminal, press Enter, and wait for ``expect`` in its output.

    Typing waits for the prompt first (the previous command finished), so output and the typed
    command never interleave; ``wait_for_prompt=False`` types into whatever runs (e.g. to answer it).
    """

    def action(run: Run) -> None:
        terminal = run.page.locator(".jp-Terminal:visible").first
        if wait_for_prompt:
            wait_for_terminal_prompt(run, int(timeout * 1000))
        terminal.click()
        run.page.keyboard.type(command)
        if wait_for_prompt:  # the shell echoed the whole command: Enter cannot race ahead of it
            _wait_for_echo(run, command, int(timeout * 1000))
        run.page.keyboard.press("Enter")
        if expect is not None:
            terminal_text(run, expect, int(timeout * 1000))

    return Step(f"run in the terminal: {command}", action, frozenset({"lab"}))


def menu(*path: str, new_tab: bool = False) -> Step:
    """Open a JupyterLab menu and click an item: ``menu("File", "Hub Control Panel", new_tab=True)``.

    ``new_tab``: the item opens a new browser tab, and the following steps happen there.
    """
    if len(path) < 2:
        raise ValueError("menu() needs a menu and an item, e.g. menu('File', 'Log Out')")

    def action(run: Run) -> None:
        page = run.page
        page.keyboard.press("Escape")  # close a menu a screenshot step left open
        run.exact("menuitem", path[0], page.locator("#jp-menu-panel")).click()
        for item in path[1:-1]:
            menu_item(run, item).hover()
        last = menu_item(run, path[-1])
        if new_tab:
            with page.context.expect_page() as opened:
                last.click()
            run.page = opened.value
            run.page.set_default_timeout(TIMEOUT_MS)
            run.page.wait_for_load_state()
        else:
            last.click()

    return Step(" > ".join(path), action, frozenset({"lab"}), tuple(path))


def menu_item(run: Run, label: str) -> Locator:
    """The visible item of the open (innermost) JupyterLab menu whose label is exactly ``label``.

    Matched on the label, not the accessible name, which also holds the shortcut ("Interrupt KernelI, I").
    """
    page = run.page
    items = (
        page.locator(".lm-Menu")
        .last.locator(".lm-Menu-item:visible")
        .filter(has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))
    )
    items.first.wait_for()
    count = items.count()
    assert count == 1, f"the open menu has {count} items labelled {label!r}"
    return items.first


def answer_dialog(run: Run, title: str, text: str, press: str, *, buttons: list[str] | None = None) -> None:
    """JupyterLab's dialog titled ``title`` whose text holds ``text``: press ``press``, wait until it is gone.

    ``buttons``: when given, the dialog's buttons must be exactly these, in this order. Only this
    dialog is awaited: the server's answer to it may open the next dialog before this one has left.
    """
    dialog = run.page.locator(".jp-Dialog-content").filter(
        has=run.page.locator(".jp-Dialog-header", has_text=re.compile(rf"^\s*{re.escape(title)}\s*$"))
    )
    dialog.wait_for()
    said = " ".join(dialog.locator(".jp-Dialog-body").inner_text().split())
    assert text in said, f"the dialog {title!r} says {said!r}, not {text!r}"
    if buttons is not None:
        labels = [" ".join(t.split()) for t in dialog.locator(".jp-Dialog-footer button").all_inner_texts()]
        assert labels == buttons, f"the dialog {title!r} has the buttons {labels}, not {buttons}"
    dialog.locator(".jp-Dialog-footer button", has_text=re.compile(rf"^\s*{re.escape(press)}\s*$")).click()
    dialog.wait_for(state="detached")


def open_menu(name: str) -> Step:
    """Open a JupyterLab menu and leave it open (to photograph it)."""

    def action(run: Run) -> None:
        run.page.keyboard.press("Escape")
        run.exact("menuitem", name, run.page.locator("#jp-menu-panel")).click()
        run.page.locator(".lm-Menu").last.wait_for()

    return Step(f"open the {name} menu", action, frozenset({"lab"}), (name,))


def click(label: str, role: str = "button", *, new_tab: bool = False, requires: Iterable[str] = ()) -> Step:
    """Click the element with this role and exactly this label (e.g. ``click("Stop My Server")``)."""

    def action(run: Run) -> None:
        target = run.exact(role, label)
        if new_tab:
            with run.page.context.expect_page() as opened:
                target.click()
            run.page = opened.value
            run.page.wait_for_load_state()
        else:
            target.click()

    return Step(f"click {label!r}", action, frozenset(requires), (label,))


def expect(label: str, role: str | None = None, *, timeout: float = 30, requires: Iterable[str] = ()) -> Step:
    """Wait until this exact text (or element with this role and label) is visible."""

    def action(run: Run) -> None:
        target = run.exact(role, label) if role else run.page.get_by_text(label, exact=True)
        target.first.wait_for(state="visible", timeout=timeout * 1000)

    return Step(f"see {label!r}", action, frozenset(requires), (label,))


def expect_url(pattern: str, *, timeout: float = 30) -> Step:
    """Wait until the address matches ``pattern`` (a regular expression searched in the URL)."""

    def action(run: Run) -> None:
        run.page.wait_for_url(re.compile(f".*{pattern}.*"), timeout=timeout * 1000)

    return Step(f"address matches {pattern!r}", action)


def open_materials(path: str, interface: str = "lab") -> Step:
    """Open the nbgitpuller link of a file in the hub's materials (the run's local materials repository)."""

    def action(run: Run) -> None:
        from training.model.nbgitpuller import nbgitpuller_url

        if not run.materials_repo:
            raise Skip("no materials repository was given to this run")
        goto(run, nbgitpuller_url(run.replica.url, run.materials_repo, run.hub.materials.branch, path, interface))

    return Step(f"open the link to {path} ({interface})", action, frozenset({interface}), needs_materials=True)


def wait_for_file(name: str) -> Step:
    """Wait until JupyterLab shows ``name`` as the current tab (a notebook or file it opened)."""

    def action(run: Run) -> None:
        tab = run.page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel")
        tab.filter(has_text=re.compile(rf"^{re.escape(name)}$")).first.wait_for(timeout=START_TIMEOUT_MS)

    return Step(f"see {name} open", action, frozenset({"lab"}))


def do(
    title: str,
    action: Callable[[Run], None],
    *,
    requires: Iterable[str] = (),
    labels: Iterable[str] = (),
    waits_for_cloud: bool = False,
) -> Step:
    """Any other action, as a function of the :class:`Run` (``run.page`` is Playwright's page).

    ``waits_for_cloud``: the action waits for the hub's servers (the video skips the wait with a card).
    """
    return Step(title, action, frozenset(requires), tuple(labels), waits_for_cloud=waits_for_cloud)


def say(instruction: str, step: Step) -> Step:
    """``step`` with the sentence a learner reads for it: ``say("Click Log Out.", menu("File", "Log Out"))``.

    The sentence is the video's caption and chapter title and a line of the transcript under the
    player. Write it as the module page says it, with ``{{ hub.x }}`` for the hub's values.
    """
    if not instruction.strip() or "\n" in instruction:
        raise ValueError(f"step {step.title!r}: an instruction is one non-empty line, not {instruction!r}")
    return replace(step, instruction=" ".join(instruction.split()))


def off_camera(step: Step) -> Step:
    """``step``, replayed but not shown typing or clicking in the video (setup the module does not teach)."""
    return replace(step, off_camera=True)


#: Why RStudio steps are not replayed: what the run lists for them.
NO_RSTUDIO = "RStudio is not installed in the replica"


def not_replayed(
    title: str, reason: str = NO_RSTUDIO, *, requires: Iterable[str] = (), labels: Iterable[str] = ()
) -> Step:
    """A step the content teaches that cannot be replayed here (RStudio, github.com, the browser's
    developer tools): every run lists it as skipped, with ``reason``. A step that ``requires`` a
    feature the replica cannot serve (``rstudio``) is skipped for that requirement before it runs."""

    def action(run: Run) -> None:
        raise Skip(reason)

    return Step(title, action, frozenset(requires), tuple(labels))


def screenshot(
    name: str,
    alt: str,
    *,
    crop: str | None = None,
    clip: tuple[int, int, int, int] | None = None,
    full_page: bool = False,
    hub_dependent: bool = True,
    blur: bool = True,
    trim: bool = False,
    requires: Iterable[str] = (),
) -> Step:
    """Photograph the page (or the ``crop`` region) as ``<name>.png``; ``alt`` says what it shows.

    ``hub_dependent=False`` marks pictures that look the same on every hub (a JupyterLab menu).
    ``trim=True`` cuts the empty rows below the content (a terminal with a few lines of output).
    """
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
        raise ValueError(f"screenshot name {name!r}: use lowercase letters, digits and dashes")
    if not alt.strip():
        raise ValueError(f"screenshot {name!r} needs alt text that says what it shows")
    if crop and clip:
        raise ValueError(f"screenshot {name!r}: give crop (a selector) or clip (a rectangle), not both")
    shot = Shot(name, alt.strip(), crop, clip, full_page, hub_dependent, blur, trim)

    def action(run: Run) -> None:
        _capture(run, shot)

    return Step(f"screenshot {name}", action, frozenset(requires), shot=shot)


def _capture(run: Run, shot: Shot) -> None:
    page = run.page
    page.add_style_tag(content=STILL_CSS)
    page.evaluate("document.fonts.ready.then(() => true)")
    if shot.blur:
        page.evaluate("document.activeElement && document.activeElement.blur && document.activeElement.blur()")
    page.mouse.move(VIEWPORT["width"] - 2, VIEWPORT["height"] - 2)  # no hover highlight in the picture
    target = page.locator(shot.crop).first if shot.crop else None
    if target is not None:
        target.wait_for(state="visible")
    page.wait_for_timeout(400)  # let layout settle after the style change
    if run.save is None:
        if run.film is not None:
            run.film.shot(shot, run.page, _viewport_box(page, target, shot))
        run.report.texts[shot.name] = " ".join((target or page.locator("body")).inner_text().split())
        return
    options: dict[str, Any] = {"animations": "disabled", "caret": "hide", "scale": "css"}

    def take() -> bytes:
        if target is not None:
            return target.screenshot(**options)
        if shot.clip is not None:
            x, y, width, height = shot.clip
            return page.screenshot(clip={"x": x, "y": y, "width": width, "height": height}, **options)
        return page.screenshot(full_page=shot.full_page, **options)

    png = take()
    if page.locator(".jp-LabShell").count():
        # JupyterLab renders documents lazily and settles kernels after the tab opens: wait until two
        # pictures in a row are the same (at most SETTLE_SECONDS), so a run never catches it half-drawn.
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            page.wait_for_timeout(500)
            again = take()
            if again == png:
                break
            png = again
    if shot.trim:
        png = trim_empty_bottom(png)
    run.report.texts[shot.name] = " ".join((target or page.locator("body")).inner_text().split())
    run.report.screenshots[shot.name] = run.save(shot, png, run.walkthrough.module)
    if run.film is not None:
        box = _viewport_box(page, target, shot)
        if box is not None and shot.trim:  # the picture lost its empty bottom, and so does its place on screen
            box = (box[0], box[1], box[2], min(box[3], float(int.from_bytes(png[20:24], "big"))))  # PNG height
        run.film.shot(shot, run.page, box)


def _viewport_box(page: Page, target: Locator | None, shot: Shot) -> tuple[float, float, float, float] | None:
    """Where the screenshot lies in the viewport ``(x, y, width, height)``; None when it is not all visible."""
    if shot.full_page:
        return None
    if shot.clip is not None:
        return tuple(float(v) for v in shot.clip)  # type: ignore[return-value]
    if target is None:
        return (0.0, 0.0, float(VIEWPORT["width"]), float(VIEWPORT["height"]))
    box = target.bounding_box()
    if box is None:
        return None
    return (box["x"], box["y"], box["width"], box["height"])


def trim_empty_bottom(png: bytes, margin: int = 12) -> bytes:
    """Cut the rows below the last one that differs from the background (the bottom-left pixel),
    keeping ``margin`` pixels, so a terminal with a few lines is not a picture of mostly nothing."""
    from PIL import Image, ImageChops

    image = Image.open(io.BytesIO(png)).convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((0, image.height - 1)))
    box = ImageChops.difference(image, background).getbbox()
    if box is None:
        return png
    height = min(image.height, box[3] + margin)
    if height == image.height:
        return png
    out = io.BytesIO()
    image.crop((0, 0, image.width, height)).save(out, "PNG")
    return out.getvalue()


# --- the registry ----------------------------------------------------------------------------------


def load_file(path: Path, module_id: str | None = None) -> list[Walkthrough]:
    """The walkthroughs a ``walkthrough.py`` defines (``WALKTHROUGH`` or ``WALKTHROUGHS``)."""
    spec = importlib.util.spec_from_file_location(
        f"walkthrough_{(module_id or path.parent.name).replace('-', '_')}", path
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    namespace = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(namespace)
    found = list(getattr(namespace, "WALKTHROUGHS", []))
    if hasattr(namespace, "WALKTHROUGH"):
        found.insert(0, namespace.WALKTHROUGH)
    if not found or not all(isinstance(w, Walkthrough) for w in found):
        raise TypeError(f"{path}: define WALKTHROUGH = Walkthrough(...) or WALKTHROUGHS = [Walkthrough(...), ...]")
    for walkthrough in found:
        walkthrough.module = module_id or path.parent.name
        walkthrough.source = path
    return found


def discover(modules_dir: Path) -> list[Walkthrough]:
    """Every walkthrough of every module: ``<modules_dir>/<id>/walkthrough.py`` (``_``-folders are templates)."""
    found: list[Walkthrough] = []
    for path in sorted(modules_dir.glob("*/walkthrough.py")):
        if not path.parent.name.startswith(("_", ".")):
            found.extend(load_file(path))
    _add_module_requires(modules_dir, found)
    shots = [(w.module, s.name) for w in found for s in w.shots()]
    clashes = sorted({f"{m}/{n}" for m, n in shots if shots.count((m, n)) > 1})
    if clashes:
        raise ValueError(f"screenshot names used by two walkthroughs of one module: {', '.join(clashes)}")
    return found


def _add_module_requires(modules_dir: Path, walkthroughs: list[Walkthrough]) -> None:
    """A module's ``requires`` (its front matter) applies to its walkthroughs: a hub without them has
    no page for the module, so there is nothing to replay or photograph for it."""
    from training.model.module_info import read_catalogue

    modules = read_catalogue(modules_dir).modules
    for walkthrough in walkthroughs:
        info = modules.get(walkthrough.module or "")
        if info is not None:
            walkthrough.requires = walkthrough.requires | frozenset(info.requires)
