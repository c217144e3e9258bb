"""Workshop pages in built sites: agenda, instructor guide, handout (and its PDF), warnings, workshop-only builds.

The small site in ``tests/sites/workshop`` is copied to a temporary folder first: the build writes
the workshop's generated pages next to its workshop files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from training.model.hub_profile import load_hub_profile
from training.model.module_info import available, read_catalogue
from training.model.workshop import load_workshop, materials_link, with_prerequisites
from training.sphinx_ext.handout_pdf import pdf_page_count
from training.sphinx_ext.workshops import chromium_path

from .conftest import ROOT, SITES, BuiltSite, run_cli, run_sphinx

SITE = SITES / "workshop"
DASH = "\N{EN DASH}"  # between clock times
DEMO = load_hub_profile()

pytestmark = pytest.mark.slow


def copy_site(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(SITE, src)
    return src


def build(src: Path, out: Path, *, workshop: Path | None = None, without_chromium: bool = False) -> BuiltSite:
    """sphinx-build with -W; ``without_chromium`` runs it with a PATH that has no browser on it."""
    args = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-d", str(out / ".doctrees")]
    if workshop is not None:
        args += ["-D", f"training_workshop_file={workshop}"]
    env = dict(os.environ)
    if without_chromium:
        env["PATH"] = str(Path(sys.executable).parent)
    result = subprocess.run([*args, str(src), str(out)], capture_output=True, text=True, check=False, cwd=ROOT, env=env)
    return BuiltSite(out, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    tmp = tmp_path_factory.mktemp("workshop-site")
    built = build(copy_site(tmp), tmp / "html")
    assert built.returncode == 0, built.output
    assert "WARNING" not in built.output
    return built


def rows(soup: BeautifulSoup) -> list[list[str]]:
    table = soup.select_one("article .training-agenda table")
    assert table is not None
    return [
        [" ".join(cell.get_text(" ").split()) for cell in tr.find_all(["td", "th"])] for tr in table.select("tbody tr")
    ]


AGENDA = [
    [f"09:30{DASH}09:45", "Welcome and introductions", "15 min"],
    [f"09:45{DASH}09:55", "Welcome to the hub", "10 min"],
    [f"09:55{DASH}10:20", "Logging in", "25 min"],
    [f"10:20{DASH}10:30", "Break", "10 min"],
    [f"10:30{DASH}11:05", "Your files", "35 min"],
    [f"11:05{DASH}11:50", "Lunch", "45 min"],
    [f"11:50{DASH}12:10", "Questions", "20 min"],
]


def test_agenda_page(site: BuiltSite) -> None:
    page = site.page("workshops/first-day/index.html")
    assert page.select_one("article h1").get_text().startswith("First day")
    assert rows(page) == AGENDA
    links = {a.get_text(): a["href"] for a in page.select("article .training-agenda a")}
    assert links == {
        "Welcome to the hub": "../../modules/welcome/index.html",
        "Logging in": "../../modules/logging-in/index.html",
        "Your files": "../../modules/files/index.html",
    }
    text = site.text("workshops/first-day/index.html")
    assert f"Tuesday 3 February 2026, 09:30{DASH}12:10 EST (America/New_York) · Room 101" in text
    assert "Total: 2 h 40 min , from 09:30 to 12:10: 3 modules and 55 min of breaks." in text
    workshop = load_workshop(SITE / "workshops" / "first-day.yaml").workshop
    one_link = materials_link(workshop, DEMO)
    assert [a["href"] for a in page.select("article a") if "git-pull" in a["href"]] == [one_link]


def test_workshop_pages_are_in_the_navigation_and_the_search(site: BuiltSite) -> None:
    listing = site.page("workshops/index.html")
    assert listing.select_one("article a[href='first-day/index.html']").get_text() == "First day"
    nav = site.page("workshops/first-day/index.html").select_one("nav.bd-docs-nav")
    assert {a["href"] for a in nav.select("a")} >= {"#", "guide.html", "handout.html"}
    index = (site.html / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    assert {"workshops/first-day/index", "workshops/first-day/guide", "workshops/first-day/handout"} <= set(
        data["docnames"]
    )
    assert "Instructor guide: First day" in data["titles"]


def test_instructor_guide(site: BuiltSite) -> None:
    page = site.page("workshops/first-day/guide.html")
    text = site.text("workshops/first-day/guide.html")
    # All notes of the workshop's modules, in agenda order; none of a module the workshop does not teach.
    notes = [" ".join(n.get_text(" ").split()) for n in page.select("article .training-instructor-note")]
    assert [re.search(r"Note of [\w-]+(, \w+)?", n).group(0) for n in notes] == [
        "Note of welcome",
        "Note of logging-in",
        "Note of files, first",
        "Note of files, second",
    ]
    assert all(
        "training-instructor-note-collected" in n["class"] and not n.has_attr("hidden")
        for n in page.select("article .training-instructor-note")
    )
    assert "Note of extra" not in text
    # The checklist: access per login method, capacity, every materials link, every profile.
    assert "Collect every participant\N{RIGHT SINGLE QUOTATION MARK}s GitHub username" in text
    assert "ask whether the hub can start that many servers" in text
    links = [a["href"] for a in page.select("ul.training-workshop-links a")]
    assert links[0] == materials_link(load_workshop(SITE / "workshops" / "first-day.yaml").workshop, DEMO)
    assert len(links) == 2
    assert links[1].endswith("urlpath=lab%2Ftree%2Fhub-training-materials%2Flogging-in%2Flogin-check.ipynb&branch=main")
    assert "Small : Up to 2 CPUs and 8 GB of memory." in text
    assert "When someone cannot log in" in text
    assert "403 Forbidden" in text
    email = page.select_one("article div.highlight pre").get_text()
    assert email.startswith("Subject: First day, Tuesday 3 February 2026: what to bring")
    assert "1. Open https://hub.example.org in your web browser." in email
    assert "Sign in with GitHub" in email
    assert rows(page)[2] == [f"09:55{DASH}10:20", "Logging in", "25 min", "15 / 10 min", ""]


def test_handout(site: BuiltSite) -> None:
    page = site.page("workshops/first-day/handout.html")
    text = site.text("workshops/first-day/handout.html")
    assert page.select_one("article h1").get_text().startswith("Handout: First day")
    assert f"Tuesday 3 February 2026, 09:30{DASH}12:10 EST (America/New_York) · Room 101" in text
    assert page.select_one("article a[href='https://hub.example.org']") is not None  # the hub URL
    steps = [" ".join(li.get_text(" ").split()) for li in page.select("section#log-in-to-the-hub ol > li")]
    assert steps[0] == "Open https://hub.example.org in your web browser."
    assert any("Sign in with GitHub" in s for s in steps)
    workshop = load_workshop(SITE / "workshops" / "first-day.yaml").workshop
    assert [a["href"] for a in page.select("section#get-the-materials a:not(.headerlink)")] == [
        materials_link(workshop, DEMO)
    ]
    assert rows(page) == AGENDA
    help_links = {a["href"] for a in page.select("section#help a:not(.headerlink)")}
    assert help_links == {
        "https://example-lab.slack.com/archives/hub-help",
        "mailto:hub-help%40example.org",
        "https://training.hub.example.org",  # the site's address, from the hub file's site_url
    }
    assert "ask an instructor (Ada Lovelace and Grace Hopper)" in text
    # Print CSS on this page only.
    styles = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert any("workshop-print.css" in href for href in styles)
    agenda_styles = [
        link["href"] for link in site.page("workshops/first-day/index.html").select("link[rel=stylesheet]")
    ]
    assert not any("workshop-print.css" in href for href in agenda_styles)


@pytest.mark.skipif(chromium_path() is None, reason="needs Chromium (CI installs the Debian package)")
def test_handout_pdf_is_one_a4_or_letter_page(site: BuiltSite) -> None:
    pdf = site.html / "workshops" / "first-day" / "handout.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_page_count(data) == 1
    boxes = {tuple(round(float(v)) for v in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
    assert boxes
    assert boxes <= {(0, 0, 612, 792), (0, 0, 595, 842)}  # Letter or A4, in points
    assert "Printed the handout of 'first-day'" in site.output
    link = site.page("workshops/first-day/handout.html").select_one("a.training-handout-pdf-link")
    assert link["href"] == "handout.pdf"


@pytest.mark.skipif(chromium_path() is None, reason="needs Chromium (CI installs the Debian package)")
def test_handout_pdf_has_a_qr_code_of_the_materials_link_and_no_text_under_9_pt(site: BuiltSite) -> None:
    import pdfplumber
    import zxingcpp

    workshop = load_workshop(SITE / "workshops" / "first-day.yaml").workshop
    with pdfplumber.open(site.html / "workshops" / "first-day" / "handout.pdf") as pdf:
        (page,) = pdf.pages
        sizes = sorted({round(char["size"], 2) for char in page.chars})
        text = page.extract_text()
        image = page.to_image(resolution=200).original
    assert sizes and sizes[0] >= 9, sizes
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [materials_link(workshop, DEMO)]
    # The choices are named, and the site's address and the support channel are printed.
    assert "Rocker Geospatial (R and RStudio)" in text
    assert "https://training.hub.example.org" in " ".join(text.split())
    assert "#hub-help on the Example Lab Slack" in text


BAD = """\
title: Out of order
slug: out-of-order
date: 2026-02-03
start: "09:30"
timezone: America/New_York
items:
  - module: files
  - module: untimed
  - module: logging-in
  - module: needs-dask
  - module: welcom
  - module: welcome
