"""The browser harness itself: Debian's Chromium opens a built page with nothing from other hosts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_landing_page_loads_offline(page, demo_url: str) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(demo_url + "index.html")
    assert "Example Research Hub" in page.locator("article h1").inner_text()
    assert page.blocked_requests == []
    assert errors == []
