"""Accessibility and layout of the live canvases in a real JupyterLab (Chromium):

* an axe-core audit (axe-playwright-python ships axe.min.js; nothing is fetched) of every canvas
  widget on a phone (390x844) and a laptop (1280x800): no serious or critical violation;
* on a phone no widget scrolls sideways and one area shows at a time behind a switcher;
* at 1280x800 with the file browser open, the Value Proposition Canvas cuts no area title
  and each area of the German sample shows at least three notes without scrolling;
* screenshots at 390x844, 768x1024, 1280x800 and 1920x1080 in artifacts/a11y/.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kit

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "a11y"
SIZES = {"phone": (390, 844), "tablet": (768, 1024), "laptop": (1280, 800), "desktop": (1920, 1080)}
CANVASES = ["value_proposition", "empathy_map", "observation_board", "hypothesis_board", "idea_board", "touchpoint_map"]


def serious(page: Any, selector: str) -> list[str]:
    """axe's serious and critical violations inside ``selector``: "rule: target" lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [[selector]]})
    return [f"{v['id']}: {n['target']} {n.get('failureSummary', '')[:160]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical") for n in v["nodes"]]


def sideways(page: Any) -> list[str]:
    """Widgets (and their note lists) wider than the room they are given, with their widest part."""
    return page.evaluate("""() => [...document.querySelectorAll('.kit-root, .kit-root .kit-notes, .kit-root .kit-area')]
        .filter((n) => n.offsetParent && n.scrollWidth > n.clientWidth + 1)
        .map((n) => {
          const right = n.getBoundingClientRect().right;
          const wide = [...n.querySelectorAll('*')].find((c) => c.getBoundingClientRect().right > right + 1);
          return `${n.className} ${n.scrollWidth}>${n.clientWidth} (${wide ? wide.className || wide.tagName : ''})`;
        })""")


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("a11y") / "de.workshop"
    kit.demo(path, "de", actor="moderation").close()
    return path


def sidebar(page: Any, open_: bool) -> None:
    """Open or close JupyterLab's file browser (the left sidebar), as a user would with its tab."""
    tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab[data-id='filebrowser']")
    if (tab.get_attribute("class") or "").count("lm-mod-current") != open_:
        tab.click()
    page.wait_for_function("(o) => !!document.querySelector('#filebrowser:not(.lm-mod-hidden)') === o", arg=open_)


VPC_READABLE = """(vpc) => {
  const out = {cut: [], few: [], outside: []};
  const circle = vpc.querySelector('.kit-vpc-circle').getBoundingClientRect();
  const cx = circle.left + circle.width / 2, cy = circle.top + circle.height / 2, r = circle.width / 2;
  for (const area of vpc.querySelectorAll('.kit-area')) {
    const title = area.querySelector('.kit-area-title');
    const box = area.getBoundingClientRect(), t = title.getBoundingClientRect();
    if (title.scrollWidth > title.clientWidth + 1 || t.left < box.left - 1 || t.right > box.right + 1
        || t.top < box.top - 1 || t.bottom > box.bottom + 1) out.cut.push(title.textContent);
    const list = area.querySelector('.kit-notes'), l = list.getBoundingClientRect();
    const notes = [...list.querySelectorAll('.kit-note')];
    const whole = notes.filter((n) => n.getBoundingClientRect().bottom <= l.top + list.clientHeight + 1);
    if (whole.length < Math.min(3, notes.length)) {
      out.few.push(`${area.dataset.area}: ${whole.length} of ${notes.length}`);
    }
    if (area.closest('.kit-vpc-circle')) {
      for (const n of [title, ...whole, area.querySelector('.kit-add')]) {
        const b = n.getBoundingClientRect();
        for (const [x, y] of [[b.left, b.top], [b.right, b.top], [b.left, b.bottom], [b.right, b.bottom]]) {
          if (Math.hypot(x - cx, y - cy) > r + 2) {
            const at = [x - circle.left, y - circle.top].map((v) => Math.round(v * 100 / circle.width));
            out.outside.push(`${area.dataset.area}: ${n.className} at ${at[0]}%,${at[1]}%`);
            break;
          }
        }
      }
    }
  }
  return out;
}"""