"""


def test_warnings_name_the_workshop_file_and_line(tmp_path: Path) -> None:
    src = copy_site(tmp_path)
    bad = src / "workshops" / "out-of-order.yaml"
    bad.write_text(BAD, encoding="utf-8")
    built = build(src, tmp_path / "html")
    assert built.returncode != 0
    warnings = sorted(line for line in built.output.splitlines() if str(bad) in line)
    assert warnings == sorted(
        f"{bad}:{line}: WARNING: {message} [training.workshop]"
        for line, message in [
            (7, "module 'files' comes before its prerequisite 'logging-in' (line 9); move it after"),
            (7, "module 'files' comes before its prerequisite 'welcome' (through logging-in) (line 12); move it after"),
            (8, "module 'untimed' has no timing (0 teaching and 0 exercise minutes); add 'minutes' to the item"),
            (9, "module 'logging-in' comes before its prerequisite 'welcome' (line 12); move it after"),
            (10, f"module 'needs-dask' is not in the site for {DEMO.name}: the hub lacks dask-gateway; remove it"),
            (11, "unknown module 'welcom'; did you mean 'welcome'?"),
        ]
    )


def test_an_invalid_workshop_file_fails_the_build_with_located_lines(tmp_path: Path) -> None:
    src = copy_site(tmp_path)
    bad = src / "workshops" / "broken.yaml"
    bad.write_text(
        BAD.replace("slug: out-of-order", "slug: Out Of Order").replace("  - module: files\n", "  - brake: 5\n")
    )
    result = run_sphinx(src, tmp_path / "html")
    assert result.returncode != 0
    assert f"{bad}:2: WARNING: slug: 'Out Of Order' is not a valid slug; expected lowercase letters" in result.stderr
    assert f"{bad}:7: WARNING: items[0].brake: unknown key; did you mean 'break'?" in result.stderr
    assert "Traceback" not in result.stderr


ONLY = """\
title: Files only
slug: files-only
date: 2026-03-10
start: "14:00"
timezone: Europe/Berlin
items:
  - module: files
