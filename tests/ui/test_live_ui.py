"""The "reconnecting" state in a real JupyterLab, seen in Chromium: every widget draws it the same way.

The Python side (a session's ``connection`` key while the server is away, then the current notes)
runs against a real PostgreSQL restart in tests/test_live_postgres.py; here the trait the browser
gets is set as a session would set it, and the page must show it as one literal line, with the
notes below dimmed and inert, for a canvas widget and for the timer alike.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kit

pytestmark = pytest.mark.browser

LINE = "Connection lost – reconnecting <b>not bold</b> & 100 %"


def test_every_widget_shows_the_reconnecting_line_and_dims_what_may_be_stale(
        lab: Any, browser: Any, make_notebook: Any, open_notebook: Any, tmp_path: Path, screenshots: Path) -> None:
    from playwright.sync_api import expect

    path = tmp_path / "live.workshop"
    with kit.new(path, title="Live", language="en", actor="setup") as ws:
        ws.canvas("value_proposition").add("pains", "Forty minutes on hold")
    make_notebook("live.ipynb", [
        f"import kit\nfrom kit.widgets import show\nfrom kit.widgets.timer import TimerWidget\n"
        f"ws = kit.open({str(path)!r}, actor='alice')",
        "board = show(ws, 'value_proposition')\nboard",
        "timer = TimerWidget(ws, minutes=5)\ntimer",
        f"board.connection = timer.connection = {LINE!r}",  # what a session sends while the server is away
    ])
    page = open_notebook(browser.new_context(viewport={"width": 1400, "height": 1000}), "live.ipynb")
    banners = page.locator(".kit-reconnecting")
    expect(banners).to_have_count(2)
    for index in range(2):
        banner = banners.nth(index)
        expect(banner).to_have_attribute("data-connection", LINE)
        expect(banner).to_have_attribute("aria-busy", "true")
        shown = banner.evaluate("el => getComputedStyle(el, '::before').content")
        assert shown == f'"⟳ {LINE}"'  # CSS text: the markup stays literal
        assert banner.evaluate("el => [...el.children].map(c => getComputedStyle(c).opacity)") == ["0.45"]
        assert banner.evaluate("el => getComputedStyle(el.firstElementChild).pointerEvents") == "none"
    assert page.locator(".kit-reconnecting b").count() == 0
    expect(page.locator(".kit-note-text", has_text="Forty minutes on hold")).to_be_visible()  # kept, dimmed
    page.screenshot(path=str(screenshots / "reconnecting.png"), full_page=True)
