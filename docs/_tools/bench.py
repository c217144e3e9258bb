"""``nox -s bench``: build speed, incremental edits, many hubs, page weight — against the alternatives.

Every number is measured on this machine in one run and written to ``docs/benchmarks/results.json``;
the benchmark page renders it (table and chart) at build time. Nothing here is asserted in tests.
"""

from __future__ import annotations

import cProfile
import datetime
import itertools
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from bs4 import BeautifulSoup, Tag

from training.cli.main import source_dir, sphinx_arguments
from training.model.hub_profile import DEMO_HUB_FILE

ROOT = source_dir()
RESULTS = ROOT / "docs" / "benchmarks" / "results.json"
EDITED_MODULE = ROOT / "modules" / "welcome" / "index.md"
MODULE_PAGE = "modules/welcome/index.html"
TARGETS = {
    "cold_vs_baseline": 1.1,
    "edit_vs_cold": 0.25,
    "live_seconds": 3.0,
    "sixteen_vs_one": 8.0,
    "page_bytes_vs_default": 0.6,
}


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_of(
    action: Callable[[], object], runs: int, warmup: int = 1, before: Callable[[], object] | None = None
) -> dict[str, object]:
    for _ in range(warmup):
        if before:
            before()
        action()
    samples = []
    for _ in range(runs):
        if before:
            before()
        samples.append(timed(action))
    return summary(samples)


def summary(samples: list[float]) -> dict[str, object]:
    """The median (None without samples) and every sample, in seconds."""
    return {
        "median_s": round(statistics.median(samples), 3) if samples else None,
        "samples_s": [round(s, 3) for s in samples],
    }


@contextmanager
def module_edits(what: str) -> Iterator[Callable[[], str]]:
    """``edit()`` saves the benchmark's module with a new last line (and returns it), as a maintainer
    saving a change; the module is restored when the block ends, also on failure."""
    original = EDITED_MODULE.read_text(encoding="utf-8")
    counter = itertools.count()

    def edit() -> str:
        line = f"{what} {next(counter)}-{time.time_ns()}"
        EDITED_MODULE.write_text(f"{original}\n\n{line}\n", encoding="utf-8")
        return line

    try:
        yield edit
    finally:
        EDITED_MODULE.write_text(original, encoding="utf-8")


def run(args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def build_command(out: Path, hub_file: Path | None = None) -> list[str]:
    return [sys.executable, "-m", "sphinx", "-q", *sphinx_arguments(hub_file, out)]


# --- the baseline: the same pages, plain Sphinx + myst-parser + book theme, static text -----------


def _markdown_of(element: Tag) -> list[str]:
    """The article as plain MyST: headings, paragraphs, lists and code, as static text."""
    lines: list[str] = []
    for child in element.find_all(["h1", "h2", "h3", "h4", "p", "li", "pre", "dt", "dd", "th", "td"], recursive=True):
        if child.find_parent(["li", "pre", "td", "th"]) and child.name != "pre":
            continue
        text = " ".join(child.get_text(" ").replace("#", "").split())
        if not text:
            continue
        if child.name in {"h1", "h2", "h3", "h4"}:
            level = int(child.name[1])
            lines += [f"{'#' * level} {text}", ""]
        elif child.name == "pre":
            lines += ["```text", child.get_text().rstrip(), "```", ""]
        elif child.name == "li":
            lines += [f"- {text}", ""]
        else:
            lines += [text, ""]
    return lines


def write_baseline(site: Path, target: Path) -> list[str]:
    """A plain Sphinx project with our built pages' content as static Markdown; returns its docnames."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    docnames = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site)
        if relative.parts[0].startswith("_") or relative.name in {"genindex.html", "search.html"}:
            continue
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if article is None:
            continue
        docname = relative.with_suffix("").as_posix()
        lines = _markdown_of(article)
        if not lines or not lines[0].startswith("# "):
            lines = [f"# {docname}", "", *lines]
        path = target / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
        docnames.append(docname)
    others = [d for d in docnames if d != "index"]
    toctree = ["", "```{toctree}", ":hidden:", "", *others, "```", ""]
    (target / "index.md").write_text((target / "index.md").read_text() + "\n".join(toctree), encoding="utf-8")
    (target / "conf.py").write_text(
        'project = "Baseline"\nextensions = ["myst_parser"]\nhtml_theme = "sphinx_book_theme"\n'
        'exclude_patterns = ["_build"]\nsuppress_warnings = ["myst.header"]\n'
    )
    return docnames


def write_jupyter_book(baseline: Path, docnames: list[str], target: Path) -> None:
    """The same pages as a Jupyter Book 1 project."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(baseline, target, ignore=shutil.ignore_patterns("conf.py", "_build"))
    (target / "_config.yml").write_text(
        yaml.safe_dump({"title": "Baseline", "execute": {"execute_notebooks": "off"}, "only_build_toc_files": True})
    )
    chapters = [{"file": d} for d in docnames if d != "index"]
    (target / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "index", "chapters": chapters}))
    text = (target / "index.md").read_text()
    (target / "index.md").write_text(text.split("```{toctree}")[0])