"""


def module_pages(html: Path) -> set[str]:
    return {p.parent.name for p in (html / "modules").glob("*/index.html")}


def test_workshop_only_build_has_exactly_its_modules_and_prerequisites(tmp_path: Path) -> None:
    src = copy_site(tmp_path)
    workshop = tmp_path / "elsewhere" / "files-only.yaml"
    workshop.parent.mkdir()
    workshop.write_text(ONLY, encoding="utf-8")
    built = build(src, tmp_path / "html", workshop=workshop, without_chromium=True)
    assert built.returncode == 0, built.output
    assert "WARNING" not in built.output
    # files needs logging-in, which needs welcome; extra and untimed are left out (needs-dask: the hub lacks it).
    assert module_pages(built.html) == {"files", "logging-in", "welcome"}
    assert {p.parent.name for p in (built.html / "workshops").glob("*/index.html")} == {"files-only"}
    assert {p.name for p in (built.html / "workshops" / "files-only").iterdir()} == {
        "index.html",
        "guide.html",
        "handout.html",
        "survey.html",
    }
    # The path and the landing page still work, for the smaller site.
    path_items = [li["data-module"] for li in built.page("path.html").select("li.training-path-item")]
    assert path_items == ["welcome", "logging-in", "files"]
    note = built.page("index.html").select_one(".training-workshop-note")
    assert note.select_one("a")["href"] == "workshops/files-only/index.html"
    # A link to a module the workshop leaves out becomes its text, not a broken link.
    welcome = built.page("modules/welcome/index.html")
    assert welcome.select_one(".training-not-in-workshop").get_text() == "the extra module"
    # No Chromium: the build says it skipped the PDF and does not link to one.
    assert "Skipped the handout PDF: Chromium is not installed" in built.output
    assert not (built.html / "workshops" / "files-only" / "handout.pdf").exists()
    assert built.page("workshops/files-only/handout.html").select_one("a.training-handout-pdf-link") is None


def test_cli_builds_the_example_workshop_only(tmp_path: Path) -> None:
    example = ROOT / "training" / "site" / "pages" / "workshops" / "first-steps.yaml"
    result = run_cli("build", "--workshop", str(example), "-o", str(tmp_path / "html"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Built the workshop 'First steps on the hub' for Example Research Hub" in result.stdout
    site_modules = available(read_catalogue(ROOT / "modules"), DEMO.features)
    expected = with_prerequisites(load_workshop(example).workshop.module_ids(), site_modules)
    assert module_pages(tmp_path / "html") == expected
    assert (tmp_path / "html" / "workshops" / "first-steps" / "handout.html").is_file()


def test_the_example_workshop_is_part_of_the_default_site(demo_site: BuiltSite) -> None:
    """``nox -s docs`` builds the example workshop into the demo site: agenda, guide, handout, survey."""
    example = load_workshop(ROOT / "training" / "site" / "pages" / "workshops" / "first-steps.yaml").workshop
    folder = "workshops/first-steps"
    for page in ("index.html", "guide.html", "handout.html", "survey.html"):
        assert (demo_site.html / folder / page).is_file(), page
    agenda = demo_site.page(f"{folder}/index.html")
    linked = {
        Path(a["href"]).parent.name
        for a in agenda.select("article table a[href]")
        if "/modules/" in a["href"] or a["href"].startswith("../../../modules/")
    }
    assert linked == set(example.module_ids())
    text = demo_site.text(f"{folder}/index.html")
    assert "09:30–12:30" in text  # 180 minutes: 10 + 15 + 15 + 15 + 25 + 10 + 15 + 20 + 15 + 10 + 10 + 10 + 10
