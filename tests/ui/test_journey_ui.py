"""The evidence curve on the touchpoint map and experience scores in the interview widget,
in a real JupyterLab clicked in Chromium; every write is checked in the store.

Screenshots go to artifacts/journey/.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import kit
from scoredinterviews import add_scored_interviews

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)> & {n} $ # _ ~ ^ \\ 🙂"


@pytest.fixture
def shots(artifacts: Path) -> Path:
    folder = artifacts / "journey"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cells(path: Path, *lines: str) -> list[str]:
    return ["import kit", f"ws = kit.open({str(path)!r}, actor='carla')", *lines]


def test_touchpoint_map_draws_the_evidence_curve_and_lists_quotes(lab, browser, make_notebook, open_notebook,
                                                                  tmp_path, shots):
    from playwright.sync_api import expect

    path = tmp_path / "curve.workshop"
    with kit.new(path, title="Curve", language="en", actor="setup", personas=["Anna", "Ben", "Cem"]) as ws:
        ids = add_scored_interviews(ws, HOSTILE, call_emotion={"Anna": 1, "Ben": 0, "Cem": 1},
                              hotline_emotion={"Anna": -1, "Ben": 0, "Cem": 0})
    make_notebook("curve.ipynb", cells(path, "from kit.widgets import show", "show(ws, 'touchpoint_map')"))
    page = open_notebook(browser.new_context(viewport={"width": 1700, "height": 1100}), "curve.ipynb",
                         wait_for=".kit-tp-root .kit-ev-point")
    chart = page.locator(".kit-tp-root .kit-emo-chart")
    points = chart.locator(".kit-ev-point")
    expect(points).to_have_count(2)  # Anna at contact, Ben at service; none where nobody scored
    anna = chart.locator(".kit-ev-point[data-persona='Anna'][data-stage='contact']")
    expect(anna).to_have_attribute("data-n", "2")
    expect(anna).to_have_attribute("data-mean", "-0.75")
    expect(chart.locator(".kit-ev-n[data-persona='Anna'][data-stage='contact']")).to_have_text("n=2")
    expect(chart.locator(".kit-ev-n[data-persona='Ben'][data-stage='service']")).to_have_text("n=1")
    expect(chart.locator(".kit-ev-band[data-persona='Anna']")).to_have_count(1)  # Ben: one interview, no spread
    expect(chart.locator(".kit-emo-team")).to_have_count(3)  # the team's estimate, dashed, one line per persona
    expect(chart.locator(".kit-emo-legend")).to_contain_text("Team's estimate")
    flag = chart.locator(".kit-ev-flag[data-persona='Anna'][data-stage='contact']")
    expect(flag).to_have_text("⚑ Anna: We thought it was fine; they said otherwise")
    expect(chart.locator(".kit-ev-flag[data-persona='Ben']")).to_contain_text("Better than we thought")
    expect(chart.locator(".kit-ev-missing[data-persona='Cem']")).to_have_text(
        "Cem: no scored interview snippets, so no points")

    # a click lists the quotes under pseudonyms, hostile text literally
    anna.click()
    panel = chart.locator(".kit-ev-panel")
    expect(panel).to_contain_text("Anna · Contact: mean -0.75, n = 2")
    expect(panel.locator(".kit-ev-quote")).to_have_count(3)
    expect(panel.locator(".kit-ev-snippet").first).to_have_text(HOSTILE)
    assert panel.locator("img").count() == 0 and not page.kit_dialogs
    assert "Sabine" not in panel.inner_text()
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "touchpoint_curve_quotes.png"))

    # Enter on a focused point opens its quotes too
    ben = chart.locator(".kit-ev-point[data-persona='Ben']")
    ben.focus()
    ben.press("Enter")
    expect(panel.locator(".kit-ev-quote")).to_have_text(["D (+2, Hotline): great"])

    # a score given in another process moves the curve without a reload
    with kit.open(path, actor="co-facilitator") as ws:
        ws.evidence.add(interview=ids["b"], snippet="never got through", stance="new_insight",
                        touchpoint=ids["hotline"], experience=-2)
    expect(chart.locator(".kit-ev-n[data-persona='Anna'][data-stage='service']")).to_have_text("n=1")
    expect(points).to_have_count(3)
    page.locator(".kit-tp-root").screenshot(path=str(shots / "touchpoint_map_curve.png"))


def test_interview_widget_sets_the_score_by_keyboard(lab, browser, make_notebook, open_notebook, tmp_path, shots):
    from playwright.sync_api import expect

    path = tmp_path / "scores.workshop"
    with kit.new(path, title="Scores", language="de", actor="setup", personas=["Anna"]) as ws:
        call = ws.touchpoints.add(stage="contact", name="Erster Anruf", emotion={"Anna": 1})
        interview = ws.interviews.add(pseudonym="Frau M.", segment="Anna")
    make_notebook("scores.ipynb",
                  cells(path, "from kit.widgets.interview import InterviewWidget", "InterviewWidget(ws)"))
    page = open_notebook(browser.new_context(viewport={"width": 1300, "height": 1000}), "scores.ipynb",
                         wait_for=".kit-iv .kit-iv-score")
    widget = page.locator(".kit-iv")
    expect(widget.locator(".kit-iv-score-keys")).to_contain_text("Alt+Umschalt+1…5")
    snippet = widget.locator(".kit-iv-snippet")
    snippet.fill("Hat dreimal angerufen")
    snippet.press("Alt+Shift+2")
    caption = widget.locator(".kit-iv-score-row .kit-iv-label")
    expect(caption).to_have_attribute("data-score", "-1")
    expect(widget.locator(".kit-iv-score-row button[data-score='-1']")).to_have_attribute("aria-pressed", "true")
    snippet.press("Alt+Shift+2")  # again: cleared
    expect(caption).to_have_attribute("data-score", "")
    snippet.press("Alt+Shift+1")
    expect(caption).to_have_attribute("data-score", "-2")
    snippet.press("Alt+t")
    touchpoint = widget.locator(".kit-iv-touchpoint")
    expect(touchpoint).to_be_focused()
    touchpoint.select_option(str(call))
    snippet.press("Alt+n")
    row = widget.locator(".kit-iv-evidence .kit-iv-item", has_text="Hat dreimal angerufen")
    expect(row).to_have_attribute("data-experience", "-2")
    expect(caption).to_have_attribute("data-score", "")  # the next snippet starts unscored
    with kit.open(path, actor="test-reader") as ws:
        (stored,) = [e for e in ws.evidence if e["interview"] == interview]
        assert (stored["snippet"], stored["touchpoint"], stored["experience"]) == ("Hat dreimal angerufen", call, -2)

    # by mouse on the saved snippet: +1, then the touchpoint taken away
    row.locator(".kit-iv-score[data-score='1']").click()
    expect(row).to_have_attribute("data-experience", "1")
    row.locator(".kit-iv-item-touchpoint").select_option("")
    expect(row).to_have_attribute("data-touchpoint", "")
    expect(widget.locator(".kit-iv-status")).to_have_text("Kontaktpunkt und Erleben gespeichert.")
    with kit.open(path, actor="test-reader") as ws:
        stored = ws.evidence.get(stored["id"])
        assert (stored["touchpoint"], stored["experience"]) == (None, 1)
    widget.screenshot(path=str(shots / "interview_scores.png"))
