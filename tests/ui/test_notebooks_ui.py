"""The notebook sequence as a new facilitator meets it: JupyterLab, Chromium, the German sample.

One JupyterLab (a free port, token, temp config) serves temp copies of notebooks 00..07
with ``KIT_WORKSHOP`` pointing at a copy of the German sample. Each notebook is opened, run
from the Run menu, waited on until every cell has run and the kernel is idle, checked for
error output and photographed whole (artifacts/notebooks/ui_<nb>.png). Then the facilitator
helpers are driven in the browser; every check ends in the store or in a state the page
reports, and the test process writes to the workshop as another kernel would.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import kit
from kit import agenda, facilitation
from labserver import Lab, chromium, jupyterlab, lab_folders, run_all_cells, write_notebook

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SHOTS = ROOT / "artifacts" / "notebooks"
WIDTH = 1400
RUN_TIMEOUT = 240_000  # ms for a whole notebook; 07 writes the PDF report

# Counts every oscillator the page starts: the timer's beep is three of them.
AUDIO_HOOK = """
window.__kitOscillators = 0;
for (const name of ["AudioContext", "webkitAudioContext"]) {
  const Original = window[name];
  if (!Original) continue;
  window[name] = class extends Original {
    createOscillator() {
      const osc = super.createOscillator();
      const start = osc.start.bind(osc);
      osc.start = (...args) => { window.__kitOscillators += 1; return start(...args); };
      return osc;
    }
  };
}
"""

TOOLS = ["from kit import notebook as nb\nws = nb.open_workshop()", "nb.agenda_view(ws)", "nb.timer(ws, '01_observe')",
         "nb.interviews(ws)"]


@dataclass
class SampleLab(Lab):
    """The module's JupyterLab and the workshop its notebooks open (``KIT_WORKSHOP``)."""

    workshop: Path


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleLab]:
    """JupyterLab on a copy of the German sample, as `make lab` starts it, but private to this module."""
    base, root = lab_folders(tmp_path_factory, "notebooks-lab")
    for path in NOTEBOOKS:  # copies: executed notebooks are never written back into notebooks/
        shutil.copyfile(path, root / path.name)
    write_notebook(root / "tools.ipynb", TOOLS)
    workshop = base / "sample_de.workshop"
    kit.demo(workshop, "de", actor="setup").close()

    # every cell rendered, so the screenshot shows the whole notebook
    settings = {("notebook-extension", "tracker"): {"windowingMode": "none"}}
    env = {"KIT_WORKSHOP": str(workshop), "KIT_USER": "moderatorin"}
    with jupyterlab(base, root, env, settings) as running:
        yield SampleLab(running.url, running.token, running.root, workshop)


@pytest.fixture(scope="module")
def context(lab: SampleLab):
    with chromium() as browser:
        # a German facilitator's browser: dates and numbers in the browser's own controls follow it
        ctx = browser.new_context(viewport={"width": WIDTH, "height": 1000}, locale="de-DE",
                                  timezone_id="Europe/Berlin")
        ctx.add_init_script(AUDIO_HOOK)
        yield ctx
        ctx.close()