def test_widgets_at_every_size(lab, browser, make_notebook, open_notebook, german) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    make_notebook("a11y.ipynb", ["import kit\nfrom kit.widgets import show",
                                 f"ws = kit.open({str(german)!r}, actor='anna')",
                                 *(f"show(ws, {c!r})" for c in CANVASES)])
    width, height = SIZES["laptop"]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = open_notebook(context, "a11y.ipynb")
    page.wait_for_function(f"document.querySelectorAll('.kit-root').length === {len(CANVASES)}", timeout=60_000)
    roots = page.locator(".kit-root")
    problems: dict[str, Any] = {}

    # a laptop with the file browser open: the VPC is readable
    sidebar(page, True)
    vpc = page.locator(".kit-vpc-root")
    vpc.scroll_into_view_if_needed()
    for shape in ("square", "circle"):
        vpc.locator(f".kit-vpc-{shape}").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"value_proposition_{shape}_laptop_filebrowser_1280x800.png"))
    readable = vpc.evaluate(VPC_READABLE)
    if any(readable.values()):
        problems["vpc at 1280x800 beside the file browser"] = readable

    sidebar(page, False)
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(f"document.querySelector('.kit-root').getBoundingClientRect().width < {width}")
        for i, canvas in enumerate(CANVASES):
            roots.nth(i).evaluate("(n) => n.scrollIntoView({block: 'start'})")  # what a user sees: the window
            page.screenshot(path=str(ARTIFACTS / f"{canvas}_{name}_{width}x{height}.png"))
        if name == "laptop":
            readable = vpc.evaluate(VPC_READABLE)
            if any(readable.values()):
                problems["vpc at 1280x800"] = readable
        if name in ("phone", "laptop"):
            found = serious(page, ".kit-widget")
            if found:
                problems[f"axe {name}"] = found
        if name == "phone":
            wide = sideways(page)
            if wide:
                problems["sideways on a phone"] = wide
            # one area at a time, its switcher names every area in full
            for i in range(len(CANVASES) - 1):  # the touchpoint map has stages, not areas
                root = roots.nth(i)
                assert root.locator(".kit-area:visible").count() == 1, CANVASES[i]
                switches = root.locator(".kit-switch")
                assert switches.count() == root.locator(".kit-area").count() > 1
                cut = switches.evaluate_all("(ns) => ns.filter((n) => n.scrollWidth > n.clientWidth + 1).length")
                assert cut == 0, CANVASES[i]
                small = root.locator("button:visible, input:visible").evaluate_all(
                    "(ns) => ns.filter((n) => n.getBoundingClientRect().height < 43.5).map((n) => n.className)")
                assert not small, CANVASES[i]
    assert not problems, problems


