"""The live canvases in a real JupyterLab, clicked in Chromium; every step is checked in the store.

The test process opens the workshop file itself (its own SQLite connection), so a passing
assertion proves the click went browser -> kernel -> store, not just into the page.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import kit
from kit import facilitation

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"


def notebook_cells(path: Path, actor: str, *canvases: str) -> list[str]:
    return ["import kit\nfrom kit.widgets import show",
            f"ws = kit.open({str(path)!r}, actor={actor!r})",
            *(f"show(ws, {c!r})" for c in canvases)]


def items(path: Path, canvas: str = "value_proposition", **where) -> list[dict]:
    with kit.open(path, actor="test-reader") as ws:
        return [r for r in ws.canvas(canvas).items() if all(r[k] == v for k, v in where.items())]


def note(page, text: str):
    return page.locator(".kit-note", has=page.locator(".kit-note-text", has_text=text))


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    path = tmp_path / "ui.workshop"
    with kit.new(path, title="UI test", language="en", actor="setup") as ws:
        facilitation.open_vote(ws, "value_proposition", budget=3)
    return path


def test_value_proposition_canvas_through_the_ui(lab, browser, make_notebook, open_notebook, workshop, screenshots):
    from playwright.sync_api import expect

    make_notebook("vpc.ipynb", notebook_cells(workshop, "alice", "value_proposition"))
    context = browser.new_context(viewport={"width": 1600, "height": 1100})
    page = open_notebook(context, "vpc.ipynb")
    vpc = page.locator(".kit-vpc-root")
    expect(vpc.locator("section[data-area='pains'] .kit-area-title")).to_contain_text("Pains")

    # add (Enter in the area's input)
    pains = vpc.locator("section[data-area='pains']")
    pains.locator(".kit-add input").fill("Long waits on the phone")
    pains.locator(".kit-add input").press("Enter")
    expect(note(page, "Long waits on the phone")).to_be_visible()
    (record,) = items(workshop, area="pains")
    assert (record["text"], record["author"]) == ("Long waits on the phone", "alice")

    # add with the + button
    vpc.locator("section[data-area='pains'] .kit-add input").fill("Letters nobody understands")
    vpc.locator("section[data-area='pains'] .kit-btn-add").click()
    expect(note(page, "Letters nobody understands")).to_be_visible()
    assert [r["text"] for r in items(workshop, area="pains")] == ["Long waits on the phone",
                                                                  "Letters nobody understands"]

    # edit inline (double-click, type, Enter)
    note(page, "Long waits on the phone").locator(".kit-note-text").dblclick()
    editor = page.locator(".kit-note textarea.kit-editor")
    editor.fill("Forty minutes on hold")
    editor.press("Enter")
    expect(note(page, "Forty minutes on hold")).to_be_visible()
    assert items(workshop, id=record["id"])[0]["text"] == "Forty minutes on hold"

    # rank (severity 4)
    pip = note(page, "Forty minutes on hold").locator("button.kit-pip[data-rank='4']")
    pip.click()
    expect(pip).to_have_attribute("aria-pressed", "true")
    # round, not squared by JupyterLab's own button styles
    assert note(page, "Forty minutes on hold").locator("button.kit-pip").first.evaluate(
        "el => getComputedStyle(el).borderRadius") == "50%"
    assert items(workshop, id=record["id"])[0]["rank"] == 4

    # vote
    note(page, "Forty minutes on hold").locator("button[data-action='vote']").click()
    expect(note(page, "Forty minutes on hold").locator(".kit-vote-count")).to_have_text("● 1")
    assert items(workshop, id=record["id"])[0]["votes"] == {"alice": 1}
    expect(vpc.locator(".kit-dots")).to_contain_text("2 of 3")

    # link a pain reliever to the pain; coverage follows
    relievers = vpc.locator("section[data-area='pain_relievers']")
    relievers.locator(".kit-add input").fill("Call-back instead of queue")
    relievers.locator(".kit-add input").press("Enter")
    expect(note(page, "Call-back instead of queue")).to_be_visible()
    expect(vpc.locator(".kit-coverage-item[data-target='pains']")).to_have_text("0 of 2 Pains addressed")
    select(page, "Call-back instead of queue").locator("button[data-action='link']").click()
    note(page, "Forty minutes on hold").click()
    expect(note(page, "Forty minutes on hold")).to_have_class(has_class("kit-linked"))
    (reliever,) = items(workshop, area="pain_relievers")
    assert reliever["fit"] == [record["id"]]
    expect(vpc.locator(".kit-coverage-item[data-target='pains']")).to_have_text("1 of 2 Pains addressed")
    vpc.locator(".kit-banner-link button").click()
    expect(note(page, "Letters nobody understands")).to_have_class(has_class("kit-unaddressed"))
    expect(vpc.locator(".kit-attribution")).to_have_text("Value Proposition Canvas: Strategyzer AG (strategyzer.com)")
    page.screenshot(path=str(screenshots / "vpc.png"), full_page=True)
    vpc.screenshot(path=str(screenshots / "vpc_widget.png"))

    # move by drag and drop: pain -> gains
    gains = vpc.locator("section[data-area='gains']")
    drag(page, note(page, "Letters nobody understands").locator(".kit-note-text"), gains)
    expect(gains.locator(".kit-note-text", has_text="Letters nobody understands")).to_be_visible()
    assert [r["text"] for r in items(workshop, area="gains")] == ["Letters nobody understands"]

    # move with the keyboard: Alt+ArrowRight goes to the next area (gains -> jobs in declaration order)
    moved = note(page, "Letters nobody understands")
    moved.focus()
    page.keyboard.press("Alt+ArrowRight")
    jobs = vpc.locator("section[data-area='jobs']")
    expect(jobs.locator(".kit-note-text", has_text="Letters nobody understands")).to_be_visible()
    assert [r["text"] for r in items(workshop, area="jobs")] == ["Letters nobody understands"]

    # delete, then undo
    select(page, "Letters nobody understands").locator("button[data-action='delete']").click()
    expect(note(page, "Letters nobody understands")).to_have_count(0)
    assert items(workshop, area="jobs") == []
    vpc.locator("button[data-action='undo']").click()
    expect(note(page, "Letters nobody understands")).to_have_count(1)
    assert [r["text"] for r in items(workshop, area="jobs")] == ["Letters nobody understands"]

    # XSS payload renders literally
    gains = vpc.locator("section[data-area='gains']")
    gains.locator(".kit-add input").fill(XSS)
    gains.locator(".kit-add input").press("Enter")
    xss = gains.locator(".kit-note-text", has_text="onerror")
    expect(xss).to_have_text(XSS)
    assert xss.evaluate("el => el.textContent") == XSS
    assert vpc.locator("img").count() == 0
    assert page.kit_dialogs == []
    assert [r["text"] for r in items(workshop, area="gains")] == [XSS]
    vpc.screenshot(path=str(screenshots / "vpc_after_edits.png"))
    context.close()


def select(page, text: str):
    """Click a note's text: the note is selected (focused) and shows its tools."""
    found = note(page, text)
    found.locator(".kit-note-text").click()
    return found