def run_notebook(context, lab: SampleLab, name: str):
    """Open ``name``, run all cells from the menu and wait until every cell ran and the kernel is idle."""
    page = context.new_page()
    page.kit_dialogs = []
    page.on("dialog", lambda d: (page.kit_dialogs.append(d.message), d.dismiss()))
    page.goto(lab.tree(name))
    run_all_cells(page)
    # done: every code cell has a number (none "[*]" or "[ ]") and the kernel says Idle
    page.wait_for_function(
        """() => {
          const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
          const idle = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
            .some(e => /\\| Idle/.test(e.textContent));
          return idle && prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=RUN_TIMEOUT, polling=250)
    return page


def error_outputs(page) -> list[str]:
    """Text of every stderr output and of every output that shows a traceback."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
        .filter(e => e.dataset.mimeType === 'application/vnd.jupyter.stderr' || /Traceback/.test(e.textContent))
        .map(e => e.textContent.slice(0, 2000))""")


def screenshot_whole(page, path: Path) -> None:
    """A tall viewport that fits every cell: the screenshot shows the notebook as one scrolls it."""
    height = page.evaluate("""() => {
        const inner = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-inner')
                      || document.querySelector('.jp-NotebookPanel .jp-Notebook');
        return inner ? inner.scrollHeight : 1000; }""")
    page.set_viewport_size({"width": WIDTH, "height": min(int(height) + 260, 16_000)})
    # Run All leaves the notebook scrolled to its last cell: back to the top, as one starts reading
    page.evaluate("""() => { document.activeElement && document.activeElement.blur();
        for (const e of document.querySelectorAll('.jp-NotebookPanel .jp-WindowedPanel-outer')) e.scrollTop = 0; }""")
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-NotebookPanel .jp-WindowedPanel-outer')]
        .every(e => e.scrollTop === 0)""")
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": WIDTH, "height": 1000})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_sequence_runs_in_jupyterlab(lab: SampleLab, context, path: Path) -> None:
    """Each notebook in order on the same sample: runs clean, widgets render, nothing escapes as HTML."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = run_notebook(context, lab, path.name)
    try:
        errors = error_outputs(page)
        text = page.locator(".jp-Notebook").inner_text()
        # every notebook shows its header, the agenda and the timer (rendered by the browser, not as text)
        page.locator(f'.kit-step[data-step="{path.stem}"]').wait_for(timeout=30_000)
        page.locator(".kit-agenda li").first.wait_for(timeout=30_000)
        page.locator(".kit-timer .kit-timer-digits").first.wait_for(timeout=30_000)
        screenshot_whole(page, SHOTS / f"ui_{path.stem}.png")
        assert not errors, f"{path.name}: error output:\n" + "\n---\n".join(errors)
        assert "Traceback" not in text, f"{path.name}: a traceback in the notebook"
        assert "Error displaying widget" not in text and "model not found" not in text, path.name
        assert page.kit_dialogs == [], page.kit_dialogs
        # the facilitator's notebook moves the room: the agenda highlights this step (08: the follow-ups')
        current = page.locator('.kit-agenda li[data-state="current"]')
        assert current.first.get_attribute("data-step") == path.stem
    finally:
        page.close()
        lab.close_kernels()
    with kit.open(lab.workshop, actor="test-reader") as ws:
        assert facilitation.step(ws) == path.stem
        if path.stem == "07_plan":
            export = lab.workshop.parent / f"{lab.workshop.stem}-export"
            assert (export / "follow-ups.ics").stat().st_size > 0
            assert (export / "report.pdf").read_bytes()[:5] == b"%PDF-"
            assert len(ws.followups) >= 3
        if path.stem == "08_follow_up":
            export = lab.workshop.parent / f"{lab.workshop.stem}-export"
            assert (export / "status-review.pdf").read_bytes()[:5] == b"%PDF-"


def test_follow_up_records_a_kpi_value_and_an_action_status(lab: SampleLab, context) -> None:
    """Notebook 08 in the browser: a KPI value through the measurement form, a to-do's status through its form."""
    from playwright.sync_api import expect

    from kit import i18n

    page = run_notebook(context, lab, "08_follow_up.ipynb")
    try:
        form = page.locator(".kit-measurement-form")
        form.locator(".widget-dropdown select").select_option(index=1)  # the second KPI
        form.locator(".widget-datepicker input").fill("2027-01-31")
        form.locator(".widget-text", has_text="Wert").locator("input").fill("44,7")
        note = "Januar <b>stark</b> & 🎉"
        form.locator(".widget-text", has_text="Notiz").locator("input").fill(note)
        form.locator("button", has_text="Speichern").click()
        expect(form.locator("div.widget-label")).to_contain_text("Gespeichert")
        actions = page.locator(".kit-form-actions")
        actions.locator(".widget-dropdown", has_text="Eintrag").locator("select").select_option(index=7)
        what = actions.locator(".widget-textarea textarea")
        expect(what).not_to_have_value("")  # the picked to-do is loaded (kernel round trip)
        done = i18n.t("forms.action_status_done", "de")
        actions.locator(".widget-dropdown", has_text="Status").locator("select").select_option(label=done)
        actions.locator("button", has_text="Speichern").click()
        expect(actions.locator("div.widget-label")).to_contain_text("Gespeichert")
        form.screenshot(path=str(SHOTS / "ui_08_measurement.png"))
        actions.screenshot(path=str(SHOTS / "ui_08_action.png"))
    finally:
        page.close()
        lab.close_kernels()
    with kit.open(lab.workshop, actor="test-reader") as ws:
        kpi = ws.kpis.all()[1]
        assert kpi["measurements"][-1] == {"date": "2027-01-31", "value": 44.7, "note": note}
        assert ws.actions[7]["status"] == "done"


