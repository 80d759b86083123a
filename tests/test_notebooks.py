"""The facilitator's notebooks: thin, committed without outputs, and executable top to bottom.

Each notebook runs headless in its own kernel (nbclient) against the German sample, the
English sample and a freshly created empty workshop, in sequence on one workshop file as a
facilitator would. Afterwards the workshop must hold what was worked out by hand, and a
second run must not add anything twice.
"""
from __future__ import annotations

import ast
import datetime as dt
import itertools
import json
from pathlib import Path

import icalendar
import nbformat
import pytest
from nbclient import NotebookClient

import kit
from kit import agenda, synthesis, tracking

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 180  # seconds per cell; the PDF export is the slowest

FORBIDDEN = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.For, ast.AsyncFor, ast.While, ast.If,
             ast.IfExp, ast.Try, ast.With, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
             ast.GeneratorExp)

# After running the whole sequence on a sample, by hand (see tests/test_synthesis.py):
# learning cards: 3 in the file + drafts for the decided hypotheses without a card
# (de: 2 and 4; en: 2 and 6); everything else must be exactly as loaded.
AFTER = {
    "de": {"observations": 16, "hypotheses": 9, "interviews": 7, "evidence": 32, "learning_cards": 5,
           "canvas_items": 37, "touchpoints": 18, "ideas": 13, "actions": 9, "kpis": 5, "followups": 6},
    "en": {"observations": 16, "hypotheses": 9, "interviews": 7, "evidence": 29, "learning_cards": 5,
           "canvas_items": 36, "touchpoints": 19, "ideas": 13, "actions": 9, "kpis": 5, "followups": 6},
}
STATUSES = {
    "de": {1: "confirmed", 2: "confirmed", 3: "refuted", 4: "refuted", 5: "confirmed", 6: "testing",
           7: "open", 8: "open", 9: "open"},
    "en": {1: "confirmed", 2: "confirmed", 3: "refuted", 4: "confirmed", 5: "testing", 6: "refuted",
           7: "open", 8: "open", 9: "open"},
}


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def code_of(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in cells(path) if c["cell_type"] == "code"]