def drag(page, source, target) -> None:
    """A real mouse drag in small steps (Chromium starts HTML5 drag and drop only after movement)."""
    target.scroll_into_view_if_needed()
    source.scroll_into_view_if_needed()
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + 8, start["y"] + 8)
    page.mouse.down()
    page.mouse.move(start["x"] + 30, start["y"] + 30, steps=5)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=10)
    page.mouse.up()


def has_class(cls: str):
    import re

    return re.compile(rf"(^|\s){re.escape(cls)}(\s|$)")


def test_two_kernels_see_each_others_notes(lab, browser, make_notebook, open_notebook, workshop, screenshots):
    from playwright.sync_api import expect

    make_notebook("team_a.ipynb", notebook_cells(workshop, "anna", "value_proposition"))
    make_notebook("team_b.ipynb", notebook_cells(workshop, "ben", "value_proposition"))
    first = open_notebook(browser.new_context(viewport={"width": 1500, "height": 1000}), "team_a.ipynb")
    second = open_notebook(browser.new_context(viewport={"width": 1500, "height": 1000}), "team_b.ipynb")

    first.locator("section[data-area='jobs'] .kit-add input").fill("Anna's job note")
    first.locator("section[data-area='jobs'] .kit-add input").press("Enter")
    expect(note(first, "Anna's job note")).to_be_visible()
    expect(note(second, "Anna's job note")).to_be_visible(timeout=2000)

    second.locator("section[data-area='gains'] .kit-add input").fill("Ben's gain note")
    second.locator("section[data-area='gains'] .kit-add input").press("Enter")
    expect(note(second, "Ben's gain note")).to_be_visible()
    expect(note(first, "Ben's gain note")).to_be_visible(timeout=2000)

    # concurrent edits of different notes from the two kernels both survive
    note(first, "Ben's gain note").locator("button.kit-pip[data-rank='2']").click()
    note(second, "Anna's job note").locator("button.kit-pip[data-rank='5']").click()
    expect(note(first, "Anna's job note").locator("button.kit-pip[data-rank='5']")).to_have_attribute(
        "aria-pressed", "true", timeout=2000)
    expect(note(second, "Ben's gain note").locator("button.kit-pip[data-rank='2']")).to_have_attribute(
        "aria-pressed", "true", timeout=2000)
    ranks = {r["text"]: (r["rank"], r["author"]) for r in items(workshop)}
    assert ranks == {"Anna's job note": (5, "anna"), "Ben's gain note": (2, "ben")}
    second.locator(".kit-vpc-root").screenshot(path=str(screenshots / "vpc_second_kernel.png"))


