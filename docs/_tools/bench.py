"""``nox -s bench``: build speed and page weight, with the extension on and off, as a maintainer measures.

- The same sources (the site, grown to 25, 100 and 300 pages with copies of its modules) and the same
  settings, built with the extension on and off (off: ``bench_stub.py`` beside this file registers the same
  directive and role names and does nothing of its own). Runs are interleaved (on, off, on, off, ...)
  so that the machine's load falls on both alike; each run records wall time, CPU time, the load
  average, peak memory and the output's size.
- The edit loop: saving one module until the changed page is served, with our live server (one warm
  process) and with sphinx-autobuild (a new ``sphinx-build`` per change), when it is installed.
- Page weight: every resource a module page loads, raw and gzip bytes, ours against the default book
  theme's (the extension-off build).
- mystmd (``npm install mystmd``) on the same Markdown as a reference, when it is installed: it
  writes the site as JSON, not HTML, and works offline that way.

Every number is measured on this machine in one run and written to ``docs/benchmarks/results.json``;
the benchmark page renders it at build time. Nothing here is asserted in tests.
Usage: ``python docs/_tools/bench.py [--runs N] [--sizes 25,100,300] [--edits N]``.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from training.cli.main import SPHINX_FLAGS
from training.site import DEMO_HUB_FILE
from training.site.staging import SiteSources, stage_site

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(__file__).resolve().parent
RESULTS = ROOT / "docs" / "benchmarks" / "results.json"
MODULE_PAGE = "modules/welcome/index.html"
EDITED_SOURCE = "modules/welcome/index.md"
TARGETS = {
    "on_vs_off_300": 1.3,
    "growth_100_to_300": 3.5,
    "extension_share_25": 0.10,
    "extension_share_300": 0.10,
    "live_seconds_25": 1.0,
    "live_seconds_300": 2.0,
    "page_bytes_vs_default": 0.3,
}

#: Run one build in this process and print its own resource use (children: Chromium for the handout).
MEASURED_BUILD = """
import json, resource, sys
from sphinx.cmd.build import build_main
status = build_main(sys.argv[1:])
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("BENCH " + json.dumps({
    "status": status,
    "cpu_s": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    "peak_mb": max(own.ru_maxrss, children.ru_maxrss) / 1024,
}))
"""


# --- the sources ---------------------------------------------------------------------------------


def site_copy(pages: int, target: Path) -> int:
    """The site's sources in ``target``, with copies of its modules until it has about ``pages`` pages.

    A copy is a new module folder (exercises and images included) with its own id and title, so it
    is a real page of the path with its own links. Returns the number of pages.
    """
    if target.exists():
        shutil.rmtree(target)
    stage_site(SiteSources(), target)  # the demo site's sources, as ``hub-training build`` stages them
    for workshop in target.glob("**/workshops/*.yaml"):
        text = re.sub(r"(?m)^hub: \S+", f"hub: {DEMO_HUB_FILE}", workshop.read_text(encoding="utf-8"))
        workshop.write_text(text, encoding="utf-8")
    own_pages = [p for p in target.rglob("*.md") if not {"exercises", "data", "_template"} & set(p.parts)]
    site_pages = len(own_pages) + 3 * len(list(target.glob("**/workshops/*.yaml")))  # agenda, guide, handout
    originals = [p for p in sorted((target / "modules").iterdir()) if p.is_dir() and not p.name.startswith("_")]
    count = 0
    while site_pages + count < pages:
        original = originals[count % len(originals)]
        copy = target / "modules" / f"{original.name}-copy-{count}"
        shutil.copytree(original, copy)
        index = copy / "index.md"
        text = index.read_text(encoding="utf-8")
        text = re.sub(rf"(\n\s*id:\s*){re.escape(original.name)}\b", rf"\g<1>{copy.name}", text, count=1)
        suffix = f" (copy {count})"
        text = re.sub(
            r"(\n\s*title:\s*)(.+)", lambda m, s=suffix: f"{m.group(1)}{m.group(2).strip()}{s}", text, count=1
        )
        text = re.sub(r"(?m)^# (.+)$", lambda m, s=suffix: f"# {m.group(1)}{s}", text, count=1)
        index.write_text(text, encoding="utf-8")
        count += 1
    return site_pages + count


def write_off_conf(source: Path, folder: Path) -> Path:
    """A configuration folder: the site's ``conf.py`` with the extension swapped for the stub.

    The sidebar is the theme's own (ours is made of the extension's templates); all else is equal.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text(
        "import runpy, sys\n"
        f"sys.path.insert(0, {str(TOOLS)!r})\n"
        f"globals().update({{k: v for k, v in runpy.run_path({str(source / 'conf.py')!r}).items() if not k.startswith('__')}})\n"
        'extensions = ["bench_stub" if e == "training" else e for e in extensions]\n'
        "html_sidebars = {}\n",
        encoding="utf-8",
    )
    return folder


