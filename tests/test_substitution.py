"""``{{ hub.* }}`` placeholders: replaced in every location, escaped where they land in HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from training.model.hub_profile import load_hub_profile
from training.model.hub_values import substitute

from .conftest import HUBS, SITES, run_sphinx

HOSTILE_NAME = "<script>alert('pwned')</script> & \"Friends\" *hub*"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("substitution") / "html"
    result = run_sphinx(SITES / "substitution", out, HUBS / "hostile.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(), "html.parser")


def test_prose(hostile_site: Path) -> None:
    paragraph = soup(hostile_site, "index.html").find(string=lambda s: s and s.startswith("Prose:")).parent
    text = paragraph.get_text()
    assert "<script>alert(" in text  # shown as text ...
    assert "*hub*" in text  # ... not turned into emphasis
    assert "<img src=x onerror=alert(1)> [link](https://evil.example.com)" in text
    assert paragraph.find("script") is None and paragraph.find("img") is None and paragraph.find("a") is None


def test_inline_code(hostile_site: Path) -> None:
    codes = [c.get_text() for c in soup(hostile_site, "index.html").select("p code")]
    assert "SCRATCH_BUCKET" in codes
    assert f'echo "{HOSTILE_NAME}"' in codes


def test_link_target(hostile_site: Path) -> None:
    link = soup(hostile_site, "index.html").find("a", string="log in")
    assert link["href"] == "https://hostile.example.com/prefix/hub/login"


def test_fenced_code(hostile_site: Path) -> None:
    block = soup(hostile_site, "index.html").select_one("div.highlight-bash pre").get_text()
    assert f'echo "{HOSTILE_NAME}" && open https://hostile.example.com/prefix' in block


def test_directive_title_options_and_body(hostile_site: Path) -> None:
    admonition = soup(hostile_site, "index.html").select_one("div.admonition.hub-hostile")
    assert admonition is not None  # option value substituted
    title = admonition.select_one(".admonition-title").get_text()
    assert title.startswith("Title <script>alert(")
    assert "*hub*" in title
    assert "15 minutes" in admonition.get_text()
    assert admonition.find("script") is None
    button = soup(hostile_site, "index.html").select_one("a.sd-btn")
    assert button["href"] == "https://hostile.example.com/prefix/hub/home"


def test_notebook_code_cell(hostile_site: Path) -> None:
    cell = soup(hostile_site, "notebook.html").select_one("div.cell_input pre").get_text()
    assert 'bucket = "s3://hostile-scratch/{username}"' in cell
    assert f'hub_name = "{HOSTILE_NAME}"' in cell


def test_no_raw_markup_anywhere(hostile_site: Path) -> None:
    for page in hostile_site.glob("*.html"):
        html = page.read_text()
        assert "<script>alert" not in html, page
        assert "<img src=x" not in html, page
        assert "{{" not in BeautifulSoup(html, "html.parser").get_text(), page


def test_unknown_key_is_an_error_at_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text((SITES / "substitution" / "conf.py").read_text())
    (src / "index.md").write_text("# Title\n\nFine {{ hub.name }}.\n\nBroken {{ hub.storage.bucket }}.\n")
    result = run_sphinx(src, tmp_path / "out")
    assert result.returncode != 0
    assert (
        "index.md:5: WARNING: {{ hub.storage.bucket }} is not a key of the hub profile [training.hub_key]"
        in result.stderr
    )


def test_unset_value_is_an_error(tmp_path: Path) -> None:
    _text, problems = substitute("a\n{{ hub.storage.persistent.retention_days }}\n", load_hub_profile().values())
    assert [(p.key, p.line, p.reason) for p in problems] == [
        ("storage.persistent.retention_days", 2, "is not set for this hub")
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ hub.name }}", "Example Research Hub"),
        ("{{hub.name}}", "Example Research Hub"),
        ("`{{ hub.url }}`", "`https://hub.example.org`"),
        ("{{ hub.url }}", "https\\:\\/\\/hub\\.example\\.org"),
        ("[x]({{ hub.url }}/a b)", "[x](https://hub.example.org/a b)"),
        ("{{ hub.languages }}", "python\\, r"),
        ("{{ hub.login.shutdown_on_logout }}", "no"),
        ("{{ hub.storage.home_quota_gb }}", "10"),
        ("{{ hub.storage.fs_package }}", "s3fs"),
        ("```\n{{ hub.storage.scratch.url }}\n```", "```\ns3://example-scratch/{username}\n```"),
        ("~~~python\n{{ hub.id }}\n~~~", "~~~python\ndemo\n~~~"),
        (":::{note}\n:class: {{ hub.id }}\n\n{{ hub.id }}\n:::", ":::{note}\n:class: demo\n\ndemo\n:::"),
    ],
)
def test_substitute_contexts(source: str, expected: str) -> None:
    text, problems = substitute(source, load_hub_profile().values())
    assert problems == []
    assert text == expected