@pytest.fixture(scope="module")
def tools(lab: SampleLab, context):
    """A scratch notebook with the agenda, the timer and the interview widget, run once."""
    page = run_notebook(context, lab, "tools.ipynb")
    page.locator(".kit-iv").wait_for(timeout=30_000)
    assert not error_outputs(page)
    yield page
    page.close()
    lab.close_kernels()


def test_agenda_follows_the_step_set_elsewhere(lab: SampleLab, tools) -> None:
    from playwright.sync_api import expect

    with kit.open(lab.workshop, actor="co-facilitator") as ws:
        for step_id in ("03_interviews", "06_touchpoints", "08_follow_up"):
            facilitation.set_step(ws, step_id)  # another process, as a second kernel would
            current = tools.locator('.kit-agenda li[data-state="current"]')
            expect(current).to_have_count(1)
            expect(current).to_have_attribute("data-step", step_id)
            expect(tools.locator('.kit-agenda li[data-state="done"]')).to_have_count(agenda.NOTEBOOK_IDS.index(step_id))
            title = agenda.step(step_id, "de").title
            expect(current.locator(".kit-agenda-title")).to_have_text(title)
            # highlighted, not only marked: the current row has its own background
            background = current.evaluate("e => getComputedStyle(e).backgroundColor")
            others = tools.locator('.kit-agenda li[data-state="next"], .kit-agenda li[data-state="done"]')
            other = others.first.evaluate("e => getComputedStyle(e).backgroundColor")
            assert background != other
    expect(tools.locator(".kit-agenda li.kit-agenda-after")).to_have_text(  # the follow-ups come after the day
        "Nach dem Workshop – bei jedem Teamtermin und jeder Statusrunde")
    tools.screenshot(path=str(SHOTS / "ui_agenda_at_follow_up.png"))
    # and the facilitator's click moves the room (browser -> kernel -> store)
    tools.locator('.kit-agenda li[data-step="04_synthesis"] .kit-agenda-go').click()
    expect(tools.locator('.kit-agenda li[data-state="current"]')).to_have_attribute("data-step", "04_synthesis")
    with kit.open(lab.workshop, actor="test-reader") as ws:
        assert facilitation.step(ws) == "04_synthesis"
    tools.locator(".kit-agenda").screenshot(path=str(SHOTS / "ui_agenda.png"))