def jupyter_book_command(workdir: Path) -> list[str] | None:
    """A venv with Jupyter Book 1, when it installs here; else None."""
    venv = workdir / "jb-venv"
    executable = venv / "bin" / "jupyter-book"
    if not executable.exists():
        try:
            run([sys.executable, "-m", "venv", str(venv)])
            run([str(venv / "bin" / "pip"), "install", "-q", "jupyter-book<2"])
        except RuntimeError as exc:
            print(f"Jupyter Book 1 does not install here: {str(exc)[:300]}")
            return None
    return [str(executable)]


# --- page weight ---------------------------------------------------------------------------------


def page_weight(site: Path, page: str) -> dict[str, int]:
    """Bytes and requests a browser with a cold cache makes to show ``page``."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright
    from training.site_picture import CHROMIUM_ARGS, _Quiet

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: list[int] = []
    try:
        with sync_playwright() as playwright:
            options: dict[str, object] = {"headless": True, "args": CHROMIUM_ARGS}
            if shutil.which("chromium"):
                options["executable_path"] = shutil.which("chromium")
            browser = playwright.chromium.launch(**options)
            context = browser.new_context()
            tab = context.new_page()
            responses = []
            tab.on("response", lambda response: responses.append(response))
            tab.goto(f"http://127.0.0.1:{server.server_address[1]}/{page}")
            tab.wait_for_load_state("networkidle")
            for response in responses:
                try:
                    sizes.append(len(response.body()))
                except Exception:
                    sizes.append(0)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"bytes": sum(sizes), "requests": len(sizes)}


# --- profile -------------------------------------------------------------------------------------

PROFILE_GROUPS = [
    ("our extension (training/)", re.compile(r"/training/")),
    ("theme (pydata/book theme)", re.compile(r"pydata_sphinx_theme|sphinx_book_theme")),
    ("parsing (MyST, markdown-it, docutils)", re.compile(r"myst_parser|markdown_it|mdit_py_plugins|docutils/parsers")),
    ("writing HTML (Sphinx builder, Jinja)", re.compile(r"sphinx/builders|sphinx/writers|docutils/writers|jinja2")),
    ("search index (Sphinx, stemmer)", re.compile(r"sphinx/search|snowballstemmer")),
    ("other Sphinx and docutils", re.compile(r"sphinx/|docutils/")),
    ("importing modules", re.compile(r"<frozen importlib|importlib/|<frozen zipimport")),
    ("other extensions (sphinx-design, copy and toggle buttons)", re.compile(r"sphinx_design|copybutton|togglebutton")),
]
OTHER = "everything else (standard library, YAML, pickle, file system)"


def _group(filename: str) -> str:
    for name, pattern in PROFILE_GROUPS:
        if pattern.search(filename):
            return name
    return OTHER


def profile_build(out: Path) -> dict[str, float]:
    """Where a cold build's time goes: own time per group of modules (cProfile).

    Built-in functions (regular expressions, ``isinstance``, ...) have no module: their time counts
    for the module that called them.
    """
    from sphinx.cmd.build import build_main

    if out.parent.exists():
        shutil.rmtree(out.parent)
    profiler = cProfile.Profile()
    profiler.enable()
    build_main(["-q", *sphinx_arguments(None, out)])
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups: dict[str, float] = {name: 0.0 for name, _ in PROFILE_GROUPS}
    groups[OTHER] = 0.0
    for (filename, _line, _name), (_cc, _nc, own_time, _ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if filename != "~":
            groups[_group(filename)] += own_time
            continue
        for (caller_file, _l, _n), edge in callers.items():
            groups[_group(caller_file) if caller_file != "~" else OTHER] += edge[2]
    return {name: round(seconds, 2) for name, seconds in groups.items()}


# --- the run ---------------------------------------------------------------------------------------


def hub_variants(count: int, folder: Path) -> list[Path]:
    data = yaml.safe_load(DEMO_HUB_FILE.read_text())
    files = []
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        variant = {
            **data,
            "id": f"bench-{index}",
            "name": f"Bench Hub {index}",
            "url": f"https://hub-{index}.example.org",
        }
        path = folder / f"bench-{index}.yaml"
        path.write_text(yaml.safe_dump(variant, sort_keys=False))
        files.append(path)
    return files


def parse_floor() -> dict[str, float]:
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers.mdit import create_md_parser

    sources = [
        p for p in [ROOT / "index.md", *ROOT.glob("docs/**/*.md"), *ROOT.glob("modules/*/index.md")] if p.is_file()
    ]
    parser = create_md_parser(
        MdParserConfig(enable_extensions={"colon_fence", "deflist", "attrs_inline", "attrs_block", "fieldlist"}),
        DocutilsRenderer,
    )
    seconds = timed(lambda: [parser.parse(p.read_text(encoding="utf-8")) for p in sources])
    process = timed(
        lambda: run(
            [
                sys.executable,
                "-c",
                "from markdown_it import MarkdownIt; import pathlib,sys; md=MarkdownIt('commonmark'); [md.parse(p.read_text()) for p in map(pathlib.Path, sys.argv[1:])]",
                *map(str, sources),
            ]
        )
    )
    return {"files": len(sources), "in_process_s": round(seconds, 3), "whole_process_s": round(process, 3)}


def live_latency(workdir: Path) -> dict[str, object]:
    """Seconds from saving a module to the live server serving the changed page."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    out = workdir / "live" / "html"
    process = subprocess.Popen(
        [sys.executable, "-m", "training.cli.main", "build", "--live", "--port", str(port), "-o", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{MODULE_PAGE}"
    samples = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        with module_edits("benchmark-marker") as edit:
            for _ in range(3):
                marker = edit()
                started = time.perf_counter()
                while time.perf_counter() - started < 120:
                    if marker in urllib.request.urlopen(url, timeout=5).read().decode():
                        samples.append(time.perf_counter() - started)
                        break
                    time.sleep(0.05)
                time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return summary(samples)


def warm_edit_rebuild(out: Path, runs: int) -> dict[str, object]:
    """Save one module, rebuild in a process that already built once: what the live server does."""
    from sphinx.cmd.build import build_main

    arguments = ["-q", *sphinx_arguments(None, out)]
    with module_edits("Edited in a warm process") as edit:
        build_main(arguments)
        return median_of(lambda: build_main(arguments), runs, before=edit)


def main(runs: int = 3) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="hub-training-bench-"))
    out = workdir / "demo" / "html"
    results: dict[str, object] = {
        "date": datetime.date.today().isoformat(),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": runs,
    }

    def clean() -> None:
        shutil.rmtree(out.parent, ignore_errors=True)

    print("cold build of the demo site ...")
    results["cold_build"] = median_of(lambda: run(build_command(out)), runs, before=clean)
    print("no-change rebuild ...")
    results["no_change_rebuild"] = median_of(lambda: run(build_command(out)), runs)
    print("rebuild after editing one module ...")
    with module_edits("Edited for the benchmark") as edit:
        results["edit_one_module_rebuild"] = median_of(lambda: run(build_command(out)), runs, before=edit)
    print("rebuild after editing one module, warm process ...")
    results["edit_one_module_warm_rebuild"] = warm_edit_rebuild(out, runs)
    print("live server: save to page served ...")
    results["live_edit"] = live_latency(workdir)

    print("baseline: plain Sphinx + myst-parser + book theme on the same pages ...")
    run(build_command(out))
    baseline_src = workdir / "baseline-src"
    docnames = write_baseline(out, baseline_src)
    baseline_out = workdir / "baseline" / "html"
    baseline_cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        "-b",
        "html",
        "-d",
        str(baseline_out.parent / "doctrees"),
        str(baseline_src),
        str(baseline_out),
    ]
    results["baseline_cold_build"] = median_of(
        lambda: run(baseline_cmd), runs, before=lambda: shutil.rmtree(baseline_out.parent, ignore_errors=True)
    )
    results["pages"] = len(docnames)

    print("Jupyter Book 1 on the same pages ...")
    jb = jupyter_book_command(workdir)
    if jb:
        jb_src = workdir / "jb-src"
        write_jupyter_book(baseline_src, docnames, jb_src)
        results["jupyter_book_cold_build"] = median_of(
            lambda: run([*jb, "build", "-q", str(jb_src)]),
            runs,
            before=lambda: shutil.rmtree(jb_src / "_build", ignore_errors=True),
        )
    else:
        results["jupyter_book_cold_build"] = {"median_s": None, "note": "jupyter-book<2 does not install here"}

    print("many hubs ...")
    from training.cli.multi_build import build_many

    many: dict[str, object] = {}
    for count in (1, 4, 16):
        hubs = hub_variants(count, workdir / f"hubs-{count}")
        jobs = [(hub, workdir / f"many-{count}" / hub.stem / "html") for hub in hubs]
        measured = median_of(
            lambda jobs=jobs: build_many(jobs),
            runs,
            warmup=0,
            before=lambda count=count: shutil.rmtree(workdir / f"many-{count}", ignore_errors=True),
        )
        seconds = float(measured["median_s"])  # type: ignore[arg-type]
        many[str(count)] = {
            "seconds": round(seconds, 2),
            "per_hub_s": round(seconds / count, 2),
            "samples_s": measured["samples_s"],
        }
    results["many_hubs"] = many

    print("page weight ...")
    results["page_weight"] = {
        "landing": page_weight(out, "index.html"),
        "module": page_weight(out, MODULE_PAGE),
        "landing_default_theme": page_weight(baseline_out, "index.html"),
        "module_default_theme": page_weight(baseline_out, MODULE_PAGE),
    }
    print("parse floor ...")
    results["parse_floor"] = parse_floor()
    print("profile ...")
    results["profile_s"] = profile_build(workdir / "profile" / "html")

    cold = results["cold_build"]["median_s"]  # type: ignore[index]
    jb_median = results["jupyter_book_cold_build"].get("median_s")  # type: ignore[union-attr]
    weight = results["page_weight"]  # type: ignore[assignment]
    ratios = {
        "cold_vs_baseline": cold / results["baseline_cold_build"]["median_s"],  # type: ignore[index]
        "cold_vs_jupyter_book": (cold / jb_median) if jb_median else None,
        # Maintainers edit with the live server (nox -s docs -- --live): a warm process.
        "edit_vs_cold": results["edit_one_module_warm_rebuild"]["median_s"] / cold,  # type: ignore[index]
        "edit_new_process_vs_cold": results["edit_one_module_rebuild"]["median_s"] / cold,  # type: ignore[index]
        "no_change_vs_cold": results["no_change_rebuild"]["median_s"] / cold,  # type: ignore[index]
        "live_seconds": results["live_edit"]["median_s"],  # type: ignore[index]
        "sixteen_vs_one": many["16"]["seconds"] / many["1"]["seconds"],  # type: ignore[index]
        "four_vs_one": many["4"]["seconds"] / many["1"]["seconds"],  # type: ignore[index]
        "page_bytes_vs_default": weight["module"]["bytes"] / weight["module_default_theme"]["bytes"],
        "landing_bytes_vs_default": weight["landing"]["bytes"] / weight["landing_default_theme"]["bytes"],
        "parse_floor_vs_cold": results["parse_floor"]["whole_process_s"] / cold,  # type: ignore[index]
    }
    results["ratios"] = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in ratios.items()}
    results["targets"] = {
        name: {
            "target": limit,
            "value": results["ratios"].get(name),
            "met": (results["ratios"].get(name) is not None and results["ratios"][name] <= limit),
        }  # type: ignore[index,operator]
        for name, limit in TARGETS.items()
    }
    results["targets"]["cold_below_jupyter_book"] = {  # type: ignore[index]
        "target": 1.0,
        "value": results["ratios"]["cold_vs_jupyter_book"],  # type: ignore[index]
        "met": bool(jb_median) and results["ratios"]["cold_vs_jupyter_book"] < 1.0,  # type: ignore[index,operator]
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"Wrote {RESULTS}")
    return results


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