def build_arguments(source: Path, out: Path, extension: bool, off_conf: Path) -> list[str]:
    flags = SPHINX_FLAGS if extension else [f for f in SPHINX_FLAGS if f != "-W"]  # off: unknown hub values warn
    args = ["-q", "-b", "html", *flags, "-d", str(out.parent / "doctrees")]
    if not extension:
        args += ["-c", str(off_conf)]
    return [*args, str(source), str(out)]


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measured_build(arguments: list[str]) -> dict[str, Any]:
    """One build in a new process: wall and CPU seconds, peak memory, load average before it."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED_BUILD, *arguments], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"build failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    measured = json.loads(line.removeprefix("BENCH "))
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(measured["cpu_s"], 2),
        "peak_mb": round(measured["peak_mb"]),
        "load_1min": round(load, 2),
        "status": measured["status"],
    }


def summary(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of each figure, and every sample."""
    medians = {
        key: round(statistics.median(s[key] for s in samples), 2) for key in ("wall_s", "cpu_s", "peak_mb", "load_1min")
    }
    return {**medians, "samples": samples}


def scaling(workdir: Path, sizes: list[int], runs: int) -> dict[str, Any]:
    """Cold builds, extension on and off, interleaved, at each size."""
    results: dict[str, Any] = {}
    for size in sizes:
        source = workdir / f"site-{size}"
        pages = site_copy(size, source)
        off_conf = write_off_conf(source, workdir / f"off-conf-{size}")
        samples: dict[str, list[dict[str, Any]]] = {"on": [], "off": []}
        outputs: dict[str, int] = {}
        for run in range(runs):
            for mode in ("on", "off") if run % 2 == 0 else ("off", "on"):
                out = workdir / f"build-{size}-{mode}" / "html"
                shutil.rmtree(out.parent, ignore_errors=True)
                print(f"{pages} pages, extension {mode}, run {run + 1}/{runs} ...", flush=True)
                samples[mode].append(measured_build(build_arguments(source, out, mode == "on", off_conf)))
                outputs[mode] = folder_bytes(out)
        results[str(size)] = {
            "pages": pages,
            "on": {**summary(samples["on"]), "output_bytes": outputs["on"]},
            "off": {**summary(samples["off"]), "output_bytes": outputs["off"]},
        }
        write_partial("scaling", results)
    return results


# --- the edit loop -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, text: str | None, timeout: float) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            body = urllib.request.urlopen(url, timeout=5).read().decode("utf-8", "replace")
            if text is None or text in body:
                return time.perf_counter() - started
        except (OSError, http.client.HTTPException):  # a server rewriting the page while it sends it
            pass
        time.sleep(0.05)
    return None