def test_timer_counts_down_flashes_and_beeps(lab: SampleLab, tools) -> None:
    from playwright.sync_api import expect

    timer = tools.locator(".kit-timer")
    digits = timer.locator(".kit-timer-digits")
    with kit.open(lab.workshop, actor="co-facilitator") as ws:
        facilitation.start_timer(ws, 2, "Beobachten")
        expect(timer).to_have_attribute("data-state", "running")
        expect(digits).to_have_text(re.compile(r"^0[12]:\d\d$"))
        expect(timer.locator(".kit-timer-label")).to_have_text("Beobachten")
        before = tools.evaluate("() => window.__kitOscillators")
        facilitation.start_timer(ws, 0.05, "Kurz")  # 3 seconds
        expect(timer).to_have_attribute("data-state", "warning")
        expect(digits).to_have_text(re.compile(r"^00:0[0-3]$"))
        expect(timer).to_have_attribute("data-state", "done", timeout=10_000)
    expect(digits).to_have_text("00:00")
    expect(timer.locator(".kit-timer-label")).to_contain_text("Kurz")
    assert timer.evaluate("e => getComputedStyle(e).animationName") == "kit-timer-flash"
    tools.wait_for_function("n => window.__kitOscillators >= n + 3", arg=before, timeout=5_000)
    expect(timer).to_have_attribute("data-beeped", "yes")
    timer.screenshot(path=str(SHOTS / "ui_timer_done.png"))
    # stop from the page: back to the preset timebox, no more flashing
    timer.locator(".kit-timer-stop").click()
    expect(timer).to_have_attribute("data-state", "idle")
    with kit.open(lab.workshop, actor="test-reader") as ws:
        assert facilitation.timer(ws)["running"] is False


def test_interview_notes_and_coding_by_keyboard(lab: SampleLab, tools) -> None:
    from playwright.sync_api import expect

    widget = tools.locator(".kit-iv")
    widget.locator(".kit-iv-new").click()
    widget.locator(".kit-iv-pseudonym").fill("Herr K. 🎉")
    widget.locator(".kit-iv-segment").fill("Erstschuldner")
    widget.locator(".kit-iv-format").select_option("walk_and_talk")
    notes = widget.locator(".kit-iv-notes")
    quote = "Ich wollte zahlen, aber nicht so."
    notes.click()
    notes.type(f"Er sagt: {quote}")
    widget.locator(".kit-iv-save").click()
    expect(widget.locator(".kit-iv-status")).to_have_attribute("data-kind", "ok")
    with kit.open(lab.workshop, actor="test-reader") as ws:
        (interview,) = [i for i in ws.interviews if i["pseudonym"] == "Herr K. 🎉"]
        assert (interview["segment"], interview["format"]) == ("Erstschuldner", "walk_and_talk")
        assert interview["notes"] == f"Er sagt: {quote}"
        before = len(ws.evidence)
        chosen = sorted(ws.hypotheses, key=lambda h: (not h["selected"], h["id"]))[0]

    # select the quote with the keyboard, pick hypothesis [1] and code it as supporting
    notes.press("End")
    for _ in quote:
        notes.press("Shift+ArrowLeft")
    assert notes.evaluate("n => n.value.slice(n.selectionStart, n.selectionEnd)") == quote
    notes.press("Alt+1")
    expect(widget.locator(".kit-iv-hypothesis")).to_have_value(str(chosen["id"]))
    notes.press("Alt+s")
    row = widget.locator(".kit-iv-evidence .kit-iv-item", has_text=quote)
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-stance", "supports")
    # a new insight needs no hypothesis: Alt+N on the snippet field
    widget.locator(".kit-iv-hypothesis").select_option("")
    snippet = widget.locator(".kit-iv-snippet")
    snippet.fill("Wünscht sich Ratenplan per App")
    snippet.press("Alt+n")
    expect(widget.locator(".kit-iv-evidence .kit-iv-item")).to_have_count(2)
    widget.screenshot(path=str(SHOTS / "ui_interview.png"))

    with kit.open(lab.workshop, actor="test-reader") as ws:
        coded = [e for e in ws.evidence if e["interview"] == interview["id"]]
        assert len(ws.evidence) == before + 2
        assert {(e["snippet"], e["stance"], e["hypothesis"]) for e in coded} == {
            (quote, "supports", chosen["id"]), ("Wünscht sich Ratenplan per App", "new_insight", None)}
