"""The participant page (the room) at every agenda step (each canvas a step offers), on a phone and a laptop,
in Chromium: an axe-core audit with no serious or critical violation, nothing scrolls sideways, the header's
name, team and step do not overlap. Screenshots of every step at 390x844, 768x1024, 1280x800 and
1920x1080 in artifacts/a11y/room/."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kit
from kit import facilitation
from kit.room.steps import step_canvases
from labserver import CHROMIUM
from labserver import chromium as launch_chromium
from roomclient import running_room
from test_a11y import SIZES, serious, sideways

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "a11y" / "room"
TOKEN = "participant-token-a11y-0123456789"
#: (step, canvas, screenshot name): every canvas each step offers, the others than the first reached by their tab.
SHOWN = [(step, canvas, step if i == 0 else f"{step}_{canvas}")
         for step, offered in step_canvases().items() for i, canvas in enumerate(offered or (None,))]

OVERLAP = """() => {
  const boxes = [...document.querySelectorAll('.kit-header > *')].filter((n) => n.textContent.trim())
    .map((n) => [n.className, n.getBoundingClientRect()]);
  const out = [];
  boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, s]) => {
    const wide = Math.min(r.right, s.right) - Math.max(r.left, s.left);
    const high = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
    if (wide > 1 && high > 1) {
      out.push(`${a} overlaps ${b}`);
    }
  }));
  for (const [a, r] of boxes) if (r.right > innerWidth + 1) out.push(`${a} beyond the screen`);
  return out;
}"""


@pytest.fixture
def room(tmp_path: Path) -> Any:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    path = tmp_path / "de.workshop"
    kit.demo(path, "de", actor="moderation").close()
    with running_room({"room": (path, TOKEN)}) as (base, _), launch_chromium() as browser:
        yield path, f"http://{base}w/room/?token={TOKEN}", browser


def join_by_phone(browser: Any, url: str, name: str) -> Any:
    """A phone (390x844, touch) joins the room as ``name`` in the first team; returns its page."""
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    page.fill(".kit-name input", name)
    page.locator(".kit-team select").select_option(index=1)
    page.click(".kit-join")
    page.wait_for_selector(".kit-header .kit-who")
    return page


def test_every_participant_step_on_phone_and_laptop(room: Any) -> None:
    path, url, browser = room
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = join_by_phone(browser, url, "Anna-Lena Müller-Lüdenscheidt")
    problems: dict[str, list[str]] = {}
    with kit.open(path, actor="moderation") as ws:
        for step, canvas, shot in SHOWN:
            facilitation.set_step(ws, step)
            if canvas:
                if shot != step:
                    page.click(f".kit-tabs .kit-tab[data-canvas={canvas!r}]")
                title = ws.canvas(canvas).title
                page.wait_for_selector(f".kit-body .kit-root[aria-label={title!r}]")
            else:
                page.wait_for_selector(".kit-body .kit-no-canvas")
            for name, (width, height) in SIZES.items():
                page.set_viewport_size({"width": width, "height": height})
                page.wait_for_function("(w) => document.documentElement.clientWidth <= w", arg=width)
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(SHOTS / f"{shot}_{name}_{width}x{height}.png"))
                if name not in ("phone", "laptop"):
                    continue
                found = serious(page, "body")
                wide = sideways(page)
                if page.evaluate("document.documentElement.scrollWidth") > width:
                    wide.append(f"page {page.evaluate('document.documentElement.scrollWidth')}>{width}")
                body = page.locator(".kit-body")
                if body.evaluate("(n) => n.scrollWidth > n.clientWidth + 1"):
                    wide.append("the participant page's canvas scrolls sideways")
                if canvas and name == "phone":  # one area (or stage) at a time
                    shown = page.locator(".kit-body .kit-area:visible, .kit-body .kit-stage:visible").count()
                    if shown != 1:
                        wide.append(f"{shown} areas at once on a phone")
                for label, found_here in (("axe", found), ("sideways", wide), ("header", page.evaluate(OVERLAP))):
                    if found_here:
                        problems[f"{shot} {name} {label}"] = found_here
            page.set_viewport_size({"width": 390, "height": 844})
    assert not problems, problems


def test_on_a_phone_a_note_and_a_dot_take_three_taps_and_own_notes_come_first(room: Any) -> None:
    from playwright.sync_api import expect

    path, url, browser = room
    with kit.open(path, actor="moderation") as ws:
        facilitation.set_step(ws, "02_hypotheses")
        facilitation.open_vote(ws, "hypothesis_board", budget=3)
        before = len(ws.canvas("hypothesis_board").items("pain"))
    page = join_by_phone(browser, url, "Zoë")
    board = page.locator(".kit-body .kit-board-root")
    page.wait_for_selector(".kit-body .kit-board-root[aria-label]")
    expect(board.locator(".kit-area:visible")).to_have_count(1)

    # a note: the area (1), the field (2), typing, + (3)
    board.locator(".kit-switch[data-area='pain']").tap()
    quote = board.locator("section[data-area='pain']")
    expect(quote).to_be_visible()
    quote.locator(".kit-add input").tap()
    page.keyboard.type("Wer nicht weiß, wen er anrufen soll, ruft niemanden an")
    quote.locator(".kit-btn-add").tap()
    mine = quote.locator(".kit-note", has=page.locator(".kit-note-text", has_text="wen er anrufen soll"))
    expect(mine).to_be_visible()
    with kit.open(path, actor="check") as ws:
        canvas = ws.canvas("hypothesis_board")
        rows = canvas.items("pain")
    (added,) = [r for r in rows if "wen er anrufen" in r[canvas.text_field]]
    assert len(rows) == before + 1 and "Zoë" in added.values()
    # own notes first: above every other note of the area
    tops = quote.locator(".kit-note").evaluate_all("(ns) => ns.map((n) => [n.classList.contains('kit-mine'), "
                                                   "n.getBoundingClientRect().top])")
    assert min(top for is_mine, top in tops if is_mine) < min(top for is_mine, top in tops if not is_mine), tops
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # a dot: one tap on someone else's note
    other = quote.locator(".kit-note:not(.kit-mine)").first
    other_id = int(other.get_attribute("data-id") or 0)
    dots = int(other.locator(".kit-vote-count").inner_text().strip("● "))
    other.locator("button[data-action='vote']").tap()
    expect(other.locator(".kit-vote-count")).to_have_text(f"● {dots + 1}")
    with kit.open(path, actor="check") as ws:
        (row,) = [r for r in ws.canvas("hypothesis_board").items("pain") if r["id"] == other_id]
    assert row["votes"]["Zoë"] == 1 and sum(row["votes"].values()) == dots + 1