# --------------------------------------------------------------------------- static checks
def test_sequence_matches_the_agenda() -> None:
    assert [p.stem for p in NOTEBOOKS] == list(agenda.NOTEBOOK_IDS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
        assert "execution" not in cell.get("metadata", {}), f"{path.name}: execution timing metadata"
    assert "widgets" not in nb.metadata, f"{path.name}: saved widget state"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin(path: Path) -> None:
    """Cells call the kit: no def, class, loop, condition, comprehension or lambda."""
    for source in code_of(path):
        tree = ast.parse(source)
        bad = [type(node).__name__ for node in ast.walk(tree) if isinstance(node, FORBIDDEN)]
        assert not bad, f"{path.name}: logic in a cell ({', '.join(bad)}):\n{source}"
        assert len(source.splitlines()) <= 6, f"{path.name}: a long cell:\n{source}"
        imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert all(isinstance(n, ast.ImportFrom) and (n.module or "").startswith("kit") for n in imports), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_opens_with_bilingual_title_and_header(path: Path) -> None:
    first = cells(path)[0]
    text = "".join(first["source"])
    assert first["cell_type"] == "markdown" and text.startswith(f"# {path.stem[:2]} ·")
    assert "**DE:**" in text and "**EN:**" in text
    code = "\n".join(code_of(path))
    assert f'STEP = "{path.stem}"' in code
    assert "nb.header(ws, STEP)" in code and "nb.timer(ws, STEP)" in code and "nb.agenda_view(ws)" in code


def test_plan_notebook_ends_with_calendar_and_report() -> None:
    code = code_of(ROOT / "notebooks" / "07_plan.ipynb")
    assert code[-1].strip() == "nb.export_report(ws)"
    assert any("nb.export_calendar(ws)" in c for c in code)


# --------------------------------------------------------------------------- execution
def run(path: Path, workdir: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    for cell in nb.cells:  # an exception shown by a widget callback or a library lands on stderr
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("name") == "stderr" else ""
            assert not any(word in text for word in ("Traceback", "Error", "Exception")), \
                f"{path.name}: error output in a cell:\n{text[-1500:]}"


def run_all(paths: list[Path], workdir: Path) -> list[str]:
    failures = []
    for path in paths:
        try:
            run(path, workdir)
        except Exception as exc:  # noqa: BLE001 - collect every failing notebook, not only the first
            failures.append(f"{path.name}: {str(exc)[-1500:]}")
    return failures


def workshop_for(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.workshop"
    if kind == "empty":
        kit.new(path, title="Leerer Workshop", language="de", actor="tester").close()
    else:
        kit.demo(path, kind, actor="tester").close()
    return path


def calendar_events(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["de", "en"])
def test_sequence_runs_on_sample(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workshop_for(kind, tmp_path)
    monkeypatch.setenv("KIT_WORKSHOP", str(path))
    failures = run_all(NOTEBOOKS, tmp_path)
    assert not failures, "\n\n".join(failures)
    with kit.open(path) as ws:
        assert {name: len(getattr(ws, name)) for name in AFTER[kind]} == AFTER[kind]
        assert synthesis.statuses(ws) == STATUSES[kind]
        assert {h["id"]: h["status"] for h in ws.hypotheses} == STATUSES[kind]
        assert [h["id"] for h in ws.hypotheses if h["selected"]] == [1, 2, 3, 4, 5, 6]
        assert len(ws.snapshots()) == 2  # the sample's workshop end (kept, not taken again) and 05's
        assert ws.live["step"] == "08_follow_up"
        today = [f for f in tracking.held(ws) if f["held_at"][:10] == dt.date.today().isoformat()]
        assert len(tracking.held(ws)) == 2 + len(today) and len(today) <= 1  # 08 marks today's session held
        exports = ws.path.parent / f"{ws.path.stem}-export"
        events = calendar_events(exports / "follow-ups.ics")
        assert len(events) == len(ws.followups) == 6
        guide_html = (exports / "interview-guide.html").read_text(encoding="utf-8")
        assert guide_html.count('class="kit-guide-question"') == 6
        assert (exports / "report.html").stat().st_size > 0
        assert (exports / "report.pdf").read_bytes().startswith(b"%PDF")
        assert (exports / "status-review.pdf").read_bytes().startswith(b"%PDF")
        if kind == "de":
            counts = {name: len(getattr(ws, name)) for name in AFTER[kind]}
    if kind == "de":  # idempotent: running the steps again adds nothing (the PDF steps 07 and 08 are left out)
        failures = run_all(NOTEBOOKS[:-2], tmp_path)
        assert not failures, "\n\n".join(failures)
        with kit.open(path) as ws:
            assert {name: len(getattr(ws, name)) for name in AFTER[kind]} == counts
            assert synthesis.statuses(ws) == STATUSES[kind]


@pytest.mark.slow
def test_sequence_runs_on_fresh_empty_workshop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new" / "fresh.workshop"
    monkeypatch.setenv("KIT_WORKSHOP", str(path))
    failures = run_all(NOTEBOOKS[:1], tmp_path)  # 00_setup creates the file
    assert not failures, "\n\n".join(failures)
    assert path.exists()
    failures = run_all(NOTEBOOKS[1:], tmp_path)
    assert not failures, "\n\n".join(failures)
    with kit.open(path) as ws:
        assert ws.info["title"] and ws.language == "de"
        assert len(ws.hypotheses) == len(ws.evidence) == len(ws.canvas_items) == 0
        assert len(ws.followups) == 6  # the proposed cadence: 3 team sessions + 3 monthly reviews
        events = calendar_events(ws.path.parent / f"{ws.path.stem}-export" / "follow-ups.ics")
        starts = sorted(e.decoded("dtstart") for e in events if str(e["summary"]).startswith("Teamtermin"))
        assert [(b - a).days for a, b in itertools.pairwise(starts)] == [28, 28]


# --------------------------------------------------------------------------- facilitator widgets (Python side)
def test_timer_widget_starts_and_stops_the_shared_timer(ws: kit.Workshop) -> None:
    from kit import facilitation
    from kit.widgets.timer import TimerWidget

    widget = TimerWidget(ws, minutes=10, label="Observe")
    assert not widget.running and widget.ends_at == 0
    widget.request = {"op": "start", "minutes": 2, "nonce": "1"}
    assert widget.ack == "1" and widget.running and widget.seconds == 120 and widget.label == "Observe"
    assert facilitation.timer(ws)["running"] and widget.ends_at == facilitation.timer(ws)["ends_at"]
    widget.request = {"op": "start", "minutes": "soon", "nonce": "2"}
    assert widget.error and widget.ack == "2" and widget.seconds == 120
    widget.request = {"op": "start", "minutes": 0, "nonce": "3"}
    assert "1440" in widget.error
    widget.request = {"op": "stop", "nonce": "4"}
    assert not widget.running and not facilitation.timer(ws)["running"]


def test_agenda_widget_moves_the_room_only_for_the_facilitator(ws: kit.Workshop) -> None:
    from kit.widgets.agenda import AgendaWidget

    widget = AgendaWidget(ws)
    widget.request = {"op": "go", "step": "02_hypotheses", "nonce": "1"}
    assert widget.current == "02_hypotheses" and agenda.current(ws) == "02_hypotheses"
    assert [s["state"] for s in widget.steps][:3] == ["done", "done", "current"]
    participant = kit.open(ws.path, actor="anna", role="participant")
    try:
        view = AgendaWidget(participant)
        assert not view.can_control
        view.request = {"op": "go", "step": "05_canvas", "nonce": "2"}
        assert view.error and agenda.current(ws) == "02_hypotheses"
    finally:
        participant.close()


def test_interview_widget_captures_and_codes(ws: kit.Workshop) -> None:
    from kit.widgets.interview import InterviewWidget

    h = ws.hypotheses.add(kind="pain", statement="Letters scare people", selected=True)
    widget = InterviewWidget(ws)
    assert widget.current == 0 and [x["label"] for x in widget.hypotheses] == [f"H{h}"]
    widget.request = {"op": "save", "id": 0, "fields": {"pseudonym": "", "notes": "x"}, "nonce": "1"}
    assert widget.error and len(ws.interviews) == 0
    nasty = "<script>alert(1)</script> שלום 🙂"
    widget.request = {"op": "save", "id": 0, "nonce": "2",
                      "fields": {"pseudonym": "P1", "segment": "Sandra", "format": "walk_and_talk", "notes": nasty,
                                 "real_name": "must be ignored"}}
    (interview,) = ws.interviews.all()
    assert widget.current == interview["id"] and interview["notes"] == nasty and interview["real_name"] == ""
    assert "real_name" not in widget.interviews[0]
    widget.request = {"op": "code", "interview": interview["id"], "snippet": "<script>", "hypothesis": h,
                      "stance": "supports", "nonce": "3"}
    widget.request = {"op": "code", "interview": interview["id"], "snippet": "nobody expected this",
                      "hypothesis": None, "stance": "new_insight", "nonce": "4"}
    assert [e["stance"] for e in widget.evidence] == ["supports", "new_insight"]
    assert widget.evidence[0]["snippet"] == "<script>" and widget.message
    widget.request = {"op": "code", "interview": interview["id"], "snippet": "  ", "hypothesis": h,
                      "stance": "supports", "nonce": "5"}
    assert widget.error and len(ws.evidence) == 2
    widget.request = {"op": "code", "interview": interview["id"], "snippet": "no hypothesis",
                      "hypothesis": None, "stance": "contradicts", "nonce": "6"}
    assert widget.error and len(ws.evidence) == 2
    widget.request = {"op": "remove", "id": widget.evidence[1]["id"], "nonce": "7"}
    assert len(ws.evidence) == 1 and len(widget.evidence) == 1


def test_record_form_adds_updates_and_names_bad_fields(ws: kit.Workshop) -> None:
    from kit.widgets.form import RecordForm

    form = RecordForm(ws, "actions", ["who", "what", "start", "due", "budget", "status"])
    form.controls["what"].value = "Print thank-you cards"
    form.controls["budget"].value = "1200,50"
    action = form.save()
    assert action and ws.actions[action]["budget"] == 1200.5 and ws.actions[action]["status"] == "open"
    form.controls["budget"].value = "lots"
    assert form.save() is None and "action.budget" in form.status.value
    form.picker.value = action
    assert form.controls["what"].value == "Print thank-you cards"
    form.controls["who"].value = "Ole"
    form.controls["budget"].value = "900"
    assert form.save() == action and ws.actions[action]["who"] == "Ole" and len(ws.actions) == 1