def edit_latency(command: list[str], source: Path, port: int, edits: int) -> dict[str, Any]:
    """Seconds from saving one module to the server serving the changed page (median and samples)."""
    page = source / EDITED_SOURCE
    original = page.read_text(encoding="utf-8")
    process = subprocess.Popen(command, cwd=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{MODULE_PAGE}"
    samples: list[float] = []
    try:
        if _wait_for(url, None, 900) is None:
            return {"median_s": None, "note": "the server did not start"}
        time.sleep(2)
        for index in range(edits):
            marker = f"edit-marker-{index}-{time.time_ns()}"
            page.write_text(f"{original}\n\n{marker}\n", encoding="utf-8")
            seconds = _wait_for(url, marker, 300)
            if seconds is not None:
                samples.append(round(seconds, 2))
            time.sleep(1.5)
    finally:
        page.write_text(original, encoding="utf-8")
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return {"median_s": round(statistics.median(samples), 2) if samples else None, "samples_s": samples}


def live_command(source: Path, out: Path, port: int) -> list[str]:
    code = (
        "import sys; from pathlib import Path; from sphinx.cmd.build import build_main; "
        "from training.cli.live import serve_live; "
        f"args = {build_arguments(source, out, True, source)!r}; "
        f"serve_live(lambda: build_main(args), Path({str(out)!r}), [Path({str(source)!r})], port={port}, log=lambda _: None)"
    )
    return [sys.executable, "-c", code]


def autobuild_command(source: Path, out: Path, port: int) -> list[str] | None:
    executable = shutil.which("sphinx-autobuild") or str(Path(sys.executable).parent / "sphinx-autobuild")
    if not Path(executable).exists():
        return None
    return [
        executable, "--port", str(port), "--host", "127.0.0.1", "--ignore", str(out.parent),
        *build_arguments(source, out, True, source),
    ]  # fmt: skip


def edit_loop(workdir: Path, sizes: list[int], edits: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for size in sizes:
        source = workdir / f"site-{size}"
        if not source.is_dir():
            site_copy(size, source)
        entry: dict[str, Any] = {}
        port = free_port()
        print(f"edit loop, {size} pages, live server ...", flush=True)
        entry["live"] = edit_latency(live_command(source, workdir / f"live-{size}" / "html", port), source, port, edits)
        port = free_port()
        command = autobuild_command(source, workdir / f"autobuild-{size}" / "html", port)
        if command is None:
            entry["sphinx_autobuild"] = {
                "median_s": None,
                "note": "sphinx-autobuild is not installed (pip install .[bench])",
            }
        else:
            print(f"edit loop, {size} pages, sphinx-autobuild ...", flush=True)
            entry["sphinx_autobuild"] = edit_latency(command, source, port, edits)
        results[str(size)] = entry
        write_partial("edit_loop", results)
    return results


# --- page weight ---------------------------------------------------------------------------------


def page_resources(site: Path, page: str) -> list[dict[str, Any]]:
    """Every resource a browser with a cold cache loads to show ``page``: raw and gzip bytes."""
    from playwright.sync_api import sync_playwright

    from training.gates.static_server import serve_directory
    from training.replay.chromium import launch_options

    found: list[dict[str, Any]] = []
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        tab = browser.new_context().new_page()
        responses: list[Any] = []
        tab.on("response", lambda response: responses.append(response))
        tab.goto(base + page)
        tab.wait_for_load_state("networkidle")
        for response in responses:
            try:
                body = response.body()
            except Exception:
                body = b""
            name = response.url.removeprefix(base).split("?")[0]
            found.append({"url": name, "bytes": len(body), "gzip_bytes": len(gzip.compress(body, 9))})
        browser.close()
    return found


def page_weight(workdir: Path) -> dict[str, Any]:
    size = min(int(p.name.split("-")[1]) for p in workdir.glob("build-*-on"))
    result: dict[str, Any] = {}
    for mode, label in (("on", "module"), ("off", "module_default_theme")):
        resources = page_resources(workdir / f"build-{size}-{mode}" / "html", MODULE_PAGE)
        result[label] = {
            "bytes": sum(r["bytes"] for r in resources),
            "gzip_bytes": sum(r["gzip_bytes"] for r in resources),
            "requests": len(resources),
            "resources": resources,
        }
    return result


# --- mystmd --------------------------------------------------------------------------------------


def mystmd_command() -> list[str] | None:
    """``myst`` from PATH or from ``npm install mystmd`` in the repository or the working folder."""
    for candidate in (shutil.which("myst"), ROOT / "node_modules" / ".bin" / "myst"):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    return None


def mystmd_reference(workdir: Path, sizes: list[int], runs: int) -> dict[str, Any]:
    """``myst build --site`` on the same Markdown: page JSON, not HTML; offline."""
    command = mystmd_command()
    if command is None:
        return {"note": "mystmd is not installed (npm install mystmd)"}
    results: dict[str, Any] = {"writes": "JSON for each page (myst build --site), not HTML; runs offline"}
    for size in sizes:
        source = workdir / f"myst-{size}"
        if source.exists():
            shutil.rmtree(source)
        if not (workdir / f"site-{size}").is_dir():
            site_copy(size, workdir / f"site-{size}")
        shutil.copytree(workdir / f"site-{size}", source, ignore=shutil.ignore_patterns("conf.py", "_build"))
        (source / "myst.yml").write_text("version: 1\nproject:\n  title: Bench\n", encoding="utf-8")
        samples = []
        for _ in range(runs):
            shutil.rmtree(source / "_build", ignore_errors=True)
            load = os.getloadavg()[0]
            before = os.times()
            started = time.perf_counter()
            done = subprocess.run(
                [*command, "build", "--site"], cwd=source, capture_output=True, text=True, check=False
            )
            wall = time.perf_counter() - started
            after = os.times()
            if done.returncode != 0:
                return {**results, "note": f"myst build failed: {done.stderr[-500:]}"}
            cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
            samples.append({"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "load_1min": round(load, 2)})
        results[str(size)] = {
            "wall_s": statistics.median(s["wall_s"] for s in samples),
            "cpu_s": statistics.median(s["cpu_s"] for s in samples),
            "samples": samples,
        }
    return results


# --- the run -------------------------------------------------------------------------------------

_PARTIAL: dict[str, Any] = {}


def write_partial(key: str, value: Any) -> None:
    """Keep what is measured so far, so a long run that stops still leaves its numbers."""
    _PARTIAL[key] = value
    partial = RESULTS.with_name("results.partial.json")
    partial.write_text(json.dumps(_PARTIAL, indent=1) + "\n", encoding="utf-8")


def ratios(data: dict[str, Any]) -> dict[str, Any]:
    scaling_data = data["scaling"]
    sizes = sorted(scaling_data, key=int)

    def cpu(size: str, mode: str) -> float | None:
        return scaling_data.get(size, {}).get(mode, {}).get("cpu_s")

    def share(size: str) -> float | None:
        on, off = cpu(size, "on"), cpu(size, "off")
        return round((on - off) / on, 3) if on and off else None

    largest, smallest = sizes[-1], sizes[0]
    found: dict[str, Any] = {
        "on_vs_off_300": round(cpu("300", "on") / cpu("300", "off"), 3) if cpu("300", "on") else None,
        "growth_100_to_300": round(cpu("300", "on") / cpu("100", "on"), 3)
        if cpu("300", "on") and cpu("100", "on")
        else None,
        "extension_share_25": share("25"),
        "extension_share_300": share("300"),
        "on_vs_off_largest": round(cpu(largest, "on") / cpu(largest, "off"), 3),  # type: ignore[operator]
        "on_vs_off_smallest": round(cpu(smallest, "on") / cpu(smallest, "off"), 3),  # type: ignore[operator]
        "live_seconds_25": data["edit_loop"].get("25", {}).get("live", {}).get("median_s"),
        "live_seconds_300": data["edit_loop"].get("300", {}).get("live", {}).get("median_s"),
    }
    weight = data["page_weight"]
    found["page_bytes_vs_default"] = round(weight["module"]["bytes"] / weight["module_default_theme"]["bytes"], 3)
    found["page_gzip_vs_default"] = round(
        weight["module"]["gzip_bytes"] / weight["module_default_theme"]["gzip_bytes"], 3
    )
    return found


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python docs/_tools/bench.py", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="cold builds per size and mode, interleaved")
    parser.add_argument("--sizes", default="25,100,300", help="pages of the sites measured")
    parser.add_argument("--edits", type=int, default=3, help="saves per edit-loop measurement")
    parser.add_argument("--edit-sizes", default="25,300", help="sizes whose edit loop is measured")
    parser.add_argument("--note", default="", help="what this run left out (written to the results)")
    parser.add_argument("--scaling-from", help="reuse the scaling of an earlier run (its results.partial.json)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    edit_sizes = [int(s) for s in args.edit_sizes.split(",") if s]
    workdir = Path(tempfile.mkdtemp(prefix="hub-training-bench-"))
    data: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_1min_at_start": round(os.getloadavg()[0], 2),
        },
        "runs": args.runs,
        "sizes": sizes,
        "note": args.note,
    }
    try:
        if args.scaling_from:
            data["scaling"] = json.loads(Path(args.scaling_from).read_text(encoding="utf-8"))["scaling"]
            write_partial("scaling", data["scaling"])
            for size in sorted({sizes[0], *edit_sizes}):  # the builds page weight and the edit loop use
                source = workdir / f"site-{size}"
                site_copy(size, source)
                for mode in ("on", "off"):
                    out = workdir / f"build-{size}-{mode}" / "html"
                    measured_build(build_arguments(source, out, mode == "on", write_off_conf(source, workdir / "off")))
        else:
            data["scaling"] = scaling(workdir, sizes, args.runs)
        print("page weight ...", flush=True)
        data["page_weight"] = page_weight(workdir)
        write_partial("page_weight", data["page_weight"])
        data["edit_loop"] = edit_loop(workdir, edit_sizes, args.edits)
        print("mystmd ...", flush=True)
        data["mystmd"] = mystmd_reference(workdir, sizes[:2], min(args.runs, 3))
        data["ratios"] = ratios(data)
        data["targets"] = {
            name: {
                "target": limit,
                "value": data["ratios"].get(name),
                "met": None if data["ratios"].get(name) is None else data["ratios"][name] <= limit,
            }
            for name, limit in TARGETS.items()
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    RESULTS.with_name("results.partial.json").unlink(missing_ok=True)
    print(f"Wrote {RESULTS}")
    return data


if __name__ == "__main__":
    main()