def test_touchpoint_map_and_empathy_board(lab, browser, make_notebook, open_notebook, tmp_path, screenshots):
    from playwright.sync_api import expect

    path = tmp_path / "tp.workshop"
    with kit.new(path, title="Touchpoints", language="de", actor="setup", personas=["Sandra", "Kai"]) as ws:
        tm = ws.canvas("touchpoint_map")
        review = tm.add("search_reviews", "Bewertungsportal", channel="Web", owner="Marketing",
                        emotion={"Sandra": -1, "Kai": 1})
        tm.add("contact", "Erster Anruf", channel="Telefon", moment_of_truth=True, emotion={"Sandra": -2, "Kai": 0})
        ws.ideas.add(text="Jede Bewertung persönlich beantworten", stage="search_reviews", touchpoint=review)
        facilitation.open_vote(ws, "touchpoint_map", budget=3)
        ws.canvas("empathy_map").add("hears", "„Ruf da bloß nicht an“")
    make_notebook("tp.ipynb", notebook_cells(path, "carla", "touchpoint_map", "empathy_map"))
    page = open_notebook(browser.new_context(viewport={"width": 1700, "height": 1200}), "tp.ipynb",
                         wait_for=".kit-board-root")
    tpmap = page.locator(".kit-tp-root")
    expect(tpmap.locator(".kit-stage").first).to_contain_text("Bedarf entsteht")
    expect(tpmap.locator(".kit-phase-pre")).to_contain_text("Vor dem ersten Kontakt")
    assert tpmap.locator(".kit-emo-line").count() == 2  # one curve per persona

    # Ist rating by click
    ratings = tpmap.locator(f".kit-cell-ratings .kit-tp-block[data-id='{review}']")
    ratings.locator(".kit-rating-ist_rating button[data-value='2']").click()
    expect(ratings.locator(".kit-rating-ist_rating button[data-value='2']")).to_have_attribute("aria-pressed", "true")
    ratings.locator(".kit-rating-soll_target button[data-value='5']").click()
    expect(ratings.locator(".kit-rating-soll_target button[data-value='5']")).to_have_attribute("aria-pressed", "true")
    record = items(path, "touchpoint_map", id=review)[0]
    assert (record["ist_rating"], record["soll_target"]) == (2, 5)

    # add a touchpoint
    press = tpmap.locator(".kit-cell-touchpoints[data-stage='press']")
    press.locator("input").fill("Artikel im Lokalblatt")
    press.locator("input").press("Enter")
    expect(press.locator(".kit-tp-name")).to_have_text("Artikel im Lokalblatt")
    assert [t["name"] for t in items(path, "touchpoint_map", stage="press")] == ["Artikel im Lokalblatt"]

    # vote an idea
    idea = tpmap.locator(".kit-idea", has_text="persönlich beantworten")
    idea.locator("button[data-action='vote']").click()
    expect(idea.locator(".kit-vote-count")).to_have_text("● 1")
    with kit.open(path, actor="reader") as ws:
        assert ws.ideas.all()[0]["votes"] == {"carla": 1}

    # moment of truth toggle
    card = tpmap.locator(f".kit-tp[data-id='{review}']")
    card.locator("button[data-action='mot']").click()
    expect(card).to_have_class(has_class("kit-tp-mot"))
    assert items(path, "touchpoint_map", id=review)[0]["moment_of_truth"] is True
    tpmap.screenshot(path=str(screenshots / "touchpoint_map.png"))

    # a note on the empathy map
    board = page.locator(".kit-board-root")
    sees = board.locator("section[data-area='sees']")
    sees.locator(".kit-add input").fill("Mahnungen mit rotem Stempel")
    sees.locator(".kit-add input").press("Enter")
    expect(sees.locator(".kit-note-text")).to_have_text("Mahnungen mit rotem Stempel")
    assert [r["text"] for r in items(path, "empathy_map", area="sees")] == ["Mahnungen mit rotem Stempel"]
    board.screenshot(path=str(screenshots / "empathy_map.png"))


