"""Content lint: located build warnings for alt text, headings, literal hub values and product names."""

from __future__ import annotations

from pathlib import Path

import pytest

from training.model.hub_profile import load_hub_profile
from training.sphinx_ext.content_lint import lint_source, literal_values

from .conftest import run_sphinx

FORBIDDEN = literal_values(load_hub_profile())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Go to https://hub.example.org now.", "hub value 'https://hub.example.org' written literally"),
        ("Your bucket is s3://example-scratch/you.", "hub value 's3://example-scratch' written literally"),
        ("```\nprint('hub.example.org')\n```", "hub value 'hub.example.org' written literally"),
        ("Open Jupyterhub.", "write 'JupyterHub', not 'Jupyterhub'"),
        ("Open Jupyter Lab.", "write 'JupyterLab', not 'Jupyter Lab'"),
        ("Log in with Github.", "write 'GitHub', not 'Github'"),
        ("Use NBGitPuller.", "write 'nbgitpuller', not 'NBGitPuller'"),
        ("Open Rstudio.", "write 'RStudio', not 'Rstudio'"),
    ],
)
def test_lint_finds(line: str, message: str) -> None:
    problems = lint_source(line, FORBIDDEN)
    assert any(message in p.message for p in problems), problems


@pytest.mark.parametrize(
    "line",
    [
        "Open {{ hub.url }} in JupyterLab, log in with GitHub, use nbgitpuller and RStudio.",
        "Inline code is fine: `pip install jupyterlab` and `github.com`.",
        "A link target is fine: [the app](https://github.com/apps/x).",
        "```bash\npip install jupyterhub\n```",
    ],
)
def test_lint_accepts(line: str) -> None:
    assert lint_source(line, FORBIDDEN) == []


def test_lint_reports_the_line() -> None:
    (problem,) = lint_source("# Title\n\nok\n\nGithub here\n", FORBIDDEN)
    assert problem.line == 5


CONF = 'extensions = ["myst_parser", "training"]\nnitpicky = True\n'


def make_module_site(root: Path, body: str) -> Path:
    root.mkdir()
    (root / "conf.py").write_text(CONF)
    (root / "index.md").write_text("# Home\n\n```{toctree}\nmodules/m/index\n```\n")
    (root / "modules" / "m").mkdir(parents=True)
    front = (
        "---\nmodule:\n  id: m\n  title: M\n  summary: S.\n  audience: both\n  teaching: 1\n  exercises: 1\n"
        '  questions: ["Q?"]\n  objectives: [O.]\n  keypoints: [K.]\n---\n\n# M\n\n'
    )
    (root / "modules" / "m" / "index.md").write_text(front + body)
    return root


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("Text.\n\n![](picture.png)\n", 18, "image modules/m/picture.png has no alt text"),
        ("Text.\n\nVisit hub.example.org.\n", 18, "hub value 'hub.example.org' written literally"),
        ("Text.\n\nOpen Jupyter Lab.\n", 18, "write 'JupyterLab', not 'Jupyter Lab'"),
        ("Text.\n\n# A second title\n", 18, "more than one top-level heading"),
        ("Text.\n\n### Skipped a level\n", 18, "Non-consecutive header level increase"),
        ("Text.\n\n```{no-such-directive}\n```\n", 18, "Unknown directive type"),
    ],
)
def test_lint_breaks_the_build_with_location(tmp_path: Path, body: str, line: int, message: str) -> None:
    src = make_module_site(tmp_path / "site", body)
    (src / "modules" / "m" / "picture.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    result = run_sphinx(src, tmp_path / "out")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"modules/m/index.md:{line}: WARNING: {message}" in output or (
        f"modules/m/index.md:{line}:" in output and message in output
    ), output
