"""The workshop handout as a one-page PDF, printed from the built page by headless Chromium.

Printing costs about a second, nearly all of it Chromium starting. So a handout is printed only
when its HTML changed since the last print: a stamp with the page's SHA-256 and page count is kept
in the doctree folder, and every PDF printed is kept by that hash in the user's cache folder, so a
cold build (a new output folder, a fresh clone, CI with its cache) of an unchanged handout copies
it instead of starting Chromium. In a serial build the print starts in a thread as soon as the
handout page is written, while Sphinx writes the other pages on the other core.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from training.sphinx_ext.warnings import TrainingWarning, warn

logger = logging.getLogger(__name__)

STAMPS = "training-handout-pdf.json"


def print_pdf(browser: str, html: Path, pdf: Path) -> None:
    """Print a built page to PDF with headless Chromium (its own profile: other Chromiums may run)."""
    with tempfile.TemporaryDirectory(prefix="hub-training-chromium-") as profile:
        subprocess.run(
            [
                browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.as_uri(),
            ],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RuntimeError("Chromium wrote no PDF")


def cache_folder() -> Path:
    """Printed handouts by the SHA-256 of their HTML (``$XDG_CACHE_HOME/hub-training/handouts``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hub-training" / "handouts"


def _keep_in_cache(pdf: Path, digest: str) -> None:
    """Only a cache: a folder that cannot be written means the next cold build prints again."""
    try:
        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".pdf")
        os.close(handle)
        shutil.copyfile(pdf, temporary)
        Path(temporary).replace(folder / f"{digest}.pdf")
    except OSError:
        pass


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF: Chromium writes one uncompressed ``/Type /Page`` dictionary per page."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


@dataclass
class HandoutPrint:
    """One workshop's handout: where it is, and the outcome of printing it in this build."""

    slug: str
    html: Path
    browser: str
    digest: str = ""
    pages: int | None = None
    error: str | None = None
    reused: bool = False
    thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def pdf(self) -> Path:
        return self.html.with_suffix(".pdf")

    def run(self, stamps: dict[str, Any]) -> None:
        """Print, unless the PDF beside the page was printed from exactly this HTML."""
        try:
            self.digest = hashlib.sha256(self.html.read_bytes()).hexdigest()
            stamp = stamps.get(self.slug, {})
            if stamp.get("sha256") == self.digest and self.pdf.is_file():
                self.pages, self.reused = int(stamp["pages"]), True
                return
            cached = cache_folder() / f"{self.digest}.pdf"
            if cached.is_file():
                shutil.copyfile(cached, self.pdf)
                self.pages, self.reused = pdf_page_count(self.pdf.read_bytes()), True
                return
            print_pdf(self.browser, self.html, self.pdf)
            self.pages = pdf_page_count(self.pdf.read_bytes())
            _keep_in_cache(self.pdf, self.digest)
        except (OSError, subprocess.SubprocessError, RuntimeError, KeyError, ValueError) as exc:
            self.error = str(exc)

    def start(self, stamps: dict[str, Any]) -> None:
        self.thread = threading.Thread(target=self.run, args=(stamps,), name=f"handout-{self.slug}", daemon=True)
        self.thread.start()

    def finish(self, stamps: dict[str, Any]) -> None:
        if self.thread is None:
            self.run(stamps)
        else:
            self.thread.join()


class HandoutPrinter:
    """Prints a build's handouts: early when the page is written, the rest when the build ends."""

    def __init__(self, app: Sphinx, handouts: dict[str, HandoutPrint]):
        self.app = app
        self.handouts = handouts  # by the handout page's docname
        self.stamps_file = Path(app.doctreedir) / STAMPS
        try:
            self.stamps: dict[str, Any] = json.loads(self.stamps_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.stamps = {}
        self.written: str | None = None  # a handout page being written now

    def page_started(self, pagename: str) -> None:
        """Sphinx starts a page only after it wrote the previous one: print that one now."""
        if self.written is not None and self.app.parallel <= 1:
            self.handouts[self.written].start(self.stamps)
        self.written = pagename if pagename in self.handouts else None

    def finish(self) -> list[HandoutPrint]:
        for handout in self.handouts.values():
            handout.finish(self.stamps)
        done = {h.slug: {"sha256": h.digest, "pages": h.pages} for h in self.handouts.values() if h.error is None}
        try:
            self.stamps_file.parent.mkdir(parents=True, exist_ok=True)
            self.stamps_file.write_text(json.dumps(done, indent=1), encoding="utf-8")
        except OSError:
            pass  # only a cache: the next build prints again
        return list(self.handouts.values())


def report(handout: HandoutPrint, workshop_file: str, items_line: int) -> None:
    """The build's words on one handout: a located warning when it failed or is not one page."""
    if handout.error is not None:
        warn(
            f"could not print the handout to PDF with {handout.browser}: {handout.error}",
            TrainingWarning.workshop,
            workshop_file,
        )
    elif handout.pages != 1:
        warn(
            f"the handout of {handout.slug!r} prints on {handout.pages} pages; expected one: "
            "shorten the agenda or the titles",
            TrainingWarning.workshop,
            f"{workshop_file}:{items_line}",
        )
    elif not handout.reused:
        logger.info(f"Printed the handout of {handout.slug!r} to {handout.pdf}")