def test_participant_gets_touchpoint_controls_only_on_their_own(lab, browser, make_notebook, open_notebook,
                                                                 tmp_path, screenshots):
    from playwright.sync_api import expect

    path = tmp_path / "tp_roles.workshop"
    with kit.new(path, title="Touchpoints", language="en", actor="setup", personas=["Ida"]) as ws:
        tm = ws.canvas("touchpoint_map")
        sample = tm.add("contact", "Hotline")  # no author: the facilitator's
        bens = tm.add("contact", "Ben's letter", author="Ben", team="Blue")
    cells = ["import kit\nfrom kit.widgets import show", f"ws = kit.open({str(path)!r}, actor='setup')",
             "show(ws, 'touchpoint_map', participant='Anna', team='Blue')"]
    make_notebook("tp_anna.ipynb", cells)
    page = open_notebook(browser.new_context(viewport={"width": 1700, "height": 1200}), "tp_anna.ipynb")
    tpmap = page.locator(".kit-tp-root")
    contact = tpmap.locator(".kit-cell-touchpoints[data-stage='contact']")
    contact.locator(".kit-add input").fill("Anna's chat")
    contact.locator(".kit-add input").press("Enter")
    expect(contact.locator(".kit-tp-name", has_text="Anna's chat")).to_be_visible()
    (annas,) = [t for t in items(path, "touchpoint_map") if t["name"] == "Anna's chat"]
    assert (annas["author"], annas["team"]) == ("Anna", "Blue")

    mine = tpmap.locator(f".kit-tp[data-id='{annas['id']}']")
    expect(mine.locator("button[data-action='delete']")).to_have_count(1)
    expect(mine).to_have_attribute("draggable", "true")
    for other in (sample, bens):
        card = tpmap.locator(f".kit-tp[data-id='{other}']")
        expect(card).to_have_count(1)
        expect(card.locator(".kit-note-actions")).to_have_count(0)  # no move or delete buttons
        expect(card).to_have_attribute("draggable", "false")
        expect(card.locator("button[data-action='mot']")).to_be_disabled()
        block = tpmap.locator(f".kit-cell-ratings .kit-tp-block[data-id='{other}']")
        for button in block.locator("button").all():
            expect(button).to_be_disabled()
        card.locator(".kit-tp-name").click()  # not an editor: clicking the name opens no input
        expect(card.locator("input, textarea")).to_have_count(0)
    ratings = tpmap.locator(f".kit-cell-ratings .kit-tp-block[data-id='{annas['id']}']")
    ratings.locator(".kit-rating-ist_rating button[data-value='3']").click()
    expect(ratings.locator(".kit-rating-ist_rating button[data-value='3']")).to_have_attribute("aria-pressed", "true")
    # read by this test process while the kernel holds two connections (facilitator and Anna)
    assert items(path, "touchpoint_map", id=annas["id"])[0]["ist_rating"] == 3
    assert items(path, "touchpoint_map", id=bens)[0]["ist_rating"] is None
    ratings.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "touchpoint_map_participant.png"))


# Geometry of the drawn canvas, measured in the page. Every note is first scrolled into view inside its
# area (the areas scroll), then its box is compared with its area's box and, in the circle, with the circle.
GEOMETRY = """root => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const square = root.querySelector('.kit-vpc-square'), circle = root.querySelector('.kit-vpc-circle');
  const notes = [];
  for (const note of root.querySelectorAll('.kit-vpc .kit-note')) {
    note.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const area = note.closest('.kit-area');
    notes.push({ id: note.dataset.id, area: area.dataset.area, inCircle: circle.contains(note), note: box(note),
                 areaBox: box(area), circle: box(circle), square: box(square) });
  }
  for (const list of root.querySelectorAll('.kit-notes')) list.scrollTop = 0;
  root.scrollIntoView({ block: 'start' });
  const areas = [...root.querySelectorAll('.kit-vpc .kit-area')].map((a) => {
    const list = a.querySelector('.kit-notes');
    return { area: a.dataset.area, box: box(a), inCircle: circle.contains(a),
             count: a.querySelector('.kit-count').textContent.trim(),
             notes: a.querySelectorAll('.kit-note').length, overflowY: getComputedStyle(list).overflowY,
             scrolls: list.scrollHeight > list.clientHeight, sideways: list.scrollWidth > list.clientWidth + 1,
             fontPx: parseFloat(getComputedStyle(a.querySelector('.kit-note') || a).fontSize) };
  });
  return { square: box(square), circle: box(circle), root: box(root), areas, notes,
           viewport: [window.innerWidth, window.innerHeight] };
}"""