def tab_to(page: Any, selector: str, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``: reachable by keyboard."""
    for _ in range(limit):
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{selector} not reached with {'Shift+' if backwards else ''}Tab")


def test_a_note_through_every_action_by_keyboard_alone(lab, browser, make_notebook, open_notebook, tmp_path) -> None:
    """add -> edit -> move -> rank -> colour -> vote -> link -> delete -> undo, keys only; the store after each."""
    from playwright.sync_api import expect

    from kit import facilitation
    from test_canvas_ui import has_class, items, note

    path = tmp_path / "keys.workshop"
    with kit.new(path, title="Keys", language="en", actor="setup") as ws:
        facilitation.open_vote(ws, "value_proposition", budget=3)
        colours = ws.canvas("value_proposition").declaration["colors"]
    make_notebook("keys.ipynb", ["import kit\nfrom kit.widgets import show",
                                 f"ws = kit.open({str(path)!r}, actor='alice')", "show(ws, 'value_proposition')"])
    page = open_notebook(browser.new_context(viewport={"width": 1280, "height": 800}), "keys.ipynb")
    vpc = page.locator(".kit-vpc-root")
    focused = "(s) => document.activeElement && document.activeElement.matches(s)"
    vpc.locator("[data-action='undo']").focus()  # where a Tab into the output lands; keys only from here

    # add
    tab_to(page, "section[data-area='pains'] .kit-add input")
    page.keyboard.type("Forty minutes on hold")
    page.keyboard.press("Enter")
    expect(note(page, "Forty minutes on hold")).to_be_visible()
    (pain,) = items(path, area="pains")
    key = f".kit-note[data-key='note:{pain['id']}']"

    # edit: Enter opens the editor, Enter saves, the focus is back on the note
    tab_to(page, key, backwards=True)
    page.keyboard.press("Enter")
    page.keyboard.press("Control+a")
    page.keyboard.type("Sixty minutes on hold")
    page.keyboard.press("Enter")
    expect(note(page, "Sixty minutes on hold")).to_be_visible()
    page.wait_for_function(focused, arg=key)
    assert items(path, id=pain["id"])[0]["text"] == "Sixty minutes on hold"

    # move to the previous area and back (Alt+arrows); the note keeps the focus
    page.keyboard.press("Alt+ArrowLeft")
    expect(vpc.locator(f"section[data-area='jobs'] {key}")).to_be_visible()
    assert items(path, id=pain["id"])[0]["area"] == "jobs"
    page.wait_for_function(focused, arg=key)
    page.keyboard.press("Alt+ArrowRight")
    expect(vpc.locator(f"section[data-area='pains'] {key}")).to_be_visible()
    assert items(path, id=pain["id"])[0]["area"] == "pains"

    # rank with a digit, colour with C (its name is written on the note), a dot with +
    page.wait_for_function(focused, arg=key)
    page.keyboard.press("4")
    expect(vpc.locator(f"{key} button.kit-pip[data-rank='4']")).to_have_attribute("aria-pressed", "true")
    assert items(path, id=pain["id"])[0]["rank"] == 4
    page.keyboard.press("c")
    expect(vpc.locator(f"{key} .kit-badge-colour")).to_have_text("Yellow")
    assert items(path, id=pain["id"])[0]["color"] == colours[0]
    page.keyboard.press("+")
    expect(vpc.locator(f"{key} .kit-vote-count")).to_have_text("● 1")
    assert items(path, id=pain["id"])[0]["votes"] == {"alice": 1}

    # link: a reliever, L on it, then Enter on the pain
    tab_to(page, "section[data-area='pain_relievers'] .kit-add input", backwards=True)
    page.keyboard.type("Call-back instead of queue")
    page.keyboard.press("Enter")
    expect(note(page, "Call-back instead of queue")).to_be_visible()
    (reliever,) = items(path, area="pain_relievers")
    tab_to(page, f".kit-note[data-key='note:{reliever['id']}']", backwards=True)
    page.keyboard.press("l")
    expect(vpc.locator(".kit-banner-link")).to_be_visible()
    tab_to(page, key)
    page.keyboard.press("Enter")
    expect(vpc.locator(key)).to_have_class(has_class("kit-linked"))
    assert items(path, id=reliever["id"])[0]["fit"] == [pain["id"]]
    page.keyboard.press("Escape")
    expect(vpc.locator(".kit-banner-link")).to_have_count(0)

    # delete, then undo (the focus stays in the widget, so Ctrl+Z reaches it)
    page.keyboard.press("Delete")
    expect(vpc.locator(key)).to_have_count(0)
    assert items(path, area="pains") == []
    page.wait_for_function(focused, arg="section[data-area='pains'] .kit-notes")
    page.keyboard.press("Control+z")
    expect(note(page, "Sixty minutes on hold")).to_be_visible()
    assert [r["text"] for r in items(path, area="pains")] == ["Sixty minutes on hold"]


def test_html_report_passes_axe(browser, german, tmp_path) -> None:
    from kit.report import export

    with kit.open(german, actor="moderation") as ws:
        written = export(ws, html=tmp_path / "report.html", progress=False)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(written["html"].as_uri())
    assert page.evaluate("document.documentElement.lang") == "de"
    found = serious(page, "body")
    page.screenshot(path=str(ARTIFACTS / "report_1280x800.png"))
    page.close()
    assert not found, found
