"""The nbgitpuller link builder against the shared case table (tests/data/nbgitpuller_cases.json).

Each link is parsed back with urllib and compared with its parts, so a link that is encoded twice,
misses the clone folder or the branch, or breaks on a hub with a path prefix fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from training.model.nbgitpuller import clone_dir, nbgitpuller_url, pull_all_url, urlpath_for

CASES = json.loads((Path(__file__).parent / "data" / "nbgitpuller_cases.json").read_text(encoding="utf-8"))
LINKS: list[dict[str, Any]] = CASES["links"]


def test_the_table_is_big_and_covers_what_the_issue_asks() -> None:
    assert len(LINKS) >= 14
    assert len({case["id"] for case in LINKS}) == len(LINKS)
    repos = [case["repo"] for case in LINKS]
    assert any(r.endswith(".git") for r in repos)
    assert any(not r.endswith(".git") for r in repos)
    assert any("gitlab" in r for r in repos)
    assert any("/" in case["branch"] for case in LINKS)
    assert any(" " in case["path"] for case in LINKS)
    assert any(not case["path"].isascii() for case in LINKS)
    assert any(urlsplit(case["hub_url"]).path.strip("/") for case in LINKS)
    assert {case["interface"] for case in LINKS} == {"lab", "notebook", "rstudio"}
    assert sum("url" in case for case in LINKS) >= 4


@pytest.mark.parametrize("case", CASES["clone_dir"], ids=lambda c: c["repo"])
def test_clone_dir(case: dict[str, str]) -> None:
    assert clone_dir(case["repo"]) == case["clone_dir"]


@pytest.mark.parametrize("case", LINKS, ids=lambda c: c["id"])
def test_link_decodes_to_its_parts(case: dict[str, Any]) -> None:
    url = nbgitpuller_url(case["hub_url"], case["repo"], case["branch"], case["path"], case["interface"])
    parts = urlsplit(url)
    expected = case["expected"]
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == expected["base"]
    assert not parts.fragment
    pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True)
    want = {k: v for k, v in expected.items() if k != "base" and v is not None}
    assert dict(pairs) == want
    # nbgitpuller's own order, each parameter once, targetpath last when present.
    assert [k for k, _ in pairs] == [k for k in ("repo", "urlpath", "branch", "targetpath") if k in want]
    # Encoded exactly once, canonically: re-encoding the decoded values gives the same query.
    assert parts.query == "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)
    assert url.isascii()
    assert " " not in url
    assert "&amp;" not in url
    assert "+" not in parts.query


@pytest.mark.parametrize("case", [c for c in LINKS if "url" in c], ids=lambda c: c["id"])
def test_link_literal(case: dict[str, Any]) -> None:
    assert (
        nbgitpuller_url(case["hub_url"], case["repo"], case["branch"], case["path"], case["interface"]) == case["url"]
    )


def test_urlpath_always_names_the_clone_folder() -> None:
    for case in LINKS:
        urlpath = case["expected"]["urlpath"]
        if case["interface"] != "rstudio":
            folder = clone_dir(case["repo"])
            assert urlpath.split("/")[2 if case["interface"] == "lab" else 1] == folder
            # The folder nbgitpuller clones into: targetpath, else the URL's last segment.
            assert (case["expected"]["targetpath"] or case["repo"].rstrip("/").split("/")[-1]) == folder


def test_pull_all_opens_the_repository_folder() -> None:
    url = pull_all_url("https://hub.example.org", "https://github.com/org/materials.git", "main", "lab")
    query = dict(parse_qsl(urlsplit(url).query))
    assert query == {
        "repo": "https://github.com/org/materials.git",
        "urlpath": "lab/tree/materials",
        "branch": "main",
        "targetpath": "materials",
    }


def test_paths_are_normalised() -> None:
    assert urlpath_for("https://github.com/o/m", "/intro//./a.ipynb", "lab") == "lab/tree/m/intro/a.ipynb"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("https://h.org", "https://github.com/o/m", "", "a.ipynb", "lab"), "branch must be explicit"),
        (("https://h.org", "https://github.com/o/m", "main", "../etc/passwd", "lab"), "leaves the repository"),
        (("https://h.org", "https://github.com/o/m", "main", "a.ipynb", "vscode"), "unknown interface"),
        (("https://h.org", "https://github.com/", "main", "a.ipynb", "lab"), "cannot derive a clone folder"),
    ],
)
def test_refuses_links_that_cannot_work(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        nbgitpuller_url(*args)