def corners_in_circle(rect, circle, margin: float = 2.0) -> bool:
    cx, cy = (circle[0] + circle[2]) / 2, (circle[1] + circle[3]) / 2
    radius = (circle[2] - circle[0]) / 2
    return all(((x - cx) ** 2 + (y - cy) ** 2) ** 0.5 <= radius + margin
               for x in (rect[0], rect[2]) for y in (rect[1], rect[3]))


def inside(inner, outer, margin: float = 1.0) -> bool:
    return (inner[0] >= outer[0] - margin and inner[1] >= outer[1] - margin
            and inner[2] <= outer[2] + margin and inner[3] <= outer[3] + margin)


@pytest.mark.parametrize("width,height", [(1280, 800), (1920, 1080)])
def test_vpc_sample_fits_a_projector(lab, browser, make_notebook, open_notebook, tmp_path, screenshots, width, height):
    """The German sample (4-6 notes per area) keeps the square square and the circle round, every note
    inside its area (and the circle), and the whole widget within one projector screen."""
    from playwright.sync_api import expect

    path = tmp_path / "sample.workshop"
    kit.demo(path, "de").close()
    expected = {a: len(items(path, area=a)) for a in
                ("products", "gain_creators", "pain_relievers", "gains", "pains", "jobs")}
    assert all(4 <= n <= 6 for n in expected.values()), expected
    make_notebook(f"vpc_sample_{width}.ipynb", notebook_cells(path, "lena", "value_proposition"))
    context = browser.new_context(viewport={"width": width, "height": height})
    page = open_notebook(context, f"vpc_sample_{width}.ipynb")
    vpc = page.locator(".kit-vpc-root")
    expect(vpc.locator(".kit-note")).to_have_count(sum(expected.values()))
    g = vpc.evaluate(GEOMETRY)
    page.screenshot(path=str(screenshots / f"vpc_sample_{width}.png"))

    sq, ci = g["square"], g["circle"]
    for shape in (sq, ci):
        w, h = shape[2] - shape[0], shape[3] - shape[1]
        assert abs(w - h) < 0.02 * w, (w, h)
        assert w >= 300, w  # big enough to read
    assert sq[2] <= ci[0] and abs((sq[1] + sq[3]) - (ci[1] + ci[3])) < 4, (sq, ci)  # side by side, square left
    assert g["root"][3] - g["root"][1] <= height, (g["root"], height)  # the widget fits the screen
    for a in g["areas"]:
        assert a["count"] == str(expected[a["area"]]) == str(a["notes"]), a
        assert inside(a["box"], ci if a["inCircle"] else sq), a
        if a["inCircle"]:
            assert corners_in_circle(a["box"], ci), a
        assert a["overflowY"] in ("auto", "scroll") and not a["sideways"], a
        assert a["fontPx"] >= 11.5, a
    assert {a["inCircle"] for a in g["areas"] if a["area"] in ("gains", "pains", "jobs")} == {True}
    for n in g["notes"]:
        assert inside(n["note"], n["areaBox"]), n
        if n["inCircle"]:
            assert corners_in_circle(n["note"], n["circle"]), n
        else:
            assert inside(n["note"], n["square"]), n

    # focus mode: the area title enlarges the area (mouse and keyboard); Escape / the title closes it
    pains = vpc.locator("section[data-area='pains']")
    title = pains.locator(".kit-area-title")
    small = pains.bounding_box()
    title.click()
    expect(pains).to_have_class(has_class("kit-focused"))
    expect(title).to_have_attribute("aria-expanded", "true")
    big = pains.bounding_box()
    assert big["width"] > 1.8 * small["width"] and big["height"] > 1.8 * small["height"], (small, big)
    if width == 1920:
        page.screenshot(path=str(screenshots / "vpc_sample_focus.png"))
    title.click()
    expect(pains).not_to_have_class(has_class("kit-focused"))
    title.focus()
    page.keyboard.press("Enter")
    expect(pains).to_have_class(has_class("kit-focused"))
    note(page, items(path, area="pains")[0]["text"][:20]).focus()
    page.keyboard.press("Escape")
    expect(pains).not_to_have_class(has_class("kit-focused"))
    assert len(items(path, area="pains")) == expected["pains"]  # looking never changes the workshop
    context.close()
